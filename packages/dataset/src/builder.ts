import { createHash } from 'node:crypto';
import { type Conversation, formatZodError, ValidationError } from '@alterego/core';
import { DatasetError } from './dataset-error.js';
import {
  sessionExamples,
  pairExamples,
  postExample,
  type DatasetExample,
  type ExampleBatch,
  type SystemMessage,
} from './examples.js';
import { isLinkOnly, looksLikeSecret, RepeatedReplyLimiter } from './filters.js';
import { FingerprintSet, hashMessage, hashUnit } from './hash.js';
import { instantMs } from './instant.js';
import {
  CostAccumulator,
  defaultEpochs,
  FINE_TUNE_MODELS,
  findModel,
  type CostEstimate,
} from './models.js';
import {
  type DatasetOptions,
  DatasetOptionsSchema,
  type ResolvedDatasetOptions,
  sinceTime,
  untilTime,
} from './options.js';
import { createRedactor, type RedactionCounts } from './redact.js';
import { skipReason, type SkipReason } from './select.js';
import { CountList, type Distribution } from './stats.js';
import { countTextTokens, messageTokens } from './tokens.js';
import { buildTurns, type KeptMessage, splitSessions, type Turn } from './turns.js';

/** Which file an example goes to. */
export type Split = 'train' | 'valid';

/** An example with where it came from. */
export interface BuiltExample {
  split: Split;
  /** The conversation (chat) it comes from. */
  conversationId: string;
  /** Its session in that conversation, from 0: the unit of the train/validation split. */
  session: number;
  /** Tokens of the whole example. */
  tokens: number;
  example: DatasetExample;
}

/** Options as written to the manifest: the word list is private, so only its size and hash. */
export type RecordedOptions = Omit<ResolvedDatasetOptions, 'redactWords'> & {
  redactWords: { count: number; sha256: string | null };
};

/** What a build did: counts, token statistics, redaction report, cost table and warnings. */
export interface DatasetSummary {
  /** The person the examples speak as: the `name` option, else the name marked as you in the chats. */
  name: string;
  systemPrompt: string;
  options: RecordedOptions;
  conversations: {
    read: number;
    used: number;
    skipped: Record<SkipReason | 'no-examples', number>;
  };
  messages: {
    read: number;
    /** Text messages in the selected chats and dates. */
    text: number;
    /** Already seen in an earlier conversation (overlapping exports). */
    duplicates: number;
    /** Dropped: one-time codes, passwords, keys. */
    secrets: number;
    /** Dropped: nothing but links (with dropLinkOnly). */
    linkOnly: number;
    /** Made it into turns. */
    used: number;
  };
  replies: {
    /** The person's turns that examples train on. */
    trained: number;
    tooShort: number;
    tooLongText: number;
    /** Down-sampled repeated short replies. */
    repeated: number;
    /** Longer than the token budget even alone. */
    tooLongTokens: number;
  };
  sessions: { train: number; valid: number };
  examples: { train: number; valid: number };
  tokens: { train: Distribution; valid: Distribution; trainedAssistant: number };
  redaction: RedactionCounts;
  cost: { model: string; epochs: number; estimates: CostEstimate[] };
  warnings: string[];
}

/** Turns conversations into examples one conversation at a time, holding none of them. */
export interface DatasetBuilder {
  readonly options: ResolvedDatasetOptions;
  /** The examples of one conversation, already assigned to train or validation. */
  add(conversation: Conversation): BuiltExample[];
  /** The report so far. */
  summary(): DatasetSummary;
}

