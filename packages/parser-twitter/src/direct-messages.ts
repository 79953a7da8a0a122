import {
  CONVERSATION_SCHEMA_ID,
  normalizeText,
  sortMessages,
  type Conversation,
  type Message,
  type Participant,
} from '@alterego/core';
import { parseArchiveTime } from './created-at.js';
import { asArray, asId, asObject, asString } from './fields.js';
import { decodeHtmlEntities } from './html-entities.js';
import { messageMediaAttachments } from './media.js';
import type { KnownUser } from './tweets.js';

/** The emoji of the reactions Twitter offers in direct messages. */
export const REACTION_EMOJI: Readonly<Record<string, string>> = {
  like: '❤️',
  funny: '😂',
  surprised: '😲',
  sad: '😢',
  angry: '😠',
  excited: '🔥',
  agree: '👍',
  disagree: '👎',
};

/** The exporting account, as account.js tells it. */
export interface Owner {
  id?: string;
  username?: string;
  displayName?: string;
}

export interface DirectMessageContext {
  owner: Owner;
  /** Other accounts' names, learnt from the owner's tweets. */
  users: ReadonlyMap<string, KnownUser>;
  /** `direct` for direct-messages.js, `group` for direct-messages-group.js. */
  kind: 'direct' | 'group';
  /** The data file, relative to the input, for `source.file`. */
  sourceFile: string;
  format: string;
  /** The archive's copies of message media, by file name. */
  mediaFiles?: ReadonlyMap<string, string>;
}

export interface ConvertedConversation {
  conversation?: Conversation;
  /** Events that were skipped, and why. */
  problems: string[];
}

/** Links that stand for a message's media, which the media attachments replace. */
const MEDIA_LINK = /^https?:\/\/(?:www\.)?(?:twitter|x)\.com\/messages\/media\//;
const TRAILING_TCO = /\s*https:\/\/t\.co\/\w+\s*$/;

/** The emoji of a reaction: its own emoji where it carries one, else the one its key stands for. */
export function reactionEmoji(reaction: Record<string, unknown>): string | undefined {
  const emoji = asString(reaction.emoji) ?? asString(reaction.emojiReaction);
  if (emoji) return normalizeText(emoji);
  const key = asString(reaction.reactionKey);
  if (key === undefined) return undefined;
  return REACTION_EMOJI[key] ?? key;
}

class Participants {
  private readonly byId = new Map<string, Participant>();

  constructor(private readonly context: DirectMessageContext) {}

  add(id: string | undefined): string | undefined {
    if (id === undefined) return undefined;
    if (this.byId.has(id)) return id;
    const { owner, users } = this.context;
    const self = owner.id !== undefined && id === owner.id;
    const known = self ? undefined : users.get(id);
    const screenName = self ? owner.username : known?.screenName;
    const participant: Participant = {
      id,
      name: normalizeText(
        (self ? (owner.displayName ?? owner.username) : (known?.name ?? known?.screenName)) ?? id,
      ),
      self,
    };
    if (screenName) participant.handles = [screenName];
    this.byId.set(id, participant);
    return id;
  }

  name(id: string): string {
    return this.byId.get(id)?.name ?? id;
  }

  list(): Participant[] {
    return [...this.byId.values()];
  }
}

/** The text of a message: links expanded, media links removed, entities decoded, NFC. */
function messageText(create: Record<string, unknown>, hasMedia: boolean): string {
  let text = decodeHtmlEntities(asString(create.text) ?? '');
  let removed = false;
  for (const url of asArray(create.urls)) {
    const record = asObject(url);
    const short = asString(record?.url);
    const expanded = asString(record?.expanded) ?? asString(record?.expanded_url);
    if (!short) continue;
    if (expanded && MEDIA_LINK.test(expanded)) {
      text = text.split(short).join('');
      removed = true;
    } else if (expanded) {
      text = text.split(short).join(expanded);
    }
  }
  if (hasMedia && !removed) text = text.replace(TRAILING_TCO, '');
  return normalizeText(removed ? text.replace(/ {2,}/g, ' ').trim() : text);
}

function list(ids: unknown): string[] {
  return asArray(ids)
    .map((id) => asId(id) ?? asId(asObject(id)?.userId))
    .filter((id): id is string => id !== undefined);
}

/**
 * Converts one `dmConversation` of direct-messages.js or direct-messages-group.js: typed
 * messages with their reactions folded in, group events as system lines, participants by
 * account id (the archive has no names for them; names come from the owner's tweets where those
 * mention the account, and the owner's from account.js).
 */
