import { describe, expect, it } from 'vitest';
import { noteTweet, tweet } from './__fixtures__/archive.js';
import { TweetCollector } from './tweets.js';

function collect(items: unknown[], notes: unknown[] = []) {
  const collector = new TweetCollector('1');
  const problems = [
    ...items.map((item) => collector.addTweet(item)),
    ...notes.map((note) => collector.addNote(note)),
  ].filter((problem) => problem !== undefined);
  return { collector, problems, ...collector.finish() };
}

describe('TweetCollector', () => {
  it('reads bare tweets with numeric ids and the older text field', () => {
    const { messages, problems } = collect([
      { id: 42, created_at: 'Wed Oct 10 20:19:24 +0000 2018', text: 'old &amp; bare' },
    ]);
    expect(problems).toEqual([]);
    expect(messages).toEqual([
      {
        id: '42',
        senderId: '1',
        time: '2018-10-10T20:19:24.000Z',
        type: 'text',
        text: 'old & bare',
      },
    ]);
  });

  it('reports tweets without an id, a time or any content', () => {
    const { problems, messages } = collect([
      { tweet: { created_at: 'Wed Oct 10 20:19:24 +0000 2018', full_text: 'x' } },
      { tweet: { id_str: '2', full_text: 'x' } },
      { tweet: { id_str: '3', created_at: 'Wed Oct 10 20:19:24 +0000 2018', full_text: '' } },
      'not a tweet',
    ]);
    expect(messages).toEqual([]);
    expect(problems).toEqual([
      'a tweet has no id_str',
      'tweet 2 has no readable created_at (null), expected a time like "Wed Oct 10 20:19:24 +0000 2018"',
      'tweet 3 has no text and no media',
      'an item is not a tweet object',
    ]);
  });

  it('types tweets marked retweeted as reposts', () => {
    const item = tweet({ id: '5', time: '2020-01-01T00:00:00Z', text: 'someone else’s words' }) as {
      tweet: Record<string, unknown>;
    };
    item.tweet.retweeted = true;
    expect(collect([item]).messages[0]).toMatchObject({ type: 'repost', text: '' });
  });

  it('keeps the mentions of a reply that is nothing else', () => {
    const { messages } = collect([
      tweet({ id: '5', time: '2020-01-01T00:00:00Z', text: '@alexchen', displayRange: [9, 9] }),
    ]);
    expect(messages[0]).toMatchObject({ type: 'text', text: '@alexchen' });
  });

  it('keeps the first copy of a tweet listed twice', () => {
    const { messages } = collect([
      tweet({ id: '5', time: '2020-01-01T00:00:00Z', text: 'first' }),
      tweet({ id: '5', time: '2020-01-01T00:00:00Z', text: 'second' }),
    ]);
    expect(messages.map((message) => message.text)).toEqual(['first']);
  });

  it('learns other accounts’ names from mentions and replies', () => {
    const { collector } = collect([
      tweet({
        id: '5',
        time: '2020-01-01T00:00:00Z',
        text: '@alexchen @bo hi',
        mentions: [{ id: '77', screenName: 'alexchen', name: 'Alex &amp; Co', indices: [0, 9] }],
        replyTo: { statusId: '4', userId: '88', screenName: 'bo' },
      }),
    ]);
    expect(Object.fromEntries(collector.users)).toEqual({
      '77': { screenName: 'alexchen', name: 'Alex & Co' },
      '88': { screenName: 'bo' },
    });
  });

  it('keeps the latest edit when the first version is not in the archive', () => {
    const { messages } = collect([
      tweet({ id: '8', time: '2020-01-01T00:01:00Z', text: 'v2', edit: { initial: '6' } }),
      tweet({ id: '9', time: '2020-01-01T00:02:00Z', text: 'v3', edit: { initial: '6' } }),
      tweet({
        id: '10',
        time: '2020-01-01T00:03:00Z',
        text: 'reply',
        replyTo: { statusId: '8', userId: '1', screenName: 'me' },
      }),
    ]);
    expect(messages).toEqual([
      expect.objectContaining({ id: '9', text: 'v3', edited: true }),
      expect.objectContaining({ id: '10', replyTo: '9' }),
    ]);
  });

  it('matches notes to their tweets by time and start of text, and counts the others', () => {
    const full = (word: string) => `${word} ${'long text '.repeat(40)}end`;
    const truncated = (word: string) => `${full(word).slice(0, 270)}… https://t.co/x${word}`;
    const { messages, unmatchedNotes } = collect(
      [
        tweet({ id: '1', time: '2020-01-01T00:00:00Z', text: truncated('alpha') }),
        tweet({ id: '2', time: '2020-01-01T00:00:00Z', text: truncated('beta') }),
      ],
      [
        noteTweet('n2', '2020-01-01T00:00:00.400Z', full('beta')),
        noteTweet('n1', '2020-01-01T00:00:01.000Z', full('alpha')),
        noteTweet('n3', '2020-05-01T00:00:00.000Z', full('gamma')),
      ],
    );
    expect(messages.map((message) => message.text)).toEqual([full('alpha'), full('beta')]);
    expect(unmatchedNotes).toBe(1);
  });

  it('reports notes without text or time', () => {
    const collector = new TweetCollector('1');
    expect(collector.addNote({ noteTweet: { core: {} } })).toMatch(/no core.text/);
    expect(collector.addNote({ noteTweet: { noteTweetId: '7', core: { text: 'x' } } })).toMatch(
      /note tweet 7 has no readable createdAt/,
    );
  });
});
