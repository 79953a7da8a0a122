import {
  CONVERSATION_SCHEMA_ID,
  normalizeText,
  sortMessages,
  type Attachment,
  type AttachmentType,
  type Conversation,
  type Message,
  type MessageType,
  type Participant,
  type ParseEvent,
  type ParseWarning,
} from '@alterego/core';
import { appleTimeSql } from './apple-time.js';
import { decodeAttributedBody } from './attributed-body.js';
import type { ContactBook } from './contacts.js';
import type { Database, Schema } from './database.js';
import { normalizeHandle } from './handles.js';
import { associatedGuid, classifyAssociation, tapbackEmoji } from './tapbacks.js';

export const FORMAT = 'imessage';

/** The participant id of the person whose database it is. */
export const SELF_ID = 'me';

const URL_BALLOON = 'com.apple.messages.URLBalloonProvider';

export interface ChatDbContext {
  /** How to name the database in warnings. */
  file: string;
  /** `source.file` of the conversations. */
  sourceFile: string;
  contacts: ContactBook | undefined;
  /** The owner's name, from `--me`. */
  selfName: string;
  signal: AbortSignal | undefined;
}

/** One row of the message query, as an array (better-sqlite3's raw mode, the fastest). */
type Row = unknown[];

/** Where each column sits in a row of the message query. */
const COLUMN = {
  chat_id: 0,
  rowid: 1,
  guid: 2,
  text: 3,
  body: 4,
  handle_id: 5,
  is_from_me: 6,
  time: 7,
  item_type: 8,
  group_action_type: 9,
  other_handle: 10,
  group_title: 11,
  assoc_guid: 12,
  assoc_type: 13,
  assoc_emoji: 14,
  thread_guid: 15,
  edited: 16,
  retracted: 17,
  balloon: 18,
  share_status: 19,
} as const;

/** One attachment row, joined to the message it belongs to. */
interface AttachmentRow {
  message_id: number;
  filename: string | null;
  mime: string | null;
  uti: string | null;
  name: string | null;
  sticker: number | null;
}

/** A column of `table` if the database has it, otherwise `fallback`: older macOS versions lack many. */
function column(
  schema: Schema,
  table: string,
  alias: string,
  name: string,
  as: string,
  fallback = 'NULL',
): string {
  return schema.get(table)?.has(name) ? `${alias}.${name} AS ${as}` : `${fallback} AS ${as}`;
}

/** Builds the message query from the columns this database has. */
export function messageQuery(schema: Schema): string {
  const has = (table: string, name: string) => schema.get(table)?.has(name) ?? false;
  const m = (name: string, as = name) => column(schema, 'message', 'm', name, as);
  const flag = (name: string) =>
    has('message', name) ? `(m.${name} IS NOT NULL AND m.${name} != 0)` : '0';
  const select = [
    'c.chat_id AS chat_id',
    'm.ROWID AS rowid',
    'm.guid AS guid',
    'm.text AS text',
    m('attributedBody', 'body'),
    'm.handle_id AS handle_id',
    'm.is_from_me AS is_from_me',
    `${appleTimeSql('m.date')} AS time`,
    m('item_type'),
    m('group_action_type'),
    m('other_handle'),
    m('group_title'),
    m('associated_message_guid', 'assoc_guid'),
    m('associated_message_type', 'assoc_type'),
    m('associated_message_emoji', 'assoc_emoji'),
    m('thread_originator_guid', 'thread_guid'),
    `${flag('date_edited')} AS edited`,
    `${flag('date_retracted')} AS retracted`,
    m('balloon_bundle_id', 'balloon'),
    m('share_status'),
  ];
  return `SELECT ${select.join(', ')}
    FROM chat_message_join AS c
    JOIN message AS m ON m.ROWID = c.message_id
    ORDER BY c.chat_id, c.message_id`;
}

