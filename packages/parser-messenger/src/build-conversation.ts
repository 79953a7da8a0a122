import {
  CONVERSATION_SCHEMA_ID,
  type Conversation,
  type Message,
  type Participant,
  type Platform,
} from '@alterego/core';
import type { DraftMessage } from './draft.js';
import { reactionEmoji } from './fields.js';

/** Everything read from one thread (all its pages), ready to become a Conversation. */
export interface ThreadDraft {
  id: string;
  platform: Platform;
  format: string;
  /** `source.file`. */
  file: string;
  title: string | null;
  /** The people the export lists for the thread, in order. */
  participants: string[];
  group: boolean;
  /** Oldest first as far as the files tell; sorted (stably) by time here. */
  messages: DraftMessage[];
  /** Whether a name is the person who made the export. */
  isSelf: (name: string) => boolean;
}

/** How far back a "Reacted ❤ to your message" line looks for the message it is about. */
const REACTION_LOOKBACK = 500;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Folds a string into a running 32-bit FNV-1a hash. */
function fnvUpdate(hash: number, value: string): number {
  for (let index = 0; index < value.length; index += 1) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash;
}

/** Folds a U+0000 separator into a running 32-bit FNV-1a hash. */
function fnvSeparator(hash: number): number {
  return Math.imul(hash, FNV_PRIME);
}

/** Two hex digits of each byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** A 32-bit hash as 8 hex digits. */
function fnvHex(hash: number): string {
  return (
    HEX[hash >>> 24]! + HEX[(hash >>> 16) & 0xff]! + HEX[(hash >>> 8) & 0xff]! + HEX[hash & 0xff]!
  );
}

/** Decimal digits of an integer time, built from two small integers (much faster than a double). */
function timeDigits(time: number): string {
  const high = Math.floor(time / 1_000_000);
  if (high < 1 || !Number.isSafeInteger(time)) return String(time);
  return `${high}${String(time - high * 1_000_000).padStart(6, '0')}`;
}

const DAY = 86_400_000;
/** Latest time `Date` accepts for a four-digit year (9999-12-31T23:59:59.999Z). */
const LAST_TIME = 253_402_300_799_999;
const TWO_DIGITS = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'));
let isoDay = NaN;
let isoDayPrefix = '';

/**
 * `new Date(time).toISOString()`, without a Date per message: the date part is kept while
 * messages stay on one day (they come sorted), and the time of day is put together from tables.
 */
function isoTime(time: number): string {
  if (!Number.isInteger(time) || time < 0 || time > LAST_TIME) return new Date(time).toISOString();
  const day = Math.floor(time / DAY);
  if (day !== isoDay) {
    isoDayPrefix = new Date(day * DAY).toISOString().slice(0, 11);
    isoDay = day;
  }
  let rest = time - day * DAY;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${isoDayPrefix}${TWO_DIGITS[hours]!}:${TWO_DIGITS[minutes]!}:${TWO_DIGITS[seconds]!}.${THREE_DIGITS[millis]!}Z`;
}

/** 32-bit FNV-1a of a string, as 8 hex digits. */
export function fnv1a(value: string): string {
  return fnvHex(fnvUpdate(FNV_OFFSET, value));
}

/**
 * A message id that stays the same on every import and in every part of a split download: the
 * time and a hash of who sent what, so the same message read twice gets the same id.
 */
function messageKey(message: DraftMessage): string {
  const first = message.attachments?.[0];
  // The FNV-1a of sender, type, text and first attachment joined by U+0000, hashed part by part
  // so that no joined string is built.
  let hash = FNV_OFFSET;
  if (message.sender !== null) hash = fnvUpdate(hash, message.sender);
  hash = fnvUpdate(fnvSeparator(hash), message.type);
  hash = fnvUpdate(fnvSeparator(hash), message.text);
  hash = fnvSeparator(hash);
  const file = first?.uri ?? first?.name;
  if (file !== undefined) hash = fnvUpdate(hash, file);
  return `${timeDigits(message.time)}-${fnvHex(hash)}`;
}

/**
 * Folds "Reacted ❤ to your message" lines into the message they are about: the latest earlier
 * message by someone else. A line whose reaction is already on that message is dropped; one
 * with no message to point at stays, as a `reaction` message.
 */
function foldReactionNotices(messages: DraftMessage[]): DraftMessage[] {
  const kept: DraftMessage[] = [];
  for (const message of messages) {
    if (!message.reactionNotice || message.sender === null) {
      kept.push(message);
      continue;
    }
    const actor = message.sender;
    let target: DraftMessage | undefined;
    for (
      let index = kept.length - 1;
      index >= 0 && kept.length - index <= REACTION_LOOKBACK;
      index -= 1
    ) {
      const candidate = kept[index]!;
      if (
        candidate.sender !== null &&
        candidate.sender !== actor &&
        candidate.type !== 'reaction'
      ) {
        target = candidate;
        break;
      }
    }
    if (!target) {
      kept.push(message);
      continue;
    }
    const emoji = reactionEmoji(message.reactionNotice.emoji) || message.reactionNotice.emoji;
    if (!target.reactions?.some((reaction) => reaction.actor === actor)) {
      target.reactions = [...(target.reactions ?? []), { emoji, actor }];
    }
  }
  return kept;
}

/** Turns a thread read from its files into a Conversation of the spec. */
export function buildConversation(thread: ThreadDraft): Conversation {
  // Array.prototype.sort is stable: messages at the same instant keep their file order.
  const sorted = thread.messages.slice().sort((a, b) => a.time - b.time);
  const messages = foldReactionNotices(sorted);
  const names: string[] = [];
  const known = new Set<string>();
  const addName = (name: string | null | undefined) => {
    if (!name || known.has(name)) return;
    known.add(name);
    names.push(name);
  };
  thread.participants.forEach(addName);
  const senders = new Set<string>();
  for (const message of messages) {
    addName(message.sender);
    if (message.sender) senders.add(message.sender);
    message.reactions?.forEach((reaction) => addName(reaction.actor));
    message.mentioned?.forEach(addName);
  }
  const selfName = names.find((name) => thread.isSelf(name));
  const participants: Participant[] = names.map((name) => ({
    id: name,
    name,
    self: name === selfName,
  }));
  const ids = new Map<string, number>();
  const out: Message[] = messages.map((draft) => {
    let id = messageKey(draft);
    const seen = ids.get(id) ?? 0;
    ids.set(id, seen + 1);
    if (seen > 0) id = `${id}-${seen + 1}`;
    const message: Message = {
      id,
      senderId: draft.sender,
      time: isoTime(draft.time),
      type: draft.type,
      text: draft.text,
    };
    if (draft.attachments && draft.attachments.length > 0) message.attachments = draft.attachments;
    if (draft.reactions && draft.reactions.length > 0) {
      message.reactions = draft.reactions.map((reaction) => ({
        emoji: reaction.emoji,
        senderId: reaction.actor,
      }));
    }
    return message;
  });
  const listed = thread.participants.length;
  return {
    schema: CONVERSATION_SCHEMA_ID,
    id: thread.id,
    platform: thread.platform,
    kind: thread.group || listed > 2 || senders.size > 2 ? 'group' : 'direct',
    title: thread.title,
    participants,
    messages: out,
    source: { format: thread.format, file: thread.file },
  };
}
