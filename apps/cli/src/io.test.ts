import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeOut } from './io.js';

/** A stream that holds one byte before it asks writers to wait, and finishes writes on demand. */
function slowStream() {
  const written: string[] = [];
  const pending: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString());
      pending.push(callback);
    },
  });
  return { stream, written, flush: () => pending.splice(0).forEach((callback) => callback()) };
}

describe('writeOut', () => {
  it('returns at once while the stream has room', async () => {
    const stream = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    await expect(writeOut(stream, 'a')).resolves.toBeUndefined();
  });

  it('waits for the stream to drain when it is full', async () => {
    const { stream, written, flush } = slowStream();
    let done = false;
    const writing = writeOut(stream, 'line\n').then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(['line\n']);
    expect(done).toBe(false);
    flush();
    await writing;
    expect(done).toBe(true);
  });

  it('rejects when the stream fails while it waits', async () => {
    const { stream } = slowStream();
    const writing = writeOut(stream, 'line\n');
    stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await expect(writing).rejects.toThrow('EPIPE');
  });
});
