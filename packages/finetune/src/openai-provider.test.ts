import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MissingConfigError, ValidationError } from '@alterego/core';
import { countExampleTokens } from '@alterego/dataset';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chatExample,
  jsonl,
  preferenceExample,
  useTempDirs,
  writeDataset,
} from './__fixtures__/data.js';
import { type OpenAIEmulator, startOpenAIEmulator } from './emulator/index.js';
import { type JobLedger, openLedger } from './ledger.js';
import {
  createOpenAIProvider,
  IDEMPOTENCY_METADATA_KEY,
  mapError,
  type OpenAIProviderOptions,
} from './openai-provider.js';
import type { FollowEvent } from './provider.js';
import { ProviderError } from './provider-error.js';

const tempDir = useTempDirs();
let emulator: OpenAIEmulator;
let ledger: JobLedger;
let ledgerPath: string;
let delays: number[];

beforeEach(async () => {
  emulator = await startOpenAIEmulator();
  ledgerPath = join(await tempDir(), 'finetune.sqlite');
  ledger = openLedger(ledgerPath);
  delays = [];
});
afterEach(async () => {
  ledger.close();
  await emulator.close();
});

/** A provider on the emulator whose waits move the emulated clock instead of sleeping. */
function provider(options: Partial<OpenAIProviderOptions> = {}) {
  return createOpenAIProvider({
    apiKey: 'sk-test',
    baseURL: emulator.baseURL,
    ledger,
    pollIntervalMs: 20_000,
    retry: {
      random: () => 1,
      sleep: async (ms) => {
        delays.push(ms);
        emulator.advance(ms / 1000);
      },
    },
    ...options,
  });
}

const MODEL = 'gpt-4o-mini-2024-07-18';
const posts = (route: string) =>
  emulator.requests.filter((request) => request.route === route).length;

