import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ConversationParserV1,
  localTimeZone,
  type ParseOptions,
  ParseError,
} from '@alterego/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { listDir, makeConversation, runCli, useTempDirs } from '../__fixtures__/cli.js';

/**
 * `convert` with a stand-in parser that records the settings it is given and follows a script
 * in its input file, one step a line: `conversation ID`, `note`, `fail`, `interrupt`.
 */
const recorded = vi.hoisted(() => ({
  registry: [] as { dayFirst?: boolean }[],
  parse: [] as ParseOptions[],
  interrupt: () => {},
}));

vi.mock('../parsers.js', async () => {
  const core = await import('@alterego/core');
  const scripted: ConversationParserV1 = {
    specificationVersion: 'v1',
    format: 'scripted',
    displayName: 'Scripted test export',
    platforms: ['whatsapp'],
    async detect(input) {
      const entries = [];
      for (const entry of await input.entries()) {
        if ((await entry.readHead(9)).toString() === '#scripted') entries.push(entry.path);
      }
      return entries.length > 0 ? { confidence: 1, entries, reason: 'test' } : undefined;
    },
    async *parse(input, options = {}) {
      recorded.parse.push(options);
      for (const entry of await input.entries()) {
        const file = core.displayPath(input, entry);
        for (const [index, step] of (await entry.readText()).split('\n').entries()) {
          const [command, argument] = step.split(' ');
          if (command === 'conversation') {
            yield { type: 'conversation', conversation: makeConversation(argument ?? 'x') };
          } else if (command === 'note') {
            const warning = {
              file,
              line: index + 1,
              ruleId: 'scripted:note',
              reason: 'an assumption',
              source: 'scripted',
              skipped: false,
            };
            yield { type: 'warning', warning };
          } else if (command === 'fail') {
            throw new ParseError('the rest cannot be read', { file, line: index + 1 });
          } else if (command === 'interrupt') {
            recorded.interrupt();
          }
        }
      }
    },
  };
  return {
    createRegistry(options: { dayFirst?: boolean } = {}) {
      recorded.registry.push(options);
      return core.createParserRegistry([scripted, core.createConversationJsonlParser()]);
    },
  };
});

const tempDir = useTempDirs();

beforeEach(() => {
  recorded.registry.length = 0;
  recorded.parse.length = 0;
  recorded.interrupt = () => {};
});

async function exportDir(script = 'conversation a'): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'export.txt'), `#scripted\n${script}\n`);
  return dir;
}

async function writeConfig(path: string, config: object): Promise<void> {
  await writeFile(path, JSON.stringify(config));
}

/** What the parser and the registry were given in the one run. */
function settings() {
  expect(recorded.parse).toHaveLength(1);
  return {
    me: recorded.parse[0]?.me,
    timeZone: recorded.parse[0]?.timeZone,
    dayFirst: recorded.registry.at(-1)?.dayFirst,
  };
}

