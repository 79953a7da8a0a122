import { describe, expect, it } from 'vitest';
import { emojiIn, quantile, replyLength, styleProfile, wordsIn } from './style-profile.js';

describe('emojiIn', () => {
  it('counts ZWJ sequences, flags, keycaps and skin tones as one emoji each', () => {
    expect(emojiIn('family 👨‍👩‍👧‍👦 and 🏳️‍🌈')).toEqual(['👨‍👩‍👧‍👦', '🏳️‍🌈']);
    expect(emojiIn('🇫🇷🇩🇪 🏴󠁧󠁢󠁳󠁣󠁴󠁿')).toEqual(['🇫🇷', '🇩🇪', '🏴󠁧󠁢󠁳󠁣󠁴󠁿']);
    expect(emojiIn('1️⃣ then 👍🏽👍 ❤️')).toEqual(['1️⃣', '👍🏽', '👍', '❤️']);
    expect(emojiIn('plain text 123 #1 :)')).toEqual([]);
  });
});

describe('wordsIn', () => {
  it('lowercases and keeps contractions whole', () => {
    expect(wordsIn("I’ll see YOU at 6, don't wait!")).toEqual([
      "i'll",
      'see',
      'you',
      'at',
      '6',
      "don't",
      'wait',
    ]);
  });
});

describe('quantile', () => {
  it('interpolates between ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91, 10);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBe(0);
  });
});

describe('styleProfile', () => {
  it('measures length in code points and bubbles in non-empty lines', () => {
    const profile = styleProfile(['ok', 'on my way\n\nbrt', '👨‍👩‍👧‍👦']);
    expect(replyLength('👨‍👩‍👧‍👦')).toBe(7);
    expect(profile.replies).toBe(3);
    // Lengths 2, 14 ("on my way\n\nbrt"), 7.
    expect(profile.length.mean).toBeCloseTo(23 / 3, 10);
    expect(profile.length.median).toBe(7);
    expect(profile.length.p90).toBeCloseTo(7 + 0.8 * 7, 10);
    expect(profile.bubbles.mean).toBeCloseTo(4 / 3, 10);
  });

  it('counts emoji sequences and flags as one and ranks the most used', () => {
    const profile = styleProfile(['lol 😂😂', 'bonjour 🇫🇷', 'the fam 👨‍👩‍👧‍👦 😂', 'no emoji here']);
    expect(profile.emoji.share).toBe(0.75);
    expect(profile.emoji.perReply).toBe(5 / 4);
    expect(profile.emoji.top).toEqual(['😂', '🇫🇷', '👨‍👩‍👧‍👦']);
  });

  it('tells a final period from an ellipsis, "..." from "…"', () => {
    const profile = styleProfile([
      'Sure.',
      'hmm...',
      'well…',
      'ok!',
      'what?',
      'fine. \nsee you.',
      'no',
    ]);
    expect(profile.punctuation.finalPeriod).toBeCloseTo(2 / 7, 10);
    expect(profile.punctuation.ellipsis).toBeCloseTo(2 / 7, 10);
    expect(profile.punctuation.exclamation).toBeCloseTo(1 / 7, 10);
    expect(profile.punctuation.question).toBeCloseTo(1 / 7, 10);
  });

  it('reads casing from letters only', () => {
    const profile = styleProfile([
      'hey there', // lowercase start, all lowercase
      'Hey there', // neither
      'OMG NO', // all caps
      '😂 lol', // lowercase start (first letter), all lowercase
      'I', // one capital: not shouting
      '👍', // no letters
      '2 PM ok', // has lowercase letters
    ]);
    expect(profile.casing.lowercaseStart).toBeCloseTo(2 / 7, 10);
    expect(profile.casing.allLowercase).toBeCloseTo(2 / 7, 10);
    expect(profile.casing.allCaps).toBeCloseTo(1 / 7, 10);
  });

  it('counts distinct lowercased words', () => {
    expect(styleProfile(['Yes yes YES', 'no, yes']).vocabulary).toBe(2);
  });

  it('gives zeros for no replies', () => {
    const profile = styleProfile([]);
    expect(profile.replies).toBe(0);
    expect(profile.length).toEqual({ mean: 0, median: 0, p90: 0 });
    expect(profile.emoji).toEqual({ share: 0, perReply: 0, top: [] });
  });
});
