import { startOpenAIEmulator, type OpenAIEmulator } from '@alterego/finetune/emulator';
import OpenAI, { toFile } from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { example, jsonl, SYSTEM_PROMPT } from './__fixtures__/dataset.js';
import { closedPort, recordingClient } from './__fixtures__/emulator.js';
import { ChatError } from './chat-error.js';
import { createFinetunedBackend } from './finetuned-backend.js';
import type { ChatTurn, Persona } from './types.js';

const persona: Persona = {
  name: 'Sam',
  systemPrompt: SYSTEM_PROMPT,
  sessionGapMinutes: 60,
  labelSpeakers: true,
  maxReplyChars: 2000,
  model: 'gpt-4.1-nano-2025-04-14',
};
const counterpart = { id: 'alex', name: 'Alex' };
const history: ChatTurn[] = [
  { role: 'user', content: 'Alex: hey' },
  { role: 'assistant', content: 'hi!!' },
  { role: 'user', content: 'Alex: are you coming tonight? (3)' },
];

let emulator: OpenAIEmulator;
beforeEach(async () => {
  emulator = await startOpenAIEmulator();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await emulator.close();
});

/** Fine-tunes a model in the emulator on a tiny dataset and returns its id. */
async function fineTunedModel(): Promise<string> {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: emulator.baseURL, maxRetries: 0 });
  const lines = Array.from({ length: 12 }, (_, index) =>
    example([`Alex: are you coming tonight? (${index})`, `yes!! see you at ${index}`]),
  );
  const file = await client.files.create({
    file: await toFile(Buffer.from(jsonl(lines)), 'train.jsonl'),
    purpose: 'fine-tune',
  });
  const job = await client.fineTuning.jobs.create({ model: persona.model, training_file: file.id });
  emulator.advance(10_000);
  return (await client.fineTuning.jobs.retrieve(job.id)).fine_tuned_model!;
}

describe('createFinetunedBackend', () => {
  it('asks the fine-tuned model with the persona prompt and the turns as trained', async () => {
    const model = await fineTunedModel();
    const { client, bodies } = recordingClient(emulator.baseURL);
    const backend = createFinetunedBackend({ model, client, temperature: 0.7, maxTokens: 200 });
    expect(backend.name).toBe('finetuned');
    const result = await backend.reply({ persona, history, counterpart });
    expect(result).toMatchObject({ text: 'yes!! see you at 3', backend: 'finetuned', model });
    expect(result.usage?.promptTokens).toBeGreaterThan(0);
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
    expect(bodies).toEqual([
      {
        model,
        temperature: 0.7,
        max_tokens: 200,
        messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...history],
      },
    ]);
  });

  it('leaves the system message out when the dataset had none, and reaches a server by base URL', async () => {
    const { client, bodies } = recordingClient(emulator.baseURL);
    const backend = createFinetunedBackend({ model: 'gpt-4.1-mini-2025-04-14', client });
    await backend.reply({ persona: { ...persona, systemPrompt: '' }, history, counterpart });
    expect(bodies[0]!.messages).toEqual(history);
    const byUrl = createFinetunedBackend({
      model: 'gpt-4.1-mini-2025-04-14',
      baseURL: emulator.baseURL,
      apiKey: 'sk-test',
    });
    expect(
      (await byUrl.reply({ persona, history: [{ role: 'user', content: 'hello' }], counterpart }))
        .text,
    ).toBe('(emulated) hello');
  });

  it('says clearly when the model does not exist', async () => {
    const backend = createFinetunedBackend({
      model: 'ft:gpt-4.1-nano-2025-04-14:org:x:nope',
      baseURL: emulator.baseURL,
      apiKey: 'sk-test',
      maxRetries: 0,
    });
    const error = await backend
      .reply({ persona, history, counterpart })
      .catch((caught: unknown) => caught);
    expect(ChatError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'model-server',
      status: 404,
      message: `the model server at ${emulator.baseURL} answered 404: model 'ft:gpt-4.1-nano-2025-04-14:org:x:nope' not found`,
    });
  });

  it('says clearly when the key is refused', async () => {
    const guarded = await startOpenAIEmulator({ apiKey: 'sk-right' });
    try {
      const backend = createFinetunedBackend({
        model: 'gpt-4.1-mini-2025-04-14',
        baseURL: guarded.baseURL,
        apiKey: 'sk-wrong',
        maxRetries: 0,
      });
      await expect(backend.reply({ persona, history, counterpart })).rejects.toMatchObject({
        kind: 'model-server',
        status: 401,
        message: `the model server at ${guarded.baseURL} answered 401: the API key was refused; check OPENAI_API_KEY (or the key the server was started with)`,
      });
    } finally {
      await guarded.close();
    }
  });

  it('says clearly when the server cannot be reached', async () => {
    const baseURL = `http://127.0.0.1:${await closedPort()}/v1`;
    const backend = createFinetunedBackend({ model: 'llama3.2', baseURL, maxRetries: 0 });
    await expect(backend.reply({ persona, history, counterpart })).rejects.toMatchObject({
      kind: 'model-server',
      message: `cannot reach the model server at ${baseURL}: connection refused (is it running?)`,
    });
  });

  it('passes on the server’s own words for other errors, on one line', async () => {
    emulator.inject('POST /v1/chat/completions', { status: 500, message: 'out of\nmemory' });
    const backend = createFinetunedBackend({
      model: 'gpt-4.1-mini-2025-04-14',
      baseURL: emulator.baseURL,
      apiKey: 'sk-test',
      maxRetries: 0,
    });
    await expect(backend.reply({ persona, history, counterpart })).rejects.toMatchObject({
      status: 500,
      message: `the model server at ${emulator.baseURL} answered 500: out of memory`,
    });
  });

  it('needs OPENAI_API_KEY for OpenAI, but no key for a local server', () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.stubEnv('OPENAI_BASE_URL', '');
    expect(() => createFinetunedBackend({ model: 'ft:x' })).toThrow(
      'OPENAI_API_KEY is not set: set it to use a model on OpenAI, or give the base URL of a local OpenAI-compatible server',
    );
    expect(() =>
      createFinetunedBackend({ model: 'ft:x', baseURL: emulator.baseURL }),
    ).not.toThrow();
    expect(() => createFinetunedBackend({ model: ' ', baseURL: emulator.baseURL })).toThrow(
      'no model given',
    );
  });

  it('stops when its signal is aborted', async () => {
    const backend = createFinetunedBackend({
      model: 'gpt-4.1-mini-2025-04-14',
      baseURL: emulator.baseURL,
      apiKey: 'sk-test',
    });
    const controller = new AbortController();
    const pending = backend.reply({ persona, history, counterpart, signal: controller.signal });
    controller.abort(new Error('the caller hung up'));
    await expect(pending).rejects.toThrow('the caller hung up');
  });
});
