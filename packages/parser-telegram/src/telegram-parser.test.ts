import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  collectParse,
  createConversationJsonlParser,
  createParserRegistry,
  openInput,
  ParseError,
  type ParseOptions,
} from '@alterego/core';
import {
  createZip,
  describeParserConformance,
  messageById,
  parsePath,
  runConformance,
  useTempFolders,
} from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { accountExport, json, personalChat } from './__fixtures__/exports.js';
import { createTelegramParser, telegram } from './telegram-parser.js';

const files = useTempFolders('alterego-telegram-').write;

function parse(path: string, options: ParseOptions = {}, parser = telegram) {
  return parsePath(parser, path, { timeZone: 'UTC', ...options });
}

const corpus = fileURLToPath(
  new URL('../../../../shared/corpus/chat-analytics/telegram/', import.meta.url),
);

describeParserConformance({
  parser: telegram,
  fixtures: [
    {
      name: 'one-to-one chat (result.json with media, reactions, poll, call)',
      input: () => join(files({ 'result.json': json(personalChat()) }), 'result.json'),
    },
    {
      name: 'whole-account export folder with media beside it',
      input: () =>
        files({
          'result.json': json(accountExport()),
          'chats/chat_001/photos/photo_1.jpg': new Uint8Array([0xff, 0xd8, 0xff]),
          'export_results.html': '<html></html>',
        }),
    },
    {
      name: 'whole-account export in a zip',
      input: () =>
        join(
          files({
            'Telegram Export.zip': createZip({ 'DataExport/result.json': json(accountExport()) }),
          }),
          'Telegram Export.zip',
        ),
    },
  ],
});

describe.skipIf(!existsSync(corpus))('Telegram corpus (chat-analytics samples)', () => {
  it('conforms on every sample', async () => {
    const results = await Promise.all(
      ['DM_2A_7M.json', 'BIG_20A_5475M.json'].map((name) =>
        runConformance(telegram, join(corpus, name), {
          parseOptions: { timeZone: 'UTC', me: ['Isabell5'] },
        }),
      ),
    );
    for (const result of results) {
      expect(result.detected).toBe(true);
      expect(result.problems).toEqual([]);
    }
  });

  it('reads the one-to-one sample: owner from the chat id, entity text, unixtime, call', async () => {
    const { conversations, warnings } = await parse(join(corpus, 'DM_2A_7M.json'));
    expect(warnings).toEqual([]);
    const [chat] = conversations;
    expect(chat).toMatchObject({
      id: 'telegram:700000000',
      kind: 'direct',
      title: 'Bob',
      participants: [
        { id: 'user700000000', name: 'Bob', self: false },
        { id: 'user300000000', name: 'Alice', self: true },
      ],
    });
    expect(chat!.messages).toHaveLength(8);
    expect(messageById(chat!, '3644')).toMatchObject({
      type: 'text',
      text: 'https://google.com 👀',
    });
    expect(messageById(chat!, '3672')).toMatchObject({
      type: 'media',
      attachments: [{ type: 'image' }],
    });
    expect(messageById(chat!, '3674')).toMatchObject({
      type: 'call',
      senderId: 'user300000000',
      time: '2023-08-11T02:11:02.000Z',
    });
    expect(messageById(chat!, '2675')).toMatchObject({
      type: 'system',
      senderId: null,
      text: 'Bob joined Telegram',
    });
  });

  it('reads all 5,475 messages of the big sample, with numeric sender ids and zoned dates', async () => {
    const { conversations } = await parse(join(corpus, 'BIG_20A_5475M.json'), { me: ['Isabell5'] });
    expect(conversations).toHaveLength(1);
    const [chat] = conversations;
    expect(chat!.messages).toHaveLength(5475);
    expect(chat!.kind).toBe('group');
    expect(chat!.participants).toHaveLength(20);
    expect(chat!.participants.filter((person) => person.self)).toEqual([
      { id: '2', name: 'Isabell5', self: true },
    ]);
    expect(chat!.messages[0]!.time).toBe('2017-01-01T06:20:09.248Z');
  });
});

