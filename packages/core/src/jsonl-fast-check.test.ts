import { describe, expect, it } from 'vitest';
import { ConversationSchema } from './conversation.js';
import { isPlainValidConversation } from './jsonl-fast-check.js';
import { seededRandom } from './test/random.js';
import { validConversation } from './__fixtures__/conversations.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What the schema makes of a value: its output as JSON text (key order included), or undefined. */
function schemaOutput(value: unknown): string | undefined {
  const result = ConversationSchema.safeParse(value);
  return result.success ? JSON.stringify(result.data) : undefined;
}

function fixture(): Json {
  return JSON.parse(JSON.stringify(validConversation())) as Json;
}

// Values that break (or keep) one rule: ids, times, NFC, enums, types, references to ids.
const REPLACEMENTS: Json[] = [
  '',
  'x',
  'p1',
  'p2',
  'p3',
  'm1',
  'm2',
  'e\u0301',
  'é',
  'text',
  'image',
  'direct',
  'channel',
  'whatsapp',
  'myspace',
  'alterego.conversation/2',
  '2023-12-30T21:15:00.000Z',
  '2023-12-30T21:14:59.999Z',
  '2023-12-31T00:00:00.000Z',
  '2024-02-29T10:00:00.000Z',
  '2023-02-29T10:00:00.000Z',
  '2023-04-31T10:00:00.000Z',
  '2023-12-30T24:00:00.000Z',
  '2023-12-30T21:60:00.000Z',
  '2023-12-30T21:15:60.000Z',
  '2023-00-10T21:15:00.000Z',
  '2023-12-30 21:15:00.000Z',
  '2023-12-30T21:15:00Z',
  '2023-12-30T21:15:00.000+01:00',
  '2023-1a-30T21:15:00.000Z',
  0,
  1,
  null,
  true,
  false,
  [],
  ['x'],
  [''],
  {},
  { type: 'image' },
  { type: 'gif', name: 'a', uri: 'b' },
  { name: 'a', type: 'image' },
  { emoji: '👍', senderId: 'p1' },
  { emoji: '👍', senderId: 'p9' },
  { senderId: 'p1', emoji: '👍' },
  { id: 'p1', name: 'Sam', self: true },
  { id: 'p3', name: 'Kim', self: true },
  { id: 'p3', name: 'Kim', self: false },
  { id: 'p3', self: false, name: 'Kim' },
];

function children(value: Json): [Json[] | Record<string, Json>, string | number][] {
  if (Array.isArray(value)) return value.map((_, index) => [value, index]);
  if (value !== null && typeof value === 'object')
    return Object.keys(value).map((key) => [value, key]);
  return [];
}

/** Every place in the tree: its parent and its key. */
function places(root: Json): [Json[] | Record<string, Json>, string | number][] {
  const all: [Json[] | Record<string, Json>, string | number][] = [];
  const visit = (value: Json) => {
    for (const place of children(value)) {
      all.push(place);
      const [parent, key] = place;
      visit((parent as Record<string, Json>)[key as string]!);
    }
  };
  visit(root);
  return all;
}

/** One to three random changes: a value replaced, a key deleted, added or moved, an item added. */
function mutate(next: () => number): Json {
  const root = fixture();
  const changes = 1 + Math.floor(next() * 3);
  for (let change = 0; change < changes; change += 1) {
    const all = places(root);
    const [parent, key] = all[Math.floor(next() * all.length)]!;
    const roll = next();
    const replacement = REPLACEMENTS[Math.floor(next() * REPLACEMENTS.length)]!;
    if (Array.isArray(parent)) {
      const index = key as number;
      if (roll < 0.6) parent[index] = structuredClone(replacement);
      else if (roll < 0.8) parent.push(structuredClone(parent[index]!));
      else parent.splice(index, 1);
    } else {
      const name = key as string;
      if (roll < 0.6) parent[name] = structuredClone(replacement);
      else if (roll < 0.75) delete parent[name];
      else if (roll < 0.85) parent.extra = structuredClone(replacement);
      else {
        // Move the key to the end: same content, another key order.
        const moved = parent[name]!;
        delete parent[name];
        parent[name] = moved;
      }
    }
  }
  return root;
}

