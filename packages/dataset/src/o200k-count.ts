import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';

// Counting o200k_base tokens without building token arrays.
//
// The encoding first cuts text into pre-tokens with one regular expression, then runs byte-pair
// merges inside each pre-token alone. So a text's count is the sum of its pre-tokens' counts, and
// a pre-token's count never changes: chat text is made of few distinct pre-tokens (" the", " you",
// "😂😂"), whose counts are remembered. A pre-token cut out of a text is cut the same way when it
// stands alone (the pattern has no look-behind, and its only look-ahead, `\s+(?!\S)`, also holds
// at the end of the text), so counting it alone is exact.
//
// Matching the regular expression at every position dominated the cost of counting. The scanner
// below finds the same pre-tokens by hand wherever the pattern's classes are simple: capital and
// small letters, digits, whitespace, and everything else (punctuation, symbols, emoji). A
// pre-token whose extent depends on a letter that is both capital and small to the pattern
// (`\p{Lm}`, `\p{Lo}`: Japanese, Chinese), a combining mark, or a letter or digit beyond the Basic
// Multilingual Plane, goes back to the expression itself.

/** The o200k_base pre-token pattern the scanner below reproduces. */
const O200K_PATTERN =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** The tokenizer's own pattern, anchored where the last pre-token ended. */
const PRE_TOKEN = new RegExp(O200K_TOKEN_SPLIT_REGEX.source, 'uy');
/** Scan by hand only while the tokenizer's pattern is the one the scanner was written for. */
export const SCANNER_MATCHES_PATTERN = O200K_TOKEN_SPLIT_REGEX.source === O200K_PATTERN;

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

// Character classes of the pattern.
const OTHER = 0; // punctuation, symbols, control characters: [^\s\p{L}\p{N}]
const UPPER = 1; // \p{Lu}, \p{Lt}
const LOWER = 2; // \p{Ll}
const DIGIT = 3; // \p{N}
const SPACE = 4; // \s other than CR and LF
const NEWLINE = 5; // CR, LF
/** Past the end of the text. */
const END = 6;
/**
 * A letter that is both "capital" and "small" to the pattern (`\p{Lm}`, `\p{Lo}`, as in Japanese),
 * a mark, or a letter or digit beyond the Basic Multilingual Plane: the pattern decides.
 */
const WIDE = 7;

const ASCII_CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) {
  ASCII_CLASS[code] =
    code >= 65 && code <= 90
      ? UPPER
      : code >= 97 && code <= 122
        ? LOWER
        : code >= 48 && code <= 57
          ? DIGIT
          : code === 10 || code === 13
            ? NEWLINE
            : code === 9 || code === 11 || code === 12 || code === 32
              ? SPACE
              : OTHER;
}

const UPPER_LETTER = /^[\p{Lu}\p{Lt}]$/u;
const LOWER_LETTER = /^\p{Ll}$/u;
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const NUMBER = /^\p{N}$/u;
const WHITESPACE = /^\s$/u;

/** Classes of the rest of the Basic Multilingual Plane, looked up once each: class + 1, 0 unknown. */
const BMP_CLASS = new Uint8Array(0x10000);
/** Classes of the code points beyond it met so far (emoji): OTHER or WIDE. */
const ASTRAL_CLASS = new Map<number, number>();

function bmpClass(code: number): number {
  const known = BMP_CLASS[code]!;
  if (known !== 0) return known - 1;
  const char = String.fromCharCode(code);
  const kind = UPPER_LETTER.test(char)
    ? UPPER
    : LOWER_LETTER.test(char)
      ? LOWER
      : LETTER_OR_MARK.test(char)
        ? WIDE
        : NUMBER.test(char)
          ? DIGIT
          : WHITESPACE.test(char)
            ? SPACE
            : OTHER;
  BMP_CLASS[code] = kind + 1;
  return kind;
}

function astralClass(codePoint: number): number {
  let kind = ASTRAL_CLASS.get(codePoint);
  if (kind === undefined) {
    const char = String.fromCodePoint(codePoint);
    // No whitespace lies beyond the BMP; letters, marks and digits there are left to the pattern.
    kind = LETTER_OR_MARK.test(char) || NUMBER.test(char) ? WIDE : OTHER;
    if (ASTRAL_CLASS.size < 65_536) ASTRAL_CLASS.set(codePoint, kind);
  }
  return kind;
}

function isHighSurrogate(code: number): boolean {
  return (code & 0xfc00) === 0xd800;
}

function isLowSurrogate(code: number): boolean {
  return (code & 0xfc00) === 0xdc00;
}

/** The class of the character at `index`; both halves of a surrogate pair have the pair's class. */
function classAt(text: string, index: number): number {
  if (index >= text.length) return END;
  const code = text.charCodeAt(index);
  if (code < 128) return ASCII_CLASS[code]!;
  if (code < 0xd800 || code > 0xdfff) return bmpClass(code);
  if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(index + 1))) {
    return astralClass(text.codePointAt(index)!);
  }
  if (isLowSurrogate(code) && index > 0 && isHighSurrogate(text.charCodeAt(index - 1))) {
    return astralClass(text.codePointAt(index - 1)!);
  }
  // A lone surrogate is a character of its own, neither letter, digit nor space.
  return OTHER;
}

