import type { Attachment, AttachmentType } from '@alterego/core';
import type { DraftMessage, DraftReaction } from './draft.js';
import { classifySystemText, type SystemTextKind } from './system-text.js';

/** What one message of any of the three formats holds, before it is typed. */
export interface MessageParts {
  sender: string | null;
  time: number;
  /** The `content` / `text` / HTML body: typed words or a system text. */
  content: string;
  attachments: Attachment[];
  reactions: DraftReaction[];
  unsent?: boolean;
  /** A call, with its length in seconds where the export gives one. */
  call?: { seconds?: number; missed?: boolean };
  /** `Subscribe` / `Unsubscribe` (people added or leaving), with the people named. */
  membership?: string[];
  share?: { link?: string; text?: string };
}

const PLACEHOLDER_ATTACHMENT: Partial<Record<SystemTextKind, AttachmentType>> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  gif: 'gif',
  sticker: 'sticker',
  file: 'file',
  link: 'link',
};

const MAP_LINK =
  /^https?:\/\/(?:[\w-]+\.)*(?:bing\.com\/maps|maps\.google\.|google\.[a-z.]+\/maps|maps\.apple\.com)/i;

/**
 * The words a call message carries: spec text is what a person typed, and a call has none, so
 * this is a short fixed description that keeps what the export says (missed, and how long).
 */
export function callText(call: { seconds?: number; missed?: boolean }): string {
  if (call.missed) return 'Missed call';
  if (call.seconds === undefined || call.seconds <= 0) return 'Call';
  const total = Math.round(call.seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `Call, ${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `Call, ${minutes}:${seconds}`;
}

/** The attachment type of a media file, from its extension. */
export function attachmentTypeOf(uri: string): AttachmentType {
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(uri)?.[1]?.toLowerCase();
  switch (extension) {
    case 'jpg':
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'heic':
    case 'bmp':
      return 'image';
    case 'mp4':
    case 'mov':
    case 'webm':
    case 'm4v':
      return 'video';
    case 'ogg':
    case 'mp3':
    case 'm4a':
    case 'aac':
    case 'wav':
    case 'opus':
    case 'amr':
      return 'audio';
    case 'gif':
      return 'gif';
    default:
      return 'file';
  }
}

/** An attachment for a file the export names; name is the file's last segment. */
export function fileAttachment(type: AttachmentType, uri: string): Attachment {
  const trimmed = uri.trim();
  if (trimmed === '') return { type };
  if (/^https?:\/\//i.test(trimmed)) return { type, uri: trimmed };
  const name = trimmed.split(/[\\/]/).pop() ?? '';
  return name ? { type, name, uri: trimmed } : { type, uri: trimmed };
}

/**
 * Types a message: only words a person typed are `text`; placeholders, reactions sent as
 * messages, unsent messages, calls, group events and notices are typed for what they are.
 * `isPerson` tells whether a name at the start of a system text is someone in the thread.
 */
export function typeMessage(
  parts: MessageParts,
  isPerson: (name: string) => boolean,
): DraftMessage {
  if (
    parts.attachments.length === 0 &&
    parts.share === undefined &&
    parts.unsent !== true &&
    parts.call === undefined &&
    parts.membership === undefined &&
    parts.content.trim() !== '' &&
    classifySystemText(parts.content, isPerson) === undefined
  ) {
    // Most messages: words someone typed, nothing else.
    const message: DraftMessage = {
      sender: parts.sender,
      time: parts.time,
      type: 'text',
      text: parts.content,
    };
    if (parts.reactions.length > 0) message.reactions = parts.reactions;
    return message;
  }
  const base = { sender: parts.sender, time: parts.time };
  const reactions = parts.reactions.length > 0 ? { reactions: parts.reactions } : {};
  if (parts.unsent) return { ...base, type: 'deleted', text: '', ...reactions };
  if (parts.call) return { ...base, type: 'call', text: callText(parts.call), ...reactions };
  if (parts.membership) {
    const message: DraftMessage = {
      sender: null,
      time: parts.time,
      type: 'system',
      text: parts.content,
    };
    if (parts.membership.length > 0) message.mentioned = parts.membership;
    return message;
  }
  const attachments = [...parts.attachments];
  let content = parts.content;
  let location = false;
  if (parts.share) {
    const { link, text } = parts.share;
    if (link && MAP_LINK.test(link)) {
      location = true;
      attachments.push({ type: 'location', uri: link, ...(text ? { name: text } : {}) });
    } else if (link) {
      attachments.push({ type: 'link', uri: link, ...(text ? { name: text } : {}) });
    } else if (text) {
      // A live location has a text ("Live location") and no link.
      location = true;
      attachments.push({ type: 'location', name: text });
    }
  }
  const system = content ? classifySystemText(content, isPerson) : undefined;
  if (system) {
    switch (system.kind) {
      case 'reaction':
        return {
          ...base,
          type: 'reaction',
          text: '',
          reactionNotice: { emoji: system.emoji ?? '❤' },
        };
      case 'unsent':
        return { ...base, type: 'deleted', text: '', ...reactions };
      case 'call':
        return {
          ...base,
          type: 'call',
          text: callText({ missed: /miss|verpasst|manqué|perdió|perdeu|perso/i.test(content) }),
          ...reactions,
        };
      case 'group':
      case 'notice':
        return { sender: null, time: parts.time, type: 'system', text: content };
      case 'poll':
        return { ...base, type: 'poll', text: content, ...reactions };
      case 'location':
        if (!attachments.some((attachment) => attachment.type === 'location'))
          attachments.push({ type: 'location' });
        return { ...base, type: 'location', text: '', attachments, ...reactions };
      default: {
        const type = PLACEHOLDER_ATTACHMENT[system.kind];
        if (type && attachments.length === 0) attachments.push({ type });
        content = '';
      }
    }
  }
  if (location) return { ...base, type: 'location', text: '', attachments, ...reactions };
  const media = attachments.some((attachment) => attachment.type !== 'link');
  const typed = content.trim() !== '';
  if (!media && typed) {
    // Typed words, perhaps with a pasted link (the share only adds it as an attachment).
    const links = attachments.length > 0 ? { attachments } : {};
    return { ...base, type: 'text', text: content, ...links, ...reactions };
  }
  if (attachments.length === 0) {
    // Nothing left: an "unavailable" message (only sender, time and flags), or a placeholder.
    return { ...base, type: system ? 'media' : 'deleted', text: '', ...reactions };
  }
  const type = attachments.every((attachment) => attachment.type === 'sticker')
    ? 'sticker'
    : 'media';
  // A caption typed with a photo stays as the media message's text.
  return { ...base, type, text: typed ? content : '', attachments, ...reactions };
}
