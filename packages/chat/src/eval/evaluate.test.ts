import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Persona, ReplyBackend, ReplyRequest } from '../types.js';
import { evaluate } from './evaluate.js';
import type { EvalCase } from './load-cases.js';

const persona: Persona = {
  name: 'Sam Rivera',
  systemPrompt: 'You are Sam Rivera.',
  sessionGapMinutes: 60,
  labelSpeakers: false,
  maxReplyChars: 2000,
  model: 'gpt-4.1-mini-2025-04-14',
};

function makeCases(reals: readonly string[]): EvalCase[] {
  return reals.map((real, index) => ({
    id: `${index + 1}:2`,
    history: [
      { role: 'user', content: `earlier ${index}` },
      { role: 'assistant', content: 'sure' },
      { role: 'user', content: `question ${index}?` },
    ],
    real,
  }));
}

const REALS = [
  'in!! which trail',
  'ok I’ll bring snacks 🥨',
  'NO WAY a cat??\nname him biscuit 😂',
  'sent!',
  'running late... 10 min',
  'haha yes',
];

function caseOf(cases: readonly EvalCase[], request: ReplyRequest): EvalCase {
  const found = cases.find((c) => `eval:${c.id}` === request.counterpart.id);
  if (!found) throw new Error(`unknown counterpart ${request.counterpart.id}`);
  return found;
}

function backend(
  name: string,
  answer: (request: ReplyRequest) => string | Promise<string>,
  model?: string,
): ReplyBackend {
  return {
    name,
    async reply(request) {
      return { text: await answer(request), backend: name, ...(model ? { model } : {}) };
    },
  };
}

