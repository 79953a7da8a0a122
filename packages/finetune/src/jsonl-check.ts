import type { DataIssue } from './provider.js';

/** The fewest examples the OpenAI fine-tuning service accepts in a training file. */
export const MIN_EXAMPLES = 10;

const MESSAGE_KEYS = new Set([
  'role',
  'content',
  'name',
  'function_call',
  'tool_calls',
  'tool_call_id',
  'weight',
]);
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'function', 'tool']);
const EXAMPLE_KEYS = new Set(['messages', 'tools', 'parallel_tool_calls', 'functions']);
const PREFERENCE_KEYS = new Set(['input', 'preferred_output', 'non_preferred_output']);

/** Counts the tokens of a string; the default is an approximation (about 4 bytes a token). */
export type TokenCounter = (text: string) => number;

/** About one token per four UTF-8 bytes: close to cl100k/o200k on English and chat text. */
export const approximateTokens: TokenCounter = (text) =>
  text === '' ? 0 : Math.max(1, Math.ceil(Buffer.byteLength(text, 'utf8') / 4));

export interface JsonlCheckOptions {
  /** Name of the file in issues. */
  file: string;
  /** Expected format; default: from the first example. */
  format?: 'chat' | 'preference';
  /** Examples above this many tokens are truncated by the service (a warning). */
  maxTokensPerExample?: number;
  /** Fewest examples (default 10); `0` turns the check off, e.g. for validation files. */
  minExamples?: number;
  countTokens?: TokenCounter;
}

export interface JsonlCheckResult {
  format: 'chat' | 'preference';
  examples: number;
  /** Billable tokens: each example's count, capped at `maxTokensPerExample`. */
  tokens: number;
  bytes: number;
  issues: DataIssue[];
}

/**
 * Checks fine-tuning JSONL line by line the way the OpenAI service does before it accepts a
 * file: each line one JSON object; chat examples with a `messages` list whose messages have a
 * known role, only known keys, string content (or a function/tool call) and at least one
 * assistant message; `weight` only 0 or 1; preference examples with `input.messages`,
 * `preferred_output` and `non_preferred_output`; at least ten examples.
 */
export async function checkJsonl(
  lines: AsyncIterable<string> | Iterable<string>,
  options: JsonlCheckOptions,
): Promise<JsonlCheckResult> {
  const checker = createJsonlChecker(options);
  for await (const line of lines) checker.add(line);
  return checker.finish();
}

/** Like checkJsonl, for lines already in memory. */
export function checkJsonlSync(
  lines: Iterable<string>,
  options: JsonlCheckOptions,
): JsonlCheckResult {
  const checker = createJsonlChecker(options);
  for (const line of lines) checker.add(line);
  return checker.finish();
}

/** The check as an accumulator: feed it lines in order, then ask for the result. */
export function createJsonlChecker(options: JsonlCheckOptions): {
  add(line: string): void;
  finish(): JsonlCheckResult;
} {
  const count = options.countTokens ?? approximateTokens;
  const issues: DataIssue[] = [];
  let format = options.format;
  let examples = 0;
  let tokens = 0;
  let bytes = 0;
  let tooLong = 0;
  let lineNumber = 0;
  const issue = (line: number, rule: string, reason: string, severity: 'error' | 'warning') =>
    issues.push({ file: options.file, line, ruleId: `openai:${rule}`, reason, severity });

  function add(line: string): void {
    lineNumber += 1;
    bytes += Buffer.byteLength(line, 'utf8') + 1;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      issue(
        lineNumber,
        'invalid-json',
        'not valid JSON; expected one JSON object per line',
        'error',
      );
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issue(lineNumber, 'data-type', 'expected a JSON object', 'error');
      return;
    }
    const example = value as Record<string, unknown>;
    format ??= 'input' in example && !('messages' in example) ? 'preference' : 'chat';
    const problems =
      format === 'chat' ? checkChatExample(example) : checkPreferenceExample(example);
    if (problems.length > 0) {
      for (const [rule, reason] of problems) issue(lineNumber, rule, reason, 'error');
      return;
    }
    examples += 1;
    const exampleTokens = countExample(example, count);
    if (options.maxTokensPerExample !== undefined && exampleTokens > options.maxTokensPerExample) {
      tooLong += 1;
      if (tooLong <= 20) {
        issue(
          lineNumber,
          'example-too-long',
          `about ${exampleTokens} tokens, over the ${options.maxTokensPerExample}-token limit; the end will be cut off in training`,
          'warning',
        );
      }
      tokens += options.maxTokensPerExample;
    } else {
      tokens += exampleTokens;
    }
  }

  function finish(): JsonlCheckResult {
    const minExamples = options.minExamples ?? MIN_EXAMPLES;
    if (examples < minExamples) {
      issues.push({
        file: options.file,
        ruleId: 'openai:too-few-examples',
        reason: `${examples} valid example${examples === 1 ? '' : 's'}; fine-tuning needs at least ${minExamples}`,
        severity: 'error',
      });
    }
    return { format: format ?? 'chat', examples, tokens, bytes, issues };
  }

  return { add, finish };
}

