import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { MissingConfigError, readLines, ValidationError } from '@alterego/core';
import {
  DEFAULT_MODEL,
  defaultEpochs,
  findModel,
  type FineTuneModel,
  type TrainingFileFormat,
  type TrainingFileProblem,
  validateTrainingLines,
} from '@alterego/dataset';
import OpenAI, { toFile } from 'openai';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { hashFile, startKey } from './hash.js';
import type { JobLedger } from './ledger.js';
import { checkSuffix } from './models.js';
import {
  type Checkpoint,
  type DataCheck,
  type DataFileSummary,
  type DataIssue,
  type Estimate,
  FINAL_STATES,
  type FineTuneProviderV1,
  type FollowEvent,
  type FollowOptions,
  type JobEvent,
  type JobState,
  type JobStatus,
  type ModelReference,
  type StartOptions,
  type TrainingData,
  type TrainingMetrics,
} from './provider.js';
import { ProviderError, type ProviderErrorKind } from './provider-error.js';
import { parseResultMetrics } from './result-metrics.js';
import { type RetryOptions, retryAfterMs, sleep as defaultSleep, withRetry } from './retry.js';

/** The metadata key that carries a run's idempotency key, so a lost job can be found again. */
export const IDEMPOTENCY_METADATA_KEY = 'alterego_key';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Files API limit per file. */
const FILES_API_LIMIT = 512 * 1024 ** 2;
/** Uploads API limit per upload. */
const UPLOADS_API_LIMIT = 8 * 1024 ** 3;

export interface OpenAIProviderOptions {
  /** Default: `OPENAI_API_KEY` is not read here; the caller passes the key. */
  apiKey?: string;
  /** Default `https://api.openai.com/v1`; any OpenAI-compatible fine-tuning API. */
  baseURL?: string;
  organization?: string;
  project?: string;
  /**
   * Azure OpenAI: the `api-version` query parameter to send (e.g. `2025-04-01-preview`). The key
   * then also goes in the `api-key` header, as Azure expects; `baseURL` is
   * `https://<resource>.openai.azure.com/openai`.
   */
  azureApiVersion?: string;
  /** A fetch implementation, e.g. to go through a proxy or to record requests. */
  fetch?: typeof globalThis.fetch;
  /** Retries on 429, 5xx and dropped connections (default 4). */
  maxRetries?: number;
  /** Backoff settings; `sleep` also paces `events` polling. */
  retry?: Omit<RetryOptions, 'maxRetries'>;
  /** Where uploads and jobs are recorded, so that nothing is sent or started twice. */
  ledger?: JobLedger;
  /** Files larger than this go through the Uploads API in parts (default 64 MiB). */
  uploadThresholdBytes?: number;
  /** Size of each part for the Uploads API (default 64 MiB, the service's maximum). */
  partSizeBytes?: number;
  /** How often `events` asks for news while following (default 10 s). */
  pollIntervalMs?: number;
  /** Request timeout in ms (default 10 minutes). */
  timeoutMs?: number;
  /** Provider id in the ledger and messages (default `openai`, or `azure-openai`). */
  id?: string;
}

/** The OpenAI provider, with what only it offers beside the common interface. */
export interface OpenAIFineTuneProvider extends FineTuneProviderV1 {
  readonly client: OpenAI;
  /** Uploads a file unless the same content is already there; returns its file id. */
  upload(
    path: string,
    options?: { signal?: AbortSignal },
  ): Promise<{ fileId: string; reused: boolean }>;
  /** The job started with an idempotency key, when there is one (looked up by its metadata). */
  findJobByKey(key: string, options?: { signal?: AbortSignal }): Promise<JobStatus | undefined>;
  /** The idempotency key of this data and these options (before any restart after a failure). */
  idempotencyKey(data: TrainingData, options: StartOptions): Promise<string>;
  /**
   * The job `start` would return without creating one: a job for this data and these options
   * that has not failed or been cancelled. Undefined when `start` would create a job.
   */
  existingJob(data: TrainingData, options: StartOptions): Promise<JobStatus | undefined>;
}

