import { describe, expect, it } from 'vitest';
import { CHAT_WORDS, chatSentence, pick } from './chat-text.js';
import { seededRandom } from './random.js';

describe('chatSentence', () => {
  it('repeats for a seed and keeps to the phrases and lengths asked for', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const first = Array.from({ length: 200 }, () => chatSentence(a));
    expect(Array.from({ length: 200 }, () => chatSentence(b))).toEqual(first);
    expect(first.every((text) => CHAT_WORDS.some((word) => text.startsWith(word)))).toBe(true);
    const next = seededRandom(8);
    for (let index = 0; index < 200; index += 1) {
      const words = chatSentence(next, { words: ['x'], min: 3, max: 5 }).split(' ');
      expect(words.length).toBeGreaterThanOrEqual(3);
      expect(words.length).toBeLessThanOrEqual(5);
    }
  });

  it('picks every item in time', () => {
    const next = seededRandom(9);
    const seen = new Set(Array.from({ length: 100 }, () => pick(next, ['a', 'b', 'c'])));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
  });
});
