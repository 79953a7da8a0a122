import {
  normalizeText,
  type Attachment,
  type AttachmentType,
  type Message,
  type MessageType,
  type Reaction,
} from '@alterego/core';
import { readableContent, type MentionedUser } from './content.js';

/** A message author, a mentioned user or a reactor, as DiscordChatExporter writes them. */
export interface DiscordUser {
  id: string;
  /** The user name (`mlomb`). */
  name: string;
  /** The display name in the server or DM, when the export has one. */
  nickname?: string;
  isBot: boolean;
}

/** What converting a message needs from the channel it belongs to. */
export interface MessageContext {
  /** The channel's id, to tell replies in this channel from cross-posts. */
  channelId(): string | undefined;
  /** Registers a person (an author or a reactor) and returns their participant id. */
  person(user: DiscordUser): string;
}

export type ConvertResult = { message: Message } | { skipped: string };

type Raw = Record<string, unknown>;

/** Message types that carry what a person (or a bot) wrote. The rest are Discord's own lines. */
const USER_TYPES = new Set([
  'Default',
  'Reply',
  'ChatInputCommand',
  'ContextMenuCommand',
  'ApplicationCommand',
  'ThreadStarterMessage',
]);

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Reads a user object; undefined when it has no id. */
export function readUser(value: unknown): DiscordUser | undefined {
  if (!isRecord(value)) return undefined;
  const id =
    typeof value.id === 'string' && value.id !== ''
      ? value.id
      : typeof value.id === 'number'
        ? String(value.id)
        : undefined;
  if (id === undefined) return undefined;
  const name = nonEmpty(value.name) ?? 'Unknown User';
  const nickname = nonEmpty(value.nickname);
  return { id, name, ...(nickname ? { nickname } : {}), isBot: value.isBot === true };
}

const IMAGE = /\.(?:png|jpe?g|webp|bmp|heic|avif|svg)$/i;
const GIF = /\.gif$/i;
const VIDEO = /\.(?:mp4|mov|webm|mkv|avi|m4v)$/i;
const AUDIO = /\.(?:mp3|ogg|oga|opus|wav|m4a|flac|aac)$/i;

