import { InvalidArgumentError } from 'commander';

/** Commander's parser for a repeatable option: every value, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * A parser for an option that takes a whole number from `min` (default 0) up to `max`; anything
 * else is a usage error naming the option, e.g. `--top x: expected a whole number ≥ 1`.
 */
export function wholeNumber(flag: string, min = 0, max?: number): (value: string) => number {
  const range = max === undefined ? `≥ ${min}` : `${min}–${max}`;
  return (value) => {
    const parsed = Number(value);
    if (
      value.trim() === '' ||
      !Number.isInteger(parsed) ||
      parsed < min ||
      (max !== undefined && parsed > max)
    ) {
      throw new InvalidArgumentError(`${flag} ${value}: expected a whole number ${range}`);
    }
    return parsed;
  };
}

/** A parser for an option that takes any number (`positive`: above 0 only). */
export function numberOption(
  flag: string,
  { positive = false }: { positive?: boolean } = {},
): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || (positive && parsed <= 0)) {
      throw new InvalidArgumentError(
        `${flag} ${value}: expected ${positive ? 'a positive number' : 'a number'}`,
      );
    }
    return parsed;
  };
}
