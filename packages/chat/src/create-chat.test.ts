import { describe, expect, it } from 'vitest';
import { SYSTEM_PROMPT, tempDir, writeDatasetFolder } from './__fixtures__/dataset.js';
import { ChatError } from './chat-error.js';
import { openChatMemory } from './chat-memory.js';
import { createChat } from './create-chat.js';
import { loadPersona } from './persona.js';
import { openReplyIndex } from './reply-index.js';
import { createRetrievalBackend } from './retrieval-backend.js';
import type { Persona, ReplyBackend, ReplyRequest } from './types.js';

const persona: Persona = {
  name: 'Sam',
  systemPrompt: SYSTEM_PROMPT,
  sessionGapMinutes: 60,
  labelSpeakers: false,
  maxReplyChars: 2000,
  model: 'gpt-4.1-mini-2025-04-14',
};
const T0 = Date.UTC(2026, 0, 1, 12);
const alex = { id: 'alex', name: 'Alex' };

/** A backend that answers with `answer(request)` and records what it was asked. */
function scripted(answer: (request: ReplyRequest) => string | Promise<string>, name = 'scripted') {
  const requests: ReplyRequest[] = [];
  let closed = 0;
  const backend: ReplyBackend = {
    name,
    async reply(request) {
      requests.push({ ...request, history: [...request.history] });
      return { text: await answer(request), backend: name, model: 'm-1' };
    },
    close() {
      closed += 1;
    },
  };
  return { backend, requests, closed: () => closed };
}

/** A backend that never answers on its own: only its signal ends it. */
const hanging: ReplyBackend = {
  name: 'hanging',
  reply: ({ signal }) =>
    new Promise((_, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    }),
};

