import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsupportedFormatError } from './errors/unsupported-format-error.js';
import { withInput } from './input.js';
import { createConversationJsonlParser } from './jsonl-parser.js';
import { collectParse, type ConversationParserV1 } from './parser.js';
import { createParserRegistry, looksLikeText } from './registry.js';
import { createZip } from './test/zip.js';
import { validConversation } from './__fixtures__/conversations.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alterego-registry-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A parser that claims entries whose first bytes are `magic`. */
function fakeParser(format: string, magic: string, confidence = 1): ConversationParserV1 {
  return {
    specificationVersion: 'v1',
    format,
    displayName: `Fake ${format}`,
    platforms: ['whatsapp'],
    async detect(input) {
      const entries = [];
      for (const entry of await input.entries()) {
        if ((await entry.readHead(magic.length)).toString() === magic) entries.push(entry.path);
      }
      return entries.length ? { confidence, entries, reason: `starts with ${magic}` } : undefined;
    },
    async *parse(input) {
      for (const entry of await input.entries()) {
        if ((await entry.readHead(magic.length)).toString() !== magic) continue;
        yield {
          type: 'conversation',
          conversation: {
            ...validConversation(),
            id: `${format}:${entry.path}`,
            source: { format, file: entry.path },
          },
        };
      }
    },
  };
}

describe('createParserRegistry', () => {
  const registry = createParserRegistry([
    fakeParser('alpha', 'ALPHA'),
    fakeParser('beta', 'BETA', 0.5),
    createConversationJsonlParser(),
  ]);

  it('runs every parser that recognises part of a folder', async () => {
    await writeFile(join(dir, 'one.txt'), 'ALPHA 1');
    await writeFile(join(dir, 'two.txt'), 'BETA 2');
    await writeFile(join(dir, 'c.jsonl'), `${JSON.stringify(validConversation())}\n`);
    await withInput(dir, async (input) => {
      const { conversations } = await collectParse(registry.parse(input));
      expect(conversations.map((c) => c.id).sort()).toEqual([
        'alpha:one.txt',
        'beta:two.txt',
        'whatsapp:abc123',
      ]);
    });
  });

  it('drops a less confident parser whose entries are all claimed', async () => {
    const overlapping = createParserRegistry([
      fakeParser('weak', 'ALP', 0.2),
      fakeParser('strong', 'ALPHA', 0.9),
    ]);
    await writeFile(join(dir, 'one.txt'), 'ALPHA 1');
    await withInput(dir, async (input) => {
      expect((await overlapping.detect(input)).map((match) => match.parser.format)).toEqual([
        'strong',
      ]);
    });
  });

  it.each([
    ['an empty file', 'empty.txt', ''],
    ['binary data', 'blob.bin', Buffer.from([0, 1, 2, 3, 255, 0, 9])],
    ['a text file', 'notes.txt', 'just some notes\n'],
    ['an empty zip archive', 'empty.zip', createZip({})],
    [
      'a zip archive of 1 file with no chat export among them',
      'other.zip',
      createZip({ 'photo.jpg': 'x' }),
    ],
  ])('rejects %s with the list of supported formats', async (found, name, content) => {
    const file = join(dir, name);
    await writeFile(file, content);
    await withInput(file, async (input) => {
      const error = await collectParse(registry.parse(input)).catch((caught: unknown) => caught);
      expect(UnsupportedFormatError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(
        `${file}: not a supported chat export (found ${found}). Expected one of: Fake alpha; Fake beta; alterego Conversation JSONL (alterego.conversation/1)`,
      );
    });
  });

  it('refuses duplicate formats and other specification versions', () => {
    expect(() => createParserRegistry([fakeParser('a', 'A'), fakeParser('a', 'B')])).toThrow(
      /two parsers for format "a"/,
    );
    const v2 = {
      ...fakeParser('a', 'A'),
      specificationVersion: 'v2',
    } as unknown as ConversationParserV1;
    expect(() => createParserRegistry([v2])).toThrow(/specification v2/);
  });
});

describe('looksLikeText', () => {
  it('tells text from binary', () => {
    expect(looksLikeText(Buffer.from('héllo\tworld\r\n'))).toBe(true);
    expect(looksLikeText(Buffer.from('SQLite format 3\0'))).toBe(false);
  });
});
