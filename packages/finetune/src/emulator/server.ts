import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { readLines } from '@alterego/core';
import {
  DEFAULT_MODEL,
  defaultEpochs,
  FINE_TUNE_MODELS,
  findModel,
  type TrainingFileFormat,
  type TrainingFileReport,
  validateTrainingLines,
} from '@alterego/dataset';
import { formatResultMetrics } from '../result-metrics.js';
import type { TrainingMetrics } from '../provider.js';
import type { EmulatorFault, EmulatorRoute, JobFailure } from './faults.js';

export interface OpenAIEmulatorOptions {
  /** Accept only this key (Bearer or `api-key` header); default: any non-empty key. */
  apiKey?: string;
  /** Base models that can be fine-tuned; default: OpenAI's list. They also answer chat completions. */
  models?: readonly string[];
  /**
   * More model ids that answer chat completions the way base models do, e.g. the names local
   * servers serve models under (`llama3.2`).
   */
  chatModels?: readonly string[];
  /** Start time, in Unix seconds (default 1,767,225,600: 2026-01-01). */
  startTime?: number;
  /** Seconds each phase takes: validating files, waiting in the queue, one training step. */
  timing?: { validating?: number; queued?: number; step?: number };
  /** Moves the clock this many seconds on every request, for demos without a test driving it. */
  autoAdvanceSeconds?: number;
  /** False: the organisation cannot create fine-tuning jobs (the service's wind-down). */
  fineTuningAvailable?: boolean;
  /** Most training steps per job (default 200), so large files do not make huge event lists. */
  maxSteps?: number;
  organization?: string;
  /** Port to listen on (default: any free port). */
  port?: number;
}

/** What the emulator saw: for asserting retries and the absence of duplicates. */
export interface EmulatorRequest {
  method: string;
  path: string;
  route: EmulatorRoute | undefined;
  /** The status answered, or `dropped`. */
  outcome: number | 'dropped';
}

interface StoredFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
  content: Buffer;
}

interface StoredUpload {
  id: string;
  object: 'upload';
  bytes: number;
  created_at: number;
  expires_at: number;
  filename: string;
  purpose: string;
  status: 'pending' | 'completed' | 'cancelled' | 'expired';
  mime_type: string;
  parts: Map<string, Buffer>;
  file: StoredFile | null;
}

interface StoredEvent {
  id: string;
  object: 'fine_tuning.job.event';
  created_at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  type: 'message' | 'metrics';
  data: Record<string, unknown>;
}

interface StoredCheckpoint {
  id: string;
  object: 'fine_tuning.job.checkpoint';
  created_at: number;
  fine_tuned_model_checkpoint: string;
  fine_tuning_job_id: string;
  step_number: number;
  metrics: Record<string, number>;
}

interface StoredJob {
  id: string;
  object: 'fine_tuning.job';
  created_at: number;
  finished_at: number | null;
  estimated_finish: number | null;
  error: { code: string; message: string; param: string | null } | null;
  fine_tuned_model: string | null;
  hyperparameters: { n_epochs: number; batch_size: number; learning_rate_multiplier: number };
  method: Record<string, unknown>;
  model: string;
  organization_id: string;
  result_files: string[];
  seed: number;
  status: 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  trained_tokens: number | null;
  training_file: string;
  validation_file: string | null;
  integrations: unknown[];
  metadata: Record<string, string> | null;
  user_provided_suffix: string | null;
  // Not sent: the emulator's own bookkeeping.
  _events: StoredEvent[];
  _checkpoints: StoredCheckpoint[];
  _metrics: TrainingMetrics[];
  _steps: number;
  _stepsDone: number;
  _tokensPerEpoch: number;
  /** Why the files break the format rules (checked when the job is created), if they do. */
  _formatProblem: string | undefined;
  _failure: JobFailure | undefined;
  _examples: { prompt: string; reply: string }[];
}

