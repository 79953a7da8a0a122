import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** An input of a build as the manifest records it. */
export interface DatasetInput {
  /** As the user gave it. */
  path: string;
  /** Formats recognised in it. */
  formats?: string[];
  /** Bytes of the file, or of every file in the folder. */
  bytes: number;
  /** SHA-256 of the file; for a folder, of its sorted file list with each file's SHA-256. */
  sha256: string;
  conversations?: number;
  messages?: number;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * Size and content hash of an input file or folder, so that a manifest says exactly what a
 * dataset was built from. A folder's hash depends on its files' relative paths and contents only.
 */
export async function hashInput(path: string, given = path): Promise<DatasetInput> {
  const info = await stat(path);
  if (!info.isDirectory()) return { path: given, bytes: info.size, sha256: await hashFile(path) };
  const files = (await listFiles(path))
    .map((file) => ({ file, name: relative(path, file).split(sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash('sha256');
  let bytes = 0;
  for (const { file, name } of files) {
    bytes += (await stat(file)).size;
    hash.update(`${name}\u0000${await hashFile(file)}\n`);
  }
  return { path: given, bytes, sha256: hash.digest('hex') };
}
