import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from './lines.js';

async function lines(chunks: (string | Buffer)[], loneCarriageReturn = false): Promise<string[]> {
  const out: string[] = [];
  const stream = Readable.from(
    chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)),
  );
  for await (const line of readLines(stream, { loneCarriageReturn })) out.push(line);
  return out;
}

describe('readLines', () => {
  it('splits LF and CRLF and drops a BOM', async () => {
    expect(await lines(['\uFEFFa\r\nb\nc'])).toEqual(['a', 'b', 'c']);
    expect(await lines(['a\n\nb\n'])).toEqual(['a', '', 'b']);
  });

  it('joins lines and CRLF pairs split across chunks', async () => {
    expect(await lines(['hel', 'lo\r', '\nwor', 'ld\r\n'])).toEqual(['hello', 'world']);
  });

  it('keeps a lone CR inside a line unless asked to break on it', async () => {
    expect(await lines(['a\rb\n'])).toEqual(['a\rb']);
    expect(await lines(['a\rb\r', '\nc\r'], true)).toEqual(['a', 'b', 'c']);
  });

  it('decodes a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from('👩🏻‍⚖️ ok\n');
    expect(await lines([bytes.subarray(0, 2), bytes.subarray(2, 7), bytes.subarray(7)])).toEqual([
      '👩🏻‍⚖️ ok',
    ]);
  });
});

describe('readLines on long lines', () => {
  it('joins a line spread over many chunks', async () => {
    const long = 'x'.repeat(10_000);
    const chunks = [];
    for (let index = 0; index < long.length; index += 100)
      chunks.push(long.slice(index, index + 100));
    expect(await lines([...chunks, '\nshort\n', 'tail'])).toEqual([long, 'short', 'tail']);
  });

  it('keeps empty lines at chunk edges and drops only the final newline', async () => {
    expect(await lines(['a\n', '\n', 'b\n\n'])).toEqual(['a', '', 'b', '']);
    expect(await lines(['\n'])).toEqual(['']);
  });
});
