/**
 * One pass over a message body that answers the questions every body asks (does it hold a
 * direction mark, would Unicode NFC change it), so that ordinary text skips the string copies
 * and regular expressions that only markers and unusual text need.
 */

/**
 * BMP ranges whose characters NFC never changes and never composes with a neighbour: NFC quick
 * check "yes" and canonical combining class 0 (Latin, Greek, Cyrillic, most scripts, punctuation,
 * symbols, kana, CJK, Hangul syllables). Text made only of these is NFC already. Checked against
 * the running engine's `normalize` in the tests.
 */
export const NFC_INERT_RANGES: readonly (readonly [number, number])[] = [
  [0x0, 0x2ff],
  [0x388, 0x482],
  [0x488, 0x590],
  [0x5c8, 0x60f],
  [0x61b, 0x64a],
  [0x671, 0x6d5],
  [0x74b, 0x7ea],
  [0x85c, 0x896],
  [0x900, 0x93b],
  [0x960, 0x9bb],
  [0x9ff, 0xa32],
  [0xa5f, 0xabb],
  [0xace, 0xb3b],
  [0xb5e, 0xbbd],
  [0xbd8, 0xc3b],
  [0xc57, 0xcbb],
  [0xcd7, 0xd3a],
  [0xd58, 0xdc9],
  [0xde0, 0xe37],
  [0xe4c, 0xeb7],
  [0xecc, 0xf17],
  [0xfc7, 0x102d],
  [0x103b, 0x108c],
  [0x108e, 0x1160],
  [0x1176, 0x11a7],
  [0x11c3, 0x135c],
  [0x1360, 0x1713],
  [0x1735, 0x17d1],
  [0x17de, 0x18a8],
  [0x18aa, 0x1938],
  [0x193c, 0x1a16],
  [0x1a19, 0x1a5f],
  [0x1a80, 0x1aaf],
  [0x1aec, 0x1b33],
  [0x1b74, 0x1ba9],
  [0x1bac, 0x1be5],
  [0x1bf4, 0x1c36],
  [0x1c38, 0x1ccf],
  [0x1cfa, 0x1dbf],
  [0x1e00, 0x1f70],
  [0x1f7e, 0x1fba],
  [0x2002, 0x20cf],
  [0x20f1, 0x2125],
  [0x212c, 0x2328],
  [0x232b, 0x2adb],
  [0x2add, 0x2cee],
  [0x2cf2, 0x2d7e],
  [0x2d80, 0x2ddf],
  [0x2e00, 0x3029],
  [0x3030, 0x3098],
  [0x309b, 0xa66e],
  [0xa6a0, 0xa6ef],
  [0xa6f2, 0xa805],
  [0xa82d, 0xa8c3],
  [0xa8f2, 0xa92a],
  [0xa954, 0xa9b2],
  [0xa9c1, 0xaaaf],
  [0xaac2, 0xaaf5],
  [0xaaf7, 0xabec],
  [0xabee, 0xd7ff],
  [0xe000, 0xf8ff],
  [0xfb4f, 0xfe1f],
  [0xfe30, 0xffff],
];

/**
 * High surrogates whose every pair is inert in the same way: U+1F000-U+1FBFF (emoji and
 * symbols) and U+20000-U+2F7FF (CJK extensions).
 */
export const NFC_INERT_HIGH_SURROGATES: readonly (readonly [number, number])[] = [
  [0xd83c, 0xd83e],
  [0xd840, 0xd87d],
];

const INERT = 1;
const MARK = 2;
const INERT_HIGH = 4;

