import {
  normalizeText,
  type Attachment,
  type AttachmentType,
  type Message,
  type MessageType,
  type Reaction,
} from '@alterego/core';
import { flattenText } from './flatten-text.js';
import { telegramTime } from './telegram-time.js';

/** What converting a message needs from the chat it belongs to. */
export interface MessageContext {
  /** IANA zone for `date` values without `date_unixtime`. */
  timeZone: string;
  /**
   * Registers a person seen in the chat (a sender, an actor, a reactor) and returns their
   * participant id. `rawId` is the export's `from_id` (`user123`, `channel456`, or a number in
   * some older exports); `name` is the name the export shows, or null for deleted accounts.
   */
  person(rawId: unknown, name: unknown): string;
}

export type ConvertResult = { message: Message } | { skipped: string };

type Raw = Record<string, unknown>;

/** Values Telegram writes instead of a path when a file was not exported. */
function isPath(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !value.startsWith('(');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? normalizeText(value) : undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The attachment of a file-like message, by its `media_type` (or `photo` / `file`). */
function mediaAttachment(raw: Raw): { type: MessageType; attachment: Attachment } | undefined {
  const mediaType = typeof raw.media_type === 'string' ? raw.media_type : undefined;
  const file = raw.file;
  const uri = isPath(file) ? file : undefined;
  const named = (type: AttachmentType): Attachment => {
    const name = text(raw.file_name) ?? text(raw.title) ?? (uri ? baseName(uri) : undefined);
    return { type, ...(name ? { name } : {}), ...(uri ? { uri } : {}) };
  };
  if (mediaType === 'sticker' || (mediaType === undefined && raw.sticker_emoji !== undefined)) {
    const emoji = text(raw.sticker_emoji);
    return {
      type: 'sticker',
      attachment: { type: 'sticker', ...(emoji ? { name: emoji } : {}), ...(uri ? { uri } : {}) },
    };
  }
  switch (mediaType) {
    case 'voice_message':
    case 'audio_file':
      return { type: 'media', attachment: named('audio') };
    case 'video_message':
    case 'video_file':
      return { type: 'media', attachment: named('video') };
    case 'animation':
      return { type: 'media', attachment: named('gif') };
  }
  if (raw.photo !== undefined) {
    return {
      type: 'media',
      attachment: { type: 'image', ...(isPath(raw.photo) ? { uri: raw.photo } : {}) },
    };
  }
  if (file !== undefined || mediaType !== undefined) {
    const mime = typeof raw.mime_type === 'string' ? raw.mime_type : '';
    const type: AttachmentType = mime.startsWith('image/')
      ? 'image'
      : mime.startsWith('video/')
        ? 'video'
        : mime.startsWith('audio/')
          ? 'audio'
          : 'file';
    return { type: 'media', attachment: named(type) };
  }
  return undefined;
}

/** A location message's attachment: the venue's name and a `geo:` URI. */
function locationAttachment(raw: Raw): Attachment | undefined {
  const place = raw.location_information;
  if (typeof place !== 'object' || place === null) return undefined;
  const { latitude, longitude } = place as { latitude?: unknown; longitude?: unknown };
  const name = text(raw.place_name) ?? text(raw.address);
  const uri =
    typeof latitude === 'number' && typeof longitude === 'number'
      ? `geo:${latitude},${longitude}`
      : undefined;
  return { type: 'location', ...(name ? { name } : {}), ...(uri ? { uri } : {}) };
}

function contactAttachment(raw: Raw): Attachment | undefined {
  const contact = raw.contact_information;
  if (typeof contact !== 'object' || contact === null) return undefined;
  const { first_name, last_name, phone_number } = contact as Raw;
  const name =
    [text(first_name), text(last_name)].filter(Boolean).join(' ') ||
    text(phone_number) ||
    undefined;
  const uri = isPath(raw.contact_vcard) ? raw.contact_vcard : undefined;
  return { type: 'contact', ...(name ? { name } : {}), ...(uri ? { uri } : {}) };
}

/** Reactions with the people who gave them; Telegram lists at most a few recent ones per emoji. */
function reactionsOf(raw: Raw, context: MessageContext): Reaction[] {
  if (!Array.isArray(raw.reactions)) return [];
  const reactions: Reaction[] = [];
  const seen = new Set<string>();
  for (const entry of raw.reactions as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { type, emoji, recent } = entry as Raw;
    const symbol =
      text(emoji) ??
      (type === 'paid' ? '⭐' : type === 'custom_emoji' ? ':custom_emoji:' : undefined);
    if (!symbol || !Array.isArray(recent)) continue;
    for (const who of recent as unknown[]) {
      if (typeof who !== 'object' || who === null) continue;
      const { from, from_id } = who as Raw;
      if (from_id === undefined || from_id === null) continue;
      const senderId = context.person(from_id, from);
      const key = `${symbol}\u0000${senderId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reactions.push({ emoji: symbol, senderId });
    }
  }
  return reactions;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One line for a service message, as Telegram shows it in the chat. */
function describeService(raw: Raw, actor: string): string {
  const action = typeof raw.action === 'string' ? raw.action : 'service';
  const title = text(raw.title);
  const members = Array.isArray(raw.members)
    ? (raw.members as unknown[]).map((member) => (typeof member === 'string' ? member : 'someone'))
    : [];
  const duration = typeof raw.duration_seconds === 'number' ? raw.duration_seconds : undefined;
  switch (action) {
    case 'phone_call':
    case 'group_call':
      if (raw.discard_reason === 'missed') return `${actor}: missed call`;
      if (raw.discard_reason === 'busy') return `${actor}: declined call`;
      return duration === undefined
        ? `${actor} started a call`
        : `${actor}: call, ${plural(duration, 'second')}`;
    case 'create_group':
    case 'create_channel':
      return title ? `${actor} created the group "${title}"` : `${actor} created the group`;
    case 'invite_members':
      return `${actor} added ${members.join(', ') || 'members'}`;
    case 'remove_members':
      return `${actor} removed ${members.join(', ') || 'members'}`;
    case 'join_group_by_link':
    case 'join_group_by_request':
      return `${actor} joined the group`;
    case 'edit_group_title':
      return `${actor} changed the group name to "${title ?? ''}"`;
    case 'edit_group_photo':
      return `${actor} changed the group photo`;
    case 'delete_group_photo':
      return `${actor} removed the group photo`;
    case 'pin_message':
      return `${actor} pinned a message`;
    case 'joined_telegram':
      return `${actor} joined Telegram`;
    case 'migrate_to_supergroup':
    case 'migrate_from_group':
      return `${actor} upgraded the group to a supergroup`;
    case 'topic_created':
      return title ? `${actor} created the topic "${title}"` : `${actor} created a topic`;
    default:
      return `${actor}: ${action.replace(/_/g, ' ')}`;
  }
}

/**
 * Converts one element of a chat's `messages` to a Message.
 *
 * - Service messages (`type: "service"`) are `system` lines with no sender, described in one
 *   line; calls (`phone_call`, `group_call`) are `call` messages from the caller.
 * - Forwarded messages (`forwarded_from`) are `repost`: their words are someone else's.
 * - Stickers, photos, voice and video messages, animations and files are `sticker` or `media`
 *   with a typed attachment (its path when the export has the file); a caption stays as text.
 * - Polls are `poll` (the question as text), shared places `location`, shared contacts `contact`.
 * - A message with neither words nor anything recognised (a dice, a game) is `media`.
 * - Reactions with their people (`recent`) are folded in; `edited` marks edited messages;
 *   `reply_to_message_id` becomes `replyTo`.
 */
export function convertMessage(raw: unknown, context: MessageContext): ConvertResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { skipped: 'a message that is not a JSON object' };
  }
  const message = raw as Raw;
  if (typeof message.id !== 'number' && typeof message.id !== 'string') {
    return { skipped: 'a message without an id' };
  }
  const id = String(message.id);
  const time = telegramTime(message.date_unixtime, message.date, context.timeZone);
  if (time === undefined) {
    return {
      skipped: `message ${id} has no valid time (date_unixtime ${JSON.stringify(message.date_unixtime)}, date ${JSON.stringify(message.date)})`,
    };
  }
  const words = flattenText(message.text, message.text_entities);
  const extra: Partial<Message> = {};
  const replyTo = message.reply_to_message_id;
  if (
    (typeof replyTo === 'number' || typeof replyTo === 'string') &&
    message.reply_to_peer_id === undefined
  ) {
    extra.replyTo = String(replyTo);
  }
  if (message.edited !== undefined || message.edited_unixtime !== undefined) extra.edited = true;

  if (message.type === 'service') {
    const actorName = typeof message.actor === 'string' ? message.actor : 'Someone';
    const action = message.action;
    if (action === 'phone_call' || action === 'group_call') {
      const senderId =
        message.actor_id !== undefined ? context.person(message.actor_id, message.actor) : null;
      return {
        message: {
          id,
          senderId,
          time,
          type: 'call',
          text: normalizeText(describeService(message, actorName)),
          ...extra,
        },
      };
    }
    if (message.actor_id !== undefined) context.person(message.actor_id, message.actor);
    return {
      message: {
        id,
        senderId: null,
        time,
        type: 'system',
        text: words || normalizeText(describeService(message, actorName)),
        ...extra,
      },
    };
  }

  const senderId = context.person(message.from_id, message.from);
  const reactions = reactionsOf(message, context);
  if (reactions.length > 0) extra.reactions = reactions;

  let type: MessageType = 'text';
  let body = words;
  const attachments: Attachment[] = [];
  if (typeof message.poll === 'object' && message.poll !== null) {
    type = 'poll';
    body = text((message.poll as Raw).question) ?? words;
  } else if (message.location_information !== undefined) {
    type = 'location';
    const attachment = locationAttachment(message);
    if (attachment) attachments.push(attachment);
  } else if (message.contact_information !== undefined) {
    type = 'contact';
    const attachment = contactAttachment(message);
    if (attachment) attachments.push(attachment);
  } else {
    const media = mediaAttachment(message);
    if (media) {
      type = media.type;
      attachments.push(media.attachment);
    } else if (words.trim() === '') {
      type = 'media';
    }
  }
  if (message.forwarded_from !== undefined) type = 'repost';
  return {
    message: {
      id,
      senderId,
      time,
      type,
      text: body,
      ...(attachments.length > 0 ? { attachments } : {}),
      ...extra,
    },
  };
}
