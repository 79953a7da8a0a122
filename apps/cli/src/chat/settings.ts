import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { CliError } from '../cli-error.js';
import { type Config, loadConfig } from '../config.js';
import { userDataDir } from '../data-dir.js';
import { ExitCode } from '../exit-codes.js';
import type { CliIO } from '../io.js';

/** The backends `alterego chat` and `alterego eval` can answer with. */
export const BACKENDS = ['retrieval', 'fewshot', 'finetuned'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** OpenAI's API, where a model runs when no base URL is given. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** The file in the data folder that remembers conversations (one per counterpart). */
export const CHAT_MEMORY_FILE = 'chat.sqlite';

/** The flags chat and eval share; undefined ones fall back to the environment, then the config. */
export interface ChatFlags {
  dataset?: string;
  backend?: BackendName;
  model?: string;
  baseUrl?: string;
  fallback?: BackendName;
  timeout?: number;
  config?: string;
}

/** Where replies come from, settled from flags, then environment, then config, then defaults. */
export interface ChatSettings {
  /** The dataset folder, absolute. */
  datasetDir: string;
  /** The dataset folder as the user gave it (for messages). */
  datasetLabel: string;
  backend: BackendName;
  /** The model the user asked for (flag, ALTEREGO_CHAT_MODEL or config); undefined: the default. */
  model?: string;
  /** An OpenAI-compatible server; undefined: OpenAI, or where the fine-tuned model was trained. */
  baseURL?: string;
  apiKey?: string;
  fallback?: BackendName;
  timeoutMs?: number;
  /** The user's data folder: the fine-tuning ledger and the chat memory live here. */
  dataDir: string;
  config: Config;
}

/** A model and the server that runs it, for the fewshot and finetuned backends. */
export interface ModelTarget {
  model: string;
  baseURL?: string;
  apiKey: string;
  /** Where the model name came from, for messages: `--model`, `the ledger`, `the dataset`. */
  source: string;
}

const env = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : value;

function backendName(value: string | undefined, where: string): BackendName | undefined {
  if (value === undefined) return undefined;
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new CliError(`${where} ${value}: expected one of ${BACKENDS.join(', ')}`, ExitCode.usage);
}

function positiveInteger(value: string | undefined, where: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new CliError(
      `${where} ${value}: expected a whole number of milliseconds`,
      ExitCode.usage,
    );
  }
  return number;
}

/**
 * Settles what chat and eval use: flags, then `ALTEREGO_DATASET`, `ALTEREGO_CHAT_BACKEND`,
 * `ALTEREGO_CHAT_MODEL`, `ALTEREGO_CHAT_BASE_URL` (or `OPENAI_BASE_URL`), `ALTEREGO_CHAT_FALLBACK`,
 * `ALTEREGO_CHAT_TIMEOUT_MS` and `OPENAI_API_KEY`, then the config file's `dataset` and `chat.*`,
 * then the defaults (`./dataset`, retrieval). Checks that the dataset folder holds a dataset.
 */
export async function chatSettings(flags: ChatFlags, io: CliIO): Promise<ChatSettings> {
  const config = await loadConfig(io.cwd, flags.config);
  const chat = config.chat ?? {};
  const datasetLabel =
    flags.dataset ?? env(io.env.ALTEREGO_DATASET) ?? config.dataset ?? './dataset';
  const datasetDir = isAbsolute(datasetLabel) ? datasetLabel : join(io.cwd, datasetLabel);
  const backend =
    flags.backend ??
    backendName(env(io.env.ALTEREGO_CHAT_BACKEND), 'ALTEREGO_CHAT_BACKEND') ??
    chat.backend ??
    'retrieval';
  const fallback =
    flags.fallback ??
    backendName(env(io.env.ALTEREGO_CHAT_FALLBACK), 'ALTEREGO_CHAT_FALLBACK') ??
    chat.fallback;
  const timeoutMs =
    flags.timeout ??
    positiveInteger(env(io.env.ALTEREGO_CHAT_TIMEOUT_MS), 'ALTEREGO_CHAT_TIMEOUT_MS') ??
    chat.timeoutMs;
  const model = flags.model ?? env(io.env.ALTEREGO_CHAT_MODEL) ?? chat.model;
  const baseURL =
    flags.baseUrl ??
    env(io.env.ALTEREGO_CHAT_BASE_URL) ??
    env(io.env.OPENAI_BASE_URL) ??
    chat.baseUrl;
  if (baseURL !== undefined && !/^https?:\/\/[^/]/i.test(baseURL)) {
    throw new CliError(
      `base URL ${baseURL}: expected an http(s) URL such as http://localhost:11434/v1`,
      ExitCode.usage,
    );
  }
  const settings: ChatSettings = {
    datasetDir,
    datasetLabel,
    backend,
    dataDir: userDataDir(io.env),
    config,
  };
  if (model !== undefined) settings.model = model;
  if (baseURL !== undefined) settings.baseURL = baseURL.replace(/\/+$/, '');
  const apiKey = env(io.env.OPENAI_API_KEY);
  if (apiKey !== undefined) settings.apiKey = apiKey;
  if (fallback !== undefined && fallback !== backend) settings.fallback = fallback;
  if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
  await checkDataset(settings);
  return settings;
}

