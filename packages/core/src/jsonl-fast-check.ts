import {
  ATTACHMENT_TYPES,
  type Conversation,
  CONVERSATION_SCHEMA_ID,
  MESSAGE_TYPES,
  PLATFORMS,
} from './conversation.js';

// A hand-written check of the common case of a Conversation JSONL line, many times faster than
// the schema. It answers true only for a value that ConversationSchema accepts unchanged: every
// object has only known keys, in the schema's order (the order the schema writes them back in),
// so the parsed value itself is what the schema would return. Anything else — a problem, or
// merely keys in another order — answers false, and the schema decides and words the error.

const PLATFORM_SET: ReadonlySet<string> = new Set(PLATFORMS);
const MESSAGE_TYPE_SET: ReadonlySet<string> = new Set(MESSAGE_TYPES);
const ATTACHMENT_TYPE_SET: ReadonlySet<string> = new Set(ATTACHMENT_TYPES);
const KINDS: ReadonlySet<string> = new Set(['direct', 'group', 'posts']);

interface Shape {
  keys: readonly string[];
  required: readonly boolean[];
}

function shape(keys: readonly string[], optional: readonly string[] = []): Shape {
  return { keys, required: keys.map((key) => !optional.includes(key)) };
}

const CONVERSATION = shape([
  'schema',
  'id',
  'platform',
  'kind',
  'title',
  'participants',
  'messages',
  'source',
]);
const PARTICIPANT = shape(['id', 'name', 'handles', 'self'], ['handles']);
const MESSAGE = shape(
  ['id', 'senderId', 'time', 'type', 'text', 'attachments', 'reactions', 'replyTo', 'edited'],
  ['attachments', 'reactions', 'replyTo', 'edited'],
);
const ATTACHMENT = shape(['type', 'name', 'uri'], ['name', 'uri']);
const REACTION = shape(['emoji', 'senderId']);
const SOURCE = shape(['format', 'file']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only the shape's keys, every required one, in the shape's order. */
function hasKeysInOrder(value: Record<string, unknown>, { keys, required }: Shape): boolean {
  let next = 0;
  for (const key in value) {
    while (next < keys.length && keys[next] !== key) {
      if (required[next]) return false;
      next += 1;
    }
    if (next === keys.length) return false;
    next += 1;
  }
  for (; next < keys.length; next += 1) if (required[next]) return false;
  return true;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Characters that NFC never changes, in any string: everything below the combining marks
 * (U+0300), general punctuation (curly quotes, dashes, the ellipsis), the zero-width joiner and
 * the emoji variation selector, and the emoji planes U+1F000–U+1FBFF (high surrogates D83C–D83E
 * before a low one). The pattern finds the first character outside them, or a lone surrogate:
 * one scan by the regular expression engine, much faster than a loop or `normalize` on every
 * message.
 */
const MAY_CHANGE_UNDER_NFC =
  /[^\u0000-\u02ff\u200d\u2010-\u2027\u2030-\u205e\ufe0f\ud83c-\ud83e\udc00-\udfff]|[\ud83c-\ud83e](?![\udc00-\udfff])|(?<![\ud83c-\ud83e])[\udc00-\udfff]/;

function isNfcText(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  return !MAY_CHANGE_UNDER_NFC.test(value) || value.normalize('NFC') === value;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(value: string, start: number, count: number): number {
  let number = 0;
  for (let index = start; index < start + count; index += 1) {
    const digit = value.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/** `2023-12-30T21:15:00.000Z`, a real calendar time. */
function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 24) return false;
  if (
    value.charCodeAt(4) !== 45 ||
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(19) !== 46 ||
    value.charCodeAt(23) !== 90
  ) {
    return false;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 0 || digits(value, 20, 3) < 0) return false;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
    return false;
  return hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60;
}

function isParticipant(value: unknown): boolean {
  if (!isObject(value) || !hasKeysInOrder(value, PARTICIPANT)) return false;
  if (!isId(value.id) || !isNfcText(value.name) || typeof value.self !== 'boolean') return false;
  const handles = value.handles;
  if (handles === undefined) return true;
  if (!Array.isArray(handles)) return false;
  for (const handle of handles) if (!isId(handle)) return false;
  return true;
}

function isAttachment(value: unknown): boolean {
  return (
    isObject(value) &&
    hasKeysInOrder(value, ATTACHMENT) &&
    typeof value.type === 'string' &&
    ATTACHMENT_TYPE_SET.has(value.type) &&
    (value.name === undefined || typeof value.name === 'string') &&
    (value.uri === undefined || typeof value.uri === 'string')
  );
}

function isMessage(
  value: unknown,
  participants: ReadonlySet<string>,
): value is { id: string; time: string } {
  if (!isObject(value) || !hasKeysInOrder(value, MESSAGE)) return false;
  const { senderId, type } = value;
  if (!isId(value.id) || !isInstant(value.time) || !isNfcText(value.text)) return false;
  if (senderId !== null && !(isId(senderId) && participants.has(senderId))) return false;
  if (typeof type !== 'string' || !MESSAGE_TYPE_SET.has(type)) return false;
  if (value.replyTo !== undefined && !isId(value.replyTo)) return false;
  if (value.edited !== undefined && value.edited !== true) return false;
  const { attachments, reactions } = value;
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) return false;
    for (const attachment of attachments) if (!isAttachment(attachment)) return false;
  }
  if (reactions !== undefined) {
    if (!Array.isArray(reactions)) return false;
    for (const reaction of reactions) {
      if (!isObject(reaction) || !hasKeysInOrder(reaction, REACTION)) return false;
      if (!isId(reaction.emoji) || !isId(reaction.senderId)) return false;
      if (!participants.has(reaction.senderId)) return false;
    }
  }
  return true;
}

/**
 * True when ConversationSchema would accept the value and return it unchanged (so that the value
 * can stand for the schema's output). False says nothing: the schema has to look.
 */
export function isPlainValidConversation(value: unknown): value is Conversation {
  if (!isObject(value) || !hasKeysInOrder(value, CONVERSATION)) return false;
  const { participants, messages, source } = value;
  if (value.schema !== CONVERSATION_SCHEMA_ID || !isId(value.id)) return false;
  if (typeof value.platform !== 'string' || !PLATFORM_SET.has(value.platform)) return false;
  if (typeof value.kind !== 'string' || !KINDS.has(value.kind)) return false;
  if (value.title !== null && typeof value.title !== 'string') return false;
  if (!isObject(source) || !hasKeysInOrder(source, SOURCE)) return false;
  if (!isId(source.format) || typeof source.file !== 'string') return false;
  if (!Array.isArray(participants) || !Array.isArray(messages)) return false;
  const participantIds = new Set<string>();
  let selves = 0;
  for (const participant of participants) {
    if (!isParticipant(participant)) return false;
    const { id, self } = participant as { id: string; self: boolean };
    if (participantIds.has(id)) return false;
    participantIds.add(id);
    if (self) selves += 1;
  }
  if (selves > 1) return false;
  const messageIds = new Set<string>();
  let previous = '';
  for (const message of messages) {
    if (!isMessage(message, participantIds)) return false;
    if (messageIds.has(message.id)) return false;
    messageIds.add(message.id);
    // ISO strings of one fixed shape compare in time order.
    if (message.time < previous) return false;
    previous = message.time;
  }
  return true;
}
