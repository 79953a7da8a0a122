import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Capture, runCli, useTempDirs } from '../__fixtures__/cli.js';
import type { CliIO } from '../io.js';
import { run } from '../program.js';

const SAMPLES = fileURLToPath(new URL('../../../../samples', import.meta.url));
const tempDir = useTempDirs();
const CLEAR = '\r\x1b[2K';

/** Runs the CLI with stderr posing as a terminal. */
async function runOnTerminal(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const stdout = new Capture();
  const stderr = Object.assign(new Capture(), { isTTY: true, columns: 120 });
  const io: CliIO = { stdout, stderr, env, cwd, signal: new AbortController().signal };
  const code = await run(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const INPUTS = [join(SAMPLES, 'whatsapp'), join(SAMPLES, 'telegram')];
const FLAGS = ['--me', 'Sam Rivera', '--tz', 'America/New_York'];

describe('progress and the summary table', () => {
  it('convert on a terminal: a progress line per source, cleared, then a table', async () => {
    const cwd = await tempDir();
    const result = await runOnTerminal(['convert', ...INPUTS, ...FLAGS, '-o', 'all.jsonl'], cwd);
    expect(result.code).toBe(0);
    const draws = result.stderr.split(CLEAR);
    expect(draws.length).toBeGreaterThan(2);
    expect(result.stderr).toContain(
      `${CLEAR}⠋ ${join(SAMPLES, 'whatsapp')}  0 B of 61.5 KB  0 messages${CLEAR}`,
    );
    // Each source starts with a line of its own (later redraws depend on the clock).
    expect(result.stderr).toContain(
      `${join(SAMPLES, 'telegram')}  0 B of 42.7 KB  0 messages${CLEAR}`,
    );
    // The last thing drawn is cleared before the summary.
    const summary = draws.at(-1)!;
    expect(summary.startsWith('source')).toBe(true);
    const lines = summary.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^source +format +chats +messages +mine +dates$/);
    expect(lines[2]).toMatch(/whatsapp +whatsapp +2 +1,036 +\d{3} +2023-01-0\d → 2024-03-2\d$/);
    expect(lines[3]).toMatch(/telegram +telegram +1 +147 +\d+ +2024-01-1\d → 2024-05-0\d$/);
    expect(lines[5]).toMatch(/^total +3 +1,183 +\d+ +2023-01-0\d → 2024-05-0\d$/);
    expect(lines.at(-1)).toBe(
      `converted 3 conversations, 1183 messages → ${join(cwd, 'all.jsonl')}`,
    );
  });

  it('build on a terminal: the table before the dataset summary', async () => {
    const cwd = await tempDir();
    const result = await runOnTerminal(
      ['build', ...INPUTS, ...FLAGS, '--groups', '-o', 'dataset'],
      cwd,
    );
    expect(result.code).toBe(0);
    const summary = result.stderr.split(CLEAR).at(-1)!;
    expect(summary).toMatch(/^source +format +chats +messages +mine +dates\n/);
    expect(summary).toMatch(/\n\nconversations: 3 used of 3\n/);
  });

  it('nothing of it with --json, with CI=true, or off a terminal', async () => {
    const cwd = await tempDir();
    const json = await runOnTerminal(
      ['convert', ...INPUTS, ...FLAGS, '-o', 'a.jsonl', '--json'],
      cwd,
    );
    expect(json.stderr).toBe('');
    const ci = await runOnTerminal(['convert', ...INPUTS, ...FLAGS, '-o', 'b.jsonl'], cwd, {
      CI: 'true',
    });
    expect(ci.stderr).not.toContain(CLEAR);
    expect(ci.stderr).not.toMatch(/^source +format/m);
    const pipe = await runCli(['build', ...INPUTS, ...FLAGS, '-o', 'dataset'], { cwd });
    expect(pipe.stderr).not.toContain('\x1b');
    expect(pipe.stderr).not.toMatch(/^source +format/m);
    const stats = await runCli(['stats', ...INPUTS, ...FLAGS], { cwd });
    expect(stats.stderr).toBe('');
  });

  it('convert and build take inputs and the dataset folder from the config file', async () => {
    const cwd = await tempDir();
    await writeFile(
      join(cwd, 'settings.json'),
      JSON.stringify({
        me: ['Sam Rivera'],
        timeZone: 'UTC',
        inputs: [join(SAMPLES, 'telegram')],
        dataset: 'out',
      }),
    );
    const converted = await runCli(
      ['convert', '--config', 'settings.json', '--json', '-o', 'c.jsonl'],
      { cwd },
    );
    expect(converted.code).toBe(0);
    expect(JSON.parse(converted.stdout)).toMatchObject({ conversations: 1, messages: 147 });
    const built = await runCli(['build', '--config', 'settings.json', '--json'], { cwd });
    expect(built.code, built.stderr).toBe(0);
    expect(JSON.parse(built.stdout)).toMatchObject({ output: 'out' });
  });
});
