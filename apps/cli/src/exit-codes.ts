/** Exit codes of the `alterego` command (DESIGN.md §4). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  /** Bad usage, or an input that cannot be read. */
  usage: 2,
  /** Some parts were skipped; a summary is on stderr. */
  partial: 3,
  /** A key or setting is missing. */
  missingConfig: 4,
  /** A remote API answered with an error. */
  remote: 5,
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
