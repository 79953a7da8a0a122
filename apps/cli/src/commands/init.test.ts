import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDirs } from '../__fixtures__/cli.js';
import { ConfigSchema } from '../config.js';
import { InitResultSchema } from './init.js';

const SAMPLES = fileURLToPath(new URL('../../../../samples', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../../alterego.config.schema.json', import.meta.url));
const tempDir = useTempDirs();
/** No Messages database is looked for, whatever machine runs the tests. */
const env = { TZ: 'UTC', ALTEREGO_MESSAGES_DB: '' };

/** A folder with two exports: a WhatsApp chat (no owner in it) and a Telegram export (owner named). */
async function exportsFolder(): Promise<string> {
  const cwd = await tempDir();
  await mkdir(join(cwd, 'exports'));
  await cp(
    join(SAMPLES, 'whatsapp', 'WhatsApp Chat with Alex Chen.txt'),
    join(cwd, 'exports', 'WhatsApp Chat with Alex Chen.txt'),
  );
  await cp(join(SAMPLES, 'telegram'), join(cwd, 'exports', 'telegram'), { recursive: true });
  await writeFile(join(cwd, 'exports', 'notes.txt'), 'not a chat\n');
  return cwd;
}

async function readConfig(cwd: string, name = 'alterego.config.json') {
  return ConfigSchema.parse(JSON.parse(await readFile(join(cwd, name), 'utf8')));
}

describe('alterego init without a terminal', () => {
  it('--yes: finds the exports, takes the owner they name, and writes a valid config', async () => {
    const cwd = await exportsFolder();
    const result = await runCli(['init', 'exports', '--yes', '--tz', 'Europe/Berlin'], {
      cwd,
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Looking for chat exports in exports …$/m);
    expect(result.stderr).toMatch(
      /^Telegram Desktop export +exports\/telegram\/result\.json +42\.7 KB +1 +147 +Sam Rivera$/m,
    );
    expect(result.stderr).toMatch(
      /^WhatsApp +exports\/WhatsApp Chat with Alex Chen\.txt +34\.9 KB +1 +582 +—$/m,
    );
    const config = await readConfig(cwd);
    expect(config).toEqual({
      $schema: config.$schema,
      me: ['Sam Rivera'],
      timeZone: 'Europe/Berlin',
      inputs: ['exports/WhatsApp Chat with Alex Chen.txt', 'exports/telegram/result.json'],
      dataset: 'dataset',
    });
    // The schema it names is the shipped file (or, outside a project, its published copy).
    expect(config.$schema).toMatch(/alterego\.config\.schema\.json$/);
    expect(existsSync(SCHEMA)).toBe(true);
  });

  it('flags only, with --json: what was written; and the other commands read it', async () => {
    const cwd = await exportsFolder();
    const result = await runCli(
      [
        'init',
        'exports/WhatsApp Chat with Alex Chen.txt',
        '--me',
        'Sam Rivera',
        '--tz',
        'America/New_York',
        '--dataset',
        'out/data',
        '--json',
      ],
      { cwd, env },
    );
    expect(result.code, result.stderr).toBe(0);
    const written = InitResultSchema.parse(JSON.parse(result.stdout));
    expect(written.path).toBe('alterego.config.json');
    expect(written.exports).toEqual([
      {
        path: 'exports/WhatsApp Chat with Alex Chen.txt',
        formats: ['whatsapp'],
        bytes: 35701,
        chats: 1,
        messages: 582,
        owners: [],
      },
    ]);
    expect(await readConfig(cwd)).toEqual(written.config);
    const stats = await runCli(['stats', '--json'], { cwd, env });
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout).totals).toMatchObject({ chats: 1, messages: 582 });
    const build = await runCli(['build'], { cwd, env });
    expect(build.code, build.stderr).toBe(0);
    expect(existsSync(join(cwd, 'out', 'data', 'manifest.json'))).toBe(true);
  });

  it('says what is missing in one line with exit 2', async () => {
    const cwd = await exportsFolder();
    const cases: [string[], RegExp][] = [
      [
        ['init', 'exports/WhatsApp Chat with Alex Chen.txt'],
        /^alterego: missing --me NAME: nobody in exports\/WhatsApp Chat with Alex Chen\.txt is known to be you; add --me with your name as the chat shows it \(one of: "Alex Chen", "Sam Rivera"\)$/,
      ],
      [
        ['init', 'exports', '--tz', 'Mars/Olympus'],
        /^alterego: --tz "Mars\/Olympus" is not an IANA time zone/,
      ],
      [['init', 'nowhere'], /^alterego: nowhere: no such file or folder$/],
      [
        ['init', 'exports/notes.txt'],
        /^alterego: no chat exports found in exports\/notes\.txt; give the folders that hold them/,
      ],
    ];
    for (const [argv, expected] of cases) {
      const result = await runCli(argv, { cwd, env });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderrLines.at(-1)).toMatch(expected);
      expect(existsSync(join(cwd, 'alterego.config.json'))).toBe(false);
    }
  });

  it('never replaces a config without --force', async () => {
    const cwd = await exportsFolder();
    await writeFile(join(cwd, 'alterego.config.json'), '{"me":["Someone"]}\n');
    const refused = await runCli(['init', 'exports', '--yes'], { cwd, env });
    expect(refused.code).toBe(2);
    expect(refused.stderrLines).toEqual([
      'alterego: alterego.config.json already exists; add --force to replace it',
    ]);
    expect(await readFile(join(cwd, 'alterego.config.json'), 'utf8')).toBe('{"me":["Someone"]}\n');
    const forced = await runCli(['init', 'exports', '--yes', '--force', '--tz', 'UTC'], {
      cwd,
      env,
    });
    expect(forced.code).toBe(0);
    expect((await readConfig(cwd)).me).toEqual(['Sam Rivera']);
  });
});

