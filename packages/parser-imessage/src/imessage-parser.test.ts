import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createParserRegistry,
  openInput,
  ParseError,
  UnsupportedFormatError,
} from '@alterego/core';
import {
  createZip,
  describeParserConformance,
  messageById,
  parsePath,
  useTempFolders,
} from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { encodeAttributedBody } from './__fixtures__/attributed-body-writer.js';
import { appleNanos, ChatDbBuilder } from './__fixtures__/chat-db.js';
import { buildOldDb, buildRecentDb } from './__fixtures__/sample-db.js';
import { createContactBook } from './contacts.js';
import { createIMessageParser, imessage } from './imessage-parser.js';

const { dir } = useTempFolders('alterego-imessage-');

function parse(path: string, parser = imessage, me?: string[]) {
  return parsePath(parser, path, { me });
}

describeParserConformance({
  parser: imessage,
  fixtures: [
    { name: 'recent macOS chat.db', input: () => buildRecentDb(dir()) },
    { name: 'El Capitan chat.db (seconds, fewer columns)', input: () => buildOldDb(dir()) },
    {
      name: 'chat.db inside a zip',
      input: () => {
        const folder = dir();
        const zip = join(folder, 'messages.zip');
        writeFileSync(zip, createZip({ 'Messages/chat.db': readFileSync(buildRecentDb(dir())) }));
        return zip;
      },
    },
  ],
});

describe('recent chat.db', () => {
  it('reads direct and group chats with their people', async () => {
    const { conversations, warnings } = await parse(buildRecentDb(dir()), imessage, ['Sam Rivera']);
    expect(warnings).toEqual([]);
    expect(
      conversations.map((conversation) => [conversation.id, conversation.kind, conversation.title]),
    ).toEqual([
      ['imessage:iMessage;-;+15550101234', 'direct', '+15550101234'],
      ['imessage:iMessage;+;chat100200300', 'group', 'Climbing 🧗'],
    ]);
    expect(conversations[1]!.participants).toEqual([
      { id: 'me', name: 'Sam Rivera', self: true },
      { id: '+15550101234', name: '+15550101234', handles: ['+15550101234'], self: false },
      {
        id: 'priya.nair@example.com',
        name: 'priya.nair@example.com',
        handles: ['priya.nair@example.com'],
        self: false,
      },
      { id: '+447700900123', name: '+447700900123', handles: ['+447700900123'], self: false },
    ]);
    expect(conversations[0]!.source).toEqual({ format: 'imessage', file: 'chat.db' });
  });

  it('takes text from attributedBody when text is empty, and the sender from is_from_me', async () => {
    const [direct] = (await parse(buildRecentDb(dir()))).conversations;
    expect(messageById(direct!, 'D1')).toMatchObject({
      senderId: '+15550101234',
      type: 'text',
      text: 'hey, dinner tonight?',
      time: '2024-03-01T18:00:00.000Z',
    });
    expect(messageById(direct!, 'D2')).toMatchObject({
      senderId: 'me',
      type: 'text',
      text: 'sure — café at 8? 😊',
    });
  });

  it('folds tapbacks and their removals into the target, never as messages', async () => {
    const [direct, group] = (await parse(buildRecentDb(dir()))).conversations;
    const ids = direct!.messages.map((message) => message.id);
    expect(ids).not.toContain('D3');
    expect(ids).not.toContain('D6');
    expect(ids).not.toContain('D7');
    expect(ids).not.toContain('D11');
    expect(messageById(direct!, 'D2').reactions).toEqual([
      { emoji: '❤️', senderId: '+15550101234' },
    ]);
    // Liked, then the like removed.
    expect(messageById(direct!, 'D4').reactions).toBeUndefined();
    // A custom emoji tapback.
    expect(messageById(direct!, 'D9').reactions).toEqual([
      { emoji: '🎉', senderId: '+15550101234' },
    ]);
    expect(messageById(group!, 'G3').reactions).toEqual([{ emoji: '‼️', senderId: 'me' }]);
  });

  it('types attachments from their MIME type, with their names, and removes U+FFFC', async () => {
    const [direct, group] = (await parse(buildRecentDb(dir()))).conversations;
    expect(messageById(direct!, 'D4')).toMatchObject({
      type: 'media',
      text: '',
      attachments: [
        {
          type: 'image',
          name: 'IMG_1234.HEIC',
          uri: '~/Library/Messages/Attachments/ab/11/X/IMG_1234.HEIC',
        },
      ],
    });
    expect(messageById(direct!, 'D5')).toMatchObject({
      type: 'text',
      text: 'look at this',
      attachments: [
        { type: 'video', name: 'clip.mov' },
        { type: 'audio', name: 'Audio Message.caf' },
      ],
    });
    expect(messageById(group!, 'G8')).toMatchObject({
      type: 'sticker',
      attachments: [{ type: 'sticker', name: 'sticker.heic' }],
    });
    expect(messageById(group!, 'G7')).toMatchObject({
      type: 'text',
      text: 'https://example.com/route',
      attachments: [{ type: 'link', uri: 'https://example.com/route' }],
    });
  });

  it('marks replies, edits and unsent messages', async () => {
    const [direct] = (await parse(buildRecentDb(dir()))).conversations;
    expect(messageById(direct!, 'D8').replyTo).toBe('D2');
    expect(messageById(direct!, 'D9')).toMatchObject({
      text: 'running 10 min late',
      edited: true,
      type: 'text',
    });
    expect(messageById(direct!, 'D10')).toMatchObject({ type: 'deleted', text: '' });
  });

  it('types group events as system lines', async () => {
    const [, group] = (await parse(buildRecentDb(dir()), imessage, ['Sam'])).conversations;
    expect(messageById(group!, 'G1')).toMatchObject({
      type: 'system',
      senderId: null,
      text: 'You renamed the conversation to Climbing 🧗.',
    });
    expect(messageById(group!, 'G2')).toMatchObject({
      type: 'system',
      text: 'You added +447700900123 to the conversation.',
    });
    expect(messageById(group!, 'G6')).toMatchObject({
      type: 'system',
      text: '+447700900123 left the conversation.',
    });
  });

  it('names people from a contact book', async () => {
    const parser = createIMessageParser({
      contacts: createContactBook([
        { name: 'Alex Chen', handles: ['(555) 010-1234'] },
        { name: 'Priya Nair', handles: ['priya.nair@example.com'] },
      ]),
    });
    const [direct, group] = (await parse(buildRecentDb(dir()), parser)).conversations;
    expect(direct!.title).toBe('Alex Chen');
    expect(group!.participants.map((participant) => participant.name)).toEqual([
      'Me',
      'Alex Chen',
      'Priya Nair',
      '+447700900123',
    ]);
    expect(messageById(group!, 'G2').text).toBe('You added +447700900123 to the conversation.');
  });
});

