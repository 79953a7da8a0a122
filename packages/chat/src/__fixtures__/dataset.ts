import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_SCHEMA_ID, type DatasetManifest } from '@alterego/dataset';

export type Message = { role: 'system' | 'user' | 'assistant'; content: string; weight?: 0 | 1 };

export const SYSTEM_PROMPT = 'You are Sam, texting with people you know.';

/** One training line: the system prompt, then alternating turns. */
export function example(...turns: [string, string][]): { messages: Message[] } {
  return {
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      ...turns.flatMap(([prompt, reply]): Message[] => [
        { role: 'user', content: prompt },
        { role: 'assistant', content: reply },
      ]),
    ],
  };
}

export const TRAIN = [
  example(['are you coming tonight?', 'yes!! see you at 8']),
  example(['did you feed the cat', 'of course\nshe ate everything 🐱']),
  example(
    ['hike this weekend? weather looks good', 'in!! which trail'],
    ['the ridge one', 'ok I’ll bring snacks 🥨'],
  ),
  example(['are you coming tonight?', 'yes!! see you at 8']),
  {
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: 'what did you think of the movie' },
      { role: 'assistant', content: 'context only, not trained', weight: 0 },
      { role: 'user', content: 'the ending though' },
      { role: 'assistant', content: 'honestly the ending was perfect' },
    ],
  },
] satisfies { messages: Message[] }[];

export const VALID = [
  example(['secret validation prompt pizza', 'validation reply never indexed']),
];

export function jsonl(lines: readonly unknown[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A manifest with the fields serving reads; the rest of a real one is left at neutral values. */
export function manifestFor(
  trainText: string,
  options: Partial<DatasetManifest['options']> = {},
  validText = '',
): DatasetManifest {
  return {
    schema: MANIFEST_SCHEMA_ID,
    generator: '@alterego/dataset',
    systemPrompt: SYSTEM_PROMPT,
    options: {
      sessionGapMinutes: 60,
      includeGroups: false,
      maxReplyChars: 2000,
      model: 'gpt-4.1-mini-2025-04-14',
      ...options,
    },
    files: {
      train: {
        path: 'train.jsonl',
        examples: 0,
        bytes: trainText.length,
        sha256: sha256(trainText),
      },
      valid: {
        path: 'valid.jsonl',
        examples: 0,
        bytes: validText.length,
        sha256: sha256(validText),
      },
    },
  } as unknown as DatasetManifest;
}

/** Writes train.jsonl, valid.jsonl and manifest.json into `dir`. */
export async function writeDatasetFolder(
  dir: string,
  train: readonly unknown[] = TRAIN,
  options: Partial<DatasetManifest['options']> = {},
): Promise<DatasetManifest> {
  const trainText = jsonl(train);
  const validText = jsonl(VALID);
  const manifest = manifestFor(trainText, options, validText);
  await writeFile(join(dir, 'train.jsonl'), trainText);
  await writeFile(join(dir, 'valid.jsonl'), validText);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A fresh temporary folder and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'alterego-chat-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