function attachmentType(fileName: string): AttachmentType {
  const clean = fileName.replace(/[?#].*$/, '');
  if (GIF.test(clean)) return 'gif';
  if (IMAGE.test(clean)) return 'image';
  if (VIDEO.test(clean)) return 'video';
  if (AUDIO.test(clean)) return 'audio';
  return 'file';
}

function attachmentsOf(raw: Raw): Attachment[] {
  const out: Attachment[] = [];
  if (Array.isArray(raw.attachments)) {
    for (const item of raw.attachments as unknown[]) {
      if (!isRecord(item)) continue;
      const uri = nonEmpty(item.url);
      const name =
        nonEmpty(item.fileName) ?? (uri ? uri.slice(uri.lastIndexOf('/') + 1) : undefined);
      out.push({
        type: attachmentType(name ?? uri ?? ''),
        ...(name ? { name: normalizeText(name) } : {}),
        ...(uri ? { uri } : {}),
      });
    }
  }
  return out;
}

function stickersOf(raw: Raw): Attachment[] {
  if (!Array.isArray(raw.stickers)) return [];
  return (raw.stickers as unknown[]).filter(isRecord).map((sticker) => {
    const name = nonEmpty(sticker.name);
    const uri = nonEmpty(sticker.sourceUrl);
    return {
      type: 'sticker' as const,
      ...(name ? { name: normalizeText(name) } : {}),
      ...(uri ? { uri } : {}),
    };
  });
}

/** Embeds with a URL: link previews, shared videos, bot cards that point somewhere. */
function embedsOf(raw: Raw): Attachment[] {
  if (!Array.isArray(raw.embeds)) return [];
  const out: Attachment[] = [];
  for (const embed of raw.embeds as unknown[]) {
    if (!isRecord(embed)) continue;
    const uri = nonEmpty(embed.url);
    const name = nonEmpty(embed.title);
    if (!uri && !name) continue;
    out.push({
      type: 'link',
      ...(name ? { name: normalizeText(name) } : {}),
      ...(uri ? { uri } : {}),
    });
  }
  return out;
}

/** `:name:` for a server emoji, the character itself for a Unicode one. */
function emojiText(emoji: unknown): string | undefined {
  if (!isRecord(emoji)) return undefined;
  const name = nonEmpty(emoji.name);
  if (!name) return undefined;
  const custom = (typeof emoji.id === 'string' && emoji.id !== '') || typeof emoji.id === 'number';
  return custom ? `:${name}:` : normalizeText(name);
}

/**
 * Reactions with the people who gave them. DiscordChatExporter lists the users of a reaction
 * (`users`) in newer versions; a reaction with only a `count` cannot say who reacted and is left
 * out, since every reaction in a Conversation names its sender.
 */
function reactionsOf(raw: Raw, context: MessageContext): Reaction[] {
  if (!Array.isArray(raw.reactions)) return [];
  const reactions: Reaction[] = [];
  const seen = new Set<string>();
  for (const entry of raw.reactions as unknown[]) {
    if (!isRecord(entry) || !Array.isArray(entry.users)) continue;
    const emoji = emojiText(entry.emoji);
    if (!emoji) continue;
    for (const value of entry.users as unknown[]) {
      const user = readUser(value);
      if (!user) continue;
      const senderId = context.person(user);
      const key = `${emoji}\u0000${senderId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reactions.push({ emoji, senderId });
    }
  }
  return reactions;
}

function mentionsOf(raw: Raw): MentionedUser[] {
  if (!Array.isArray(raw.mentions)) return [];
  const out: MentionedUser[] = [];
  for (const value of raw.mentions as unknown[]) {
    const user = readUser(value);
    if (user) out.push({ id: user.id, name: user.nickname ?? user.name });
  }
  return out;
}

/** An ISO time with an offset as ISO UTC with milliseconds; undefined when it is not one. */
export function instant(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/**
 * Converts one element of `messages` to a Message.
 *
 * - `Default` and `Reply` messages (and bot command replies) are `text`, or `media` with typed
 *   attachments (the content stays as the caption), or `sticker`; link embeds are `link`
 *   attachments.
 * - `Call` is a `call` from the caller; every other type (`RecipientAdd`, `ChannelPinnedMessage`,
 *   `GuildMemberJoin`, `ChannelNameChange`, …) is a `system` line without a sender, in the words
 *   the export gives it.
 * - `reference.messageId` becomes `replyTo` (for messages of the same channel); a
 *   `timestampEdited` marks the message `edited`; reactions with their users are folded in.
 */
export function convertMessage(raw: unknown, context: MessageContext): ConvertResult {
  if (!isRecord(raw)) return { skipped: 'a message that is not a JSON object' };
  if (typeof raw.id !== 'string' && typeof raw.id !== 'number') {
    return { skipped: 'a message without an id' };
  }
  const id = String(raw.id);
  const time = instant(raw.timestamp);
  if (time === undefined) {
    return { skipped: `message ${id} has no valid timestamp (${JSON.stringify(raw.timestamp)})` };
  }
  const kind = typeof raw.type === 'string' ? raw.type : 'Default';
  const content = typeof raw.content === 'string' ? raw.content : '';
  const extra: Partial<Message> = {};
  if (raw.timestampEdited !== null && raw.timestampEdited !== undefined) extra.edited = true;
  if (isRecord(raw.reference)) {
    const { messageId, channelId } = raw.reference;
    const own = context.channelId();
    const sameChannel =
      channelId === undefined || channelId === null || own === undefined || channelId === own;
    if (
      (typeof messageId === 'string' || typeof messageId === 'number') &&
      sameChannel &&
      String(messageId) !== id
    ) {
      extra.replyTo = String(messageId);
    }
  }
  const author = readUser(raw.author);

  if (kind === 'Call') {
    return {
      message: {
        id,
        senderId: author ? context.person(author) : null,
        time,
        type: 'call',
        text: normalizeText(content),
        ...extra,
      },
    };
  }
  if (!USER_TYPES.has(kind)) {
    if (author) context.person(author);
    return {
      message: {
        id,
        senderId: null,
        time,
        type: 'system',
        text: normalizeText(content) || kind.replace(/([a-z])([A-Z])/g, '$1 $2'),
        ...extra,
      },
    };
  }
  if (!author) return { skipped: `message ${id} has no author` };
  const senderId = context.person(author);
  const text = readableContent(content, mentionsOf(raw));
  const files = attachmentsOf(raw);
  const stickers = stickersOf(raw);
  const links = embedsOf(raw);
  const attachments = [...files, ...stickers, ...links];
  let type: MessageType = 'text';
  if (files.length > 0) type = 'media';
  else if (stickers.length > 0) type = 'sticker';
  else if (text.trim() === '') type = 'media';
  const reactions = reactionsOf(raw, context);
  return {
    message: {
      id,
      senderId,
      time,
      type,
      text,
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(reactions.length > 0 ? { reactions } : {}),
      ...extra,
    },
  };
}
