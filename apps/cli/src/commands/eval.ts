import type { Command } from 'commander';
import type { CliIO } from '../io.js';

/** `alterego eval`: being written. */
export function registerEvalCommand(
  program: Command,
  _io: CliIO,
  _setResult: (code: number) => void,
): Command {
  return program;
}