async function collect(events: AsyncIterable<FollowEvent>): Promise<FollowEvent[]> {
  const all: FollowEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('createOpenAIProvider', () => {
  it('needs an API key, and says where to put it', () => {
    expect(() => createOpenAIProvider({})).toThrow(MissingConfigError);
    expect(() => createOpenAIProvider({})).toThrow(
      'apiKey is missing. Set OPENAI_API_KEY, or add "apiKey" to alterego.config.json.',
    );
  });

  it('implements the v1 provider specification', () => {
    const openai = provider();
    expect(openai.specificationVersion).toBe('v1');
    expect(openai.id).toBe('openai');
    expect(openai.displayName).toBe(`OpenAI fine-tuning (${new URL(emulator.baseURL).host})`);
    expect(openai.endpoint).toBe(emulator.baseURL);
  });
});

describe('the whole flow against the emulator', () => {
  it('checks, estimates, starts, follows to the end and reads checkpoints, metrics and the model', async () => {
    const data = await writeDataset(await tempDir(), { train: 12, valid: 3 });
    const openai = provider();
    const check = await openai.checkData(data, { model: MODEL });
    expect(check).toMatchObject({
      ok: true,
      format: 'chat',
      train: { examples: 12 },
      validation: { examples: 3 },
    });
    const estimate = openai.estimate(check, { model: MODEL });
    expect(estimate).toMatchObject({ epochs: 8, trainedTokens: check.train.tokens * 8 });
    expect(estimate.costUsd).toBeCloseTo((check.train.tokens * 8 * 3) / 1e6, 2);

    const started = await openai.start(data, {
      model: MODEL,
      suffix: 'sam',
      seed: 7,
      metadata: { manifest: 'abc' },
    });
    expect(started.state).toBe('validating_files');
    const [remote] = emulator.jobs();
    expect(remote).toMatchObject({
      seed: 7,
      user_provided_suffix: 'sam',
      method: { type: 'supervised' },
      metadata: { manifest: 'abc', [IDEMPOTENCY_METADATA_KEY]: expect.any(String) },
    });
    expect(remote!.validation_file).toEqual(expect.stringMatching(/^file-/));
    expect(ledger.jobById(started.id)).toMatchObject({ manifestHash: 'abc', model: MODEL });

    const events = await collect(openai.events(started.id));
    const statuses = events.flatMap((event) =>
      event.type === 'status' ? [event.status.state] : [],
    );
    expect(statuses).toEqual(['validating_files', 'running', 'succeeded']);
    const messages = events.flatMap((event) => (event.type === 'event' ? [event.event] : []));
    expect(messages[0]!.message).toMatch(/^Validating training file/);
    expect(messages.at(-1)!.message).toBe('The job has successfully completed');
    expect(new Set(messages.map((event) => event.id)).size).toBe(messages.length);
    const metrics = messages.find((event) => event.type === 'metrics')!.metrics;
    expect(metrics).toMatchObject({ step: 1, totalSteps: 96, trainLoss: expect.any(Number) });
    // Polling waited on the injected clock, not on real time.
    expect(delays.every((delay) => delay === 20_000)).toBe(true);

    const final = await openai.status(started.id);
    expect(openai.modelReference(final)).toEqual({
      model: final.result!.model,
      baseURL: emulator.baseURL,
      api: 'openai-chat',
    });
    expect(ledger.jobById(started.id)).toMatchObject({
      state: 'succeeded',
      resultModel: final.result!.model,
      lastEventId: messages.at(-1)!.id,
    });

    const checkpoints = await openai.checkpoints(started.id);
    expect(checkpoints.map((checkpoint) => checkpoint.step)).toEqual([12, 24, 36, 48, 60, 72, 84]);
    expect(checkpoints[0]!.metrics).toMatchObject({ step: 12, trainLoss: expect.any(Number) });

    const rows = await openai.metrics(started.id);
    expect(rows).toHaveLength(96);
    expect(rows.at(-1)).toMatchObject({
      step: 96,
      trainLoss: expect.any(Number),
      validLoss: expect.any(Number),
    });
    expect(rows[0]!.validLoss).toBeUndefined();

    // The model answers through the same API.
    const chat = await openai.client.chat.completions.create({
      model: final.result!.model,
      messages: [{ role: 'user', content: 'are you coming tonight? (2)' }],
    });
    expect(chat.choices[0]!.message.content).toBe('yes!! see you at 8 (2)');

    expect((await openai.list()).map((job) => job.id)).toEqual([started.id]);
  });

  it('starts DPO for preference pairs, with beta', async () => {
    const dir = await tempDir();
    const trainFile = join(dir, 'pairs.jsonl');
    await writeFile(
      trainFile,
      jsonl(Array.from({ length: 10 }, (_, index) => preferenceExample(index))),
    );
    const openai = provider();
    const check = await openai.checkData({ trainFile }, { model: MODEL });
    expect(check.format).toBe('preference');
    await openai.start(
      { trainFile, format: 'preference' },
      { model: MODEL, hyperparameters: { beta: 0.2, epochs: 2 } },
    );
    expect(emulator.jobs()[0]!.method).toEqual({
      type: 'dpo',
      dpo: {
        hyperparameters: { n_epochs: 2, batch_size: 1, learning_rate_multiplier: 1.8, beta: 0.2 },
      },
    });
  });

  it('never uploads a file twice nor creates a job twice for the same data and options', async () => {
    const data = await writeDataset(await tempDir(), { train: 12, valid: 3 });
    const first = await provider().start(data, { model: MODEL });
    const second = await provider().start(data, { model: MODEL });
    expect(second.id).toBe(first.id);
    expect(emulator.files()).toHaveLength(2);
    expect(emulator.jobs()).toHaveLength(1);
    // Other options are another run, but the files are reused.
    const third = await provider().start(data, { model: MODEL, seed: 3 });
    expect(third.id).not.toBe(first.id);
    expect(emulator.files()).toHaveLength(2);
    expect(posts('POST /v1/files')).toBe(2);
  });

  it('re-uploads a file the ledger knows but the service has deleted', async () => {
    const data = await writeDataset(await tempDir());
    const openai = provider();
    const first = await openai.upload(data.trainFile);
    await openai.client.files.delete(first.fileId);
    const second = await openai.upload(data.trainFile);
    expect(second).toEqual({ fileId: expect.not.stringMatching(first.fileId), reused: false });
    expect((await openai.upload(data.trainFile)).reused).toBe(true);
  });

  it('sends files above the threshold through the Uploads API in parts', async () => {
    const data = await writeDataset(await tempDir(), { train: 20 });
    const openai = provider({ uploadThresholdBytes: 1000, partSizeBytes: 700 });
    const { fileId } = await openai.upload(data.trainFile);
    expect(posts('POST /v1/uploads')).toBe(1);
    expect(posts('POST /v1/uploads/:id/parts')).toBeGreaterThan(2);
    expect(posts('POST /v1/files')).toBe(0);
    const content = await (await openai.client.files.content(fileId)).text();
    const { readFile } = await import('node:fs/promises');
    expect(content).toBe(await readFile(data.trainFile, 'utf8'));
  });

  it('reaches Azure-style endpoints with the api-key header and api-version query', async () => {
    const seen: { url: string; apiKey: string | null }[] = [];
    const openai = provider({
      azureApiVersion: '2025-04-01-preview',
      fetch: async (input, init) => {
        seen.push({ url: String(input), apiKey: new Headers(init?.headers).get('api-key') });
        return fetch(input, init);
      },
    });
    expect(openai.id).toBe('azure-openai');
    await openai.list();
    expect(seen[0]!.url).toContain('api-version=2025-04-01-preview');
    expect(seen[0]!.apiKey).toBe('sk-test');
  });
});

describe('faults', () => {
  it('429 then success: waits as asked and goes on', async () => {
    const data = await writeDataset(await tempDir());
    emulator.inject('POST /v1/fine_tuning/jobs', { status: 429, retryAfterMs: 5 });
    const job = await provider().start(data, { model: MODEL });
    expect(job.state).toBe('validating_files');
    expect(delays).toEqual([5]);
    expect(emulator.jobs()).toHaveLength(1);
    expect(
      emulator.requests
        .filter((request) => request.route === 'POST /v1/fine_tuning/jobs')
        .map((request) => request.outcome),
    ).toEqual([429, 200]);
  });

  it('a 500 during upload: retried with backoff, one file stored', async () => {
    const data = await writeDataset(await tempDir());
    emulator.inject('POST /v1/files', { status: 500 }, { status: 503 });
    await provider().start(data, { model: MODEL });
    expect(delays).toEqual([500, 1000]);
    expect(emulator.files()).toHaveLength(1);
  });

  it('a 500 on one part of a large upload: that part is sent again, one file stored', async () => {
    const data = await writeDataset(await tempDir(), { train: 20 });
    emulator.inject('POST /v1/uploads/:id/parts', { status: 500 });
    const openai = provider({ uploadThresholdBytes: 1000, partSizeBytes: 700 });
    const { fileId } = await openai.upload(data.trainFile);
    expect(delays).toEqual([500]);
    expect(emulator.files().map((file) => file.id)).toEqual([fileId]);
    const { readFile } = await import('node:fs/promises');
    expect(await (await openai.client.files.content(fileId)).text()).toBe(
      await readFile(data.trainFile, 'utf8'),
    );
  });

  it('an upload whose answer is lost is found again, not repeated', async () => {
    const data = await writeDataset(await tempDir());
    emulator.inject('POST /v1/files', { drop: 'after' });
    const { fileId, reused } = await provider().upload(data.trainFile);
    expect(reused).toBe(false);
    expect(emulator.files().map((file) => file.id)).toEqual([fileId]);
    expect(posts('POST /v1/files')).toBe(1);
  });

  it('a create whose answer is lost is found by its key, not repeated', async () => {
    const data = await writeDataset(await tempDir());
    emulator.inject('POST /v1/fine_tuning/jobs', { drop: 'after' });
    const job = await provider().start(data, { model: MODEL });
    expect(emulator.jobs().map((remote) => remote.id)).toEqual([job.id]);
    expect(ledger.jobById(job.id)?.state).toBe('validating_files');
  });

  it('a crash between create and the ledger update: the next start finds the job', async () => {
    const data = await writeDataset(await tempDir());
    // The process "dies" right after the service created the job.
    const crashing = provider({
      maxRetries: 0,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (String(input).endsWith('/fine_tuning/jobs') && init?.method === 'POST')
          throw new Error('killed');
        return response;
      },
    });
    await expect(crashing.start(data, { model: MODEL })).rejects.toThrow(ProviderError);
    const pending = ledger.listJobs()[0]!;
    expect(pending).toMatchObject({ state: 'pending', jobId: undefined });
    ledger.close();

    ledger = openLedger(ledgerPath);
    const resumed = await provider().start(data, { model: MODEL });
    expect(emulator.jobs().map((remote) => remote.id)).toEqual([resumed.id]);
    expect(ledger.findJob(emulator.baseURL, pending.idempotencyKey)?.jobId).toBe(resumed.id);
    expect(emulator.files()).toHaveLength(1);
  });

  it('a dropped connection while following: retried, every event once', async () => {
    const data = await writeDataset(await tempDir());
    const openai = provider();
    const job = await openai.start(data, { model: MODEL });
    emulator.inject('GET /v1/fine_tuning/jobs/:id/events', { drop: 'before' }, { status: 502 });
    emulator.inject('GET /v1/fine_tuning/jobs/:id', { drop: 'after' });
    const events = await collect(openai.events(job.id));
    const ids = events.flatMap((event) => (event.type === 'event' ? [event.event.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
    const remote: string[] = [];
    for await (const event of openai.client.fineTuning.jobs.listEvents(job.id))
      remote.push(event.id);
    expect(ids).toEqual(remote.reverse());
    expect(events.at(-1)).toMatchObject({ type: 'status', status: { state: 'succeeded' } });
    expect(emulator.requests.filter((request) => request.outcome === 'dropped')).toHaveLength(2);
  });

  it('a failed job: follow ends with the failure and its reason', async () => {
    const data = await writeDataset(await tempDir());
    emulator.failNextJob({
      message: 'The job failed because the GPU caught fire.',
      code: 'server_error',
      atStep: 5,
    });
    const openai = provider();
    const job = await openai.start(data, { model: MODEL });
    const events = await collect(openai.events(job.id));
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      type: 'status',
      status: {
        state: 'failed',
        error: 'The job failed because the GPU caught fire. [server_error]',
      },
    });
    expect(ledger.jobById(job.id)).toMatchObject({
      state: 'failed',
      error: 'The job failed because the GPU caught fire. [server_error]',
    });
    expect(await openai.metrics(job.id)).toEqual([]);
  });

  it('starting again after a failed job trains again, once', async () => {
    const data = await writeDataset(await tempDir());
    emulator.failNextJob({ message: 'Training diverged.' });
    const openai = provider();
    const failed = await openai.start(data, { model: MODEL });
    emulator.advance(1000);
    expect(await openai.existingJob(data, { model: MODEL })).toBeUndefined();
    const second = await openai.start(data, { model: MODEL });
    expect(second.id).not.toBe(failed.id);
    expect((await openai.existingJob(data, { model: MODEL }))?.id).toBe(second.id);
    expect((await openai.start(data, { model: MODEL })).id).toBe(second.id);
    expect(emulator.jobs()).toHaveLength(2);
    expect(emulator.files()).toHaveLength(1);
  });

  it('follow interrupted, then resumed: continues after the last event seen', async () => {
    const data = await writeDataset(await tempDir());
    const openai = provider();
    const job = await openai.start(data, { model: MODEL });
    const controller = new AbortController();
    const firstRun: string[] = [];
    await expect(
      (async () => {
        for await (const event of openai.events(job.id, { signal: controller.signal })) {
          if (event.type !== 'event') continue;
          firstRun.push(event.event.id);
          if (event.event.metrics?.step === 10) controller.abort(new Error('Ctrl-C'));
        }
      })(),
    ).rejects.toThrow('Ctrl-C');
    expect(ledger.jobById(job.id)?.lastEventId).toBe(firstRun.at(-1));

    const secondRun = (await collect(provider().events(job.id))).flatMap((event) =>
      event.type === 'event' ? [event.event] : [],
    );
    expect(secondRun[0]!.metrics?.step).toBe(11);
    const all = [...firstRun, ...secondRun.map((event) => event.id)];
    expect(new Set(all).size).toBe(all.length);
    const { data: everything } = await openai.client.fineTuning.jobs.listEvents(job.id, {
      limit: 100,
    });
    const { data: rest } = await openai.client.fineTuning.jobs.listEvents(job.id, {
      limit: 100,
      after: everything.at(-1)!.id,
    });
    expect(all.length).toBe(everything.length + rest.length);
  });

  it('gives up after maxRetries with a one-line error', async () => {
    emulator.inject('GET /v1/fine_tuning/jobs', { status: 500 }, { status: 500 }, { status: 500 });
    const error = await provider({ maxRetries: 2 })
      .list()
      .catch((caught: unknown) => caught);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).message).toBe(
      `${new URL(emulator.baseURL).host} answered 500: The server had an error while processing your request. Sorry about that! — the service had a problem; try again later`,
    );
    expect(delays).toHaveLength(2);
  });

  it('says plainly when the account can no longer fine-tune, and where to go instead', async () => {
    const data = await writeDataset(await tempDir());
    emulator.setFineTuningAvailable(false);
    const error = (await provider()
      .start(data, { model: MODEL })
      .catch((caught: unknown) => caught)) as ProviderError;
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('can no longer create OpenAI fine-tuning jobs');
    expect(error.message).toContain('2027-01-06');
    expect(error.message).toContain('alterego chat --backend fewshot');
    expect(error.message).not.toContain('\n');
  });

  it('refuses bad suffixes, seeds and metadata before sending anything', async () => {
    const data = await writeDataset(await tempDir());
    const openai = provider();
    await expect(openai.start(data, { model: MODEL, suffix: 'a b' })).rejects.toThrow(
      ValidationError,
    );
    await expect(openai.start(data, { model: MODEL, seed: 1.5 })).rejects.toThrow(
      'seed 1.5: expected an integer',
    );
    const metadata = Object.fromEntries(
      Array.from({ length: 16 }, (_, index) => [`k${index}`, 'v']),
    );
    await expect(openai.start(data, { model: MODEL, metadata })).rejects.toThrow('at most 15');
    expect(emulator.requests).toHaveLength(0);
  });

  it('cancels a running job; cancelling it again is a clear error', async () => {
    const data = await writeDataset(await tempDir());
    const openai = provider();
    const job = await openai.start(data, { model: MODEL });
    expect((await openai.cancel(job.id)).state).toBe('cancelled');
    expect(ledger.jobById(job.id)?.state).toBe('cancelled');
    await expect(openai.cancel(job.id)).rejects.toMatchObject({
      kind: 'invalid-request',
      status: 400,
    });
  });
});