describe('createChat', () => {
  it('sends the remembered session plus the new turn, and remembers both turns', async () => {
    const echo = scripted(({ history }) => `got: ${history.at(-1)!.content.replace('\n', ' + ')}`);
    const chat = createChat({ persona, backend: echo.backend, now: () => T0 });
    const first = await chat.reply(alex, ['hey', ' are you around? ']);
    expect(first).toMatchObject({
      bubbles: ['got: hey + are you around?'],
      backend: 'scripted',
      model: 'm-1',
    });
    expect(first.fallbackReason).toBeUndefined();
    expect(first.elapsedMs).toBeGreaterThanOrEqual(0);
    await chat.reply(alex, 'ok', { time: T0 + 60_000 });
    expect(echo.requests[1]!.history).toEqual([
      { role: 'user', content: 'hey\nare you around?' },
      { role: 'assistant', content: 'got: hey + are you around?' },
      { role: 'user', content: 'ok' },
    ]);
    expect(echo.requests[1]!.persona).toBe(persona);
    expect(echo.requests[1]!.counterpart).toBe(alex);
    // Another counterpart starts from nothing; a long silence does too.
    await chat.reply({ id: 'jordan' }, 'yo', { time: T0 + 60_000 });
    expect(echo.requests[2]!.history).toEqual([{ role: 'user', content: 'yo' }]);
    await chat.reply(alex, 'back', { time: T0 + 3 * 3_600_000 });
    expect(echo.requests[3]!.history).toEqual([{ role: 'user', content: 'back' }]);
    await chat.close();
  });

  it('labels the speaker when the persona was trained with labels', async () => {
    const echo = scripted(() => 'hi');
    const chat = createChat({
      persona: { ...persona, labelSpeakers: true },
      backend: echo.backend,
    });
    await chat.reply(alex, ['hey', 'you up']);
    await chat.reply({ id: '+15550001111' }, 'no name, no label');
    expect(echo.requests.map((request) => request.history.at(-1)!.content)).toEqual([
      'Alex: hey\nyou up',
      'no name, no label',
    ]);
    await chat.close();
  });

  it('splits the reply into bubbles within the limits, and remembers what was sent', async () => {
    const memory = openChatMemory(':memory:', { gapMinutes: 60 });
    const long = scripted(() => 'one\n\ntwo\nthree four five six\nseven');
    const chat = createChat({
      persona,
      backend: long.backend,
      memory,
      limits: { maxBubbles: 3, maxChars: 21 },
      now: () => T0,
    });
    const reply = await chat.reply(alex, 'talk to me');
    expect(reply.bubbles).toEqual(['one', 'two', 'three four five']);
    expect(memory.history('alex', T0)).toEqual([
      { role: 'user', content: 'talk to me' },
      { role: 'assistant', content: 'one\ntwo\nthree four five' },
    ]);
    await chat.close();
  });

  it('uses the persona’s reply length when no limit is given', async () => {
    const chat = createChat({
      persona: { ...persona, maxReplyChars: 9 },
      backend: scripted(() => 'hello there friend').backend,
    });
    expect((await chat.reply(alex, 'hi')).bubbles).toEqual(['hello']);
    await chat.close();
  });

  it('lets the fallback answer when the backend fails, saying why', async () => {
    const failing: ReplyBackend = {
      name: 'finetuned',
      reply: () =>
        Promise.reject(
          new ChatError('cannot reach the model server at http://127.0.0.1:1/v1', {
            kind: 'model-server',
          }),
        ),
    };
    const fallback = scripted(() => 'from the fallback', 'retrieval');
    const chat = createChat({ persona, backend: failing, fallback: fallback.backend });
    const reply = await chat.reply(alex, 'hello?');
    expect(reply).toMatchObject({
      bubbles: ['from the fallback'],
      backend: 'retrieval',
      fallbackReason: 'cannot reach the model server at http://127.0.0.1:1/v1',
    });
    await chat.close();
    expect(fallback.closed()).toBe(1);
  });

  it('lets the fallback answer when the backend takes too long, and aborts the backend', async () => {
    let aborted: unknown;
    const slow: ReplyBackend = {
      name: 'slow',
      reply: (request) =>
        hanging.reply(request).catch((error: unknown) => {
          aborted = error;
          throw error;
        }),
    };
    const fallback = scripted(() => 'quick answer', 'retrieval');
    const chat = createChat({
      persona,
      backend: slow,
      fallback: fallback.backend,
      limits: { timeoutMs: 20 },
    });
    const reply = await chat.reply(alex, 'hello?');
    expect(reply.bubbles).toEqual(['quick answer']);
    expect(reply.fallbackReason).toBe('the slow backend took longer than 20 ms to answer');
    expect(aborted).toMatchObject({ kind: 'timeout' });
    await chat.close();
  });

  it('throws the error when there is no fallback, and remembers nothing', async () => {
    const memory = openChatMemory(':memory:', { gapMinutes: 60 });
    const chat = createChat({
      persona,
      backend: hanging,
      memory,
      limits: { timeoutMs: 10 },
      now: () => T0,
    });
    await expect(chat.reply(alex, 'hello?')).rejects.toMatchObject({
      name: 'ChatError',
      kind: 'timeout',
    });
    expect(memory.history('alex', T0)).toEqual([]);
    const empty = createChat({ persona, backend: scripted(() => ' \n ').backend });
    await expect(empty.reply(alex, 'hello?')).rejects.toThrow(
      'the scripted backend answered with an empty reply',
    );
    await Promise.all([chat.close(), empty.close()]);
  });

  it('runs a local backend without a time limit, passing the caller’s signal, still refusing empty replies', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    const local = (text: string): ReplyBackend => ({
      name: 'local',
      local: true,
      async reply(request) {
        seen.push(request.signal);
        // Longer than the limit below: a local backend is not timed.
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { text, backend: 'local' };
      },
    });
    const chat = createChat({ persona, backend: local('from memory'), limits: { timeoutMs: 5 } });
    expect((await chat.reply(alex, 'hello?')).bubbles).toEqual(['from memory']);
    const controller = new AbortController();
    await chat.reply(alex, 'again', { signal: controller.signal });
    expect(seen).toEqual([undefined, controller.signal]);
    const empty = createChat({ persona, backend: local(' ') });
    await expect(empty.reply(alex, 'hello?')).rejects.toThrow(
      'the local backend answered with an empty reply',
    );
    await Promise.all([chat.close(), empty.close()]);
  });

  it('stops at once when the caller aborts, without asking the fallback', async () => {
    const fallback = scripted(() => 'should not answer', 'retrieval');
    const chat = createChat({ persona, backend: hanging, fallback: fallback.backend });
    const controller = new AbortController();
    const pending = chat.reply(alex, 'hello?', { signal: controller.signal });
    controller.abort(new Error('the caller hung up'));
    await expect(pending).rejects.toThrow('the caller hung up');
    await expect(chat.reply(alex, 'again', { signal: controller.signal })).rejects.toThrow(
      'the caller hung up',
    );
    expect(fallback.requests).toEqual([]);
    await chat.close();
  });

  it('refuses blank batches and use after close, and closes backends and memory once', async () => {
    const backend = scripted(() => 'hi');
    const memory = openChatMemory(':memory:', { gapMinutes: 60 });
    const chat = createChat({
      persona,
      backend: backend.backend,
      fallback: backend.backend,
      memory,
    });
    await expect(chat.reply(alex, ['  ', ''])).rejects.toThrow('there is no message to answer');
    await chat.close();
    await chat.close();
    expect(backend.closed()).toBe(1);
    expect(() => memory.history('alex', T0)).toThrow();
    await expect(chat.reply(alex, 'hi')).rejects.toMatchObject({ kind: 'config' });
  });

  it('answers from a dataset folder with the retrieval backend, end to end', async () => {
    const folder = await tempDir();
    try {
      await writeDatasetFolder(folder.dir, undefined, { name: 'Sam' });
      const index = await openReplyIndex(folder.dir);
      const chat = createChat({
        persona: await loadPersona(folder.dir),
        backend: createRetrievalBackend({ index }),
      });
      expect(chat.persona.name).toBe('Sam');
      expect(await chat.reply(alex, 'did you feed the cat?')).toMatchObject({
        bubbles: ['of course', 'she ate everything 🐱'],
        backend: 'retrieval',
      });
      await chat.close();
      index.close();
    } finally {
      await folder.remove();
    }
  });
});
