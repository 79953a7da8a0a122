import { describe, expect, it } from 'vitest';
import {
  ConversationSchema,
  sortMessages,
  type Conversation,
  type Message,
} from './conversation.js';
import { validConversation } from './__fixtures__/conversations.js';

function issuesOf(value: unknown): string[] {
  const result = ConversationSchema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function withChange(change: (conversation: Conversation) => void): Conversation {
  const conversation = validConversation();
  change(conversation);
  return conversation;
}

describe('ConversationSchema', () => {
  it('accepts a valid conversation and keeps every field', () => {
    const conversation = validConversation();
    expect(ConversationSchema.parse(conversation)).toEqual(conversation);
  });

  it('accepts a JSON round trip unchanged', () => {
    const conversation = validConversation();
    expect(ConversationSchema.parse(JSON.parse(JSON.stringify(conversation)))).toEqual(
      conversation,
    );
  });

  it.each<[string, (conversation: Conversation) => void, RegExp]>([
    [
      'a wrong schema id',
      (c) => ((c as { schema: string }).schema = 'alterego.conversation/2'),
      /^schema:/,
    ],
    [
      'an unknown platform',
      (c) => ((c as { platform: string }).platform = 'myspace'),
      /^platform:/,
    ],
    ['an unknown kind', (c) => ((c as { kind: string }).kind = 'channel'), /^kind:/],
    [
      'a time without milliseconds',
      (c) => (c.messages[1]!.time = '2023-12-30T21:15:00Z'),
      /^messages\.1\.time:/,
    ],
    [
      'a time with an offset',
      (c) => (c.messages[1]!.time = '2023-12-30T21:15:00.000+01:00'),
      /^messages\.1\.time:/,
    ],
    [
      'an impossible date',
      (c) => (c.messages[1]!.time = '2023-02-30T21:15:00.000Z'),
      /real calendar time/,
    ],
    [
      'an unknown message type',
      (c) => ((c.messages[1] as { type: string }).type = 'gift'),
      /^messages\.1\.type:/,
    ],
    ['text that is not NFC', (c) => (c.messages[1]!.text = 'cafe\u0301'), /NFC/],
    [
      'an extra message field',
      (c) => ((c.messages[1] as Message & { extra?: number }).extra = 1),
      /messages\.1/,
    ],
    [
      'edited: false',
      (c) => ((c.messages[2] as { edited: unknown }).edited = false),
      /messages\.2\.edited/,
    ],
    [
      'an unknown attachment type',
      (c) => ((c.messages[3]!.attachments![0] as { type: string }).type = 'hologram'),
      /attachments\.0\.type/,
    ],
    [
      'a sender that is not a participant',
      (c) => (c.messages[1]!.senderId = 'p9'),
      /sender "p9" is not a participant/,
    ],
    [
      'a reaction from a stranger',
      (c) => (c.messages[1]!.reactions![0]!.senderId = 'p9'),
      /reaction sender "p9"/,
    ],
    [
      'two self participants',
      (c) => (c.participants[1]!.self = true),
      /at most one participant can be self/,
    ],
    [
      'duplicate participant ids',
      (c) => (c.participants[1]!.id = 'p1'),
      /duplicate participant id/,
    ],
    ['duplicate message ids', (c) => (c.messages[2]!.id = 'm2'), /duplicate message id "m2"/],
    [
      'messages out of time order',
      (c) => (c.messages[3]!.time = '2023-12-30T21:00:00.000Z'),
      /ascending by time/,
    ],
    ['a missing source', (c) => delete (c as Partial<Conversation>).source, /^source:/],
  ])('rejects %s', (_name, change, expected) => {
    const issues = issuesOf(withChange(change));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.join('\n')).toMatch(expected);
  });

  it('accepts system lines without a sender and an empty title', () => {
    expect(issuesOf(withChange((c) => (c.title = null)))).toEqual([]);
  });
});

describe('sortMessages', () => {
  it('sorts by time and keeps file order at equal times', () => {
    const at = (id: string, time: string): Message => ({
      id,
      senderId: null,
      time,
      type: 'system',
      text: id,
    });
    const sorted = sortMessages([
      at('c', '2024-01-02T00:00:00.000Z'),
      at('a', '2024-01-01T00:00:00.000Z'),
      at('b1', '2024-01-01T12:00:00.000Z'),
      at('b2', '2024-01-01T12:00:00.000Z'),
    ]);
    expect(sorted.map((message) => message.id)).toEqual(['a', 'b1', 'b2', 'c']);
  });
});

describe('InstantSchema', () => {
  it.each([
    ['2024-02-29T23:59:59.999Z', true],
    ['2023-02-29T00:00:00.000Z', false],
    ['1900-02-29T00:00:00.000Z', false],
    ['2000-02-29T00:00:00.000Z', true],
    ['2024-04-31T00:00:00.000Z', false],
    ['2024-13-01T00:00:00.000Z', false],
    ['2024-12-31T24:00:00.000Z', false],
    ['2024-12-31T23:60:00.000Z', false],
    ['2024-00-10T00:00:00.000Z', false],
  ])('%s valid: %s', async (value, valid) => {
    const { InstantSchema } = await import('./conversation.js');
    expect(InstantSchema.safeParse(value).success).toBe(valid);
  });
});
