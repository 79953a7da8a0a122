import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ParseError, readLineBatches } from '@alterego/core';
import {
  CostAccumulator,
  DEFAULT_MODEL,
  defaultEpochs,
  FINE_TUNE_MODELS,
  findModel,
  type CostEstimate,
} from './models.js';
import { CountList, type Distribution } from './stats.js';
import { countExampleTokens, countTextTokens } from './tokens.js';

/**
 * Kinds of problems that make the service reject a file. The first seven are the format errors
 * of OpenAI's data-preparation notebook; the rest are rules of the fine-tuning API (the last two
 * for preference pairs, DPO).
 */
export const VALIDATION_ERROR_CODES = [
  'data_type',
  'missing_messages_list',
  'message_missing_key',
  'message_unrecognized_key',
  'unrecognized_role',
  'missing_content',
  'example_missing_assistant_message',
  'invalid_json',
  'example_unrecognized_key',
  'invalid_weight',
  'weight_not_on_assistant',
  'invalid_name',
  'too_few_examples',
  'file_too_large',
  'invalid_preference_output',
  'dpo_not_supported',
] as const;
export type ValidationErrorCode = (typeof VALIDATION_ERROR_CODES)[number];

/** One problem, with the 1-based line it is on (none for problems of the whole file). */
export interface TrainingFileProblem {
  code: ValidationErrorCode | 'example_too_long' | 'no_trained_assistant_message';
  line?: number;
  message: string;
}

/**
 * Chat examples (`{"messages": [...]}`) or preference pairs for DPO (`{"input": ...,
 * "preferred_output": ..., "non_preferred_output": ...}`).
 */
export type TrainingFileFormat = 'chat' | 'preference';

export interface TrainingFileReport {
  /** True when the service would accept the file. */
  ok: boolean;
  file: string;
  model: string;
  format: TrainingFileFormat;
  examples: number;
  /** Every error, counted by code. */
  errorCounts: Partial<Record<ValidationErrorCode, number>>;
  /** The first errors with their lines (up to `maxProblems`). */
  errors: TrainingFileProblem[];
  /** Things that do not stop a job but change what it learns or costs. */
  warnings: TrainingFileProblem[];
  stats: {
    missingSystem: number;
    missingUser: number;
    messagesPerExample: Distribution;
    tokensPerExample: Distribution;
    assistantTokensPerExample: Distribution;
  };
  cost: { epochs: number; estimate: CostEstimate; all: CostEstimate[] };
}

export interface ValidateOptions {
  /** The model to check limits and cost for. */
  model?: string;
  /** How many errors and warnings to list with their lines (all are counted). */
  maxProblems?: number;
  /** The shape every example must have; default: the shape of the first example. */
  format?: TrainingFileFormat;
  /** Fewest examples (default 10, the service's minimum for a training file). */
  minExamples?: number;
}

/** The service's minimum number of training examples. */
export const MIN_TRAINING_EXAMPLES = 10;
/** The Files API's largest upload. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

const MESSAGE_KEYS = new Set(['role', 'content', 'name', 'function_call', 'weight']);
const EXAMPLE_KEYS = new Set(['messages', 'functions', 'tools', 'parallel_tool_calls']);
const ROLES = new Set(['system', 'user', 'assistant', 'function']);
const PREFERENCE_KEYS = new Set(['input', 'preferred_output', 'non_preferred_output']);
const PREFERENCE_OUTPUTS = ['preferred_output', 'non_preferred_output'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a chat fine-tuning JSONL file the way the hosted service does: OpenAI's
 * data-preparation checks (with line numbers), `weight` only 0 or 1 and only on assistant
 * messages, at least 10 examples, at most 512 MB; plus token statistics, examples over the
 * model's training context and the cost with the service's default epochs. Preference pairs
 * (DPO) are checked too: an `input` with messages, and exactly one assistant message in each of
 * `preferred_output` and `non_preferred_output`, for a model that supports DPO. The file is read
 * line by line, so its size does not matter.
 */
export async function validateTrainingFile(
  path: string,
  options: ValidateOptions = {},
): Promise<TrainingFileReport> {
  const info = await stat(path).catch((cause: NodeJS.ErrnoException) => {
    throw new ParseError(
      cause.code === 'ENOENT'
        ? 'no such file; expected a chat fine-tuning .jsonl file'
        : `cannot read the file (${cause.code ?? cause.message})`,
      { file: path, cause },
    );
  });
  if (info.isDirectory()) {
    throw new ParseError(
      'is a folder; expected a chat fine-tuning .jsonl file such as train.jsonl',
      { file: path },
    );
  }
  const report = await validateTrainingLines(lines(path), { ...options, file: path });
  if (info.size > MAX_FILE_BYTES) {
    report.errorCounts.file_too_large = 1;
    report.errors.unshift({
      code: 'file_too_large',
      message: `the file is ${Math.ceil(info.size / 1024 / 1024)} MB; the service takes at most 512 MB per file`,
    });
    report.ok = false;
  }
  return report;
}

