import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  collectParse,
  createParserRegistry,
  openInput,
  ParseError,
  type ParseOptions,
} from '@alterego/core';
import {
  conversationById,
  createZip,
  describeParserConformance,
  messageById,
  parsePath,
  useTempFolders,
} from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import {
  accountJs,
  archiveZip,
  dmConversation,
  FRIEND,
  fullArchive,
  mainTweets,
  manifestJs,
  messageCreate,
  NOTE_FULL_TEXT,
  OWNER,
  tweet,
  ytd,
  type ArchiveFiles,
} from './__fixtures__/archive.js';
import { createTwitterParser, twitter } from './twitter-parser.js';

const folder = useTempFolders('alterego-twitter-').write;

/** The archive as a zip file in a temporary folder; returns the zip's path. */
function zip(files: ArchiveFiles, prefix = ''): string {
  const dir = folder({ 'twitter-2025-01-01.zip': archiveZip(files, prefix) });
  return join(dir, 'twitter-2025-01-01.zip');
}

function parse(path: string, options: ParseOptions = {}, parser = twitter) {
  return parsePath(parser, path, options);
}

const POSTS = `twitter:${OWNER.id}:tweets`;
const DIRECT = `twitter:dm:${OWNER.id}-${FRIEND.id}`;
const GROUP = 'twitter:dm:1555000000000000000';

describeParserConformance({
  parser: twitter,
  fixtures: [
    {
      name: 'the archive zip (manifest, parts, notes, DMs, group DMs)',
      input: () => zip(fullArchive()),
    },
    { name: 'the unpacked archive folder', input: () => folder(fullArchive()) },
    {
      name: 'an older archive (tweet.js, tweets without the "tweet" wrapper)',
      input: () =>
        zip({
          'data/account.js': accountJs(),
          'data/tweet.js': ytd('tweet', [
            tweet({ id: '1', time: '2019-05-01T08:00:00Z', text: 'first!', wrapped: false }),
          ]),
        }),
    },
    {
      name: 'an archive with a broken part',
      input: () =>
        folder({ ...fullArchive(), 'data/tweets-part1.js': 'window.YTD.tweets.part1 = [ {' }),
      allowWarnings: true,
    },
  ],
});

