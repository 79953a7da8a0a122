import { describe, expect, it } from 'vitest';
import { parseArchiveTime } from './created-at.js';

const iso = (value: unknown) => {
  const time = parseArchiveTime(value);
  return time === undefined ? undefined : new Date(time).toISOString();
};

describe('parseArchiveTime', () => {
  it('reads the created_at of tweets', () => {
    expect(iso('Wed Oct 10 20:19:24 +0000 2018')).toBe('2018-10-10T20:19:24.000Z');
    expect(iso('Tue Apr 08 17:27:14 +0000 2025')).toBe('2025-04-08T17:27:14.000Z');
    expect(iso('Thu Feb 29 00:00:00 +0000 2024')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('applies an offset other than +0000', () => {
    expect(iso('Wed Oct 10 22:19:24 +0200 2018')).toBe('2018-10-10T20:19:24.000Z');
    expect(iso('Wed Oct 10 15:49:24 -0430 2018')).toBe('2018-10-10T20:19:24.000Z');
  });

  it('reads the ISO times of direct messages and notes', () => {
    expect(iso('2022-01-27T15:58:52.744Z')).toBe('2022-01-27T15:58:52.744Z');
    expect(iso('2022-01-27T15:58:52Z')).toBe('2022-01-27T15:58:52.000Z');
    expect(iso('2022-01-27T17:58:52.000+02:00')).toBe('2022-01-27T15:58:52.000Z');
  });

  it('refuses anything else', () => {
    for (const value of [
      undefined,
      1_700_000_000,
      '',
      'yesterday',
      'Wed Foo 10 20:19:24 +0000 2018',
      'Wed Feb 30 20:19:24 +0000 2018',
      'Wed Oct 10 24:19:24 +0000 2018',
      '2022-02-30T00:00:00.000Z',
      '2022-01-27 15:58:52',
    ]) {
      expect(parseArchiveTime(value), String(value)).toBeUndefined();
    }
  });
});
