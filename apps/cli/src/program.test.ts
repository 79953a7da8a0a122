import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, useTempDirs } from './__fixtures__/cli.js';
import { createRegistry } from './parsers.js';
import { VERSION } from './program.js';

const tempDir = useTempDirs();
const packageJson = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

describe('alterego --help and --version', () => {
  it('--version and -V print the version from package.json and exit 0', async () => {
    const cwd = await tempDir();
    expect(VERSION).toBe(packageJson.version);
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag], { cwd });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${packageJson.version}\n`);
      expect(result.stderr).toBe('');
    }
  });

  it('--help lists the commands, the exit codes and the settings order on stdout', async () => {
    const cwd = await tempDir();
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const result = await runCli(argv, { cwd });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^Usage: alterego \[options\] \[command\]/);
      expect(result.stdout).toMatch(/^ {2}convert \[options\] \[input\.\.\.\] /m);
      expect(result.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 bad usage');
      expect(result.stdout).toContain('ALTEREGO_*');
    }
  });

  it('convert --help lists its options and the supported formats', async () => {
    const cwd = await tempDir();
    for (const argv of [
      ['convert', '--help'],
      ['help', 'convert'],
    ]) {
      const result = await runCli(argv, { cwd });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: alterego convert \[options\] \[input\.\.\.\]/);
      for (const option of [
        '--me <name>',
        '--tz <zone>',
        '-o, --output <file>',
        '--json',
        '--day-first',
      ]) {
        expect(result.stdout).toContain(option);
      }
      const formats = createRegistry().formats();
      expect(formats.length).toBeGreaterThanOrEqual(2);
      for (const format of formats) expect(result.stdout).toContain(`  - ${format}`);
    }
  });
});

describe('alterego: bad usage exits 2 with one line on stderr', () => {
  const cases: [string[], RegExp][] = [
    [['--frobnicate'], /^alterego: unknown option '--frobnicate' \(see "alterego --help"\)$/],
    [['frobnicate'], /^alterego: unknown command 'frobnicate' \(see "alterego --help"\)$/],
    [
      ['convert'],
      /^alterego: missing required argument 'input' \(see "alterego convert --help"\)$/,
    ],
    [
      ['convert', 'chat.txt', '--fast'],
      /^alterego: unknown option '--fast' \(see "alterego convert --help"\)$/,
    ],
    [
      ['convert', 'chat.txt', '--jsn'],
      /^alterego: unknown option '--jsn' \(Did you mean --json\?\) \(see/,
    ],
    [['convert', 'chat.txt', '--tz'], /^alterego: option '--tz <zone>' argument missing/],
    [
      ['convert', 'chat.txt', '--day-first', '--month-first'],
      /^alterego: option '--month-first' cannot be used with option '--day-first'/,
    ],
  ];

  for (const [argv, message] of cases) {
    it(`alterego ${argv.join(' ')}`, async () => {
      const result = await runCli(argv, { cwd: await tempDir() });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderrLines).toHaveLength(1);
      expect(result.stderrLines[0]).toMatch(message);
    });
  }

  it('no command at all shows the help on stderr', async () => {
    for (const argv of [[], ['--debug']]) {
      const result = await runCli(argv, { cwd: await tempDir() });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^Usage: alterego /);
    }
  });

  it('a config file that is not there, or not valid: one line naming it', async () => {
    const cwd = await tempDir();
    const result = await runCli(['convert', 'chat.txt', '--config', 'missing.json'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderrLines[0]).toMatch(
      /^alterego: .*missing\.json: no such file; check the --config path$/,
    );
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
