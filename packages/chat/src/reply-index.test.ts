import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  example,
  jsonl,
  manifestFor,
  tempDir,
  TRAIN,
  writeDatasetFolder,
} from './__fixtures__/dataset.js';
import { createReplyIndex, ftsQuery, openReplyIndex, REPLY_INDEX_FILE } from './reply-index.js';

let folder: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  folder = await tempDir();
});
afterEach(async () => {
  await folder.remove();
});

describe('openReplyIndex', () => {
  it('indexes every trained exchange of train.jsonl once, and nothing of valid.jsonl', async () => {
    await writeDatasetFolder(folder.dir);
    const index = await openReplyIndex(folder.dir);
    try {
      // 7 pairs in the fixture: one repeated, one whose reply has weight 0.
      expect(index.size).toBe(5);
      expect(index.search('are you coming tonight?')[0]).toMatchObject({
        prompt: 'are you coming tonight?',
        reply: 'yes!! see you at 8',
      });
      expect(index.search('the ending though')[0]?.reply).toBe('honestly the ending was perfect');
      expect(
        index.search('what did you think of the movie').map((found) => found.reply),
      ).not.toContain('context only, not trained');
      expect(index.search('secret validation prompt pizza')).toEqual([]);
      expect((await stat(join(folder.dir, REPLY_INDEX_FILE))).mode & 0o777).toBe(0o600);
      expect((await readdir(folder.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      index.close();
    }
  });

  it('reuses the index while train.jsonl is unchanged and rebuilds it when it changes', async () => {
    await writeDatasetFolder(folder.dir);
    (await openReplyIndex(folder.dir)).close();
    const file = join(folder.dir, REPLY_INDEX_FILE);
    const built = (await stat(file)).mtimeMs;
    const again = await openReplyIndex(folder.dir);
    expect(again.size).toBe(5);
    again.close();
    expect((await stat(file)).mtimeMs).toBe(built);

    await writeDatasetFolder(folder.dir, [
      ...TRAIN,
      example(['new question about tacos', 'tacos!!']),
    ]);
    const rebuilt = await openReplyIndex(folder.dir);
    expect(rebuilt.size).toBe(6);
    expect(rebuilt.search('tacos')[0]?.reply).toBe('tacos!!');
    rebuilt.close();
  });

  it('rebuilds on request and into another file', async () => {
    await writeDatasetFolder(folder.dir);
    const file = join(folder.dir, 'elsewhere.sqlite');
    const index = await openReplyIndex(folder.dir, { file, rebuild: true });
    expect(index.size).toBe(5);
    index.close();
    expect((await readdir(folder.dir)).sort()).toContain('elsewhere.sqlite');
    expect(await readdir(folder.dir)).not.toContain(REPLY_INDEX_FILE);
  });

  it('names the line of train.jsonl that is not a training example', async () => {
    const train = `${jsonl(TRAIN.slice(0, 2))}not json\n`;
    await writeFile(join(folder.dir, 'train.jsonl'), train);
    await writeFile(join(folder.dir, 'manifest.json'), JSON.stringify(manifestFor(train)));
    await expect(openReplyIndex(folder.dir)).rejects.toThrow(
      `${join(folder.dir, 'train.jsonl')}:3: expected a JSON object with a "messages" array`,
    );
    expect(await readdir(folder.dir)).toEqual(['manifest.json', 'train.jsonl']);
  });

  it('refuses a train.jsonl that its manifest does not describe', async () => {
    await writeDatasetFolder(folder.dir);
    await writeFile(join(folder.dir, 'train.jsonl'), jsonl(TRAIN.slice(0, 1)));
    await expect(openReplyIndex(folder.dir)).rejects.toMatchObject({
      kind: 'config',
      message: `${join(folder.dir, 'train.jsonl')}: does not match its manifest.json (sha256 differs); run \`alterego build -o ${folder.dir}\` again`,
    });
  });

  it('says when the dataset is missing', async () => {
    await expect(openReplyIndex(folder.dir)).rejects.toMatchObject({ kind: 'config' });
  });
});

describe.each([
  ['in memory', {}],
  ['with SQLite FTS5', { memorySearchLimit: 0 }],
])('createReplyIndex, searching %s', (_name, search) => {
  it('ranks the closest prompt first, with comparable scores', () => {
    const index = createReplyIndex(
      [
        { prompt: 'want to get pizza tonight', reply: 'pizza yes' },
        { prompt: 'how was work', reply: 'long day' },
        { prompt: 'pizza', reply: 'always' },
        { prompt: '', reply: 'blank prompts are left out' },
      ],
      search,
    );
    expect(index.size).toBe(3);
    const results = index.search('pizza tonight?');
    expect(results.map((result) => result.reply)).toEqual(['pizza yes', 'always']);
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
    expect(index.search('🍕🍕')).toEqual([]);
    expect(index.search('pizza', 1)).toHaveLength(1);
    expect(index.at?.(4)).toMatchObject({ prompt: 'how was work' });
    index.close();
  });

  it('matches words regardless of case and accents', () => {
    const index = createReplyIndex([{ prompt: 'Ça va au Café?', reply: 'oui' }], search);
    expect(index.search('ca va au cafe')[0]?.reply).toBe('oui');
    expect(index.search('CAFÉ')[0]?.reply).toBe('oui');
    index.close();
  });

  it('looks up the rare words of a message, and common words only when there is nothing rarer', () => {
    const filler = Array.from({ length: 200 }, (_, n) => ({
      prompt: `ok so what about thing${n}`,
      reply: `reply ${n}`,
    }));
    const index = createReplyIndex(
      [...filler, { prompt: 'ok so the concert is sold out', reply: 'noooo' }],
      search,
    );
    // "ok", "so", "what", "about" are in nearly every prompt; "concert" decides.
    expect(index.search('ok so what about the concert')[0]?.reply).toBe('noooo');
    expect(index.search('ok so what about the concert', 50)).toHaveLength(1);
    // Only common words: they are looked up all the same.
    expect(index.search('ok so').length).toBeGreaterThan(0);
    // A word no prompt has finds nothing.
    expect(index.search('zeppelin')).toEqual([]);
    index.close();
  });
});

describe('ftsQuery', () => {
  it('quotes every word so that no input is FTS5 syntax', () => {
    expect(ftsQuery('NEAR(a b) OR "x" -y*')).toBe('"near" OR "a" OR "b" OR "or" OR "x" OR "y"');
    expect(ftsQuery('?!')).toBeUndefined();
  });
});
