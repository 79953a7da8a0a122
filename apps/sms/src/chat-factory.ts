import {
  createChat,
  createFewShotBackend,
  createFinetunedBackend,
  createRetrievalBackend,
  loadPersona,
  openChatMemory,
  openReplyIndex,
  type ChatReply,
  type Counterpart,
  type FinetunedBackendOptions,
  type ReplyBackend,
  type ReplyIndex,
} from '@alterego/chat';
import type { SmsBackendName, SmsConfig, SmsRoute } from './config.js';

/** What the server needs of a chat: the runtime's `Chat`, or a stand-in in tests. */
export interface SmsChat {
  reply(
    counterpart: Counterpart,
    messages: string | readonly string[],
    options?: { time?: number; signal?: AbortSignal },
  ): Promise<ChatReply>;
  close(): void | Promise<void>;
  /**
   * True when every backend of the chat answers from memory (retrieval): the reply is never late,
   * so the server sets no deadline timer for it.
   */
  readonly local?: boolean;
}

/** Makes the chat of a route; `close` releases everything it opened. */
export interface ChatFactory {
  create(route: SmsRoute, key: string): SmsChat | Promise<SmsChat>;
  close(): Promise<void>;
}

/**
 * How long the server lets conversation turns gather before they go to the memory file in one
 * commit: at hundreds of messages a second, one commit per batch instead of one per reply.
 */
export const MEMORY_FLUSH_MS = 20;

/**
 * The chats of the configured routes, built with @alterego/chat: each dataset's persona and
 * reply index are opened once, and every chat remembers conversations in `memoryFile`, keyed by
 * the sender's number.
 */
export function createChatFactory(config: SmsConfig): ChatFactory {
  const indexes = new Map<string, Promise<ReplyIndex>>();
  const openIndex = (dataset: string) => {
    let index = indexes.get(dataset);
    if (!index) {
      index = openReplyIndex(dataset);
      indexes.set(dataset, index);
    }
    return index;
  };

  const backend = async (
    name: SmsBackendName,
    route: SmsRoute,
    model: string | undefined,
  ): Promise<ReplyBackend> => {
    if (name === 'retrieval')
      return createRetrievalBackend({ index: await openIndex(route.dataset) });
    const options: FinetunedBackendOptions = { model: model ?? '' };
    if (route.baseUrl !== undefined) options.baseURL = route.baseUrl;
    if (config.openaiApiKey !== undefined) options.apiKey = config.openaiApiKey;
    if (route.temperature !== undefined) options.temperature = route.temperature;
    if (name === 'fewshot')
      return createFewShotBackend({
        ...options,
        index: await openIndex(route.dataset),
      });
    return createFinetunedBackend(options);
  };

  return {
    async create(route) {
      const persona = await loadPersona(route.dataset);
      const primary = await backend(route.backend, route, route.model);
      const fallback =
        route.fallback === undefined
          ? undefined
          : await backend(route.fallback, route, route.fallbackModel ?? route.model);
      const memory = openChatMemory(config.memoryFile, {
        gapMinutes: persona.sessionGapMinutes > 0 ? persona.sessionGapMinutes : 60,
        flushMs: MEMORY_FLUSH_MS,
        // Commits happen in a worker thread: the event loop never waits for the disk.
        worker: true,
      });
      const chat = createChat({
        persona,
        backend: primary,
        ...(fallback ? { fallback } : {}),
        memory,
        limits: config.limits,
      });
      const local = primary.local === true && (fallback === undefined || fallback.local === true);
      return Object.assign(chat, { local });
    },
    async close() {
      const opened = [...indexes.values()];
      indexes.clear();
      for (const index of await Promise.allSettled(opened))
        if (index.status === 'fulfilled') index.value.close();
    },
  };
}
