import { describe, expect, it } from 'vitest';
import { decodeWrites, encodeWrites, type Write } from './memory-writes.js';

describe('encodeWrites and decodeWrites', () => {
  it('carry every kind of write, any text and any time, in order', () => {
    const writes: Write[] = [
      {
        counterpart: '+15551234567',
        turn: { role: 'user', content: 'hey' },
        time: 1_767_225_600_000,
      },
      {
        counterpart: 'alex',
        turn: { role: 'assistant', content: 'é😀\u0000\n€' },
        time: 0.5,
        plan: 'merge',
      },
      { counterpart: 'alex' },
      { counterpart: '', turn: { role: 'user', content: '' }, time: -1, plan: 'insert' },
      {
        counterpart: 'ß'.repeat(300),
        turn: { role: 'assistant', content: 'x'.repeat(70_000) },
        time: 2,
        plan: 'new-session',
      },
      {
        counterpart: 'zoë',
        turn: { role: 'user', content: 'last' },
        time: 3,
        plan: 'insert-prune',
      },
    ];
    expect(decodeWrites(encodeWrites(writes))).toEqual(writes);
    expect(decodeWrites(encodeWrites([]))).toEqual([]);
  });

  it('decode from a view into a larger buffer, as a transferred subarray arrives', () => {
    const bytes = encodeWrites([
      { counterpart: 'a', turn: { role: 'user', content: 'b' }, time: 1 },
    ]);
    const larger = new Uint8Array(bytes.length + 10);
    larger.set(bytes, 5);
    expect(decodeWrites(larger.subarray(5, 5 + bytes.length))).toEqual([
      { counterpart: 'a', turn: { role: 'user', content: 'b' }, time: 1 },
    ]);
  });
});
