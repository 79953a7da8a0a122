const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** `Wed Oct 10 20:19:24 +0000 2018`: weekday, month, day, time, offset, year. */
const TWITTER_TIME =
  /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/** `2022-01-27T15:58:52.744Z` and the same without milliseconds or with an offset. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * Milliseconds since the epoch of a time in an archive: the `created_at` of tweets
 * (`Wed Oct 10 20:19:24 +0000 2018`, read field by field rather than by `Date.parse`, whose
 * handling of this shape is not specified) or the ISO-8601 `createdAt` of messages and notes.
 * Undefined when the value is neither, or is not a real calendar time.
 */
export function parseArchiveTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TWITTER_TIME.exec(value);
  if (match) {
    const month = MONTHS[match[1]!];
    if (month === undefined) return undefined;
    const day = Number(match[2]);
    const hours = Number(match[3]);
    const minutes = Number(match[4]);
    const seconds = Number(match[5]);
    const year = Number(match[9]);
    if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
    const utc = Date.UTC(year, month, day, hours, minutes, seconds);
    // Date.UTC rolls 31 Feb over into March: such a day does not exist.
    if (new Date(utc).getUTCDate() !== day) return undefined;
    const offset = (Number(match[7]) * 60 + Number(match[8])) * 60_000;
    return match[6] === '+' ? utc - offset : utc + offset;
  }
  if (ISO_TIME.test(value)) {
    const time = Date.parse(value);
    if (Number.isNaN(time)) return undefined;
    const day = Number(value.slice(8, 10));
    // A shifted zone can move the day; only check plain UTC days.
    if (value.endsWith('Z') && new Date(time).getUTCDate() !== day) return undefined;
    return time;
  }
  return undefined;
}