export interface OpenAIEmulator {
  /** The base URL to give the SDK: `http://127.0.0.1:<port>/v1`. */
  readonly baseURL: string;
  /** Current emulated time, Unix seconds. */
  now(): number;
  /** Moves the clock and every job with it. */
  advance(seconds: number): void;
  /** Plays these faults, in order, on the next requests to a route. */
  inject(route: EmulatorRoute, ...faults: EmulatorFault[]): void;
  /** The next job created fails while training, with this error. */
  failNextJob(failure?: JobFailure): void;
  /** Turns job creation off (403, as for organisations the wind-down has closed) or on. */
  setFineTuningAvailable(available: boolean): void;
  /** Every request so far. */
  readonly requests: readonly EmulatorRequest[];
  /** Stored files, uploads and jobs, as the API would show them. */
  files(): Record<string, unknown>[];
  jobs(): Record<string, unknown>[];
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

const notFound = (what: string, id: string) =>
  new HttpError(404, `No such ${what}: '${id}'`, 'invalid_request_error', null, 'id');

/** The `{error: {…}}` body every OpenAI endpoint answers errors with. */
function errorBody(error: HttpError): string {
  return JSON.stringify({
    error: { message: error.message, type: error.type, param: error.param, code: error.code },
  });
}

/**
 * Starts a local server that speaks the OpenAI wire format for files, uploads, fine-tuning jobs,
 * models and chat completions, on 127.0.0.1 and a free port. Jobs run on an emulated clock that
 * only moves when told to (`advance`), so tests never wait. Faults can be queued per route.
 */
export async function startOpenAIEmulator(
  options: OpenAIEmulatorOptions = {},
): Promise<OpenAIEmulator> {
  let clock = options.startTime ?? 1_767_225_600;
  const timing = { validating: 5, queued: 5, step: 1, ...options.timing };
  const baseModels = new Set(options.models ?? FINE_TUNE_MODELS.map((model) => model.id));
  const chatModels = new Set(options.chatModels ?? []);
  const organization = options.organization ?? 'org-emulated';
  const maxSteps = options.maxSteps ?? 200;
  let available = options.fineTuningAvailable ?? true;
  const files = new Map<string, StoredFile>();
  const uploads = new Map<string, StoredUpload>();
  const jobs = new Map<string, StoredJob>();
  const faults = new Map<string, EmulatorFault[]>();
  const failures: JobFailure[] = [];
  const requests: EmulatorRequest[] = [];
  const counters = new Map<string, number>();

  const newId = (prefix: string) => {
    const next = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, next);
    return `${prefix}${String(next).padStart(6, '0')}emu`;
  };

  const publicJob = (job: StoredJob) =>
    Object.fromEntries(Object.entries(job).filter(([key]) => !key.startsWith('_')));
  const publicFile = (file: StoredFile) => {
    const { content: _content, ...rest } = file;
    return rest;
  };
  const publicUpload = (upload: StoredUpload) => {
    const { parts: _parts, mime_type: _mime, file, ...rest } = upload;
    return { ...rest, file: file ? publicFile(file) : null };
  };

  function addEvent(
    job: StoredJob,
    at: number,
    message: string,
    level: StoredEvent['level'] = 'info',
    type: StoredEvent['type'] = 'message',
    data: Record<string, unknown> = {},
  ): void {
    job._events.push({
      id: newId('ftevent-'),
      object: 'fine_tuning.job.event',
      created_at: at,
      level,
      message,
      type,
      data,
    });
  }

  function metricsAt(job: StoredJob, step: number): TrainingMetrics {
    // A smooth, deterministic loss curve with a little wobble.
    const progress = step / job._steps;
    const wobble = ((step * 7919) % 13) / 200;
    const trainLoss = round(0.35 + 2.2 * Math.exp(-3 * progress) + wobble);
    const metrics: TrainingMetrics = {
      step,
      trainLoss,
      trainAccuracy: round(Math.min(0.95, 0.4 + 0.5 * progress)),
    };
    if (job.validation_file !== null && (step % 5 === 0 || step === job._steps)) {
      metrics.validLoss = round(trainLoss + 0.15);
      metrics.validAccuracy = round(Math.min(0.9, 0.35 + 0.5 * progress));
    }
    return metrics;
  }

  function finishFailed(job: StoredJob, at: number, code: string, message: string): void {
    job.status = 'failed';
    job.finished_at = at;
    job.estimated_finish = null;
    job.error = { code, message, param: null };
    addEvent(job, at, `The job failed due to an error: ${message}`, 'error');
  }

