import { describe, expect, it } from 'vitest';
import { wassersteinDistance } from './distance.js';

describe('wassersteinDistance', () => {
  it('is 0 for the same distribution, whatever the order or repetition', () => {
    expect(wassersteinDistance([3, 1, 2], [1, 2, 3])).toBe(0);
    expect(wassersteinDistance([1, 2], [2, 1, 1, 2])).toBe(0);
  });

  it('is the shift when one distribution is moved', () => {
    expect(wassersteinDistance([1, 2, 3], [11, 12, 13])).toBe(10);
    expect(wassersteinDistance([5], [8])).toBe(3);
  });

  it('handles samples of different sizes', () => {
    // Half the mass at 0 and half at 10, against all of it at 5: each half moves 5.
    expect(wassersteinDistance([0, 10], [5])).toBe(5);
    // {0} against {0, 0, 3}: a third of the mass moves 3.
    expect(wassersteinDistance([0], [0, 0, 3])).toBeCloseTo(1, 10);
    // Symmetric.
    expect(wassersteinDistance([0, 0, 3], [0])).toBeCloseTo(1, 10);
    // Uneven spacing, same shape: every value moves 5.
    expect(wassersteinDistance([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 10);
    // {0, 1} against {0, 1, 2, 3}: the CDFs differ by 1/4 on [0, 1) (1/2 vs 1/4), by 1/2 on
    // [1, 2) (1 vs 1/2) and by 1/4 on [2, 3) (1 vs 3/4): 1/4 + 1/2 + 1/4 = 1.
    expect(wassersteinDistance([0, 1], [0, 1, 2, 3])).toBeCloseTo(1, 10);
  });

  it('is 0 when a sample is empty', () => {
    expect(wassersteinDistance([], [1, 2])).toBe(0);
  });
});
