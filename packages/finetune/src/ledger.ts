import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { JobState } from './provider.js';

/** One file sent to a provider, known by the SHA-256 of its content. */
export interface UploadRecord {
  endpoint: string;
  sha256: string;
  purpose: string;
  bytes: number;
  filename: string;
  /** Undefined while the upload is under way (or was interrupted). */
  fileId?: string;
  createdAt: Date;
}

/** One training run: written before the job is created, completed when it is. */
export interface JobRecord {
  endpoint: string;
  provider: string;
  idempotencyKey: string;
  /** Undefined while the create call is under way (or was interrupted). */
  jobId?: string;
  manifestHash?: string;
  model: string;
  state: JobState | 'pending';
  /** The fine-tuned model id, once the job has succeeded. */
  resultModel?: string;
  error?: string;
  /** The last event id seen by `follow`, so that it resumes after it. */
  lastEventId?: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What has been uploaded and started, kept on disk so that a crash or Ctrl-C never uploads a
 * file twice, creates a job twice or loses one. Every write is its own transaction.
 */
export interface JobLedger {
  readonly path: string;
  findUpload(endpoint: string, sha256: string, purpose: string): UploadRecord | undefined;
  /** Notes that an upload is starting (no file id yet). */
  beginUpload(record: Omit<UploadRecord, 'fileId' | 'createdAt'>): void;
  completeUpload(endpoint: string, sha256: string, purpose: string, fileId: string): void;
  forgetUpload(endpoint: string, sha256: string, purpose: string): void;
  findJob(endpoint: string, idempotencyKey: string): JobRecord | undefined;
  jobById(jobId: string, endpoint?: string): JobRecord | undefined;
  /** Notes the intent to create a job, before the create call. */
  beginJob(record: {
    endpoint: string;
    provider: string;
    idempotencyKey: string;
    manifestHash?: string;
    model: string;
  }): void;
  completeJob(endpoint: string, idempotencyKey: string, jobId: string, state: JobState): void;
  updateJob(
    jobId: string,
    update: { state?: JobState; resultModel?: string | null; error?: string | null },
  ): void;
  setLastEvent(jobId: string, eventId: string): void;
  /** Newest first. */
  listJobs(endpoint?: string): JobRecord[];
  close(): void;
}

type Database = BetterSqlite3.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS uploads (
  endpoint TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  purpose TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  filename TEXT NOT NULL,
  file_id TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (endpoint, sha256, purpose)
);
CREATE TABLE IF NOT EXISTS jobs (
  endpoint TEXT NOT NULL,
  provider TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  job_id TEXT,
  manifest_hash TEXT,
  model TEXT NOT NULL,
  state TEXT NOT NULL,
  result_model TEXT,
  error TEXT,
  last_event_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (endpoint, idempotency_key)
);
CREATE INDEX IF NOT EXISTS jobs_by_id ON jobs (job_id);
`;

/** The ledger's file name in the user's data folder. */
export const LEDGER_FILE = 'finetune.sqlite';

/**
 * Opens (or creates) the ledger at a path; `:memory:` for a throwaway one. better-sqlite3 is
 * loaded here, not when the package is imported.
 */
export function openLedger(path: string, options: { now?: () => Date } = {}): JobLedger {
  const require = createRequire(import.meta.url);
  const DatabaseClass = require('better-sqlite3') as typeof BetterSqlite3;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db: Database = new DatabaseClass(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const now = () => (options.now?.() ?? new Date()).getTime();

  const toUpload = (row: Record<string, unknown> | undefined): UploadRecord | undefined =>
    row === undefined
      ? undefined
      : {
          endpoint: row.endpoint as string,
          sha256: row.sha256 as string,
          purpose: row.purpose as string,
          bytes: row.bytes as number,
          filename: row.filename as string,
          fileId: (row.file_id as string | null) ?? undefined,
          createdAt: new Date(row.created_at as number),
        };
  const toJob = (row: Record<string, unknown> | undefined): JobRecord | undefined =>
    row === undefined
      ? undefined
      : {
          endpoint: row.endpoint as string,
          provider: row.provider as string,
          idempotencyKey: row.idempotency_key as string,
          jobId: (row.job_id as string | null) ?? undefined,
          manifestHash: (row.manifest_hash as string | null) ?? undefined,
          model: row.model as string,
          state: row.state as JobRecord['state'],
          resultModel: (row.result_model as string | null) ?? undefined,
          error: (row.error as string | null) ?? undefined,
          lastEventId: (row.last_event_id as string | null) ?? undefined,
          createdAt: new Date(row.created_at as number),
          updatedAt: new Date(row.updated_at as number),
        };

  return {
    path,
    findUpload(endpoint, sha256, purpose) {
      return toUpload(
        db
          .prepare('SELECT * FROM uploads WHERE endpoint = ? AND sha256 = ? AND purpose = ?')
          .get(endpoint, sha256, purpose) as Record<string, unknown> | undefined,
      );
    },
    beginUpload(record) {
      db.prepare(
        `INSERT INTO uploads (endpoint, sha256, purpose, bytes, filename, file_id, created_at)
         VALUES (?, ?, ?, ?, ?, NULL, ?)
         ON CONFLICT (endpoint, sha256, purpose) DO UPDATE SET file_id = NULL, filename = excluded.filename`,
      ).run(record.endpoint, record.sha256, record.purpose, record.bytes, record.filename, now());
    },
    completeUpload(endpoint, sha256, purpose, fileId) {
      db.prepare(
        'UPDATE uploads SET file_id = ? WHERE endpoint = ? AND sha256 = ? AND purpose = ?',
      ).run(fileId, endpoint, sha256, purpose);
    },
    forgetUpload(endpoint, sha256, purpose) {
      db.prepare('DELETE FROM uploads WHERE endpoint = ? AND sha256 = ? AND purpose = ?').run(
        endpoint,
        sha256,
        purpose,
      );
    },
    findJob(endpoint, idempotencyKey) {
      return toJob(
        db
          .prepare('SELECT * FROM jobs WHERE endpoint = ? AND idempotency_key = ?')
          .get(endpoint, idempotencyKey) as Record<string, unknown> | undefined,
      );
    },
    jobById(jobId, endpoint) {
      const row =
        endpoint === undefined
          ? db.prepare('SELECT * FROM jobs WHERE job_id = ? ORDER BY created_at DESC').get(jobId)
          : db.prepare('SELECT * FROM jobs WHERE job_id = ? AND endpoint = ?').get(jobId, endpoint);
      return toJob(row as Record<string, unknown> | undefined);
    },
    beginJob(record) {
      const time = now();
      db.prepare(
        `INSERT INTO jobs (endpoint, provider, idempotency_key, job_id, manifest_hash, model, state, created_at, updated_at)
         VALUES (?, ?, ?, NULL, ?, ?, 'pending', ?, ?)
         ON CONFLICT (endpoint, idempotency_key) DO NOTHING`,
      ).run(
        record.endpoint,
        record.provider,
        record.idempotencyKey,
        record.manifestHash ?? null,
        record.model,
        time,
        time,
      );
    },
    completeJob(endpoint, idempotencyKey, jobId, state) {
      db.prepare(
        'UPDATE jobs SET job_id = ?, state = ?, updated_at = ? WHERE endpoint = ? AND idempotency_key = ?',
      ).run(jobId, state, now(), endpoint, idempotencyKey);
    },
    updateJob(jobId, update) {
      const row = db.prepare('SELECT * FROM jobs WHERE job_id = ?').get(jobId);
      if (row === undefined) return;
      const current = toJob(row as Record<string, unknown>)!;
      db.prepare(
        'UPDATE jobs SET state = ?, result_model = ?, error = ?, updated_at = ? WHERE job_id = ?',
      ).run(
        update.state ?? current.state,
        update.resultModel === undefined ? (current.resultModel ?? null) : update.resultModel,
        update.error === undefined ? (current.error ?? null) : update.error,
        now(),
        jobId,
      );
    },
    setLastEvent(jobId, eventId) {
      db.prepare('UPDATE jobs SET last_event_id = ? WHERE job_id = ?').run(eventId, jobId);
    },
    listJobs(endpoint) {
      const rows =
        endpoint === undefined
          ? db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC').all()
          : db
              .prepare('SELECT * FROM jobs WHERE endpoint = ? ORDER BY created_at DESC, rowid DESC')
              .all(endpoint);
      return (rows as Record<string, unknown>[]).map((row) => toJob(row)!);
    },
    close() {
      db.close();
    },
  };
}
