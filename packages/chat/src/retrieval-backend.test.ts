import { describe, expect, it } from 'vitest';
import { SYSTEM_PROMPT } from './__fixtures__/dataset.js';
import { createReplyIndex } from './reply-index.js';
import { createRetrievalBackend } from './retrieval-backend.js';
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
const ask = (history: ChatTurn[]) => ({ persona, history, counterpart });
const user = (content: string): ChatTurn => ({ role: 'user', content });

const exchanges = [
  { prompt: 'are you coming tonight', reply: 'yes!! see you at 8' },
  { prompt: 'did you feed the cat', reply: 'of course' },
  { prompt: 'good morning', reply: 'morning ☀️' },
  { prompt: 'good morning', reply: 'mornin' },
  { prompt: 'good morning', reply: 'hey hey' },
  { prompt: 'hike this weekend', reply: 'in!! which trail' },
];

describe('createRetrievalBackend', () => {
  it('answers with the reply of the best match for the last user turn', async () => {
    const backend = createRetrievalBackend({ index: createReplyIndex(exchanges) });
    const result = await backend.reply(ask([user('hey, are you coming tonight?')]));
    expect(result).toMatchObject({ text: 'yes!! see you at 8', backend: 'retrieval' });
    expect(result.exchanges?.[0]?.prompt).toBe('are you coming tonight');
    expect(result.model).toBeUndefined();
  });

  it('chooses among equally good matches the same way every time, by seed', async () => {
    const index = createReplyIndex(exchanges);
    const morning = new Set(['morning ☀️', 'mornin', 'hey hey']);
    const replies = async (seed: number) =>
      (await createRetrievalBackend({ index, seed }).reply(ask([user('good morning')]))).text;
    const first = await replies(1);
    expect(morning.has(first)).toBe(true);
    expect(await replies(1)).toBe(first);
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed += 1) seen.add(await replies(seed));
    expect(seen.size).toBeGreaterThan(1);
    expect([...seen].every((reply) => morning.has(reply))).toBe(true);
  });

  it('chooses among more equally good matches than it reports', async () => {
    const replies = Array.from({ length: 12 }, (_, n) => `reply ${n}`);
    const index = createReplyIndex([
      ...replies.map((reply) => ({ prompt: 'same old question', reply })),
      { prompt: 'another question entirely', reply: 'other' },
    ]);
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed += 1) {
      const result = await createRetrievalBackend({ index, seed }).reply(
        ask([user('same old question')]),
      );
      expect(result.exchanges).toHaveLength(5);
      seen.add(result.text);
    }
    // All twelve are as good as each other, not only the five a result reports.
    expect([...seen].sort()).toEqual([...replies].sort());
  });

  it('does not repeat the reply it just gave when another is as good', async () => {
    const index = createReplyIndex(exchanges);
    const backend = createRetrievalBackend({ index, seed: 3 });
    const first = (await backend.reply(ask([user('good morning')]))).text;
    const second = await backend.reply(
      ask([user('good morning'), { role: 'assistant', content: first }, user('good morning')]),
    );
    expect(second.text).not.toBe(first);
  });

  it('uses the turns before as a weaker query when the last one matches nothing', async () => {
    const backend = createRetrievalBackend({ index: createReplyIndex(exchanges) });
    const result = await backend.reply(
      ask([user('did you feed the cat'), { role: 'assistant', content: 'hmm' }, user('🙏🙏')]),
    );
    expect(result.text).toBe('of course');
  });

  it('still answers from the index when nothing matches at all', async () => {
    const index = createReplyIndex(exchanges);
    const backend = createRetrievalBackend({ index });
    const result = await backend.reply(ask([user('🙏')]));
    expect(exchanges.map((exchange) => exchange.reply)).toContain(result.text);
    expect((await backend.reply(ask([user('🙏')]))).text).toBe(result.text);
  });

  it('fails with no-data when the index is empty', async () => {
    const backend = createRetrievalBackend({ index: createReplyIndex([]) });
    await expect(backend.reply(ask([user('hello')]))).rejects.toMatchObject({
      name: 'ChatError',
      kind: 'no-data',
    });
  });

  it('stops when its signal is aborted', async () => {
    const backend = createRetrievalBackend({ index: createReplyIndex(exchanges) });
    const controller = new AbortController();
    controller.abort(new Error('gave up'));
    await expect(
      backend.reply({ ...ask([user('good morning')]), signal: controller.signal }),
    ).rejects.toThrow('gave up');
  });
});
