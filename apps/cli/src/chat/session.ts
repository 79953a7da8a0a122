import type { ChatReply, Counterpart, Persona } from '@alterego/chat';

/** What the terminal and the web page need from the reply runtime (a `Chat` of @alterego/chat). */
export interface ChatSession {
  readonly persona: Persona;
  /** The backend that answers first, and its model, for the banner. */
  readonly backend: string;
  readonly model?: string;
  /** Answers one batch of messages from a counterpart. */
  reply(
    counterpart: Counterpart,
    messages: string | string[],
    options?: { signal?: AbortSignal },
  ): Promise<ChatReply>;
  /** Forgets the conversation with a counterpart. */
  reset(counterpartId: string): void | Promise<void>;
  close(): void | Promise<void>;
}