/** A missing dataset folder, or one without the files `alterego build` writes, exits with 2. */
export async function checkDataset(settings: ChatSettings): Promise<void> {
  const { datasetDir, datasetLabel } = settings;
  const info = await stat(datasetDir).catch(() => undefined);
  const missing =
    info === undefined
      ? 'no such folder'
      : !info.isDirectory()
        ? 'not a folder'
        : ['train.jsonl', 'manifest.json'].find((file) => !existsSync(join(datasetDir, file)));
  if (missing === undefined) return;
  const what =
    missing === 'train.jsonl' || missing === 'manifest.json' ? `no ${missing} in it` : missing;
  throw new CliError(
    `${datasetLabel}: ${what}; make a dataset first: run \`alterego build <exports> -o ${datasetLabel}\`, or give --dataset DIR`,
    ExitCode.usage,
  );
}

/** Where the fine-tuning ledger is, and what it knows; injectable for tests. */
export interface LedgerReader {
  /** The newest succeeded job's model, at this endpoint or at any. */
  newestModel(dataDir: string, endpoint?: string): { model: string; endpoint: string } | undefined;
}

const isOpenAI = (baseURL: string | undefined) =>
  baseURL === undefined || /^https:\/\/api\.openai\.com(\/|$)/i.test(baseURL);

/**
 * The model and server of a model backend. finetuned: the model asked for, else the newest
 * succeeded fine-tuning job in the ledger (served where it was trained, unless a base URL is
 * given). fewshot: the model asked for, else the model the dataset was made for (on OpenAI).
 * A missing model or key is a config error (exit 4) that says how to get one.
 */
export function modelTarget(
  backend: 'fewshot' | 'finetuned',
  settings: ChatSettings,
  personaModel: string | undefined,
  ledger: LedgerReader,
): ModelTarget {
  let model = settings.model;
  let baseURL = settings.baseURL;
  let source = 'the settings';
  if (model === undefined && backend === 'finetuned') {
    const newest = ledger.newestModel(settings.dataDir, baseURL);
    if (newest === undefined) {
      throw new CliError(
        `no fine-tuned model known${baseURL === undefined ? '' : ` at ${baseURL}`}: give --model (e.g. ft:gpt-4.1-mini-…:you::abc123), or train one with \`alterego finetune start ${settings.datasetLabel}\` and \`alterego finetune follow\`; without fine-tuning use --backend fewshot or retrieval`,
        ExitCode.missingConfig,
      );
    }
    model = newest.model;
    baseURL ??= isOpenAI(newest.endpoint) ? undefined : newest.endpoint;
    source = 'the fine-tuning ledger';
  }
  if (model === undefined && backend === 'fewshot') {
    if (!isOpenAI(baseURL) || !personaModel) {
      throw new CliError(
        `no model for the fewshot backend: give --model with a model ${baseURL === undefined ? 'name' : `that ${baseURL} serves (ollama list, or the server's /models)`}`,
        ExitCode.missingConfig,
      );
    }
    model = personaModel;
    source = 'the dataset manifest';
  }
  if (model === undefined) throw new Error('unreachable: no model');
  let apiKey = settings.apiKey;
  if (apiKey === undefined) {
    if (isOpenAI(baseURL)) {
      throw new CliError(
        `OPENAI_API_KEY is not set; the ${backend} backend calls OpenAI: export OPENAI_API_KEY=sk-…, or give --base-url of a local OpenAI-compatible server (Ollama: http://localhost:11434/v1), or use --backend retrieval (offline)`,
        ExitCode.missingConfig,
      );
    }
    // Local servers (Ollama, vLLM, llama.cpp, mlx_lm.server) take any key.
    apiKey = 'local';
  }
  return { model, ...(baseURL === undefined ? {} : { baseURL }), apiKey, source };
}

/** Whether a model backend could run without asking for more settings. */
export function knowsModel(
  backend: 'fewshot' | 'finetuned',
  settings: ChatSettings,
  personaModel: string | undefined,
  ledger: LedgerReader,
): boolean {
  try {
    modelTarget(backend, settings, personaModel, ledger);
    return true;
  } catch (error) {
    if (error instanceof CliError) return false;
    throw error;
  }
}