/** Direction marks and the byte-order mark, as core's `stripDirectionMarks` removes them. */
export function isDirectionMark(code: number): boolean {
  return (
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

const CLASSES = (() => {
  const classes = new Uint8Array(0x10000);
  for (const [first, last] of NFC_INERT_RANGES) classes.fill(INERT, first, last + 1);
  for (const [first, last] of NFC_INERT_HIGH_SURROGATES) classes.fill(INERT_HIGH, first, last + 1);
  for (let code = 0x2000; code < 0x10000; code += 1) {
    if (isDirectionMark(code)) classes[code] = MARK;
  }
  return classes;
})();

/** `textFlags`: the text holds a direction mark (or a byte-order mark). */
export const HAS_MARK = 1;
/** `textFlags`: Unicode NFC might change the text. */
export const MAY_NEED_NFC = 2;

/**
 * What one pass over the text finds: `HAS_MARK` and `MAY_NEED_NFC` as bits. Text with neither
 * is its own `normalizeText`.
 */
export function textFlags(text: string): number {
  let flags = 0;
  const length = text.length;
  for (let index = 0; index < length; index += 1) {
    const kind = CLASSES[text.charCodeAt(index)]!;
    if (kind === INERT) continue;
    if (kind === MARK) {
      flags |= HAS_MARK;
    } else if (kind === INERT_HIGH) {
      const low = text.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) index += 1;
      else flags |= MAY_NEED_NFC;
    } else {
      flags |= MAY_NEED_NFC;
    }
  }
  return flags;
}

/** Characters `String#trim` removes: ECMAScript white space and line terminators. */
export function isTrimSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Characters most chat text is made of, each NFC-inert (see NFC_INERT_RANGES) and none a
 * direction mark: Latin, Cyrillic, Vietnamese, general punctuation, arrows, symbols and
 * dingbats, kana, CJK, variation selector 16, and surrogates of emoji (U+1F000-U+1FBFF). A
 * short list: the regular expression built from it checks a character in a few comparisons.
 */
export const COMMON_TEXT_RANGES: readonly (readonly [number, number])[] = [
  [0x0, 0x2ff],
  [0x400, 0x482],
  [0x48a, 0x4ff],
  [0x1e00, 0x1eff],
  [0x2002, 0x200d],
  [0x2010, 0x2029],
  [0x202f, 0x2065],
  [0x2190, 0x2328],
  [0x232b, 0x27bf],
  [0x3041, 0x3096],
  [0x309b, 0x30ff],
  [0x4e00, 0x9fff],
  [0xd83c, 0xd83e],
  [0xdc00, 0xdfff],
  [0xfe0f, 0xfe0f],
];

function hex(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `phrase` as a pattern that ignores ASCII case, without the `i` flag. */
function anyCase(phrase: string): string {
  return [...phrase]
    .map((char) => (/[a-z]/i.test(char) ? `[${char.toLowerCase()}${char.toUpperCase()}]` : char))
    .join('');
}

/** A character outside COMMON_TEXT_RANGES. */
const UNCOMMON_CHARACTER = new RegExp(
  `[^${COMMON_TEXT_RANGES.map(([first, last]) => `${hex(first)}-${hex(last)}`).join('')}]`,
);

/**
 * Phrases that the notices not anchored at the start always hold, in any case: one of them is
 * in every text such a notice can match (see `NOTICES` in markers.ts).
 */
export const ANYWHERE_NOTICE_PHRASES: readonly string[] = [
  'security code',
  'disappearing messages',
  'message timer',
  'service from meta',
];

/**
 * The phrases of ANYWHERE_NOTICE_PHRASES without their first three letters (the rest is rarer,
 * so quicker to look for, and is in every text the whole phrase is), and a link's `://`.
 */
export const LINK_OR_NOTICE_PHRASE = new RegExp(
  [':\\/\\/', ...ANYWHERE_NOTICE_PHRASES.map((phrase) => anyCase(phrase.slice(3)))].join('|'),
);

/**
 * True when the text holds no direction mark, nothing Unicode NFC would change, no link and no
 * phrase of a notice that can stand anywhere: then it is its own `normalizeText`, and a notice
 * could only be one anchored at its start. Two passes of native code over most text.
 */
export function isCommonText(text: string): boolean {
  return (
    (!UNCOMMON_CHARACTER.test(text) || textFlags(text) === 0) && !LINK_OR_NOTICE_PHRASE.test(text)
  );
}
