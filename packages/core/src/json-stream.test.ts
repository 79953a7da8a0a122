import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ParseError } from './errors/parse-error.js';
import { formatJsonPath, streamJson, type JsonPath, type JsonStreamEvent } from './json-stream.js';

/** Splits text into chunks of `size` bytes, so that every boundary case is crossed. */
function chunks(text: string | Buffer, size: number): Buffer[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const out: Buffer[] = [];
  for (let index = 0; index < bytes.length; index += size)
    out.push(bytes.subarray(index, index + size));
  return out;
}

async function events(
  text: string | Buffer,
  arrays: readonly JsonPath[],
  size = 1 << 16,
  maxValueBytes?: number,
): Promise<JsonStreamEvent[]> {
  const out: JsonStreamEvent[] = [];
  for await (const event of streamJson(Readable.from(chunks(text, size)), {
    arrays,
    file: 'result.json',
    maxValueBytes,
  })) {
    out.push(event);
  }
  return out;
}

async function failure(text: string, arrays: readonly JsonPath[] = [['messages']], size = 7) {
  try {
    await events(text, arrays, size);
  } catch (error) {
    expect(ParseError.isInstance(error)).toBe(true);
    return error as ParseError;
  }
  throw new Error('expected a ParseError');
}

const CHAT = `\uFEFF{
  "name": "Bob \\"B\\" \\\\ 👀",
  "id": 7,
  "messages": [
    {"id": 1, "text": "a ] } [ { \\" \\\\"},
    {"id": 2, "text": ["x", {"type": "bold", "text": "y"}]},
    3, -4.5e2, true, null, "s"
  ],
  "after": {"k": [1, 2]}
}`;

