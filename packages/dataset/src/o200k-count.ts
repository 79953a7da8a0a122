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

/** The class of an ASCII code, or WIDE for anything beyond ASCII (the general scanner decides). */
function asciiClass(code: number): number {
  return code < 128 ? ASCII_CLASS[code]! : WIDE;
}

/**
 * The pre-token at `index` when every character that decides it is ASCII, the common case of chat
 * text, in one loop without the general scanner's surrogate and table checks; UNDECIDED when a
 * character beyond ASCII takes part. The same rules as `preTokenEnd`.
 */
function asciiPreTokenEnd(text: string, index: number): number {
  const length = text.length;
  const code = text.charCodeAt(index);
  let kind = asciiClass(code);
  let end = index;
  if (kind === OTHER || kind === SPACE) {
    const next = index + 1 < length ? asciiClass(text.charCodeAt(index + 1)) : END;
    if (next === WIDE) return UNDECIDED;
    if (next === UPPER || next === LOWER) {
      // One character before a word.
      end = index + 1;
      kind = next;
    } else if (kind === OTHER || (code === 32 && next === OTHER)) {
      // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
      end = index + 1;
      let run = next;
      while (run === OTHER) {
        end += 1;
        run = end < length ? asciiClass(text.charCodeAt(end)) : END;
      }
      if (run === WIDE) return UNDECIDED;
      for (let at = text.charCodeAt(end); at === 10 || at === 13 || at === 47;) {
        at = text.charCodeAt((end += 1));
      }
      return end;
    } else {
      return asciiWhitespaceEnd(text, index, kind);
    }
  }
  if (kind === UPPER || kind === LOWER) {
    let run = kind;
    while (run === UPPER) {
      end += 1;
      run = end < length ? asciiClass(text.charCodeAt(end)) : END;
    }
    while (run === LOWER) {
      end += 1;
      run = end < length ? asciiClass(text.charCodeAt(end)) : END;
    }
    if (run === WIDE) return UNDECIDED;
    return run === OTHER ? contractionEnd(text, end) : end;
  }
  if (kind === DIGIT) {
    end = index + 1;
    while (end < index + 3) {
      const next = end < length ? asciiClass(text.charCodeAt(end)) : END;
      if (next === WIDE) return UNDECIDED;
      if (next !== DIGIT) break;
      end += 1;
    }
    return end;
  }
  if (kind === NEWLINE) return asciiWhitespaceEnd(text, index, kind);
  return UNDECIDED;
}

/** `\s*[\r\n]+` up to the last line break of the run, else `\s+(?!\S)`, else `\s+`. */
function asciiWhitespaceEnd(text: string, index: number, kind: number): number {
  const length = text.length;
  let end = index;
  let lastBreak = -1;
  let run = kind;
  while (run === SPACE || run === NEWLINE) {
    if (run === NEWLINE) lastBreak = end;
    end += 1;
    run = end < length ? asciiClass(text.charCodeAt(end)) : END;
  }
  if (run === WIDE) return UNDECIDED;
  if (lastBreak >= 0) return lastBreak + 1;
  if (run === END || end - index === 1) return end;
  return end - 1;
}

/** The end of the pre-token at `index`, by hand where it can, else by the tokenizer's pattern. */
export function nextPreTokenEnd(text: string, index: number): number {
  if (SCANNER_MATCHES_PATTERN) {
    const ascii = asciiPreTokenEnd(text, index);
    if (ascii !== UNDECIDED) return ascii;
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
/**
 * Counts of the pre-tokens met so far, looked up by a 57-bit fingerprint of their characters
 * (two multiplicative hashes and the length): no string is cut out of a text to find a known
 * pre-token, and one probe reads one 8-byte slot, so the table stays in the processor's caches
 * while a build does everything else. Each slot holds the first hash, and the second hash's top
 * 25 bits above the count (a pre-token of 64 characters has at most 64 tokens: 7 bits). Two
 * different pre-tokens would have to agree on all 57 bits to be confused; with the table at most
 * half full (65,536 entries) the odds of that happening at all are below one in a billion. The
 * table is emptied at once when half full.
 */
const TABLE_BITS = 17;
const TABLE_SIZE = 1 << TABLE_BITS;
const TABLE_MASK = TABLE_SIZE - 1;
const MAX_ENTRIES = TABLE_SIZE >>> 1;
/** Slot i: [2i] the first hash, [2i + 1] the second hash's top 25 bits and the count; 0 empty. */
const table = new Int32Array(TABLE_SIZE * 2);
let tableEntries = 0;
const COUNT_BITS = 7;
const COUNT_MASK = (1 << COUNT_BITS) - 1;

/** The tokens of `text.slice(start, end)`, from the table when it is known. */
function preTokenCount(text: string, start: number, end: number): number {
  const length = end - start;
  if (length > CACHED_PRE_TOKEN) return encode(text.slice(start, end), NO_SPECIAL).length;
  let a = 0x811c9dc5 ^ length;
  let b = 0x41c6ce57 ^ length;
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  }
  a ^= a >>> 15;
  b ^= b >>> 13;
  // 0 marks an empty slot: a stored count is at least 1.
  const tag = b & ~COUNT_MASK;
  let slot = a & TABLE_MASK;
  for (;;) {
    const at = slot << 1;
    const second = table[at + 1]!;
    if (second === 0) break;
    if (table[at] === a && (second & ~COUNT_MASK) === tag) {
      return (second & COUNT_MASK) >>> 0;
    }
    slot = (slot + 1) & TABLE_MASK;
  }
  const tokens = encode(text.slice(start, end), NO_SPECIAL).length;
  // Rare characters take up to four tokens each: such a count does not fit a slot.
  if (tokens > COUNT_MASK) return tokens;
  if (tableEntries >= MAX_ENTRIES) {
    table.fill(0);
    tableEntries = 0;
    slot = a & TABLE_MASK;
  }
  const at = slot << 1;
  table[at] = a;
  table[at + 1] = tag | tokens;
  tableEntries += 1;
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
    total += preTokenCount(text, start, end);
    start = end;
  }
  return total;
}