describe('old chat.db', () => {
  it('reads dates in seconds and works without the newer columns', async () => {
    const { conversations, warnings } = await parse(buildOldDb(dir()));
    expect(warnings).toEqual([]);
    expect(
      conversations[0]!.messages.map((message) => [message.id, message.time, message.type]),
    ).toEqual([
      ['O1', '2015-06-01T12:00:00.000Z', 'text'],
      ['O2', '2015-06-01T12:00:05.000Z', 'text'],
      ['O3', '2015-06-01T12:01:00.000Z', 'media'],
    ]);
    expect(conversations[0]!.messages[2]!.attachments).toEqual([
      {
        type: 'image',
        name: 'photo.jpg',
        uri: '/Users/sam/Library/Messages/Attachments/a/b/photo.jpg',
      },
    ]);
  });
});

describe('dates', () => {
  it('keeps nanosecond dates exact beyond what a JavaScript number holds', async () => {
    const path = join(dir(), 'chat.db');
    const db = new ChatDbBuilder(path);
    const h = db.handle('+15550100000');
    const chat = db.chat({
      guid: 'iMessage;-;+15550100000',
      style: 45,
      chatIdentifier: '+15550100000',
      handles: [h],
    });
    // 123.999999 ms past the second: as a double this rounds up to .124.
    const date = appleNanos('2024-01-01T00:00:00.000Z') + 123_999_999n;
    expect(Number(date) % 1_000_000_000).not.toBe(123_999_999);
    db.message(chat, { guid: 'X', text: 'exact', handle_id: h, is_from_me: 0, date });
    db.close();
    const [conversation] = (await parse(path)).conversations;
    expect(conversation!.messages[0]!.time).toBe('2024-01-01T00:00:00.123Z');
  });
});

