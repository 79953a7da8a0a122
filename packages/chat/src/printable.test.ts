import { describe, expect, it } from 'vitest';
import { stripControls } from './printable.js';

describe('stripControls', () => {
  it('removes terminal escapes, controls and bidirectional overrides, and keeps the rest', () => {
    expect(stripControls('\u001b[2J\u001b]0;pwned\u0007hi\u0000 there')).toBe(
      '[2J]0;pwnedhi there',
    );
    expect(stripControls('abc\u202edcba\u2066x\u2069')).toBe('abcdcbax');
    expect(stripControls('line one\nline two\ttabbed 👋🏽 é')).toBe(
      'line one\nline two\ttabbed 👋🏽 é',
    );
  });
});