  /** Moves one job forward to the current time, writing the events of everything that happened. */
  function step(job: StoredJob): void {
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return;
    const validatedAt = job.created_at + timing.validating;
    if (job.status === 'validating_files') {
      if (clock < validatedAt) return;
      const problem = validateJobFiles(job);
      if (problem !== undefined) {
        finishFailed(job, validatedAt, 'invalid_training_file', problem);
        return;
      }
      job.status = 'queued';
      addEvent(job, validatedAt, 'Files validated, moving job to queued state');
    }
    const startedAt = validatedAt + timing.queued;
    if (job.status === 'queued') {
      if (clock < startedAt) return;
      job.status = 'running';
      job.estimated_finish = startedAt + job._steps * timing.step;
      addEvent(job, startedAt, 'Fine-tuning job started');
    }
    const epochSteps = Math.max(1, Math.round(job._steps / job.hyperparameters.n_epochs));
    while (job._stepsDone < job._steps) {
      const next = job._stepsDone + 1;
      const at = startedAt + next * timing.step;
      if (clock < at) return;
      if (job._failure !== undefined && next >= (job._failure.atStep ?? 1)) {
        finishFailed(
          job,
          at,
          job._failure.code ?? 'training_failed',
          job._failure.message ?? 'The training run failed for an internal reason; try again.',
        );
        return;
      }
      job._stepsDone = next;
      const metrics = metricsAt(job, next);
      job._metrics.push(metrics);
      addEvent(
        job,
        at,
        `Step ${next}/${job._steps}: training loss=${metrics.trainLoss}`,
        'info',
        'metrics',
        {
          step: next,
          total_steps: job._steps,
          train_loss: metrics.trainLoss,
          train_mean_token_accuracy: metrics.trainAccuracy,
          ...(metrics.validLoss === undefined
            ? {}
            : { valid_loss: metrics.validLoss, valid_mean_token_accuracy: metrics.validAccuracy }),
        },
      );
      if (next % epochSteps === 0 && next < job._steps) {
        const checkpoint: StoredCheckpoint = {
          id: newId('ftckpt_'),
          object: 'fine_tuning.job.checkpoint',
          created_at: at,
          fine_tuned_model_checkpoint: `${modelName(job)}:ckpt-step-${next}`,
          fine_tuning_job_id: job.id,
          step_number: next,
          metrics: {
            step: next,
            train_loss: metrics.trainLoss!,
            train_mean_token_accuracy: metrics.trainAccuracy!,
            ...(metrics.validLoss === undefined
              ? {}
              : {
                  valid_loss: metrics.validLoss,
                  valid_mean_token_accuracy: metrics.validAccuracy!,
                }),
          },
        };
        job._checkpoints.push(checkpoint);
        addEvent(job, at, `Checkpoint created at step ${next}`);
      }
    }
    const doneAt = startedAt + job._steps * timing.step;
    const result: StoredFile = {
      id: newId('file-'),
      object: 'file',
      bytes: 0,
      created_at: doneAt,
      filename: 'step_metrics.csv',
      purpose: 'fine-tune-results',
      status: 'processed',
      // The service stores the metrics CSV base64-encoded.
      content: Buffer.from(Buffer.from(formatResultMetrics(job._metrics)).toString('base64')),
    };
    result.bytes = result.content.length;
    files.set(result.id, result);
    job.result_files = [result.id];
    job.fine_tuned_model = modelName(job);
    job.trained_tokens = job._tokensPerEpoch * job.hyperparameters.n_epochs;
    job.status = 'succeeded';
    job.finished_at = doneAt;
    job.estimated_finish = null;
    addEvent(job, doneAt, `New fine-tuned model created: ${job.fine_tuned_model}`);
    addEvent(job, doneAt, 'The job has successfully completed');
  }

  function modelName(job: StoredJob): string {
    const suffix = job.user_provided_suffix ?? '';
    return `ft:${job.model}:${organization}:${suffix}:${job.id.replace(/^ftjob-/, '').slice(0, 8)}`;
  }

  /** Checks the job's files like the service: a reason when one is refused. */
  function validateJobFiles(job: StoredJob): string | undefined {
    for (const [which, id] of [
      ['training', job.training_file],
      ['validation', job.validation_file],
    ] as const) {
      if (id !== null && !files.has(id)) return `The ${which} file ${id} no longer exists.`;
    }
    return job._formatProblem;
  }

  /**
   * Checks an uploaded file with the rules and messages of `alterego validate` (@alterego/dataset's
   * validator); a model outside its table is checked with the default model's rules.
   */
  function checkFile(
    file: StoredFile,
    model: string,
    format: TrainingFileFormat,
    minExamples: number,
  ): Promise<TrainingFileReport> {
    return validateTrainingLines(readLines(Readable.from([file.content])), {
      file: file.filename,
      model: findModel(model) ? model : DEFAULT_MODEL,
      format,
      minExamples,
    });
  }

  function formatProblem(which: string, report: TrainingFileReport): string | undefined {
    const error = report.errors[0];
    if (error === undefined) return undefined;
    const line = error.line === undefined ? '' : ` line ${error.line}:`;
    return `The ${which} file has an invalid format:${line} ${error.message}.`;
  }

  function updateAll(): void {
    for (const job of jobs.values()) step(job);
  }

  // Handlers ----------------------------------------------------------------------------------

  type Handler = (request: ParsedRequest) => Promise<unknown>;
  interface ParsedRequest {
    params: string[];
    query: URLSearchParams;
    body: Buffer;
    headers: IncomingMessage['headers'];
    json(): Record<string, unknown>;
    form(): Promise<FormData>;
  }

