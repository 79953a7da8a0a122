import { countTextTokens, messageTokens } from './tokens.js';

/** A message that made it through selection, dedupe, filters and redaction. */
export interface KeptMessage {
  /** Milliseconds since the epoch. */
  time: number;
  /** Sent by the person. */
  self: boolean;
  senderId: string;
  /** The speaker's name as written before group turns (already redacted). */
  label: string;
  text: string;
}

/** Consecutive messages of one side, merged. */
export interface Turn {
  role: 'user' | 'assistant';
  /** Messages joined with newlines, so that serving can split them back into bubbles. */
  content: string;
  /** Tokens of this message in an example, with the per-message overhead. */
  tokens: number;
  /** Tokens of the content alone. */
  contentTokens: number;
  /** Assistant turns only: passes the reply filters, so it may be trained on. */
  trainable: boolean;
  /** Time of the first and the last message in the turn (ms). */
  first: number;
  last: number;
}

/** The messages of one stretch of talk without a silence longer than the gap. */
export interface Session {
  /** Position of the session in its conversation, from 0. */
  index: number;
  messages: KeptMessage[];
}

/**
 * Cuts messages (ascending by time) into sessions wherever the real time between two messages
 * is longer than `gapMs`, across days, months and years alike.
 */
export function splitSessions(messages: readonly KeptMessage[], gapMs: number): Session[] {
  const sessions: Session[] = [];
  let current: KeptMessage[] = [];
  let previous = -Infinity;
  for (const message of messages) {
    if (current.length > 0 && message.time - previous > gapMs) {
      sessions.push({ index: sessions.length, messages: current });
      current = [];
    }
    current.push(message);
    previous = message.time;
  }
  if (current.length > 0) sessions.push({ index: sessions.length, messages: current });
  return sessions;
}

export interface TurnOptions {
  /** Name the speakers of user turns ("Alex: …"): group chats, or more than one other person. */
  labelSpeakers: boolean;
  /** Decides whether an assistant turn may be trained on. */
  trainable: (content: string) => boolean;
}

/**
 * Merges a session's messages into turns: the person's consecutive messages into one assistant
 * turn, everyone else's consecutive messages into one user turn, so that turns alternate. With
 * `labelSpeakers`, each speaker's lines in a user turn start with their name.
 */
export function buildTurns(messages: readonly KeptMessage[], options: TurnOptions): Turn[] {
  const turns: Turn[] = [];
  let index = 0;
  while (index < messages.length) {
    const first = messages[index]!;
    const self = first.self;
    // Pieces joined once at the end, so that the content is one flat string: a string built by
    // `+` is a tree of pieces, and reading it character by character (token counting) is slower.
    const pieces: string[] = [];
    let last = first.time;
    if (self) {
      while (index < messages.length && messages[index]!.self) {
        if (pieces.length > 0) pieces.push('\n');
        pieces.push(messages[index]!.text);
        last = messages[index]!.time;
        index += 1;
      }
    } else {
      // Everyone else's messages up to the person's next one, in blocks per speaker.
      while (index < messages.length && !messages[index]!.self) {
        const speaker = messages[index]!.senderId;
        if (pieces.length > 0) pieces.push('\n');
        if (options.labelSpeakers) pieces.push(messages[index]!.label, ': ');
        let inBlock = false;
        while (
          index < messages.length &&
          !messages[index]!.self &&
          messages[index]!.senderId === speaker
        ) {
          if (inBlock) pieces.push('\n');
          pieces.push(messages[index]!.text);
          inBlock = true;
          last = messages[index]!.time;
          index += 1;
        }
      }
    }
    const content = pieces.length === 1 ? pieces[0]! : pieces.join('');
    const role = self ? 'assistant' : 'user';
    const contentTokens = countTextTokens(content);
    turns.push({
      role,
      content,
      contentTokens,
      tokens: messageTokens(role, contentTokens),
      trainable: self && options.trainable(content),
      first: first.time,
      last,
    });
  }
  return turns;
}
