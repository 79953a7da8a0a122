import type { Conversation } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { makeConversation } from '../__fixtures__/cli.js';
import { StatsCollector } from './collect.js';

function chat(id: string, times: string[], texts: string[] = []): Conversation {
  const base = makeConversation(id, times.length);
  base.messages = base.messages.map((message, index) => ({
    ...message,
    time: times[index]!,
    text: texts[index] ?? message.text,
    type: texts[index] === '' ? ('media' as const) : message.type,
  }));
  return base;
}

describe('StatsCollector', () => {
  it('counts messages, my share, text, media, tokens and local dates per chat and source', () => {
    const collector = new StatsCollector('America/New_York');
    // 03:00 UTC on Jan 2 is still Jan 1 in New York.
    collector.add(
      chat(
        'a',
        [
          '2024-01-02T03:00:00.000Z',
          '2024-01-02T15:00:00.000Z',
          '2024-03-05T15:00:00.000Z',
          '2024-03-05T16:00:00.000Z',
        ],
        ['hi', 'hello there', '', 'ok'],
      ),
      'a.txt',
      'whatsapp-txt',
    );
    collector.add(
      chat('b', ['2024-02-01T12:00:00.000Z', '2024-02-01T12:01:00.000Z']),
      'b.zip',
      'whatsapp-txt',
    );
    const stats = collector.stats();
    expect(stats.totals).toMatchObject({
      chats: 2,
      sources: 2,
      messages: 6,
      mine: 3,
      media: 1,
      text: 5,
      first: '2024-01-01',
      last: '2024-03-05',
    });
    expect(stats.totals.myShare).toBe(0.5);
    const [first, second] = stats.chats;
    expect(first).toMatchObject({
      id: 'whatsapp:a',
      messages: 4,
      mine: 2,
      myShare: 0.5,
      first: '2024-01-01',
      last: '2024-03-05',
      source: 'a.txt',
    });
    // "hello there" is 2 tokens, "ok" 1 in o200k.
    expect(first!.myTextTokens).toBe(3);
    expect(second).toMatchObject({ id: 'whatsapp:b', messages: 2, mine: 1 });
    expect(stats.sources.map((source) => [source.path, source.chats, source.formats])).toEqual([
      ['a.txt', 1, ['whatsapp-txt']],
      ['b.zip', 1, ['whatsapp-txt']],
    ]);
    expect(collector.selfName()).toBe('Sam Rivera');
  });

  it('fills every month between the first and the last, and counts my hours in local time', () => {
    const collector = new StatsCollector('Europe/Berlin');
    collector.add(
      chat(
        'a',
        [
          '2023-11-30T23:30:00.000Z',
          '2023-12-01T08:00:00.000Z',
          '2024-02-10T10:00:00.000Z',
          '2024-02-10T10:05:00.000Z',
        ],
        ['a', 'x'.repeat(30), 'b', 'y'.repeat(400)],
      ),
      'a.txt',
      'whatsapp-txt',
    );
    const activity = collector.activity();
    expect(activity.months.map((month) => month.month)).toEqual(['2023-12', '2024-01', '2024-02']);
    expect(activity.months.map((month) => month.counts.whatsapp ?? 0)).toEqual([2, 0, 2]);
    expect(activity.platforms).toEqual(['whatsapp']);
    // Mine: the 2nd (Friday 09:00 Berlin) and 4th (Saturday 11:05 Berlin).
    expect(activity.hours[4]![9]).toBe(1);
    expect(activity.hours[5]![11]).toBe(1);
    expect(activity.hours.flat().reduce((a, b) => a + b, 0)).toBe(2);
    expect(activity.hoursOfEveryone).toBe(false);
    expect(activity.replyLengths.find((bucket) => bucket.label === '21–40')!.count).toBe(1);
    expect(activity.replyLengths.find((bucket) => bucket.label === '321+')!.count).toBe(1);
    expect(activity.medianReplyChars).toBe(30);
  });

  it('shows everyone’s hours when nobody is marked as the person', () => {
    const collector = new StatsCollector('UTC');
    const conversation = chat('a', ['2024-01-01T10:00:00.000Z']);
    conversation.participants = conversation.participants.map((person) => ({
      ...person,
      self: false,
    }));
    collector.add(conversation, 'a.txt', 'whatsapp-txt');
    const activity = collector.activity();
    expect(activity.hoursOfEveryone).toBe(true);
    expect(activity.hours[0]![10]).toBe(1);
    expect(collector.stats().totals.mine).toBe(0);
    expect(collector.selfName()).toBeUndefined();
  });
});
