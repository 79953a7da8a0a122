import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startMemoryWorker } from './memory-worker.js';
import { prepareWrites, type Plan, type Write } from './memory-writes.js';
import { openDatabase } from './sqlite.js';
import type { ChatTurn } from './types.js';

/** What the alter ego remembers of each conversation: the turns of the current session. */
export interface ChatMemory {
  /**
   * The current session with this counterpart, oldest first: empty when the last turn is more
   * than the session gap before `now` (ms since the epoch), as a new session started in training.
   */
  history(counterpartId: string, now: number): ChatTurn[];
  /**
   * Adds a turn at `time` (ms since the epoch). A turn of the same role as the last one, within
   * the session gap, is merged into it with a newline, as training merged consecutive messages.
   * The file is written at the end of the current event-loop turn, together with every other
   * turn appended meanwhile (`history` and `close` write what is waiting first).
   */
  append(counterpartId: string, turn: ChatTurn, time: number): void;
  /** Forgets everything said with this counterpart. */
  clear(counterpartId: string): void;
  close(): void;
}

export interface ChatMemoryOptions {
  /** A silence longer than this starts a new session (use the persona's sessionGapMinutes). */
  gapMinutes: number;
  /** Most turns remembered per counterpart (default 20); older ones are forgotten. */
  maxTurns?: number;
  /**
   * How long appended turns may wait before they go to the file together, in ms (default 0: at
   * the end of the current event-loop turn). A busy server gathers more turns into one commit
   * with a few ms; this process sees every turn at once either way, and `close` writes them.
   */
  flushMs?: number;
  /**
   * Write the file from a worker thread of its own (file memories only): this thread hands the
   * turns over, and the worker commits them and copies the log into the file. A busy writer (the
   * SMS server) never waits for the disk; a read of a counterpart not in memory waits for the
   * worker's writes first. Off by default.
   */
  worker?: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS turns (
  -- A new turn's id is above every other turn's (the largest plus one): turns are in id order.
  id INTEGER PRIMARY KEY,
  counterpart TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
  content TEXT NOT NULL,
  time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_counterpart ON turns (counterpart, id);
`;

/** Most counterparts whose turns are also kept in memory. */
const CACHED_COUNTERPARTS = 10_000;

interface CachedTurn {
  role: ChatTurn['role'];
  content: string;
  time: number;
}

interface Row {
  id: number;
  role: ChatTurn['role'];
  content: string;
  time: number;
}

/**
 * Opens (or creates) a conversation memory in a SQLite file, or `:memory:` for one that lasts as
 * long as the process. Only the current session of each counterpart is kept: when a new session
 * starts, the turns of the old one are deleted, and never more than `maxTurns` are stored. A new
 * file is readable by its owner only. The turns of recently active counterparts are kept in memory
 * as well, so one process at a time should write a counterpart's turns to a file (other processes
 * may read it).
 */
export function openChatMemory(file: string, options: ChatMemoryOptions): ChatMemory {
  if (!(options.gapMinutes > 0)) {
    throw new RangeError(`gapMinutes must be a positive number, not ${options.gapMinutes}`);
  }
  const gapMs = options.gapMinutes * 60_000;
  const maxTurns = Math.max(1, Math.floor(options.maxTurns ?? 20));
  const inMemory = file === ':memory:' || file === '';
  const created = !inMemory && !existsSync(file);
  if (!inMemory) mkdirSync(dirname(file), { recursive: true });
  const db = openDatabase(file);
  if (created) chmodSync(file, 0o600);
  if (!inMemory) {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL never corrupts the file; a power cut may forget the last turns. No fsync
    // on every message keeps a busy channel (the SMS webhook) from waiting on the disk.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  }
  db.exec(SCHEMA);
  const worker =
    !inMemory && options.worker === true ? startMemoryWorker(db, file, maxTurns, gapMs) : undefined;

  const recent = db.prepare<[string, number], Row>(
    'SELECT id, role, content, time FROM turns WHERE counterpart = ? ORDER BY id DESC LIMIT ?',
  );
  // Writes wait for the end of the current event-loop turn and go to the file in one transaction:
  // a reply's two turns, and the turns of every reply sent meanwhile, cost one commit, not two
  // each. A read of a counterpart with turns waiting writes them first, so it always sees every
  // turn appended; reads of others leave the batch to grow.
  let waiting: Write[] = [];
  const waitingFor = new Set<string>();
  const flushMs = Math.max(0, options.flushMs ?? 0);
  let scheduled: ReturnType<typeof setImmediate> | ReturnType<typeof setTimeout> | undefined;
  let failure: unknown;
  // In this thread, or handed to the worker.
  const writeAll = worker ? worker.post : prepareWrites(db, maxTurns, gapMs);
  const flush = () => {
    if (scheduled !== undefined) {
      if (flushMs > 0) clearTimeout(scheduled as ReturnType<typeof setTimeout>);
      else clearImmediate(scheduled as ReturnType<typeof setImmediate>);
    }
    scheduled = undefined;
    if (waiting.length === 0) return;
    const writes = waiting;
    waiting = [];
    waitingFor.clear();
    writeAll(writes);
  };
  const later = (write: Write) => {
    waiting.push(write);
    waitingFor.add(write.counterpart);
    if (scheduled !== undefined) return;
    const run = () => {
      scheduled = undefined;
      try {
        flush();
      } catch (error) {
        // Reported by the next call: a timer has no caller to tell.
        failure = error;
      }
    };
    // A waiting write does not keep the process alive: `close` writes what is left.
    scheduled = flushMs > 0 ? setTimeout(run, flushMs).unref() : setImmediate(run);
  };
  const check = () => {
    failure ??= worker?.takeFailure();
    if (failure === undefined) return;
    const error = failure;
    failure = undefined;
    throw error;
  };

  // The turns of recently active counterparts are kept in memory too (oldest first), changed as
  // the file is: reads of them need no query. The least recently read go past CACHED_COUNTERPARTS.
  const cache = new Map<string, CachedTurn[]>();
  // Walks the cache least recently read first as counterparts are forgotten: a Map iterator
  // follows later changes, and a fresh one would step over every slot deleted meanwhile.
  let leastRecent = cache.keys();
  // Turns the file still holds beyond the newest maxTurns, per cached counterpart: old turns are
  // deleted once maxTurns of them have gathered, not one statement per reply. Reads take the
  // newest maxTurns either way. Unknown (just read from the file): prune at the next chance.
  const overflow = new Map<string, number>();
  const cached = (counterpartId: string) => {
    const rows = cache.get(counterpartId);
    if (rows !== undefined) {
      cache.delete(counterpartId);
      cache.set(counterpartId, rows);
    }
    return rows;
  };
  const remember = (counterpartId: string, rows: CachedTurn[]) => {
    cache.delete(counterpartId);
    cache.set(counterpartId, rows);
    if (cache.size > CACHED_COUNTERPARTS) {
      let oldest = leastRecent.next();
      if (oldest.done) {
        leastRecent = cache.keys();
        oldest = leastRecent.next();
      }
      cache.delete(oldest.value!);
      overflow.delete(oldest.value!);
    }
  };
  /** What appendOne does to the file, done to the cached turns; says what the file needs. */
  const appendTo = (
    counterpartId: string,
    rows: CachedTurn[],
    turn: ChatTurn,
    time: number,
  ): Plan => {
    const last = rows.at(-1);
    const sameSession = last !== undefined && time - last.time <= gapMs;
    if (last !== undefined && sameSession && last.role === turn.role) {
      last.content = `${last.content}\n${turn.content}`;
      last.time = Math.max(last.time, time);
      return 'merge';
    }
    const newSession = last !== undefined && !sameSession;
    if (newSession) {
      rows.length = 0;
      overflow.set(counterpartId, 0);
    }
    rows.push({ role: turn.role, content: turn.content, time });
    if (rows.length <= maxTurns) return newSession ? 'new-session' : 'insert';
    rows.splice(0, rows.length - maxTurns);
    const extra = (overflow.get(counterpartId) ?? maxTurns) + 1;
    if (extra < maxTurns) {
      overflow.set(counterpartId, extra);
      return 'insert';
    }
    overflow.set(counterpartId, 0);
    return 'insert-prune';
  };

  let open = true;
  return {
    history(counterpartId, now) {
      check();
      let rows = cached(counterpartId);
      if (rows === undefined) {
        if (waitingFor.has(counterpartId)) flush();
        // The file has every turn once the worker is done with what it was handed.
        worker?.settle();
        rows = recent
          .all(counterpartId, maxTurns)
          .reverse()
          .map((row) => ({ role: row.role, content: row.content, time: row.time }));
        remember(counterpartId, rows);
        overflow.delete(counterpartId);
      }
      const newest = rows.at(-1);
      if (newest === undefined || now - newest.time > gapMs) return [];
      const session: ChatTurn[] = [];
      let later = newest.time;
      for (let at = rows.length - 1; at >= 0; at -= 1) {
        const row = rows[at]!;
        if (later - row.time > gapMs) break;
        session.push({ role: row.role, content: row.content });
        later = row.time;
      }
      return session.reverse();
    },
    append(counterpartId, turn, time) {
      check();
      if (turn.role !== 'user' && turn.role !== 'assistant') {
        throw new TypeError(
          `a turn's role must be "user" or "assistant", not ${String(turn.role)}`,
        );
      }
      if (turn.content.trim() === '') return;
      const at = Math.round(time);
      const rows = cache.get(counterpartId);
      const plan = rows === undefined ? undefined : appendTo(counterpartId, rows, turn, at);
      later({ counterpart: counterpartId, turn, time: at, ...(plan ? { plan } : {}) });
    },
    clear(counterpartId) {
      check();
      remember(counterpartId, []);
      overflow.set(counterpartId, 0);
      later({ counterpart: counterpartId });
    },
    close() {
      if (!open) return;
      open = false;
      try {
        flush();
      } finally {
        worker?.close();
        db.close();
      }
    },
  };
}
