import { describe, expect, it } from 'vitest';
import { checkSuffix, defaultEpochs, findModel } from './models.js';

describe('defaultEpochs', () => {
  it('follows the cookbook rule', () => {
    expect(defaultEpochs(5)).toBe(20);
    expect(defaultEpochs(10)).toBe(10);
    expect(defaultEpochs(34)).toBe(3);
    expect(defaultEpochs(9000)).toBe(2);
    expect(defaultEpochs(30_000)).toBe(1);
    expect(defaultEpochs(1)).toBe(25);
  });
});

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

describe('findModel', () => {
  it('finds a model by id, by family and by a fine-tuned name', () => {
    expect(findModel('gpt-4.1-mini-2025-04-14')?.trainingPerMillion).toBe(5);
    expect(findModel('gpt-4o-mini')?.id).toBe('gpt-4o-mini-2024-07-18');
    expect(findModel('ft:gpt-4o-mini-2024-07-18:org:sam:abc')?.id).toBe('gpt-4o-mini-2024-07-18');
    expect(findModel('gpt-4o')?.id).toBe('gpt-4o-2024-08-06');
    expect(findModel('llama-3')).toBeUndefined();
  });
});
