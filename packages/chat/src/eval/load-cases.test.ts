import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParseError } from '@alterego/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEvalCases, sampleIndices } from './load-cases.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alterego-eval-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const system = { role: 'system', content: 'You are Sam.' };

async function validFile(lines: readonly unknown[]): Promise<string> {
  const file = join(dir, 'valid.jsonl');
  await writeFile(
    file,
    lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n',
  );
  return file;
}

describe('loadEvalCases', () => {
  it('makes a case of every trained reply, with the turns before it as history', async () => {
    const file = await validFile([
      {
        messages: [
          system,
          { role: 'user', content: 'hike this weekend?' },
          { role: 'assistant', content: 'in!! which trail', weight: 0 },
          { role: 'user', content: 'the ridge one' },
          { role: 'assistant', content: 'ok\nI’ll bring snacks 🥨' },
        ],
      },
      '',
      {
        messages: [
          { role: 'assistant', content: 'anyone up for games' },
          { role: 'user', content: 'yes' },
          { role: 'assistant', content: 'thursday then', weight: 1 },
        ],
      },
    ]);
    const cases = await loadEvalCases(file);
    expect(cases).toEqual([
      {
        id: '1:4',
        history: [
          { role: 'user', content: 'hike this weekend?' },
          { role: 'assistant', content: 'in!! which trail' },
          { role: 'user', content: 'the ridge one' },
        ],
        real: 'ok\nI’ll bring snacks 🥨',
      },
      // The opening "anyone up for games" answers nothing, so it is context only.
      {
        id: '3:2',
        history: [
          { role: 'assistant', content: 'anyone up for games' },
          { role: 'user', content: 'yes' },
        ],
        real: 'thursday then',
      },
    ]);
  });

  it('samples over the limit deterministically, in file order', async () => {
    const lines = Array.from({ length: 30 }, (_, index) => ({
      messages: [
        { role: 'user', content: `question ${index}` },
        { role: 'assistant', content: `answer ${index}` },
      ],
    }));
    const file = await validFile(lines);
    expect(await loadEvalCases(file)).toHaveLength(30);
    const first = await loadEvalCases(file, { limit: 10 });
    const again = await loadEvalCases(file, { limit: 10 });
    const other = await loadEvalCases(file, { limit: 10, seed: 7 });
    expect(first).toHaveLength(10);
    expect(again).toEqual(first);
    expect(other.map((c) => c.id)).not.toEqual(first.map((c) => c.id));
    const lineOf = (id: string): number => Number(id.split(':')[0]);
    const order = first.map((c) => lineOf(c.id));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(10);
    expect(await loadEvalCases(file, { limit: 0 })).toEqual([]);
  });

  it('reports a bad line with its file and line number', async () => {
    const good = {
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'yo' },
      ],
    };
    const cases: Array<[unknown, RegExp]> = [
      ['{"messages": [', /:2: expected one JSON object per line/],
      [{ prompt: 'hi' }, /:2: expected an object with a "messages" array/],
      [{ messages: [{ role: 'tool', content: 'x' }] }, /:2: expected messages\[0\] to have a role/],
      [{ messages: [{ role: 'user', content: ['x'] }] }, /:2: expected messages\[0\]/],
      [
        {
          messages: [
            { role: 'user', content: 'a' },
            { role: 'assistant', content: 'b', weight: 2 },
          ],
        },
        /:2: expected messages\[1\]\.weight to be 0 or 1/,
      ],
    ];
    for (const [bad, message] of cases) {
      const file = await validFile([good, bad]);
      const error = await loadEvalCases(file).catch((caught: unknown) => caught);
      expect(ParseError.isInstance(error)).toBe(true);
      expect((error as ParseError).message).toMatch(message);
      expect((error as ParseError).message.startsWith(`${file}:2: `)).toBe(true);
      expect((error as ParseError).line).toBe(2);
      expect((error as ParseError).message).not.toContain('\n');
    }
  });

  it('rejects a missing file and bad options', async () => {
    await expect(loadEvalCases(join(dir, 'missing.jsonl'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    const file = await validFile([]);
    await expect(loadEvalCases(file, { limit: -1 })).rejects.toThrow(/limit/);
    await expect(loadEvalCases(file, { limit: 1.5 })).rejects.toThrow(/limit/);
  });
});

describe('sampleIndices', () => {
  it('picks distinct indices in ascending order, the same for the same seed', () => {
    const picked = sampleIndices(100, 20, 42);
    expect(picked).toHaveLength(20);
    expect(new Set(picked).size).toBe(20);
    expect(picked).toEqual([...picked].sort((a, b) => a - b));
    expect(sampleIndices(100, 20, 42)).toEqual(picked);
    expect(picked.every((index) => index >= 0 && index < 100)).toBe(true);
    expect(sampleIndices(3, 5, 1)).toEqual([0, 1, 2]);
  });
});
