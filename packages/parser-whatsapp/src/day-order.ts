/**
 * Which of a file's date numbers is the year, the month and the day. WhatsApp writes dates in
 * the phone's locale and says nothing about which locale that was, so the order is inferred
 * from every distinct date in the file at once, never guessed line by line.
 */

/** Positions of year, month and day in the three numbers of a header date. */
export interface DateOrder {
  year: 0 | 1 | 2;
  month: 0 | 1 | 2;
  day: 0 | 1 | 2;
}

export interface DayOrderDecision {
  order: DateOrder;
  /** How it was decided, for warnings and `--debug`. */
  reason: 'option' | 'year-first' | 'above-12' | 'decreasing' | 'frequency' | 'default';
}

/** A distinct date as written: the three numbers (a year written with four digits is ≥ 1000). */
export interface RawDate {
  parts: readonly [number, number, number];
}

const DAY_FIRST: DateOrder = { day: 0, month: 1, year: 2 };
const MONTH_FIRST: DateOrder = { month: 0, day: 1, year: 2 };
const YEAR_FIRST: DateOrder = { year: 0, month: 1, day: 2 };

/**
 * Decides the order from the file's distinct dates, in file order.
 *
 * 1. A four-digit first number is a year: year, month, day (CJK and ISO-like locales).
 * 2. A first number above 12 anywhere means it is the day; a second above 12, the month first.
 * 3. Within one year months never go down in a time-ordered chat, days do: the number that
 *    goes down between consecutive dates of the same year is the day.
 * 4. The number that changes more within the years of the file is the day.
 * 5. Otherwise (a chat of one day, say) `fallbackDayFirst`, reported as an assumption.
 */
export function inferDateOrder(
  dates: readonly RawDate[],
  options: { dayFirst?: boolean; fallbackDayFirst: boolean },
): DayOrderDecision {
  if (dates.some((date) => date.parts[0] >= 1000))
    return { order: YEAR_FIRST, reason: 'year-first' };
  if (options.dayFirst !== undefined) {
    return { order: options.dayFirst ? DAY_FIRST : MONTH_FIRST, reason: 'option' };
  }
  if (dates.some((date) => date.parts[0] > 12)) return { order: DAY_FIRST, reason: 'above-12' };
  if (dates.some((date) => date.parts[1] > 12)) return { order: MONTH_FIRST, reason: 'above-12' };

  let firstDecreases = false;
  let secondDecreases = false;
  let firstChange = 0;
  let secondChange = 0;
  for (let index = 1; index < dates.length; index += 1) {
    const previous = dates[index - 1]!.parts;
    const current = dates[index]!.parts;
    if (current[2] !== previous[2]) continue;
    firstChange += Math.abs(current[0] - previous[0]);
    secondChange += Math.abs(current[1] - previous[1]);
    if (current[0] < previous[0]) firstDecreases = true;
    if (current[1] < previous[1]) secondDecreases = true;
  }
  if (firstDecreases !== secondDecreases) {
    return { order: firstDecreases ? DAY_FIRST : MONTH_FIRST, reason: 'decreasing' };
  }
  if (firstChange !== secondChange) {
    return { order: firstChange > secondChange ? DAY_FIRST : MONTH_FIRST, reason: 'frequency' };
  }
  return { order: options.fallbackDayFirst ? DAY_FIRST : MONTH_FIRST, reason: 'default' };
}

/** A two-digit year is in 2000-2099: WhatsApp did not exist before 2009. */
export function fullYear(value: number): number {
  return value < 100 ? 2000 + value : value;
}
