import type { WallClockTime } from '@alterego/core';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const MONTH = '([A-Za-z]{3,9})\\.?';
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([AaPp]\\.?\\s?[Mm]\\.?)?';
const WEEKDAY = '(?:[A-Za-z]+,?\\s+)?';
/** "Oct 19, 2019, 2:37 PM", "Oct 19, 2019 at 2:37 PM", "Jun 12, 2023 9:45:31 pm". */
const MONTH_FIRST = new RegExp(
  `^${WEEKDAY}${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})(?:,|\\s+at)?\\s+${TIME}$`,
);
/** "19 Oct 2019, 14:37", "19 October 2019 at 2:37 pm". */
const DAY_FIRST = new RegExp(
  `^${WEEKDAY}(\\d{1,2})\\.?\\s+${MONTH}\\s+(\\d{4})(?:,|\\s+at)?\\s+${TIME}$`,
);
/** "2019-10-19 14:37:00". */
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function month(name: string): number | undefined {
  const index = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return index === -1 ? undefined : index + 1;
}

function hour24(hour: number, meridiem: string | undefined): number | undefined {
  if (!meridiem) return hour <= 23 ? hour : undefined;
  if (hour < 1 || hour > 12) return undefined;
  const pm = /^p/i.test(meridiem);
  return (hour % 12) + (pm ? 12 : 0);
}

/**
 * Reads the date line of a message in Facebook's HTML export, in the three shapes it has had
 * ("Oct 19, 2019, 2:37 PM", "Oct 19, 2019 at 2:37 PM", "19 Oct 2019, 14:37"), as a wall-clock
 * time: the export writes it in the account's zone without saying which.
 */
export function parseHtmlDate(value: string): WallClockTime | undefined {
  const text = value
    .replace(/[\u00A0\u202F\u2009]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let parts: [string, string, string, string, string, string | undefined, string | undefined];
  let match = MONTH_FIRST.exec(text);
  if (match) {
    parts = [match[3]!, match[1]!, match[2]!, match[4]!, match[5]!, match[6], match[7]];
  } else if ((match = DAY_FIRST.exec(text))) {
    parts = [match[3]!, match[2]!, match[1]!, match[4]!, match[5]!, match[6], match[7]];
  } else if ((match = ISO_LIKE.exec(text))) {
    const time: WallClockTime = {
      year: Number(match[1]),
      month: Number(match[2]),
      day: Number(match[3]),
      hour: Number(match[4]),
      minute: Number(match[5]),
      second: Number(match[6] ?? 0),
    };
    return valid(time) ? time : undefined;
  } else {
    return undefined;
  }
  const [year, monthName, day, hour, minute, second, meridiem] = parts;
  const monthNumber = month(monthName);
  const hours = hour24(Number(hour), meridiem);
  if (monthNumber === undefined || hours === undefined) return undefined;
  const time: WallClockTime = {
    year: Number(year),
    month: monthNumber,
    day: Number(day),
    hour: hours,
    minute: Number(minute),
    second: Number(second ?? 0),
  };
  return valid(time) ? time : undefined;
}

function valid(time: WallClockTime): boolean {
  const date = new Date(Date.UTC(time.year, time.month - 1, time.day));
  return (
    date.getUTCMonth() === time.month - 1 &&
    date.getUTCDate() === time.day &&
    (time.minute ?? 0) < 60 &&
    (time.second ?? 0) < 60 &&
    (time.hour ?? 0) < 24
  );
}
