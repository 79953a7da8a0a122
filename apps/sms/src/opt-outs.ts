import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

/** Who has opted out with STOP (and not opted back in with START). */
export interface OptOutStore {
  isOptedOut(number: string): boolean;
  /** Records an opt-out (STOP) or an opt-in (START) from this number. */
  record(number: string, kind: 'opt-out' | 'opt-in', time?: number): void;
  close(): void;
}

let driver: typeof BetterSqlite3 | undefined;

/**
 * Opens the opt-out list kept in the SQLite file at `file` (`:memory:` for a throwaway one), in
 * a table of its own, so it can share the conversation memory's file (created readable by its
 * owner only). Lookups are served from
 * memory; every change is written through before `record` returns.
 */
export function openOptOutStore(file: string): OptOutStore {
  driver ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  const inMemory = file === ':memory:' || file === '';
  const created = !inMemory && !existsSync(file);
  if (!inMemory) mkdirSync(dirname(file), { recursive: true });
  const db = new driver(file);
  // It holds who texted: readable by its owner only.
  if (created) chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS sms_opt_outs (number TEXT PRIMARY KEY, opted_out_at INTEGER NOT NULL)',
  );
  const optedOut = new Set(
    (db.prepare('SELECT number FROM sms_opt_outs').pluck().all() as string[]).map(String),
  );
  const insert = db.prepare(
    'INSERT INTO sms_opt_outs (number, opted_out_at) VALUES (?, ?) ON CONFLICT(number) DO UPDATE SET opted_out_at = excluded.opted_out_at',
  );
  const remove = db.prepare('DELETE FROM sms_opt_outs WHERE number = ?');
  let open = true;
  return {
    isOptedOut: (number) => optedOut.has(number),
    record(number, kind, time = Date.now()) {
      if (kind === 'opt-out') {
        insert.run(number, time);
        optedOut.add(number);
      } else {
        remove.run(number);
        optedOut.delete(number);
      }
    },
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}
