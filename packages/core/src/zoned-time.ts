import { ValidationError } from './errors/validation-error.js';

/** A wall-clock time as a person's phone showed it, without a zone. */
export interface WallClockTime {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/**
 * Since 1980 every zone changes its offset only on a quarter hour and at most once a day, so
 * offsets can be cached per day, and per quarter hour on the days they change.
 */
const QUARTER_HOUR = 15 * MINUTE;
const CACHE_FROM = Date.UTC(1980, 0, 1);

interface ZoneInfo {
  /** The zone's wall clock, field by field; undefined for UTC. */
  format: Intl.DateTimeFormat | undefined;
  /** The zone's offset as text ("GMT-04:00"): one short string, cheaper than the fields. */
  offsetFormat: Intl.DateTimeFormat | undefined;
  /** UTC day → the offset in force all day, or NaN for a day with a change in it. */
  days: Map<number, number>;
  /** Quarter hour → offset, for days with a change. */
  cache: Map<number, number>;
  /** UTC day → the offset at its first instant, shared by the day before (which ends there). */
  midnights: Map<number, number>;
}

const zones = new Map<string, ZoneInfo>();

/**
 * Checks an IANA zone name (`Europe/Berlin`, `UTC`) and returns its canonical spelling.
 * Throws a ValidationError naming the zone when the runtime does not know it.
 */
export function resolveTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch (cause) {
    throw new ValidationError(
      `unknown time zone "${zone}": expected an IANA zone name such as Europe/Berlin, America/New_York or UTC`,
      { cause },
    );
  }
}

/** The zone of this machine, used when the user gives none. */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function zoneInfo(zone: string): ZoneInfo {
  let info = zones.get(zone);
  if (!info) {
    const canonical = resolveTimeZone(zone);
    const fixed = canonical === 'UTC' || canonical === 'Etc/UTC' || canonical === 'Etc/GMT';
    info = {
      format: fixed
        ? undefined
        : new Intl.DateTimeFormat('en-US', {
            timeZone: canonical,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
            era: 'short',
          }),
      offsetFormat: fixed
        ? undefined
        : new Intl.DateTimeFormat('en-US', { timeZone: canonical, timeZoneName: 'longOffset' }),
      days: new Map(),
      cache: new Map(),
      midnights: new Map(),
    };
    zones.set(zone, info);
  }
  return info;
}

/** "GMT+05:30", "GMT-00:44:30" or "GMT" at the end of a long-offset date. */
const LONG_OFFSET = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/;

function computeOffset(info: ZoneInfo, instant: number): number {
  const found = LONG_OFFSET.exec(info.offsetFormat!.format(instant));
  if (found !== null) {
    if (found[1] === undefined) return 0;
    const size =
      Number(found[2]) * 3_600_000 + Number(found[3]) * MINUTE + Number(found[4] ?? 0) * 1000;
    return found[1] === '-' ? -size : size;
  }
  return offsetFromFields(info.format!, instant);
}

/** The offset from the wall clock's fields: what the zone's clock shows, less the instant. */
function offsetFromFields(format: Intl.DateTimeFormat, instant: number): number {
  const parts = format.formatToParts(instant);
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of parts) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value.startsWith('B');
        break;
    }
  }
  const wall = Date.UTC(bc ? 1 - year : year, month - 1, day, hour, minute, second);
  const floored = instant - (((instant % 1000) + 1000) % 1000);
  return wall - floored;
}

/**
 * The zone's offset at an instant as its wall clock shows it, field by field: what `zoneOffset`
 * falls back on, and what tests hold its faster reading to. Not exported from the package.
 */
export function zoneOffsetFromFields(zone: string, instant: number): number {
  const { format } = zoneInfo(zone);
  return format === undefined ? 0 : offsetFromFields(format, instant);
}

/** The offset at a UTC midnight: each one bounds two days, so it is computed once for both. */
function midnightOffset(info: ZoneInfo, day: number): number {
  let offset = info.midnights.get(day);
  if (offset === undefined) {
    offset = computeOffset(info, day * DAY);
    if (info.midnights.size > 100_000) info.midnights.clear();
    info.midnights.set(day, offset);
  }
  return offset;
}

/** The zone's offset from UTC in milliseconds at an instant (positive east of Greenwich). */
export function zoneOffset(zone: string, instant: number): number {
  const info = zoneInfo(zone);
  if (!info.format) return 0;
  if (instant < CACHE_FROM) return computeOffset(info, instant);
  // Most days have one offset from start to end: one lookup serves the whole day.
  const day = Math.floor(instant / DAY);
  let daily = info.days.get(day);
  if (daily === undefined) {
    const start = midnightOffset(info, day);
    daily = midnightOffset(info, day + 1) === start ? start : Number.NaN;
    if (info.days.size > 100_000) info.days.clear();
    info.days.set(day, daily);
  }
  if (!Number.isNaN(daily)) return daily;
  const bucket = Math.floor(instant / QUARTER_HOUR);
  let offset = info.cache.get(bucket);
  if (offset === undefined) {
    offset = computeOffset(info, bucket * QUARTER_HOUR);
    if (info.cache.size > 200_000) info.cache.clear();
    info.cache.set(bucket, offset);
  }
  return offset;
}

/**
 * Turns a wall-clock time in an IANA zone into the UTC instant (milliseconds since the epoch).
 *
 * Daylight-saving changes are handled the way Temporal's `"compatible"` disambiguation does:
 * a time that happens twice (clocks go back) is the earlier instant; a time that never happens
 * (clocks go forward) is moved forward by the length of the gap.
 */
export function zonedTimeToInstant(time: WallClockTime, zone: string): number {
  const local = Date.UTC(
    time.year,
    time.month - 1,
    time.day,
    time.hour ?? 0,
    time.minute ?? 0,
    time.second ?? 0,
    time.millisecond ?? 0,
  );
  // Date.UTC maps years 0-99 to 1900-1999; callers pass full years.
  if (!Number.isFinite(local)) {
    throw new ValidationError(`not a valid time: ${JSON.stringify(time)}`);
  }
  const before = zoneOffset(zone, local - DAY);
  const after = zoneOffset(zone, local + DAY);
  if (before === after) {
    const offset = zoneOffset(zone, local - before);
    if (offset === before) return local - before;
    // A change that goes and comes back within two days: fall through to the general search.
  }
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = local - offset;
    if (zoneOffset(zone, instant) === offset) candidates.push(instant);
  }
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: keep the offset in force before the change, which moves the time forward.
  return local - before;
}

/** `zonedTimeToInstant` as the spec's time string: `2023-12-30T21:15:00.000Z`. */
export function zonedTimeToIso(time: WallClockTime, zone: string): string {
  return new Date(zonedTimeToInstant(time, zone)).toISOString();
}
