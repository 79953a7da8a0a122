import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;

/**
 * Opens a SQLite database. better-sqlite3 is loaded here, on first use, not when the package is
 * imported, so that code paths that need no database never load the native module.
 */
export function openDatabase(
  file: string,
  options: { readonly?: boolean; fileMustExist?: boolean } = {},
): Database {
  const require = createRequire(import.meta.url);
  const DatabaseClass = require('better-sqlite3') as typeof BetterSqlite3;
  return new DatabaseClass(file, options);
}

/** Where the better-sqlite3 module is, for a worker thread to load it as this package does. */
export function sqliteDriverPath(): string {
  return createRequire(import.meta.url).resolve('better-sqlite3');
}
