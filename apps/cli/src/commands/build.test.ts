import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, useTempDirs } from '../__fixtures__/cli.js';

const tempDir = useTempDirs();
const SAMPLE = fileURLToPath(
  new URL('../../../../samples/whatsapp/WhatsApp Chat with Alex Chen.txt', import.meta.url),
);

describe('alterego build', () => {
  it('builds train, valid and manifest from an export, and validate accepts them', async () => {
    const dir = await tempDir();
    const result = await runCli(
      ['build', SAMPLE, '--me', 'Sam Rivera', '--tz', 'UTC', '-o', 'out'],
      {
        cwd: dir,
      },
    );
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^examples: \d+ train \(\d+ sessions\), \d+ validation/m);
    expect(result.stderr).toMatch(/^cost: ~\$\d+\.\d\d on gpt-4\.1-mini-2025-04-14/m);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([
      'manifest.json',
      'train.jsonl',
      'valid.jsonl',
    ]);
    const manifest = JSON.parse(await readFile(join(dir, 'out', 'manifest.json'), 'utf8'));
    expect(manifest.inputs).toEqual([
      expect.objectContaining({
        path: SAMPLE,
        formats: ['whatsapp'],
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
    expect(manifest.systemPrompt).toContain('Sam Rivera');
    for (const file of ['train.jsonl', 'valid.jsonl']) {
      const validate = await runCli(['validate', join('out', file), '--json'], { cwd: dir });
      const report = JSON.parse(validate.stdout);
      expect(report.errors).toEqual([]);
      if (file === 'train.jsonl') expect(validate.code).toBe(0);
    }
  });

  it('gives byte-identical files on two runs, and the same from an export and its Conversation JSONL together', async () => {
    const dir = await tempDir();
    const convert = await runCli(
      ['convert', SAMPLE, '--me', 'Sam Rivera', '--tz', 'UTC', '-o', 'c.jsonl'],
      {
        cwd: dir,
      },
    );
    expect(convert.code).toBe(0);
    const flags = ['--me', 'Sam Rivera', '--tz', 'UTC'];
    expect((await runCli(['build', SAMPLE, ...flags, '-o', 'a'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['build', SAMPLE, ...flags, '-o', 'b'], { cwd: dir })).code).toBe(0);
    const both = await runCli(['build', SAMPLE, 'c.jsonl', ...flags, '-o', 'c', '--json'], {
      cwd: dir,
    });
    expect(both.code).toBe(0);
    const summary = JSON.parse(both.stdout);
    // The second copy of the chat adds nothing: all its messages are duplicates.
    expect(summary.messages.duplicates).toBe(summary.messages.text / 2);
    for (const file of ['train.jsonl', 'valid.jsonl']) {
      const a = await readFile(join(dir, 'a', file));
      expect(await readFile(join(dir, 'b', file))).toEqual(a);
      expect(await readFile(join(dir, 'c', file))).toEqual(a);
    }
    expect(await readFile(join(dir, 'b', 'manifest.json'))).toEqual(
      await readFile(join(dir, 'a', 'manifest.json')),
    );
  });

  it('passes options through: pairs, system prompt, redaction words, no redaction', async () => {
    const dir = await tempDir();
    const result = await runCli(
      [
        'build',
        SAMPLE,
        '--me',
        'Sam Rivera',
        '--tz',
        'UTC',
        '-o',
        'out',
        '--json',
        '--mode',
        'pairs',
        '--context',
        '2',
        '--system-prompt',
        'Be {name}.',
        '--redact-word',
        'Alex',
        '--no-redact',
        '--valid',
        '0',
        '--seed',
        '3',
        '--gap',
        '30',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    const manifest = JSON.parse(result.stdout);
    expect(manifest.systemPrompt).toBe('Be Sam Rivera.');
    expect(manifest.options).toMatchObject({
      mode: 'pairs',
      contextTurns: 2,
      redact: false,
      validFraction: 0,
      seed: 3,
      sessionGapMinutes: 30,
    });
    expect(manifest.options.redactWords.count).toBe(1);
    expect(manifest.examples.valid).toBe(0);
    const first = JSON.parse(
      (await readFile(join(dir, 'out', 'train.jsonl'), 'utf8')).split('\n')[0]!,
    );
    expect(first.messages[0]).toEqual({ role: 'system', content: 'Be Sam Rivera.' });
    expect(first.messages.length).toBeLessThanOrEqual(4);
  });

  it('fails in one line with exit 2 and writes nothing when there are too few examples', async () => {
    const dir = await tempDir();
    const result = await runCli(
      ['build', SAMPLE, '--me', 'Sam Rivera', '--tz', 'UTC', '--until', '2001-01-01', '-o', 'out'],
      {
        cwd: dir,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^alterego: only 0 training examples from 1 conversation \(skipped: 1 no-examples\); at least 10 are needed/,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('needs --output, a folder, and valid options', async () => {
    const dir = await tempDir();
    const missing = await runCli(['build', SAMPLE], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing --output DIR/);
    await writeFile(join(dir, 'file'), 'x');
    const file = await runCli(['build', SAMPLE, '-o', 'file'], { cwd: dir });
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/file: is a file; give --output a folder/);
    const bad = await runCli(['build', SAMPLE, '-o', 'out', '--gap', 'soon'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--gap [^:]*: expected a number/);
    const model = await runCli(
      ['build', SAMPLE, '-o', 'out', '--model', 'gpt-9', '--me', 'Sam Rivera', '--tz', 'UTC'],
      { cwd: dir },
    );
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/unknown model "gpt-9"/);
  });
});
