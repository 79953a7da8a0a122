function twoDigits(text: string, index: number): number {
  const tens = text.charCodeAt(index) - 48;
  const ones = text.charCodeAt(index + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * Milliseconds since the epoch of a Conversation time (`2023-12-30T21:15:00.000Z`), the same
 * number as `Date.parse`, read by hand (it runs on every message). Anything unusual — another
 * shape, a year before 100, a day after the 28th — is left to `Date.parse`.
 */
export function instantMs(time: string): number {
  if (
    time.length !== 24 ||
    time.charCodeAt(4) !== 45 ||
    time.charCodeAt(7) !== 45 ||
    time.charCodeAt(10) !== 84 ||
    time.charCodeAt(13) !== 58 ||
    time.charCodeAt(16) !== 58 ||
    time.charCodeAt(19) !== 46 ||
    time.charCodeAt(23) !== 90
  ) {
    return Date.parse(time);
  }
  const century = twoDigits(time, 0);
  const yearOfCentury = twoDigits(time, 2);
  const month = twoDigits(time, 5);
  const day = twoDigits(time, 8);
  const hour = twoDigits(time, 11);
  const minute = twoDigits(time, 14);
  const second = twoDigits(time, 17);
  const centis = twoDigits(time, 20);
  const milli = twoDigits(time, 21);
  if (
    century < 1 ||
    yearOfCentury < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 28 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    centis < 0 ||
    milli < 0
  ) {
    return Date.parse(time);
  }
  return Date.UTC(
    century * 100 + yearOfCentury,
    month - 1,
    day,
    hour,
    minute,
    second,
    centis * 10 + (milli % 10),
  );
}
