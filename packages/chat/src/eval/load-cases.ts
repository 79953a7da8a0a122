import { createReadStream } from 'node:fs';
import { ParseError, readLines } from '@alterego/core';
import type { ChatTurn } from '../types.js';

/** One reply of the person's to compare against: what came before, and what they really said. */
export interface EvalCase {
  /** `LINE:INDEX`: the line of the example in the file and the message's index in it. */
  id: string;
  /** The turns before the reply (system prompt left out); the last is the user turn answered. */
  history: ChatTurn[];
  /** What the person really said (bubbles joined with newlines). */
  real: string;
}

export interface LoadEvalCasesOptions {
  /** Most cases; more are sampled down to this many (default 200). */
  limit?: number;
  /** Seed of the sample (default 42): the same file, limit and seed give the same cases. */
  seed?: number;
}

const DEFAULT_LIMIT = 200;
const DEFAULT_SEED = 42;
const ROLES = new Set(['system', 'user', 'assistant']);

/** A small, fast, seeded generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` of the indices 0…total−1, chosen by the seed, in ascending order. */
export function sampleIndices(total: number, count: number, seed: number): number[] {
  const indices = Array.from({ length: total }, (_, index) => index);
  if (count >= total) return indices;
  const random = seededRandom(seed);
  for (let i = 0; i < count; i += 1) {
    const j = i + Math.floor(random() * (total - i));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices.slice(0, count).sort((a, b) => a - b);
}

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
  weight?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseExample(text: string, file: string, line: number): Message[] {
  const fail = (reason: string): never => {
    throw new ParseError(`expected ${reason}`, { file, line, ruleId: 'eval:bad-example' });
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('one JSON object per line (a chat fine-tuning example)');
  }
  if (!isRecord(value) || !Array.isArray(value['messages'])) {
    return fail('an object with a "messages" array');
  }
  return value['messages'].map((message: unknown, index): Message => {
    if (
      !isRecord(message) ||
      typeof message['role'] !== 'string' ||
      !ROLES.has(message['role']) ||
      typeof message['content'] !== 'string'
    ) {
      return fail(
        `messages[${index}] to have a role of system, user or assistant and text content`,
      );
    }
    const weight = message['weight'];
    if (weight !== undefined && weight !== 0 && weight !== 1) {
      return fail(`messages[${index}].weight to be 0 or 1`);
    }
    return {
      role: message['role'] as Message['role'],
      content: message['content'],
      ...(weight === undefined ? {} : { weight }),
    };
  });
}

/**
 * Reads the cases of an evaluation from a chat fine-tuning JSONL file (usually the `valid.jsonl`
 * of `alterego build`): every assistant turn that was trained on (weight not 0) and answers a user
 * turn becomes a case, with the turns before it in its example as history. Over `limit`, a seeded
 * sample is kept, in file order. A line that is not an example throws a `ParseError`
 * (`FILE:LINE: expected …`).
 */
export async function loadEvalCases(
  validFile: string,
  options: LoadEvalCasesOptions = {},
): Promise<EvalCase[]> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);

  const cases: EvalCase[] = [];
  let line = 0;
  for await (const text of readLines(createReadStream(validFile))) {
    line += 1;
    if (text.trim() === '') continue;
    const messages = parseExample(text, validFile, line);
    const turns: ChatTurn[] = [];
    messages.forEach((message, index) => {
      if (message.role === 'system') return;
      if (message.role === 'assistant' && message.weight !== 0 && turns.at(-1)?.role === 'user') {
        cases.push({ id: `${line}:${index}`, history: [...turns], real: message.content });
      }
      turns.push({ role: message.role, content: message.content });
    });
  }
  if (cases.length <= limit) return cases;
  return sampleIndices(cases.length, limit, seed).map((index) => cases[index]!);
}
