import type { Database } from './sqlite.js';
import type { ChatTurn } from './types.js';

/** What a write of a cached counterpart's turn does to the file. */
export type Plan = 'merge' | 'insert' | 'new-session' | 'insert-prune';

/** One change to the memory file: a turn appended (with its plan when known), or a clear. */
export type Write =
  { counterpart: string; turn: ChatTurn; time: number; plan?: Plan } | { counterpart: string };

/**
 * The statements that apply writes to a memory file, in one transaction a call. Self-contained
 * (it uses nothing but its arguments): a worker thread runs it from its source text.
 */
export function prepareWrites(
  db: Database,
  maxTurns: number,
  gapMs: number,
): (writes: readonly Write[]) => void {
  const recent = db.prepare<[string], { id: number; role: string; time: number }>(
    'SELECT id, role, time FROM turns WHERE counterpart = ? ORDER BY id DESC LIMIT 1',
  );
  const insert = db.prepare<[string, string, string, number]>(
    'INSERT INTO turns (counterpart, role, content, time) VALUES (?, ?, ?, ?)',
  );
  const merge = db.prepare<[string, number, number]>(
    'UPDATE turns SET content = content || char(10) || ?, time = max(time, ?) WHERE id = ?',
  );
  const forgetBefore = db.prepare<[string, number]>(
    'DELETE FROM turns WHERE counterpart = ? AND id < ?',
  );
  // Everything older than the newest maxTurns: one index seek, nothing when there are fewer.
  const prune = db.prepare<[string, string, number]>(
    `DELETE FROM turns WHERE counterpart = ? AND id <=
       (SELECT id FROM turns WHERE counterpart = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
  );
  const clear = db.prepare<[string]>('DELETE FROM turns WHERE counterpart = ?');
  const mergeLast = db.prepare<[string, number, string]>(
    `UPDATE turns SET content = content || char(10) || ?, time = max(time, ?)
     WHERE id = (SELECT max(id) FROM turns WHERE counterpart = ?)`,
  );
  /** A turn of a counterpart whose turns are not cached: the file says what to do. */
  const appendOne = (counterpart: string, turn: ChatTurn, time: number) => {
    const last = recent.get(counterpart);
    const sameSession = last !== undefined && time - last.time <= gapMs;
    if (last !== undefined && sameSession && last.role === turn.role) {
      merge.run(turn.content, time, last.id);
      return;
    }
    const { lastInsertRowid } = insert.run(counterpart, turn.role, turn.content, time);
    if (last !== undefined && !sameSession) forgetBefore.run(counterpart, Number(lastInsertRowid));
    prune.run(counterpart, counterpart, maxTurns);
  };
  return db.transaction((writes: readonly Write[]) => {
    for (const write of writes) {
      if (!('turn' in write)) clear.run(write.counterpart);
      else if (write.plan === undefined) appendOne(write.counterpart, write.turn, write.time);
      else if (write.plan === 'merge')
        mergeLast.run(write.turn.content, write.time, write.counterpart);
      else {
        // What appendOne would find out with a query, the cached turns already said.
        const { turn, time, counterpart } = write;
        const { lastInsertRowid } = insert.run(counterpart, turn.role, turn.content, time);
        if (write.plan === 'new-session') forgetBefore.run(counterpart, Number(lastInsertRowid));
        if (write.plan === 'insert-prune') prune.run(counterpart, counterpart, maxTurns);
      }
    }
  });
}

/**
 * Kinds of write, as `encodeWrites` stores them. `decodeWrites` holds its own copy of the list:
 * it runs in the worker from its source text and can see nothing outside itself.
 */
const CLEAR = 0;
const PLANS = [undefined, 'merge', 'insert', 'new-session', 'insert-prune'] as const;

/**
 * Writes as bytes for another thread: a buffer is handed over without copying, where the
 * objects (or their JSON) are copied at a cost above that of writing them. Text is UTF-8, as
 * SQLite stores it.
 */
export function encodeWrites(writes: readonly Write[]): Uint8Array {
  let size = 0;
  for (const write of writes) {
    size +=
      18 + 3 * write.counterpart.length + ('turn' in write ? 3 * write.turn.content.length : 0);
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const encoder = new TextEncoder();
  let at = 0;
  const text = (value: string) => {
    const { written } = encoder.encodeInto(value, bytes.subarray(at + 4));
    view.setUint32(at, written);
    at += 4 + written;
  };
  for (const write of writes) {
    if (!('turn' in write)) {
      bytes[at++] = CLEAR;
      text(write.counterpart);
      continue;
    }
    bytes[at++] = 1 + PLANS.indexOf(write.plan);
    text(write.counterpart);
    bytes[at++] = write.turn.role === 'user' ? 0 : 1;
    view.setFloat64(at, write.time);
    at += 8;
    text(write.turn.content);
  }
  return bytes.subarray(0, at);
}

/** The writes `encodeWrites` stored. Self-contained, as `prepareWrites` is. */
export function decodeWrites(bytes: Uint8Array): Write[] {
  const plans = [undefined, 'merge', 'insert', 'new-session', 'insert-prune'] as const;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const writes: Write[] = [];
  let at = 0;
  const text = () => {
    const length = view.getUint32(at);
    at += 4 + length;
    return decoder.decode(bytes.subarray(at - length, at));
  };
  while (at < bytes.length) {
    const kind = bytes[at++]!;
    const counterpart = text();
    if (kind === 0) {
      writes.push({ counterpart });
      continue;
    }
    const role = bytes[at++] === 0 ? 'user' : 'assistant';
    const time = view.getFloat64(at);
    at += 8;
    const content = text();
    const plan = plans[kind - 1];
    writes.push({ counterpart, turn: { role, content }, time, ...(plan ? { plan } : {}) });
  }
  return writes;
}
