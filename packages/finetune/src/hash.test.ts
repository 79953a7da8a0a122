import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './__fixtures__/data.js';
import { hashFile, idempotencyKey, stableJson } from './hash.js';

const tempDir = useTempDirs();

describe('hashing', () => {
  it('hashes a file by content', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a'), 'abc');
    expect(await hashFile(join(dir, 'a'))).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      bytes: 3,
    });
  });

  it('gives the same key whatever the order of the options, and another for other options', () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    const key = idempotencyKey({ model: 'm', seed: 1 });
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(idempotencyKey({ seed: 1, model: 'm' })).toBe(key);
    expect(idempotencyKey({ seed: 2, model: 'm' })).not.toBe(key);
  });
});
