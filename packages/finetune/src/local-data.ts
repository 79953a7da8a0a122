import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { ParseError, readLines, ValidationError } from '@alterego/core';
import type { TrainingData } from './provider.js';

/** The local training engines: mlx_lm on Apple Silicon, transformers + peft, Axolotl. */
export type LocalEngine = 'mlx' | 'hf' | 'axolotl';

export const LOCAL_ENGINES: readonly LocalEngine[] = ['mlx', 'hf', 'axolotl'];

/** One chat message as the engines receive it. */
export interface EngineMessage {
  role: string;
  content: string;
  /** Kept for engines that read it (hf, Axolotl): 0 means context, not trained on. */
  weight?: 0;
}

/** One file written for an engine. */
export interface LaidOutFile {
  /** The file it was made from. */
  source: string;
  /** The file written. */
  path: string;
  /** Examples read from the source. */
  examples: number;
  /** Lines written (mlx: one per trained reply). */
  written: number;
  /** Assistant turns that are trained on (weight not 0). */
  trainedTurns: number;
  /** Assistant turns kept as context only (weight 0). */
  contextTurns: number;
  /** Examples left out because nothing in them is trained on. */
  skipped: number;
}

export interface LaidOutData {
  dir: string;
  train: LaidOutFile;
  validation?: LaidOutFile;
}

/**
 * Writes `train.jsonl` (and `valid.jsonl`) into `dir` in the form an engine trains on, with the
 * loss on the person's trained replies only:
 *
 * - `mlx`: mlx_lm's `mask_prompt` trains on the last message of an example only, so each
 *   assistant turn that is trained on becomes one example that ends with it (the conversation up
 *   to that reply is its prompt). Turns with weight 0 stay as context and are never last.
 *   `weight` is removed.
 * - `hf` and `axolotl`: one example per line as given, `weight: 0` kept on context turns (the
 *   shipped script masks them; Axolotl reads it through `message_field_training: weight`).
 *
 * Examples in which nothing is trained on are left out. A line that is not a chat example is an
 * error naming the file and line.
 */
export async function layoutTrainingData(
  data: TrainingData,
  dir: string,
  engine: LocalEngine,
): Promise<LaidOutData> {
  const train = await layoutFile(data.trainFile, join(dir, 'train.jsonl'), engine);
  const validation =
    data.validationFile === undefined
      ? undefined
      : await layoutFile(data.validationFile, join(dir, 'valid.jsonl'), engine);
  return { dir, train, ...(validation ? { validation } : {}) };
}

/** The examples one source line becomes for an engine. */
export function engineExamples(
  messages: readonly EngineMessage[],
  engine: LocalEngine,
): { messages: EngineMessage[] }[] {
  const trained = messages.flatMap((message, index) =>
    message.role === 'assistant' && message.weight !== 0 ? [index] : [],
  );
  if (trained.length === 0) return [];
  if (engine === 'mlx') {
    const plain = messages.map((message) => ({ role: message.role, content: message.content }));
    return trained.map((index) => ({ messages: plain.slice(0, index + 1) }));
  }
  return [
    {
      messages: messages.map((message) => ({
        role: message.role,
        content: message.content,
        ...(message.role === 'assistant' && message.weight === 0 ? { weight: 0 as const } : {}),
      })),
    },
  ];
}

async function layoutFile(source: string, path: string, engine: LocalEngine): Promise<LaidOutFile> {
  if (resolve(source) === resolve(path)) {
    throw new ValidationError(
      `${source}: the engine's copy would overwrite it; lay the data out in another folder`,
    );
  }
  const result: LaidOutFile = {
    source,
    path,
    examples: 0,
    written: 0,
    trainedTurns: 0,
    contextTurns: 0,
    skipped: 0,
  };
  const out = createWriteStream(path);
  const closed = once(out, 'close');
  try {
    let line = 0;
    for await (const text of readLines(createReadStream(source))) {
      line += 1;
      if (text.trim() === '') continue;
      const messages = parseExample(text, source, line);
      result.examples += 1;
      for (const message of messages) {
        if (message.role !== 'assistant') continue;
        if (message.weight === 0) result.contextTurns += 1;
        else result.trainedTurns += 1;
      }
      const examples = engineExamples(messages, engine);
      if (examples.length === 0) result.skipped += 1;
      for (const example of examples) {
        if (!out.write(`${JSON.stringify(example)}\n`)) await once(out, 'drain');
        result.written += 1;
      }
    }
  } finally {
    out.end();
    await closed;
  }
  return result;
}

function parseExample(text: string, file: string, line: number): EngineMessage[] {
  const fail = (reason: string): never => {
    throw new ParseError(reason, { file, line, ruleId: 'local:invalid-example' });
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('not valid JSON; expected one {"messages": [...]} chat example a line');
  }
  const messages = (value as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) {
    return fail(
      'expected a chat example {"messages": [...]}; preference pairs (DPO) cannot be trained locally',
    );
  }
  return messages.map((message: unknown, index) => {
    const { role, content, weight } = (message ?? {}) as Record<string, unknown>;
    if (typeof role !== 'string' || !['system', 'user', 'assistant'].includes(role)) {
      return fail(`messages[${index}].role: expected "system", "user" or "assistant"`);
    }
    if (typeof content !== 'string') return fail(`messages[${index}].content: expected a string`);
    if (weight !== undefined && weight !== 0 && weight !== 1) {
      return fail(`messages[${index}].weight: expected 0 or 1`);
    }
    return { role, content, ...(weight === 0 ? { weight: 0 as const } : {}) };
  });
}
