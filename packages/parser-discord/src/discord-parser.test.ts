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
import {
  ALEX,
  channelExport,
  directMessages,
  json,
  message,
  PRIYA,
  SAM,
  serverChannel,
} from './__fixtures__/exports.js';
import { createDiscordParser, discord } from './discord-parser.js';

const files = useTempFolders('alterego-discord-').write;

function parse(path: string, options: ParseOptions = {}, parser = discord) {
  return parsePath(parser, path, options);
}

const corpus = fileURLToPath(
  new URL('../../../../shared/corpus/chat-analytics/discord/', import.meta.url),
);

const DM_FILE = 'Direct Messages - Private - Alex Chen [5000].json';
const SERVER_FILE = 'Crew - general [7000].json';

describeParserConformance({
  parser: discord,
  fixtures: [
    {
      name: 'one-to-one DM',
      input: () => join(files({ [DM_FILE]: json(directMessages()) }), DM_FILE),
    },
    {
      name: 'server channel with a bot, in a folder with downloaded media',
      input: () =>
        files({
          [SERVER_FILE]: json(serverChannel()),
          'Crew - general [7000].json_Files/photo-1A2B3.jpg': new Uint8Array([0xff, 0xd8]),
        }),
      options: { me: ['samr'] },
    },
    {
      name: 'several channels in a zip',
      input: () =>
        join(
          files({
            'discord.zip': createZip({
              [`export/${DM_FILE}`]: json(directMessages()),
              [`export/${SERVER_FILE}`]: json(serverChannel()),
            }),
          }),
          'discord.zip',
        ),
      options: { me: ['Sam Rivera'] },
    },
  ],
});

describe.skipIf(!existsSync(corpus))('Discord corpus (chat-analytics samples)', () => {
  it('conforms on the folder of samples', async () => {
    const result = await runConformance(discord, corpus, { parseOptions: { me: ['mlomb'] } });
    expect(result.detected).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(
      result.conversations.map((chat) => [chat.kind, chat.title, chat.messages.length]),
    ).toEqual([
      ['direct', 'Someones name', 3],
      ['group', 'a group chat', 6],
      ['group', 'DefleMask / #general-chiptune', 4],
    ]);
  });

  it('reads the samples: bots, nicknames, a deleted user, a repeated message, attachments', async () => {
    const { conversations } = await parse(corpus, { me: ['mlomb'] });
    const [dm, group, server] = conversations;
    expect(dm!.participants).toEqual([
      { id: '111111111111111111', name: 'mlomb', handles: ['mlomb'], self: true },
      {
        id: '444444444444444444',
        name: 'Someones nickname',
        handles: ['Someones name'],
        self: false,
      },
    ]);
    expect(messageById(dm!, '100')).toMatchObject({ type: 'call', senderId: '444444444444444444' });
    expect(messageById(group!, '1064990775659729017')).toMatchObject({
      type: 'system',
      senderId: null,
      text: 'Changed the channel name.',
    });
    expect(messageById(group!, '530805779645595660')).toMatchObject({
      text: 'woah nice :custom_emoji:',
      replyTo: '1064990824305274930',
    });
    // The sample repeats one message: it is kept once.
    expect(server!.messages.filter((item) => item.id === '459136077417021488')).toHaveLength(1);
    expect(messageById(server!, '459136077417021488')).toMatchObject({
      edited: true,
      senderId: '555555555555555555',
    });
    expect(messageById(server!, '447793085255123005')).toMatchObject({
      type: 'media',
      attachments: [
        { type: 'image', name: 'unknown.png' },
        { type: 'sticker', name: 'Laugh' },
      ],
    });
  });

  it('marks the user in a DM without --me: the channel is named after the other person', async () => {
    const { conversations } = await parse(join(corpus, 'DM_2A_2M.json'));
    expect(conversations[0]!.participants.find((person) => person.self)?.id).toBe(
      '111111111111111111',
    );
  });
});

