import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collect, numberOption, wholeNumber } from './options.js';

describe('option parsers', () => {
  it('collect keeps every value of a repeated option in order', () => {
    expect(collect('b', collect('a'))).toEqual(['a', 'b']);
  });

  it('wholeNumber takes whole numbers in range and names the option otherwise', () => {
    expect(wholeNumber('--top', 1)('3')).toBe(3);
    expect(wholeNumber('--port', 0, 65_535)('0')).toBe(0);
    for (const [parse, value, message] of [
      [wholeNumber('--top', 1), '0', '--top 0: expected a whole number ≥ 1'],
      [wholeNumber('--top', 1), '1.5', '--top 1.5: expected a whole number ≥ 1'],
      [wholeNumber('--top', 1), '', '--top : expected a whole number ≥ 1'],
      [wholeNumber('--port', 0, 65_535), '70000', '--port 70000: expected a whole number 0–65535'],
    ] as const) {
      expect(() => parse(value)).toThrow(new InvalidArgumentError(message));
    }
  });

  it('numberOption takes finite numbers, positive ones when asked', () => {
    expect(numberOption('--gap')('1.5')).toBe(1.5);
    expect(numberOption('--gap')('-2')).toBe(-2);
    expect(() => numberOption('--gap')('x')).toThrow('--gap x: expected a number');
    expect(() => numberOption('--gap')(' ')).toThrow('--gap  : expected a number');
    expect(() => numberOption('--speed', { positive: true })('0')).toThrow(
      '--speed 0: expected a positive number',
    );
  });
});
