import { hashUnit } from './hash.js';
import { hasDigit } from './redact.js';

// The word lists run on every message: without the `u` flag V8 matches them many times faster,
// and every word in them is in the Basic Multilingual Plane.
const CODE_WORDS =
  /(?:\b(?:code|codes|otp|passcode|pin|verification|verify|2fa|one[- ]time|password|passwort|mot de passe|contraseña|tan)\b|код|コード|验证码)/i;
const CODE_NUMBER =
  /(?<![\p{L}\p{N}])(?:[A-Z]-)?\d{4,8}(?![\p{L}\p{N}])|(?<!\d)\d{3}[ -]\d{3}(?!\d)/u;
const BARE_CODE = /^\s*(?:[A-Z]-)?(?:\d{6,8}|\d{3}[ -]\d{3})\s*$/u;
const PASSWORD_WORDS =
  /\b(?:password|passwort|pw|pwd|passcode|wifi|wi-fi|login|mot de passe|contraseña)\b/i;
const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/giu;

/**
 * A one-time code ("your code is 482913", "G-123456"), a bare six-to-eight digit code, a
 * password or API key. Such messages are dropped whole, from both sides of a chat.
 */
export function looksLikeSecret(text: string): boolean {
  const digits = hasDigit(text);
  // Without a digit, only a word after "password" or "wifi" can be a secret: most chat lines
  // are decided by one regex.
  const afterPasswordWord = PASSWORD_WORDS.test(text);
  if (!digits && !afterPasswordWord) return false;
  if (digits && BARE_CODE.test(text)) return true;
  if (digits && CODE_WORDS.test(text) && CODE_NUMBER.test(text)) return true;
  const tokens = (
    text.includes('http') || text.includes('www.') ? text.replace(URL, ' ') : text
  ).split(/\s+/u);
  for (const token of tokens) {
    const word = token.replace(/^[("'“‘]+|[)"'”’.,!?;:]+$/gu, '');
    if (word.length < 6 || word.length > 128 || word.includes('@')) continue;
    const classes =
      Number(/[a-z]/.test(word)) +
      Number(/[A-Z]/.test(word)) +
      Number(/\d/.test(word)) +
      Number(/[^\p{L}\p{N}]/u.test(word));
    // All four kinds of character in one word, or two after "password"/"wifi".
    if ((classes === 4 && word.length >= 8) || (afterPasswordWord && classes >= 2)) return true;
    // An API key or token: a long run of letters and digits mixed.
    if (word.length >= 24 && /^[\w-]+$/.test(word) && /\d/.test(word) && /[a-zA-Z]/.test(word))
      return true;
  }
  return false;
}

/** A message that is nothing but links (and whitespace). */
export function isLinkOnly(text: string): boolean {
  const rest = text.replace(URL, '');
  return rest.length !== text.length && rest.trim() === '';
}

/**
 * The key repeated short replies are counted by: case folded, whitespace collapsed, punctuation
 * and repeated letters squeezed, so "OK", "ok!" and "okkk" count as one. Undefined for replies
 * longer than `maxChars`, which are never down-sampled.
 */
export function trivialReplyKey(text: string, maxChars: number): string | undefined {
  if (text.length > maxChars * 3) return undefined;
  const key = text
    .toLocaleLowerCase('und')
    .replace(/[\s\p{P}]+/gu, '')
    .replace(/(.)\1+/gu, '$1');
  if ([...key].length > maxChars) return undefined;
  return key;
}

/**
 * Down-samples the person's most repeated short replies so that a model does not collapse onto
 * "ok" and "lol": the first `keep` of each are kept, and the n-th after that with probability
 * keep / n (decided by a seeded hash, so runs are identical). A reply sent 10,000 times with
 * keep 20 is kept about 20 + 20 × ln(500) ≈ 145 times.
 */
export class RepeatedReplyLimiter {
  private readonly seen = new Map<string, number>();
  dropped = 0;

  constructor(
    private readonly maxChars: number,
    private readonly keep: number,
    private readonly seed: number,
  ) {}

  /** True when this reply should be trained on. */
  accept(text: string): boolean {
    if (this.keep <= 0 || this.maxChars <= 0) return true;
    const key = trivialReplyKey(text, this.maxChars);
    if (key === undefined) return true;
    const count = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, count);
    if (count <= this.keep) return true;
    const kept = hashUnit(`${key}\u0000${count}`, this.seed) < this.keep / count;
    if (!kept) this.dropped += 1;
    return kept;
  }
}