/** Code units of the character at `index`: 2 for a surrogate pair. */
function widthAt(text: string, index: number): number {
  return isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1))
    ? 2
    : 1;
}

/** -1: the extent of the pre-token depends on a WIDE character. */
const UNDECIDED = -1;

/** The end of `'s`, `'d`, `'m`, `'t`, `'ll`, `'ve`, `'re` (any case) at `index`, else `index`. */
function contractionEnd(text: string, index: number): number {
  if (text.charCodeAt(index) !== 39) return index;
  // Lower-casing by OR 32 maps only A–Z onto a–z among the letters compared.
  const first = text.charCodeAt(index + 1) | 32;
  if (first === 115 || first === 100 || first === 109 || first === 116) return index + 2;
  const second = text.charCodeAt(index + 2) | 32;
  if (
    (first === 108 && second === 108) ||
    (first === 118 && second === 101) ||
    (first === 114 && second === 101)
  ) {
    return index + 3;
  }
  return index;
}

/**
 * A word from a letter at `index`: capitals then small letters (`[Lu]*[Ll]+` or `[Lu]+[Ll]*`;
 * the two agree on ASCII), then a contraction.
 */
function wordEnd(text: string, index: number): number {
  let end = index;
  let kind = classAt(text, end);
  while (kind === UPPER) kind = classAt(text, (end += 1));
  while (kind === LOWER) kind = classAt(text, (end += 1));
  if (kind === WIDE) return UNDECIDED;
  return contractionEnd(text, end);
}

/** The end of the pre-token starting at `index` (< text.length), or UNDECIDED. */
function preTokenEnd(text: string, index: number): number {
  const kind = classAt(text, index);
  if (kind === UPPER || kind === LOWER) return wordEnd(text, index);
  if (kind === DIGIT) {
    // \p{N}{1,3}
    let end = index + 1;
    while (end < index + 3) {
      const next = classAt(text, end);
      if (next === WIDE) return UNDECIDED;
      if (next !== DIGIT) break;
      end += 1;
    }
    return end;
  }
  if (kind === WIDE) return UNDECIDED;
  if (kind === OTHER || kind === SPACE) {
    // One character other than CR, LF, a letter or a digit may lead a word.
    const width = widthAt(text, index);
    const next = classAt(text, index + width);
    if (next === WIDE) return UNDECIDED;
    if (next === UPPER || next === LOWER) return wordEnd(text, index + width);
    // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
    const spaceThenOther = next === OTHER && text.charCodeAt(index) === 32;
    if (kind === OTHER || spaceThenOther) {
      let end = index + 1;
      let run = classAt(text, end);
      while (run === OTHER) run = classAt(text, (end += 1));
      if (run === WIDE) return UNDECIDED;
      for (let code = text.charCodeAt(end); code === 10 || code === 13 || code === 47;) {
        code = text.charCodeAt((end += 1));
      }
      return end;
    }
  }
  // Whitespace: `\s*[\r\n]+` up to the last line break of the run, else `\s+(?!\S)`, else `\s+`.
  let end = index;
  let lastBreak = -1;
  let run = kind;
  while (run === SPACE || run === NEWLINE) {
    if (run === NEWLINE) lastBreak = end;
    run = classAt(text, (end += 1));
  }
  if (run === WIDE) return UNDECIDED;
  if (lastBreak >= 0) return lastBreak + 1;
  if (run === END || end - index === 1) return end;
  return end - 1;
}

/** The end of the pre-token at `index`, by hand where it can, else by the tokenizer's pattern. */
export function nextPreTokenEnd(text: string, index: number): number {
  if (SCANNER_MATCHES_PATTERN) {
    const end = preTokenEnd(text, index);
    if (end !== UNDECIDED) return end;
  }
  PRE_TOKEN.lastIndex = index;
  // Every character starts a pre-token (the last alternative takes any run of whitespace, the
  // one before it any other character), so the anchored pattern always matches.
  PRE_TOKEN.test(text);
  return PRE_TOKEN.lastIndex;
}

/** Pre-tokens no longer than this are remembered. */
const CACHED_PRE_TOKEN = 64;
/** Most pre-tokens remembered; the memory is forgotten at once when full. */
const PRE_TOKEN_CACHE_SIZE = 100_000;
const preTokenCounts = new Map<string, number>();

function preTokenCount(preToken: string): number {
  if (preToken.length > CACHED_PRE_TOKEN) return encode(preToken, NO_SPECIAL).length;
  let tokens = preTokenCounts.get(preToken);
  if (tokens === undefined) {
    tokens = encode(preToken, NO_SPECIAL).length;
    if (preTokenCounts.size >= PRE_TOKEN_CACHE_SIZE) preTokenCounts.clear();
    preTokenCounts.set(preToken, tokens);
  }
  return tokens;
}

/**
 * o200k_base tokens of a text, the same number as `encode(text).length` with special-token
 * look-alikes taken as plain text.
 */
export function countO200kTokens(text: string): number {
  let total = 0;
  let start = 0;
  while (start < text.length) {
    const end = nextPreTokenEnd(text, start);
    total += preTokenCount(text.slice(start, end));
    start = end;
  }
  return total;
}
