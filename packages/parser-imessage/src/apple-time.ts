/** Seconds from the Unix epoch to Apple's reference date, 2001-01-01T00:00:00Z. */
export const APPLE_EPOCH_SECONDS = 978_307_200;

/**
 * Values above this are nanoseconds (macOS 10.13 and later); smaller ones are seconds (older
 * databases). 10¹² ns is 16 minutes after 2001-01-01; 10¹² s is beyond the year 30000.
 */
const NANOSECONDS_FROM = 1_000_000_000_000n;

/**
 * Milliseconds since the Unix epoch for a Messages time (nanoseconds or seconds since
 * 2001-01-01 UTC). Exact: the value stays a BigInt until it is a whole number of milliseconds.
 */
export function appleTimeToUnixMs(value: bigint): number {
  const magnitude = value < 0n ? -value : value;
  const ms = magnitude > NANOSECONDS_FROM ? value / 1_000_000n : value * 1000n;
  return Number(ms) + APPLE_EPOCH_SECONDS * 1000;
}

/** An ISO-8601 UTC time with milliseconds for a Messages time; undefined when out of range. */
export function appleTimeToIso(value: bigint): string | undefined {
  const date = new Date(appleTimeToUnixMs(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The same conversion as SQL, for a column of 64-bit integers: SQLite does the arithmetic in
 * 64-bit integers, so the milliseconds it returns are exact and fit a JavaScript number.
 */
export function appleTimeSql(column: string): string {
  return `(CASE WHEN abs(${column}) > ${NANOSECONDS_FROM} THEN ${column} / 1000000 ELSE ${column} * 1000 END + ${APPLE_EPOCH_SECONDS * 1000})`;
}