describe('streamJson', () => {
  it('yields fields and the elements of a chosen array in document order, at every chunk size', async () => {
    const expected: JsonStreamEvent[] = [
      { type: 'open', kind: 'object', path: [] },
      { type: 'value', path: ['name'], value: 'Bob "B" \\ 👀' },
      { type: 'value', path: ['id'], value: 7 },
      { type: 'open', kind: 'array', path: ['messages'] },
      { type: 'element', path: ['messages', 0], value: { id: 1, text: 'a ] } [ { " \\' }, line: 5 },
      {
        type: 'element',
        path: ['messages', 1],
        value: { id: 2, text: ['x', { type: 'bold', text: 'y' }] },
        line: 6,
      },
      { type: 'element', path: ['messages', 2], value: 3, line: 7 },
      { type: 'element', path: ['messages', 3], value: -450, line: 7 },
      { type: 'element', path: ['messages', 4], value: true, line: 7 },
      { type: 'element', path: ['messages', 5], value: null, line: 7 },
      { type: 'element', path: ['messages', 6], value: 's', line: 7 },
      { type: 'close', kind: 'array', path: ['messages'] },
      { type: 'value', path: ['after'], value: { k: [1, 2] } },
      { type: 'close', kind: 'object', path: [] },
    ];
    for (const size of [1, 2, 3, 5, 64, 1 << 16]) {
      expect(await events(CHAT, [['messages']], size), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('walks nested paths with wildcards and reports where each container opens and closes', async () => {
    const text = JSON.stringify({
      about: 'x',
      personal_information: { user_id: 1 },
      chats: {
        about: 'y',
        list: [
          { name: 'A', messages: [{ id: 1 }, { id: 2 }] },
          { messages: [], name: 'B' },
        ],
      },
    });
    const got = await events(text, [['chats', 'list', '*', 'messages']], 3);
    expect(got.map((event) => `${event.type} ${formatJsonPath(event.path)}`)).toEqual([
      'open (root)',
      'value about',
      'value personal_information',
      'open chats',
      'value chats.about',
      'open chats.list',
      'open chats.list[0]',
      'value chats.list[0].name',
      'open chats.list[0].messages',
      'element chats.list[0].messages[0]',
      'element chats.list[0].messages[1]',
      'close chats.list[0].messages',
      'close chats.list[0]',
      'open chats.list[1]',
      'open chats.list[1].messages',
      'close chats.list[1].messages',
      'value chats.list[1].name',
      'close chats.list[1]',
      'close chats.list',
      'close chats',
      'close (root)',
    ]);
  });

  it('keeps a multi-byte character split across chunks whole', async () => {
    const got = await events('{"messages":["héllo 👩🏻‍⚖️ 日本"]}', [['messages']], 1);
    expect(got.find((event) => event.type === 'element')).toMatchObject({ value: 'héllo 👩🏻‍⚖️ 日本' });
  });

  it('parses a value that is not a container on the chosen path whole', async () => {
    const got = await events('{"messages": {"not": "an array"}}', [['messages']]);
    expect(got).toContainEqual({ type: 'value', path: ['messages'], value: { not: 'an array' } });
  });

  it('reports one balanced but broken element and goes on', async () => {
    const got = await events(
      '{"messages": [\n{"id": 1},\n{"id": 2,},\n{"id": 3}\n]}',
      [['messages']],
      4,
    );
    expect(got.filter((event) => event.type === 'element').map((event) => event.path[1])).toEqual([
      0, 2,
    ]);
    const invalid = got.find((event) => event.type === 'invalid');
    expect(invalid).toMatchObject({ path: ['messages', 1], line: 3, offset: 26 });
  });

  it('throws a ParseError with the file, line and byte offset on broken structure', async () => {
    const missingComma = await failure('{\n"name": "a"\n"messages": []}');
    expect(missingComma.file).toBe('result.json');
    expect(missingComma.line).toBe(3);
    expect(missingComma.message).toBe(
      `result.json:3: invalid JSON at byte 14: expected ',' or '}' after name, found '"'`,
    );
    expect((await failure('{"messages": [1, 2')).message).toMatch(
      /ends inside messages.*cut short/,
    );
    expect((await failure('{"messages": [{"id": 1')).message).toMatch(
      /ends inside messages\[0\], which starts at byte 14 \(line 1\)/,
    );
    expect((await failure('{"name" "a"}')).message).toMatch(/expected ':' after the key "name"/);
    expect((await failure('{"a": 1} x')).message).toMatch(/unexpected 'x' after the end/);
    expect((await failure('')).message).toMatch(/the file is empty/);
    expect((await failure('{"a": @}')).message).toMatch(/expected a value at a, found '@'/);
    expect((await failure('{"a": tru }')).message).toMatch(/a is not valid JSON/);
    expect((await failure('{1: 2}')).message).toMatch(/expected a key in \(root\), found '1'/);
  });

  it('refuses a value larger than the limit instead of holding it', async () => {
    const text = `{"messages": [{"text": "${'x'.repeat(1000)}"}]}`;
    await expect(events(text, [['messages']], 100, 500)).rejects.toThrow(
      /messages\[0\], which starts at byte 14 \(line 1\), is larger than 500 bytes/,
    );
    expect(await events(text, [['messages']], 100, 2000)).toHaveLength(5);
  });

  it('reads a document whose root is the chosen array, and plain scalars at the root', async () => {
    expect(await events(' [1, {"a": 2}] ', [[]], 2)).toEqual([
      { type: 'open', kind: 'array', path: [] },
      { type: 'element', path: [0], value: 1, line: 1 },
      { type: 'element', path: [1], value: { a: 2 }, line: 1 },
      { type: 'close', kind: 'array', path: [] },
    ]);
    expect(await events('42', [['messages']], 1)).toEqual([{ type: 'value', path: [], value: 42 }]);
  });

  it('accepts strings and Uint8Arrays as chunks', async () => {
    const source = (async function* () {
      yield '{"messages": [';
      yield new Uint8Array(Buffer.from('1]}'));
    })();
    const got: JsonStreamEvent[] = [];
    for await (const event of streamJson(source, { arrays: [['messages']], file: 'x.json' }))
      got.push(event);
    expect(got.filter((event) => event.type === 'element')).toHaveLength(1);
  });
});

describe('streamJson on escapes', () => {
  it('tells escaped quotes from closing ones, at every chunk boundary', async () => {
    const values = ['a\\', '\\"', 'x\\\\"y', '"', '\\\\\\', 'end\\', 'q"\\"', ''];
    const text = JSON.stringify({ messages: values.map((text) => ({ text })) });
    for (const size of [1, 2, 3, 4, 7, 1024]) {
      const got = (await events(text, [['messages']], size)).filter(
        (event) => event.type === 'element',
      );
      expect(
        got.map((event) => (event.value as { text: string }).text),
        `chunks of ${size}`,
      ).toEqual(values);
    }
  });
});