const TMUX = ['-L', `alterego-test-${process.pid}`];

function tmux(...args: string[]): string {
  return execFileSync('tmux', [...TMUX, ...args], { encoding: 'utf8' });
}

/** Waits until the pane shows `text` (or the command has ended), and returns the pane. */
async function waitFor(session: string, text: string | RegExp): Promise<string> {
  let pane = '';
  for (let attempt = 0; attempt < 300; attempt += 1) {
    pane = tmux('capture-pane', '-p', '-J', '-t', session);
    if (typeof text === 'string' ? pane.includes(text) : text.test(pane)) return pane;
    await sleep(100);
  }
  throw new Error(`the terminal never showed ${String(text)}; it shows:\n${pane}`);
}

function answer(session: string, keys: string): void {
  if (keys !== '') tmux('send-keys', '-t', session, '-l', keys);
  tmux('send-keys', '-t', session, 'Enter');
}

describe('alterego init on a terminal', () => {
  it('asks who you are in each export, the time zone and the dataset folder, then writes the config', async () => {
    expect(
      existsSync(BUNDLE),
      `${BUNDLE} is missing: run "npx nx run @alterego/cli:build" first`,
    ).toBe(true);
    const cwd = await exportsFolder();
    const session = 'init';
    const command = `cd '${cwd}' && env -i PATH="$PATH" TZ=UTC ALTEREGO_MESSAGES_DB= '${process.execPath}' '${BUNDLE}' init exports; echo "exit $?"; sleep 600`;
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', command);
    try {
      let pane = await waitFor(session, 'Who are you in exports/WhatsApp Chat with Alex Chen.txt');
      expect(pane).toMatch(/Found 2 exports:/);
      // Nothing in the WhatsApp chat says who the owner is: the owner of the Telegram export comes first.
      expect(pane).toMatch(/1\) Sam Rivera {3}2\) Alex Chen/);
      await waitFor(session, 'your name, number or handle there [Sam Rivera]: ');
      answer(session, '');
      pane = await waitFor(session, 'Who are you in exports/telegram/result.json');
      answer(session, '');
      await waitFor(session, 'Time zone for exports without one (WhatsApp) [UTC]: ');
      answer(session, 'Mars/Olympus');
      await waitFor(session, '"Mars/Olympus" is not an IANA time zone');
      answer(session, 'Europe/Berlin');
      await waitFor(session, 'Folder for the training data [dataset]: ');
      answer(session, 'data/sam');
      pane = await waitFor(session, /exit \d+/);
      expect(pane).toMatch(
        /wrote alterego\.config\.json: 2 inputs, you as "Sam Rivera", Europe\/Berlin, dataset in data\/sam\//,
      );
      expect(pane).toMatch(/exit 0/);
      const config = await readConfig(cwd);
      expect(config).toMatchObject({
        me: ['Sam Rivera'],
        timeZone: 'Europe/Berlin',
        dataset: 'data/sam',
      });
      expect(config.inputs).toHaveLength(2);
    } finally {
      tmux('kill-session', '-t', session);
    }

    // A second run asks before replacing it; "no" leaves it alone.
    const before = await readFile(join(cwd, 'alterego.config.json'), 'utf8');
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', command);
    try {
      await waitFor(session, 'alterego.config.json already exists. Replace it? [y/N] ');
      answer(session, 'n');
      const pane = await waitFor(session, /exit \d+/);
      expect(pane).toMatch(/left alterego\.config\.json as it was/);
      expect(pane).toMatch(/exit 1/);
      expect(await readFile(join(cwd, 'alterego.config.json'), 'utf8')).toBe(before);
    } finally {
      tmux('kill-session', '-t', session);
    }
  });
});
