import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDirs } from '../__fixtures__/cli.js';

const tempDir = useTempDirs();
const example = (reply: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: 'hey' },
      { role: 'assistant', content: reply, ...extra },
    ],
  });

describe('alterego validate', () => {
  it('exits 0 with a report when the file would be accepted', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'ok.jsonl'),
      `${Array.from({ length: 10 }, (_, i) => example(`hi ${i}`)).join('\n')}\n`,
    );
    const result = await runCli(['validate', 'ok.jsonl'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^10 examples; 10 without a system message, 0 without a user message$/m,
    );
    expect(result.stdout).toMatch(
      /^cost: ~\$0\.\d\d on gpt-4\.1-mini-2025-04-14 \(10 epochs × \d+ tokens\)$/m,
    );
    expect(result.stdout).toMatch(/^ok: ok\.jsonl would be accepted for fine-tuning$/m);
  });

  it('exits 1 and lists errors with line numbers when it would be rejected', async () => {
    const dir = await tempDir();
    const lines = [
      ...Array.from({ length: 10 }, (_, i) => example(`hi ${i}`)),
      example('x', { weight: 2 }),
      '{oops',
    ];
    await writeFile(join(dir, 'bad.jsonl'), `${lines.join('\n')}\n`);
    const result = await runCli(['validate', 'bad.jsonl', '--model', 'gpt-4o-mini'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^error: bad\.jsonl:11: message 2: "weight" must be 0 or 1, not 2 \[invalid_weight\]$/m,
    );
    expect(result.stdout).toMatch(/^error: bad\.jsonl:12: not valid JSON/m);
    expect(result.stdout).toMatch(/^rejected: bad\.jsonl has 2 errors/m);
    const json = await runCli(['validate', 'bad.jsonl', '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).errorCounts).toEqual({ invalid_weight: 1, invalid_json: 1 });
  });

  it('exits 2 in one line when the file cannot be read', async () => {
    const dir = await tempDir();
    const result = await runCli(['validate', 'missing.jsonl'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderrLines).toEqual([
      expect.stringMatching(
        /^alterego: .*missing\.jsonl: no such file; expected a chat fine-tuning \.jsonl file$/,
      ),
    ]);
  });
});
