import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Where a command reads and writes; the real process in production, buffers in tests. */
export interface CliIO {
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
