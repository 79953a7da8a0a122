import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';

/** A file written in pieces to a temporary file beside its target, renamed into place on commit. */
export interface AtomicFile {
  write(text: string): Promise<void>;
  /** Bytes and SHA-256 of what was written. */
  readonly bytes: number;
  sha256(): string;
  /** Closes the temporary file and renames it over the target. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

/**
 * Opens an atomic file: readers see the old file or the complete new one, never a half-written
 * one. New files are readable by their owner only (0600): they hold people's messages. Several
 * can be open at once, which `writeFileAtomic` from @alterego/core, taking one stream, cannot do.
 */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const stream: WriteStream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  let failure: unknown;
  stream.on('error', (error) => {
    failure ??= error;
  });
  await once(stream, 'open');
  const hash = createHash('sha256');
  let bytes = 0;
  let digest: string | undefined;
  return {
    async write(text) {
      if (failure) throw failure;
      const buffer = Buffer.from(text, 'utf8');
      hash.update(buffer);
      bytes += buffer.length;
      if (!stream.write(buffer)) {
        // events.once rejects when 'error' comes first, and removes its listeners either way.
        await once(stream, 'drain');
        if (failure) throw failure;
      }
    },
    get bytes() {
      return bytes;
    },
    sha256() {
      digest ??= hash.digest('hex');
      return digest;
    },
    async commit() {
      if (!failure) {
        stream.end();
        await once(stream, 'close').catch(() => undefined);
      }
      if (failure) {
        await rm(temp, { force: true });
        throw failure;
      }
      await rename(temp, path);
    },
    async abort() {
      stream.destroy();
      await rm(temp, { force: true });
    },
  };
}