describe('checkData', () => {
  it('reports format problems with file and line, and unknown models as a warning', async () => {
    const dir = await tempDir();
    const trainFile = join(dir, 'train.jsonl');
    await writeFile(
      trainFile,
      `${jsonl(Array.from({ length: 10 }, (_, index) => chatExample(index)))}{"messages": 3}\n`,
    );
    const check = await provider().checkData({ trainFile }, { model: 'my-model' });
    expect(check.ok).toBe(false);
    expect(check.issues).toEqual([
      expect.objectContaining({
        file: trainFile,
        line: 11,
        ruleId: 'openai:missing-messages-list',
        severity: 'error',
      }),
      expect.objectContaining({ ruleId: 'openai:unknown-model', severity: 'warning' }),
    ]);
    expect(provider().estimate(check, { model: 'my-model' }).costUsd).toBeUndefined();
  });

  it('counts tokens exactly, as alterego validate does, capped at the model context', async () => {
    const dir = await tempDir();
    const trainFile = join(dir, 'train.jsonl');
    const examples = Array.from({ length: 10 }, (_, index) => chatExample(index));
    await writeFile(trainFile, jsonl(examples));
    const check = await provider().checkData({ trainFile }, { model: MODEL });
    expect(check.ok).toBe(true);
    expect(check.train.examples).toBe(10);
    expect(check.train.tokens).toBe(
      examples.reduce(
        (sum, example) => sum + countExampleTokens(example.messages as Record<string, unknown>[]),
        0,
      ),
    );
  });

  it('refuses preference data for a model without DPO, and a missing file clearly', async () => {
    const dir = await tempDir();
    const trainFile = join(dir, 'pairs.jsonl');
    await writeFile(
      trainFile,
      jsonl(Array.from({ length: 10 }, (_, index) => preferenceExample(index))),
    );
    const check = await provider().checkData({ trainFile }, { model: 'gpt-3.5-turbo-0125' });
    expect(check.issues.map((issue) => issue.ruleId)).toEqual(['openai:dpo-not-supported']);
    await expect(
      provider().checkData({ trainFile: join(dir, 'nope.jsonl') }, { model: MODEL }),
    ).rejects.toThrow(`${join(dir, 'nope.jsonl')}: cannot read the file (ENOENT)`);
  });
});

