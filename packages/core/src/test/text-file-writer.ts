import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** A large generated file written in 64 KiB chunks, never held in memory whole. */
export interface TextFileWriter {
  write(text: string): Promise<void>;
  /** Writes what is left, closes the file and returns its size in bytes. */
  close(): Promise<number>;
}

/** Opens `path` for a benchmark generator that writes its input piece by piece. */
export function createTextFileWriter(path: string): TextFileWriter {
  const out = createWriteStream(path);
  let buffer = '';
  return {
    async write(text) {
      buffer += text;
      if (buffer.length > 1 << 16) {
        if (!out.write(buffer)) await once(out, 'drain');
        buffer = '';
      }
    },
    async close() {
      if (buffer) out.write(buffer);
      buffer = '';
      out.end();
      await once(out, 'finish');
      return (await stat(path)).size;
    },
  };
}
