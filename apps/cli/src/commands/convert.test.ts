import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Conversation,
  readConversationsJsonl,
  toJsonLines,
  writeJsonlAtomic,
} from '@alterego/core';
import { createZip } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { listDir, makeConversation, runCli, STACK_LINE, useTempDirs } from '../__fixtures__/cli.js';
import { createRegistry } from '../parsers.js';
import type { ConvertReport } from './convert.js';

const tempDir = useTempDirs();
const FORMATS = createRegistry().formats();

async function readJsonl(path: string): Promise<Conversation[]> {
  const conversations: Conversation[] = [];
  for await (const conversation of readConversationsJsonl(createReadStream(path), { file: path })) {
    conversations.push(conversation);
  }
  return conversations;
}

/** The lines the core's JSONL writer makes of some values. */
async function jsonLines(values: readonly unknown[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of toJsonLines(values)) lines.push(line);
  return lines;
}

function parseLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** A folder with `chats.jsonl` holding two conversations (2 and 3 messages). */
async function jsonlFixture(): Promise<{
  dir: string;
  file: string;
  conversations: Conversation[];
}> {
  const dir = await tempDir();
  const conversations = [makeConversation('alex', 2), makeConversation('jo', 3)];
  const file = join(dir, 'chats.jsonl');
  await writeJsonlAtomic(file, conversations);
  return { dir, file, conversations };
}

