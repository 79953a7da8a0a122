// The built bundle, run as users run it: `node dist/cli.js …` in a child process. The nx `test`
// target builds it first; run `npx nx run @alterego/cli:build` before a bare `vitest`.
import { spawn } from 'node:child_process';
import { copyFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonlAtomic } from '@alterego/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConversation, useTempDirs } from './__fixtures__/cli.js';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const BUNDLE = join(DIST, 'cli.js');
const packageJson = JSON.parse(
  await readFile(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string; bin: Record<string, string> };

const tempDir = useTempDirs();

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script with Node and an empty environment apart from PATH; resolves when it exits. */
function node(
  script: string,
  args: string[],
  cwd: string,
  onStdout?: (child: ReturnType<typeof spawn>) => void,
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { PATH: process.env.PATH, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onStdout?.(child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  const built = await stat(BUNDLE).catch(() => undefined);
  if (!built) throw new Error(`${BUNDLE} is missing: run "npx nx run @alterego/cli:build" first`);
});

describe('the alterego bundle', () => {
  it('is one ESM file with a shebang, named by package.json "bin"', async () => {
    expect(packageJson.bin).toEqual({ alterego: './dist/cli.js' });
    const files = (await readdir(DIST)).filter((name) => !name.endsWith('.map'));
    expect(files).toEqual(['cli.js']);
    const code = await readFile(BUNDLE, 'utf8');
    expect(code.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // ESM: static imports at the top level (a CommonJS file could not have them).
    expect(/^import \{[^}]+\} from ['"]node:module['"];$/m.test(code), 'an ESM import').toBe(true);
    // No chunks and no workspace or bundled packages left to load at run time.
    const chunk = code.match(/(?:from\s*|import\()["']\.\.?\/[^"']*["']/)?.[0];
    expect(chunk, 'an import of another file').toBeUndefined();
    const left = code.match(
      /(?:from\s*|require\(|import\()["'](?:@alterego\/|commander|zod|unzipper)[^"']*["']/,
    )?.[0];
    expect(left, 'a package that should be bundled').toBeUndefined();
  });

  it('runs on its own, without node_modules', async () => {
    const dir = await tempDir();
    await copyFile(BUNDLE, join(dir, 'alterego.mjs'));
    const result = await node(join(dir, 'alterego.mjs'), ['--version'], dir);
    expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it('--version prints the version from package.json', async () => {
    const result = await node(BUNDLE, ['--version'], await tempDir());
    expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it('--help prints the usage on stdout', async () => {
    const result = await node(BUNDLE, ['--help'], await tempDir());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: alterego \[options\] \[command\]/);
    expect(result.stdout).toContain('convert');
    expect(result.stderr).toBe('');
  });

  it('convert writes Conversation JSONL to stdout', async () => {
    const dir = await tempDir();
    const conversations = [makeConversation('alex', 2), makeConversation('jo', 3)];
    await writeJsonlAtomic(join(dir, 'chats.jsonl'), conversations);
    const result = await node(BUNDLE, ['convert', 'chats.jsonl'], dir);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(conversations);
    expect(result.stderr).toContain('converted 2 conversations, 5 messages');
  });

  it('an unsupported input: exit 2, one line naming the path as typed', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'notes.txt'), 'shopping list\n');
    const result = await node(BUNDLE, ['convert', 'notes.txt'], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^alterego: notes\.txt: not a supported chat export \(found a text file\)\. Expected one of: .+\n$/,
    );
  });

  it('an unknown option: exit 2', async () => {
    const result = await node(BUNDLE, ['convert', 'x', '--frobnicate'], await tempDir());
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('stops quietly with exit 0 when the reader closes the pipe early (`| head`)', async () => {
    const dir = await tempDir();
    const many = Array.from({ length: 3000 }, (_, index) => makeConversation(`c${index}`, 20));
    await writeJsonlAtomic(join(dir, 'many.jsonl'), many);
    const result = await node(BUNDLE, ['convert', 'many.jsonl'], dir, (child) =>
      child.stdout?.destroy(),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });
});
