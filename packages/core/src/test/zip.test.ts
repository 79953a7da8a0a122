import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createZip, createZipWriter, type ZipFileSpec } from './zip.js';

describe('createZipWriter', () => {
  it('writes the same bytes as createZip, entry by entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alterego-zip-'));
    try {
      const files: ZipFileSpec[] = [
        { name: 'data/message_1.json', data: '{"messages": ["Zoë"]}' },
        { name: 'photos/1.jpg', data: new Uint8Array([0xff, 0xd8, 1, 2]), compress: false },
      ];
      const path = join(dir, 'out.zip');
      const zip = createZipWriter(path);
      for (const file of files) await zip.add(file);
      const bytes = await zip.close();
      expect(readFileSync(path)).toEqual(createZip(files));
      expect(bytes).toBe(readFileSync(path).length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
