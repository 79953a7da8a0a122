import { Worker } from 'node:worker_threads';
import { decodeWrites, encodeWrites, prepareWrites, type Write } from './memory-writes.js';
import { sqliteDriverPath, type Database } from './sqlite.js';

/**
 * The worker's code, a CommonJS script around `prepareWrites`'s own source (tsx names functions
 * with `__name`; the shim keeps that working). Its connection applies each batch in one
 * transaction and checkpoints the log at its commits, as SQLite does by default; the shared
 * counters say how many batches are done (or failed) and when the file is let go.
 */
const workerCode = () => `
var __name = (target) => target;
const { parentPort, workerData } = require('node:worker_threads');
const { driver, file, maxTurns, gapMs, shared } = workerData;
const state = new Int32Array(shared);
const Database = require(driver);
const db = new Database(file, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const apply = (${prepareWrites.toString()})(db, maxTurns, gapMs);
const decodeWrites = ${decodeWrites.toString()};
parentPort.on('message', (message) => {
  if (message.writes !== undefined) {
    try {
      apply(decodeWrites(message.writes));
    } catch (error) {
      Atomics.store(state, ${FAILED}, message.batch);
      parentPort.postMessage({ batch: message.batch, error: String((error && error.message) || error) });
    }
    Atomics.store(state, ${DONE}, message.batch);
    Atomics.notify(state, ${DONE});
    return;
  }
  db.close();
  Atomics.store(state, ${CLOSED}, 1);
  Atomics.notify(state, ${CLOSED});
  parentPort.close();
});
`;

/** Slots of the shared counters. */
const DONE = 0;
const FAILED = 1;
const CLOSED = 2;
/** Longest a read or a close waits for the worker. */
const WAIT_MS = 10_000;

/** Writes a memory file from a worker thread; see `startMemoryWorker`. */
export interface MemoryWorker {
  /** Hands a batch of writes over; they are committed in the order given. */
  post(writes: Write[]): void;
  /** Waits until every batch handed over is committed (or failed). */
  settle(): void;
  /** A write that failed since the last call, if any (it is reported once). */
  takeFailure(): Error | undefined;
  /** Settles, and lets go of the file: the caller's connection then closes last. */
  close(): void;
}

/**
 * Starts a worker thread that commits the writes of a memory file, so that the calling thread
 * (a server's event loop) only hands them over. When the worker cannot start or stops, the
 * batches it had not committed, and every later one, are written by `db` in this thread.
 */
export function startMemoryWorker(
  db: Database,
  file: string,
  maxTurns: number,
  gapMs: number,
  /** The better-sqlite3 module the worker loads (tests give one that fails). */
  driver = sqliteDriverPath(),
): MemoryWorker {
  const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const state = new Int32Array(shared);
  let posted = 0;
  /** Batches handed over and not known to be done, oldest first. */
  const unsettled: { batch: number; writes: Write[] }[] = [];
  let failure: Error | undefined;
  let reportedFailure = 0;
  let here: ((writes: readonly Write[]) => void) | undefined;
  const worker = new Worker(workerCode(), {
    eval: true,
    workerData: { driver, file, maxTurns, gapMs, shared },
  });
  worker.unref();
  const forget = () => {
    const done = Atomics.load(state, DONE);
    let settled = 0;
    while (settled < unsettled.length && unsettled[settled]!.batch <= done) settled += 1;
    if (settled > 0) unsettled.splice(0, settled);
  };
  /** This thread writes from now on, starting with what the worker left. */
  const takeOver = (reason: string) => {
    if (here !== undefined || !db.open) return;
    process.emitWarning(
      `${file}: the memory's worker thread stopped (${reason}); this thread writes the file from now on`,
      { code: 'ALTEREGO_MEMORY_WORKER' },
    );
    here = prepareWrites(db, maxTurns, gapMs);
    forget();
    const left = unsettled.splice(0);
    try {
      for (const { writes } of left) here(writes);
    } catch (writeError) {
      failure ??= writeError as Error;
    }
  };
  worker.on('message', (message: { batch: number; error: string }) => {
    if (message.batch > reportedFailure) {
      failure ??= new Error(`${file}: the memory could not be written (${message.error})`);
    }
  });
  worker.on('error', (error) => takeOver(error.message));
  worker.on('exit', (code) => {
    if (Atomics.load(state, CLOSED) === 0) takeOver(`exit code ${code}`);
  });
  const settle = () => {
    while (here === undefined && Atomics.load(state, DONE) < posted) {
      if (Atomics.wait(state, DONE, Atomics.load(state, DONE), WAIT_MS) === 'timed-out') break;
    }
    forget();
  };
  return {
    post(writes) {
      if (here !== undefined) {
        here(writes);
        return;
      }
      posted += 1;
      unsettled.push({ batch: posted, writes });
      // Bytes, handed over without a copy: copying the objects, or their JSON, cost more than
      // the worker's writing them.
      const bytes = encodeWrites(writes);
      worker.postMessage({ batch: posted, writes: bytes }, [bytes.buffer as ArrayBuffer]);
      if (unsettled.length > 64) forget();
    },
    settle,
    takeFailure() {
      const failed = Atomics.load(state, FAILED);
      if (failure === undefined && failed > reportedFailure) {
        // The worker's message with the reason has not arrived yet.
        failure = new Error(`${file}: the memory could not be written`);
      }
      reportedFailure = failed;
      const error = failure;
      failure = undefined;
      return error;
    },
    close() {
      settle();
      if (here !== undefined) return;
      worker.postMessage({ close: true });
      Atomics.wait(state, CLOSED, 0, WAIT_MS);
    },
  };
}