export function convertDirectMessages(
  item: unknown,
  context: DirectMessageContext,
): ConvertedConversation {
  const problems: string[] = [];
  const dm = asObject(asObject(item)?.dmConversation);
  const conversationId = asId(dm?.conversationId);
  if (!dm || conversationId === undefined) {
    return { problems: ['an item is not a dmConversation with a conversationId'] };
  }
  const participants = new Participants(context);
  if (context.kind === 'direct') {
    for (const id of conversationId.split('-')) if (/^\d+$/.test(id)) participants.add(id);
  }
  const messages: Message[] = [];
  const byId = new Map<string, Message>();
  const pendingReactions: { messageId: string; emoji: string; senderId: string }[] = [];
  const systemIds = new Map<string, number>();
  let title: string | null = null;
  let titleTime = -Infinity;

  const systemId = (kind: string, time: number) => {
    const base = `${kind}-${time}`;
    const count = (systemIds.get(base) ?? 0) + 1;
    systemIds.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  };
  const names = (ids: readonly string[]) => ids.map((id) => participants.name(id)).join(', ');

  // Archives list events newest first: read them in time order, so that people are met in
  // the order they joined and events are described with what was known at the time.
  const events: { kind: string; body: Record<string, unknown>; time: number }[] = [];
  for (const [index, raw] of asArray(dm.messages).entries()) {
    const event = asObject(raw);
    const [kind, value] = event ? (Object.entries(event)[0] ?? []) : [];
    const body = asObject(value);
    if (!kind || !body) {
      problems.push(`event ${index + 1} of conversation ${conversationId} is not an object`);
      continue;
    }
    const time = parseArchiveTime(body.createdAt);
    if (time === undefined) {
      problems.push(
        `${kind} ${asId(body.id) ?? index + 1} of conversation ${conversationId} has no readable createdAt`,
      );
      continue;
    }
    events.push({ kind, body, time });
  }
  events.sort((a, b) => a.time - b.time);

  for (const { kind, body, time } of events) {
    const at = new Date(time).toISOString();
    if (kind === 'messageCreate') {
      const id = asId(body.id);
      const senderId = participants.add(asId(body.senderId));
      participants.add(asId(body.recipientId));
      if (id === undefined || senderId === undefined) {
        problems.push(`a message of conversation ${conversationId} has no id or senderId`);
        continue;
      }
      if (byId.has(id)) continue;
      const attachments = messageMediaAttachments(asArray(body.mediaUrls), id, context.mediaFiles);
      const text = messageText(body, attachments.length > 0);
      const message: Message = {
        id,
        senderId,
        time: at,
        type: text.trim() !== '' ? 'text' : attachments.length > 0 ? 'media' : 'text',
        text,
      };
      if (message.type === 'text' && text.trim() === '') {
        problems.push(`message ${id} of conversation ${conversationId} has no text and no media`);
        continue;
      }
      if (attachments.length > 0) message.attachments = attachments;
      if (asArray(body.editHistory).length > 0) message.edited = true;
      for (const reaction of asArray(body.reactions)) {
        const record = asObject(reaction);
        const emoji = record && reactionEmoji(record);
        const reactor = participants.add(asId(record?.senderId));
        if (emoji && reactor) (message.reactions ??= []).push({ emoji, senderId: reactor });
      }
      byId.set(id, message);
      messages.push(message);
      continue;
    }
    if (kind === 'reactionCreate') {
      const messageId = asId(body.messageId);
      const emoji = reactionEmoji(body);
      const reactor = participants.add(asId(body.senderId));
      if (messageId && emoji && reactor)
        pendingReactions.push({ messageId, emoji, senderId: reactor });
      continue;
    }
    const initiator = participants.add(asId(body.initiatingUserId) ?? asId(body.senderId));
    let text = '';
    if (kind === 'joinConversation') {
      for (const id of list(body.participantsSnapshot)) participants.add(id);
      text = `${context.owner.id !== undefined ? participants.name(participants.add(context.owner.id)!) : 'You'} joined the conversation`;
    } else if (kind === 'participantsJoin') {
      const added = list(body.userIds);
      for (const id of added) participants.add(id);
      text = initiator
        ? `${participants.name(initiator)} added ${names(added)}`
        : `${names(added)} joined`;
    } else if (kind === 'participantsLeave') {
      const left = list(body.userIds);
      for (const id of left) participants.add(id);
      text = `${names(left)} left`;
    } else if (kind === 'conversationNameUpdate') {
      const name = asString(body.name);
      if (name !== undefined && time >= titleTime) {
        title = normalizeText(decodeHtmlEntities(name));
        titleTime = time;
      }
      text = `${initiator ? participants.name(initiator) : 'Someone'} named the conversation “${normalizeText(decodeHtmlEntities(name ?? ''))}”`;
    }
    messages.push({ id: systemId(kind, time), senderId: null, time: at, type: 'system', text });
  }

  for (const reaction of pendingReactions) {
    const message = byId.get(reaction.messageId);
    if (!message) continue;
    (message.reactions ??= []).push({ emoji: reaction.emoji, senderId: reaction.senderId });
  }

  const people = participants.list();
  if (context.kind === 'direct' && title === null) {
    const other = people.find((participant) => !participant.self);
    if (other && other.name !== other.id) title = other.name;
  }
  return {
    problems,
    conversation: {
      schema: CONVERSATION_SCHEMA_ID,
      id: `twitter:dm:${conversationId}`,
      platform: 'twitter',
      kind: context.kind,
      title,
      participants: people,
      messages: sortMessages(messages),
      source: { format: context.format, file: context.sourceFile },
    },
  };
}