const HINT_LOCAL =
  'train locally instead, or use the few-shot persona (alterego chat --backend fewshot), which needs no fine-tuning';

/**
 * Fine-tuning on OpenAI (or Azure OpenAI, or any compatible endpoint) through the official SDK.
 * Uploads each file at most once (by content hash), creates each job at most once (by an
 * idempotency key stored in the ledger and in the job's metadata), retries rate limits, server
 * errors and dropped connections with backoff, and turns every API error into one line.
 */
export function createOpenAIProvider(options: OpenAIProviderOptions = {}): OpenAIFineTuneProvider {
  const apiKey = options.apiKey;
  if (apiKey === undefined || apiKey === '') {
    throw new MissingConfigError({
      setting: 'apiKey',
      environmentVariable: 'OPENAI_API_KEY',
    });
  }
  const baseURL = (options.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const id = options.id ?? (options.azureApiVersion ? 'azure-openai' : 'openai');
  const endpoint = baseURL;
  const ledger = options.ledger;
  const threshold = options.uploadThresholdBytes ?? 64 * 1024 ** 2;
  const partSize = Math.min(options.partSizeBytes ?? 64 * 1024 ** 2, 64 * 1024 ** 2);
  const pollInterval = options.pollIntervalMs ?? 10_000;
  const wait = options.retry?.sleep ?? defaultSleep;
  const client = new OpenAI({
    apiKey,
    baseURL,
    organization: options.organization ?? null,
    project: options.project ?? null,
    // Retries are ours: they see lost answers and look for what the lost call did.
    maxRetries: 0,
    timeout: options.timeoutMs,
    fetch: options.fetch,
    ...(options.azureApiVersion
      ? {
          defaultQuery: { 'api-version': options.azureApiVersion },
          defaultHeaders: { 'api-key': apiKey },
        }
      : {}),
  });
  const host = hostOf(baseURL);

  const toError = (error: unknown) => mapError(error, { provider: id, host });
  function retrying<T>(
    attempt: () => Promise<T>,
    signal: AbortSignal | undefined,
    beforeRetry?: () => Promise<T | undefined>,
  ): Promise<T> {
    return withRetry(attempt, toError, {
      ...options.retry,
      maxRetries: options.maxRetries,
      signal,
      beforeRetry,
    }).catch((error: unknown) => {
      throw signal?.aborted ? abortReason(signal) : error;
    });
  }

  async function findRemoteFile(
    filename: string,
    bytes: number,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    let after: string | undefined;
    for (let pages = 0; pages < 50; pages += 1) {
      const page = await client.files.list(
        { purpose: 'fine-tune', limit: 100, ...(after ? { after } : {}) },
        { signal },
      );
      const found = page.data.find((file) => file.filename === filename && file.bytes === bytes);
      if (found) return found.id;
      if (!page.has_more || page.data.length === 0) return undefined;
      after = page.data.at(-1)!.id;
    }
    return undefined;
  }

  async function uploadParts(
    path: string,
    filename: string,
    bytes: number,
    signal?: AbortSignal,
  ): Promise<string> {
    const upload = await retrying(
      () =>
        client.uploads.create(
          { bytes, filename, mime_type: 'application/jsonl', purpose: 'fine-tune' },
          { signal },
        ),
      signal,
    );
    const handle = await open(path, 'r');
    const md5 = createHash('md5');
    const partIds: string[] = [];
    try {
      for (let offset = 0; offset < bytes; offset += partSize) {
        const length = Math.min(partSize, bytes - offset);
        const chunk = Buffer.alloc(length);
        await handle.read(chunk, 0, length, offset);
        md5.update(chunk);
        const part = await retrying(
          async () =>
            client.uploads.parts.create(
              upload.id,
              { data: await toFile(chunk, `part-${partIds.length + 1}`) },
              { signal },
            ),
          signal,
        );
        partIds.push(part.id);
      }
    } finally {
      await handle.close();
    }
    const digest = md5.digest('hex');
    const done = await retrying(
      () => client.uploads.complete(upload.id, { part_ids: partIds, md5: digest }, { signal }),
      signal,
    );
    if (!done.file) {
      throw new ProviderError(`${host}: the upload of ${filename} completed without a file`, {
        provider: id,
        kind: 'server',
      });
    }
    return done.file.id;
  }

  async function upload(
    path: string,
    uploadOptions: { signal?: AbortSignal } = {},
  ): Promise<{ fileId: string; reused: boolean }> {
    const { signal } = uploadOptions;
    const { sha256, bytes } = await hashFile(path);
    if (bytes > UPLOADS_API_LIMIT) {
      throw new ValidationError(`${path}: ${bytes} bytes; uploads can be at most 8 GB`);
    }
    // The content hash is in the name, so the file can be found again if an answer is lost.
    const filename = `alterego-${sha256.slice(0, 16)}-${basename(path)}`;
    const known = ledger?.findUpload(endpoint, sha256, 'fine-tune');
    if (known?.fileId) {
      const stillThere = await retrying(
        () =>
          client.files.retrieve(known.fileId!, { signal }).then(
            (file) => file.bytes === bytes,
            (error: unknown) => {
              if (error instanceof OpenAI.NotFoundError) return false;
              throw error;
            },
          ),
        signal,
      );
      if (stillThere) return { fileId: known.fileId, reused: true };
      ledger?.forgetUpload(endpoint, sha256, 'fine-tune');
    }
    // An upload that was started but not recorded as finished may have reached the service.
    if (known === undefined || known.fileId === undefined) {
      const found = await retrying(() => findRemoteFile(filename, bytes, signal), signal);
      if (found !== undefined) {
        ledger?.beginUpload({ endpoint, sha256, purpose: 'fine-tune', bytes, filename });
        ledger?.completeUpload(endpoint, sha256, 'fine-tune', found);
        return { fileId: found, reused: true };
      }
    }
    ledger?.beginUpload({ endpoint, sha256, purpose: 'fine-tune', bytes, filename });
    const fileId =
      bytes > threshold
        ? await uploadParts(path, filename, bytes, signal)
        : await retrying(
            async () =>
              (
                await client.files.create(
                  { file: await toFile(await readFile(path), filename), purpose: 'fine-tune' },
                  { signal },
                )
              ).id,
            signal,
            () => findRemoteFile(filename, bytes, signal),
          );
    ledger?.completeUpload(endpoint, sha256, 'fine-tune', fileId);
    return { fileId, reused: false };
  }

  function toStatus(job: FineTuningJob): JobStatus {
    const status: JobStatus = {
      id: job.id,
      provider: id,
      state: job.status as JobState,
      model: job.model,
      createdAt: new Date(job.created_at * 1000),
      trainingFile: job.training_file,
      metadata: { ...(job.metadata ?? {}) },
    };
    if (job.finished_at) status.finishedAt = new Date(job.finished_at * 1000);
    if (job.estimated_finish) status.estimatedFinish = new Date(job.estimated_finish * 1000);
    if (job.trained_tokens != null) status.trainedTokens = job.trained_tokens;
    if (job.validation_file) status.validationFile = job.validation_file;
    if (job.error?.message) {
      status.error = `${job.error.message}${job.error.code ? ` [${job.error.code}]` : ''}`;
    }
    if (job.fine_tuned_model) {
      status.result = { model: job.fine_tuned_model, baseURL, api: 'openai-chat' };
    }
    return status;
  }

  function remember(status: JobStatus): JobStatus {
    ledger?.updateJob(status.id, {
      state: status.state,
      resultModel: status.result?.model ?? null,
      error: status.error ?? null,
    });
    return status;
  }

  async function findJobByKey(
    key: string,
    findOptions: { signal?: AbortSignal } = {},
  ): Promise<JobStatus | undefined> {
    const { signal } = findOptions;
    const lookup = async () => {
      let after: string | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await client.fineTuning.jobs.list(
          {
            metadata: { [IDEMPOTENCY_METADATA_KEY]: key },
            limit: 100,
            ...(after ? { after } : {}),
          },
          { signal },
        );
        // Endpoints that ignore the metadata filter answer with every job: check each one.
        const found = page.data.find((job) => job.metadata?.[IDEMPOTENCY_METADATA_KEY] === key);
        if (found) return toStatus(found);
        if (!page.has_more || page.data.length === 0) return undefined;
        after = page.data.at(-1)!.id;
      }
      return undefined;
    };
    return retrying(lookup, signal);
  }

  const keyFor = (data: TrainingData, startOptions: StartOptions) =>
    startKey(endpoint, data, startOptions, {
      method: startOptions.method ?? (data.format === 'preference' ? 'dpo' : 'supervised'),
    });

  function checkStartOptions(startOptions: StartOptions): void {
    if (startOptions.suffix !== undefined) {
      const problem = checkSuffix(startOptions.suffix);
      if (problem)
        throw new ValidationError(`suffix ${JSON.stringify(startOptions.suffix)}: ${problem}`);
    }
    const metadata = Object.entries(startOptions.metadata ?? {});
    if (metadata.length > 15) {
      throw new ValidationError(
        `metadata: ${metadata.length} pairs; at most 15 are allowed (one more is used to find the job again)`,
      );
    }
    for (const [key, value] of metadata) {
      if (key.length > 64 || value.length > 512) {
        throw new ValidationError(
          `metadata "${key.slice(0, 20)}…": keys can have at most 64 characters and values 512`,
        );
      }
    }
    if (startOptions.seed !== undefined && !Number.isInteger(startOptions.seed)) {
      throw new ValidationError(`seed ${startOptions.seed}: expected an integer`);
    }
  }

  function methodFor(data: TrainingData, startOptions: StartOptions) {
    const type = startOptions.method ?? (data.format === 'preference' ? 'dpo' : 'supervised');
    const given = startOptions.hyperparameters ?? {};
    const hyperparameters = {
      ...(given.epochs !== undefined ? { n_epochs: given.epochs } : {}),
      ...(given.batchSize !== undefined ? { batch_size: given.batchSize } : {}),
      ...(given.learningRateMultiplier !== undefined
        ? { learning_rate_multiplier: given.learningRateMultiplier }
        : {}),
    };
    return type === 'dpo'
      ? {
          type: 'dpo' as const,
          dpo: {
            hyperparameters: {
              ...hyperparameters,
              ...(given.beta !== undefined ? { beta: given.beta } : {}),
            },
          },
        }
      : { type: 'supervised' as const, supervised: { hyperparameters } };
  }

  /**
   * Checks one file with the hosted service's rules (@alterego/dataset's validator, the same as
   * `alterego validate`), streaming it line by line, plus the limits of sending it.
   */
  async function summarise(
    file: string,
    format: TrainingFileFormat | undefined,
    model: FineTuneModel | undefined,
    minExamples: number,
  ): Promise<{ summary: DataFileSummary; issues: DataIssue[]; format: TrainingFileFormat }> {
    const info = await stat(file).catch((error: unknown) => {
      throw new ValidationError(
        `${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`,
        {
          cause: error,
        },
      );
    });
    // An unknown model is checked with the default model's rules, without its context limit.
    const report = await validateTrainingLines(readLines(createReadStream(file)), {
      file,
      model: model?.id ?? DEFAULT_MODEL,
      format,
      minExamples,
    });
    const issue = (problem: TrainingFileProblem, severity: DataIssue['severity']): DataIssue => ({
      file,
      ...(problem.line === undefined ? {} : { line: problem.line }),
      ruleId: `openai:${problem.code.replaceAll('_', '-')}`,
      reason: problem.message,
      severity,
    });
    const issues = [
      ...report.errors.map((problem) => issue(problem, 'error')),
      ...report.warnings
        .filter((problem) => model !== undefined || problem.code !== 'example_too_long')
        .map((problem) => issue(problem, 'warning')),
    ];
    if (info.size > UPLOADS_API_LIMIT) {
      issues.push({
        file,
        ruleId: 'openai:file-too-large',
        reason: `${info.size} bytes; uploads can be at most 8 GB`,
        severity: 'error',
      });
    } else if (info.size > FILES_API_LIMIT) {
      issues.push({
        file,
        ruleId: 'openai:large-file',
        reason: 'over 512 MB: it will be sent in parts through the Uploads API',
        severity: 'warning',
      });
    }
    const tokens = report.stats.tokensPerExample;
    return {
      summary: {
        file,
        bytes: info.size,
        examples: tokens.count,
        // Billed tokens: each example up to the model's training context.
        tokens: model ? report.cost.estimate.billedTokensPerEpoch : tokens.total,
      },
      issues,
      format: report.format,
    };
  }

  /**
   * The run these data and options belong to: the key to create it with, and the job already
   * created for it, if any (recorded in the ledger, or found remotely by its key after an
   * interrupted create). A run whose job failed or was cancelled gets a fresh key, so that
   * starting again trains again.
   */
  async function findRun(
    data: TrainingData,
    startOptions: StartOptions,
  ): Promise<{ key: string; existing?: JobStatus }> {
    const { signal } = startOptions;
    const baseKey = await keyFor(data, startOptions);
    for (let attempt = 1; ; attempt += 1) {
      const key = attempt === 1 ? baseKey : `${baseKey}-${attempt}`;
      const recorded = ledger?.findJob(endpoint, key);
      let existing: JobStatus | undefined;
      if (recorded?.jobId) {
        existing = await provider.status(recorded.jobId, { signal });
      } else {
        existing = await findJobByKey(key, { signal });
        if (existing) {
          ledger?.beginJob({
            endpoint,
            provider: id,
            idempotencyKey: key,
            model: startOptions.model,
          });
          ledger?.completeJob(endpoint, key, existing.id, existing.state);
          remember(existing);
        }
      }
      if (existing === undefined) return { key };
      if (existing.state !== 'failed' && existing.state !== 'cancelled') return { key, existing };
    }
  }

  const provider: OpenAIFineTuneProvider = {
    specificationVersion: 'v1',
    id,
    displayName: `${options.azureApiVersion ? 'Azure OpenAI' : 'OpenAI'} fine-tuning (${host})`,
    endpoint,
    client,
    upload,
    findJobByKey,
    idempotencyKey: keyFor,

    async checkData(data, checkOptions) {
      const model = findModel(checkOptions.model);
      const train = await summarise(data.trainFile, data.format, model, 10);
      const issues = [...train.issues];
      let validation: DataFileSummary | undefined;
      if (data.validationFile) {
        const checked = await summarise(data.validationFile, train.format, model, 1);
        validation = checked.summary;
        // The model's lack of DPO is reported once, for the training file.
        issues.push(
          ...checked.issues.filter((issue) => issue.ruleId !== 'openai:dpo-not-supported'),
        );
      }
      if (model === undefined) {
        issues.push({
          file: data.trainFile,
          ruleId: 'openai:unknown-model',
          reason: `${checkOptions.model} is not in the list of known fine-tunable models; the service decides whether it accepts it, and the cost is unknown`,
          severity: 'warning',
        });
      }
      return {
        ok: issues.every((issue) => issue.severity !== 'error'),
        format: train.format,
        train: train.summary,
        ...(validation ? { validation } : {}),
        issues,
      };
    },

    estimate(check: DataCheck, startOptions: StartOptions): Estimate {
      const model = findModel(startOptions.model);
      const epochs = startOptions.hyperparameters?.epochs ?? defaultEpochs(check.train.examples);
      const trainedTokens = check.train.tokens * epochs;
      const estimate: Estimate = {
        model: startOptions.model,
        epochs,
        trainedTokens,
        // Queueing plus training at very roughly 5,000 tokens a second: an order of magnitude.
        durationSeconds: Math.round(600 + trainedTokens / 5000),
      };
      if (model && !options.azureApiVersion && baseURL === DEFAULT_BASE_URL) {
        estimate.costUsd =
          Math.round((trainedTokens / 1e6) * model.trainingUsdPerMillion * 100) / 100;
        estimate.priceSource = `OpenAI list price, $${model.trainingUsdPerMillion} per 1M training tokens`;
      } else if (model) {
        estimate.costUsd =
          Math.round((trainedTokens / 1e6) * model.trainingUsdPerMillion * 100) / 100;
        estimate.priceSource = `OpenAI list price for ${model.id}; ${host} may bill differently`;
      }
      return estimate;
    },

    async existingJob(data, startOptions) {
      return (await findRun(data, startOptions)).existing;
    },

    async start(data, startOptions) {
      checkStartOptions(startOptions);
      const { signal } = startOptions;
      const { key, existing } = await findRun(data, startOptions);
      if (existing) return existing;
      const training = await upload(data.trainFile, { signal });
      const validation = data.validationFile
        ? await upload(data.validationFile, { signal })
        : undefined;
      ledger?.beginJob({
        endpoint,
        provider: id,
        idempotencyKey: key,
        manifestHash: startOptions.metadata?.manifest,
        model: startOptions.model,
      });
      const job = await retrying(
        async () =>
          toStatus(
            await client.fineTuning.jobs.create(
              {
                model: startOptions.model,
                training_file: training.fileId,
                ...(validation ? { validation_file: validation.fileId } : {}),
                ...(startOptions.suffix !== undefined ? { suffix: startOptions.suffix } : {}),
                ...(startOptions.seed !== undefined ? { seed: startOptions.seed } : {}),
                metadata: { ...startOptions.metadata, [IDEMPOTENCY_METADATA_KEY]: key },
                method: methodFor(data, startOptions),
              },
              { signal },
            ),
          ),
        signal,
        () => findJobByKey(key, { signal }),
      );
      ledger?.completeJob(endpoint, key, job.id, job.state);
      return remember(job);
    },

    async status(jobId, statusOptions = {}) {
      const { signal } = statusOptions;
      return remember(
        toStatus(await retrying(() => client.fineTuning.jobs.retrieve(jobId, { signal }), signal)),
      );
    },

    events(jobId, followOptions: FollowOptions = {}): AsyncIterable<FollowEvent> {
      const { signal } = followOptions;
      const follow = followOptions.follow ?? true;
      return {
        async *[Symbol.asyncIterator]() {
          let lastId = followOptions.after ?? ledger?.jobById(jobId, endpoint)?.lastEventId;
          let lastState: JobState | undefined;
          for (;;) {
            const status = await provider.status(jobId, { signal });
            const fresh = await retrying(async () => {
              const found: JobEvent[] = [];
              let after: string | undefined;
              // Newest first: read until the last event already seen.
              for (;;) {
                const page = await client.fineTuning.jobs.listEvents(
                  jobId,
                  { limit: 100, ...(after ? { after } : {}) },
                  { signal },
                );
                let reachedSeen = false;
                for (const event of page.data) {
                  if (event.id === lastId) {
                    reachedSeen = true;
                    break;
                  }
                  found.push(toEvent(event));
                }
                if (reachedSeen || !page.has_more || page.data.length === 0) break;
                after = page.data.at(-1)!.id;
              }
              return found.reverse();
            }, signal);
            for (const event of fresh) {
              if (signal?.aborted) throw abortReason(signal);
              yield { type: 'event', event };
              lastId = event.id;
              ledger?.setLastEvent(jobId, event.id);
            }
            if (status.state !== lastState) {
              lastState = status.state;
              yield { type: 'status', status };
            }
            if (!follow || FINAL_STATES.has(status.state)) return;
            await wait(pollInterval, signal).catch((error: unknown) => {
              throw signal?.aborted ? abortReason(signal) : error;
            });
          }
        },
      };
    },

    async checkpoints(jobId, checkpointOptions = {}) {
      const { signal } = checkpointOptions;
      return retrying(async () => {
        const checkpoints: Checkpoint[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await client.fineTuning.jobs.checkpoints.list(
            jobId,
            { limit: 100, ...(after ? { after } : {}) },
            { signal },
          );
          for (const checkpoint of page.data) {
            checkpoints.push({
              id: checkpoint.id,
              step: checkpoint.step_number,
              model: checkpoint.fine_tuned_model_checkpoint,
              createdAt: new Date(checkpoint.created_at * 1000),
              metrics: {
                step: checkpoint.metrics.step ?? checkpoint.step_number,
                ...(checkpoint.metrics.train_loss != null
                  ? { trainLoss: checkpoint.metrics.train_loss }
                  : {}),
                ...(checkpoint.metrics.train_mean_token_accuracy != null
                  ? { trainAccuracy: checkpoint.metrics.train_mean_token_accuracy }
                  : {}),
                ...(checkpoint.metrics.valid_loss != null
                  ? { validLoss: checkpoint.metrics.valid_loss }
                  : {}),
                ...(checkpoint.metrics.valid_mean_token_accuracy != null
                  ? { validAccuracy: checkpoint.metrics.valid_mean_token_accuracy }
                  : {}),
              },
            });
          }
          if (!page.has_more || page.data.length === 0) break;
          after = page.data.at(-1)!.id;
        }
        return checkpoints.sort((a, b) => a.step - b.step);
      }, signal);
    },

    async metrics(jobId, metricsOptions = {}): Promise<TrainingMetrics[]> {
      const { signal } = metricsOptions;
      const job = await retrying(() => client.fineTuning.jobs.retrieve(jobId, { signal }), signal);
      const fileId = job.result_files[0];
      if (fileId === undefined) return [];
      const text = await retrying(
        async () => (await client.files.content(fileId, { signal })).text(),
        signal,
      );
      // The service sends the CSV base64-encoded; compatible endpoints may send it as is.
      return parseResultMetrics(decodeMaybeBase64(text));
    },

    async cancel(jobId, cancelOptions = {}) {
      const { signal } = cancelOptions;
      return remember(
        toStatus(await retrying(() => client.fineTuning.jobs.cancel(jobId, { signal }), signal)),
      );
    },

    async list(listOptions = {}) {
      const { signal } = listOptions;
      const page = await retrying(
        () => client.fineTuning.jobs.list({ limit: listOptions.limit ?? 20 }, { signal }),
        signal,
      );
      return page.data.map(toStatus);
    },

    modelReference(status: JobStatus): ModelReference | undefined {
      return status.result;
    },
  };
  return provider;
}

