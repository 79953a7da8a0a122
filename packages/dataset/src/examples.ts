import { TOKENS_PER_EXAMPLE } from './tokens.js';
import type { Turn } from './turns.js';

/** One message of a chat fine-tuning example. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** On assistant messages only: 0 keeps the message as context without training on it. */
  weight?: 0;
}

/** One line of `train.jsonl` / `valid.jsonl`. */
export interface DatasetExample {
  messages: ChatMessage[];
}

/** An example with what the builder needs to know about it. */
export interface ExampleDraft {
  example: DatasetExample;
  /** Tokens of the whole example, counted as the service's data-preparation notebook does. */
  tokens: number;
  /** Content tokens of the assistant messages trained on. */
  trainedTokens: number;
  /** Time of the first and the last message in the example (ms). */
  first: number;
  last: number;
}

/** The system message every example starts with, when there is one. */
export interface SystemMessage {
  content: string;
  /** Its tokens in an example, with the per-message overhead. */
  tokens: number;
}

export interface ExampleOptions {
  system: SystemMessage | undefined;
  /** Most tokens of one example. */
  budget: number;
}

/** What a builder step made, and how many replies could not fit in any example. */
export interface ExampleBatch {
  drafts: ExampleDraft[];
  tooLong: number;
}

function baseTokens(system: SystemMessage | undefined): number {
  return TOKENS_PER_EXAMPLE + (system?.tokens ?? 0);
}

function toDraft(
  turns: readonly Turn[],
  trained: ReadonlySet<Turn>,
  system: SystemMessage | undefined,
  tokens: number,
): ExampleDraft {
  const messages: ChatMessage[] = system ? [{ role: 'system', content: system.content }] : [];
  let trainedTokens = 0;
  for (const turn of turns) {
    if (turn.role === 'user') messages.push({ role: 'user', content: turn.content });
    else if (trained.has(turn)) {
      messages.push({ role: 'assistant', content: turn.content });
      trainedTokens += turn.contentTokens;
    } else messages.push({ role: 'assistant', content: turn.content, weight: 0 });
  }
  return {
    example: { messages },
    tokens,
    trainedTokens,
    first: turns[0]!.first,
    last: turns[turns.length - 1]!.last,
  };
}

/**
 * Multi-turn examples of one session: windows of whole turns up to the token budget, each
 * ending on an assistant turn. A window repeats the last `overlapTurns` turns of the one before
 * as context; an assistant turn already trained on, or failing the reply filters, is kept there
 * with `weight: 0`, so that every reply is trained on once. A turn too long for any window is
 * left out, and the window goes on after it.
 */
export function sessionExamples(
  turns: readonly Turn[],
  options: ExampleOptions & { overlapTurns: number },
): ExampleBatch {
  const drafts: ExampleDraft[] = [];
  const base = baseTokens(options.system);
  let tooLong = 0;
  let trainedUpTo = -1;
  let start = 0;
  while (start < turns.length) {
    let end = start;
    let total = base;
    while (end < turns.length && total + turns[end]!.tokens <= options.budget) {
      total += turns[end]!.tokens;
      end += 1;
    }
    if (end === start) {
      // One turn longer than the whole budget: it cannot be in any example.
      if (turns[start]!.role === 'assistant' && turns[start]!.trainable) tooLong += 1;
      trainedUpTo = Math.max(trainedUpTo, start);
      start += 1;
      continue;
    }
    let last = end - 1;
    while (last >= start && turns[last]!.role === 'user') {
      total -= turns[last]!.tokens;
      last -= 1;
    }
    if (last >= start) {
      const window = turns.slice(start, last + 1);
      const trained = new Set<Turn>();
      window.forEach((turn, offset) => {
        if (turn.role === 'assistant' && turn.trainable && start + offset > trainedUpTo) {
          trained.add(turn);
        }
      });
      if (trained.size > 0) drafts.push(toDraft(window, trained, options.system, total));
      trainedUpTo = Math.max(trainedUpTo, last);
    }
    if (end >= turns.length) break;
    const resume = (last >= start ? last + 1 : end) - options.overlapTurns;
    start = Math.max(start + 1, resume);
  }
  return { drafts, tooLong };
}

/**
 * One example per reply: the person's turn after up to `contextTurns` turns before it (at least
 * the message it answers). Over-long examples lose their oldest context first, never the reply;
 * earlier replies in the context have `weight: 0`. A session's opening turn by the person
 * answers nothing and makes no pair.
 */
export function pairExamples(
  turns: readonly Turn[],
  options: ExampleOptions & { contextTurns: number },
): ExampleBatch {
  const drafts: ExampleDraft[] = [];
  const base = baseTokens(options.system);
  let tooLong = 0;
  for (let reply = 1; reply < turns.length; reply += 1) {
    const turn = turns[reply]!;
    if (turn.role !== 'assistant' || !turn.trainable) continue;
    let start = Math.max(0, reply - options.contextTurns);
    let total = base + turn.tokens;
    for (let index = start; index < reply; index += 1) total += turns[index]!.tokens;
    while (total > options.budget && start < reply) {
      total -= turns[start]!.tokens;
      start += 1;
    }
    // The turn just before the reply is always someone else's (turns alternate).
    if (start === reply) {
      tooLong += 1;
      continue;
    }
    drafts.push(toDraft(turns.slice(start, reply + 1), new Set([turn]), options.system, total));
  }
  return { drafts, tooLong };
}

/** One example per post: the post prompt (when not empty) and the post. */
export function postExample(
  post: Turn,
  prompt: Turn | undefined,
  options: ExampleOptions,
): ExampleBatch {
  const turns = prompt ? [prompt, post] : [post];
  let total = baseTokens(options.system);
  for (const turn of turns) total += turn.tokens;
  if (total > options.budget || !post.trainable) {
    return { drafts: [], tooLong: post.trainable ? 1 : 0 };
  }
  const draft = toDraft(turns, new Set([post]), options.system, total);
  draft.first = post.first;
  return { drafts: [draft], tooLong: 0 };
}
