import { describe, expect, it } from 'vitest';
import { ProviderError } from './provider-error.js';
import { retryAfterMs, sleep, withRetry } from './retry.js';

const retryable = new ProviderError('busy', { provider: 'p', kind: 'server', retryable: true });
const fatal = new ProviderError('bad key', { provider: 'p', kind: 'auth' });
const asIs = (error: unknown) => ({ error: error as ProviderError });

function recorder() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('withRetry', () => {
  it('retries retryable errors with exponential backoff and jitter', async () => {
    const { delays, sleep: wait } = recorder();
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 4) throw retryable;
        return 'done';
      },
      asIs,
      { sleep: wait, random: () => 1, baseDelayMs: 100 },
    );
    expect(result).toBe('done');
    expect(delays).toEqual([100, 200, 400]);
  });

  it('uses the jitter to shorten delays by up to a quarter', async () => {
    const { delays, sleep: wait } = recorder();
    await expect(
      withRetry(() => Promise.reject(retryable), asIs, {
        sleep: wait,
        random: () => 0,
        baseDelayMs: 100,
        maxRetries: 2,
      }),
    ).rejects.toBe(retryable);
    expect(delays).toEqual([75, 150]);
  });

  it('waits as long as the remote asked', async () => {
    const { delays, sleep: wait } = recorder();
    let calls = 0;
    await withRetry(
      async () => {
        calls += 1;
        if (calls === 1) throw retryable;
      },
      (error) => ({ error: error as ProviderError, retryAfterMs: 7 }),
      { sleep: wait },
    );
    expect(delays).toEqual([7]);
  });

  it('does not retry other errors', async () => {
    const { delays, sleep: wait } = recorder();
    await expect(withRetry(() => Promise.reject(fatal), asIs, { sleep: wait })).rejects.toBe(fatal);
    expect(delays).toEqual([]);
  });

  it('gives up after maxRetries with the last error', async () => {
    const { delays, sleep: wait } = recorder();
    let calls = 0;
    await expect(
      withRetry(
        () => {
          calls += 1;
          return Promise.reject(retryable);
        },
        asIs,
        { sleep: wait, maxRetries: 3 },
      ),
    ).rejects.toBe(retryable);
    expect(calls).toBe(4);
    expect(delays).toHaveLength(3);
  });

  it('asks beforeRetry for the result of an attempt whose answer was lost', async () => {
    const { sleep: wait } = recorder();
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        throw retryable;
      },
      asIs,
      { sleep: wait, beforeRetry: async () => 'found' },
    );
    expect(result).toBe('found');
    expect(calls).toBe(1);
  });
});

describe('retryAfterMs', () => {
  it('reads retry-after-ms, retry-after seconds and dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(
      retryAfterMs(
        new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }),
        Date.UTC(2026, 0, 1),
      ),
    ).toBe(10_000);
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('stops with the reason when aborted', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(sleep(1, controller.signal)).rejects.toThrow('stop');
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});
