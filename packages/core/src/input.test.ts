import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParseError } from './errors/parse-error.js';
import { ValidationError } from './errors/validation-error.js';
import {
  combineInputs,
  displayPath,
  openInput,
  safeEntryPath,
  sourceFilePath,
  withInput,
} from './input.js';
import { createZip } from './test/zip.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alterego-input-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function paths(path: string): Promise<string[]> {
  return withInput(path, async (input) => (await input.entries()).map((entry) => entry.path));
}

describe('openInput', () => {
  it('sees a single file as one entry named after it', async () => {
    const file = join(dir, 'WhatsApp Chat with Alex.txt');
    await writeFile(file, '\uFEFFhello\n');
    await withInput(file, async (input) => {
      expect(input.kind).toBe('file');
      const [entry] = await input.entries();
      expect(entry!.path).toBe('WhatsApp Chat with Alex.txt');
      expect(await entry!.readText()).toBe('hello\n');
      expect(displayPath(input, entry!)).toBe(file);
      expect(sourceFilePath(input, entry!)).toBe('WhatsApp Chat with Alex.txt');
      expect(await entry!.localPath()).toBe(file);
    });
  });

  it('walks folders recursively in a stable order and leaves out macOS junk', async () => {
    await mkdir(join(dir, 'b/deep'), { recursive: true });
    await mkdir(join(dir, '__MACOSX'), { recursive: true });
    await writeFile(join(dir, 'b/deep/z.json'), '{}');
    await writeFile(join(dir, 'a.txt'), 'a');
    await writeFile(join(dir, '.DS_Store'), 'junk');
    await writeFile(join(dir, '__MACOSX/._a.txt'), 'junk');
    expect(await paths(dir)).toEqual(['a.txt', 'b/deep/z.json']);
  });

  it('recognises a zip by its bytes whatever its name, and reads entries lazily', async () => {
    const file = join(dir, 'export.data');
    await writeFile(
      file,
      createZip({ '_chat.txt': 'one\ntwo\n', 'media/IMG-1.jpg': Buffer.alloc(5000, 7) }),
    );
    await withInput(file, async (input) => {
      expect(input.kind).toBe('zip');
      const entries = await input.entries();
      expect(entries.map((entry) => [entry.path, entry.size, entry.container])).toEqual([
        ['_chat.txt', 8, 'zip'],
        ['media/IMG-1.jpg', 5000, 'zip'],
      ]);
      expect(await entries[0]!.readText()).toBe('one\ntwo\n');
      expect((await entries[1]!.readHead(3)).equals(Buffer.from([7, 7, 7]))).toBe(true);
      expect(displayPath(input, entries[0]!)).toBe(`${file}/_chat.txt`);
      expect(sourceFilePath(input, entries[0]!)).toBe('_chat.txt');
    });
  });

  it('expands zips inside folders and zips inside zips, stored or deflated', async () => {
    const inner = createZip([{ name: '_chat.txt', data: 'inner chat', compress: false }]);
    const middle = createZip([
      { name: 'nested/inner.zip', data: inner, compress: true },
      { name: 'note.txt', data: 'note' },
    ]);
    await mkdir(join(dir, 'exports'));
    await writeFile(join(dir, 'exports/middle.zip'), middle);
    await writeFile(join(dir, 'readme.txt'), 'r');
    expect(await paths(dir)).toEqual([
      'exports/middle.zip/nested/inner.zip/_chat.txt',
      'exports/middle.zip/note.txt',
      'readme.txt',
    ]);
    await withInput(dir, async (input) => {
      const entry = await input.entry('exports/middle.zip/nested/inner.zip/_chat.txt');
      expect(await entry!.readText()).toBe('inner chat');
    });
  });

  it('never trusts entry names as paths: climbing names are skipped and reported', async () => {
    const file = join(dir, 'evil.zip');
    await writeFile(
      file,
      createZip({
        '../../escape.txt': 'x',
        '/abs/path.txt': 'y',
        'C:\\win\\file.txt': 'z',
        'ok/./fine.txt': 'w',
      }),
    );
    await withInput(file, async (input) => {
      expect((await input.entries()).map((entry) => entry.path)).toEqual([
        'abs/path.txt',
        'win/file.txt',
        'ok/fine.txt',
      ]);
      expect(await input.skipped()).toEqual(['../../escape.txt']);
    });
  });

  it('gives zip entries a private local copy that is removed on close', async () => {
    const file = join(dir, 'db.zip');
    await writeFile(
      file,
      createZip({ '../chat.db': 'bad', 'Library/Messages/chat.db': 'SQLite format 3\0' }),
    );
    const input = await openInput(file);
    const entry = await input.entry('Library/Messages/chat.db');
    const local = await entry!.localPath();
    expect(local.startsWith(tmpdir())).toBe(true);
    expect(local).not.toContain('Messages');
    expect(await readFile(local, 'utf8')).toBe('SQLite format 3\0');
    expect(await entry!.localPath()).toBe(local);
    await input.close();
    await expect(stat(local)).rejects.toThrow();
    await input.close();
  });

  it('refuses to read a huge entry at once', async () => {
    const file = join(dir, 'big.txt');
    await writeFile(file, Buffer.alloc(2048, 0x61));
    await withInput(file, async (input) => {
      const [entry] = await input.entries();
      await expect(entry!.readBuffer(1024)).rejects.toThrow(ParseError);
      expect((await entry!.readBuffer(4096)).length).toBe(2048);
    });
  });

  it('names a missing path and a broken zip in one line', async () => {
    await expect(openInput(join(dir, 'nope.zip'))).rejects.toThrow(ValidationError);
    await expect(openInput(join(dir, 'nope.zip'))).rejects.toThrow(
      /nope\.zip: no such file or folder/,
    );
    const broken = join(dir, 'broken.zip');
    await writeFile(broken, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 1)]));
    await withInput(broken, async (input) => {
      await expect(input.entries()).rejects.toThrow(/broken\.zip: not a readable zip archive/);
    });
  });
});