/** The attachment query, or undefined for a database without attachment tables. */
export function attachmentQuery(schema: Schema): string | undefined {
  if (!schema.has('attachment') || !schema.has('message_attachment_join')) return undefined;
  const a = (name: string, as: string) => column(schema, 'attachment', 'a', name, as);
  return `SELECT j.message_id AS message_id, ${a('filename', 'filename')}, ${a('mime_type', 'mime')},
      ${a('uti', 'uti')}, ${a('transfer_name', 'name')}, ${a('is_sticker', 'sticker')}
    FROM message_attachment_join AS j
    JOIN attachment AS a ON a.ROWID = j.attachment_id
    ORDER BY j.message_id, j.attachment_id`;
}

/** The attachment type for a MIME type (or UTI when there is none). */
export function attachmentType(
  mime: string | null,
  uti: string | null,
  sticker: boolean,
): AttachmentType {
  if (sticker) return 'sticker';
  const type = (mime ?? '').toLowerCase();
  if (type === 'image/gif' || uti === 'com.compuserve.gif') return 'gif';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (type === 'text/vcard' || type === 'text/x-vcard' || uti === 'public.vcard') return 'contact';
  if (!type && uti) {
    if (/^public\.(?:jpeg|png|heic|heif|tiff|image)$/.test(uti)) return 'image';
    if (/^(?:public\.(?:mpeg-4|movie|video)|com\.apple\.quicktime-movie)$/.test(uti))
      return 'video';
    if (/^(?:public\.(?:audio|mp3|mpeg-4-audio)|com\.apple\.coreaudio-format)$/.test(uti)) {
      return 'audio';
    }
  }
  return 'file';
}

