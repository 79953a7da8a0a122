import type { Command } from 'commander';
import type { CliIO } from '../io.js';

/** `alterego chat`: being written. */
export function registerChatCommand(
  program: Command,
  _io: CliIO,
  _setResult: (code: number) => void,
): Command {
  return program;
}
