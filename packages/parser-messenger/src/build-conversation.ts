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

/** 32-bit FNV-1a of a string, as 8 hex digits. */
export function fnv1a(value: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < value.length; index += 1) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * A message id that stays the same on every import and in every part of a split download: the
 * time and a hash of who sent what, so the same message read twice gets the same id.
 */
function messageKey(message: DraftMessage): string {
  const first = message.attachments?.[0];
  return `${message.time}-${fnv1a(
    `${message.sender ?? ''}\u0000${message.type}\u0000${message.text}\u0000${first?.uri ?? first?.name ?? ''}`,
  )}`;
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
      time: new Date(draft.time).toISOString(),
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