function fileName(path: string | null): string | undefined {
  if (!path) return undefined;
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

/** A message being collected for one chat, with what is needed to finish it. */
interface Pending {
  message: Message;
  fromMe: boolean;
  handleId: number;
  threadGuid: string | null;
  /** For tapback rows: the target guid, whether added, and the emoji. */
  tapback?: { target: string; added: boolean; emoji: string | undefined; code: number };
  retracted: boolean;
  edited: boolean;
}

interface ChatRow {
  rowid: number;
  guid: string;
  style: number | null;
  chat_identifier: string | null;
  display_name: string | null;
}

/** Removes the object-replacement characters that stand for attachments, and app placeholders. */
export function cleanText(text: string, appBalloon: boolean): string {
  let out = text.includes('\uFFFC') ? text.replace(/\uFFFC/g, '') : text;
  if (appBalloon && out.includes('\uFFFD')) out = out.replace(/\uFFFD/g, '');
  if (out.trim() === '') return '';
  return normalizeText(out);
}

/**
 * Reads every chat of an open Messages database as conversations, one chat at a time, in
 * the database's chat order. Rows that cannot be read are warnings.
 */
export function* readChatDatabase(
  db: Database,
  schema: Schema,
  context: ChatDbContext,
): Generator<ParseEvent> {
  const handles = new Map<number, string>();
  for (const row of db.prepare('SELECT ROWID AS rowid, id FROM handle').all() as {
    rowid: number;
    id: string | null;
  }[]) {
    if (row.id) handles.set(row.rowid, normalizeHandle(row.id));
  }
  const members = new Map<number, number[]>();
  for (const row of db
    .prepare('SELECT chat_id, handle_id FROM chat_handle_join ORDER BY rowid')
    .all() as { chat_id: number; handle_id: number }[]) {
    const list = members.get(row.chat_id) ?? [];
    list.push(row.handle_id);
    members.set(row.chat_id, list);
  }
  const chatColumns = schema.get('chat')!;
  const chats = new Map<number, ChatRow>();
  for (const row of db
    .prepare(
      `SELECT ROWID AS rowid, guid, ${chatColumns.has('style') ? 'style' : 'NULL AS style'}, ${
        chatColumns.has('chat_identifier') ? 'chat_identifier' : 'NULL AS chat_identifier'
      }, ${chatColumns.has('display_name') ? 'display_name' : 'NULL AS display_name'} FROM chat`,
    )
    .all() as ChatRow[]) {
    chats.set(row.rowid, row);
  }

  const warnings: ParseWarning[] = [];
  const warn = (ruleId: string, reason: string, skipped = true) =>
    warnings.push({
      file: context.file,
      ruleId: `${FORMAT}:${ruleId}`,
      reason,
      source: FORMAT,
      skipped,
    });

  // Attachment rows are few beside messages: read them first, so one query streams the messages.
  const attachments = new Map<number, Attachment[]>();
  const attachmentSql = attachmentQuery(schema);
  if (attachmentSql) {
    for (const row of db.prepare(attachmentSql).iterate() as IterableIterator<AttachmentRow>) {
      const list = attachments.get(row.message_id);
      if (list) list.push(toAttachment(row));
      else attachments.set(row.message_id, [toAttachment(row)]);
    }
  }
  const statement = db.prepare(messageQuery(schema)).raw(true);
  let chatId = -1;
  let pending: Pending[] = [];

  const finish = (): Conversation | undefined => {
    const chat = chats.get(chatId);
    const result = chat
      ? buildConversation(chat, pending, members.get(chatId) ?? [], handles, context)
      : undefined;
    pending = [];
    return result;
  };

  for (const row of statement.iterate() as IterableIterator<Row>) {
    const rowChat = row[COLUMN.chat_id] as number;
    if (rowChat !== chatId) {
      if (chatId !== -1) {
        for (const warning of warnings.splice(0)) yield { type: 'warning', warning };
        const conversation = finish();
        if (conversation) yield { type: 'conversation', conversation };
        if (context.signal?.aborted) return;
      }
      chatId = rowChat;
    }
    let last: Pending | undefined;
    try {
      last = readRow(row, attachments, warn);
    } catch (error) {
      warn(
        'bad-row',
        `message ${row[COLUMN.guid] as string} (ROWID ${row[COLUMN.rowid] as number}) could not be read (${(error as Error).message}); skipped`,
      );
    }
    if (last) pending.push(last);
  }
  if (chatId !== -1) {
    for (const warning of warnings.splice(0)) yield { type: 'warning', warning };
    const conversation = finish();
    if (conversation) yield { type: 'conversation', conversation };
  }
  for (const warning of warnings.splice(0)) yield { type: 'warning', warning };

  const orphans = db
    .prepare(
      'SELECT COUNT(*) FROM message AS m LEFT JOIN chat_message_join AS c ON c.message_id = m.ROWID WHERE c.message_id IS NULL',
    )
    .pluck()
    .get() as number;
  if (orphans > 0) {
    yield {
      type: 'warning',
      warning: {
        file: context.file,
        ruleId: `${FORMAT}:no-chat`,
        reason: `${orphans} message${orphans === 1 ? ' belongs' : 's belong'} to no chat (Messages keeps such rows after a chat is deleted); skipped`,
        source: FORMAT,
        skipped: true,
      },
    };
  }
}

function toAttachment(row: AttachmentRow): Attachment {
  const attachment: Attachment = {
    type: attachmentType(row.mime, row.uti, row.sticker === 1),
  };
  const name = row.name || fileName(row.filename);
  if (name) attachment.name = normalizeText(name);
  if (row.filename) attachment.uri = row.filename;
  return attachment;
}

/** Reads one row into a message (not yet typed by content), or undefined for rows to skip. */
function readRow(
  row: Row,
  attachments: ReadonlyMap<number, Attachment[]>,
  warn: (ruleId: string, reason: string) => void,
): Pending | undefined {
  const guid = row[COLUMN.guid] as string;
  const time = row[COLUMN.time] as number | null;
  const body = row[COLUMN.body] as Buffer | null;
  const balloon = row[COLUMN.balloon] as string | null;
  const assocGuid = row[COLUMN.assoc_guid] as string | null;
  const place = (): string => `message ${guid} (ROWID ${row[COLUMN.rowid] as number})`;
  if (time === null) {
    warn('bad-date', `${place()} has no date; skipped`);
    return undefined;
  }
  const date = new Date(time);
  if (Number.isNaN(date.getTime()) || time < 0) {
    warn('bad-date', `${place()} has a date out of range; skipped`);
    return undefined;
  }
  const fromMe = (row[COLUMN.is_from_me] as number | null) === 1;
  let text = (row[COLUMN.text] as string | null) ?? '';
  if (text === '' && body !== null && body.length > 0) {
    try {
      text = decodeAttributedBody(body).text;
    } catch (error) {
      warn(
        'bad-attributed-body',
        `${place()}: its attributedBody is not a readable typedstream (${(error as Error).message}); skipped`,
      );
      return undefined;
    }
  }
  const message: Message = {
    id: guid,
    senderId: null,
    time: date.toISOString(),
    type: 'text',
    text: cleanText(text, balloon !== null && balloon !== URL_BALLOON),
  };
  const item: Pending = {
    message,
    fromMe,
    handleId: (row[COLUMN.handle_id] as number | null) ?? 0,
    threadGuid: row[COLUMN.thread_guid] as string | null,
    retracted: (row[COLUMN.retracted] as number | null) === 1,
    edited: (row[COLUMN.edited] as number | null) === 1,
  };
  const association = classifyAssociation(row[COLUMN.assoc_type] as number | null);
  if (association.kind === 'tapback') {
    if (!assocGuid) return undefined;
    item.tapback = {
      target: associatedGuid(assocGuid),
      added: association.added,
      code: association.code,
      emoji: tapbackEmoji(association.code, row[COLUMN.assoc_emoji] as string | null),
    };
    return item;
  }
  if (association.kind === 'sticker') {
    message.type = 'sticker';
    if (assocGuid) item.threadGuid = associatedGuid(assocGuid);
  }
  const itemType = (row[COLUMN.item_type] as number | null) ?? 0;
  if (itemType !== 0) {
    message.type = 'system';
    message.text = '';
    (item as Pending & { event: EventRow }).event = {
      itemType,
      action: (row[COLUMN.group_action_type] as number | null) ?? 0,
      other: (row[COLUMN.other_handle] as number | null) ?? 0,
      title: row[COLUMN.group_title] as string | null,
      share: (row[COLUMN.share_status] as number | null) ?? 0,
    };
  } else if (balloon === URL_BALLOON && /^https?:\/\/\S+$/.test(message.text)) {
    message.attachments = [{ type: 'link', uri: message.text }];
  } else if (balloon !== null && balloon !== URL_BALLOON && message.text === '') {
    message.type = 'media';
  }
  const own = attachments.get(row[COLUMN.rowid] as number);
  if (own) message.attachments = own.map((attachment) => ({ ...attachment }));
  return item;
}

interface EventRow {
  itemType: number;
  action: number;
  other: number;
  title: string | null;
  share: number;
}

/** A sentence for a group event or other non-message row. */
function describeEvent(event: EventRow, actor: string, other: string | undefined): string {
  switch (event.itemType) {
    case 1:
      if (other === undefined) break;
      return event.action === 1
        ? `${actor} removed ${other} from the conversation.`
        : `${actor} added ${other} to the conversation.`;
    case 2:
      return event.title
        ? `${actor} renamed the conversation to ${event.title}.`
        : `${actor} removed the conversation name.`;
    case 3:
      if (event.action === 0) return `${actor} left the conversation.`;
      if (event.action === 1) return `${actor} changed the group photo.`;
      if (event.action === 2) return `${actor} removed the group photo.`;
      if (event.action === 4) return `${actor} changed the chat background.`;
      if (event.action === 6) return `${actor} removed the chat background.`;
      break;
    case 4:
      return event.share === 1
        ? `${actor} stopped sharing location.`
        : `${actor} started sharing location.`;
    case 5:
      return `${actor} kept an audio message.`;
    case 6:
      return `${actor} started a FaceTime call.`;
  }
  return `${actor} changed the conversation.`;
}

function buildConversation(
  chat: ChatRow,
  items: Pending[],
  memberHandles: number[],
  handles: ReadonlyMap<number, string>,
  context: ChatDbContext,
): Conversation | undefined {
  const participants: Participant[] = [{ id: SELF_ID, name: context.selfName, self: true }];
  const byHandle = new Map<number, string>();
  const nameOf = (id: string) => participants.find((participant) => participant.id === id)?.name;
  const participantFor = (handleId: number): string | undefined => {
    const known = byHandle.get(handleId);
    if (known) return known;
    const handle = handles.get(handleId);
    if (!handle) return undefined;
    byHandle.set(handleId, handle);
    if (!participants.some((participant) => participant.id === handle)) {
      const name = normalizeText(context.contacts?.nameFor(handle) ?? handle);
      participants.push({ id: handle, name, handles: [handle], self: false });
    }
    return handle;
  };
  for (const handleId of memberHandles) participantFor(handleId);

  const messages: Message[] = [];
  const byGuid = new Map<string, Message>();
  const reactions = new Map<string, Map<string, { emoji: string; code: number }>>();
  for (const item of items) {
    const sender = item.fromMe ? SELF_ID : participantFor(item.handleId);
    if (item.tapback) {
      if (!sender) continue;
      const { target, added, emoji, code } = item.tapback;
      let onTarget = reactions.get(target);
      if (added) {
        if (!emoji) continue;
        if (!onTarget) reactions.set(target, (onTarget = new Map()));
        onTarget.set(sender, { emoji, code });
      } else if (onTarget?.get(sender)?.code === code || (code === 6 && onTarget?.has(sender))) {
        onTarget!.delete(sender);
      }
      continue;
    }
    const message = item.message;
    const event = (item as Pending & { event?: EventRow }).event;
    if (event) {
      const actor = item.fromMe ? 'You' : sender ? (nameOf(sender) ?? sender) : 'Someone';
      const otherId = event.other ? participantFor(event.other) : undefined;
      const other = otherId ? nameOf(otherId) : undefined;
      message.text = normalizeText(describeEvent(event, actor, other));
      messages.push(message);
      byGuid.set(message.id, message);
      continue;
    }
    message.senderId = sender ?? null;
    if (message.senderId === null) {
      // A message from a handle the database no longer has: keep it as the chat's.
      message.senderId = participantFor(memberHandles[0] ?? -1) ?? null;
      if (message.senderId === null) continue;
    }
    const hasAttachments = (message.attachments?.length ?? 0) > 0;
    if (item.retracted || (item.edited && message.text === '' && !hasAttachments)) {
      message.type = 'deleted';
      message.text = '';
      delete message.attachments;
    } else {
      if (item.edited) message.edited = true;
      if (message.type === 'text' && message.text === '') {
        if (!hasAttachments) continue;
        message.type = mediaType(message.attachments!);
      }
    }
    messages.push(message);
    byGuid.set(message.id, message);
  }
  for (const item of items) {
    if (item.threadGuid && !item.tapback && byGuid.has(item.message.id)) {
      const target = byGuid.get(item.threadGuid);
      if (target && target !== item.message) item.message.replyTo = target.id;
    }
  }
  for (const [target, bySender] of reactions) {
    const message = byGuid.get(target);
    if (!message || bySender.size === 0) continue;
    message.reactions = [...bySender].map(([senderId, { emoji }]) => ({ emoji, senderId }));
  }
  if (messages.length === 0) return undefined;
  sortMessages(messages);

  const others = participants.filter((participant) => !participant.self);
  const group = chat.style === 43 || (chat.style !== 45 && others.length > 1);
  const displayName = chat.display_name?.trim();
  const title = displayName
    ? normalizeText(displayName)
    : group
      ? others.map((participant) => participant.name).join(', ') || null
      : (others[0]?.name ?? chat.chat_identifier ?? null);
  return {
    schema: CONVERSATION_SCHEMA_ID,
    id: `imessage:${chat.guid}`,
    platform: 'imessage',
    kind: group ? 'group' : 'direct',
    title,
    participants,
    messages,
    source: { format: FORMAT, file: context.sourceFile },
  };
}

function mediaType(attachments: readonly Attachment[]): MessageType {
  if (attachments.every((attachment) => attachment.type === 'sticker')) return 'sticker';
  if (attachments.every((attachment) => attachment.type === 'contact')) return 'contact';
  return 'media';
}
