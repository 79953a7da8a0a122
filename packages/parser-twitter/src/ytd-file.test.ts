import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseAssignedJson, readYtdFile, YtdFormatError, type YtdBatch } from './ytd-file.js';

function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    chunks.push(bytes.subarray(offset, offset + size));
  }
  return Readable.from(chunks);
}

async function read(text: string, size = 1 << 16) {
  const batches: YtdBatch[] = [];
  for await (const batch of readYtdFile(chunked(text, size))) batches.push(batch);
  return {
    items: batches.flatMap((batch) => batch.items),
    problems: batches.flatMap((batch) => batch.problems),
  };
}

const FILE = `window.YTD.tweets.part0 = [ {
  "tweet" : {
    "id_str" : "1",
    "full_text" : "say \\"hi\\" {not [a brace] \\\\",
    "emoji" : "😀 café"
  }
}, {
  "tweet" : {
    "id_str" : "2",
    "nested" : [ [ 1, 2 ], { "a" : [ ] } ]
  }
} ]`;

describe('readYtdFile', () => {
  it('reads the array after the assignment as data, with each item’s line', async () => {
    const { items, problems } = await read(FILE);
    expect(problems).toEqual([]);
    expect(items.map((item) => item.line)).toEqual([1, 7]);
    expect(items[0]!.value).toEqual({
      tweet: { id_str: '1', full_text: 'say "hi" {not [a brace] \\', emoji: '😀 café' },
    });
    expect(items[1]!.value).toEqual({ tweet: { id_str: '2', nested: [[1, 2], { a: [] }] } });
  });

  it('gives the same items whatever the chunk boundaries', async () => {
    const whole = await read(FILE);
    for (const size of [1, 2, 3, 5, 7, 16, 33]) {
      expect(await read(FILE, size)).toEqual(whole);
    }
  });

  it('never evaluates the file: code after the "=" is not run', async () => {
    const { items, problems } = await read('window.YTD.x.part0 = [ process.exit(1), {"a":1} ]');
    expect(items).toEqual([{ value: { a: 1 }, line: 1 }]);
    expect(problems).toHaveLength(1);
  });

  it('accepts any global name, a trailing semicolon, one-line and empty files', async () => {
    expect((await read('window.YTD.tweet.part0 = [{"tweet":{"id":"1"}}];\n')).items).toHaveLength(
      1,
    );
    expect(await read('window.YTD.tweets.part0 = []')).toEqual({ items: [], problems: [] });
    expect(
      (await read('window.__SOMETHING_ELSE = [ 1, "two", null ]')).items.map((i) => i.value),
    ).toEqual([1, 'two', null]);
    expect((await read('[{"a":1}]')).items).toHaveLength(1);
  });

  it('reads integers too long for a number as strings, keeping every digit', async () => {
    const { items } = await read(
      'window.YTD.x.part0 = [ { "id" : 1909659312177480030, "n" : 5, "s" : "12345678901234567890" } ]',
    );
    expect(items[0]!.value).toEqual({ id: '1909659312177480030', n: 5, s: '12345678901234567890' });
  });

  it('skips a broken item with its line and reads the rest', async () => {
    const { items, problems } = await read(
      'window.YTD.x.part0 = [\n{ "a" : 1 },\n{ "b" : tru },\n{ "c" : 3 }\n]',
      4,
    );
    expect(items.map((item) => item.value)).toEqual([{ a: 1 }, { c: 3 }]);
    expect(problems).toEqual([
      { line: 3, reason: expect.stringMatching(/^an item is not valid JSON/) },
    ]);
  });

  it('reports a file cut short inside an item or before the closing bracket', async () => {
    const inside = await read('window.YTD.x.part0 = [\n{ "a" : 1 },\n{ "b" : "unfinished');
    expect(inside.items).toHaveLength(1);
    expect(inside.problems).toEqual([
      { line: 3, reason: 'the file ends inside an item; the item was skipped' },
    ]);
    const before = await read('window.YTD.x.part0 = [\n{ "a" : 1 },\n');
    expect(before.items).toHaveLength(1);
    expect(before.problems[0]!.reason).toMatch(/before the closing/);
  });

  it('reports text after the array once', async () => {
    const { problems } = await read('window.YTD.x.part0 = [ ]\nalert(1); alert(2)');
    expect(problems).toEqual([
      { line: 2, reason: 'unexpected text after the closing "]" was ignored' },
    ]);
  });

  it('throws YtdFormatError for files that are not archive data files', async () => {
    await expect(read('{"not": "an array"}')).rejects.toBeInstanceOf(YtdFormatError);
    await expect(read('window.YTD.x.part0 = { "a" : 1 }')).rejects.toThrow(
      /expected "\[" after the "="/,
    );
    await expect(read('')).rejects.toThrow(/found no array/);
    await expect(read('x'.repeat(5000))).rejects.toThrow(/found no "="/);
  });
});

describe('parseAssignedJson', () => {
  it('reads the object after the first "=" without a trailing semicolon', () => {
    expect(
      parseAssignedJson(
        'window.__THAR_CONFIG = {\n  "userInfo" : { "accountId" : "1", "big" : 12345678901234567890 }\n};\n',
      ),
    ).toEqual({ userInfo: { accountId: '1', big: '12345678901234567890' } });
  });
});
