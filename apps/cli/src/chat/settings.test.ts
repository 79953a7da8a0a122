import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../__fixtures__/cli.js';
import { CliError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { Capture } from '../__fixtures__/cli.js';
import {
  type ChatSettings,
  chatSettings,
  knowsModel,
  type LedgerReader,
  modelTarget,
} from './settings.js';

const tempDir = useTempDirs();
let cwd: string;

function io(env: NodeJS.ProcessEnv = {}): CliIO {
  return {
    stdout: new Capture(),
    stderr: new Capture(),
    env: { ALTEREGO_HOME: join(cwd, 'home'), ...env },
    cwd,
    signal: new AbortController().signal,
  };
}

async function dataset(name: string) {
  const dir = join(cwd, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'train.jsonl'), '');
  await writeFile(join(dir, 'manifest.json'), '{}');
  return dir;
}

async function config(value: unknown) {
  await writeFile(join(cwd, 'alterego.config.json'), JSON.stringify(value));
}

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<CliError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

const noLedger: LedgerReader = { newestModel: () => undefined };

beforeEach(async () => {
  cwd = await tempDir();
});

describe('chatSettings', () => {
  it('defaults to ./dataset, the retrieval backend and the data folder', async () => {
    await dataset('dataset');
    const settings = await chatSettings({}, io());
    expect(settings).toMatchObject({
      datasetDir: join(cwd, 'dataset'),
      datasetLabel: './dataset',
      backend: 'retrieval',
      dataDir: join(cwd, 'home'),
    });
    expect(settings.model).toBeUndefined();
    expect(settings.baseURL).toBeUndefined();
    expect(settings.fallback).toBeUndefined();
    expect(settings.timeoutMs).toBeUndefined();
    expect(settings.apiKey).toBeUndefined();
  });

  it('takes flags over environment over config', async () => {
    await Promise.all(['from-flag', 'from-env', 'from-config'].map(dataset));
    await config({
      dataset: 'from-config',
      chat: {
        backend: 'finetuned',
        model: 'config-model',
        baseUrl: 'http://localhost:1/v1',
        fallback: 'retrieval',
        timeoutMs: 1000,
      },
    });
    const env = {
      ALTEREGO_DATASET: 'from-env',
      ALTEREGO_CHAT_BACKEND: 'fewshot',
      ALTEREGO_CHAT_MODEL: 'env-model',
      ALTEREGO_CHAT_BASE_URL: 'http://localhost:2/v1/',
      ALTEREGO_CHAT_FALLBACK: 'finetuned',
      ALTEREGO_CHAT_TIMEOUT_MS: '2000',
      OPENAI_API_KEY: 'sk-env',
    };
    expect(await chatSettings({}, io())).toMatchObject({
      datasetLabel: 'from-config',
      backend: 'finetuned',
      model: 'config-model',
      baseURL: 'http://localhost:1/v1',
      fallback: 'retrieval',
      timeoutMs: 1000,
    });
    expect(await chatSettings({}, io(env))).toMatchObject({
      datasetLabel: 'from-env',
      backend: 'fewshot',
      model: 'env-model',
      baseURL: 'http://localhost:2/v1',
      fallback: 'finetuned',
      timeoutMs: 2000,
      apiKey: 'sk-env',
    });
    expect(
      await chatSettings(
        {
          dataset: 'from-flag',
          backend: 'retrieval',
          model: 'flag-model',
          baseUrl: 'http://localhost:3/v1',
          fallback: 'fewshot',
          timeout: 3000,
        },
        io(env),
      ),
    ).toMatchObject({
      datasetDir: join(cwd, 'from-flag'),
      backend: 'retrieval',
      model: 'flag-model',
      baseURL: 'http://localhost:3/v1',
      fallback: 'fewshot',
      timeoutMs: 3000,
    });
  });

  it('reads OPENAI_BASE_URL when ALTEREGO_CHAT_BASE_URL is not set, and ignores empty variables', async () => {
    await dataset('dataset');
    await config({ chat: { baseUrl: 'http://localhost:1/v1' } });
    const settings = await chatSettings(
      {},
      io({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', ALTEREGO_CHAT_BASE_URL: '' }),
    );
    expect(settings.baseURL).toBe('http://127.0.0.1:9/v1');
    expect((await chatSettings({}, io({ OPENAI_BASE_URL: '' }))).baseURL).toBe(
      'http://localhost:1/v1',
    );
  });

  it('drops a fallback that is the backend itself', async () => {
    await dataset('dataset');
    expect((await chatSettings({ fallback: 'retrieval' }, io())).fallback).toBeUndefined();
  });

  it('says how to make a dataset when the folder is missing or incomplete (exit 2)', async () => {
    const missing = await failure(chatSettings({}, io()));
    expect(missing.exitCode).toBe(ExitCode.usage);
    expect(missing.message).toBe(
      './dataset: no such folder; make a dataset first: run `alterego build <exports> -o ./dataset`, or give --dataset DIR',
    );
    await mkdir(join(cwd, 'half'));
    await writeFile(join(cwd, 'half', 'train.jsonl'), '');
    const half = await failure(chatSettings({ dataset: 'half' }, io()));
    expect(half.exitCode).toBe(ExitCode.usage);
    expect(half.message).toMatch(
      /^half: no manifest\.json in it; .*alterego build <exports> -o half/,
    );
  });

  it('refuses a bad backend name or timeout in the environment (exit 2)', async () => {
    await dataset('dataset');
    const backend = await failure(chatSettings({}, io({ ALTEREGO_CHAT_BACKEND: 'gpt' })));
    expect(backend.exitCode).toBe(ExitCode.usage);
    expect(backend.message).toBe(
      'ALTEREGO_CHAT_BACKEND gpt: expected one of retrieval, fewshot, finetuned',
    );
    const timeout = await failure(chatSettings({}, io({ ALTEREGO_CHAT_TIMEOUT_MS: '1.5' })));
    expect(timeout.message).toMatch(/^ALTEREGO_CHAT_TIMEOUT_MS 1\.5: expected a whole number/);
    const url = await failure(chatSettings({ baseUrl: 'localhost:11434' }, io()));
    expect(url.message).toMatch(/^base URL localhost:11434: expected an http\(s\) URL/);
  });
});

describe('modelTarget', () => {
  const base: ChatSettings = {
    datasetDir: '/data/ds',
    datasetLabel: 'ds',
    backend: 'finetuned',
    dataDir: '/home/x/alterego',
    config: {},
  };
  const ledger = (model: string, endpoint: string): LedgerReader => ({
    newestModel: (_dir, at) =>
      at === undefined || at === endpoint ? { model, endpoint } : undefined,
  });

  it('takes the newest fine-tuned model from the ledger, served where it was trained', () => {
    const local = ledger('ft:emulated:1', 'http://127.0.0.1:5555/v1');
    expect(modelTarget('finetuned', base, 'gpt-4.1-mini', local)).toEqual({
      model: 'ft:emulated:1',
      baseURL: 'http://127.0.0.1:5555/v1',
      apiKey: 'local',
      source: 'the fine-tuning ledger',
    });
    const openai = ledger('ft:gpt-4.1-mini:sam::1', 'https://api.openai.com/v1');
    expect(modelTarget('finetuned', { ...base, apiKey: 'sk-1' }, undefined, openai)).toEqual({
      model: 'ft:gpt-4.1-mini:sam::1',
      apiKey: 'sk-1',
      source: 'the fine-tuning ledger',
    });
  });

  it('prefers the model asked for, and a base URL given limits the ledger to that endpoint', () => {
    const local = ledger('ft:emulated:1', 'http://127.0.0.1:5555/v1');
    expect(
      modelTarget('finetuned', { ...base, model: 'ft:mine', apiKey: 'sk-1' }, undefined, local),
    ).toMatchObject({ model: 'ft:mine', source: 'the settings' });
    const elsewhere = { ...base, baseURL: 'http://localhost:8000/v1' };
    const error = failure(() => modelTarget('finetuned', elsewhere, undefined, local));
    return error.then((cli) => {
      expect(cli.exitCode).toBe(ExitCode.missingConfig);
      expect(cli.message).toMatch(
        /^no fine-tuned model known at http:\/\/localhost:8000\/v1: give --model .*alterego finetune start ds/,
      );
    });
  });

  it('with no fine-tuned model says how to get one (exit 4)', async () => {
    const error = await failure(() => modelTarget('finetuned', base, 'gpt-4.1-mini', noLedger));
    expect(error.exitCode).toBe(ExitCode.missingConfig);
    expect(error.message).toContain('alterego finetune start ds');
    expect(error.message).toContain('--backend fewshot or retrieval');
  });

  it('fewshot defaults to the dataset’s model on OpenAI, and needs --model on other servers', async () => {
    const fewshot = { ...base, backend: 'fewshot' as const, apiKey: 'sk-1' };
    expect(modelTarget('fewshot', fewshot, 'gpt-4.1-mini', noLedger)).toEqual({
      model: 'gpt-4.1-mini',
      apiKey: 'sk-1',
      source: 'the dataset manifest',
    });
    const ollama = { ...fewshot, baseURL: 'http://localhost:11434/v1' };
    const error = await failure(() => modelTarget('fewshot', ollama, 'gpt-4.1-mini', noLedger));
    expect(error.exitCode).toBe(ExitCode.missingConfig);
    expect(error.message).toContain('http://localhost:11434/v1 serves');
    expect(modelTarget('fewshot', { ...ollama, model: 'llama3.2' }, '', noLedger)).toMatchObject({
      model: 'llama3.2',
      baseURL: 'http://localhost:11434/v1',
    });
  });

  it('needs OPENAI_API_KEY for OpenAI only (exit 4)', async () => {
    const error = await failure(() =>
      modelTarget('fewshot', { ...base, backend: 'fewshot' }, 'gpt-4.1-mini', noLedger),
    );
    expect(error.exitCode).toBe(ExitCode.missingConfig);
    expect(error.message).toMatch(/^OPENAI_API_KEY is not set; .*--base-url .*--backend retrieval/);
    const local = { ...base, model: 'qwen', baseURL: 'http://127.0.0.1:8080/v1' };
    expect(modelTarget('finetuned', local, undefined, noLedger).apiKey).toBe('local');
  });

  it('knowsModel says whether a model backend could run', () => {
    expect(knowsModel('finetuned', base, 'gpt', noLedger)).toBe(false);
    expect(knowsModel('finetuned', base, 'gpt', ledger('ft:1', 'http://127.0.0.1:1/v1'))).toBe(
      true,
    );
  });
});