  function page<T extends { id: string }>(items: T[], query: URLSearchParams, defaultLimit = 20) {
    const limit = Math.min(
      100,
      Math.max(1, Number(query.get('limit') ?? defaultLimit) || defaultLimit),
    );
    const after = query.get('after');
    let start = 0;
    if (after !== null) {
      const index = items.findIndex((item) => item.id === after);
      start = index === -1 ? items.length : index + 1;
    }
    const data = items.slice(start, start + limit);
    return {
      object: 'list',
      data,
      has_more: start + limit < items.length,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    };
  }

  const jobOr404 = (id: string | undefined) => {
    const job = jobs.get(id ?? '');
    if (job === undefined) throw notFound('fine-tuning job', id ?? '');
    return job;
  };

  async function createJob(request: ParsedRequest): Promise<unknown> {
    if (!available) {
      throw new HttpError(
        403,
        'Fine-tuning is not available for your organization. OpenAI is winding down the fine-tuning platform; existing fine-tuned models remain available for inference.',
        'invalid_request_error',
        'fine_tuning_unavailable',
      );
    }
    const body = request.json();
    const model = body.model;
    if (typeof model !== 'string')
      throw new HttpError(400, "Missing required parameter: 'model'.", undefined, null, 'model');
    const base = model.startsWith('ft:') ? (model.split(':')[1] ?? '') : model;
    if (!baseModels.has(base)) {
      throw new HttpError(
        400,
        `Model ${model} is not available for fine-tuning or does not exist.`,
        undefined,
        'model_not_available',
        'model',
      );
    }
    const training = files.get(String(body.training_file));
    if (training === undefined) {
      throw new HttpError(
        400,
        `invalid training_file: ${String(body.training_file)}`,
        undefined,
        'invalid_training_file',
        'training_file',
      );
    }
    if (training.purpose !== 'fine-tune') {
      throw new HttpError(
        400,
        `File ${training.id} has purpose '${training.purpose}'; fine-tuning needs 'fine-tune'.`,
        undefined,
        'invalid_training_file',
        'training_file',
      );
    }
    const validationId = body.validation_file == null ? null : String(body.validation_file);
    if (validationId !== null && !files.has(validationId)) {
      throw new HttpError(
        400,
        `invalid validation_file: ${validationId}`,
        undefined,
        'invalid_validation_file',
        'validation_file',
      );
    }
    const suffix = body.suffix == null ? null : String(body.suffix);
    if (suffix !== null && (suffix.length > 64 || /[^A-Za-z0-9._-]/.test(suffix))) {
      throw new HttpError(
        400,
        'suffix must be at most 64 characters of letters, digits, "-", "_" and "."',
        undefined,
        'invalid_suffix',
        'suffix',
      );
    }
    const metadata = (body.metadata ?? null) as Record<string, string> | null;
    if (metadata !== null && Object.keys(metadata).length > 16) {
      throw new HttpError(400, 'metadata can hold at most 16 pairs', undefined, null, 'metadata');
    }
    const method = (body.method ?? { type: 'supervised', supervised: {} }) as Record<
      string,
      unknown
    >;
    const methodType = String(method.type ?? 'supervised');
    if (methodType !== 'supervised' && methodType !== 'dpo') {
      throw new HttpError(
        400,
        `Unsupported method type '${methodType}'.`,
        undefined,
        null,
        'method.type',
      );
    }
    const given = ((method[methodType] as { hyperparameters?: Record<string, unknown> } | undefined)
      ?.hyperparameters ?? {}) as Record<string, unknown>;
    const examples = parseExamples(training.content);
    const epochs =
      typeof given.n_epochs === 'number' ? given.n_epochs : defaultEpochs(examples.length);
    const batch =
      typeof given.batch_size === 'number'
        ? given.batch_size
        : Math.max(1, Math.ceil(examples.length * 0.002));
    const hyperparameters = {
      n_epochs: epochs,
      batch_size: batch,
      learning_rate_multiplier:
        typeof given.learning_rate_multiplier === 'number' ? given.learning_rate_multiplier : 1.8,
      ...(methodType === 'dpo' ? { beta: typeof given.beta === 'number' ? given.beta : 0.1 } : {}),
    };
    const format = methodType === 'dpo' ? 'preference' : 'chat';
    const trainingReport = await checkFile(training, model, format, 10);
    const validation = validationId === null ? undefined : files.get(validationId);
    const validationReport =
      validation === undefined ? undefined : await checkFile(validation, model, format, 1);
    const tokens = findModel(model)
      ? trainingReport.cost.estimate.billedTokensPerEpoch
      : trainingReport.stats.tokensPerExample.total;
    const job: StoredJob = {
      id: newId('ftjob-'),
      object: 'fine_tuning.job',
      created_at: clock,
      finished_at: null,
      estimated_finish: null,
      error: null,
      fine_tuned_model: null,
      hyperparameters,
      method: { type: methodType, [methodType]: { hyperparameters } },
      model,
      organization_id: organization,
      result_files: [],
      seed: typeof body.seed === 'number' ? body.seed : 42,
      status: 'validating_files',
      trained_tokens: null,
      training_file: training.id,
      validation_file: validationId,
      integrations: [],
      metadata,
      user_provided_suffix: suffix,
      _events: [],
      _checkpoints: [],
      _metrics: [],
      _steps: Math.min(
        maxSteps,
        Math.max(1, Math.ceil(Math.max(1, examples.length) / batch) * epochs),
      ),
      _stepsDone: 0,
      _tokensPerEpoch: tokens,
      _formatProblem:
        formatProblem('training', trainingReport) ??
        (validationReport && formatProblem('validation', validationReport)),
      _failure: failures.shift(),
      _examples: examples,
    };
    addEvent(
      job,
      clock,
      `Validating training file: ${training.id}${validationId ? ` and validation file: ${validationId}` : ''}`,
    );
    addEvent(job, clock, `Created fine-tuning job: ${job.id}`);
    jobs.set(job.id, job);
    return publicJob(job);
  }

