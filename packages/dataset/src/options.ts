import { PlatformSchema } from '@alterego/core';
import { z } from 'zod';
import { DEFAULT_MODEL } from './models.js';

/**
 * The persona prompt every example starts with, unless you give your own. `{name}` is replaced
 * with `name`, or with the name of the person in the first conversation that makes examples.
 */
export const DEFAULT_SYSTEM_PROMPT =
  'You are {name}, texting with people you know. Reply the way {name} texts: same language, length, tone, emoji and punctuation.';

/** The instruction before each post in `posts` examples, unless you give your own. */
export const DEFAULT_POST_PROMPT = 'Write a post.';

const DateSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/,
    'expected a date like 2024-01-31 or an ISO time like 2024-01-31T18:00:00Z',
  )
  .refine((value) => !Number.isNaN(Date.parse(value)), 'expected a real date');

/** Every option of `buildDataset`, with its default. */
export const DatasetOptionsSchema = z
  .object({
    mode: z
      .enum(['sessions', 'pairs'])
      .default('sessions')
      .describe(
        'sessions: multi-turn examples windowed to maxExampleTokens; pairs: one reply with contextTurns turns before it',
      ),
    sessionGapMinutes: z
      .number()
      .positive()
      .default(60)
      .describe('A silence longer than this starts a new session; no example spans one'),
    maxExampleTokens: z
      .number()
      .int()
      .min(64)
      .default(2048)
      .describe("Most tokens of one example (also capped by the model's training context)"),
    overlapTurns: z
      .number()
      .int()
      .min(0)
      .default(2)
      .describe('sessions: turns a window repeats from the one before, as context (weight 0)'),
    contextTurns: z
      .number()
      .int()
      .min(1)
      .default(6)
      .describe('pairs: turns of context before each reply'),
    includeGroups: z
      .boolean()
      .default(false)
      .describe('Use group chats; speakers are named in user turns ("Alex: …")'),
    includePosts: z.boolean().default(true).describe('Use posts (tweets) as examples'),
    postPrompt: z
      .string()
      .default(DEFAULT_POST_PROMPT)
      .describe('The user turn before each post; empty for none'),
    name: z.string().min(1).optional().describe('Your name, for {name} in the system prompt'),
    systemPrompt: z
      .string()
      .default(DEFAULT_SYSTEM_PROMPT)
      .describe('The persona prompt of every example ({name} is replaced); empty for none'),
    platforms: z.array(PlatformSchema).optional().describe('Only these platforms'),
    chats: z
      .array(z.string().min(1))
      .optional()
      .describe('Only these chats, by conversation id or title (any case)'),
    excludeChats: z.array(z.string().min(1)).default([]).describe('Leave these chats out'),
    participants: z
      .array(z.string().min(1))
      .optional()
      .describe('Only chats with one of these people (name, handle or id, any case)'),
    excludeParticipants: z
      .array(z.string().min(1))
      .default([])
      .describe('Leave out chats with these people'),
    since: DateSchema.optional().describe('Only messages from this date or time on (UTC)'),
    until: DateSchema.optional().describe(
      'Only messages up to this date (inclusive) or time (UTC)',
    ),
    redact: z
      .boolean()
      .default(true)
      .describe('Replace phone numbers, e-mails, cards, IBANs and IP addresses with placeholders'),
    redactWords: z
      .array(z.string())
      .default([])
      .describe('Names or words replaced with [NAME] (even when redact is off)'),
    dropSecrets: z
      .boolean()
      .default(true)
      .describe('Drop messages with one-time codes, passwords or API keys'),
    dropLinkOnly: z.boolean().default(false).describe('Drop messages that are only links'),
    minReplyChars: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('Shorter replies are not trained on'),
    maxReplyChars: z
      .number()
      .int()
      .min(1)
      .default(2000)
      .describe('Longer replies are not trained on'),
    repeatedReplyMaxChars: z
      .number()
      .int()
      .min(0)
      .default(10)
      .describe('Replies up to this long ("ok", "lol") are down-sampled when repeated'),
    repeatedReplyKeep: z
      .number()
      .int()
      .min(0)
      .default(20)
      .describe('Each repeated short reply is kept this often, then ever more rarely; 0 for off'),
    validFraction: z
      .number()
      .min(0)
      .max(0.5)
      .default(0.1)
      .describe("Share of each chat's sessions held out for validation"),
    seed: z.number().int().default(42).describe('Seed of the split and of down-sampling'),
    minTrainExamples: z
      .number()
      .int()
      .min(0)
      .default(10)
      .describe('Fewer training examples is an error (the hosted service needs 10)'),
    model: z
      .string()
      .min(1)
      .default(DEFAULT_MODEL)
      .describe('The model the examples are sized and priced for'),
  })
  .strict()
  .refine((options) => options.minReplyChars <= options.maxReplyChars, {
    message: 'minReplyChars must not be more than maxReplyChars',
    path: ['minReplyChars'],
  });

/** Options as you pass them: every field optional. */
export type DatasetOptions = z.input<typeof DatasetOptionsSchema>;
/** Options with every default filled in. */
export type ResolvedDatasetOptions = z.output<typeof DatasetOptionsSchema>;

/** Instant (ms) of `since`; a date alone means its start (UTC). */
export function sinceTime(since: string | undefined): number {
  return since === undefined
    ? -Infinity
    : Date.parse(since.length === 10 ? `${since}T00:00:00Z` : since);
}

/** Instant (ms) of `until`; a date alone means its whole day (UTC). */
export function untilTime(until: string | undefined): number {
  if (until === undefined) return Infinity;
  return until.length === 10
    ? Date.parse(`${until}T00:00:00Z`) + 86_400_000 - 1
    : Date.parse(until);
}
