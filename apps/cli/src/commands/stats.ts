import type { Command } from 'commander';
import type { CliIO } from '../io.js';

/** `alterego stats`: being written. */
export function registerStatsCommand(
  program: Command,
  _io: CliIO,
  _setResult: (code: number) => void,
): Command {
  return program;
}
