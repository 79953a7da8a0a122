import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

/** Files by path relative to a folder (`data/tweets.js`); folders on the way are made. */
export type TestFiles = Record<string, string | Uint8Array>;

/** Writes `files` into a fresh temporary folder and returns its path. Nothing removes it. */
export function writeTempFiles(files: TestFiles, prefix = 'alterego-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, data] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
  return dir;
}

/** Temporary folders of one test file, removed after its tests. */
export interface TempFolders {
  /** A fresh empty folder. */
  dir(): string;
  /** A fresh folder holding `files`. */
  write(files: TestFiles): string;
}

/**
 * Temporary folders for the tests of one file (vitest): call it at the top of the file; every
 * folder it makes is removed after the file's tests.
 */
export function useTempFolders(prefix = 'alterego-'): TempFolders {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const write = (files: TestFiles) => {
    const dir = writeTempFiles(files, prefix);
    dirs.push(dir);
    return dir;
  };
  return { dir: () => write({}), write };
}
