import { seededRandom } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { instantMs } from './instant.js';

describe('instantMs', () => {
  it('reads Conversation times as Date.parse does', () => {
    const next = seededRandom(5);
    for (let round = 0; round < 2000; round += 1) {
      const time = new Date(Math.floor(next() * Date.UTC(2100, 0, 1))).toISOString();
      expect(instantMs(time), time).toBe(Date.parse(time));
    }
  });

  it.each([
    '2023-12-30T21:15:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2023-12-31T00:00:00.001Z',
    '0099-06-15T12:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
    '2023-02-30T21:15:00.000Z',
    '2023-13-01T21:15:00.000Z',
    '2023-12-30T24:00:00.000Z',
    '2023-12-30T21:15:00.000+01:00',
    '2023-12-30T21:15:00Z',
    '2023-12-30 21:15:00.000Z',
    '2023-1a-30T21:15:00.000Z',
    '2023-12-30T21:15:00.0a0Z',
    'not a time at all, really',
    '',
  ])('reads %j as Date.parse does', (time) => {
    expect(instantMs(time)).toBe(Date.parse(time));
  });
});
