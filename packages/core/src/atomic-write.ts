import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';

function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/**
 * Writes a file so that readers see either the old file or the complete new one, never a half
 * written file: the data goes to a temporary file beside it, which is renamed over the target
 * once complete. When writing fails, the temporary file is removed and the target is untouched.
 * New files are readable by their owner only (mode 0600): they hold people's private messages.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  const stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  try {
    const chunks = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
    for await (const chunk of chunks) {
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
    }
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    await Promise.race([once(stream, 'close'), failed]);
    await rename(temp, path);
  } catch (error) {
    stream.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
