import { describe, expect, it } from 'vitest';
import { createIsoFormatter } from './iso-time.js';

describe('createIsoFormatter', () => {
  it('writes what Date#toISOString writes', () => {
    const iso = createIsoFormatter();
    let seed = 1;
    const next = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const instants = [
      0,
      999,
      86_399_999,
      Date.UTC(2024, 1, 29, 23, 59, 59, 7),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (let index = 0; index < 5000; index += 1) {
      const instant = Math.floor(next() * Date.UTC(2100, 0, 1));
      // Chat times are whole seconds (the shared time parts); others go through Date.
      instants.push(instant, instant - (instant % 1000));
    }
    // In order and out of order, so the reused date part is exercised both ways.
    for (const instant of [...instants, ...instants.slice().sort((a, b) => a - b)]) {
      expect(iso(instant)).toBe(new Date(instant).toISOString());
    }
  });

  it('leaves years outside 0000-9999 to Date', () => {
    const iso = createIsoFormatter();
    const far = Date.UTC(10000, 0, 1, 1, 2, 3);
    expect(iso(far)).toBe(new Date(far).toISOString());
    expect(iso(-62198755200000 - 86_400_000)).toBe(
      new Date(-62198755200000 - 86_400_000).toISOString(),
    );
  });
});
