import { seededRandom } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { AnswerCache } from './dedupe.js';
import { RateLimiter } from './rate-limit.js';

describe('AnswerCache', () => {
  it('forgets the oldest entries first, however entries were set, replaced and deleted', () => {
    const next = seededRandom(4);
    const cache = new AnswerCache<string>(50, 60_000, () => 0);
    // What the cache should hold, in age order.
    const model: string[] = [];
    for (let step = 0; step < 20_000; step += 1) {
      const id = `SM${Math.floor(next() * 200)}`;
      const at = model.indexOf(id);
      if (at >= 0) model.splice(at, 1);
      if (next() < 0.1) {
        cache.delete(id);
        continue;
      }
      cache.set(id, Promise.resolve(id));
      model.push(id);
      if (model.length > 50) model.shift();
      expect(cache.size).toBe(model.length);
    }
    for (let n = 0; n < 200; n += 1) {
      expect(cache.get(`SM${n}`) !== undefined, `SM${n}`).toBe(model.includes(`SM${n}`));
    }
  });

  it('forgets entries older than its time to live', async () => {
    let now = 0;
    const cache = new AnswerCache<string>(10, 1_000, () => now);
    cache.set('SM1', Promise.resolve('<Response/>'));
    now = 1_000;
    await expect(cache.get('SM1')).resolves.toBe('<Response/>');
    now = 1_001;
    expect(cache.get('SM1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('RateLimiter', () => {
  it('forgets the senders seen least recently first', () => {
    const limiter = new RateLimiter({ burst: 1, perMinute: 1, maxSenders: 3, now: () => 0 });
    for (const sender of ['a', 'b', 'c']) expect(limiter.take(sender)).toBe(true);
    expect(limiter.take('a')).toBe(false); // "a" is now the most recent
    expect(limiter.take('d')).toBe(true); // forgets "b"
    expect(limiter.take('e')).toBe(true); // forgets "c"
    expect(limiter.take('a')).toBe(false); // still remembered: its bucket is empty
    expect(limiter.take('b')).toBe(true); // forgotten: a full bucket again
  });
});
