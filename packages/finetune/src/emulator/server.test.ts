import { validateTrainingLines } from '@alterego/dataset';
import OpenAI, { toFile } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatExample, jsonl } from '../__fixtures__/data.js';
import { type OpenAIEmulator, startOpenAIEmulator } from './server.js';

let emulator: OpenAIEmulator;
let client: OpenAI;

beforeEach(async () => {
  emulator = await startOpenAIEmulator();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: emulator.baseURL, maxRetries: 0 });
});
afterEach(async () => {
  await emulator.close();
});

const trainText = jsonl(Array.from({ length: 12 }, (_, index) => chatExample(index)));

async function uploadTrain(text = trainText, name = 'train.jsonl') {
  return client.files.create({ file: await toFile(Buffer.from(text), name), purpose: 'fine-tune' });
}

async function raw(path: string, init: RequestInit = {}) {
  const response = await fetch(`${emulator.baseURL}${path}`, {
    ...init,
    headers: {
      authorization: 'Bearer sk-test',
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('OpenAI emulator: files', () => {
  it('stores multipart uploads and serves them back', async () => {
    const file = await uploadTrain();
    expect(file).toMatchObject({
      object: 'file',
      purpose: 'fine-tune',
      filename: 'train.jsonl',
      status: 'processed',
      bytes: Buffer.byteLength(trainText),
    });
    expect(await (await client.files.content(file.id)).text()).toBe(trainText);
    expect((await client.files.retrieve(file.id)).id).toBe(file.id);
    expect(
      (await client.files.list({ purpose: 'fine-tune' })).data.map((listed) => listed.id),
    ).toEqual([file.id]);
    expect(await client.files.delete(file.id)).toMatchObject({ deleted: true });
    await expect(client.files.retrieve(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('refuses fine-tune files that are not .jsonl or not one JSON object per line', async () => {
    await expect(uploadTrain(trainText, 'train.csv')).rejects.toMatchObject({
      status: 400,
      error: {
        message: 'Invalid file format for Fine-Tuning API. Must be .jsonl',
        type: 'invalid_request_error',
        code: 'invalid_file_format',
        param: 'file',
      },
    });
    await expect(uploadTrain(`${trainText}oops\n`)).rejects.toMatchObject({
      status: 400,
      code: 'invalid_file_format',
    });
  });

  it('assembles files from the Uploads API parts and checks the byte count and md5', async () => {
    const bytes = Buffer.from(trainText);
    const upload = await client.uploads.create({
      bytes: bytes.length,
      filename: 'big.jsonl',
      mime_type: 'application/jsonl',
      purpose: 'fine-tune',
    });
    expect(upload.status).toBe('pending');
    const first = await client.uploads.parts.create(upload.id, {
      data: await toFile(bytes.subarray(0, 100), 'p1'),
    });
    await expect(
      client.uploads.complete(upload.id, { part_ids: [first.id] }),
    ).rejects.toMatchObject({ status: 400 });
    const second = await client.uploads.parts.create(upload.id, {
      data: await toFile(bytes.subarray(100), 'p2'),
    });
    await expect(
      client.uploads.complete(upload.id, { part_ids: [first.id, second.id], md5: 'nope' }),
    ).rejects.toMatchObject({ status: 400 });
    const done = await client.uploads.complete(upload.id, { part_ids: [first.id, second.id] });
    expect(done.status).toBe('completed');
    expect(await (await client.files.content(done.file!.id)).text()).toBe(trainText);
  });

  it('answers 401 with the documented error shape without a key', async () => {
    const response = await fetch(`${emulator.baseURL}/files`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringContaining('Incorrect API key'),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
  });

  it('accepts the Azure api-key header, and only the configured key when one is set', async () => {
    await emulator.close();
    emulator = await startOpenAIEmulator({ apiKey: 'right' });
    const azure = await fetch(`${emulator.baseURL}/models?api-version=2025-04-01-preview`, {
      headers: { 'api-key': 'right' },
    });
    expect(azure.status).toBe(200);
    const wrong = await fetch(`${emulator.baseURL}/models`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(wrong.status).toBe(401);
  });

  it('answers 404 for unknown routes', async () => {
    expect((await raw('/nothing')).status).toBe(404);
  });
});

describe('OpenAI emulator: fine-tuning jobs', () => {
  it('moves a job through validating_files → queued → running → succeeded on its clock', async () => {
    const file = await uploadTrain();
    const job = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: file.id,
      suffix: 'sam',
      metadata: { run: 'a' },
    });
    expect(job).toMatchObject({
      object: 'fine_tuning.job',
      status: 'validating_files',
      fine_tuned_model: null,
      metadata: { run: 'a' },
      user_provided_suffix: 'sam',
    });
    expect(job.hyperparameters.n_epochs).toBe(8);
    emulator.advance(5);
    expect((await client.fineTuning.jobs.retrieve(job.id)).status).toBe('queued');
    emulator.advance(5);
    expect((await client.fineTuning.jobs.retrieve(job.id)).status).toBe('running');
    emulator.advance(10_000);
    const done = await client.fineTuning.jobs.retrieve(job.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      fine_tuned_model: expect.stringMatching(/^ft:gpt-4o-mini-2024-07-18:org-emulated:sam:/),
    });
    expect(done.trained_tokens).toBeGreaterThan(0);
    expect(done.result_files).toHaveLength(1);
    const csv = Buffer.from(
      await (await client.files.content(done.result_files[0]!)).text(),
      'base64',
    ).toString('utf8');
    expect(csv.split('\n')[0]).toBe(
      'step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy',
    );

    const events = [];
    for await (const event of client.fineTuning.jobs.listEvents(job.id, { limit: 7 }))
      events.push(event);
    expect(events[0]!.message).toBe('The job has successfully completed');
    expect(events.at(-1)!.message).toMatch(/^Validating training file/);
    expect(events.filter((event) => event.type === 'metrics')).toHaveLength(96);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);

    const checkpoints = [];
    for await (const checkpoint of client.fineTuning.jobs.checkpoints.list(job.id))
      checkpoints.push(checkpoint);
    expect(checkpoints.map((checkpoint) => checkpoint.step_number)).toEqual([
      84, 72, 60, 48, 36, 24, 12,
    ]);
    expect(checkpoints[0]!.fine_tuned_model_checkpoint).toBe(
      `${done.fine_tuned_model}:ckpt-step-84`,
    );

    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain(done.fine_tuned_model);
    expect((await client.models.retrieve(done.fine_tuned_model!)).owned_by).toBe('org-emulated');
  });

  it('answers chat completions for the models it produced, replaying the training replies', async () => {
    const file = await uploadTrain();
    const job = await client.fineTuning.jobs.create({
      model: 'gpt-4.1-nano-2025-04-14',
      training_file: file.id,
    });
    emulator.advance(10_000);
    const model = (await client.fineTuning.jobs.retrieve(job.id)).fine_tuned_model!;
    const known = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'are you coming tonight? (3)' }],
    });
    expect(known.choices[0]!.message.content).toBe('yes!! see you at 8 (3)');
    expect(known.system_fingerprint).toBe('fp_alterego_emulator');
    const other = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(other.choices[0]!.message.content).toBe('(emulated) hello');
    await expect(
      client.chat.completions.create({ model: 'gpt-4o', messages: [] }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('answers chat completions for base models by following the few-shot examples', async () => {
    const ask = (model: string, content: string) =>
      client.chat.completions.create({
        model,
        messages: [
          { role: 'system', content: 'You are Sam.' },
          { role: 'user', content: 'did you feed the cat' },
          { role: 'assistant', content: 'of course' },
          { role: 'user', content: 'are you coming tonight?' },
          { role: 'assistant', content: 'yes!! see you at 8' },
          { role: 'user', content: content },
        ],
      });
    const answer = async (model: string, content: string) =>
      (await ask(model, content)).choices[0]!.message.content;
    expect(await answer('gpt-4.1-mini-2025-04-14', 'you coming tonight?')).toBe(
      'yes!! see you at 8',
    );
    expect(await answer('gpt-4.1-mini-2025-04-14', 'did you feed the cat')).toBe('of course');
    expect(await answer('gpt-4.1-mini-2025-04-14', 'xyz')).toBe('(emulated) xyz');
    const local = await startOpenAIEmulator({ chatModels: ['llama3.2'] });
    try {
      const localClient = new OpenAI({ apiKey: 'local', baseURL: local.baseURL, maxRetries: 0 });
      const reply = await localClient.chat.completions.create({
        model: 'llama3.2',
        messages: [{ role: 'user', content: 'hello' }],
      });
      expect(reply.choices[0]!.message.content).toBe('(emulated) hello');
      expect(reply.model).toBe('llama3.2');
    } finally {
      await local.close();
    }
    await expect(ask('llama3.2', 'hello')).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it('fails a job whose training file breaks the format rules, naming the line', async () => {
    const bad = `${jsonl(Array.from({ length: 11 }, (_, index) => chatExample(index)))}${JSON.stringify({ messages: [{ role: 'user', content: 'x' }] })}\n`;
    const file = await uploadTrain(bad);
    const job = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: file.id,
    });
    emulator.advance(5);
    const failed = await client.fineTuning.jobs.retrieve(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({
      code: 'invalid_training_file',
      param: null,
      message:
        'The training file has an invalid format: line 12: messages has no assistant message.',
    });
  });

  it('refuses files with the rules and messages of alterego validate', async () => {
    const lines = [
      ...Array.from({ length: 10 }, (_, index) => JSON.stringify(chatExample(index))),
      '',
      JSON.stringify(chatExample(10)),
    ];
    const expected = (await validateTrainingLines(lines)).errors[0]!;
    expect(expected).toMatchObject({ code: 'invalid_json', line: 11 });
    const file = await uploadTrain(`${lines.join('\n')}\n`);
    const job = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: file.id,
    });
    emulator.advance(5);
    expect((await client.fineTuning.jobs.retrieve(job.id)).error?.message).toBe(
      `The training file has an invalid format: line 11: ${expected.message}.`,
    );
  });

  it('fails a job on request, at the step asked', async () => {
    emulator.failNextJob({ message: 'out of GPUs', code: 'server_error', atStep: 3 });
    const file = await uploadTrain();
    const job = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: file.id,
    });
    emulator.advance(10_000);
    const failed = await client.fineTuning.jobs.retrieve(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toBe('out of GPUs');
    const page = await client.fineTuning.jobs.listEvents(job.id, { limit: 1 });
    expect(page.data[0]).toMatchObject({
      level: 'error',
      message: 'The job failed due to an error: out of GPUs',
    });
  });

  it('validates create requests like the service', async () => {
    const file = await uploadTrain();
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-5', training_file: file.id }),
    ).rejects.toMatchObject({ status: 400, code: 'model_not_available' });
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: 'file-x' }),
    ).rejects.toMatchObject({ status: 400, param: 'training_file' });
    await expect(
      client.fineTuning.jobs.create({
        model: 'gpt-4o-mini-2024-07-18',
        training_file: file.id,
        suffix: 'has space',
      }),
    ).rejects.toMatchObject({ status: 400, param: 'suffix' });
    expect(emulator.jobs()).toHaveLength(0);
  });

  it('lists jobs newest first, filtered by metadata, and cancels them', async () => {
    const file = await uploadTrain();
    const first = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: file.id,
      metadata: { k: '1' },
    });
    const second = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: file.id,
      metadata: { k: '2' },
    });
    expect((await client.fineTuning.jobs.list()).data.map((job) => job.id)).toEqual([
      second.id,
      first.id,
    ]);
    expect(
      (await client.fineTuning.jobs.list({ metadata: { k: '1' } })).data.map((job) => job.id),
    ).toEqual([first.id]);
    expect((await client.fineTuning.jobs.cancel(first.id)).status).toBe('cancelled');
    await expect(client.fineTuning.jobs.cancel(first.id)).rejects.toMatchObject({ status: 400 });
  });

  it('refuses new jobs with 403 when fine-tuning is no longer available', async () => {
    emulator.setFineTuningAvailable(false);
    const file = await uploadTrain();
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: file.id }),
    ).rejects.toMatchObject({ status: 403, code: 'fine_tuning_unavailable' });
  });
});