describe('convert settings: flags > ALTEREGO_* > alterego.config.json > defaults', () => {
  it('defaults: nobody marked as me, this machine’s zone, day order inferred', async () => {
    const cwd = await exportDir();
    const result = await runCli(['convert', 'export.txt'], { cwd });
    expect(result.code).toBe(0);
    expect(settings()).toEqual({ me: [], timeZone: localTimeZone(), dayFirst: undefined });
  });

  it('alterego.config.json in the working folder', async () => {
    const cwd = await exportDir();
    await writeConfig(join(cwd, 'alterego.config.json'), {
      me: ['Sam Rivera', '+1 555 0100'],
      timeZone: 'America/New_York',
      dayFirst: true,
    });
    const result = await runCli(['convert', 'export.txt'], { cwd });
    expect(result.code).toBe(0);
    expect(settings()).toEqual({
      me: ['Sam Rivera', '+1 555 0100'],
      timeZone: 'America/New_York',
      dayFirst: true,
    });
  });

  it('environment over the config file', async () => {
    const cwd = await exportDir();
    await writeConfig(join(cwd, 'alterego.config.json'), {
      me: ['From Config'],
      timeZone: 'America/New_York',
    });
    const result = await runCli(['convert', 'export.txt'], {
      cwd,
      env: { ALTEREGO_ME: 'Sam Rivera, sam_r', ALTEREGO_TZ: 'Asia/Tokyo' },
    });
    expect(result.code).toBe(0);
    expect(settings()).toEqual({
      me: ['Sam Rivera', 'sam_r'],
      timeZone: 'Asia/Tokyo',
      dayFirst: undefined,
    });
  });

  it('flags over the environment and the config file', async () => {
    const cwd = await exportDir();
    await writeConfig(join(cwd, 'alterego.config.json'), {
      me: ['From Config'],
      timeZone: 'Mars/Olympus',
      dayFirst: true,
    });
    const result = await runCli(
      [
        'convert',
        'export.txt',
        '--me',
        'Sam Rivera',
        '--me',
        '+15550100',
        '--tz',
        'UTC',
        '--month-first',
      ],
      { cwd, env: { ALTEREGO_ME: 'From Env', ALTEREGO_TZ: 'Asia/Tokyo' } },
    );
    expect(result.code).toBe(0);
    expect(settings()).toEqual({
      me: ['Sam Rivera', '+15550100'],
      timeZone: 'UTC',
      dayFirst: false,
    });
  });

  it('empty environment variables count as not set', async () => {
    const cwd = await exportDir();
    await writeConfig(join(cwd, 'alterego.config.json'), { me: ['Sam'], timeZone: 'Asia/Tokyo' });
    const result = await runCli(['convert', 'export.txt'], {
      cwd,
      env: { ALTEREGO_ME: '', ALTEREGO_TZ: '' },
    });
    expect(result.code).toBe(0);
    expect(settings()).toEqual({ me: ['Sam'], timeZone: 'Asia/Tokyo', dayFirst: undefined });
  });

  it('--day-first over a config that says month first', async () => {
    const cwd = await exportDir();
    await writeConfig(join(cwd, 'alterego.config.json'), { dayFirst: false });
    expect((await runCli(['convert', 'export.txt', '--day-first'], { cwd })).code).toBe(0);
    expect(settings().dayFirst).toBe(true);
  });

  it('--config names another file; the one in the working folder is then not read', async () => {
    const cwd = await exportDir();
    await writeFile(join(cwd, 'alterego.config.json'), '{ this is not JSON');
    await writeConfig(join(cwd, 'other.json'), { me: ['Other'], timeZone: 'Europe/Berlin' });
    for (const argv of [
      ['--config', 'other.json', 'convert', 'export.txt'],
      ['convert', 'export.txt', '--config', join(cwd, 'other.json')],
    ]) {
      recorded.parse.length = 0;
      const result = await runCli(argv, { cwd });
      expect(result.code).toBe(0);
      expect(settings()).toEqual({ me: ['Other'], timeZone: 'Europe/Berlin', dayFirst: undefined });
    }
  });

  it('an invalid config file in the working folder is an error naming it', async () => {
    const cwd = await exportDir();
    await writeFile(join(cwd, 'alterego.config.json'), '{ "tz": "UTC" }');
    const result = await runCli(['convert', 'export.txt'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toMatch(/^alterego: .*alterego\.config\.json: .*tz/);
    expect(recorded.parse).toHaveLength(0);
  });

  it('an unknown zone from the environment is refused like one from a flag', async () => {
    const cwd = await exportDir();
    const result = await runCli(['convert', 'export.txt'], {
      cwd,
      env: { ALTEREGO_TZ: 'Mars/Olympus' },
    });
    expect(result.code).toBe(2);
    expect(result.stderrLines).toEqual([
      expect.stringContaining('unknown time zone "Mars/Olympus"'),
    ]);
  });

  it('accepts any spelling the runtime knows and reports the canonical one', async () => {
    const cwd = await exportDir();
    const result = await runCli(
      ['convert', 'export.txt', '--tz', 'utc', '--json', '-o', 'out.jsonl'],
      { cwd },
    );
    expect(result.code).toBe(0);
    expect(settings().timeZone).toBe('UTC');
    expect((JSON.parse(result.stdout) as { timeZone: string }).timeZone).toBe('UTC');
  });
});

describe('convert when a run stops half way', () => {
  it('a parse error after some conversations: exit 2, an existing -o file untouched, no temporary file', async () => {
    const cwd = await exportDir('conversation a\nconversation b\nfail');
    await writeFile(join(cwd, 'out.jsonl'), 'previous result\n');
    const result = await runCli(['convert', 'export.txt', '-o', 'out.jsonl', '--tz', 'UTC'], {
      cwd,
    });
    expect(result.code).toBe(2);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toMatch(/^alterego: .*export\.txt:4: the rest cannot be read$/);
    expect(await readFile(join(cwd, 'out.jsonl'), 'utf8')).toBe('previous result\n');
    expect(await listDir(cwd)).toEqual(['export.txt', 'out.jsonl']);
  });

  it('Ctrl-C: exit 130, nothing written, no temporary file', async () => {
    const cwd = await exportDir('conversation a\ninterrupt\nconversation b\nconversation c');
    const controller = new AbortController();
    recorded.interrupt = () => controller.abort();
    const result = await runCli(['convert', 'export.txt', '-o', 'out.jsonl', '--tz', 'UTC'], {
      cwd,
      signal: controller.signal,
    });
    expect(result.code).toBe(130);
    expect(result.stderrLines).toEqual(['alterego: interrupted']);
    expect(await listDir(cwd)).toEqual(['export.txt']);
  });

  it('a note that lost nothing keeps exit 0 and is shown as a note', async () => {
    const cwd = await exportDir('conversation a\nnote\nconversation b');
    const result = await runCli(['convert', 'export.txt', '-o', 'out.jsonl', '--tz', 'UTC'], {
      cwd,
    });
    expect(result.code).toBe(0);
    expect(result.stderrLines[0]).toMatch(
      /^note: .*export\.txt:3: an assumption \[scripted:note\]$/,
    );
    expect(result.stderr).not.toContain('skipped');
    expect((await readFile(join(cwd, 'out.jsonl'), 'utf8')).split('\n')).toHaveLength(3);
  });
});
