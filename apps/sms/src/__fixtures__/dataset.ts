// A dataset folder as `alterego build` writes it (train.jsonl, valid.jsonl, manifest.json), for
// the real retrieval backend in tests and the benchmark.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SYSTEM_PROMPT = 'You are Sam, texting with people you know.';

const line = (prompt: string, reply: string) =>
  `${JSON.stringify({
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: prompt },
      { role: 'assistant', content: reply },
    ],
  })}\n`;

/** Writes a dataset of these exchanges into `dir` (which must exist). */
export async function writeDataset(
  dir: string,
  exchanges: readonly (readonly [prompt: string, reply: string])[] = [
    ['are you coming tonight?', 'yes!! see you at 8'],
    ['did you feed the cat', 'of course\nshe ate everything'],
    ['hike this weekend?', 'in!! which trail'],
  ],
): Promise<void> {
  const train = exchanges.map(([prompt, reply]) => line(prompt, reply)).join('');
  const valid = line('a validation prompt', 'a validation reply');
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const manifest = {
    schema: 'alterego.dataset-manifest/1',
    generator: '@alterego/dataset',
    systemPrompt: SYSTEM_PROMPT,
    options: {
      name: 'Sam',
      sessionGapMinutes: 60,
      includeGroups: false,
      maxReplyChars: 2000,
      model: 'gpt-4.1-mini-2025-04-14',
    },
    files: {
      train: {
        path: 'train.jsonl',
        examples: exchanges.length,
        bytes: Buffer.byteLength(train),
        sha256: sha256(train),
      },
      valid: { path: 'valid.jsonl', examples: 1, bytes: Buffer.byteLength(valid), sha256: sha256(valid) },
    },
  };
  await writeFile(join(dir, 'train.jsonl'), train);
  await writeFile(join(dir, 'valid.jsonl'), valid);
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
