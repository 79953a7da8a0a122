import { describe, expect, it } from 'vitest';
import { telegramTime } from './telegram-time.js';

describe('telegramTime', () => {
  it('prefers date_unixtime, a real instant, over the zoneless date', () => {
    expect(telegramTime('1691719862', '2023-08-10T23:11:02', 'Europe/Berlin')).toBe(
      '2023-08-11T02:11:02.000Z',
    );
    expect(telegramTime(1652135033, undefined, 'UTC')).toBe('2022-05-09T22:23:53.000Z');
  });

  it('reads a zoneless date in the given zone, across daylight saving', () => {
    expect(telegramTime(undefined, '2019-07-12T16:55:32', 'Europe/Berlin')).toBe(
      '2019-07-12T14:55:32.000Z',
    );
    expect(telegramTime(undefined, '2019-01-12T16:55:32', 'Europe/Berlin')).toBe(
      '2019-01-12T15:55:32.000Z',
    );
    expect(telegramTime(undefined, '2019-07-12T16:55:32', 'UTC')).toBe('2019-07-12T16:55:32.000Z');
  });

  it('takes a date with a zone as written', () => {
    expect(telegramTime(undefined, '2017-01-01T06:20:09.248Z', 'Asia/Tokyo')).toBe(
      '2017-01-01T06:20:09.248Z',
    );
    expect(telegramTime(undefined, '2017-01-01T06:20:09+0200', 'UTC')).toBe(
      '2017-01-01T04:20:09.000Z',
    );
  });

  it('refuses what is not a time', () => {
    expect(telegramTime(undefined, '2019-02-30T10:00:00', 'UTC')).toBeUndefined();
    expect(telegramTime(undefined, 'yesterday', 'UTC')).toBeUndefined();
    expect(telegramTime('', undefined, 'UTC')).toBeUndefined();
    expect(telegramTime('soon', 42, 'UTC')).toBeUndefined();
  });
});