  async function storeFile(
    filename: string,
    purpose: string,
    content: Buffer,
  ): Promise<StoredFile> {
    if (purpose === 'fine-tune' && !filename.toLowerCase().endsWith('.jsonl')) {
      throw new HttpError(
        400,
        `Invalid file format for Fine-Tuning API. Must be .jsonl`,
        undefined,
        'invalid_file_format',
        'file',
      );
    }
    if (purpose === 'fine-tune') {
      const text = content.toString('utf8');
      const firstBad = text
        .split('\n')
        .findIndex((line) => line.trim() !== '' && !isJsonObject(line));
      if (firstBad !== -1) {
        throw new HttpError(
          400,
          `Invalid file format. Line ${firstBad + 1} is not a JSON object.`,
          undefined,
          'invalid_file_format',
          'file',
        );
      }
    }
    const file: StoredFile = {
      id: newId('file-'),
      object: 'file',
      bytes: content.length,
      created_at: clock,
      filename,
      purpose,
      status: 'processed',
      content,
    };
    files.set(file.id, file);
    return file;
  }

  const routes: [string, EmulatorRoute, Handler][] = [
    [
      'GET',
      'GET /v1/models',
      async () => ({
        object: 'list',
        data: [
          ...[...baseModels].map((id) => ({
            id,
            object: 'model',
            created: 1_700_000_000,
            owned_by: 'system',
          })),
          ...[...jobs.values()]
            .filter((job) => job.fine_tuned_model !== null)
            .map((job) => ({
              id: job.fine_tuned_model,
              object: 'model',
              created: job.finished_at,
              owned_by: organization,
            })),
        ],
      }),
    ],
    [
      'GET',
      'GET /v1/models/:id',
      async ({ params }) => {
        const id = params[0]!;
        if (baseModels.has(id))
          return { id, object: 'model', created: 1_700_000_000, owned_by: 'system' };
        const job = [...jobs.values()].find((candidate) => candidate.fine_tuned_model === id);
        if (job === undefined)
          throw new HttpError(
            404,
            `The model '${id}' does not exist`,
            'invalid_request_error',
            'model_not_found',
            'model',
          );
        return { id, object: 'model', created: job.finished_at, owned_by: organization };
      },
    ],
    [
      'POST',
      'POST /v1/files',
      async (request) => {
        const form = await request.form();
        const file = form.get('file');
        const purpose = form.get('purpose');
        if (typeof purpose !== 'string')
          throw new HttpError(
            400,
            "Missing required parameter: 'purpose'.",
            undefined,
            null,
            'purpose',
          );
        if (file === null || typeof file === 'string')
          throw new HttpError(400, "Missing required parameter: 'file'.", undefined, null, 'file');
        const stored = await storeFile(file.name, purpose, Buffer.from(await file.arrayBuffer()));
        return publicFile(stored);
      },
    ],
    [
      'GET',
      'GET /v1/files',
      async ({ query }) => {
        const purpose = query.get('purpose');
        const ascending = query.get('order') === 'asc';
        const all = [...files.values()].filter(
          (file) => purpose === null || file.purpose === purpose,
        );
        if (!ascending) all.reverse();
        const listed = page(all, query, 10_000);
        return { ...listed, data: listed.data.map(publicFile) };
      },
    ],
    [
      'GET',
      'GET /v1/files/:id',
      async ({ params }) => {
        const file = files.get(params[0]!);
        if (file === undefined) throw notFound('file', params[0]!);
        return publicFile(file);
      },
    ],
    [
      'GET',
      'GET /v1/files/:id/content',
      async ({ params }) => {
        const file = files.get(params[0]!);
        if (file === undefined) throw notFound('file', params[0]!);
        return file.content;
      },
    ],
    [
      'DELETE',
      'DELETE /v1/files/:id',
      async ({ params }) => {
        if (!files.delete(params[0]!)) throw notFound('file', params[0]!);
        return { id: params[0], object: 'file', deleted: true };
      },
    ],
    [
      'POST',
      'POST /v1/uploads',
      async (request) => {
        const body = request.json();
        const bytes = Number(body.bytes);
        if (!Number.isInteger(bytes) || bytes <= 0)
          throw new HttpError(400, "Invalid 'bytes'.", undefined, null, 'bytes');
        if (bytes > 8 * 1024 ** 3)
          throw new HttpError(400, 'An upload can be at most 8 GB.', undefined, null, 'bytes');
        const upload: StoredUpload = {
          id: newId('upload_'),
          object: 'upload',
          bytes,
          created_at: clock,
          expires_at: clock + 3600,
          filename: String(body.filename),
          purpose: String(body.purpose),
          status: 'pending',
          mime_type: String(body.mime_type),
          parts: new Map(),
          file: null,
        };
        uploads.set(upload.id, upload);
        return publicUpload(upload);
      },
    ],
    [
      'POST',
      'POST /v1/uploads/:id/parts',
      async (request) => {
        const upload = uploads.get(request.params[0]!);
        if (upload === undefined) throw notFound('upload', request.params[0]!);
        if (upload.status !== 'pending')
          throw new HttpError(400, `Upload ${upload.id} is ${upload.status}.`);
        const data = (await request.form()).get('data');
        if (data === null || typeof data === 'string')
          throw new HttpError(400, "Missing required parameter: 'data'.", undefined, null, 'data');
        if (data.size > 64 * 1024 ** 2)
          throw new HttpError(400, 'A part can be at most 64 MB.', undefined, null, 'data');
        const id = newId('part_');
        upload.parts.set(id, Buffer.from(await data.arrayBuffer()));
        return { id, object: 'upload.part', created_at: clock, upload_id: upload.id };
      },
    ],
    [
      'POST',
      'POST /v1/uploads/:id/complete',
      async (request) => {
        const upload = uploads.get(request.params[0]!);
        if (upload === undefined) throw notFound('upload', request.params[0]!);
        if (upload.status === 'completed') return publicUpload(upload);
        const partIds = (request.json().part_ids ?? []) as string[];
        const missing = partIds.find((id) => !upload.parts.has(id));
        if (missing !== undefined)
          throw new HttpError(400, `Unknown part: ${missing}`, undefined, null, 'part_ids');
        const content = Buffer.concat(partIds.map((id) => upload.parts.get(id)!));
        if (content.length !== upload.bytes) {
          throw new HttpError(
            400,
            `The parts hold ${content.length} bytes; the upload was created for ${upload.bytes}.`,
            undefined,
            null,
            'part_ids',
          );
        }
        const md5 = request.json().md5;
        if (typeof md5 === 'string' && md5 !== createHash('md5').update(content).digest('hex')) {
          throw new HttpError(
            400,
            'The md5 checksum does not match the parts.',
            undefined,
            null,
            'md5',
          );
        }
        upload.file = await storeFile(upload.filename, upload.purpose, content);
        upload.status = 'completed';
        return publicUpload(upload);
      },
    ],
    [
      'POST',
      'POST /v1/uploads/:id/cancel',
      async ({ params }) => {
        const upload = uploads.get(params[0]!);
        if (upload === undefined) throw notFound('upload', params[0]!);
        upload.status = 'cancelled';
        return publicUpload(upload);
      },
    ],
    ['POST', 'POST /v1/fine_tuning/jobs', createJob],
    [
      'GET',
      'GET /v1/fine_tuning/jobs',
      async ({ query }) => {
        const filters = [...query.entries()]
          .map(([key, value]) => [/^metadata\[(.+)\]$/.exec(key)?.[1], value] as const)
          .filter((pair): pair is [string, string] => pair[0] !== undefined);
        const all = [...jobs.values()]
          .reverse()
          .filter((job) => filters.every(([key, value]) => job.metadata?.[key] === value));
        const listed = page(all, query);
        return { ...listed, data: listed.data.map(publicJob) };
      },
    ],
    ['GET', 'GET /v1/fine_tuning/jobs/:id', async ({ params }) => publicJob(jobOr404(params[0]))],
    [
      'POST',
      'POST /v1/fine_tuning/jobs/:id/cancel',
      async ({ params }) => {
        const job = jobOr404(params[0]);
        if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') {
          throw new HttpError(
            400,
            `Job ${job.id} has already ${job.status === 'cancelled' ? 'been cancelled' : 'completed'}.`,
            undefined,
            null,
            'fine_tuning_job_id',
          );
        }
        job.status = 'cancelled';
        job.finished_at = clock;
        job.estimated_finish = null;
        addEvent(job, clock, 'Fine-tuning job cancelled');
        return publicJob(job);
      },
    ],
    [
      'GET',
      'GET /v1/fine_tuning/jobs/:id/events',
      async ({ params, query }) => page([...jobOr404(params[0])._events].reverse(), query),
    ],
    [
      'GET',
      'GET /v1/fine_tuning/jobs/:id/checkpoints',
      async ({ params, query }) => page([...jobOr404(params[0])._checkpoints].reverse(), query, 10),
    ],
    [
      'POST',
      'POST /v1/chat/completions',
      async (request) => {
        const body = request.json();
        const model = String(body.model);
        const job = [...jobs.values()].find(
          (candidate) =>
            candidate.fine_tuned_model === model ||
            candidate._checkpoints.some(
              (checkpoint) => checkpoint.fine_tuned_model_checkpoint === model,
            ),
        );
        if (job === undefined && !baseModels.has(model) && !chatModels.has(model)) {
          throw new HttpError(
            404,
            `The model '${model}' does not exist or you do not have access to it.`,
            'invalid_request_error',
            'model_not_found',
            'model',
          );
        }
        const messages = (body.messages ?? []) as { role: string; content: unknown }[];
        const lastIndex = messages.findLastIndex((message) => message.role === 'user');
        const last = messages[lastIndex];
        const prompt = typeof last?.content === 'string' ? last.content : '';
        // A fine-tuned model replays its training replies; a base model follows the few-shot
        // examples in its prompt: the reply of the exchange whose prompt is most like the last
        // user message.
        const known =
          job === undefined
            ? closestExample(parsePairs(messages.slice(0, Math.max(0, lastIndex))), prompt)
            : job._examples.find((example) => example.prompt === prompt);
        const content = known?.reply ?? `(emulated) ${prompt}`;
        const promptTokens = messages.reduce(
          (sum, message) => sum + 3 + Math.ceil(String(message.content).length / 4),
          3,
        );
        const completionTokens = Math.max(1, Math.ceil(content.length / 4));
        return {
          id: newId('chatcmpl-'),
          object: 'chat.completion',
          created: clock,
          model,
          system_fingerprint: 'fp_alterego_emulator',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content, refusal: null },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
          },
        };
      },
    ],
  ];

  const compiled = routes.map(([method, name, handler]) => {
    const pattern = name.slice(method.length + 1);
    const regex = new RegExp(`^${pattern.replace(/:id/g, '([^/]+)')}$`);
    return { method, name, regex, handler };
  });

  function authorised(headers: IncomingMessage['headers']): boolean {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    const key = bearer ?? (headers['api-key'] as string | undefined);
    if (key === undefined || key === '') return false;
    return options.apiKey === undefined || key === options.apiKey;
  }

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://emulator');
    const path = decodeURIComponent(url.pathname).replace(/\/+$/, '');
    const method = (incoming.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);

    let match: { name: EmulatorRoute; params: string[]; handler: Handler } | undefined;
    for (const route of compiled) {
      if (route.method !== method) continue;
      const found = route.regex.exec(path);
      if (found) {
        match = { name: route.name, params: found.slice(1), handler: route.handler };
        break;
      }
    }
    const record: EmulatorRequest = { method, path, route: match?.name, outcome: 200 };
    requests.push(record);
    if (options.autoAdvanceSeconds) clock += options.autoAdvanceSeconds;
    updateAll();

    const fault =
      match === undefined
        ? undefined
        : (faults.get(match.name)?.shift() ?? faults.get('*')?.shift());
    if (fault !== undefined && 'drop' in fault && fault.drop === 'before') {
      record.outcome = 'dropped';
      incoming.socket.destroy();
      return;
    }
    const send = (
      status: number,
      payload: string | Buffer,
      type: string,
      headers: Record<string, string> = {},
    ) => {
      record.outcome = status;
      response.writeHead(status, {
        'content-type': type,
        'x-request-id': newId('req_'),
        ...headers,
      });
      response.end(payload);
    };
    if (fault !== undefined && 'status' in fault) {
      const error = new HttpError(
        fault.status,
        fault.message ??
          (fault.status === 429
            ? 'Rate limit reached for requests. Please try again shortly.'
            : 'The server had an error while processing your request. Sorry about that!'),
        fault.status === 429
          ? 'requests'
          : fault.status >= 500
            ? 'server_error'
            : 'invalid_request_error',
        fault.code ?? (fault.status === 429 ? 'rate_limit_exceeded' : null),
      );
      const headers: Record<string, string> = {};
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      send(error.status, errorBody(error), 'application/json', { ...headers });
      return;
    }

    let status = 200;
    let payload: string | Buffer;
    let type = 'application/json';
    try {
      if (!authorised(incoming.headers)) {
        throw new HttpError(
          401,
          'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
          'invalid_request_error',
          'invalid_api_key',
        );
      }
      if (match === undefined)
        throw new HttpError(
          404,
          `Unknown request URL: ${method} ${path}.`,
          'invalid_request_error',
          'unknown_url',
        );
      let parsedJson: Record<string, unknown> | undefined;
      const result = await match.handler({
        params: match.params,
        query: url.searchParams,
        body,
        headers: incoming.headers,
        json() {
          if (parsedJson === undefined) {
            try {
              parsedJson = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
            } catch {
              throw new HttpError(400, 'We could not parse the JSON body of your request.');
            }
          }
          return parsedJson;
        },
        form: () =>
          new Request('http://emulator/', {
            method: 'POST',
            headers: { 'content-type': incoming.headers['content-type'] ?? '' },
            body,
          }).formData(),
      });
      if (Buffer.isBuffer(result)) {
        payload = result;
        type = 'application/octet-stream';
      } else {
        payload = JSON.stringify(result);
      }
    } catch (error) {
      const httpError =
        error instanceof HttpError
          ? error
          : new HttpError(500, `Emulator error: ${(error as Error).message}`, 'server_error');
      status = httpError.status;
      payload = errorBody(httpError);
    }
    if (fault !== undefined && 'drop' in fault) {
      record.outcome = 'dropped';
      incoming.socket.destroy();
      return;
    }
    send(status, payload, type);
  }

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => {
      incoming.socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    now: () => clock,
    advance(seconds) {
      clock += seconds;
      updateAll();
    },
    inject(route, ...added) {
      faults.set(route, [...(faults.get(route) ?? []), ...added]);
    },
    failNextJob(failure = {}) {
      failures.push(failure);
    },
    setFineTuningAvailable(value) {
      available = value;
    },
    requests,
    files: () => [...files.values()].map(publicFile),
    jobs: () => [...jobs.values()].map(publicJob),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Each user message with the assistant message right after it. */
function parsePairs(
  messages: readonly { role?: unknown; content?: unknown }[],
): { prompt: string; reply: string }[] {
  const pairs: { prompt: string; reply: string }[] = [];
  for (const [index, message] of messages.entries()) {
    const next = messages[index + 1];
    if (
      message.role === 'user' &&
      next?.role === 'assistant' &&
      typeof message.content === 'string' &&
      typeof next.content === 'string'
    ) {
      pairs.push({ prompt: message.content, reply: next.content });
    }
  }
  return pairs;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/**
 * The example whose prompt is most like `prompt`: the same text first, else the most words in
 * common relative to all words (the later example among equals); none when no word is shared.
 */
function closestExample(
  examples: readonly { prompt: string; reply: string }[],
  prompt: string,
): { prompt: string; reply: string } | undefined {
  const exact = examples.findLast((example) => example.prompt === prompt);
  if (exact !== undefined) return exact;
  const wanted = words(prompt);
  let best: { prompt: string; reply: string } | undefined;
  let bestScore = 0;
  for (const example of examples) {
    const have = words(example.prompt);
    const shared = [...have].filter((word) => wanted.has(word)).length;
    const score = shared / (have.size + wanted.size - shared || 1);
    if (score > 0 && score >= bestScore) {
      best = example;
      bestScore = score;
    }
  }
  return best;
}

/** The user turns and the assistant replies that follow them, for answering chat completions. */
function parseExamples(content: Buffer): { prompt: string; reply: string }[] {
  const examples: { prompt: string; reply: string }[] = [];
  for (const line of content.toString('utf8').split('\n')) {
    if (line.trim() === '' || !isJsonObject(line)) continue;
    const value = JSON.parse(line) as {
      messages?: unknown;
      input?: { messages?: unknown };
      preferred_output?: unknown;
    };
    const messages = Array.isArray(value.messages)
      ? value.messages
      : Array.isArray(value.input?.messages) && Array.isArray(value.preferred_output)
        ? [...value.input.messages, ...value.preferred_output]
        : [];
    for (const [index, message] of (
      messages as { role?: unknown; content?: unknown }[]
    ).entries()) {
      const next = messages[index + 1] as { role?: unknown; content?: unknown } | undefined;
      if (
        message?.role === 'user' &&
        next?.role === 'assistant' &&
        typeof message.content === 'string' &&
        typeof next.content === 'string'
      ) {
        examples.push({ prompt: message.content, reply: next.content });
      }
    }
  }
  return examples;
}
