import { countO200kTokens } from './o200k-count.js';

/** Tokens added around every message of a chat example, as OpenAI's data-preparation notebook counts. */
export const TOKENS_PER_MESSAGE = 3;
/** Extra tokens for a `name` on a message. */
export const TOKENS_PER_NAME = 1;
/** Tokens that prime the reply at the end of every example. */
export const TOKENS_PER_EXAMPLE = 3;

const SHORT_TEXT = 24;
const SHORT_CACHE_SIZE = 50_000;
const shortCounts = new Map<string, number>();

/**
 * o200k_base tokens of a text (the encoding of gpt-4o, gpt-4.1 and later). Text that looks like a
 * special token (`<|endoftext|>`) is counted as plain text, as the service treats content.
 */
export function countTextTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length > SHORT_TEXT) return countO200kTokens(text);
  // Short texts repeat a lot in chats ("ok", "lol", "haha"): remember their counts.
  let tokens = shortCounts.get(text);
  if (tokens === undefined) {
    tokens = countO200kTokens(text);
    if (shortCounts.size >= SHORT_CACHE_SIZE) shortCounts.clear();
    shortCounts.set(text, tokens);
  }
  return tokens;
}

const roleTokens = new Map<string, number>();

/** Tokens of a role name (cached: there are only a handful). */
export function countRoleTokens(role: string): number {
  let tokens = roleTokens.get(role);
  if (tokens === undefined) {
    tokens = countTextTokens(role);
    if (roleTokens.size < 64) roleTokens.set(role, tokens);
  }
  return tokens;
}

/**
 * Tokens of one chat example the way OpenAI's data-preparation notebook counts them: per message
 * 3 plus the tokens of every string value (role, content, name), 1 more for a `name`, and 3 for
 * the reply priming. Non-string values (`weight`) are not text and count nothing. An estimate of
 * what the service bills; `trained_tokens` on the finished job is exact.
 */
export function countExampleTokens(messages: readonly Record<string, unknown>[]): number {
  let total = TOKENS_PER_EXAMPLE;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE;
    for (const [key, value] of Object.entries(message)) {
      if (typeof value !== 'string') continue;
      total += key === 'role' ? countRoleTokens(value) : countTextTokens(value);
      if (key === 'name') total += TOKENS_PER_NAME;
    }
  }
  return total;
}

/** Tokens of a message with this role and content, without a name: the builder's fast path. */
export function messageTokens(role: string, contentTokens: number): number {
  return TOKENS_PER_MESSAGE + countRoleTokens(role) + contentTokens;
}
