import type { Persona, ReplyBackend } from '../types.js';
import { corpusChrF } from './chrf.js';
import { wassersteinDistance } from './distance.js';
import type { EvalCase } from './load-cases.js';
import { replyLength, styleProfile, wordsIn, type StyleProfile } from './style-profile.js';

/** How close one backend's replies are to the person's real ones. */
export interface BackendScore {
  /** The backend's name (made unique with " (2)", " (3)" when two share one). */
  backend: string;
  /** The model the backend reported, when it did. */
  model?: string;
  /** Corpus chrF (0–100) of the replies against the real replies. */
  chrF: number;
  /** 1-D Wasserstein distance between the reply lengths and the real ones, in characters. */
  lengthDistance: number;
  /** |emoji share − real emoji share|, 0–1. */
  emojiDelta: number;
  /** Mean |share − real share| over the four punctuation shares, 0–1. */
  punctuationDelta: number;
  /** Mean |share − real share| over the three casing shares, 0–1. */
  casingDelta: number;
  /** Jaccard overlap of the lowercased words used and the real words, 0–1. */
  vocabularyOverlap: number;
  /** Replies that failed (thrown, rejected, or not text); left out of every other number. */
  errors: number;
  /** Mean time of the replies that succeeded, in ms. */
  meanLatencyMs: number;
  /** The style of the replies that succeeded. */
  profile: StyleProfile;
}

/** One row of the sample table. */
export interface EvalSample {
  id: string;
  /** The last user turn: what was answered. */
  context: string;
  /** What the person really said. */
  real: string;
  /** Backend name → its reply, or `(error: …)`. */
  replies: Record<string, string>;
}

export interface EvalReport {
  /** The persona's name. */
  persona: string;
  /** Number of cases. */
  cases: number;
  /** The style of the real replies. */
  real: StyleProfile;
  backends: BackendScore[];
  samples: EvalSample[];
}

export interface EvaluateOptions {
  persona: Persona;
  backends: readonly ReplyBackend[];
  cases: readonly EvalCase[];
  /** Replies asked at the same time, over all backends (default 2). */
  concurrency?: number;
  /** Rows in the sample table (default 12), spread evenly over the cases. */
  samples?: number;
  /** Stops the run: no new replies are asked, the signal reaches the backends, and the promise rejects with its reason. */
  signal?: AbortSignal;
  /** Called after each reply: replies done, replies in all (cases × backends). */
  onProgress?: (done: number, total: number) => void;
  /** The clock latencies are measured with, in ms (default `performance.now`). */
  now?: () => number;
}

type Outcome =
  { ok: true; text: string; ms: number; model: string | undefined } | { ok: false; error: string };

const DEFAULT_CONCURRENCY = 2;
const DEFAULT_SAMPLES = 12;

/** Backend names, made unique in order: `fewshot`, `fewshot (2)`. */
function uniqueNames(backends: readonly ReplyBackend[]): string[] {
  const seen = new Map<string, number>();
  return backends.map((backend) => {
    const count = (seen.get(backend.name) ?? 0) + 1;
    seen.set(backend.name, count);
    return count === 1 ? backend.name : `${backend.name} (${count})`;
  });
}

function errorText(error: unknown): string {
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  return (message.split('\n')[0] ?? '').trim() || 'failed';
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, x) => sum + x, 0) / values.length;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared);
}

function wordSet(texts: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const text of texts) for (const word of wordsIn(text)) words.add(word);
  return words;
}

/**
 * Compares each backend's replies with the real ones. Each backend is measured against the real
 * replies of the cases it answered, so failures do not distort the style numbers; a backend that
 * answered nothing scores NaN (null in JSON).
 */
