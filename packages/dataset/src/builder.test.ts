import { describe, expect, it } from 'vitest';
import { chat, PLAIN } from './__fixtures__/chats.js';
import { buildDataset, createDatasetBuilder, validationSessions } from './builder.js';
import { DatasetError } from './dataset-error.js';
import { countExampleTokens } from './tokens.js';

const contents = (example: { messages: { role: string; content: string; weight?: 0 }[] }) =>
  example.messages.map((m) => `${m.role}${m.weight === 0 ? '(0)' : ''}: ${m.content}`);

describe('buildDataset', () => {
  it('merges consecutive messages of one sender with newlines and makes the person the assistant', async () => {
    const { train } = await buildDataset(
      [
        chat({
          messages: [
            ['alex', 0, 'hey'],
            ['alex', 1, 'you up?'],
            ['me', 2, 'yes'],
            ['me', 2, 'why 😂'],
            ['alex', 3, 'pizza?'],
            ['me', 4, 'OMG yes!!'],
          ],
        }),
      ],
      PLAIN,
    );
    expect(train.map(contents)).toEqual([
      ['user: hey\nyou up?', 'assistant: yes\nwhy 😂', 'user: pizza?', 'assistant: OMG yes!!'],
    ]);
  });

  it('cuts sessions on real elapsed time, across days', async () => {
    const { examples } = await buildDataset(
      [
        chat({
          messages: [
            ['alex', 0, 'hey'],
            ['me', 1, 'hi'],
            // Same clock time the next day: 1440 minutes later, a new session.
            ['alex', 1441, 'morning'],
            ['me', 1442, 'morning!'],
          ],
        }),
      ],
      { ...PLAIN, sessionGapMinutes: 60 },
    );
    expect(examples.map((e) => [e.session, contents(e.example)])).toEqual([
      [0, ['user: hey', 'assistant: hi']],
      [1, ['user: morning', 'assistant: morning!']],
    ]);
  });

  it('uses only text messages', async () => {
    const { train } = await buildDataset(
      [
        chat({
          messages: [
            ['alex', 0, 'look'],
            ['alex', 0, '', 'media'],
            ['alex', 1, 'Alex Chen left', 'system'],
            ['me', 2, 'This message was deleted', 'deleted'],
            ['me', 2, 'nice'],
          ],
        }),
      ],
      PLAIN,
    );
    expect(train.map(contents)).toEqual([['user: look', 'assistant: nice']]);
  });

  it('names speakers in group chats, and leaves groups out by default', async () => {
    const group = chat({
      kind: 'group',
      title: 'Crew',
      people: [
        { id: 'me', name: 'Sam Rivera', self: true },
        { id: 'alex', name: 'Alex Chen' },
        { id: 'mia', name: 'Mia 🌸' },
      ],
      messages: [
        ['alex', 0, 'who is in'],
        ['mia', 1, 'me'],
        ['mia', 1, 'and Bo'],
        ['me', 2, 'count me in'],
      ],
    });
    const off = await buildDataset([group], PLAIN);
    expect(off.train).toEqual([]);
    expect(off.summary.conversations.skipped.group).toBe(1);
    const on = await buildDataset([group], { ...PLAIN, includeGroups: true });
    expect(on.train.map(contents)).toEqual([
      ['user: Alex Chen: who is in\nMia 🌸: me\nand Bo', 'assistant: count me in'],
    ]);
  });

  it('writes the system prompt with the name into every example', async () => {
    const { train, summary } = await buildDataset(
      [
        chat({
          messages: [
            ['alex', 0, 'hey'],
            ['me', 1, 'hi'],
          ],
        }),
      ],
      { minTrainExamples: 0, validFraction: 0 },
    );
    expect(train[0]!.messages[0]).toEqual({ role: 'system', content: summary.systemPrompt });
    expect(summary.systemPrompt).toContain('You are Sam Rivera');
  });

  it('makes pairs with N turns of context, earlier replies with weight 0, openers without a pair', async () => {
    const { train } = await buildDataset(
      [
        chat({
          messages: [
            ['me', 0, 'hey you'],
            ['alex', 1, 'hi'],
            ['me', 2, 'how are you'],
            ['alex', 3, 'good'],
            ['me', 4, 'great'],
          ],
        }),
      ],
      { ...PLAIN, mode: 'pairs', contextTurns: 2 },
    );
    expect(train.map(contents)).toEqual([
      ['assistant(0): hey you', 'user: hi', 'assistant: how are you'],
      ['assistant(0): how are you', 'user: good', 'assistant: great'],
    ]);
  });

  it('windows long sessions to the token budget with overlap, training each reply once', async () => {
    const messages: [string, number, string][] = [];
    for (let index = 0; index < 40; index += 1) {
      messages.push([
        index % 2 === 0 ? 'alex' : 'me',
        index,
        `message number ${index} with a few words`,
      ]);
    }
    const { train, summary } = await buildDataset([chat({ messages })], {
      ...PLAIN,
      maxExampleTokens: 100,
      overlapTurns: 2,
    });
    expect(train.length).toBeGreaterThan(3);
    const trained = train.flatMap((example) =>
      example.messages
        .filter((m) => m.role === 'assistant' && m.weight === undefined)
        .map((m) => m.content),
    );
    // Every reply of the person is trained on exactly once.
    expect(trained).toEqual(messages.filter(([who]) => who === 'me').map(([, , text]) => text));
    for (const example of train) {
      expect(countExampleTokens(example.messages as never)).toBeLessThanOrEqual(100);
      expect(example.messages.at(-1)!.role).toBe('assistant');
    }
    expect(summary.tokens.train.max).toBeLessThanOrEqual(100);
  });

  it('drops the oldest context of an over-long pair, never the reply', async () => {
    const long = 'word '.repeat(60).trim();
    const { train } = await buildDataset(
      [
        chat({
          messages: [
            ['alex', 0, long],
            ['me', 1, 'ok then'],
            ['alex', 2, 'so?'],
            ['me', 3, 'fine by me'],
          ],
        }),
      ],
      { ...PLAIN, mode: 'pairs', contextTurns: 6, maxExampleTokens: 64 },
    );
    // The long first message fits with no reply: the first reply is left out, the second keeps what fits.
    expect(train.map(contents)).toEqual([
      ['assistant(0): ok then', 'user: so?', 'assistant: fine by me'],
    ]);
  });

  it('turns posts into examples with the post prompt, or none', async () => {
    const posts = chat({
      kind: 'posts',
      platform: 'twitter',
      title: null,
      people: [{ id: 'me', name: 'Sam', self: true }],
      messages: [
        ['me', 0, 'first tweet'],
        ['me', 60, 'second tweet'],
      ],
    });
    const withPrompt = await buildDataset([posts], { ...PLAIN, postPrompt: 'Write a tweet.' });
    expect(withPrompt.train.map(contents)).toEqual([
      ['user: Write a tweet.', 'assistant: first tweet'],
      ['user: Write a tweet.', 'assistant: second tweet'],
    ]);
    const without = await buildDataset([posts], { ...PLAIN, postPrompt: '' });
    expect(without.train.map(contents)).toEqual([
      ['assistant: first tweet'],
      ['assistant: second tweet'],
    ]);
  });

  it('redacts both sides and reports counts; can be turned off', async () => {
    const conversation = chat({
      messages: [
        ['alex', 0, 'mail me at alex@example.com'],
        ['me', 1, 'call +1 555 010 7788, Alex'],
      ],
    });
    const on = await buildDataset([conversation], { ...PLAIN, redactWords: ['Alex'] });
    expect(on.train.map(contents)).toEqual([
      ['user: mail me at [EMAIL]', 'assistant: call [PHONE], [NAME]'],
    ]);
    expect(on.summary.redaction).toMatchObject({ email: 1, phone: 1, word: 1 });
    expect(on.summary.options.redactWords).toEqual({ count: 1, sha256: expect.any(String) });
    const off = await buildDataset([conversation], { ...PLAIN, redact: false });
    expect(off.train.map(contents)).toEqual([
      ['user: mail me at alex@example.com', 'assistant: call +1 555 010 7788, Alex'],
    ]);
  });

  it('drops one-time codes and, when asked, link-only messages', async () => {
    const conversation = chat({
      messages: [
        ['alex', 0, 'whats the code'],
        ['me', 1, '482913'],
        ['me', 1, 'https://example.com/x'],
        ['me', 2, 'got it?'],
      ],
    });
    const { train, summary } = await buildDataset([conversation], { ...PLAIN, dropLinkOnly: true });
    expect(train.map(contents)).toEqual([['user: whats the code', 'assistant: got it?']]);
    expect(summary.messages).toMatchObject({ secrets: 1, linkOnly: 1 });
  });

  it('does not train on replies outside the length limits', async () => {
    const { train, summary } = await buildDataset(
      [
        chat({
          messages: [
            ['alex', 0, 'a'],
            ['me', 1, 'k'],
            ['alex', 2, 'b'],
            ['me', 3, 'sure thing'],
          ],
        }),
      ],
      { ...PLAIN, minReplyChars: 2 },
    );
    expect(train.map(contents)).toEqual([
      ['user: a', 'assistant(0): k', 'user: b', 'assistant: sure thing'],
    ]);
    expect(summary.replies.tooShort).toBe(1);
  });

  it('removes messages already seen in an earlier conversation (overlapping exports)', async () => {
    const first = chat({
      id: 'whatsapp:a',
      messages: [
        ['alex', 0, 'hey'],
        ['me', 1, 'hi'],
      ],
    });
    const second = chat({
      id: 'imessage:b',
      platform: 'imessage',
      people: [
        { id: 'self', name: 'Me', self: true },
        { id: 'x', name: 'Alex' },
      ],
      messages: [
        ['x', 0, 'hey'],
        ['self', 1, 'hi'],
        ['x', 2, 'new'],
        ['self', 3, 'newer'],
      ],
    });
    const { train, summary } = await buildDataset([first, second], PLAIN);
    expect(train.map(contents)).toEqual([
      ['user: hey', 'assistant: hi'],
      ['user: new', 'assistant: newer'],
    ]);
    expect(summary.messages.duplicates).toBe(2);
  });

  it('selects by platform, chat, participant and date', async () => {
    const a = chat({
      id: 'whatsapp:a',
      title: 'Alex Chen',
      messages: [
        ['alex', 0, 'a'],
        ['me', 1, 'a!'],
      ],
    });
    const b = chat({
      id: 'twitter:b',
      platform: 'twitter',
      title: 'Mia',
      people: [
        { id: 'me', name: 'Sam', self: true },
        { id: 'mia', name: 'Mia', handles: ['@mia'] },
      ],
      start: '2024-05-01T10:00:00.000Z',
      messages: [
        ['mia', 0, 'b'],
        ['me', 1, 'b!'],
      ],
    });
    const replies = async (options: object) =>
      (await buildDataset([a, b], { ...PLAIN, ...options })).train.map(
        (e) => e.messages.at(-1)!.content,
      );
    expect(await replies({ platforms: ['twitter'] })).toEqual(['b!']);
    expect(await replies({ chats: ['alex chen'] })).toEqual(['a!']);
    expect(await replies({ participants: ['@MIA'] })).toEqual(['b!']);
    expect(await replies({ excludeChats: ['whatsapp:a'] })).toEqual(['b!']);
    expect(await replies({ since: '2024-04-01' })).toEqual(['b!']);
    expect(await replies({ until: '2024-03-01' })).toEqual(['a!']);
  });

  it('fails with a clear DatasetError below the minimum of training examples', async () => {
    const error = await buildDataset([
      chat({
        messages: [
          ['alex', 0, 'hey'],
          ['me', 1, 'hi'],
        ],
      }),
    ]).catch((caught: unknown) => caught);
    expect(DatasetError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^only 1 training example from 1 conversation; at least 10 are needed/,
    );
  });

  it('rejects bad options with the option named', () => {
    expect(() => createDatasetBuilder({ sessionGapMinutes: -1 })).toThrow(/sessionGapMinutes/);
    expect(() => createDatasetBuilder({ model: 'gpt-9' })).toThrow(/unknown model "gpt-9"/);
  });
});

describe('validationSessions', () => {
  it('is deterministic per seed and takes the chat share', () => {
    const sessions = Array.from({ length: 50 }, (_, index) => index);
    const a = validationSessions('chat', sessions, 0.1, 1);
    expect(a.size).toBe(5);
    expect(validationSessions('chat', sessions, 0.1, 1)).toEqual(a);
    expect(validationSessions('chat', sessions, 0.1, 2)).not.toEqual(a);
    expect(validationSessions('chat', sessions, 0, 1).size).toBe(0);
  });
});