async function* lines(path: string): AsyncGenerator<string> {
  for await (const batch of readLineBatches(createReadStream(path))) yield* batch;
}

/** Like `validateTrainingFile`, for lines already in hand (a trailing empty line is ignored). */
export async function validateTrainingLines(
  input: AsyncIterable<string> | Iterable<string>,
  options: ValidateOptions & { file?: string } = {},
): Promise<TrainingFileReport> {
  const modelId = options.model ?? DEFAULT_MODEL;
  const model = findModel(modelId);
  if (!model) {
    throw new ParseError(
      `unknown model "${modelId}"; use one of: ${FINE_TUNE_MODELS.map((m) => m.id).join(', ')}`,
      {
        file: options.file ?? '<lines>',
      },
    );
  }
  const maxProblems = options.maxProblems ?? 50;
  const minExamples = options.minExamples ?? MIN_TRAINING_EXAMPLES;
  let format = options.format;
  const errorCounts: Partial<Record<ValidationErrorCode, number>> = {};
  const errors: TrainingFileProblem[] = [];
  const warnings: TrainingFileProblem[] = [];
  const messageCounts = new CountList();
  const tokenCounts = new CountList();
  const assistantCounts = new CountList();
  const cost = new CostAccumulator();
  let missingSystem = 0;
  let missingUser = 0;
  let examples = 0;
  let lineNumber = 0;
  let pendingBlank: number | undefined;

  const fail = (code: ValidationErrorCode, line: number | undefined, message: string) => {
    errorCounts[code] = (errorCounts[code] ?? 0) + 1;
    if (errors.length < maxProblems) errors.push({ code, line, message });
  };
  const failHere: Fail = (code, message) => fail(code, lineNumber, message);
  const warn = (problem: TrainingFileProblem) => {
    if (warnings.length < maxProblems) warnings.push(problem);
  };

  for await (const raw of input) {
    lineNumber += 1;
    if (raw.trim() === '') {
      pendingBlank ??= lineNumber;
      continue;
    }
    if (pendingBlank !== undefined) {
      fail('invalid_json', pendingBlank, 'empty line; every line must be one JSON example');
      pendingBlank = undefined;
    }
    examples += 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      fail('invalid_json', lineNumber, `not valid JSON (${(cause as Error).message})`);
      continue;
    }
    if (!isRecord(value)) {
      fail(
        'data_type',
        lineNumber,
        format === 'preference'
          ? 'expected a JSON object like {"input": ..., "preferred_output": ..., "non_preferred_output": ...}'
          : 'expected a JSON object like {"messages": [...]}',
      );
      continue;
    }
    format ??= 'input' in value && !('messages' in value) ? 'preference' : 'chat';
    const example =
      format === 'chat'
        ? checkChatExample(value, failHere)
        : checkPreferenceExample(value, failHere);
    if (example === undefined) continue;
    if (!example.input.some((message) => message.role === 'system')) missingSystem += 1;
    if (!example.input.some((message) => message.role === 'user')) missingUser += 1;
    if (format === 'chat' && !example.input.some(isTrainedAssistant)) {
      warn({
        code: 'no_trained_assistant_message',
        line: lineNumber,
        message: 'every assistant message has weight 0: the example trains nothing',
      });
    }
    let tokens = 0;
    let assistantTokens = 0;
    for (const messages of [example.input, ...example.outputs]) {
      tokens += countExampleTokens(messages);
      for (const message of messages) {
        if (message.role === 'assistant' && typeof message.content === 'string')
          assistantTokens += countTextTokens(message.content);
      }
    }
    messageCounts.add(example.input.length + (example.outputs.length > 0 ? 1 : 0));
    tokenCounts.add(tokens);
    assistantCounts.add(assistantTokens);
    cost.add(tokens);
    if (tokens > model.contextTokens) {
      warn({
        code: 'example_too_long',
        line: lineNumber,
        message: `${tokens} tokens, over the ${model.contextTokens}-token training context of ${model.id}; the service truncates it`,
      });
    }
  }
  if (format === 'preference' && !model.dpo) {
    fail(
      'dpo_not_supported',
      undefined,
      `${model.id} cannot be trained on preference pairs (DPO); choose a gpt-4o or gpt-4.1 model`,
    );
  }
  if (examples < minExamples) {
    fail(
      'too_few_examples',
      undefined,
      `${examples} example${examples === 1 ? '' : 's'}; the service needs at least ${minExamples}`,
    );
  }
  const valid = tokenCounts.size;
  const epochs = defaultEpochs(valid);
  const all = cost.estimates(epochs);
  return {
    ok: Object.keys(errorCounts).length === 0,
    file: options.file ?? '<lines>',
    model: model.id,
    format: format ?? 'chat',
    examples,
    errorCounts,
    errors,
    warnings,
    stats: {
      missingSystem,
      missingUser,
      messagesPerExample: messageCounts.distribution(),
      tokensPerExample: tokenCounts.distribution(),
      assistantTokensPerExample: assistantCounts.distribution(),
    },
    cost: { epochs, estimate: all.find((estimate) => estimate.model === model.id)!, all },
  };
}