describe('twitter: the posts conversation', () => {
  it('makes the person’s tweets one posts conversation with the owner from account.js', async () => {
    const { conversations, warnings } = await parse(zip(fullArchive()));
    expect(warnings).toEqual([]);
    expect(conversations.map((conversation) => conversation.id)).toEqual([POSTS, DIRECT, GROUP]);
    const posts = conversationById(conversations, POSTS);
    expect(posts).toMatchObject({
      platform: 'twitter',
      kind: 'posts',
      title: '@samrivera',
      participants: [{ id: OWNER.id, name: 'Sam Rivera 🌊', handles: ['samrivera'], self: true }],
      source: { format: 'twitter-archive', file: 'data/tweets.js' },
    });
    expect(posts.messages.map((item) => item.id)).toEqual([
      '100',
      '101',
      '102',
      '103',
      '104',
      '105',
      '106',
      '108',
    ]);
    expect(posts.messages.every((item) => item.senderId === OWNER.id)).toBe(true);
  });

  it('decodes HTML entities, expands t.co links after an emoji and keeps photos as attachments', async () => {
    const posts = conversationById((await parse(folder(fullArchive()))).conversations, POSTS);
    expect(messageById(posts, '100')).toEqual({
      id: '100',
      senderId: OWNER.id,
      time: '2023-01-01T10:00:00.000Z',
      type: 'text',
      text: 'Fish & chips <3 😀 https://example.com/a?b=1&c=2',
      attachments: [
        { type: 'image', name: 'FooBar1.jpg', uri: 'data/tweets_media/100-FooBar1.jpg' },
        { type: 'image', name: 'FooBar2.png', uri: 'https://pbs.twimg.com/media/FooBar2.png' },
      ],
    });
  });

  it('types a tweet that is only media as media, with the best video variant in the archive', async () => {
    const posts = conversationById((await parse(zip(fullArchive()))).conversations, POSTS);
    expect(messageById(posts, '104')).toMatchObject({
      type: 'media',
      text: '',
      attachments: [{ type: 'video', name: 'clip.mp4', uri: 'data/tweets_media/104-clip.mp4' }],
    });
  });

  it('types retweets as reposts without their text', async () => {
    const posts = conversationById((await parse(zip(fullArchive()))).conversations, POSTS);
    expect(messageById(posts, '103')).toMatchObject({ type: 'repost', text: '' });
  });

  it('links self-threads and replies within the archive, drops reply mentions, and leaves replies to others unlinked', async () => {
    const posts = conversationById((await parse(zip(fullArchive()))).conversations, POSTS);
    expect(messageById(posts, '101').replyTo).toBe('100');
    expect(messageById(posts, '102')).toMatchObject({ type: 'text', text: 'I dont agree' });
    expect(messageById(posts, '102').replyTo).toBeUndefined();
    // 108 answers 107, an edited version of 106.
    expect(messageById(posts, '108').replyTo).toBe('106');
  });

  it('restores long tweets from note-tweet.js', async () => {
    const posts = conversationById((await parse(zip(fullArchive()))).conversations, POSTS);
    expect(messageById(posts, '105')).toMatchObject({ type: 'text', text: NOTE_FULL_TEXT });
  });

  it('keeps the last version of an edited tweet at the first version’s time', async () => {
    const posts = conversationById((await parse(zip(fullArchive()))).conversations, POSTS);
    expect(messageById(posts, '106')).toMatchObject({
      text: 'hello world',
      time: '2023-01-01T15:00:00.000Z',
      edited: true,
    });
    expect(posts.messages.some((item) => item.id === '107')).toBe(false);
  });

  it('reads an archive inside a folder of the zip, and tweets.js with tweet.js once', async () => {
    const files = fullArchive();
    files['data/tweet.js'] = ytd('tweet', mainTweets());
    const { conversations, warnings } = await parse(zip(files, 'twitter-2025-01-01-abc/'));
    expect(warnings).toEqual([]);
    expect(conversationById(conversations, POSTS).messages).toHaveLength(8);
    expect(messageById(conversationById(conversations, POSTS), '100').attachments?.[0]?.uri).toBe(
      'twitter-2025-01-01-abc/data/tweets_media/100-FooBar1.jpg',
    );
  });

  it('reads the parts the manifest lists, in part order, and reports listed parts that are missing', async () => {
    const files: ArchiveFiles = {
      'data/manifest.js': manifestJs(OWNER, {
        tweets: [
          'data/tweets.js',
          'data/tweets-part1.js',
          'data/tweets-part2.js',
          'data/tweets-part10.js',
        ],
      }),
      'data/account.js': accountJs(),
      'data/tweets-part10.js': ytd(
        'tweets',
        [tweet({ id: '10', time: '2020-01-10T00:00:00Z', text: 'ten' })],
        10,
      ),
      'data/tweets-part2.js': ytd(
        'tweets',
        [tweet({ id: '2', time: '2020-01-02T00:00:00Z', text: 'two' })],
        2,
      ),
      'data/tweets.js': ytd('tweets', [
        tweet({ id: '0', time: '2020-01-01T00:00:00Z', text: 'zero' }),
      ]),
    };
    const input = await openInput(folder(files));
    try {
      expect((await twitter.detect(input))?.entries).toEqual([
        'data/manifest.js',
        'data/account.js',
        'data/tweets.js',
        'data/tweets-part2.js',
        'data/tweets-part10.js',
      ]);
      const { conversations, warnings } = await collectParse(twitter.parse(input));
      expect(conversations[0]!.messages.map((item) => item.text)).toEqual(['zero', 'two', 'ten']);
      expect(warnings).toEqual([
        expect.objectContaining({
          file: expect.stringMatching(/data\/manifest\.js$/),
          ruleId: 'twitter-archive:missing-part',
          reason: expect.stringContaining('data/tweets-part1.js'),
        }),
      ]);
    } finally {
      await input.close();
    }
  });

  it('reads the data folder alone', async () => {
    const { conversations, warnings } = await parse(join(folder(fullArchive()), 'data'));
    expect(warnings).toEqual([]);
    expect(conversations.map((conversation) => conversation.id)).toEqual([POSTS, DIRECT, GROUP]);
    expect(messageById(conversationById(conversations, POSTS), '100').attachments?.[0]?.uri).toBe(
      'tweets_media/100-FooBar1.jpg',
    );
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { conversations } = await parse(zip(fullArchive()), { signal: controller.signal });
    expect(conversations).toEqual([]);
  });

  it('takes the owner from the manifest when account.js is absent', async () => {
    const files = fullArchive();
    delete files['data/account.js'];
    const posts = conversationById((await parse(folder(files))).conversations, POSTS);
    expect(posts.participants).toEqual([
      { id: OWNER.id, name: 'Sam Rivera 🌊', handles: ['samrivera'], self: true },
    ]);
  });

  it('warns, without skipping anything, when no account says whose archive it is', async () => {
    const { conversations, warnings } = await parse(
      folder({
        'data/tweets.js': ytd('tweets', [
          tweet({ id: '1', time: '2020-01-01T00:00:00Z', text: 'hi' }),
        ]),
      }),
      { me: ['Sam'] },
    );
    expect(conversations[0]!.participants).toEqual([{ id: 'owner', name: 'Sam', self: true }]);
    expect(warnings).toEqual([
      expect.objectContaining({ ruleId: 'twitter-archive:no-account', skipped: false }),
    ]);
  });

  it('merges an archive split into several zips of one account', async () => {
    const files = fullArchive();
    const dir = folder({
      'part-1.zip': archiveZip({
        'data/account.js': files['data/account.js']!,
        'data/tweets.js': files['data/tweets.js']!,
      }),
      'part-2.zip': archiveZip({ 'data/tweets-part1.js': files['data/tweets-part1.js']! }),
    });
    const { conversations, warnings } = await parse(dir);
    expect(warnings).toEqual([]);
    expect(conversations).toHaveLength(1);
    expect(messageById(conversations[0]!, '108').replyTo).toBe('106');
  });
});

