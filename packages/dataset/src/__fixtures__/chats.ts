import type { Conversation, Message, MessageType } from '@alterego/core';

/** [sender id, minutes after the start, text, type] */
export type MessageSpec = [string, number, string, MessageType?];

export interface ChatSpec {
  id?: string;
  kind?: Conversation['kind'];
  platform?: Conversation['platform'];
  title?: string | null;
  /** Defaults: me (self), alex. */
  people?: { id: string; name: string; self?: boolean; handles?: string[] }[];
  start?: string;
  messages: MessageSpec[];
}

/** A small valid Conversation for tests: `me` is the person, times in minutes from `start`. */
export function chat(spec: ChatSpec): Conversation {
  const start = Date.parse(spec.start ?? '2024-03-01T10:00:00.000Z');
  const people = spec.people ?? [
    { id: 'me', name: 'Sam Rivera', self: true },
    { id: 'alex', name: 'Alex Chen' },
  ];
  const messages: Message[] = spec.messages.map(([sender, minutes, text, type], index) => ({
    id: `m${index + 1}`,
    senderId: sender,
    time: new Date(start + minutes * 60_000).toISOString(),
    type: type ?? 'text',
    text,
  }));
  return {
    schema: 'alterego.conversation/1',
    id: spec.id ?? 'whatsapp:test',
    platform: spec.platform ?? 'whatsapp',
    kind: spec.kind ?? 'direct',
    title: spec.title === undefined ? 'Alex Chen' : spec.title,
    participants: people.map((person) => ({
      id: person.id,
      name: person.name,
      self: person.self ?? false,
      ...(person.handles ? { handles: person.handles } : {}),
    })),
    messages,
    source: { format: 'whatsapp-txt', file: 'chat.txt' },
  };
}

/** Options that keep small test chats small: no minimum, no validation share, no system prompt. */
export const PLAIN = {
  minTrainExamples: 0,
  validFraction: 0,
  systemPrompt: '',
} as const;