describe('telegram parser', () => {
  it('converts a one-to-one chat, each kind of message typed for what it is', async () => {
    const path = join(files({ 'result.json': json(personalChat()) }), 'result.json');
    const { conversations, warnings } = await parse(path);
    expect(warnings).toEqual([]);
    const [chat] = conversations;
    expect(chat).toMatchObject({
      schema: 'alterego.conversation/1',
      id: 'telegram:222',
      platform: 'telegram',
      kind: 'direct',
      title: 'Alex Chen',
      participants: [
        { id: 'user222', name: 'Alex Chen', self: false },
        { id: 'user111', name: 'Sam Rivera', self: true },
      ],
      source: { format: 'telegram', file: 'result.json' },
    });
    expect(chat!.messages.map((message) => message.type)).toEqual([
      'system',
      'text',
      'text',
      'sticker',
      'media',
      'media',
      'media',
      'media',
      'media',
      'repost',
      'poll',
      'location',
      'contact',
      'call',
      'text',
    ]);
    expect(messageById(chat!, '3')).toEqual({
      id: '3',
      senderId: 'user222',
      time: '2024-03-01T10:01:00.000Z',
      type: 'text',
      text: 'sure, tomorrow at https://maps.example/cafe',
      replyTo: '2',
      edited: true,
      reactions: [{ emoji: '❤', senderId: 'user111' }],
    });
    expect(messageById(chat!, '5')).toMatchObject({
      text: 'the view from here',
      attachments: [{ type: 'image', uri: 'photos/photo_1@01-03-2024_12-03-20.jpg' }],
    });
    expect(messageById(chat!, '15').reactions).toEqual([
      { emoji: '👍', senderId: 'user111' },
      { emoji: '👍', senderId: 'user222' },
    ]);
  });

  it('reads the whole-account export: every chat, the owner from personal_information', async () => {
    const dir = files({ 'result.json': json(accountExport()) });
    const { conversations, warnings } = await parse(dir);
    expect(warnings).toEqual([]);
    expect(conversations.map((chat) => [chat.id, chat.kind, chat.title])).toEqual([
      ['telegram:222', 'direct', 'Alex Chen'],
      ['telegram:9001', 'group', 'Weekend Crew'],
      ['telegram:5005', 'posts', 'Tech News'],
      ['telegram:7007', 'group', 'Old Club'],
    ]);
    const [direct, group, channel, left] = conversations;
    expect(direct!.participants.find((person) => person.self)).toEqual({
      id: 'user111',
      name: 'Sam Rivera',
      handles: ['@samr', '+49 151 0000000'],
      self: true,
    });
    expect(group!.participants).toContainEqual({
      id: 'user444',
      name: 'Deleted Account',
      self: false,
    });
    expect(messageById(group!, '1')).toMatchObject({
      type: 'system',
      text: 'Sam Rivera created the group "Weekend Crew"',
    });
    expect(channel!.participants).toEqual([{ id: 'channel5005', name: 'Tech News', self: false }]);
    expect(left!.participants[0]!.self).toBe(true);
    expect(direct!.source.file).toBe('result.json');

    const withoutLeft = await parse(dir, {}, createTelegramParser({ leftChats: false }));
    expect(withoutLeft.conversations.map((chat) => chat.id)).not.toContain('telegram:7007');
  });

  it('still marks the owner when personal_information comes after the chats', async () => {
    const { personal_information, ...rest } = accountExport();
    const path = join(
      files({ 'result.json': json({ ...rest, personal_information }) }),
      'result.json',
    );
    const { conversations } = await parse(path);
    expect(conversations).toHaveLength(4);
    expect(conversations[0]!.participants.find((person) => person.self)?.id).toBe('user111');
  });

  it('reads chat fields written after the messages', async () => {
    const { name, type, id, messages } = personalChat();
    const path = join(files({ 'result.json': json({ messages, name, type, id }) }), 'result.json');
    const { conversations } = await parse(path);
    expect(conversations[0]).toMatchObject({
      id: 'telegram:222',
      kind: 'direct',
      title: 'Alex Chen',
    });
  });

  it('marks the user from --me, and advises once when nothing says who it is', async () => {
    const group = {
      name: 'Crew',
      type: 'private_group',
      id: 1,
      messages: [
        {
          id: 1,
          type: 'message',
          date_unixtime: '1700000000',
          from: 'Sam',
          from_id: 'user1',
          text: 'a',
        },
        {
          id: 2,
          type: 'message',
          date_unixtime: '1700000001',
          from: 'Alex',
          from_id: 'user2',
          text: 'b',
        },
      ],
    };
    const path = join(files({ 'result.json': json(group) }), 'result.json');
    const mine = await parse(path, { me: ['alex'] });
    expect(mine.warnings).toEqual([]);
    expect(mine.conversations[0]!.participants.find((person) => person.self)?.id).toBe('user2');
    const unknown = await parse(path);
    expect(unknown.conversations[0]!.participants.some((person) => person.self)).toBe(false);
    expect(unknown.warnings).toMatchObject([{ ruleId: 'telegram:no-self', skipped: false }]);
  });

  it('makes Saved Messages the owner’s posts', async () => {
    const saved = {
      type: 'saved_messages',
      id: 1,
      messages: [
        {
          id: 1,
          type: 'message',
          date_unixtime: '1700000000',
          from: 'Sam',
          from_id: 'user1',
          text: 'note',
        },
      ],
    };
    const { conversations, warnings } = await parse(
      join(files({ 'result.json': json(saved) }), 'result.json'),
    );
    expect(warnings).toEqual([]);
    expect(conversations[0]).toMatchObject({
      kind: 'posts',
      title: 'Saved Messages',
      participants: [{ id: 'user1', self: true }],
    });
  });

  it('reports a broken message with its line and converts the rest', async () => {
    const text = json(personalChat()).replace('"id": 4,', '"id": 4,,');
    const path = join(files({ 'result.json': text }), 'result.json');
    const { conversations, warnings } = await parse(path);
    expect(conversations[0]!.messages).toHaveLength(14);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      file: path,
      line: text.split('\n').findIndex((line) => line.includes('"id": 4,,')),
      ruleId: 'telegram:bad-message',
      source: 'telegram',
    });
    expect(warnings[0]!.reason).toMatch(/invalid JSON.*skipped/);
  });

  it('reports a message without a usable time and converts the rest', async () => {
    const chat = personalChat();
    (chat.messages as Record<string, unknown>[])[1] = {
      id: 2,
      type: 'message',
      date: 'soon',
      text: 'x',
    };
    const text = json(chat);
    const { conversations, warnings } = await parse(
      join(files({ 'result.json': text }), 'result.json'),
    );
    expect(conversations[0]!.messages).toHaveLength(14);
    // The line of the message's opening brace, just before its "id".
    const line = text.split('\n').findIndex((row) => row.includes('"id": 2,'));
    expect(warnings).toMatchObject([{ ruleId: 'telegram:bad-message', line }]);
    expect(warnings[0]!.reason).toBe(
      'message 2 has no valid time (date_unixtime undefined, date "soon"); skipped',
    );
  });

  it('throws one clear error for a cut-short file', async () => {
    const text = json(personalChat());
    const path = join(files({ 'result.json': text.slice(0, text.length / 2) }), 'result.json');
    const error = await parse(path).catch((caught: unknown) => caught);
    expect(ParseError.isInstance(error)).toBe(true);
    expect((error as ParseError).message).toMatch(
      /^.*result\.json:\d+: invalid JSON at byte \d+: the JSON ends inside messages\[\d+\].*cut short$/,
    );
    expect((error as ParseError).ruleId).toBe('telegram:bad-json');
  });

  it('throws a ParseError for input that is not a Telegram export', async () => {
    const path = join(files({ 'notes.json': '{"hello": "world"}' }), 'notes.json');
    const input = await openInput(path);
    try {
      expect(await telegram.detect(input)).toBeUndefined();
      await expect(collectParse(telegram.parse(input))).rejects.toThrow(
        /notes\.json: no Telegram export found; expected a Telegram Desktop JSON export/,
      );
    } finally {
      await input.close();
    }
  });

  it('is picked by the registry from content, whatever the file is called', async () => {
    const path = join(files({ 'my backup': json(personalChat()) }), 'my backup');
    const registry = createParserRegistry([createConversationJsonlParser(), telegram]);
    const input = await openInput(path);
    try {
      expect((await registry.detect(input))[0]?.parser.format).toBe('telegram');
    } finally {
      await input.close();
    }
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { conversations } = await parse(files({ 'result.json': json(accountExport()) }), {
      signal: controller.signal,
    });
    expect(conversations).toEqual([]);
  });

  it('gives the same ids on every run', async () => {
    const dir = files({ 'result.json': json(accountExport()) });
    const ids = async () =>
      (await parse(dir)).conversations.flatMap((chat) => [
        chat.id,
        ...chat.messages.map((m) => m.id),
      ]);
    expect(await ids()).toEqual(await ids());
  });
});
