import type { ChatReply, Counterpart, Persona } from '@alterego/chat';
import type { ChatSession } from '../session.js';

export const PERSONA: Persona = {
  name: 'Sam Rivera',
  systemPrompt: 'You are Sam Rivera.',
  sessionGapMinutes: 60,
  labelSpeakers: false,
  maxReplyChars: 2000,
  model: 'gpt-4.1-mini-2025-04-14',
};

export interface FakeCall {
  counterpart: Counterpart;
  messages: string[];
}

/**
 * A ChatSession that answers from a function (default: echoes the messages as bubbles) and records
 * what it was asked, what was reset and whether it was closed.
 */
export function fakeSession(
  answer: (messages: string[], call: number, signal?: AbortSignal) => Promise<ChatReply> | ChatReply = (
    messages,
  ) => ({ bubbles: messages.map((message) => `re: ${message}`), backend: 'fake', elapsedMs: 1 }),
): ChatSession & { calls: FakeCall[]; resets: string[]; closed: boolean } {
  const session = {
    persona: PERSONA,
    backend: 'fake',
    calls: [] as FakeCall[],
    resets: [] as string[],
    closed: false,
    async reply(
      counterpart: Counterpart,
      messages: string | string[],
      options?: { signal?: AbortSignal },
    ) {
      const list = typeof messages === 'string' ? [messages] : [...messages];
      session.calls.push({ counterpart, messages: list });
      return answer(list, session.calls.length, options?.signal);
    },
    reset(counterpartId: string) {
      session.resets.push(counterpartId);
    },
    close() {
      session.closed = true;
    },
  };
  return session;
}