/** Reports one error on the line being checked. */
type Fail = (code: ValidationErrorCode, message: string) => void;
type Message = Record<string, unknown>;

/** The messages of a valid example: the prompt (all of a chat example) and the outputs of a pair. */
interface CheckedExample {
  input: Message[];
  outputs: Message[][];
}

function isTrainedAssistant(message: Message): boolean {
  return message.role === 'assistant' && message.weight !== 0;
}

/** Checks every message of a list; true when all of them are valid. */
function checkMessages(messages: unknown[], fail: Fail, prefix: string): boolean {
  let valid = true;
  messages.forEach((message: unknown, index) => {
    const where = `${prefix}message ${index + 1}`;
    if (!isRecord(message)) {
      fail('data_type', `${where}: expected an object with "role" and "content"`);
      valid = false;
      return;
    }
    if (!('role' in message) || !('content' in message)) {
      fail('message_missing_key', `${where}: missing "${'role' in message ? 'content' : 'role'}"`);
      valid = false;
    }
    for (const key of Object.keys(message)) {
      if (!MESSAGE_KEYS.has(key)) {
        fail('message_unrecognized_key', `${where}: unrecognised key "${key}"`);
        valid = false;
      }
    }
    const role = message.role;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      fail(
        'unrecognized_role',
        `${where}: role ${JSON.stringify(role)} is not one of system, user, assistant, function`,
      );
      valid = false;
    }
    const content = message.content;
    if (
      (!content && !message.function_call) ||
      (content !== undefined && content !== null && typeof content !== 'string')
    ) {
      fail('missing_content', `${where}: "content" must be a non-empty string`);
      valid = false;
    }
    if (
      'name' in message &&
      (typeof message.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(message.name))
    ) {
      fail('invalid_name', `${where}: "name" must be 1 to 64 letters, digits, _ or -`);
      valid = false;
    }
    if ('weight' in message) {
      if (role !== 'assistant') {
        fail('weight_not_on_assistant', `${where}: "weight" is allowed on assistant messages only`);
        valid = false;
      } else if (message.weight !== 0 && message.weight !== 1) {
        fail(
          'invalid_weight',
          `${where}: "weight" must be 0 or 1, not ${JSON.stringify(message.weight)}`,
        );
        valid = false;
      }
    }
  });
  return valid;
}

const hasAssistant = (messages: unknown[]) =>
  messages.some((message) => isRecord(message) && message.role === 'assistant');

/** A chat example: a non-empty `messages` list with at least one assistant message. */
function checkChatExample(value: Message, fail: Fail): CheckedExample | undefined {
  const messages = value.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    fail('missing_messages_list', 'expected a non-empty "messages" list');
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!EXAMPLE_KEYS.has(key))
      fail('example_unrecognized_key', `unrecognised key "${key}" on the example`);
  }
  const valid = checkMessages(messages, fail, '');
  if (!hasAssistant(messages)) {
    fail('example_missing_assistant_message', 'messages has no assistant message');
    return undefined;
  }
  return valid ? { input: messages as Message[], outputs: [] } : undefined;
}

/**
 * A preference pair: `input` with a non-empty `messages` list (the prompt), and one assistant
 * message in each of `preferred_output` and `non_preferred_output`.
 */
function checkPreferenceExample(value: Message, fail: Fail): CheckedExample | undefined {
  let valid = true;
  for (const key of Object.keys(value)) {
    if (!PREFERENCE_KEYS.has(key)) {
      fail('example_unrecognized_key', `unrecognised key "${key}" on the example`);
      valid = false;
    }
  }
  const input = value.input;
  const messages = isRecord(input) ? input.messages : undefined;
  if (!isRecord(input) || !Array.isArray(messages) || messages.length === 0) {
    fail('missing_messages_list', 'expected an "input" object with a non-empty "messages" list');
    return undefined;
  }
  for (const key of Object.keys(input)) {
    if (!EXAMPLE_KEYS.has(key)) {
      fail('example_unrecognized_key', `unrecognised key "${key}" on "input"`);
      valid = false;
    }
  }
  if (!checkMessages(messages, fail, 'input ')) valid = false;
  const outputs: Message[][] = [];
  for (const key of PREFERENCE_OUTPUTS) {
    const output = value[key];
    if (!Array.isArray(output) || output.length !== 1) {
      fail('invalid_preference_output', `"${key}" must be a list of exactly one assistant message`);
      valid = false;
      continue;
    }
    if (!checkMessages(output, fail, `${key} `)) valid = false;
    if (!hasAssistant(output)) {
      fail('example_missing_assistant_message', `${key} has no assistant message`);
      valid = false;
    }
    outputs.push(output as Message[]);
  }
  return valid ? { input: messages as Message[], outputs } : undefined;
}
