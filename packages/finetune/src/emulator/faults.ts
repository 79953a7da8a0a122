/**
 * A fault the emulator plays instead of (or after) handling one request:
 * - `{ status: 429, retryAfterMs: 5 }`: an error answer, with a `retry-after-ms` header;
 * - `{ drop: 'before' }`: the connection is closed before the request is handled;
 * - `{ drop: 'after' }`: the request is handled (a file stored, a job created), then the
 *   connection is closed before the answer: the client cannot know that it worked.
 */
export type EmulatorFault =
  | { status: number; message?: string; code?: string; retryAfterMs?: number }
  | { drop: 'before' | 'after' };

/** How a job should fail, for `failNextJob`. */
export interface JobFailure {
  message?: string;
  code?: string;
  /** The training step at which it fails (default: the first). */
  atStep?: number;
}

/**
 * The route names faults attach to: the method and the documented path pattern, e.g.
 * `POST /v1/files`, `GET /v1/fine_tuning/jobs/:id/events`; `*` matches every request.
 */
export type EmulatorRoute =
  | 'GET /v1/models'
  | 'GET /v1/models/:id'
  | 'POST /v1/files'
  | 'GET /v1/files'
  | 'GET /v1/files/:id'
  | 'GET /v1/files/:id/content'
  | 'DELETE /v1/files/:id'
  | 'POST /v1/uploads'
  | 'POST /v1/uploads/:id/parts'
  | 'POST /v1/uploads/:id/complete'
  | 'POST /v1/uploads/:id/cancel'
  | 'POST /v1/fine_tuning/jobs'
  | 'GET /v1/fine_tuning/jobs'
  | 'GET /v1/fine_tuning/jobs/:id'
  | 'POST /v1/fine_tuning/jobs/:id/cancel'
  | 'GET /v1/fine_tuning/jobs/:id/events'
  | 'GET /v1/fine_tuning/jobs/:id/checkpoints'
  | 'POST /v1/chat/completions'
  | '*';
