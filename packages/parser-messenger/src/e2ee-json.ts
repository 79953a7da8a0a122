import type { DraftMessage, DraftPage } from './draft.js';
import { list, millis, nameText, participantNames, reactionsOf, record, text } from './fields.js';
import {
  attachmentTypeOf,
  fileAttachment,
  typeMessage,
  type MessageParts,
} from './message-kind.js';
import { createPersonCheck } from './people.js';

/** True when a parsed JSON value has the shape of an E2EE download thread (camelCase). */
export function isE2eeThread(value: unknown): boolean {
  const root = record(value);
  if (!root || !Array.isArray(root.messages)) return false;
  const participants = list(root.participants);
  return (
    typeof root.threadName === 'string' ||
    (participants.length > 0 && participants.every((item) => typeof item === 'string'))
  );
}

/** What the E2EE download writes where a media file could not be saved. */
const FAILED_MEDIA = /^Failed to download media$/i;

/**
 * Reads one thread of the E2EE "secure storage" download (`<Name>_<N>.json`: `participants` as
 * strings, `threadName`, messages with `senderName`, `text`, `timestamp`, `media`, `isUnsent`).
 * The download is clean UTF-8; the guarded repair leaves such text as it is.
 */
export function readE2eePage(value: unknown): DraftPage | string {
  const root = record(value);
  if (!root || !Array.isArray(root.messages)) return 'expected a JSON object with "messages"';
  const participants = participantNames(root.participants);
  const page: DraftPage = {
    title: text(root.threadName) || null,
    participants,
    group: participants.length > 2,
    messages: [],
    skipped: 0,
  };
  const senders = new Set(participants);
  for (const item of root.messages) {
    const name = nameText(record(item)?.senderName);
    if (name) senders.add(name);
  }
  const isPerson = createPersonCheck(senders);
  for (const item of root.messages) {
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
  const time = millis(message?.timestamp);
  if (!message || time === undefined) return undefined;
  const attachments = list(message.media).flatMap((item) => {
    const uri = text(record(item)?.uri);
    if (FAILED_MEDIA.test(uri)) return [{ type: 'file' as const }];
    return uri ? [fileAttachment(attachmentTypeOf(uri), uri)] : [];
  });
  const parts: MessageParts = {
    sender: nameText(message.senderName) || null,
    time,
    content: text(message.text),
    attachments,
    reactions: reactionsOf(message.reactions),
  };
  if (message.isUnsent === true) parts.unsent = true;
  if (
    message.type === 'placeholder' &&
    /unsent|zurückgenommen|retiré|anul|cancel|annullat/i.test(parts.content)
  )
    parts.unsent = true;
  return typeMessage(parts, isPerson);
}