describe('alterego convert: Conversation JSONL', () => {
  it('writes the conversations to stdout and a summary to stderr', async () => {
    const { dir, conversations } = await jsonlFixture();
    const result = await runCli(['convert', 'chats.jsonl', '--tz', 'UTC'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(parseLines(result.stdout)).toEqual(conversations);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stderr).toContain('converted 2 conversations, 5 messages');
    expect(result.stderr).toContain('chats.jsonl: 2 conversations, 5 messages (alterego-jsonl)');
  });

  it('writes -o FILE atomically: the file round-trips and no temporary file is left', async () => {
    const { dir, conversations } = await jsonlFixture();
    const result = await runCli(['convert', 'chats.jsonl', '-o', 'out/all.jsonl', '--tz', 'UTC'], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`→ ${join(dir, 'out/all.jsonl')}`);
    expect(await readJsonl(join(dir, 'out/all.jsonl'))).toEqual(conversations);
    expect(await listDir(dir)).toEqual(['chats.jsonl', 'out']);
    expect(await listDir(join(dir, 'out'))).toEqual(['all.jsonl']);
  });

  it('replaces an existing output file', async () => {
    const { dir, conversations } = await jsonlFixture();
    await writeFile(join(dir, 'out.jsonl'), 'old content\n');
    const result = await runCli(['convert', join(dir, 'chats.jsonl'), '--output', 'out.jsonl'], {
      cwd: dir,
      env: { ALTEREGO_TZ: 'UTC' },
    });
    expect(result.code).toBe(0);
    expect(await readJsonl(join(dir, 'out.jsonl'))).toEqual(conversations);
  });

  it('reads folders, zips and several inputs, in the order given', async () => {
    const { dir, conversations } = await jsonlFixture();
    await mkdir(join(dir, 'more'));
    const third = makeConversation('kim', 1);
    await writeJsonlAtomic(join(dir, 'more/b.jsonl'), [third]);
    await writeFile(
      join(dir, 'export.zip'),
      createZip({ 'nested/c.jsonl': (await jsonLines([makeConversation('lee', 4)])).join('') }),
    );
    const result = await runCli(
      ['convert', 'more', 'chats.jsonl', 'export.zip', '--json', '-o', 'all.jsonl'],
      { cwd: dir, env: { ALTEREGO_TZ: 'UTC' } },
    );
    expect(result.code).toBe(0);
    const ids = (await readJsonl(join(dir, 'all.jsonl'))).map((conversation) => conversation.id);
    expect(ids).toEqual([third.id, ...conversations.map((c) => c.id), 'whatsapp:lee']);
    const report = JSON.parse(result.stdout) as ConvertReport;
    expect(report.inputs).toEqual([
      { path: 'more', formats: ['alterego-jsonl'], conversations: 1, messages: 1 },
      { path: 'chats.jsonl', formats: ['alterego-jsonl'], conversations: 2, messages: 5 },
      { path: 'export.zip', formats: ['alterego-jsonl'], conversations: 1, messages: 4 },
    ]);
    expect([report.conversations, report.messages]).toEqual([4, 10]);
  });

  it('--json with -o prints the report on stdout and nothing on stderr', async () => {
    const { dir } = await jsonlFixture();
    const result = await runCli(['convert', 'chats.jsonl', '--json', '-o', 'out.jsonl'], {
      cwd: dir,
      env: { ALTEREGO_TZ: 'Europe/Berlin' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as ConvertReport;
    expect(report).toEqual({
      inputs: [{ path: 'chats.jsonl', formats: ['alterego-jsonl'], conversations: 2, messages: 5 }],
      conversations: 2,
      messages: 5,
      output: join(dir, 'out.jsonl'),
      timeZone: 'Europe/Berlin',
      warnings: [],
    });
  });

  it('--json without -o keeps stdout for the JSONL and prints the report on stderr', async () => {
    const { dir, conversations } = await jsonlFixture();
    const result = await runCli(['convert', 'chats.jsonl', '--json', '--tz', 'UTC'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(parseLines(result.stdout)).toEqual(conversations);
    const report = JSON.parse(result.stderr) as ConvertReport;
    expect(report.output).toBeNull();
    expect(report.conversations).toBe(2);
    expect(report.timeZone).toBe('UTC');
  });

  it('skips an invalid line with a warning, exits 3 and still writes the valid conversations', async () => {
    const { dir, conversations } = await jsonlFixture();
    const lines = await jsonLines(conversations);
    const broken = { ...makeConversation('broken'), kind: 'threaded' };
    await writeFile(
      join(dir, 'chats.jsonl'),
      [
        lines[0],
        '{"schema": "alterego.conversation/1", oops\n',
        JSON.stringify(broken) + '\n',
        lines[1],
      ].join(''),
    );
    const result = await runCli(['convert', 'chats.jsonl', '-o', 'out.jsonl', '--tz', 'UTC'], {
      cwd: dir,
    });
    expect(result.code).toBe(3);
    expect(await readJsonl(join(dir, 'out.jsonl'))).toEqual(conversations);
    const warnings = result.stderrLines.filter((line) => line.startsWith('warning: '));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^warning: .*chats\.jsonl:2: not valid JSON .*\[alterego-jsonl:invalid-line\]$/,
    );
    expect(warnings[1]).toMatch(/^warning: .*chats\.jsonl:3: not a valid Conversation: kind: /);
    expect(result.stderr).toContain('converted 2 conversations, 5 messages');
    expect(result.stderr).toContain('2 parts skipped');

    const json = await runCli(
      ['convert', 'chats.jsonl', '--json', '-o', 'out.jsonl', '--tz', 'UTC'],
      {
        cwd: dir,
      },
    );
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout) as ConvertReport;
    expect(report.warnings.map(({ line, ruleId, source }) => ({ line, ruleId, source }))).toEqual([
      { line: 2, ruleId: 'alterego-jsonl:invalid-line', source: 'alterego-jsonl' },
      { line: 3, ruleId: 'alterego-jsonl:invalid-line', source: 'alterego-jsonl' },
    ]);
  });
});

describe('alterego convert: inputs it cannot read', () => {
  const cases: [string, (dir: string) => Promise<string>, RegExp][] = [
    [
      'a text file',
      async (dir) => {
        await writeFile(join(dir, 'notes.txt'), 'shopping list\n- milk\n- eggs\n');
        return 'notes.txt';
      },
      /found a text file/,
    ],
    [
      'binary data',
      async (dir) => {
        await writeFile(
          join(dir, 'photo.jpg'),
          Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0, 1]),
        );
        return 'photo.jpg';
      },
      /found binary data/,
    ],
    [
      'an empty file',
      async (dir) => {
        await writeFile(join(dir, 'empty.txt'), '');
        return 'empty.txt';
      },
      /found an empty file/,
    ],
    [
      'an empty folder',
      async (dir) => {
        await mkdir(join(dir, 'nothing-here'));
        return 'nothing-here';
      },
      /found an empty folder/,
    ],
    [
      'a zip without a chat export',
      async (dir) => {
        await writeFile(join(dir, 'photos.zip'), createZip({ 'a.txt': 'hello' }));
        return 'photos.zip';
      },
      /found a zip archive of 1 file/,
    ],
    ['a missing path', async () => 'no-such-export.zip', /no such file or folder/],
  ];

  for (const [name, make, found] of cases) {
    it(`${name}: exit 2, one line naming the file and the supported formats`, async () => {
      const dir = await tempDir();
      const input = await make(dir);
      const result = await runCli(['convert', input, '--tz', 'UTC'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderrLines).toHaveLength(1);
      const [line] = result.stderrLines;
      expect(line).toMatch(/^alterego: /);
      expect(line).toContain(input);
      expect(line).toMatch(found);
      for (const format of FORMATS) expect(line).toContain(format);
      expect(line).not.toContain('--debug');
      expect(result.stderr).not.toMatch(STACK_LINE);
    });
  }

  it('--debug adds the stack trace', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'notes.txt'), 'shopping list\n');
    const result = await runCli(['convert', 'notes.txt', '--debug', '--tz', 'UTC'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderrLines.length).toBeGreaterThan(1);
    expect(result.stderrLines[0]).toMatch(
      /^UnsupportedFormatError: .*notes\.txt: not a supported chat export/,
    );
    expect(result.stderr).toMatch(STACK_LINE);
  });

  it('checks every input before writing anything: an existing -o file is left alone', async () => {
    const { dir } = await jsonlFixture();
    await writeFile(join(dir, 'notes.txt'), 'not a chat\n');
    await writeFile(join(dir, 'out.jsonl'), 'previous result\n');
    const result = await runCli(
      ['convert', 'chats.jsonl', 'notes.txt', '-o', 'out.jsonl', '--tz', 'UTC'],
      {
        cwd: dir,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderr).toContain('notes.txt');
    expect(await readFile(join(dir, 'out.jsonl'), 'utf8')).toBe('previous result\n');
    expect(await listDir(dir)).toEqual(['chats.jsonl', 'notes.txt', 'out.jsonl']);
  });

  it('an unknown time zone: exit 2, one line', async () => {
    const { dir } = await jsonlFixture();
    const result = await runCli(['convert', 'chats.jsonl', '--tz', 'Mars/Olympus'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderrLines).toEqual([
      'alterego: unknown time zone "Mars/Olympus": expected an IANA zone name such as Europe/Berlin, America/New_York or UTC',
    ]);
  });

  it('-o naming a folder: exit 2 before any work, one line', async () => {
    const { dir } = await jsonlFixture();
    await mkdir(join(dir, 'out'));
    const result = await runCli(['convert', 'chats.jsonl', '-o', 'out', '--tz', 'UTC'], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toMatch(/^alterego: out: is a folder; give --output a file path/);
    expect(await listDir(join(dir, 'out'))).toEqual([]);
  });

  it('-o where no file can be written: exit 2, one line naming the output', async () => {
    const { dir, file } = await jsonlFixture();
    const before = await readFile(file, 'utf8');
    const result = await runCli(
      ['convert', 'chats.jsonl', '-o', 'chats.jsonl/out.jsonl', '--tz', 'UTC'],
      {
        cwd: dir,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toMatch(
      /^alterego: chats\.jsonl\/out\.jsonl: cannot write the output file \(.+\); choose another --output path$/,
    );
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await listDir(dir)).toEqual(['chats.jsonl']);
  });
});
