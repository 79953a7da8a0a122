import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempFolders } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { chat } from './__fixtures__/chats.js';
import { DatasetError } from './dataset-error.js';
import { hashInput } from './input-hash.js';
import { writeDataset } from './write-dataset.js';

const temp = useTempFolders('alterego-write-');

function sessions(count: number) {
  const messages: [string, number, string][] = [];
  for (let index = 0; index < count; index += 1) {
    messages.push(
      ['alex', index * 600, `question ${index}?`],
      ['me', index * 600 + 1, `answer ${index}`],
    );
  }
  return chat({ messages });
}

describe('writeDataset', () => {
  it('writes train, valid and manifest, and records inputs and options', async () => {
    const dir = temp.dir();
    const input = join(temp.write({ 'a.jsonl': 'x' }), 'a.jsonl');
    const manifest = await writeDataset(
      dir,
      [sessions(30)],
      { validFraction: 0.2 },
      {
        inputs: [await hashInput(input, 'a.jsonl')],
      },
    );
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', 'train.jsonl', 'valid.jsonl']);
    expect(manifest.examples).toEqual({ train: 24, valid: 6 });
    expect(manifest.inputs).toEqual([
      {
        path: 'a.jsonl',
        bytes: 1,
        sha256: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881',
      },
    ]);
    const written = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(written.options.sessionGapMinutes).toBe(60);
    expect((await readFile(join(dir, 'train.jsonl'), 'utf8')).split('\n')).toHaveLength(25);
  });

  it('writes nothing and leaves old files alone when there are too few examples', async () => {
    const dir = temp.dir();
    await writeFile(join(dir, 'train.jsonl'), 'old\n');
    const error = await writeDataset(dir, [sessions(3)]).catch((caught: unknown) => caught);
    expect(DatasetError.isInstance(error)).toBe(true);
    expect(await readdir(dir)).toEqual(['train.jsonl']);
    expect(await readFile(join(dir, 'train.jsonl'), 'utf8')).toBe('old\n');
    const fresh = join(temp.dir(), 'new');
    await expect(writeDataset(fresh, [sessions(3)])).rejects.toThrow(/at least 10 are needed/);
    await expect(readdir(fresh)).rejects.toThrow(/ENOENT/);
  });
});

describe('hashInput', () => {
  it('hashes a folder by relative paths and contents', async () => {
    const a = await hashInput(temp.write({ 'x/1.txt': 'one', '2.txt': 'two' }));
    const b = await hashInput(temp.write({ '2.txt': 'two', 'x/1.txt': 'one' }));
    const c = await hashInput(temp.write({ '2.txt': 'two', 'x/1.txt': 'uno' }));
    expect(a.sha256).toBe(b.sha256);
    expect(a.sha256).not.toBe(c.sha256);
    expect(a.bytes).toBe(6);
  });
});