type Problem = [rule: string, reason: string];

function checkMessages(messages: unknown, where: string, needAssistant: boolean): Problem[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    return [['missing-messages-list', `${where} must be a non-empty list of messages`]];
  }
  const problems: Problem[] = [];
  let assistant = false;
  for (const [index, message] of messages.entries()) {
    const at = `${where}[${index}]`;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      problems.push(['message-type', `${at} must be an object`]);
      continue;
    }
    const record = message as Record<string, unknown>;
    if (!('role' in record) || !('content' in record || 'tool_calls' in record)) {
      problems.push(['message-missing-key', `${at} needs "role" and "content"`]);
      continue;
    }
    const unknownKey = Object.keys(record).find((key) => !MESSAGE_KEYS.has(key));
    if (unknownKey !== undefined) {
      problems.push(['message-unrecognized-key', `${at} has an unknown key "${unknownKey}"`]);
    }
    if (typeof record.role !== 'string' || !ROLES.has(record.role)) {
      problems.push([
        'unrecognized-role',
        `${at} has role ${JSON.stringify(record.role)}; expected one of ${[...ROLES].join(', ')}`,
      ]);
      continue;
    }
    const hasCall = record.function_call !== undefined || record.tool_calls !== undefined;
    const content = record.content;
    if (!hasCall && (typeof content !== 'string' || content === '')) {
      problems.push(['missing-content', `${at} has no text content`]);
    }
    if ('weight' in record) {
      if (record.role !== 'assistant') {
        problems.push([
          'weight-not-assistant',
          `${at}: "weight" is only allowed on assistant messages`,
        ]);
      } else if (record.weight !== 0 && record.weight !== 1) {
        problems.push(['invalid-weight', `${at}: "weight" must be 0 or 1`]);
      }
    }
    if (record.role === 'assistant') assistant = true;
  }
  if (needAssistant && !assistant && problems.length === 0) {
    problems.push(['example-missing-assistant-message', `${where} has no assistant message`]);
  }
  return problems;
}

function checkChatExample(example: Record<string, unknown>): Problem[] {
  if (!('messages' in example)) return [['missing-messages-list', 'no "messages" list']];
  const unknownKey = Object.keys(example).find((key) => !EXAMPLE_KEYS.has(key));
  const problems = checkMessages(example.messages, 'messages', true);
  if (unknownKey !== undefined) {
    problems.unshift(['unrecognized-key', `unknown key "${unknownKey}" in the example`]);
  }
  return problems;
}

function checkPreferenceExample(example: Record<string, unknown>): Problem[] {
  const unknownKey = Object.keys(example).find((key) => !PREFERENCE_KEYS.has(key));
  if (unknownKey !== undefined) {
    return [['unrecognized-key', `unknown key "${unknownKey}" in a preference example`]];
  }
  const input = example.input as Record<string, unknown> | undefined;
  if (typeof input !== 'object' || input === null) {
    return [['missing-input', 'a preference example needs an "input" object with "messages"']];
  }
  const problems = checkMessages(input.messages, 'input.messages', false);
  for (const key of ['preferred_output', 'non_preferred_output'] as const) {
    const output = example[key];
    problems.push(...checkMessages(output, key, true));
    if (Array.isArray(output) && output.length !== 1) {
      problems.push(['output-length', `${key} must hold exactly one assistant message`]);
    }
  }
  return problems;
}

/** The cookbook count: 3 tokens a message plus its strings, 1 more for a name, 3 for the reply. */
function countMessages(messages: unknown, count: TokenCounter): number {
  if (!Array.isArray(messages)) return 0;
  let total = 3;
  for (const message of messages as Record<string, unknown>[]) {
    total += 3;
    for (const [key, value] of Object.entries(message)) {
      if (typeof value === 'string') total += count(value);
      else if (key === 'function_call' || key === 'tool_calls')
        total += count(JSON.stringify(value));
      if (key === 'name') total += 1;
    }
  }
  return total;
}

function countExample(example: Record<string, unknown>, count: TokenCounter): number {
  if ('messages' in example) return countMessages(example.messages, count);
  const input = example.input as { messages?: unknown };
  return (
    countMessages(input.messages, count) +
    countMessages(example.preferred_output, count) +
    countMessages(example.non_preferred_output, count)
  );
}
