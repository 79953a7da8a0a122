import { describe, expect, it } from 'vitest';
import { parseHtmlDate } from './html-date.js';

describe('parseHtmlDate', () => {
  it('reads the three layouts Facebook has used', () => {
    const expected = { year: 2019, month: 10, day: 19, hour: 14, minute: 37, second: 0 };
    expect(parseHtmlDate('Oct 19, 2019, 2:37 PM')).toEqual(expected);
    expect(parseHtmlDate('Oct 19, 2019 at 2:37 PM')).toEqual(expected);
    expect(parseHtmlDate('19 Oct 2019, 14:37')).toEqual(expected);
  });

  it('reads seconds, lower-case meridiems, full month names and weekdays', () => {
    expect(parseHtmlDate('Jan 05, 2021 10:27:14 am')).toEqual({
      year: 2021,
      month: 1,
      day: 5,
      hour: 10,
      minute: 27,
      second: 14,
    });
    expect(parseHtmlDate('Friday, December 31, 2021 at 12:05 AM')).toEqual({
      year: 2021,
      month: 12,
      day: 31,
      hour: 0,
      minute: 5,
      second: 0,
    });
    expect(parseHtmlDate('Sep\u00a013,\u00a02020,\u00a012:26\u202fPM')).toEqual({
      year: 2020,
      month: 9,
      day: 13,
      hour: 12,
      minute: 26,
      second: 0,
    });
  });

  it('rejects what is not a date', () => {
    for (const text of [
      'Test User',
      'ping',
      'Feb 30, 2020, 1:00 PM',
      'Oct 19, 2019, 13:37 PM',
      'Foo 19, 2019, 2:37 PM',
    ]) {
      expect(parseHtmlDate(text), text).toBeUndefined();
    }
  });
});