describe('evaluate', () => {
  it('scores a backend that says what the person said as a perfect match', async () => {
    const cases = makeCases(REALS);
    const requests: ReplyRequest[] = [];
    const echo = backend(
      'echo',
      (request) => {
        requests.push(request);
        return caseOf(cases, request).real;
      },
      'echo-1',
    );
    const report = await evaluate({ persona, backends: [echo], cases });
    const [score] = report.backends;
    expect(report.persona).toBe('Sam Rivera');
    expect(report.cases).toBe(6);
    expect(score).toMatchObject({
      backend: 'echo',
      model: 'echo-1',
      chrF: 100,
      lengthDistance: 0,
      emojiDelta: 0,
      punctuationDelta: 0,
      casingDelta: 0,
      vocabularyOverlap: 1,
      errors: 0,
    });
    expect(score?.profile).toEqual(report.real);
    expect(requests).toHaveLength(6);
    expect(requests[0]).toMatchObject({
      persona,
      history: cases[0]!.history,
      counterpart: { id: 'eval:1:2' },
    });
  });

  it('measures style differences against the real replies', async () => {
    const cases = makeCases(['hi there', 'ok.']);
    const shout = backend('shout', (request) => caseOf(cases, request).real.toUpperCase());
    const report = await evaluate({ persona, backends: [shout], cases });
    const [score] = report.backends;
    // Real: both start lowercase and are all lowercase; the backend: both all caps.
    expect(score?.casingDelta).toBe(1);
    expect(score?.punctuationDelta).toBe(0);
    expect(score?.lengthDistance).toBe(0);
    // Words are compared lowercased, characters are not.
    expect(score?.vocabularyOverlap).toBe(1);
    expect(score?.chrF).toBeLessThan(20);
  });

  it('counts failing replies as errors and leaves them out of the metrics', async () => {
    const cases = makeCases(REALS);
    const flaky = backend('flaky', (request) => {
      const evalCase = caseOf(cases, request);
      if (cases.indexOf(evalCase) % 2 === 1) throw new Error('model server said 502\nmore detail');
      return evalCase.real;
    });
    const broken: ReplyBackend = {
      name: 'broken',
      reply: () => Promise.reject(new Error('no key')),
    };
    const report = await evaluate({ persona, backends: [flaky, broken], cases, samples: 2 });
    const [flakyScore, brokenScore] = report.backends;
    expect(flakyScore).toMatchObject({ errors: 3, chrF: 100, lengthDistance: 0 });
    expect(flakyScore?.profile.replies).toBe(3);
    expect(brokenScore?.errors).toBe(6);
    expect(brokenScore?.chrF).toBeNaN();
    expect(brokenScore?.meanLatencyMs).toBeNaN();
    expect(report.samples).toEqual([
      {
        id: '1:2',
        context: 'question 0?',
        real: REALS[0],
        replies: { flaky: REALS[0], broken: '(error: no key)' },
      },
      {
        id: '4:2',
        context: 'question 3?',
        real: REALS[3],
        replies: { flaky: '(error: model server said 502)', broken: '(error: no key)' },
      },
    ]);
  });

  it('keeps at most `concurrency` replies in flight and reports progress', async () => {
    const cases = makeCases(Array.from({ length: 10 }, (_, index) => `reply ${index}`));
    let inFlight = 0;
    let most = 0;
    const slow = (name: string): ReplyBackend =>
      backend(name, async (request) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return caseOf(cases, request).real;
      });
    const progress: Array<[number, number]> = [];
    await evaluate({
      persona,
      backends: [slow('a'), slow('b')],
      cases,
      concurrency: 3,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(most).toBe(3);
    expect(progress).toHaveLength(20);
    expect(progress.at(-1)).toEqual([20, 20]);
    expect(progress.map(([done]) => done)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    most = 0;
    await evaluate({ persona, backends: [slow('a')], cases });
    expect(most).toBe(2);
    await expect(evaluate({ persona, backends: [], cases, concurrency: 0 })).rejects.toThrow(
      /concurrency/,
    );
  });

  it('measures latency with the given clock', async () => {
    const cases = makeCases(['a', 'b', 'c']);
    let clock = 0;
    const report = await evaluate({
      persona,
      backends: [backend('echo', (request) => caseOf(cases, request).real)],
      cases,
      concurrency: 1,
      now: () => (clock += 5),
    });
    expect(report.backends[0]?.meanLatencyMs).toBe(5);
  });

  it('stops on abort: no new replies, the signal reaches the backend, the run rejects', async () => {
    const cases = makeCases(REALS);
    const controller = new AbortController();
    const seen: Array<AbortSignal | undefined> = [];
    const hanging: ReplyBackend = {
      name: 'hanging',
      reply(request) {
        seen.push(request.signal);
        if (seen.length === 2) controller.abort(new Error('interrupted'));
        // Never answers, whatever the signal says: the run must not wait for it.
        return new Promise(() => {});
      },
    };
    await expect(
      evaluate({ persona, backends: [hanging], cases, signal: controller.signal }),
    ).rejects.toThrow('interrupted');
    expect(seen).toHaveLength(2);
    // A signal of the call's own, aborted with the run's, for the same reason.
    expect(seen[0]?.aborted).toBe(true);
    expect(seen[0]?.reason).toBe(controller.signal.reason);
    expect(seen[0]?.aborted).toBe(true);

    const later = new AbortController();
    let calls = 0;
    const polite: ReplyBackend = {
      name: 'polite',
      reply(request) {
        calls += 1;
        return new Promise((resolve, reject) => {
          request.signal?.addEventListener('abort', () => reject(request.signal?.reason));
          setImmediate(() => resolve({ text: 'ok', backend: 'polite' }));
        });
      },
    };
    await expect(
      evaluate({
        persona,
        backends: [polite],
        cases,
        signal: later.signal,
        onProgress: (done) => {
          if (done === 2) later.abort(new Error('stop'));
        },
      }),
    ).rejects.toThrow('stop');
    expect(calls).toBeLessThan(cases.length);

    let called = false;
    const never = backend('never', () => {
      called = true;
      return '';
    });
    await expect(
      evaluate({ persona, backends: [never], cases, signal: AbortSignal.abort() }),
    ).rejects.toThrow();
    expect(called).toBe(false);
  });

  it('leaves no listener on the run signal, even from backends that never remove theirs', async () => {
    const cases = makeCases(REALS);
    const controller = new AbortController();
    const careless = backend('careless', (request) => {
      request.signal?.addEventListener('abort', () => undefined);
      return caseOf(cases, request).real;
    });
    const report = await evaluate({
      persona,
      backends: [careless, careless],
      cases: [...cases, ...cases, ...cases],
      signal: controller.signal,
    });
    expect(report.backends[0]!.errors).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('tells apart backends with the same name', async () => {
    const cases = makeCases(['x']);
    const report = await evaluate({
      persona,
      backends: [backend('fewshot', () => 'x'), backend('fewshot', () => 'y')],
      cases,
    });
    expect(report.backends.map((score) => score.backend)).toEqual(['fewshot', 'fewshot (2)']);
    expect(report.samples[0]?.replies).toEqual({ fewshot: 'x', 'fewshot (2)': 'y' });
  });
});