describe('isPlainValidConversation', () => {
  it('accepts a valid conversation as written, keeping the very object', () => {
    const value = fixture();
    expect(isPlainValidConversation(value)).toBe(true);
    expect(schemaOutput(value)).toBe(JSON.stringify(value));
  });

  const message = (value: Record<string, Json>, index: number) =>
    (value.messages as Record<string, Json>[])[index]!;
  const participant = (value: Record<string, Json>, index: number) =>
    (value.participants as Record<string, Json>[])[index]!;

  it.each<[string, (value: Record<string, Json>) => void]>([
    [
      'keys in another order',
      (value) => {
        const id = value.id!;
        delete value.id;
        value.id = id;
      },
    ],
    ['an unknown key', (value) => (value.extra = 1)],
    ['a missing key', (value) => delete value.title],
    ['a missing self', (value) => delete participant(value, 0).self],
    ['no handles', (value) => delete participant(value, 1).handles],
    ['an empty handle', (value) => (participant(value, 1).handles = [''])],
    ['a bad platform', (value) => (value.platform = 'myspace')],
    ['a posts feed', (value) => (value.kind = 'posts')],
    ['no title', (value) => (value.title = null)],
    ['text not in NFC', (value) => (participant(value, 0).name = 'e\u0301')],
    ['text in NFC beyond U+0300', (value) => (participant(value, 0).name = 'Zoë 🌸 中')],
    ...[
      '👍🏽 “ok” … 👨\u200d👩\u200d👧 ❤\ufe0f',
      '🌸\u0301',
      'e\u0301 🌸',
      '\u2000 en quad',
      '\u2126 ohm',
      '\ufb1d',
      'lone \ud83c high',
      'lone \udc00 low',
      '\ud800\udc00 another plane',
      '\ud834\udd5e musical',
    ].map((text): [string, (value: Record<string, Json>) => void] => [
      `the text ${JSON.stringify(text)}`,
      (value) => (message(value, 1).text = text),
    ]),
    ['two selves', (value) => (participant(value, 1).self = true)],
    ['a repeated participant id', (value) => (participant(value, 1).id = 'p1')],
    ['a stranger as sender', (value) => (message(value, 1).senderId = 'p9')],
    [
      'a stranger reacting',
      (value) => (message(value, 1).reactions = [{ emoji: '👍', senderId: 'p9' }]),
    ],
    ['an empty emoji', (value) => (message(value, 1).reactions = [{ emoji: '', senderId: 'p1' }])],
    ['edited: false', (value) => (message(value, 2).edited = false)],
    ['an empty replyTo', (value) => (message(value, 2).replyTo = '')],
    ['an unknown attachment type', (value) => (message(value, 3).attachments = [{ type: 'pdf' }])],
    [
      'an attachment with a uri',
      (value) => (message(value, 3).attachments = [{ type: 'file', name: 'a', uri: 'b' }]),
    ],
    ['a repeated message id', (value) => (message(value, 1).id = 'm1')],
    ['time going back', (value) => (message(value, 3).time = '2023-12-30T21:00:00.000Z')],
    ...[
      '2023-12-30T21:17:00.000Z',
      '2023-04-31T21:00:00.000Z',
      '2023-02-29T21:00:00.000Z',
      '2024-02-29T21:00:00.000Z',
      '2100-02-29T21:00:00.000Z',
      '2000-02-29T21:00:00.000Z',
      '2023-13-01T21:00:00.000Z',
      '2023-12-00T21:00:00.000Z',
      '2023-12-31T24:00:00.000Z',
      '2023-12-31T23:60:00.000Z',
      '2023-12-31T23:59:60.000Z',
      '2023-12-31T23:59:59.99Z',
      '2023-12-31T23:59:59.999',
      '2023-12-31t23:59:59.999Z',
      '2023-12-31T23:59:59.99aZ',
    ].map((time): [string, (value: Record<string, Json>) => void] => [
      `the time ${time}`,
      // On every message, so that they stay in time order.
      (value) => (value.messages as Record<string, Json>[]).forEach((item) => (item.time = time)),
    ]),
  ])('agrees with the schema on %s', (_, change) => {
    const value = fixture() as Record<string, Json>;
    change(value);
    expect(isPlainValidConversation(value)).toBe(schemaOutput(value) === JSON.stringify(value));
  });

  it('takes text as NFC exactly when normalize leaves it alone, character by character', () => {
    const value = fixture() as Record<string, Json>;
    const disagreements: string[] = [];
    const check = (text: string) => {
      message(value, 1).text = text;
      if (isPlainValidConversation(value) !== (text.normalize('NFC') === text)) {
        disagreements.push(JSON.stringify(text));
      }
    };
    for (let code = 0x20; code <= 0xffff; code += 1) check(`a${String.fromCharCode(code)}`);
    for (let code = 0x1f000; code <= 0x1fbff; code += 1) {
      check(`${String.fromCodePoint(code)}\u0301`);
      check(String.fromCodePoint(code));
    }
    expect(disagreements).toEqual([]);
  });

  it('accepts only what the schema accepts, and exactly as the schema returns it', () => {
    const next = seededRandom(97);
    let accepted = 0;
    let schemaOnly = 0;
    for (let round = 0; round < 2000; round += 1) {
      const value = mutate(next);
      const output = schemaOutput(value);
      const label = JSON.stringify(value);
      if (isPlainValidConversation(value)) {
        accepted += 1;
        expect(output, label).toBe(JSON.stringify(value));
      } else if (output !== undefined) {
        schemaOnly += 1;
        // Left to the schema only when the schema writes the keys in another order.
        expect(output, label).not.toBe(JSON.stringify(value));
      }
    }
    // The changes keep some conversations valid, and reorder the keys of others.
    expect(accepted).toBeGreaterThan(50);
    expect(schemaOnly).toBeGreaterThan(10);
  });
});
