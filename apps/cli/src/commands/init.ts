import type { Command } from 'commander';
import type { CliIO } from '../io.js';

/** `alterego init`: being written. */
export function registerInitCommand(
  program: Command,
  _io: CliIO,
  _setResult: (code: number) => void,
): Command {
  return program;
}
