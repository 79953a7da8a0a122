import type OpenAI from 'openai';
import type * as OpenAIModuleNamespace from 'openai';
import { ChatError } from './chat-error.js';
import type { Exchange, ReplyResult } from './types.js';

/** How a backend reaches an OpenAI-compatible model server. */
export interface ModelServerOptions {
  /** The model id: `ft:…` on OpenAI, or the name the local server serves it under. */
  model: string;
  /**
   * The server's OpenAI-compatible base URL, e.g. `http://127.0.0.1:11434/v1` (Ollama),
   * `http://127.0.0.1:8000/v1` (vLLM, mlx_lm.server), `http://127.0.0.1:8080/v1` (llama.cpp).
   * Default: `OPENAI_BASE_URL`, else OpenAI.
   */
  baseURL?: string;
  /** Default: `OPENAI_API_KEY`; local servers need none. */
  apiKey?: string;
  /** A ready client; `baseURL` and `apiKey` are then ignored. */
  client?: OpenAI;
  temperature?: number;
  /** Most tokens of one reply. */
  maxTokens?: number;
  /** Retries of failed requests (rate limits, server errors, dropped connections); default 1. */
  maxRetries?: number;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

type OpenAIModule = typeof OpenAIModuleNamespace;
let openaiModule: Promise<OpenAIModule> | undefined;
/** The openai SDK, loaded on the first request rather than when the package is imported. */
const loadOpenAI = () => (openaiModule ??= import('openai'));

function isOpenAIHost(baseURL: string): boolean {
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/** Where requests go, and a client made on first use; a ChatError when OpenAI needs a key. */
export function modelServer(options: ModelServerOptions) {
  if (options.model.trim() === '') {
    throw new ChatError('no model given: pass the fine-tuned model id or the served model name', {
      kind: 'config',
    });
  }
  const baseURL = (
    options.client?.baseURL ??
    (options.baseURL || undefined) ??
    (process.env.OPENAI_BASE_URL || undefined) ??
    OPENAI_BASE_URL
  ).replace(/\/+$/, '');
  let apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
  if (options.client === undefined && (apiKey === undefined || apiKey === '')) {
    if (isOpenAIHost(baseURL)) {
      throw new ChatError(
        'OPENAI_API_KEY is not set: set it to use a model on OpenAI, or give the base URL of a local OpenAI-compatible server',
        { kind: 'config' },
      );
    }
    // Local servers (Ollama, vLLM, llama.cpp, mlx_lm.server) accept any key.
    apiKey = 'local';
  }
  let client: OpenAI | undefined = options.client;
  return {
    baseURL,
    async client(): Promise<OpenAI> {
      if (client === undefined) {
        const { default: OpenAIClient } = await loadOpenAI();
        client = new OpenAIClient({ apiKey, baseURL, maxRetries: options.maxRetries ?? 1 });
      }
      return client;
    },
  };
}

/** The first error code found along an error's causes (ECONNREFUSED, ENOTFOUND, …). */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const CONNECTION_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is it running?)',
  ENOTFOUND: 'host not found (check the base URL)',
  EAI_AGAIN: 'host not found (check the base URL and the network)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'host unreachable',
};

/** The model server's own explanation of an error response, on one line. */
function serverMessage(error: InstanceType<OpenAIModule['APIError']>): string {
  const body = error.error as { message?: unknown; error?: unknown } | undefined;
  const message =
    typeof body?.message === 'string'
      ? body.message
      : typeof body?.error === 'string'
        ? body.error
        : error.message.replace(/^\d{3}\s+/, '');
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * Turns what the openai SDK threw into a ChatError with a one-line message that says what happened
 * and how to fix it. An abort by the caller is thrown as the signal's reason.
 */
export async function modelServerError(
  error: unknown,
  where: { baseURL: string; model: string; signal?: AbortSignal | undefined },
): Promise<unknown> {
  if (where.signal?.aborted) return where.signal.reason;
  if (ChatError.isInstance(error)) return error;
  const sdk = await loadOpenAI();
  const server = `the model server at ${where.baseURL}`;
  if (error instanceof sdk.APIUserAbortError) {
    return new ChatError(`the request to ${server} was aborted`, { kind: 'timeout', cause: error });
  }
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return new ChatError(`${server} did not answer in time`, { kind: 'timeout', cause: error });
  }
  if (error instanceof sdk.APIConnectionError) {
    const code = causeCode(error);
    const reason =
      (code === undefined ? undefined : CONNECTION_REASONS[code]) ??
      (code === undefined ? error.message : `${code} (is it running?)`);
    return new ChatError(`cannot reach ${server}: ${reason}`, {
      kind: 'model-server',
      cause: error,
    });
  }
  if (error instanceof sdk.APIError && typeof error.status === 'number') {
    const status = error.status;
    const message = serverMessage(error);
    let explanation: string;
    if (status === 401) {
      explanation = isOpenAIHost(where.baseURL)
        ? 'the API key was refused; check OPENAI_API_KEY'
        : 'the API key was refused; check OPENAI_API_KEY (or the key the server was started with)';
    } else if (status === 404 && (error.code === 'model_not_found' || /model/i.test(message))) {
      explanation = `model '${where.model}' not found`;
    } else if (status === 404) {
      explanation = `${message}; check that the base URL is the server's OpenAI-compatible one (it usually ends in /v1)`;
    } else if (status === 429) {
      explanation = `${message} (rate limited or out of quota; try again later)`;
    } else {
      explanation = message;
    }
    return new ChatError(`${server} answered ${status}: ${explanation}`, {
      kind: 'model-server',
      status,
      cause: error,
    });
  }
  return new ChatError(`${server} failed: ${(error as Error)?.message ?? String(error)}`, {
    kind: 'model-server',
    cause: error,
  });
}

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** Asks the model server for one chat completion and returns it as a backend result. */
export async function complete(
  server: ReturnType<typeof modelServer>,
  options: ModelServerOptions,
  messages: Message[],
  request: { signal?: AbortSignal | undefined; backend: string; exchanges?: readonly Exchange[] },
): Promise<ReplyResult> {
  request.signal?.throwIfAborted();
  const where = { baseURL: server.baseURL, model: options.model, signal: request.signal };
  try {
    const client = await server.client();
    const body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming = {
      model: options.model,
      messages,
    };
    if (options.temperature !== undefined) body.temperature = options.temperature;
    if (options.maxTokens !== undefined) body.max_tokens = options.maxTokens;
    const completion = await client.chat.completions.create(
      body,
      request.signal ? { signal: request.signal } : {},
    );
    const text = completion.choices[0]?.message.content ?? '';
    const result: ReplyResult = { text, backend: request.backend, model: options.model };
    if (completion.usage) {
      result.usage = {
        promptTokens: completion.usage.prompt_tokens,
        completionTokens: completion.usage.completion_tokens,
      };
    }
    if (request.exchanges !== undefined) result.exchanges = request.exchanges;
    return result;
  } catch (error) {
    throw await modelServerError(error, where);
  }
}
