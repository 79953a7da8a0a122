import type { Attachment } from '@alterego/core';
import type { DraftMessage, DraftPage } from './draft.js';
import { list, millis, nameText, participantNames, reactionsOf, record, text } from './fields.js';
import { fileAttachment, typeMessage, type MessageParts } from './message-kind.js';
import { createPersonCheck } from './people.js';

/** True when a parsed JSON value has the shape of a classic `message_N.json` page. */
export function isClassicPage(value: unknown): boolean {
  const root = record(value);
  return root !== undefined && Array.isArray(root.messages) && Array.isArray(root.participants);
}

/** Adds the attachments of a media list (`photos`, `videos`, ...) to `found`. */
function addUris(found: Attachment[], value: unknown, type: Attachment['type']): void {
  if (!Array.isArray(value)) return;
  for (const item of value) {
    const uri = record(item)?.uri;
    if (typeof uri !== 'string') continue;
    found.push(fileAttachment(type, text(uri)));
  }
}

/**
 * Reads one page of a classic Facebook or Instagram thread (`message_N.json`, snake_case), with
 * every string repaired. Returns a reason when the value is not a thread page at all.
 */
export function readClassicPage(value: unknown): DraftPage | string {
  const root = record(value);
  if (!root) return 'expected a JSON object with "participants" and "messages"';
  if (!Array.isArray(root.messages)) return 'expected a "messages" array';
  const participants = participantNames(root.participants);
  const threadPath = text(root.thread_path);
  const page: DraftPage = {
    title: text(root.title) || null,
    participants,
    group:
      root.thread_type === 'RegularGroup' ||
      record(root.image) !== undefined ||
      root.joinable_mode !== undefined ||
      participants.length > 2,
    messages: [],
    skipped: 0,
  };
  const folder = threadPath.split('/').filter(Boolean).pop();
  if (folder) page.threadFolder = folder;
  const items = root.messages;
  const isPerson = createPersonCheck(() => {
    const senders = new Set(participants);
    for (const item of items) {
      const name = nameText(record(item)?.sender_name);
      if (name) senders.add(name);
    }
    return senders;
  });
  for (const item of items) {
    const message = readMessage(item, isPerson);
    if (message) page.messages.push(message);
    else page.skipped += 1;
  }
  return page;
}

function readMessage(
  value: unknown,
  isPerson: (name: string) => boolean,
): DraftMessage | undefined {
  const message = record(value);
  const time = millis(message?.timestamp_ms);
  if (!message || time === undefined) return undefined;
  const attachments: Attachment[] = [];
  addUris(attachments, message.photos, 'image');
  addUris(attachments, message.videos, 'video');
  addUris(attachments, message.audio_files, 'audio');
  addUris(attachments, message.gifs, 'gif');
  addUris(attachments, message.files, 'file');
  const sticker = record(message.sticker);
  if (sticker) {
    const uri = typeof sticker.uri === 'string' ? text(sticker.uri) : '';
    attachments.push(fileAttachment('sticker', uri));
  }
  const parts: MessageParts = {
    sender: nameText(message.sender_name) || null,
    time,
    content: text(message.content),
    attachments,
    reactions: reactionsOf(message.reactions),
  };
  if (message.is_unsent === true || message.is_taken_down === true) parts.unsent = true;
  if (message.type === 'Call' || typeof message.call_duration === 'number') {
    const seconds = typeof message.call_duration === 'number' ? message.call_duration : undefined;
    parts.call = { ...(seconds !== undefined ? { seconds } : {}), missed: message.missed === true };
  }
  if (message.type === 'Subscribe' || message.type === 'Unsubscribe') {
    parts.membership = list(message.users)
      .map((user) => text(record(user)?.name))
      .filter(Boolean);
  }
  const share = record(message.share);
  if (share) {
    const link = text(share.link);
    const shareText = text(share.share_text);
    if (link || shareText)
      parts.share = { ...(link ? { link } : {}), ...(shareText ? { text: shareText } : {}) };
  }
  return typeMessage(parts, isPerson);
}