describe('twitter: direct messages', () => {
  it('makes each direct conversation one conversation with the other account by id', async () => {
    const direct = conversationById((await parse(zip(fullArchive()))).conversations, DIRECT);
    expect(direct).toMatchObject({
      kind: 'direct',
      title: 'Alex Chen',
      participants: [
        { id: OWNER.id, name: 'Sam Rivera 🌊', handles: ['samrivera'], self: true },
        // Named from a mention in the owner's tweets.
        { id: FRIEND.id, name: 'Alex Chen', handles: ['alexchen'], self: false },
      ],
      source: { format: 'twitter-archive', file: 'data/direct-messages.js' },
    });
    expect(direct.messages).toEqual([
      {
        id: '5001',
        senderId: FRIEND.id,
        time: '2023-02-01T10:00:00.000Z',
        type: 'text',
        text: 'photo!',
        attachments: [
          { type: 'image', name: 'abc.jpg', uri: 'data/direct_messages_media/5001-abc.jpg' },
        ],
      },
      {
        id: '5002',
        senderId: OWNER.id,
        time: '2023-02-01T10:01:00.000Z',
        type: 'text',
        text: 'haha & yes 😂',
        reactions: [{ emoji: '❤️', senderId: FRIEND.id }],
      },
      {
        id: '5003',
        senderId: FRIEND.id,
        time: '2023-02-01T10:02:00.000Z',
        type: 'text',
        text: 'look https://example.org/page',
      },
    ]);
  });

  it('names an account it knows nothing about by its id', async () => {
    const { conversations } = await parse(
      folder({
        'data/account.js': accountJs(),
        'data/direct-messages.js': ytd('direct_messages', [
          dmConversation(`42-${OWNER.id}`, [
            messageCreate({
              id: '1',
              senderId: '42',
              recipientId: OWNER.id,
              time: '2023-01-01T00:00:00.000Z',
              text: 'hey',
            }),
          ]),
        ]),
      }),
    );
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({
      id: `twitter:dm:42-${OWNER.id}`,
      title: null,
      participants: [
        { id: '42', name: '42', self: false },
        { id: OWNER.id, self: true },
      ],
    });
  });

  it('makes group conversations with their name, members, events as system lines and reactions folded in', async () => {
    const group = conversationById((await parse(zip(fullArchive()))).conversations, GROUP);
    expect(group.kind).toBe('group');
    expect(group.title).toBe('Weekend Crew');
    expect(group.participants.map((participant) => [participant.id, participant.self])).toEqual([
      [FRIEND.id, false],
      [OWNER.id, true],
      ['777', false],
      ['888', false],
    ]);
    expect(group.messages.map((item) => [item.type, item.senderId, item.text])).toEqual([
      ['system', null, 'Sam Rivera 🌊 joined the conversation'],
      ['text', '777', 'hi all'],
      ['system', null, 'Alex Chen added 888'],
      ['system', null, 'Alex Chen named the conversation “Weekend Crew”'],
      ['text', OWNER.id, 'yo'],
      ['system', null, '777 left'],
    ]);
    expect(messageById(group, '6003').reactions).toEqual([{ emoji: '🎉', senderId: '888' }]);
    expect(group.source.file).toBe('data/direct-messages-group.js');
  });

  it('leaves direct messages out when asked', async () => {
    const { conversations } = await parse(
      zip(fullArchive()),
      {},
      createTwitterParser({ directMessages: false }),
    );
    expect(conversations.map((conversation) => conversation.id)).toEqual([POSTS]);
  });
});