describe('discord parser', () => {
  it('converts a DM, each kind of message typed for what it is', async () => {
    const path = join(files({ [DM_FILE]: json(directMessages()) }), DM_FILE);
    const { conversations, warnings } = await parse(path);
    expect(warnings).toEqual([]);
    const [dm] = conversations;
    expect(dm).toMatchObject({
      schema: 'alterego.conversation/1',
      id: 'discord:5000',
      platform: 'discord',
      kind: 'direct',
      title: 'Alex Chen',
      participants: [
        { id: SAM.id, name: 'Sam Rivera', handles: ['samr'], self: true },
        { id: ALEX.id, name: 'Alex Chen', handles: ['alexc'], self: false },
      ],
      source: { format: 'discord', file: DM_FILE },
    });
    expect(dm!.messages.map((item) => item.type)).toEqual([
      'text',
      'text',
      'media',
      'media',
      'sticker',
      'text',
      'call',
      'system',
    ]);
    expect(messageById(dm!, '1001').text).toBe('hey @Alex Chen! café tonight? :pepe_happy:');
    expect(messageById(dm!, '1002')).toMatchObject({
      replyTo: '1001',
      edited: true,
      reactions: [
        { emoji: '❤️', senderId: SAM.id },
        { emoji: ':party:', senderId: SAM.id },
        { emoji: ':party:', senderId: ALEX.id },
      ],
    });
    expect(messageById(dm!, '1003').attachments).toEqual([
      {
        type: 'image',
        name: 'photo.jpg',
        uri: 'Direct Messages - Alex Chen [5000].json_Files/photo-1A2B3.jpg',
      },
    ]);
    expect(messageById(dm!, '1004').attachments!.map((item) => item.type)).toEqual([
      'video',
      'audio',
      'file',
    ]);
    expect(messageById(dm!, '1008')).toMatchObject({
      type: 'system',
      senderId: null,
      text: 'Pinned a message.',
    });
  });

  it('converts a server channel: bots are participants, never the user', async () => {
    const path = join(files({ [SERVER_FILE]: json(serverChannel()) }), SERVER_FILE);
    const { conversations } = await parse(path, { me: ['helper', 'samr'] });
    const [channel] = conversations;
    expect(channel).toMatchObject({ id: 'discord:7000', kind: 'group', title: 'Crew / #general' });
    expect(channel!.participants).toEqual([
      { id: PRIYA.id, name: 'priya', handles: ['priya'], self: false },
      { id: '999999999999999999', name: 'Helper', handles: ['Helper'], self: false },
      { id: SAM.id, name: 'Sam (away)', handles: ['samr'], self: true },
    ]);
    expect(messageById(channel!, '2003').replyTo).toBeUndefined();
    expect(messageById(channel!, '2004')).toMatchObject({ type: 'system', text: 'Thread Created' });
  });

  it('marks the user by id with selfId', async () => {
    const path = join(files({ [SERVER_FILE]: json(serverChannel()) }), SERVER_FILE);
    const { conversations, warnings } = await parse(
      path,
      {},
      createDiscordParser({ selfId: PRIYA.id }),
    );
    expect(warnings).toEqual([]);
    expect(
      conversations[0]!.participants.filter((person) => person.self).map((person) => person.id),
    ).toEqual([PRIYA.id]);
  });

  it('advises once when nothing says who the user is', async () => {
    const dir = files({
      'a.json': json(serverChannel()),
      'b.json': json({
        ...serverChannel(),
        channel: { id: '7001', type: 'GuildTextChat', name: 'other' },
      }),
    });
    const { conversations, warnings } = await parse(dir);
    expect(conversations).toHaveLength(2);
    expect(warnings).toMatchObject([
      { ruleId: 'discord:no-self', skipped: false, file: join(dir, 'a.json') },
    ]);
  });

  it('merges the parts of a partitioned export into one conversation', async () => {
    const whole = directMessages();
    const messages = whole.messages as Record<string, unknown>[];
    const dir = files({
      'Alex [5000] [part 1].json': json({ ...whole, messages: messages.slice(0, 5) }),
      'Alex [5000] [part 2].json': json({ ...whole, messages: messages.slice(4) }),
    });
    const { conversations, warnings } = await parse(dir);
    expect(warnings).toEqual([]);
    expect(conversations).toHaveLength(1);
    expect(conversations[0]!.messages).toHaveLength(8);
  });

  it('reads guild and channel written after the messages', async () => {
    const { guild, channel, messages } = directMessages();
    const path = join(files({ 'dm.json': json({ messages, guild, channel }) }), 'dm.json');
    const { conversations } = await parse(path);
    expect(conversations[0]).toMatchObject({
      id: 'discord:5000',
      kind: 'direct',
      title: 'Alex Chen',
    });
  });

  it('reports a broken message with its line and converts the rest', async () => {
    const text = json(directMessages()).replace('"content": "sure 😂",', '"content": "sure 😂",,');
    const path = join(files({ 'dm.json': text }), 'dm.json');
    const { conversations, warnings } = await parse(path);
    expect(conversations[0]!.messages).toHaveLength(7);
    expect(warnings).toHaveLength(1);
    const line = text.split('\n').findIndex((row) => row.includes('"id": "1002"'));
    expect(warnings[0]).toMatchObject({
      file: path,
      line,
      ruleId: 'discord:bad-message',
      source: 'discord',
    });
  });

  it('reports a message that repeats an id with other content', async () => {
    const dm = channelExport({ id: '1', type: 'DirectTextChat', name: 'Alex Chen' }, [
      message('1', SAM, 'one'),
      message('1', SAM, 'two'),
    ]);
    const { conversations, warnings } = await parse(
      join(files({ 'dm.json': json(dm) }), 'dm.json'),
      { me: ['samr'] },
    );
    expect(conversations[0]!.messages.map((item) => item.text)).toEqual(['one']);
    expect(warnings).toMatchObject([{ ruleId: 'discord:duplicate-message' }]);
  });

  it('throws one clear error for a cut-short file', async () => {
    const text = json(directMessages());
    const path = join(files({ 'dm.json': text.slice(0, text.length / 2) }), 'dm.json');
    const error = await parse(path).catch((caught: unknown) => caught);
    expect(ParseError.isInstance(error)).toBe(true);
    expect((error as ParseError).message).toMatch(
      /dm\.json:\d+: invalid JSON at byte \d+: the JSON ends inside messages/,
    );
    expect((error as ParseError).ruleId).toBe('discord:bad-json');
  });

  it('throws a ParseError for input that is not a Discord export', async () => {
    const path = join(
      files({ 'result.json': '{"name": "Bob", "type": "personal_chat", "messages": []}' }),
      'result.json',
    );
    const input = await openInput(path);
    try {
      expect(await discord.detect(input)).toBeUndefined();
      await expect(collectParse(discord.parse(input))).rejects.toThrow(
        /result\.json: no Discord export found; expected a DiscordChatExporter JSON export/,
      );
    } finally {
      await input.close();
    }
    const broken = join(
      files({ 'x.json': '{"guild": {}, "channel": {}, "dateRange": {}, "messages": {"a": 1}}' }),
      'x.json',
    );
    await expect(parse(broken)).rejects.toThrow(/x\.json: "messages" is not an array/);
  });

  it('is picked by the registry from content, whatever the file is called', async () => {
    const path = join(files({ 'export.data': json(directMessages()) }), 'export.data');
    const registry = createParserRegistry([createConversationJsonlParser(), discord]);
    const input = await openInput(path);
    try {
      expect((await registry.detect(input))[0]?.parser.format).toBe('discord');
    } finally {
      await input.close();
    }
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { conversations } = await parse(files({ 'dm.json': json(directMessages()) }), {
      signal: controller.signal,
    });
    expect(conversations).toEqual([]);
  });
});