describe('OpenAI emulator: faults', () => {
  it('plays queued faults in order on their route, then answers normally', async () => {
    emulator.inject('GET /v1/models', { status: 429, retryAfterMs: 3 }, { status: 500 });
    const first = await fetch(`${emulator.baseURL}/models`, {
      headers: { authorization: 'Bearer k' },
    });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after-ms')).toBe('3');
    expect(await first.json()).toMatchObject({
      error: { type: 'requests', code: 'rate_limit_exceeded' },
    });
    expect(
      (await fetch(`${emulator.baseURL}/models`, { headers: { authorization: 'Bearer k' } }))
        .status,
    ).toBe(500);
    expect(
      (await fetch(`${emulator.baseURL}/models`, { headers: { authorization: 'Bearer k' } }))
        .status,
    ).toBe(200);
    expect(emulator.requests.map((request) => request.outcome)).toEqual([429, 500, 200]);
  });

  it('drops connections before or after handling the request', async () => {
    emulator.inject('POST /v1/files', { drop: 'after' });
    await expect(uploadTrain()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    // The file was stored even though the answer was lost.
    expect(emulator.files()).toHaveLength(1);
    emulator.inject('POST /v1/files', { drop: 'before' });
    await expect(uploadTrain()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(emulator.files()).toHaveLength(1);
    expect(emulator.requests.map((request) => [request.route, request.outcome])).toEqual([
      ['POST /v1/files', 'dropped'],
      ['POST /v1/files', 'dropped'],
    ]);
  });

  it('moves its clock on every request when asked, for demos', async () => {
    await emulator.close();
    emulator = await startOpenAIEmulator({ autoAdvanceSeconds: 30 });
    const start = emulator.now();
    await fetch(`${emulator.baseURL}/models`, { headers: { authorization: 'Bearer k' } });
    expect(emulator.now()).toBe(start + 30);
  });
});