/** Reads options with their defaults; a ValidationError names the bad option. */
export function resolveDatasetOptions(options: DatasetOptions = {}): ResolvedDatasetOptions {
  const result = DatasetOptionsSchema.safeParse(options);
  if (!result.success) {
    throw new ValidationError(`invalid dataset option: ${formatZodError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}

function recordOptions(options: ResolvedDatasetOptions): RecordedOptions {
  const words = [...options.redactWords].sort();
  return {
    ...options,
    redactWords: {
      count: words.length,
      sha256:
        words.length === 0 ? null : createHash('sha256').update(words.join('\n')).digest('hex'),
    },
  };
}

/** Creates a builder. Options are checked here; a ValidationError names the bad one. */
export function createDatasetBuilder(input: DatasetOptions = {}): DatasetBuilder {
  const options = resolveDatasetOptions(input);
  const model = findModel(options.model);
  if (!model) {
    throw new ValidationError(
      `unknown model "${options.model}"; use one of: ${FINE_TUNE_MODELS.map((entry) => entry.id).join(', ')}`,
    );
  }
  const budget = Math.min(options.maxExampleTokens, model.contextTokens);
  const gapMs = options.sessionGapMinutes * 60_000;
  const since = sinceTime(options.since);
  const until = untilTime(options.until);
  const redactor = createRedactor({ words: options.redactWords });
  // Speaker names are redacted too, but not counted: the report counts what was in messages.
  const labelRedactor = createRedactor({ words: options.redactWords });
  const redact = options.redact ? redactor.redact : redactor.redactWords;
  const limiter = new RepeatedReplyLimiter(
    options.repeatedReplyMaxChars,
    options.repeatedReplyKeep,
    options.seed,
  );
  const seen = new FingerprintSet();
  const cost = new CostAccumulator();
  const trainTokens = new CountList();
  const validTokens = new CountList();
  const warnings = new Set<string>();
  let system: SystemMessage | undefined;
  let systemPrompt: string | undefined;
  let personName: string | undefined;

  const summary: Omit<
    DatasetSummary,
    'tokens' | 'redaction' | 'cost' | 'warnings' | 'systemPrompt' | 'options' | 'name'
  > = {
    conversations: {
      read: 0,
      used: 0,
      skipped: {
        group: 0,
        posts: 0,
        'not-selected': 0,
        excluded: 0,
        'no-self': 0,
        'no-examples': 0,
      },
    },
    messages: { read: 0, text: 0, duplicates: 0, secrets: 0, linkOnly: 0, used: 0 },
    replies: { trained: 0, tooShort: 0, tooLongText: 0, repeated: 0, tooLongTokens: 0 },
    sessions: { train: 0, valid: 0 },
    examples: { train: 0, valid: 0 },
  };
  let trainedAssistant = 0;

  function resolveSystem(conversation: Conversation): SystemMessage | undefined {
    if (systemPrompt === undefined) {
      const self = conversation.participants.find((participant) => participant.self);
      const name = options.name ?? self?.name ?? 'me';
      personName = name;
      systemPrompt = options.systemPrompt.replaceAll('{name}', name);
      system =
        systemPrompt === ''
          ? undefined
          : {
              content: systemPrompt,
              tokens: messageTokens('system', countTextTokens(systemPrompt)),
            };
    }
    return system;
  }

  function trainable(content: string): boolean {
    const length = content.trim().length;
    if (length < options.minReplyChars) {
      summary.replies.tooShort += 1;
      return false;
    }
    if (length > options.maxReplyChars) {
      summary.replies.tooLongText += 1;
      return false;
    }
    if (!limiter.accept(content)) {
      summary.replies.repeated += 1;
      return false;
    }
    return true;
  }

  /** The conversation's text messages that survive dates, dedupe, filters and redaction. */
  function keptMessages(conversation: Conversation): KeptMessage[] {
    const participants = new Map(conversation.participants.map((p) => [p.id, p]));
    const labels = new Map<string, string>();
    const label = (id: string) => {
      let value = labels.get(id);
      if (value === undefined) {
        const name = participants.get(id)?.name.trim() || id;
        value = labelRedactor.redactWords(name);
        labels.set(id, value);
      }
      return value;
    };
    const fingerprints: number[] = [];
    const kept: KeptMessage[] = [];
    for (const message of conversation.messages) {
      summary.messages.read += 1;
      if (message.type !== 'text' || message.senderId === null) continue;
      if (message.text.trim() === '') continue;
      const time = instantMs(message.time);
      if (time < since || time > until) continue;
      summary.messages.text += 1;
      const self = participants.get(message.senderId)?.self === true;
      const [high, low] = hashMessage(time, self, message.text);
      if (seen.has(high, low)) {
        summary.messages.duplicates += 1;
        continue;
      }
      fingerprints.push(high, low);
      if (options.dropSecrets && looksLikeSecret(message.text)) {
        summary.messages.secrets += 1;
        continue;
      }
      if (options.dropLinkOnly && isLinkOnly(message.text)) {
        summary.messages.linkOnly += 1;
        continue;
      }
      kept.push({
        time,
        self,
        senderId: message.senderId,
        label: self ? '' : label(message.senderId),
        text: redact(message.text),
      });
    }
    // Messages repeat within one chat ("ok" twice in a minute); only earlier chats count as copies.
    for (let index = 0; index < fingerprints.length; index += 2) {
      seen.add(fingerprints[index]!, fingerprints[index + 1]!);
    }
    summary.messages.used += kept.length;
    return kept;
  }

  function postBatches(
    messages: readonly KeptMessage[],
    system: SystemMessage | undefined,
  ): ExampleBatch[] {
    return messages
      .filter((message) => message.self)
      .map((message) => {
        const contentTokens = countTextTokens(message.text);
        const post: Turn = {
          role: 'assistant',
          content: message.text,
          contentTokens,
          tokens: messageTokens('assistant', contentTokens),
          trainable: trainable(message.text),
          first: message.time,
          last: message.time,
        };
        const prompt: Turn | undefined =
          options.postPrompt === ''
            ? undefined
            : {
                role: 'user',
                content: options.postPrompt,
                contentTokens: countTextTokens(options.postPrompt),
                tokens: messageTokens('user', countTextTokens(options.postPrompt)),
                trainable: false,
                first: message.time,
                last: message.time,
              };
        return postExample(post, prompt, { system, budget });
      });
  }

  function add(conversation: Conversation): BuiltExample[] {
    summary.conversations.read += 1;
    const reason = skipReason(conversation, options);
    if (reason !== undefined) {
      summary.conversations.skipped[reason] += 1;
      if (reason === 'no-self') {
        warnings.add(
          'some conversations have no participant marked as you and were left out; name yourself with --me (or `me` in the config) when converting',
        );
      }
      return [];
    }
    const messages = keptMessages(conversation);
    const systemMessage = resolveSystem(conversation);
    let batches: ExampleBatch[];
    if (conversation.kind === 'posts') {
      batches = postBatches(messages, systemMessage);
    } else {
      const others = new Set(messages.filter((m) => !m.self).map((m) => m.senderId));
      const labelSpeakers = conversation.kind === 'group' || others.size > 1;
      batches = splitSessions(messages, gapMs).map((session) => {
        const turns = buildTurns(session.messages, { labelSpeakers, trainable });
        return options.mode === 'pairs'
          ? pairExamples(turns, {
              system: systemMessage,
              budget,
              contextTurns: options.contextTurns,
            })
          : sessionExamples(turns, {
              system: systemMessage,
              budget,
              overlapTurns: options.overlapTurns,
            });
      });
    }
    const withExamples: number[] = [];
    batches.forEach((batch, index) => {
      summary.replies.tooLongTokens += batch.tooLong;
      if (batch.drafts.length > 0) withExamples.push(index);
    });
    if (withExamples.length === 0) {
      summary.conversations.skipped['no-examples'] += 1;
      return [];
    }
    summary.conversations.used += 1;
    const valid = validationSessions(
      conversation.id,
      withExamples,
      options.validFraction,
      options.seed,
    );
    const built: BuiltExample[] = [];
    for (const index of withExamples) {
      const split: Split = valid.has(index) ? 'valid' : 'train';
      summary.sessions[split] += 1;
      for (const draft of batches[index]!.drafts) {
        summary.examples[split] += 1;
        if (split === 'train') {
          trainTokens.add(draft.tokens);
          cost.add(draft.tokens);
          trainedAssistant += draft.trainedTokens;
        } else validTokens.add(draft.tokens);
        summary.replies.trained += draft.example.messages.filter(
          (message) => message.role === 'assistant' && message.weight === undefined,
        ).length;
        built.push({
          split,
          conversationId: conversation.id,
          session: index,
          tokens: draft.tokens,
          example: draft.example,
        });
      }
    }
    return built;
  }

  return {
    options,
    add,
    summary() {
      const train = trainTokens.distribution();
      const epochs = defaultEpochs(train.count);
      const notes = [...warnings];
      if (summary.examples.valid === 0 && options.validFraction > 0) {
        notes.push('no validation examples: too few sessions per chat for the validation share');
      }
      if (train.count > 0 && train.count < 100) {
        notes.push(
          `only ${train.count} training examples; a few hundred or more make a model sound much more like you`,
        );
      }
      if (summary.replies.tooLongTokens > 0) {
        notes.push(
          `${summary.replies.tooLongTokens} replies are longer than the ${budget}-token budget even alone and were left out; raise maxExampleTokens to keep them`,
        );
      }
      return {
        name: personName ?? options.name ?? 'me',
        systemPrompt:
          systemPrompt ?? options.systemPrompt.replaceAll('{name}', options.name ?? 'me'),
        options: recordOptions(options),
        ...structuredClone(summary),
        tokens: { train, valid: validTokens.distribution(), trainedAssistant },
        redaction: redactor.counts(),
        cost: { model: model.id, epochs, estimates: cost.estimates(epochs) },
        warnings: notes,
      };
    },
  };
}

/**
 * The sessions of one chat held out for validation: the chat's share of its sessions (rounded
 * up or down by a seeded draw, so that shares add up across many small chats), picked by a
 * seeded hash of chat and session. The same seed gives the same split.
 */
export function validationSessions(
  chatId: string,
  sessions: readonly number[],
  fraction: number,
  seed: number,
): Set<number> {
  if (fraction <= 0 || sessions.length === 0) return new Set();
  const exact = fraction * sessions.length;
  const count = Math.min(
    sessions.length,
    Math.floor(exact) + (hashUnit(chatId, seed) < exact - Math.floor(exact) ? 1 : 0),
  );
  const ranked = sessions
    .map((session) => ({ session, rank: hashUnit(`${chatId}\u0000${session}`, seed) }))
    .sort((a, b) => a.rank - b.rank || a.session - b.session);
  return new Set(ranked.slice(0, count).map((entry) => entry.session));
}

/** Throws a DatasetError when a build made fewer training examples than the service needs. */
export function assertEnoughExamples(summary: DatasetSummary): void {
  const needed = summary.options.minTrainExamples;
  if (summary.examples.train >= needed) return;
  const skipped = Object.entries(summary.conversations.skipped)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  throw new DatasetError(
    `only ${summary.examples.train} training example${summary.examples.train === 1 ? '' : 's'} from ${summary.conversations.read} conversation${summary.conversations.read === 1 ? '' : 's'}` +
      `${skipped ? ` (skipped: ${skipped})` : ''}; at least ${needed} are needed. Add more chats, include group chats, or widen the date range`,
  );
}

/** All examples in memory: for tests and small inputs. `writeDataset` streams instead. */
export async function buildDataset(
  conversations: AsyncIterable<Conversation> | Iterable<Conversation>,
  options: DatasetOptions = {},
): Promise<{
  train: DatasetExample[];
  valid: DatasetExample[];
  examples: BuiltExample[];
  summary: DatasetSummary;
}> {
  const builder = createDatasetBuilder(options);
  const examples: BuiltExample[] = [];
  for await (const conversation of conversations) examples.push(...builder.add(conversation));
  const summary = builder.summary();
  assertEnoughExamples(summary);
  return {
    train: examples
      .filter((example) => example.split === 'train')
      .map((example) => example.example),
    valid: examples
      .filter((example) => example.split === 'valid')
      .map((example) => example.example),
    examples,
    summary,
  };
}