describe('twitter: bad input', () => {
  it('refuses a zip that is not a Twitter archive with one clear error', async () => {
    const dir = folder({
      'other.zip': createZip({ 'data/notes.txt': 'hello', 'data/tweets.js': 'console.log(1)' }),
    });
    const path = join(dir, 'other.zip');
    const input = await openInput(path);
    try {
      expect(await twitter.detect(input)).toBeUndefined();
      const error = await collectParse(twitter.parse(input)).catch((cause: unknown) => cause);
      expect(ParseError.isInstance(error)).toBe(true);
      expect((error as ParseError).message).toBe(
        `${path}: not a Twitter/X archive; expected a Twitter/X archive (the zip or its folder) with data/tweets.js, data/account.js or data/manifest.js starting "window.YTD."`,
      );
      expect((error as ParseError).ruleId).toBe('twitter-archive:not-an-archive');
    } finally {
      await input.close();
    }
  });

  it('skips a broken data file with a warning and converts the rest', async () => {
    const files = { ...fullArchive(), 'data/tweets-part1.js': '<html>not found</html>' };
    const { conversations, warnings } = await parse(folder(files));
    expect(warnings).toEqual([
      expect.objectContaining({
        file: expect.stringMatching(/data\/tweets-part1\.js$/),
        ruleId: 'twitter-archive:bad-file',
        reason: expect.stringContaining('the file was skipped'),
      }),
    ]);
    expect(conversationById(conversations, POSTS).messages).toHaveLength(7);
    expect(conversations).toHaveLength(3);
  });

  it('skips a broken tweet or message with its line and keeps the rest', async () => {
    const files: ArchiveFiles = {
      'data/account.js': accountJs(),
      'data/tweets.js': ytd('tweets', [
        tweet({ id: '1', time: '2020-01-01T00:00:00Z', text: 'good' }),
        { tweet: { id_str: '2', created_at: 'yesterday', full_text: 'bad time' } },
      ]).replace('"good"', '"good" }, { oops'),
      'data/direct-messages.js': ytd('direct_messages', [
        dmConversation(`42-${OWNER.id}`, [
          messageCreate({ id: '1', senderId: '42', time: 'never', text: 'no time' }),
          messageCreate({ id: '2', senderId: '42', time: '2023-01-01T00:00:00.000Z', text: 'ok' }),
        ]),
        { somethingElse: true },
      ]),
    };
    const { conversations, warnings } = await parse(folder(files));
    expect(warnings.map((warning) => [warning.ruleId, warning.line])).toEqual([
      ['twitter-archive:bad-item', 2],
      ['twitter-archive:bad-tweet', expect.any(Number)],
      ['twitter-archive:bad-message', 2],
      ['twitter-archive:bad-message', expect.any(Number)],
    ]);
    expect(warnings[1]!.reason).toMatch(/tweet 2 has no readable created_at \("yesterday"\)/);
    expect(conversations.map((conversation) => conversation.messages.length)).toEqual([0, 1]);
  });

  it('is picked by a registry for archives and not for other inputs', async () => {
    const registry = createParserRegistry([twitter]);
    const detectIn = async (path: string) => {
      const input = await openInput(path);
      try {
        return (await registry.detect(input)).map((match) => match.parser);
      } finally {
        await input.close();
      }
    };
    expect(await detectIn(zip(fullArchive()))).toEqual([twitter]);
    const notes = join(folder({}), 'account.js');
    await writeFile(notes, 'const account = "window.YTD is mentioned here";');
    expect(await detectIn(notes)).toEqual([]);
  });
});