export function scoreBackend(
  name: string,
  cases: readonly EvalCase[],
  outcomes: readonly Outcome[],
): BackendScore {
  const replies: string[] = [];
  const reals: string[] = [];
  const latencies: number[] = [];
  let errors = 0;
  let model: string | undefined;
  outcomes.forEach((outcome, index) => {
    if (!outcome.ok) {
      errors += 1;
      return;
    }
    replies.push(outcome.text);
    reals.push(cases[index]!.real);
    latencies.push(outcome.ms);
    model ??= outcome.model;
  });
  const profile = styleProfile(replies);
  const real = styleProfile(reals);
  const answered = replies.length > 0;
  const delta = (pairs: Array<[number, number]>): number =>
    answered ? mean(pairs.map(([a, b]) => Math.abs(a - b))) : Number.NaN;
  return {
    backend: name,
    ...(model === undefined ? {} : { model }),
    chrF: answered
      ? corpusChrF(replies.map((hypothesis, i) => ({ hypothesis, reference: reals[i]! })))
      : Number.NaN,
    lengthDistance: answered
      ? wassersteinDistance(
          replies.map((text) => replyLength(text.trim())),
          reals.map((text) => replyLength(text.trim())),
        )
      : Number.NaN,
    emojiDelta: delta([[profile.emoji.share, real.emoji.share]]),
    punctuationDelta: delta([
      [profile.punctuation.finalPeriod, real.punctuation.finalPeriod],
      [profile.punctuation.exclamation, real.punctuation.exclamation],
      [profile.punctuation.question, real.punctuation.question],
      [profile.punctuation.ellipsis, real.punctuation.ellipsis],
    ]),
    casingDelta: delta([
      [profile.casing.lowercaseStart, real.casing.lowercaseStart],
      [profile.casing.allLowercase, real.casing.allLowercase],
      [profile.casing.allCaps, real.casing.allCaps],
    ]),
    vocabularyOverlap: answered ? jaccard(wordSet(replies), wordSet(reals)) : Number.NaN,
    errors,
    meanLatencyMs: mean(latencies),
    profile,
  };
}

/** `count` indices spread evenly over 0…total−1. */
function spread(total: number, count: number): number[] {
  if (count >= total) return Array.from({ length: total }, (_, index) => index);
  return Array.from({ length: count }, (_, index) => Math.floor((index * total) / count));
}

function whenAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    // Also when the signal fired already; a promise settles once, so the later outcome is dropped.
    if (signal.aborted) onAbort();
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Asks every backend to answer every case (as counterpart `eval:<case id>`), at most
 * `concurrency` at a time, and scores the replies against what the person really said. A reply
 * that fails is counted in `errors` and left out of the numbers; it never stops the run.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvalReport> {
  const { persona, backends, cases, signal, onProgress } = options;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const sampleCount = options.samples ?? DEFAULT_SAMPLES;
  const now = options.now ?? (() => performance.now());
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  }
  if (!Number.isInteger(sampleCount) || sampleCount < 0) {
    throw new RangeError(`samples must be a whole number ≥ 0, got ${sampleCount}`);
  }
  signal?.throwIfAborted();

  const names = uniqueNames(backends);
  const outcomes: Outcome[][] = backends.map(() => []);
  const total = cases.length * backends.length;
  let next = 0;
  let done = 0;

  const ask = async (task: number): Promise<void> => {
    const caseIndex = Math.floor(task / backends.length);
    const backendIndex = task % backends.length;
    const evalCase = cases[caseIndex]!;
    const backend = backends[backendIndex]!;
    const started = now();
    let outcome: Outcome;
    // Each call gets a signal of its own, tied to the run's: clients that leave a listener on the
    // signal they are given (the openai SDK does) then never pile listeners up on the run's.
    const call = new AbortController();
    const stop = (): void => call.abort(signal?.reason);
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    try {
      const result = await backend.reply({
        persona,
        history: evalCase.history,
        counterpart: { id: `eval:${evalCase.id}` },
        ...(signal === undefined ? {} : { signal: call.signal }),
      });
      outcome =
        typeof result?.text === 'string'
          ? { ok: true, text: result.text, ms: now() - started, model: result.model }
          : { ok: false, error: 'the backend answered without text' };
    } catch (error) {
      outcome = { ok: false, error: errorText(error) };
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    outcomes[backendIndex]![caseIndex] = outcome;
    done += 1;
    onProgress?.(done, total);
  };

  const worker = async (): Promise<void> => {
    while (next < total && !signal?.aborted) {
      const task = next;
      next += 1;
      await ask(task);
    }
  };

  await whenAborted(
    Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker)),
    signal,
  );
  signal?.throwIfAborted();

  const samples = spread(cases.length, sampleCount).map((caseIndex): EvalSample => {
    const evalCase = cases[caseIndex]!;
    const replies: Record<string, string> = {};
    names.forEach((name, backendIndex) => {
      const outcome = outcomes[backendIndex]![caseIndex]!;
      replies[name] = outcome.ok ? outcome.text : `(error: ${outcome.error})`;
    });
    const lastUser = evalCase.history.findLast((turn) => turn.role === 'user');
    return { id: evalCase.id, context: lastUser?.content ?? '', real: evalCase.real, replies };
  });

  return {
    persona: persona.name,
    cases: cases.length,
    real: styleProfile(cases.map((evalCase) => evalCase.real)),
    backends: names.map((name, index) => scoreBackend(name, cases, outcomes[index]!)),
    samples,
  };
}
