import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createChat,
  createFewShotBackend,
  createFinetunedBackend,
  createRetrievalBackend,
  loadPersona,
  openChatMemory,
  openReplyIndex,
  type Persona,
  type ReplyBackend,
  type ReplyIndex,
} from '@alterego/chat';
import { LEDGER_FILE, openLedger } from '@alterego/finetune';
import type { ChatSession } from './session.js';
import {
  type BackendName,
  CHAT_MEMORY_FILE,
  OPENAI_BASE_URL,
  type ChatSettings,
  type LedgerReader,
  modelTarget,
} from './settings.js';

/** Reads the fine-tuning ledger in the data folder; a missing ledger knows no model. */
export const ledgerReader: LedgerReader = {
  newestModel(dataDir, endpoint) {
    const file = join(dataDir, LEDGER_FILE);
    if (!existsSync(file)) return undefined;
    const ledger = openLedger(file);
    try {
      const job = ledger
        .listJobs(endpoint)
        .find((record) => record.state === 'succeeded' && record.resultModel !== undefined);
      return job?.resultModel === undefined
        ? undefined
        : { model: job.resultModel, endpoint: job.endpoint };
    } finally {
      ledger.close();
    }
  },
};

/** The persona of a dataset and backends built on it, sharing one reply index. */
export interface BackendSet {
  persona: Persona;
  /** Opens a backend (each name once; asking again gives the same one). */
  backend(name: BackendName): Promise<ReplyBackend>;
  /** Closes the backends (unless something closed them already) and the index. */
  close(options?: { backends?: boolean }): Promise<void>;
}

/**
 * Loads the persona of the dataset and makes backends on demand from the settings: retrieval
 * (the reply index of the dataset), fewshot and finetuned (a model on OpenAI or an
 * OpenAI-compatible server, see modelTarget).
 */
export async function openBackends(
  settings: ChatSettings,
  ledger: LedgerReader = ledgerReader,
): Promise<BackendSet> {
  const persona = await loadPersona(settings.datasetDir);
  let index: Promise<ReplyIndex> | undefined;
  const made = new Map<BackendName, ReplyBackend>();
  const openIndex = () => (index ??= openReplyIndex(settings.datasetDir));

  async function make(name: BackendName): Promise<ReplyBackend> {
    if (name === 'retrieval') return createRetrievalBackend({ index: await openIndex() });
    const target = modelTarget(name, settings, persona.model, ledger);
    // Always explicit: the settings come from the CLI's environment, not the process's.
    const connection = {
      model: target.model,
      apiKey: target.apiKey,
      baseURL: target.baseURL ?? OPENAI_BASE_URL,
    };
    if (name === 'finetuned') return createFinetunedBackend(connection);
    return createFewShotBackend({ ...connection, index: await openIndex() });
  }

  return {
    persona,
    async backend(name) {
      const existing = made.get(name);
      if (existing) return existing;
      const backend = await make(name);
      made.set(name, backend);
      return backend;
    },
    async close(options = {}) {
      if (options.backends !== false) {
        for (const backend of made.values()) await backend.close?.();
      }
      made.clear();
      if (index !== undefined) (await index.catch(() => undefined))?.close();
    },
  };
}

/** The model a backend calls, for the banner: none for retrieval. */
export function backendModel(
  name: BackendName,
  settings: ChatSettings,
  persona: Persona,
  ledger: LedgerReader = ledgerReader,
): string | undefined {
  return name === 'retrieval'
    ? undefined
    : modelTarget(name, settings, persona.model, ledger).model;
}

/**
 * A conversation runtime for the terminal and the web page: the backend of the settings, its
 * fallback, the time limit, and a memory in the data folder (`chat.sqlite`, or none in memory).
 */
export async function openChatSession(
  settings: ChatSettings,
  options: { memoryFile?: string; ledger?: LedgerReader } = {},
): Promise<ChatSession> {
  const ledger = options.ledger ?? ledgerReader;
  const set = await openBackends(settings, ledger);
  try {
    const { persona } = set;
    const backend = await set.backend(settings.backend);
    const fallback =
      settings.fallback === undefined ? undefined : await set.backend(settings.fallback);
    const memory = openChatMemory(options.memoryFile ?? join(settings.dataDir, CHAT_MEMORY_FILE), {
      gapMinutes: persona.sessionGapMinutes,
    });
    const chat = createChat({
      persona,
      backend,
      ...(fallback === undefined ? {} : { fallback }),
      memory,
      ...(settings.timeoutMs === undefined ? {} : { limits: { timeoutMs: settings.timeoutMs } }),
    });
    const model = backendModel(settings.backend, settings, persona, ledger);
    return {
      persona,
      backend: backend.name,
      ...(model === undefined ? {} : { model }),
      reply: (counterpart, messages, replyOptions) =>
        chat.reply(counterpart, messages, replyOptions),
      reset: (counterpartId) => memory.clear(counterpartId),
      async close() {
        // The chat closes its backends and the memory; the index is ours.
        await chat.close();
        await set.close({ backends: false });
      },
    };
  } catch (error) {
    await set.close();
    throw error;
  }
}
