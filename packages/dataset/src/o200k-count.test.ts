import { seededRandom } from '@alterego/core/test';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';
import { describe, expect, it } from 'vitest';
import { countO200kTokens, nextPreTokenEnd, SCANNER_MATCHES_PATTERN } from './o200k-count.js';

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

function preTokens(text: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length;) {
    const end = nextPreTokenEnd(text, start);
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function patternPreTokens(text: string): string[] {
  return [...text.matchAll(O200K_TOKEN_SPLIT_REGEX)].map((match) => match[0]);
}

// Characters that decide pre-token boundaries: both cases (and the contraction letters), digits,
// every kind of ASCII whitespace, apostrophes, slashes and punctuation, control characters, and
// beyond ASCII letters, marks, digits, spaces, emoji and a lone surrogate.
const ALPHABET = [
  ...'aAbZsSdDmMtTlLvVeErRxX',
  ...'0123456789',
  ' ',
  ' ',
  '\t',
  '\n',
  '\r',
  '\v',
  '\f',
  "'",
  '/',
  ...'.,!?:;-_()"#@$%&*+=<>[]{}|\\~^`',
  '\u0000',
  '\u001f',
  '\u007f',
  'é',
  'Ö',
  'ß',
  'ǅ',
  'ʰ',
  'あ',
  '中',
  '\u0301',
  '²',
  '٣',
  '\u00a0',
  '\u2028',
  '\u3000',
  '’',
  '😂',
  '❤️',
  '\ud800',
  '\udc00',
  'Ω',
  'ı',
  'Ⅻ',
  '𝐀',
  '𝟎',
  '🇩🇪',
  '<|endoftext|>',
  'hello',
  ' the',
  "it's",
  "WE'LL",
];

const ASCII = ALPHABET.filter((piece) => /^[\u0000-\u007f]+$/.test(piece));

function randomText(next: () => number, length: number, alphabet = ALPHABET): string {
  let text = '';
  for (let index = 0; index < length; index += 1) {
    text += alphabet[Math.floor(next() * alphabet.length)]!;
  }
  return text;
}

describe('o200k pre-tokens', () => {
  it('scans by hand with the installed tokenizer', () => {
    expect(SCANNER_MATCHES_PATTERN).toBe(true);
  });

  it.each([
    "Hello world, it's 12345 fine!!",
    "I'M OK. They'RE here, we'll see; ABCdef GHI'Ll",
    'a  b   c\t\td \n\n  e \r\n f  ',
    '  !! ?/\n/x ...\n\n\n',
    'ok 😂😂 ありがとう danke schön đúng rồi ❤️',
    'x\u00a0\u00a0y \u2028 z\u3000\u3000',
    '<|endoftext|> 007 1234567 ٣٣٣٣',
    'ǅungla ʰa e\u0301e',
    'Привет, Zoë! ÀÉÎ ǅemal’s café?? привет',
    ' 😂😂 x😂ok 🙏🙏\n\n🚗 ❤️ 𝐀𝐁c 𝟎𝟏𝟐𝟑 ²³⁴⁵',
    '\ud800ok \udc00 \ud800\udc00x a\ud800',
  ])('cuts %j where the tokenizer does', (text) => {
    expect(preTokens(text)).toEqual(patternPreTokens(text));
    expect(countO200kTokens(text)).toBe(encode(text, NO_SPECIAL).length);
  });

  it('cuts random text where the tokenizer does, and counts the same tokens', () => {
    const next = seededRandom(2024);
    for (let round = 0; round < 3000; round += 1) {
      const text = randomText(next, 1 + Math.floor(next() * 24));
      expect(preTokens(text), JSON.stringify(text)).toEqual(patternPreTokens(text));
      expect(countO200kTokens(text), JSON.stringify(text)).toBe(encode(text, NO_SPECIAL).length);
    }
  });

  it('cuts random ASCII text, which the scanner decides alone, where the tokenizer does', () => {
    const next = seededRandom(7);
    for (let round = 0; round < 3000; round += 1) {
      const text = randomText(next, 1 + Math.floor(next() * 24), ASCII);
      expect(preTokens(text), JSON.stringify(text)).toEqual(patternPreTokens(text));
      expect(countO200kTokens(text), JSON.stringify(text)).toBe(encode(text, NO_SPECIAL).length);
    }
  });

  it('counts the same again once pre-tokens are remembered', () => {
    const text = 'see you tomorrow 😂 see you tomorrow';
    const first = countO200kTokens(text);
    expect(countO200kTokens(text)).toBe(first);
    expect(first).toBe(encode(text, NO_SPECIAL).length);
  });

  it('counts long pre-tokens, which are not remembered', () => {
    const text = `${'!'.repeat(200)} ${'a'.repeat(300)}`;
    expect(countO200kTokens(text)).toBe(encode(text, NO_SPECIAL).length);
  });
});
