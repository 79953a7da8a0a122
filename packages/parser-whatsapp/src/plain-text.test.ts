import { normalizeText } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import {
  COMMON_TEXT_RANGES,
  HAS_MARK,
  isCommonText,
  isTrimSpace,
  MAY_NEED_NFC,
  NFC_INERT_HIGH_SURROGATES,
  NFC_INERT_RANGES,
  textFlags,
} from './plain-text.js';

const MARKS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

/** Code points that follow another in some canonical decomposition: they may compose. */
function composingCodePoints(): Set<number> {
  const found = new Set<number>();
  for (let code = 0; code <= 0x10ffff; code += 1) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCodePoint(code);
    const decomposed = char.normalize('NFD');
    if (decomposed === char) continue;
    const parts = [...decomposed];
    for (let index = 1; index < parts.length; index += 1) found.add(parts[index]!.codePointAt(0)!);
  }
  return found;
}

/**
 * What the ranges promise, asked of the engine itself: NFC leaves the character alone, no
 * canonical decomposition ends with it, and it has combining class 0 (it never moves past
 * U+0345, whose class is the highest).
 */
function inertChecker(): (code: number) => boolean {
  const composing = composingCodePoints();
  return (code) => {
    const char = String.fromCodePoint(code);
    return (
      char.normalize('NFC') === char &&
      !composing.has(code) &&
      `\u0345${char}`.normalize('NFD') === `\u0345${char.normalize('NFD')}`
    );
  };
}

describe('NFC_INERT_RANGES', () => {
  const isInert = inertChecker();

  it('hold only characters that NFC never changes or composes', () => {
    const wrong: string[] = [];
    for (const [first, last] of NFC_INERT_RANGES) {
      for (let code = first; code <= last; code += 1) {
        if (code >= 0xd800 && code <= 0xdfff) wrong.push(`surrogate ${code.toString(16)}`);
        else if (!isInert(code)) wrong.push(code.toString(16));
      }
    }
    expect(wrong).toEqual([]);
  });

  it('pair every listed high surrogate with inert characters only', () => {
    const wrong: string[] = [];
    for (const [first, last] of NFC_INERT_HIGH_SURROGATES) {
      for (let high = first; high <= last; high += 1) {
        for (let low = 0xdc00; low <= 0xdfff; low += 1) {
          const code = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
          if (!isInert(code)) wrong.push(code.toString(16));
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('leave lone surrogates alone', () => {
    for (let code = 0xd800; code <= 0xdfff; code += 1) {
      const text = `a${String.fromCharCode(code)}b`;
      expect(text.normalize('NFC')).toBe(text);
    }
  });
});

describe('COMMON_TEXT_RANGES', () => {
  const inert = new Uint8Array(0x10000);
  for (const [first, last] of NFC_INERT_RANGES) inert.fill(1, first, last + 1);
  for (const [first, last] of NFC_INERT_HIGH_SURROGATES) inert.fill(1, first, last + 1);
  // Low surrogates count only after a listed high one, or alone (see above).
  inert.fill(1, 0xdc00, 0xe000);

  it('lie within the inert ranges and hold no direction mark', () => {
    const wrong: string[] = [];
    for (const [first, last] of COMMON_TEXT_RANGES) {
      for (let code = first; code <= last; code += 1) {
        if (inert[code] !== 1 || MARKS.test(String.fromCharCode(code)))
          wrong.push(code.toString(16));
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('textFlags', () => {
  it.each([
    ['plain ASCII', 'see you at 9', 0],
    ['Latin, Cyrillic, kana, emoji', 'café привет ありがとう 🙏 ❤️ 👩‍👩‍👧', 0],
    ['a direction mark', 'image omitted\u200E', HAS_MARK],
    ['a byte-order mark', '\uFEFFhi', HAS_MARK],
    ['a combining accent', 'cafe\u0301', MAY_NEED_NFC],
    ['a lone high surrogate of an emoji', 'x\uD83Dy', MAY_NEED_NFC],
    ['a musical symbol (not NFC-stable)', '\uD834\uDD5E', MAY_NEED_NFC],
    ['a mark and an accent', '\u200Fe\u0301', HAS_MARK | MAY_NEED_NFC],
  ])('%s', (_, text, flags) => {
    expect(textFlags(text)).toBe(flags);
  });

  it('says nothing changes exactly when normalizeText changes nothing, for mixed text', () => {
    const alphabet = [
      'a',
      'Z',
      ' ',
      '\n',
      'é',
      'e\u0301',
      '\u0300',
      'ё',
      'ồ',
      'ä',
      'Ω',
      '\u2126',
      'ｶ',
      'カ',
      '\u3099',
      '가',
      '\u11A8',
      '😀',
      '\uD83D',
      '\uDE00',
      '\u200E',
      '\uFEFF',
      '\u202F',
      '\u00A0',
      'ﬁ',
      '\u0958',
    ];
    let seed = 7;
    const next = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let round = 0; round < 20_000; round += 1) {
      let text = '';
      const length = 1 + Math.floor(next() * 6);
      for (let index = 0; index < length; index += 1)
        text += alphabet[Math.floor(next() * alphabet.length)]!;
      if (textFlags(text) === 0) expect(normalizeText(text)).toBe(text);
      if ((textFlags(text) & HAS_MARK) === 0) expect(MARKS.test(text)).toBe(false);
      else expect(MARKS.test(text)).toBe(true);
    }
  });
});

describe('isCommonText', () => {
  it.each([
    ['hey! are we still on for friday', true],
    ['đúng rồi yes!! привет thank you so much 🙏 ok café?', true],
    ['❤️ omg ❤️', true],
    ['2 × 3 → 6 ★ ✓', true],
    ['see https://example.com', false],
    ['a\u200Eb', false],
    ['cafe\u0301', false],
    ['Greek: Ωμέγα is fine too', true],
    ['Alex turned on DISAPPEARING MESSAGES', false],
    ['Your security code with Alex changed', false],
    ['Alex changed the message timer', false],
    ['Alex uses a secure service from Meta to manage this chat', false],
    ['disappearing message', true],
  ])('%s → %s', (text, common) => {
    expect(isCommonText(text)).toBe(common);
  });

  it('holds only for text that is its own normalizeText, without marks or links', () => {
    const pieces = [
      'ok ',
      'Security code',
      'ssage timer',
      'https',
      '://',
      ':/',
      '/',
      'é',
      'e\u0301',
      'Ω',
      '\u2126',
      '🙏',
      '\u200E',
      '\u2066',
      'ありがとう',
      '\u3099',
      'Ж',
      '\u0483',
      '\n',
    ];
    let seed = 11;
    const next = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let round = 0; round < 20_000; round += 1) {
      let text = '';
      const length = 1 + Math.floor(next() * 5);
      for (let index = 0; index < length; index += 1)
        text += pieces[Math.floor(next() * pieces.length)]!;
      if (!isCommonText(text)) continue;
      expect(normalizeText(text)).toBe(text);
      expect(MARKS.test(text)).toBe(false);
      expect(text.includes('://')).toBe(false);
      expect(
        /security code|disappearing messages|message timer|service from meta/i.test(text),
      ).toBe(false);
    }
  });
});

describe('isTrimSpace', () => {
  it('is true exactly for what String#trim removes', () => {
    const wrong: number[] = [];
    for (let code = 0; code < 0x10000; code += 1) {
      if ((String.fromCharCode(code).trim() === '') !== isTrimSpace(code)) wrong.push(code);
    }
    expect(wrong).toEqual([]);
  });
});
