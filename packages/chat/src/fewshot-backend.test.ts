import { startOpenAIEmulator, type OpenAIEmulator } from '@alterego/finetune/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_PROMPT } from './__fixtures__/dataset.js';
import { closedPort, recordingClient } from './__fixtures__/emulator.js';
import { createFewShotBackend } from './fewshot-backend.js';
import { createReplyIndex, type ReplyIndex } from './reply-index.js';
import type { ChatTurn, Persona } from './types.js';

const persona: Persona = {
  name: 'Sam',
  systemPrompt: SYSTEM_PROMPT,
  sessionGapMinutes: 60,
  labelSpeakers: false,
  maxReplyChars: 2000,
  model: 'gpt-4.1-mini-2025-04-14',
};
const counterpart = { id: 'alex' };
const MODEL = 'gpt-4.1-mini-2025-04-14';

let emulator: OpenAIEmulator;
let index: ReplyIndex;
beforeEach(async () => {
  emulator = await startOpenAIEmulator();
  index = createReplyIndex([
    { prompt: 'are you coming tonight', reply: 'yes!! see you at 8' },
    { prompt: 'are you free tonight for dinner', reply: 'maybe, what time' },
    { prompt: 'did you feed the cat', reply: 'of course' },
    { prompt: 'hike this weekend', reply: 'in!! which trail' },
  ]);
});
afterEach(async () => {
  index.close();
  await emulator.close();
});

describe('createFewShotBackend', () => {
  it('shows the model the most similar past exchanges, the closest last', async () => {
    const { client, bodies } = recordingClient(emulator.baseURL);
    const backend = createFewShotBackend({ model: MODEL, index, client, examples: 2 });
    expect(backend.name).toBe('fewshot');
    const history: ChatTurn[] = [{ role: 'user', content: 'you coming tonight?' }];
    const result = await backend.reply({ persona, history, counterpart });
    // The emulated base model answers with the example whose prompt is most like the message.
    expect(result).toMatchObject({ text: 'yes!! see you at 8', backend: 'fewshot', model: MODEL });
    expect(result.exchanges?.map((exchange) => exchange.reply)).toEqual([
      'yes!! see you at 8',
      'maybe, what time',
    ]);
    const messages = bodies[0]!.messages as { role: string; content: string }[];
    expect(messages[0]!.role).toBe('system');
    expect(messages[0]!.content).toBe(
      `${SYSTEM_PROMPT}\n\nThe first 2 exchanges below are real examples of how Sam replied in other conversations: match their style, length and language. After them comes the current conversation; answer its last message.`,
    );
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'are you free tonight for dinner' },
      { role: 'assistant', content: 'maybe, what time' },
      { role: 'user', content: 'are you coming tonight' },
      { role: 'assistant', content: 'yes!! see you at 8' },
      ...history,
    ]);
  });

  it('finds examples from the turns before when the last one matches nothing', async () => {
    const backend = createFewShotBackend({
      model: MODEL,
      index,
      baseURL: emulator.baseURL,
      apiKey: 'sk-test',
      examples: 1,
    });
    const result = await backend.reply({
      persona,
      history: [
        { role: 'user', content: 'did you feed the cat' },
        { role: 'assistant', content: 'hmm' },
        { role: 'user', content: '🙏' },
      ],
      counterpart,
    });
    expect(result.exchanges?.map((exchange) => exchange.prompt)).toEqual(['did you feed the cat']);
  });

  it('keeps user and assistant alternating after the examples', async () => {
    const { client, bodies } = recordingClient(emulator.baseURL);
    const backend = createFewShotBackend({ model: MODEL, index, client, examples: 1 });
    await backend.reply({
      persona,
      history: [
        { role: 'assistant', content: 'you around?' },
        { role: 'user', content: 'yes, coming tonight?' },
      ],
      counterpart,
    });
    const roles = (bodies[0]!.messages as { role: string }[]).map((message) => message.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it('asks with the persona prompt and the conversation alone when there are no examples', async () => {
    const { client, bodies } = recordingClient(emulator.baseURL);
    const empty = createReplyIndex([]);
    const backend = createFewShotBackend({ model: MODEL, index: empty, client });
    const result = await backend.reply({
      persona,
      history: [{ role: 'user', content: 'hello' }],
      counterpart,
    });
    expect(result.text).toBe('(emulated) hello');
    expect(result.exchanges).toEqual([]);
    expect(bodies[0]!.messages).toEqual([
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: 'hello' },
    ]);
    empty.close();
  });

  it('reports model server errors as ChatErrors', async () => {
    const missing = createFewShotBackend({
      model: 'no-such-model',
      index,
      baseURL: emulator.baseURL,
      apiKey: 'sk-test',
      maxRetries: 0,
    });
    await expect(
      missing.reply({ persona, history: [{ role: 'user', content: 'hi' }], counterpart }),
    ).rejects.toMatchObject({
      name: 'ChatError',
      message: `the model server at ${emulator.baseURL} answered 404: model 'no-such-model' not found`,
    });
    const baseURL = `http://127.0.0.1:${await closedPort()}/v1`;
    const unreachable = createFewShotBackend({ model: MODEL, index, baseURL, maxRetries: 0 });
    await expect(
      unreachable.reply({ persona, history: [{ role: 'user', content: 'hi' }], counterpart }),
    ).rejects.toThrow(
      `cannot reach the model server at ${baseURL}: connection refused (is it running?)`,
    );
  });
});
