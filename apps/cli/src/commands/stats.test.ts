import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonlAtomic } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { makeConversation, runCli, useTempDirs } from '../__fixtures__/cli.js';
import { StatsReportSchema } from './stats.js';

const SAMPLES = fileURLToPath(new URL('../../../../samples', import.meta.url));
const tempDir = useTempDirs();
const env = { TZ: 'UTC' };

describe('alterego stats', () => {
  it('--json on the samples: every source and chat, valid against the schema', async () => {
    const cwd = await tempDir();
    const result = await runCli(
      [
        'stats',
        join(SAMPLES, 'whatsapp'),
        join(SAMPLES, 'telegram'),
        '--me',
        'Sam Rivera',
        '--tz',
        'America/New_York',
        '--json',
      ],
      { cwd, env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = StatsReportSchema.parse(JSON.parse(result.stdout));
    expect(report.timeZone).toBe('America/New_York');
    expect(report.sources.map((source) => source.formats)).toEqual([['whatsapp'], ['telegram']]);
    expect(report.totals.chats).toBe(3);
    expect(report.chats.map((chat) => chat.title)).toEqual([
      'Alex Chen',
      'Weekend Crew',
      'Leo Park',
    ]);
    for (const chat of report.chats) {
      expect(chat.mine).toBeGreaterThan(0);
      expect(chat.myShare).toBeCloseTo(chat.mine / chat.messages, 3);
      expect(chat.myTextTokens).toBeGreaterThan(0);
      expect(chat.first! <= chat.last!).toBe(true);
    }
    const sum = report.chats.reduce((total, chat) => total + chat.messages, 0);
    expect(report.totals.messages).toBe(sum);
    // The chats are sorted by messages.
    const counts = report.chats.map((chat) => chat.messages);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('prints totals, sources and top chats as text on stdout, nothing on stderr off a terminal', async () => {
    const cwd = await tempDir();
    await writeJsonlAtomic(join(cwd, 'all.jsonl'), [
      makeConversation('a', 6),
      makeConversation('b', 2),
      makeConversation('c', 4),
    ]);
    const result = await runCli(['stats', 'all.jsonl', '--top', '2'], { cwd, env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('12 messages in 3 chats from 1 source, 2024-01-02');
    expect(lines[1]).toMatch(/^yours: 6 \(50%\), \d+ tokens of your own text \(o200k\)$/);
    expect(result.stdout).toMatch(
      /^all\.jsonl +alterego-jsonl +3 +12 +50% +12 +0 +\d+ +2024-01-02$/m,
    );
    expect(result.stdout).toContain('top chats (2 of 3; --top N for more)');
    expect(result.stdout).toMatch(/^Chat a +whatsapp +6 +50%/m);
    expect(result.stdout).not.toMatch(/^Chat b /m);
  });

  it('reads the inputs of the config file when none are given', async () => {
    const cwd = await tempDir();
    await writeJsonlAtomic(join(cwd, 'all.jsonl'), [makeConversation('a', 3)]);
    await writeFile(join(cwd, 'alterego.config.json'), JSON.stringify({ inputs: ['all.jsonl'] }));
    const result = await runCli(['stats', '--json'], { cwd, env });
    expect(result.code).toBe(0);
    expect(StatsReportSchema.parse(JSON.parse(result.stdout)).totals.messages).toBe(3);
  });

  it('without inputs or config: a usage error (exit 2); a bad --top too', async () => {
    const cwd = await tempDir();
    const missing = await runCli(['stats'], { cwd, env });
    expect(missing.code).toBe(2);
    expect(missing.stderrLines).toEqual([
      `alterego: missing required argument 'input' (see "alterego stats --help")`,
    ]);
    const bad = await runCli(['stats', 'x.jsonl', '--top', '0'], { cwd, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--top 0: expected a whole number ≥ 1/);
  });
});
