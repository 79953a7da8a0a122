import type { ProviderError } from './provider-error.js';

export interface RetryOptions {
  /** Attempts after the first (default 4). */
  maxRetries?: number;
  /** First delay in ms; doubled each attempt, with jitter (default 500). */
  baseDelayMs?: number;
  /** Longest delay in ms (default 8000). */
  maxDelayMs?: number;
  /** Waits; tests pass a function that records the delay and returns at once. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** 0 to 1; default Math.random. */
  random?: () => number;
  /** Called before each retry with the error and the delay. */
  onRetry?: (error: ProviderError, attempt: number, delayMs: number) => void;
}

/** Sleeps, and stops early with the signal's reason when it is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A delay the remote asked for (`retry-after-ms`, `retry-after` seconds or date), if any. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = headers?.get('retry-after');
  if (after == null) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `attempt` until it succeeds, retrying errors that `toError` marks retryable (rate limits,
 * server errors, dropped connections) with exponential backoff and jitter, or after the delay the
 * remote asked for. `beforeRetry` runs before each new attempt: the place to look for the result
 * of an attempt whose answer was lost.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  toError: (error: unknown) => { error: ProviderError; retryAfterMs?: number },
  options: RetryOptions & {
    signal?: AbortSignal;
    beforeRetry?: () => Promise<T | undefined>;
  } = {},
): Promise<T> {
  const maxRetries = options.maxRetries ?? 4;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 8000;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  for (let attemptNumber = 0; ; attemptNumber += 1) {
    try {
      if (attemptNumber > 0 && options.beforeRetry) {
        const found = await options.beforeRetry();
        if (found !== undefined) return found;
      }
      return await attempt(attemptNumber);
    } catch (caught) {
      if (options.signal?.aborted) throw caught;
      const { error, retryAfterMs: asked } = toError(caught);
      if (!error.retryable || attemptNumber >= maxRetries) throw error;
      const backoff = Math.min(max, base * 2 ** attemptNumber) * (0.75 + random() * 0.25);
      const delay = Math.min(max * 4, asked ?? backoff);
      options.onRetry?.(error, attemptNumber + 1, delay);
      await wait(delay, options.signal);
    }
  }
}
