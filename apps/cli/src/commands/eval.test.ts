import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type OpenAIEmulator, startOpenAIEmulator } from '@alterego/finetune/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Capture, listDir, runCli, STACK_LINE, useTempDirs } from '../__fixtures__/cli.js';
import { writeFixtureDataset } from '../chat/__fixtures__/dataset.js';
import type { ChatSettings, LedgerReader } from '../chat/settings.js';
import { ExitCode } from '../exit-codes.js';
import { defaultEvalBackends, runEval } from './eval.js';

const tempDir = useTempDirs();
let cwd: string;
let home: string;
let emulator: OpenAIEmulator | undefined;

beforeEach(async () => {
  cwd = await tempDir();
  home = join(cwd, 'home');
  await writeFixtureDataset(join(cwd, 'dataset'));
});
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Fine-tunes on the fixture dataset in the emulator; returns the environment and the model. */
async function fineTuned(): Promise<{ env: NodeJS.ProcessEnv; model: string }> {
  emulator = await startOpenAIEmulator({ autoAdvanceSeconds: 600 });
  const env = {
    OPENAI_API_KEY: 'sk-emulated',
    OPENAI_BASE_URL: emulator.baseURL,
    ALTEREGO_HOME: home,
  };
  const start = await runCli(['finetune', 'start', 'dataset', '--yes'], { cwd, env });
  expect(start.code, start.stderr).toBe(ExitCode.ok);
  const follow = await runCli(['finetune', 'follow', '--interval', '0.001'], { cwd, env });
  expect(follow.code, follow.stderr).toBe(ExitCode.ok);
  const model = /succeeded: (\S+)/.exec(follow.stdout)?.[1];
  if (model === undefined) throw new Error(`no model in ${follow.stdout}`);
  return { env, model };
}

interface JsonReport {
  persona: string;
  cases: number;
  real: Record<string, unknown>;
  backends: { backend: string; model?: string; chrF: number; errors: number }[];
  samples: { id: string; context: string; real: string; replies: Record<string, string> }[];
}

describe('alterego eval', () => {
  it('compares retrieval only, with a note, when no model is known', async () => {
    const result = await runCli(['eval'], { cwd, env: { ALTEREGO_HOME: home } });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stderrLines).toEqual([
      'note: comparing the retrieval backend only: no fine-tuned model in the ledger and no --model or --base-url for fewshot; name backends with --backend to compare them',
    ]);
    expect(result.stdout).toContain('retrieval');
    expect(result.stdout).not.toContain('finetuned');
  });

  it('adds the newest fine-tuned model of the ledger by default, served by the emulator', async () => {
    const { env, model } = await fineTuned();
    const result = await runCli(['eval', '--json'], { cwd, env });
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.persona).toBe('Sam Rivera');
    expect(report.cases).toBe(3);
    expect(
      report.backends.map(({ backend, model: used, errors }) => ({ backend, model: used, errors })),
    ).toEqual([
      { backend: 'retrieval', model: undefined, errors: 0 },
      { backend: 'finetuned', model, errors: 0 },
    ]);
    expect(report.samples).toHaveLength(3);
    for (const sample of report.samples) {
      expect(Object.keys(sample.replies)).toEqual(['retrieval', 'finetuned']);
      expect(sample.real).not.toBe('');
    }
  });

  it('compares named backends, prints the table and writes --html atomically', async () => {
    const { env, model } = await fineTuned();
    const result = await runCli(
      [
        'eval',
        '--backend',
        'retrieval',
        '--backend',
        'fewshot',
        '--model',
        model,
        '--limit',
        '2',
        '--html',
        'out/eval.html',
      ],
      { cwd, env },
    );
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stderrLines).toEqual(['wrote out/eval.html']);
    expect(result.stdout).toMatch(/retrieval/);
    expect(result.stdout).toMatch(/fewshot/);
    const html = await readFile(join(cwd, 'out', 'eval.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('fewshot');
    expect(await listDir(join(cwd, 'out'))).toEqual(['eval.html']);
  });

  it('exits with 5 when every reply of a backend failed', async () => {
    const { env } = await fineTuned();
    const result = await runCli(
      ['eval', '--backend', 'retrieval', '--backend', 'finetuned', '--model', 'ft:unknown'],
      { cwd, env },
    );
    expect(result.code).toBe(ExitCode.remote);
    expect(result.stderr).toContain('warning: finetuned: 3 of 3 replies failed');
    expect(result.stderrLines.at(-1)).toMatch(/^alterego: finetuned: every reply failed/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('shows progress on stderr when asked (a terminal), and clears it', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const io = {
      stdout,
      stderr,
      env: { ALTEREGO_HOME: home },
      cwd,
      signal: new AbortController().signal,
    };
    expect(await runEval({ backend: ['retrieval'] }, io, { progress: true })).toBe(ExitCode.ok);
    expect(stderr.text).toContain('\revaluating retrieval: 3/3 replies');
    expect(stderr.text.endsWith('\r\u001b[K')).toBe(true);
    expect(stdout.text).toContain('retrieval');
  });

  it('without valid.jsonl says how to make one (exit 2)', async () => {
    await rm(join(cwd, 'dataset', 'valid.jsonl'));
    const result = await runCli(['eval'], { cwd, env: { ALTEREGO_HOME: home } });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderrLines).toHaveLength(1);
    expect(result.stderr).toMatch(/^alterego: \.\/dataset: no valid\.jsonl to evaluate on; /);
  });

  it('refuses an unknown backend (exit 2)', async () => {
    const result = await runCli(['eval', '--backend', 'gpt'], {
      cwd,
      env: { ALTEREGO_HOME: home },
    });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toMatch(/expected one of retrieval, fewshot, finetuned/);
  });
});

