import { zonedTimeToIso } from '@alterego/core';

const LOCAL_OR_ZONED =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A Telegram time as ISO-8601 UTC with milliseconds. `unixtime` (seconds, written as a string
 * by Telegram Desktop since 2022) is a real instant and wins. `date` is the wall-clock time of
 * the exporting computer, without a zone: it is read in `timeZone`. A `date` that carries a
 * zone (`Z`, `+02:00`) is taken as written. Undefined when neither is a valid time.
 */
export function telegramTime(
  unixtime: unknown,
  date: unknown,
  timeZone: string,
): string | undefined {
  if (typeof unixtime === 'string' || typeof unixtime === 'number') {
    const seconds = Number(unixtime);
    if (unixtime !== '' && Number.isFinite(seconds)) {
      const instant = new Date(seconds * 1000);
      if (!Number.isNaN(instant.getTime())) return instant.toISOString();
    }
  }
  if (typeof date !== 'string') return undefined;
  const match = LOCAL_OR_ZONED.exec(date);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const millisecond = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  const parts = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond,
  };
  if (
    parts.month < 1 ||
    parts.month > 12 ||
    parts.day < 1 ||
    new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDate() !== parts.day ||
    parts.hour > 23 ||
    parts.minute > 59 ||
    parts.second > 59
  ) {
    return undefined;
  }
  if (zone) {
    const offset =
      zone === 'Z' ? '+00:00' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const instant = new Date(
      `${year}-${month}-${day}T${hour}:${minute}:${second}.${String(millisecond).padStart(3, '0')}${offset}`,
    );
    return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
  }
  return zonedTimeToIso(parts, timeZone);
}
