import { describe, expect, it } from 'vitest';
import { splitBubbles } from './split-bubbles.js';

describe('splitBubbles', () => {
  it('makes one bubble per line, trimmed, without empty lines', () => {
    expect(splitBubbles('  hey \n\n  what’s up\n')).toEqual(['hey', 'what’s up']);
    expect(splitBubbles('one\r\ntwo\rthree')).toEqual(['one', 'two', 'three']);
    expect(splitBubbles(' \n \r\n ')).toEqual([]);
  });

  it('joins the lines beyond maxBubbles into the last bubble', () => {
    expect(splitBubbles('a\nb\nc\nd', { maxBubbles: 2 })).toEqual(['a', 'b c d']);
    expect(splitBubbles('a\nb', { maxBubbles: 0 })).toEqual(['a b']);
    expect(splitBubbles('a\nb', { maxBubbles: 2 })).toEqual(['a', 'b']);
  });

  it('cuts at a word boundary, all bubbles together within maxChars', () => {
    expect(splitBubbles('see you at eight tonight', { maxChars: 12 })).toEqual(['see you at']);
    expect(splitBubbles('see you at eight', { maxChars: 16 })).toEqual(['see you at eight']);
    expect(splitBubbles('see you at eight', { maxChars: 10 })).toEqual(['see you at']);
    expect(splitBubbles('hello\nsee you soon', { maxChars: 11 })).toEqual(['hello', 'see']);
    // The next bubble has no whole word that fits: it is left out.
    expect(splitBubbles('hello\nwonderful', { maxChars: 8 })).toEqual(['hello']);
  });

  it('never cuts an emoji or a surrogate pair', () => {
    const family = '👨‍👩‍👧';
    for (let max = 1; max <= 12; max += 1) {
      const [bubble] = splitBubbles(`${family}${family}`, { maxChars: max });
      expect(bubble === family || bubble === `${family}${family}`).toBe(true);
    }
    expect(splitBubbles('ok 🥨🥨', { maxChars: 4 })).toEqual(['ok']);
    expect(splitBubbles('🥨🥨🥨', { maxChars: 5 })).toEqual(['🥨🥨']);
  });

  it('cuts a single word longer than the limit rather than answering nothing', () => {
    expect(splitBubbles('aaaaaaaaaaaa', { maxChars: 5 })).toEqual(['aaaaa']);
    expect(splitBubbles('supercalifragilistic word', { maxChars: 5 })).toEqual(['super']);
  });
});