describe('broken parts', () => {
  it('skips an undecodable attributedBody with a warning and keeps the rest', async () => {
    const path = join(dir(), 'chat.db');
    const db = new ChatDbBuilder(path);
    const h = db.handle('+15550100000');
    const chat = db.chat({
      guid: 'iMessage;-;+15550100000',
      style: 45,
      chatIdentifier: '+15550100000',
      handles: [h],
    });
    const good = encodeAttributedBody('fine');
    db.message(chat, {
      guid: 'A',
      text: null,
      attributedBody: good,
      handle_id: h,
      is_from_me: 0,
      date: appleNanos('2024-01-01T00:00:00.000Z'),
    });
    db.message(chat, {
      guid: 'B',
      text: null,
      attributedBody: good.subarray(0, 40),
      handle_id: h,
      is_from_me: 0,
      date: appleNanos('2024-01-01T00:01:00.000Z'),
    });
    db.message(0, {
      guid: 'C',
      text: 'orphan',
      handle_id: h,
      is_from_me: 0,
      date: appleNanos('2024-01-01T00:02:00.000Z'),
    });
    db.close();
    const { conversations, warnings } = await parse(path);
    expect(conversations[0]!.messages.map((message) => message.text)).toEqual(['fine']);
    expect(warnings).toEqual([
      expect.objectContaining({
        file: path,
        ruleId: 'imessage:bad-attributed-body',
        skipped: true,
        source: 'imessage',
      }),
      expect.objectContaining({
        ruleId: 'imessage:no-chat',
        reason: expect.stringMatching(/^1 message belongs to no chat/),
      }),
    ]);
    expect(warnings[0]!.reason).toMatch(/^message B \(ROWID 2\)/);
  });

  it('throws one clear ParseError for a SQLite file that is not the Messages database', async () => {
    const path = join(dir(), 'other.db');
    const db = new ChatDbBuilder(path);
    db.db.exec('DROP TABLE chat_handle_join; DROP TABLE handle');
    db.close();
    const error = await parse(path).catch((caught: unknown) => caught);
    expect(ParseError.isInstance(error)).toBe(true);
    expect((error as ParseError).message).toBe(
      `${path}: a SQLite database, but not the Messages database: it has no table handle, table chat_handle_join; expected the macOS Messages database (~/Library/Messages/chat.db) with its message, handle, chat, chat_message_join and chat_handle_join tables`,
    );
  });

  it('throws one clear ParseError for a corrupt database', async () => {
    const bytes = readFileSync(buildRecentDb(dir()));
    const path = join(dir(), 'chat.db');
    const corrupt = Buffer.from(bytes);
    corrupt.fill(0xa5, 100, 8192);
    writeFileSync(path, corrupt);
    const error = await parse(path).catch((caught: unknown) => caught);
    expect(ParseError.isInstance(error)).toBe(true);
    expect((error as ParseError).file).toBe(path);
    expect((error as ParseError).reason).toMatch(
      /^cannot read the database \(.+\); expected the macOS Messages database/,
    );
  });

  it('throws a ParseError for a file that is not SQLite, and detect passes it by', async () => {
    const path = join(dir(), 'chat.db');
    writeFileSync(path, 'hello');
    const error = await parse(path).catch((caught: unknown) => caught);
    expect((error as ParseError).reason).toMatch(/^not a SQLite database/);
    const input = await openInput(path);
    try {
      expect(await imessage.detect(input)).toBeUndefined();
      await expect(createParserRegistry([imessage]).match(input)).rejects.toSatisfy(
        UnsupportedFormatError.isInstance,
      );
    } finally {
      await input.close();
    }
  });
});

describe('read-only', () => {
  it('reads rows still in the WAL while another connection writes, changing no file', async () => {
    const folder = dir();
    const path = join(folder, 'chat.db');
    const db = new ChatDbBuilder(path);
    db.db.pragma('journal_mode = WAL');
    db.db.pragma('wal_autocheckpoint = 0');
    const h = db.handle('+15550100000');
    const chat = db.chat({
      guid: 'iMessage;-;+15550100000',
      style: 45,
      chatIdentifier: '+15550100000',
      handles: [h],
    });
    db.message(chat, {
      guid: 'W1',
      text: 'in the wal',
      handle_id: h,
      is_from_me: 0,
      date: appleNanos('2024-01-01T00:00:00.000Z'),
    });
    // The writer stays open, as Messages does while it runs.
    const before = ['chat.db', 'chat.db-wal'].map((name) => {
      const file = join(folder, name);
      return { bytes: readFileSync(file), mtime: statSync(file).mtimeMs };
    });
    expect(before[1]!.bytes.length).toBeGreaterThan(0);
    try {
      const { conversations } = await parse(path);
      expect(conversations[0]!.messages.map((message) => message.text)).toEqual(['in the wal']);
      ['chat.db', 'chat.db-wal'].forEach((name, index) => {
        const file = join(folder, name);
        expect(readFileSync(file).equals(before[index]!.bytes)).toBe(true);
        expect(statSync(file).mtimeMs).toBe(before[index]!.mtime);
      });
    } finally {
      db.close();
    }
  });
});
