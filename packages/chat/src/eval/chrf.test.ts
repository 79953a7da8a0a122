import { describe, expect, it } from 'vitest';
import { chrF, chrFStatistics, corpusChrF } from './chrf.js';

describe('chrF', () => {
  it('scores identical strings 100 and disjoint strings 0', () => {
    expect(chrF('see you at 6 👍', 'see you at 6 👍')).toBe(100);
    // Shorter than the order: only the orders both sides have count.
    expect(chrF('ok', 'ok')).toBe(100);
    expect(chrF('abc', 'xyz')).toBe(0);
    expect(chrF('', 'anything')).toBe(0);
    expect(chrF('', '')).toBe(0);
  });

  it('ignores whitespace, as sacrebleu does by default', () => {
    expect(chrF('see  you\nlater', 'seeyoulater')).toBe(100);
    expect(chrF('a b c', 'abd')).toBe(chrF('abc', 'abd'));
  });

  it('matches a hand-computed pair', () => {
    // "abc" against "abd":
    //   1-grams: hyp 3, ref 3, matches 2 (a, b)  → P 2/3, R 2/3
    //   2-grams: hyp 2, ref 2, matches 1 (ab)    → P 1/2, R 1/2
    //   3-grams: hyp 1, ref 1, matches 0         → P 0,   R 0
    //   4- to 6-grams: none on either side, so the effective order is 3
    //   P = R = (2/3 + 1/2 + 0) / 3 = 7/18; F2 = 5PR / (4P + R) = 7/18 → 38.888…
    expect(chrFStatistics('abc', 'abd').slice(0, 3)).toEqual([
      [3, 3, 2],
      [2, 2, 1],
      [1, 1, 0],
    ]);
    expect(chrF('abc', 'abd')).toBeCloseTo((100 * 7) / 18, 10);

    // "ab" against "abc": P = (1 + 1) / 2 = 1, R = (2/3 + 1/2) / 2 = 7/12 (no 3-grams in "ab");
    // F2 = 5 · 1 · 7/12 / (4 + 7/12) = 35/55 = 7/11 → 63.636…; recall weighs more than precision.
    expect(chrF('ab', 'abc')).toBeCloseTo((100 * 7) / 11, 10);
    // The other way round precision is 7/12 and recall 1: F2 = 5 · 7/12 / (4 · 7/12 + 1) = 35/40.
    expect(chrF('abc', 'ab')).toBeCloseTo(87.5, 10);
  });

  it('counts n-grams over code points, so an emoji is one character', () => {
    expect(chrFStatistics('😂😂', '😂')[0]).toEqual([2, 1, 1]);
  });

  it('agrees with the value sacrebleu documents', () => {
    // sacrebleu's CHRF() on this pair gives 61.576379378113785.
    expect(
      chrF(
        'The relationship between Obama and Netanyahu is not exactly friendly.',
        'The ties between Obama and Netanyahu are not particularly friendly.',
      ),
    ).toBeCloseTo(61.576379378113785, 9);
  });

  it('takes order and beta', () => {
    // Order 1, beta 1: the plain F1 of unigrams, 2/3.
    expect(chrF('abc', 'abd', { order: 1, beta: 1 })).toBeCloseTo(200 / 3, 10);
    // Beta 0 is precision alone: "ab" against "abc" has P = 1.
    expect(chrF('ab', 'abc', { beta: 0 })).toBeCloseTo(100, 10);
    expect(() => chrF('a', 'b', { order: 0 })).toThrow(/order/);
    expect(() => chrF('a', 'b', { beta: -1 })).toThrow(/beta/);
  });
});

describe('corpusChrF', () => {
  it('sums the statistics over the corpus instead of averaging sentence scores', () => {
    const pairs = [
      { hypothesis: 'ab', reference: 'abc' },
      { hypothesis: 'abc', reference: 'abd' },
    ];
    // Sums: 1-grams 5/6/4, 2-grams 3/4/2, 3-grams 1/2/0 (effective order 3):
    // P = (4/5 + 2/3 + 0) / 3 = 22/45, R = (4/6 + 2/4 + 0) / 3 = 7/18,
    // F2 = 5PR / (4P + R) = 6930/17091 → 40.547…, below the sentence mean of 51.26.
    expect(corpusChrF(pairs)).toBeCloseTo((100 * 6930) / 17091, 10);
    const sentenceMean = (chrF('ab', 'abc') + chrF('abc', 'abd')) / 2;
    expect(sentenceMean).toBeCloseTo((100 * 7) / 11 / 2 + (100 * 7) / 36, 10);
    expect(corpusChrF(pairs)).toBeLessThan(sentenceMean - 10);
  });

  it('agrees with the corpus value sacrebleu documents', () => {
    expect(
      corpusChrF([
        {
          hypothesis: 'The relationship between cats and dogs is not exactly friendly.',
          reference: 'The relationship between dogs and cats is not exactly friendly.',
        },
        {
          hypothesis: 'a good bookshop is just a genteel black hole that knows how to read.',
          reference: 'A good bookshop is just a genteel Black Hole that knows how to read.',
        },
      ]),
    ).toBeCloseTo(84.64214891738334, 9);
  });

  it('equals the sentence score for one pair, and is 100 for a perfect corpus', () => {
    expect(corpusChrF([{ hypothesis: 'abc', reference: 'abd' }])).toBe(chrF('abc', 'abd'));
    expect(
      corpusChrF([
        { hypothesis: 'ok', reference: 'ok' },
        { hypothesis: 'see you soon', reference: 'see you soon' },
      ]),
    ).toBe(100);
    expect(corpusChrF([])).toBe(0);
  });
});
