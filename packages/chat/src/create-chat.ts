import { ChatError } from './chat-error.js';
import { openChatMemory, type ChatMemory } from './chat-memory.js';
import { splitBubbles } from './split-bubbles.js';
import type {
  ChatReply,
  ChatTurn,
  Counterpart,
  Persona,
  ReplyBackend,
  ReplyLimits,
  ReplyRequest,
  ReplyResult,
} from './types.js';

/** The alter ego, answering one incoming batch of messages at a time. */
export interface Chat {
  readonly persona: Persona;
  /** One incoming batch (several quick messages are one user turn, joined with "\n"). */
  reply(
    counterpart: Counterpart,
    messages: string | readonly string[],
    options?: { time?: number; signal?: AbortSignal },
  ): Promise<ChatReply>;
  /** Closes the backends and the memory. */
  close(): Promise<void>;
}

export interface ChatOptions {
  persona: Persona;
  backend: ReplyBackend;
  /** Answers when the backend fails or takes longer than `limits.timeoutMs`. */
  fallback?: ReplyBackend;
  /** Default: a memory that lasts as long as the process, with the persona's session gap. */
  memory?: ChatMemory;
  limits?: ReplyLimits;
  /** The clock, ms since the epoch (default Date.now). */
  now?: () => number;
}

const DEFAULT_MAX_BUBBLES = 6;
const DEFAULT_TIMEOUT_MS = 30_000;

const LINE_BREAK = /[\r\n]/;

/**
 * The user turn for a batch of messages, as training wrote user turns: lines joined with "\n";
 * with a persona trained on speaker labels and a counterpart with a name, "Name: " before it
 * (training labels each speaker's block of lines once).
 */
function userTurn(persona: Persona, counterpart: Counterpart, messages: readonly string[]): string {
  // One message on one line, most texts: no lines to split and join.
  const text =
    messages.length === 1 && !LINE_BREAK.test(messages[0]!)
      ? messages[0]!.trim()
      : messages
          .flatMap((message) => message.split(/\r\n|\r|\n/))
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .join('\n');
  const name = counterpart.name?.trim();
  return persona.labelSpeakers && name && text !== '' ? `${name}: ${text}` : text;
}

/** The backend's answer, or a ChatError when it is empty. */
function checkedResult(backend: ReplyBackend, result: ReplyResult): ReplyResult {
  if (typeof result?.text !== 'string' || result.text.trim() === '') {
    throw new ChatError(`the ${backend.name} backend answered with an empty reply`, {
      kind: 'model-server',
    });
  }
  return result;
}

/**
 * Runs a backend with a time limit and an outer signal; rejects with a ChatError on timeout. A
 * local backend answers at once, so only the outer signal applies.
 */
async function runBackend(
  backend: ReplyBackend,
  request: Omit<ReplyRequest, 'signal'>,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<ReplyResult> {
  outer?.throwIfAborted();
  if (backend.local === true) {
    const result = await backend.reply(
      outer === undefined ? request : { ...request, signal: outer },
    );
    return checkedResult(backend, result);
  }
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ChatError(
        `the ${backend.name} backend took longer than ${timeoutMs} ms to answer`,
        { kind: 'timeout' },
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    onAbort = () => {
      controller.abort(outer?.reason);
      reject(outer?.reason as Error);
    };
    outer?.addEventListener('abort', onAbort, { once: true });
  });
  stopped.catch(() => undefined);
  try {
    const work = backend.reply({ ...request, signal: controller.signal });
    // A backend that ignores the signal may still fail later; that failure is not an answer.
    work.catch(() => undefined);
    return checkedResult(backend, await Promise.race([work, stopped]));
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) outer?.removeEventListener('abort', onAbort);
  }
}

/**
 * The reply runtime: for each incoming batch, the remembered session with that counterpart plus
 * the new user turn go to the backend (within `limits.timeoutMs`); when it fails or is too slow,
 * the fallback answers instead (the reply says why in `fallbackReason`), or the error is thrown.
 * The reply is split into bubbles within the limits, and both turns are remembered. A batch that
 * is aborted through `signal` is thrown, not answered by the fallback, and not remembered.
 */
export function createChat(options: ChatOptions): Chat {
  const { persona, backend, fallback } = options;
  const memory =
    options.memory ?? openChatMemory(':memory:', { gapMinutes: persona.sessionGapMinutes });
  const now = options.now ?? Date.now;
  const limits = options.limits ?? {};
  const maxChars =
    limits.maxChars ?? (persona.maxReplyChars > 0 ? persona.maxReplyChars : undefined);
  const maxBubbles = limits.maxBubbles ?? DEFAULT_MAX_BUBBLES;
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let closed = false;

  return {
    persona,
    async reply(counterpart, messages, replyOptions = {}) {
      if (closed) throw new ChatError('this chat is closed', { kind: 'config' });
      const { signal } = replyOptions;
      const time = replyOptions.time ?? now();
      const content = userTurn(
        persona,
        counterpart,
        typeof messages === 'string' ? [messages] : messages,
      );
      if (content === '') throw new TypeError('there is no message to answer: all are blank');

      const history: ChatTurn[] = memory.history(counterpart.id, time);
      const last = history.at(-1);
      if (last?.role === 'user')
        history[history.length - 1] = { role: 'user', content: `${last.content}\n${content}` };
      else history.push({ role: 'user', content });
      const request = { persona, history, counterpart };

      const started = performance.now();
      let result: ReplyResult;
      let fallbackReason: string | undefined;
      try {
        result = await runBackend(backend, request, timeoutMs, signal);
      } catch (error) {
        if (signal?.aborted || fallback === undefined) throw error;
        fallbackReason = error instanceof Error ? error.message : String(error);
        result = await runBackend(fallback, request, timeoutMs, signal);
      }
      const elapsedMs = Math.round(performance.now() - started);
      let bubbles = splitBubbles(result.text, { maxBubbles, maxChars });
      if (bubbles.length === 0) bubbles = [result.text.trim()];

      memory.append(counterpart.id, { role: 'user', content }, time);
      memory.append(
        counterpart.id,
        { role: 'assistant', content: bubbles.join('\n') },
        time + elapsedMs,
      );
      const reply: ChatReply = { bubbles, backend: result.backend, elapsedMs };
      if (result.model !== undefined) reply.model = result.model;
      if (fallbackReason !== undefined) reply.fallbackReason = fallbackReason;
      return reply;
    },
    async close() {
      if (closed) return;
      closed = true;
      await backend.close?.();
      if (fallback !== undefined && fallback !== backend) await fallback.close?.();
      memory.close();
    },
  };
}
