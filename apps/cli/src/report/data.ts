import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatZodError } from '@alterego/core';
import { DATASET_FILES } from '@alterego/dataset';
import { z } from 'zod';
import { CliError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';

const count = z.number().int().nonnegative();

const DistributionSchema = z.object({
  count,
  total: count,
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  median: z.number(),
  p10: z.number(),
  p90: z.number(),
});

/** The parts of a dataset's manifest.json the report shows. Other keys are ignored. */
export const DatasetSectionSchema = z.object({
  path: z.string(),
  systemPrompt: z.string(),
  conversations: z.object({ read: count, used: count, skipped: z.record(z.string(), count) }),
  messages: z.object({
    read: count,
    text: count,
    duplicates: count,
    secrets: count,
    linkOnly: count,
    used: count,
  }),
  replies: z.object({
    trained: count,
    tooShort: count,
    tooLongText: count,
    repeated: count,
    tooLongTokens: count,
  }),
  sessions: z.object({ train: count, valid: count }),
  examples: z.object({ train: count, valid: count }),
  tokens: z.object({
    train: DistributionSchema,
    valid: DistributionSchema,
    trainedAssistant: count,
  }),
  redaction: z.record(z.string(), count),
  cost: z.object({
    model: z.string(),
    epochs: z.number(),
    estimates: z.array(
      z.object({
        model: z.string(),
        contextTokens: z.number(),
        examplesOverLimit: count,
        billedTokensPerEpoch: count,
        epochs: z.number(),
        trainedTokens: count,
        trainingUsdPerMillion: z.number(),
        usd: z.number(),
      }),
    ),
  }),
  warnings: z.array(z.string()),
});

export type DatasetSection = z.infer<typeof DatasetSectionSchema>;

const nullableDate = z.iso.date().nullable();

const CountsSchema = z.object({
  messages: count,
  mine: count,
  myShare: z.number().min(0).max(1),
  text: count,
  media: count,
  myTextTokens: count,
  first: nullableDate,
  last: nullableDate,
});

/** What `alterego report --json` prints: every number the page shows. */
export const ReportDataSchema = z
  .object({
    title: z.string(),
    timeZone: z.string(),
    inputs: z.array(z.string()),
    totals: CountsSchema.extend({ chats: count, sources: count }).nullable(),
    sources: z.array(
      CountsSchema.extend({
        path: z.string(),
        formats: z.array(z.string()),
        platforms: z.array(z.string()),
        chats: count,
      }),
    ),
    /** The chats with most messages, most first. */
    topChats: z.array(
      CountsSchema.extend({
        id: z.string(),
        title: z.string(),
        platform: z.string(),
        kind: z.string(),
        source: z.string(),
        participants: count,
      }),
    ),
    activity: z
      .object({
        platforms: z.array(z.string()),
        months: z.array(
          z.object({
            month: z.string().regex(/^\d{4}-\d{2}$/),
            counts: z.record(z.string(), count),
          }),
        ),
        hours: z.array(z.array(count).length(24)).length(7),
        hoursOfEveryone: z.boolean(),
        replyLengths: z.array(
          z.object({ label: z.string(), min: count, max: count.nullable(), count }),
        ),
        medianReplyChars: count,
      })
      .nullable(),
    dataset: DatasetSectionSchema.nullable(),
  })
  .strict();

export type ReportData = z.infer<typeof ReportDataSchema>;

/** Reads a dataset folder's manifest.json; a missing or unreadable one is a usage error naming it. */
export async function readDatasetSection(dir: string, shown: string): Promise<DatasetSection> {
  const file = join(dir, DATASET_FILES.manifest);
  const where = join(shown, DATASET_FILES.manifest);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `${where}: no such file; expected a dataset folder written by "alterego build -o ${shown}"`
        : `${where}: cannot read the manifest (${code ?? String(cause)})`,
      ExitCode.usage,
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CliError(`${where}: not valid JSON (${(cause as Error).message})`, ExitCode.usage, {
      cause,
    });
  }
  const result = DatasetSectionSchema.safeParse({ ...(json as object), path: shown });
  if (!result.success) {
    throw new CliError(
      `${where}: not a dataset manifest of this version (${formatZodError(result.error)})`,
      ExitCode.usage,
      { cause: result.error },
    );
  }
  return result.data;
}
