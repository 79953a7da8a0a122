import { describe, expect, it } from 'vitest';
import { countExampleTokens, countTextTokens } from './tokens.js';

describe('countTextTokens', () => {
  it('counts o200k_base tokens, special-token look-alikes as text', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('hello world')).toBe(2);
    expect(countTextTokens('a <|endoftext|> b')).toBeGreaterThan(3);
    // Cached short texts give the same count.
    expect(countTextTokens('hello world')).toBe(2);
  });
});

describe('countExampleTokens', () => {
  it('counts like the data-preparation notebook: 3 per message, every string value, 1 per name, 3 at the end', () => {
    const messages = [
      { role: 'user', content: 'hello world' },
      { role: 'assistant', content: 'hi', weight: 0 },
    ];
    const expected =
      3 +
      (3 + countTextTokens('user') + 2) +
      (3 + countTextTokens('assistant') + countTextTokens('hi'));
    expect(countExampleTokens(messages)).toBe(expected);
    expect(countExampleTokens([{ role: 'user', content: 'x', name: 'alex' }])).toBe(
      3 + 3 + countTextTokens('user') + countTextTokens('x') + countTextTokens('alex') + 1,
    );
  });
});