function toEvent(event: OpenAI.FineTuning.Jobs.FineTuningJobEvent): JobEvent {
  const result: JobEvent = {
    id: event.id,
    createdAt: new Date(event.created_at * 1000),
    level: event.level,
    message: event.message,
    type: event.type ?? 'message',
  };
  const data = (event.data ?? {}) as Record<string, unknown>;
  if (typeof data.step === 'number') {
    const number = (key: string) =>
      typeof data[key] === 'number' ? (data[key] as number) : undefined;
    result.metrics = {
      step: data.step,
      ...(number('total_steps') !== undefined ? { totalSteps: number('total_steps') } : {}),
      ...(number('train_loss') !== undefined ? { trainLoss: number('train_loss') } : {}),
      ...(number('train_mean_token_accuracy') !== undefined
        ? { trainAccuracy: number('train_mean_token_accuracy') }
        : {}),
      ...(number('valid_loss') !== undefined ? { validLoss: number('valid_loss') } : {}),
      ...(number('valid_mean_token_accuracy') !== undefined
        ? { validAccuracy: number('valid_mean_token_accuracy') }
        : {}),
    };
  }
  return result;
}

function decodeMaybeBase64(text: string): string {
  const trimmed = text.trim();
  if (trimmed.includes(',') || !/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) return text;
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  return decoded.includes(',') ? decoded : text;
}