describe('mapError', () => {
  const context = { provider: 'openai', host: 'api.openai.com' };
  const apiError = (
    status: number,
    message: string,
    code?: string,
    headers: Record<string, string> = {},
  ) =>
    OpenAI.APIError.generate(
      status,
      { error: { message, code, type: 'x', param: null } },
      undefined,
      new Headers(headers),
    );

  it.each([
    [
      401,
      'Incorrect API key provided',
      undefined,
      'auth',
      false,
      'check the API key (OPENAI_API_KEY)',
    ],
    [403, 'You are not allowed', undefined, 'permission', false, 'check its permissions'],
    [404, 'No such job', undefined, 'not-found', false, 'check the id and the base URL'],
    [400, 'bad', 'invalid_training_file', 'invalid-request', false, 'fix the request'],
    [429, 'slow down', 'rate_limit_exceeded', 'rate-limit', true, 'try again in a minute'],
    [
      429,
      'You exceeded your current quota',
      'insufficient_quota',
      'rate-limit',
      false,
      'check billing',
    ],
    [500, 'oops', undefined, 'server', true, 'try again later'],
    [409, 'conflict', undefined, 'server', true, 'try again later'],
  ] as const)('%i %s → %s', (status, message, code, kind, retryable, advice) => {
    const { error } = mapError(apiError(status, message, code), context);
    expect(error).toMatchObject({ kind, retryable, status });
    expect(error.message).toContain(
      `api.openai.com answered ${status}${code ? ` ${code}` : ''}: ${message}`,
    );
    expect(error.message).toContain(advice);
  });

  it('recognises the wind-down in 403 and 404 messages', () => {
    const { error } = mapError(
      apiError(404, 'Fine-tuning is no longer available for new organizations.'),
      context,
    );
    expect(error.kind).toBe('unavailable');
  });

  it('passes on the delay a 429 asked for', () => {
    expect(
      mapError(apiError(429, 'x', undefined, { 'retry-after': '3' }), context).retryAfterMs,
    ).toBe(3000);
  });

  it('maps connection errors as retryable, and anything else as one line', () => {
    const connection = mapError(
      new OpenAI.APIConnectionError({ cause: new Error('ECONNRESET') }),
      context,
    ).error;
    expect(connection).toMatchObject({ kind: 'connection', retryable: true });
    expect(connection.message).toBe(
      'cannot reach api.openai.com (ECONNRESET); check the network connection and the base URL',
    );
    expect(mapError(new Error('weird'), context).error.message).toBe('api.openai.com: weird');
  });
});