describe('safeEntryPath', () => {
  it.each([
    ['a/b.txt', 'a/b.txt'],
    ['./a//b.txt', 'a/b.txt'],
    ['\\win\\path.txt', 'win/path.txt'],
    ['D:/x.txt', 'x.txt'],
    ['../x', undefined],
    ['a/../../x', undefined],
    ['/', undefined],
  ])('%s → %s', (name, expected) => {
    expect(safeEntryPath(name)).toBe(expected);
  });
});

describe('combineInputs', () => {
  it('sees several inputs as one folder holding them', async () => {
    await mkdir(join(dir, 'parts', 'b'), { recursive: true });
    await writeFile(
      join(dir, 'parts', 'part-1.zip'),
      createZip({ 'messages/inbox/a_1/message_1.json': '{"one":1}' }),
    );
    await writeFile(
      join(dir, 'parts', 'b', 'part-2.zip'),
      createZip({ 'messages/inbox/a_1/message_2.json': '{"two":2}', '../evil.txt': 'x' }),
    );
    await writeFile(join(dir, 'parts', 'notes.txt'), 'hello');
    const inputs = await Promise.all(
      ['part-1.zip', 'b/part-2.zip', 'notes.txt'].map((name) =>
        openInput(join(dir, 'parts', name)),
      ),
    );
    const combined = combineInputs(inputs);
    try {
      expect(combined.kind).toBe('directory');
      expect(combined.path).toBe(join(dir, 'parts'));
      expect(combined.name).toBe('parts');
      const entries = await combined.entries();
      expect(entries.map((entry) => entry.path)).toEqual([
        'part-1.zip/messages/inbox/a_1/message_1.json',
        'b/part-2.zip/messages/inbox/a_1/message_2.json',
        'notes.txt',
      ]);
      expect(await combined.skipped()).toEqual(['b/part-2.zip/../evil.txt']);
      const second = await combined.entry('b/part-2.zip/messages/inbox/a_1/message_2.json');
      expect(await second!.readText()).toBe('{"two":2}');
      expect(displayPath(combined, second!)).toBe(
        join(dir, 'parts', 'b/part-2.zip/messages/inbox/a_1/message_2.json'),
      );
      expect(sourceFilePath(combined, entries[2]!)).toBe('notes.txt');
    } finally {
      await combined.close();
    }
  });

  it('keeps two inputs with the same name apart', async () => {
    await mkdir(join(dir, 'x'));
    await writeFile(join(dir, 'x', 'a.txt'), 'one');
    const inputs = [
      await openInput(join(dir, 'x', 'a.txt')),
      await openInput(join(dir, 'x', 'a.txt')),
    ];
    const combined = combineInputs(inputs);
    expect((await combined.entries()).map((entry) => entry.path)).toEqual(['a.txt', 'a.txt (2)']);
    await combined.close();
  });
});