function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

const UNAVAILABLE =
  /fine[- ]?tun\w*[^.]*\b(not available|unavailable|no longer|not enabled|disabled|winding down|not allowed|not permitted)|winding down the fine-tuning/i;

/** Turns anything the SDK throws into a one-line ProviderError that says what to do. */
export function mapError(
  error: unknown,
  context: { provider: string; host: string },
): { error: ProviderError; retryAfterMs?: number } {
  const { provider, host } = context;
  if (ProviderError.isInstance(error)) return { error };
  if (error instanceof OpenAI.APIUserAbortError) {
    return {
      error: new ProviderError('interrupted', { provider, kind: 'connection', cause: error }),
    };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    return {
      error: new ProviderError(
        `cannot reach ${host} (${reason}); check the network connection and the base URL`,
        { provider, kind: 'connection', retryable: true, cause: error },
      ),
    };
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = error.status;
    const body = (error.error ?? {}) as { message?: unknown; code?: unknown };
    const remote = typeof body.message === 'string' ? body.message : error.message;
    const code = typeof body.code === 'string' ? body.code : undefined;
    const said = `${host} answered ${status}${code ? ` ${code}` : ''}: ${remote.replace(/\s+/g, ' ').trim()}`;
    const make = (kind: ProviderErrorKind, advice: string, retryable = false) =>
      new ProviderError(`${said} — ${advice}`, {
        provider,
        kind,
        status,
        code,
        retryable,
        cause: error,
      });
    if (
      code === 'fine_tuning_unavailable' ||
      ((status === 403 || status === 404) && UNAVAILABLE.test(remote))
    ) {
      return {
        error: new ProviderError(
          `this account can no longer create OpenAI fine-tuning jobs (${host} answered ${status}: OpenAI is winding the platform down, and no new training jobs are accepted after 2027-01-06); ${HINT_LOCAL}`,
          { provider, kind: 'unavailable', status, code, cause: error },
        ),
      };
    }
    const asked = retryAfterMs(error.headers);
    const withDelay = (made: ProviderError) =>
      asked === undefined ? { error: made } : { error: made, retryAfterMs: asked };
    if (status === 401) return { error: make('auth', 'check the API key (OPENAI_API_KEY)') };
    if (status === 403) {
      return {
        error: make(
          'permission',
          'this key or project may not use fine-tuning; check its permissions',
        ),
      };
    }
    if (status === 404) return { error: make('not-found', 'check the id and the base URL') };
    if (status === 429) {
      if (code === 'insufficient_quota') {
        return { error: make('rate-limit', 'the account is out of credit; check billing') };
      }
      return withDelay(make('rate-limit', 'rate limited; try again in a minute', true));
    }
    if (status === 408 || status === 409 || status >= 500) {
      return withDelay(make('server', 'the service had a problem; try again later', true));
    }
    return { error: make('invalid-request', 'fix the request and try again') };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    error: new ProviderError(`${host}: ${message}`, { provider, kind: 'server', cause: error }),
  };
}
