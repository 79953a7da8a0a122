import type { Command } from 'commander';
import type { CliIO } from '../io.js';

/** `alterego report`: being written. */
export function registerReportCommand(
  program: Command,
  _io: CliIO,
  _setResult: (code: number) => void,
): Command {
  return program;
}
