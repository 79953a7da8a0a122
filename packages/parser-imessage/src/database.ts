import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { ParseError } from '@alterego/core';

export type Database = BetterSqlite3.Database;

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Tables without which a database is not the Messages database. */
export const REQUIRED_TABLES = [
  'message',
  'handle',
  'chat',
  'chat_message_join',
  'chat_handle_join',
] as const;

/** Message columns every Messages database has had. */
export const REQUIRED_MESSAGE_COLUMNS = ['guid', 'text', 'handle_id', 'date', 'is_from_me'];

export const EXPECTED =
  'expected the macOS Messages database (~/Library/Messages/chat.db) with its message, handle, chat, chat_message_join and chat_handle_join tables';

/** True when the bytes start like a SQLite 3 database. */
export function isSqliteHead(head: Buffer): boolean {
  return head.length >= 16 && head.subarray(0, 16).equals(SQLITE_HEADER);
}

let driver: typeof BetterSqlite3 | undefined;

/** better-sqlite3, loaded on first use so that importing this package never loads native code. */
function loadDriver(): typeof BetterSqlite3 {
  driver ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  return driver;
}

/** The columns of each table of the database, as PRAGMA table_info reports them. */
export type Schema = ReadonlyMap<string, ReadonlySet<string>>;

/** Reads which tables and columns exist; throws the SQLite error for a corrupt file. */
function readSchema(db: Database): Schema {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
    .pluck()
    .all() as string[];
  const schema = new Map<string, Set<string>>();
  for (const table of tables) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) continue;
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    schema.set(table, new Set(columns.map((column) => column.name)));
  }
  return schema;
}

/** What is missing for a database to be the Messages database; empty when nothing is. */
export function missingParts(schema: Schema): string[] {
  const missing: string[] = REQUIRED_TABLES.filter((table) => !schema.has(table)).map(
    (table) => `table ${table}`,
  );
  const message = schema.get('message');
  if (message) {
    for (const column of REQUIRED_MESSAGE_COLUMNS) {
      if (!message.has(column)) missing.push(`column message.${column}`);
    }
  }
  return missing;
}

export interface OpenedDatabase {
  db: Database;
  schema: Schema;
}

/**
 * Opens a Messages database read-only. SQLite's read-only mode reads committed rows from a
 * `-wal` file beside the database (Messages keeps one while it runs) and never writes the
 * database or its WAL, and never checkpoints; `fileMustExist` keeps it from creating a file.
 * (`immutable=1` would skip the WAL and miss recent messages.) Throws a ParseError naming the
 * file for anything that is not a readable Messages database.
 */
export function openMessagesDatabase(path: string, file: string): OpenedDatabase {
  const Driver = loadDriver();
  let db: Database | undefined;
  let schema: Schema;
  try {
    db = new Driver(path, { readonly: true, fileMustExist: true });
    schema = readSchema(db);
  } catch (cause) {
    db?.close();
    const code = (cause as { code?: string }).code;
    const detail =
      code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT'
        ? 'the file is damaged or not a SQLite database'
        : `${(cause as Error).message}`;
    throw new ParseError(`cannot read the database (${detail}); ${EXPECTED}`, {
      file,
      ruleId: 'imessage:unreadable-database',
      cause,
    });
  }
  const missing = missingParts(schema);
  if (missing.length > 0) {
    db.close();
    throw new ParseError(
      `a SQLite database, but not the Messages database: it has no ${missing.join(', ')}; ${EXPECTED}`,
      { file, ruleId: 'imessage:not-messages-database' },
    );
  }
  return { db, schema };
}
