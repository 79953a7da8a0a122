import { rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Conversation, writeFileAtomic } from '@alterego/core';
import { type AtomicFile, openAtomicFile } from './atomic-file.js';
import { assertEnoughExamples, createDatasetBuilder, type DatasetSummary } from './builder.js';
import type { DatasetInput } from './input-hash.js';
import { MODEL_TABLE_DATE } from './models.js';
import type { DatasetOptions } from './options.js';

/** The value of `schema` in every manifest of this version. */
export const MANIFEST_SCHEMA_ID = 'alterego.dataset-manifest/1';

/** The files of a dataset folder. */
export const DATASET_FILES = {
  train: 'train.jsonl',
  valid: 'valid.jsonl',
  manifest: 'manifest.json',
} as const;

/** One written example file. */
export interface DatasetFile {
  path: string;
  examples: number;
  bytes: number;
  sha256: string;
}

/**
 * `manifest.json`: what a dataset was built from and how, so that it can be rebuilt and served
 * with exactly the same system prompt. No clock time: two builds of the same inputs with the same
 * options give identical files.
 */
export interface DatasetManifest extends DatasetSummary {
  schema: typeof MANIFEST_SCHEMA_ID;
  generator: string;
  inputs: DatasetInput[];
  files: { train: DatasetFile; valid: DatasetFile };
  modelTable: { date: string };
}

export interface WriteDatasetOptions {
  /** The inputs as the manifest should record them (see `hashInput`). */
  inputs?: DatasetInput[];
  /** Called after every conversation, e.g. for progress. */
  onConversation?: (conversation: Conversation) => void;
}

/**
 * Builds a dataset from a stream of conversations and writes `train.jsonl`, `valid.jsonl` and
 * `manifest.json` into `dir`, streaming: only one conversation's examples are in memory at a
 * time. The files appear complete or not at all; with fewer training examples than
 * `minTrainExamples` nothing is written and a DatasetError says why.
 */
export async function writeDataset(
  dir: string,
  conversations: AsyncIterable<Conversation> | Iterable<Conversation>,
  options: DatasetOptions = {},
  write: WriteDatasetOptions = {},
): Promise<DatasetManifest> {
  const builder = createDatasetBuilder(options);
  const existed = await stat(dir).then(
    () => true,
    () => false,
  );
  const files: Record<'train' | 'valid', AtomicFile> = {
    train: await openAtomicFile(join(dir, DATASET_FILES.train)),
    valid: await openAtomicFile(join(dir, DATASET_FILES.valid)),
  };
  let summary: DatasetSummary;
  try {
    for await (const conversation of conversations) {
      // One write per file and conversation: the lines of one conversation are held anyway.
      let train = '';
      let valid = '';
      for (const built of builder.add(conversation)) {
        const line = `${JSON.stringify(built.example)}\n`;
        if (built.split === 'train') train += line;
        else valid += line;
      }
      if (train !== '') await files.train.write(train);
      if (valid !== '') await files.valid.write(valid);
      write.onConversation?.(conversation);
    }
    summary = builder.summary();
    assertEnoughExamples(summary);
  } catch (error) {
    await Promise.all([files.train.abort(), files.valid.abort()]);
    // A folder made for this build goes again when nothing could be written into it.
    if (!existed) await rmdir(dir).catch(() => undefined);
    throw error;
  }
  const manifest: DatasetManifest = {
    schema: MANIFEST_SCHEMA_ID,
    generator: '@alterego/dataset',
    inputs: write.inputs ?? [],
    files: {
      train: {
        path: DATASET_FILES.train,
        examples: summary.examples.train,
        bytes: files.train.bytes,
        sha256: files.train.sha256(),
      },
      valid: {
        path: DATASET_FILES.valid,
        examples: summary.examples.valid,
        bytes: files.valid.bytes,
        sha256: files.valid.sha256(),
      },
    },
    modelTable: { date: MODEL_TABLE_DATE },
    ...summary,
  };
  await files.train.commit();
  await files.valid.commit();
  await writeFileAtomic(
    join(dir, DATASET_FILES.manifest),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return manifest;
}
