import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** One chat example: a user line and the reply the person gave. */
export function chatExample(index: number): Record<string, unknown> {
  return {
    messages: [
      { role: 'system', content: 'You are Sam. Reply the way Sam texts.' },
      { role: 'user', content: `are you coming tonight? (${index})` },
      { role: 'assistant', content: `yes!! see you at 8 (${index})` },
    ],
  };
}

/** One preference pair for DPO. */
export function preferenceExample(index: number): Record<string, unknown> {
  return {
    input: { messages: [{ role: 'user', content: `lunch? (${index})` }] },
    preferred_output: [{ role: 'assistant', content: `sure, 1pm? (${index})` }],
    non_preferred_output: [
      { role: 'assistant', content: `I would be delighted to join you. (${index})` },
    ],
  };
}

export function jsonl(values: readonly unknown[]): string {
  return values.map((value) => `${JSON.stringify(value)}\n`).join('');
}

/** Returns a function that makes a fresh temporary folder, removed after each test. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alterego-finetune-test-'));
    made.push(dir);
    return dir;
  };
}

/** Writes `train.jsonl` (and `valid.jsonl` when asked) with chat examples into a folder. */
export async function writeDataset(
  dir: string,
  options: { train?: number; valid?: number; offset?: number } = {},
): Promise<{ trainFile: string; validationFile?: string }> {
  const offset = options.offset ?? 0;
  const trainFile = join(dir, 'train.jsonl');
  await writeFile(
    trainFile,
    jsonl(Array.from({ length: options.train ?? 12 }, (_, index) => chatExample(index + offset))),
  );
  if (!options.valid) return { trainFile };
  const validationFile = join(dir, 'valid.jsonl');
  await writeFile(
    validationFile,
    jsonl(Array.from({ length: options.valid }, (_, index) => chatExample(1000 + index + offset))),
  );
  return { trainFile, validationFile };
}
