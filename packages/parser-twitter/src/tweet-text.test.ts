import { describe, expect, it } from 'vitest';
import { codePointOffsets, readIndices, rewriteTweetText } from './tweet-text.js';

describe('codePointOffsets', () => {
  it('maps code points to UTF-16 offsets past astral characters', () => {
    const toOffset = codePointOffsets('😀a👍🏽b');
    expect([0, 1, 2, 3, 4, 5].map(toOffset)).toEqual([0, 2, 3, 5, 7, 8]);
  });

  it('is the identity for text without astral characters', () => {
    const toOffset = codePointOffsets('café');
    expect([0, 3, 4, 9].map(toOffset)).toEqual([0, 3, 4, 4]);
  });
});

describe('readIndices', () => {
  it('reads numeric strings and numbers', () => {
    expect(readIndices(['0', '12'])).toEqual([0, 12]);
    expect(readIndices([3, 5])).toEqual([3, 5]);
  });

  it('refuses anything else', () => {
    for (const value of [undefined, [], ['1'], ['a', '2'], [5, 3], [-1, 2], '0,1']) {
      expect(readIndices(value)).toBeUndefined();
    }
  });
});

describe('rewriteTweetText', () => {
  it('replaces a link after an emoji at its code-point indices', () => {
    // In code points the link is at 8..31; in UTF-16 units it would be 9..32.
    const raw = '😀 look: https://t.co/abcdefghij and more';
    expect(
      rewriteTweetText(raw, [
        { indices: ['8', '31'], find: 'https://t.co/abcdefghij', replace: 'https://example.com/a' },
      ]),
    ).toBe('😀 look: https://example.com/a and more');
  });

  it('uses the indices, not the first occurrence, when the same text appears twice', () => {
    const raw = '👍 x x';
    expect(rewriteTweetText(raw, [{ indices: [4, 5], find: 'x', replace: 'y' }])).toBe('👍 x y');
  });

  it('finds a link by its text when the indices were counted on unescaped text', () => {
    const raw = 'fish &amp; chips https://t.co/abc';
    // Counted on "fish & chips https://t.co/abc": 13..30.
    expect(
      rewriteTweetText(raw, [
        { indices: [13, 30], find: 'https://t.co/abc', replace: 'https://e.com/?a=1&amp=2' },
      ]),
    ).toBe('fish & chips https://e.com/?a=1&amp=2');
  });

  it('decodes the text around replacements but not the replacements', () => {
    expect(
      rewriteTweetText('&lt;3 https://t.co/x &amp;', [
        { find: 'https://t.co/x', replace: 'https://e.com/?q=&amp;' },
      ]),
    ).toBe('<3 https://e.com/?q=&amp; &');
  });

  it('removes media links with their space', () => {
    expect(
      rewriteTweetText('sunset 🌅 https://t.co/media1', [
        { indices: [9, 29], find: 'https://t.co/media1', replace: '' },
      ]),
    ).toBe('sunset 🌅');
    expect(rewriteTweetText('a https://t.co/m b', [{ find: 'https://t.co/m', replace: '' }])).toBe(
      'a b',
    );
    expect(rewriteTweetText('https://t.co/m', [{ find: 'https://t.co/m', replace: '' }])).toBe('');
  });

  it('drops the mentions a reply starts with, up to display_text_range', () => {
    expect(rewriteTweetText('@alice @bob_2 I dont agree', [], 14)).toBe('I dont agree');
  });

  it('keeps the start when it is not a run of mentions', () => {
    expect(rewriteTweetText('hello @alice there', [], 6)).toBe('hello @alice there');
  });

  it('leaves text alone when an entity is not in it', () => {
    expect(
      rewriteTweetText('no links here', [
        { indices: [0, 5], find: 'https://t.co/zz', replace: 'x' },
      ]),
    ).toBe('no links here');
  });
});
