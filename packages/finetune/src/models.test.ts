import { describe, expect, it } from 'vitest';
import { checkSuffix } from './models.js';

describe('checkSuffix', () => {
  it('accepts up to 64 letters, digits, "-", "_" and "."', () => {
    expect(checkSuffix('sam-v1.2_test')).toBeUndefined();
    expect(checkSuffix('a'.repeat(64))).toBeUndefined();
  });
  it('says why a suffix is refused', () => {
    expect(checkSuffix('a'.repeat(65))).toBe(
      'the suffix has 65 characters; at most 64 are allowed',
    );
    expect(checkSuffix('sam rivera')).toBe(
      'the suffix contains " "; use only letters, digits, "-", "_" and "."',
    );
    expect(checkSuffix('')).toBe('the suffix is empty');
  });
});
