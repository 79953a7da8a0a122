import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** Where a command reads and writes; the real process in production, buffers in tests. */
export interface CliIO {
  /** What the user types or pipes in (commands that read it: init's questions, chat). */
  stdin?: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

/** Writes to a stream, waiting when it is full, so large outputs never pile up in memory. */
export async function writeOut(stream: Writable, text: string): Promise<void> {
  // events.once rejects when the stream emits 'error' while we wait.
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * Where commander writes for a command: help on stdout, usage errors as one line on stderr that
 * says where the usage is, e.g. `alterego: unknown option '--fast' (see "alterego convert --help")`.
 */
export function commandOutput(io: CliIO, command: string) {
  return {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
    outputError: (text: string, write: (text: string) => void) =>
      write(
        `alterego: ${text
          .replace(/^error: /, '')
          .trim()
          .replace(/\s*\n\s*/g, ' ')} (see "${command} --help")\n`,
      ),
  };
}
