import { Worker } from 'node:worker_threads';
import { sqliteDriverPath, type Database } from './sqlite.js';

/**
 * The worker's code, a CommonJS script: its own connection to the file copies the write-ahead
 * log into it every `everyMs` (a passive checkpoint: it never waits for, or blocks, a writer).
 * On any message it checkpoints once more, closes, and raises the shared flag the closing thread
 * waits on.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { driver, file, everyMs, closed } = workerData;
const flag = new Int32Array(closed);
let db;
const report = (error) => parentPort.postMessage({ error: String(error && error.message || error) });
try {
  const Database = require(driver);
  db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
} catch (error) {
  report(error);
}
const checkpoint = () => {
  try {
    if (db) db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    report(error);
  }
};
const timer = setInterval(checkpoint, everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try {
    if (db) db.close();
  } catch (error) {
    report(error);
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  parentPort.close();
});
`;

/** Longest a closing memory waits for the worker to let go of the file. */
const CLOSE_WAIT_MS = 5_000;

/** Stops the background checkpoints; the caller closes its own connection afterwards. */
export interface Checkpointer {
  close(): void;
}

/**
 * Moves a WAL database's checkpoints to a worker thread: the writer's commits stop copying pages
 * into the file (`wal_autocheckpoint = 0`), and the worker does it every `everyMs`. When the
 * worker cannot start or fails, the writer checkpoints at its commits again, as SQLite does by
 * default.
 */
export function startCheckpointer(db: Database, file: string, everyMs: number): Checkpointer {
  const closed = new SharedArrayBuffer(4);
  const flag = new Int32Array(closed);
  db.pragma('wal_autocheckpoint = 0');
  let running = true;
  const fallBack = () => {
    if (!running) return;
    running = false;
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
    void worker.terminate();
  };
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver: sqliteDriverPath(), file, everyMs, closed },
  });
  worker.unref();
  worker.on('message', (message: { error?: string }) => {
    if (message.error !== undefined) fallBack();
  });
  worker.on('error', fallBack);
  worker.on('exit', () => {
    running = false;
  });
  return {
    close() {
      if (!running) return;
      running = false;
      worker.postMessage('close');
      // The worker's connection goes first, so that the writer's close, the last one, copies
      // what is left and removes the log.
      Atomics.wait(flag, 0, 0, CLOSE_WAIT_MS);
    },
  };
}