describe('defaultEvalBackends', () => {
  const settings: ChatSettings = {
    datasetDir: '/ds',
    datasetLabel: 'ds',
    backend: 'retrieval',
    dataDir: '/home',
    config: {},
  };
  const none: LedgerReader = { newestModel: () => undefined };
  const trained: LedgerReader = {
    newestModel: () => ({ model: 'ft:1', endpoint: 'http://127.0.0.1:1/v1' }),
  };

  it('adds finetuned when the ledger knows a model, ignoring a fewshot model setting', () => {
    const chosen = defaultEvalBackends({ ...settings, model: 'llama3.2' }, 'gpt', trained);
    expect(chosen.backends).toEqual(['retrieval', 'finetuned']);
    expect(chosen.settings.model).toBeUndefined();
    expect(chosen.note).toBeUndefined();
  });

  it('keeps a configured finetuned model', () => {
    const chosen = defaultEvalBackends(
      { ...settings, backend: 'finetuned', model: 'ft:mine', apiKey: 'sk' },
      'gpt',
      none,
    );
    expect(chosen.backends).toEqual(['retrieval', 'finetuned']);
    expect(chosen.settings.model).toBe('ft:mine');
  });

  it('adds fewshot when a model or a server is set', () => {
    const local = { ...settings, baseURL: 'http://localhost:11434/v1', model: 'llama3.2' };
    expect(defaultEvalBackends(local, 'gpt', none).backends).toEqual(['retrieval', 'fewshot']);
    const openai = { ...settings, model: 'gpt-4.1-mini', apiKey: 'sk' };
    expect(defaultEvalBackends(openai, 'gpt', none).backends).toEqual(['retrieval', 'fewshot']);
  });

  it('falls back to retrieval alone with a note', () => {
    const chosen = defaultEvalBackends({ ...settings, apiKey: 'sk' }, 'gpt', none);
    expect(chosen.backends).toEqual(['retrieval']);
    expect(chosen.note).toMatch(/^note: comparing the retrieval backend only/);
    // A server without a model name is not enough for fewshot.
    const server = { ...settings, baseURL: 'http://localhost:11434/v1' };
    expect(defaultEvalBackends(server, 'gpt', none).backends).toEqual(['retrieval']);
  });
});
