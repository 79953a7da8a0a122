import { describe, expect, it } from 'vitest';
import { fullYear, inferDateOrder, type RawDate } from './day-order.js';

function dates(...values: [number, number, number][]): RawDate[] {
  return values.map((parts) => ({
    parts,
    widths: [String(parts[0]).length, String(parts[1]).length, String(parts[2]).length],
  }));
}

describe('inferDateOrder', () => {
  const fallback = { fallbackDayFirst: true };

  it('reads a four-digit first number as the year', () => {
    expect(inferDateOrder(dates([2024, 10, 31]), fallback)).toEqual({
      order: { year: 0, month: 1, day: 2 },
      reason: 'year-first',
    });
  });

  it('takes a first number above 12 as the day', () => {
    expect(inferDateOrder(dates([1, 2, 23], [13, 2, 23]), fallback).order).toEqual({
      day: 0,
      month: 1,
      year: 2,
    });
  });

  it('takes a second number above 12 as the day', () => {
    expect(inferDateOrder(dates([1, 2, 23], [2, 13, 23]), fallback)).toEqual({
      order: { month: 0, day: 1, year: 2 },
      reason: 'above-12',
    });
  });

  it('takes the number that goes down within a year as the day', () => {
    // 10 Jan, 2 Feb, 5 Feb (day/month): the first number goes down, the second never does.
    expect(inferDateOrder(dates([10, 1, 23], [2, 2, 23], [5, 2, 23]), fallback)).toEqual({
      order: { day: 0, month: 1, year: 2 },
      reason: 'decreasing',
    });
    expect(inferDateOrder(dates([1, 10, 23], [2, 2, 23], [2, 5, 23]), fallback).order).toEqual({
      month: 0,
      day: 1,
      year: 2,
    });
  });

  it('does not count the change of year as a decrease', () => {
    expect(inferDateOrder(dates([12, 11, 22], [1, 2, 23], [1, 3, 23]), fallback).order).toEqual({
      month: 0,
      day: 1,
      year: 2,
    });
  });

  it('takes the number that changes more as the day', () => {
    expect(inferDateOrder(dates([1, 1, 23], [1, 5, 23], [2, 9, 23]), fallback)).toEqual({
      order: { month: 0, day: 1, year: 2 },
      reason: 'frequency',
    });
  });

  it('falls back when nothing tells, and the option wins over inference', () => {
    expect(inferDateOrder(dates([1, 1, 21]), fallback)).toEqual({
      order: { day: 0, month: 1, year: 2 },
      reason: 'default',
    });
    expect(inferDateOrder(dates([1, 1, 21]), { fallbackDayFirst: false }).order).toEqual({
      month: 0,
      day: 1,
      year: 2,
    });
    expect(inferDateOrder(dates([13, 1, 21]), { dayFirst: false, fallbackDayFirst: true })).toEqual(
      {
        order: { month: 0, day: 1, year: 2 },
        reason: 'option',
      },
    );
  });
});

describe('fullYear', () => {
  it('puts two-digit years in 2000-2099 and keeps four-digit ones', () => {
    expect(fullYear(9)).toBe(2009);
    expect(fullYear(24)).toBe(2024);
    expect(fullYear(2017)).toBe(2017);
  });
});
