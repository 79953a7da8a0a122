import { describe, expect, it } from 'vitest';
import { appleTimeToIso, appleTimeToUnixMs } from './apple-time.js';

describe('Apple times', () => {
  it('reads nanoseconds since 2001 exactly', () => {
    expect(appleTimeToIso(725_760_000_123_999_999n)).toBe('2024-01-01T00:00:00.123Z');
  });

  it('reads seconds since 2001 (old databases)', () => {
    expect(appleTimeToIso(454_852_800n)).toBe('2015-06-01T12:00:00.000Z');
    expect(appleTimeToUnixMs(0n)).toBe(978_307_200_000);
  });
});
