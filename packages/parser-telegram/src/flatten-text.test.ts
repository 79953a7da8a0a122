import { describe, expect, it } from 'vitest';
import { flattenText } from './flatten-text.js';

describe('flattenText', () => {
  it('keeps a plain string as typed, in NFC', () => {
    expect(flattenText('hello\nworld 👀')).toBe('hello\nworld 👀');
    expect(flattenText('cafe\u0301')).toBe('café');
  });

  it('concatenates strings and entity texts, dropping formatting and link targets', () => {
    expect(
      flattenText([
        { type: 'link', text: 'https://google.com' },
        ' 👀 ',
        { type: 'bold', text: 'bold' },
        { type: 'text_link', text: 'here', href: 'https://example.com' },
        { type: 'mention_name', text: 'Bob', user_id: 7 },
        { type: 'custom_emoji', text: '🔥', document_id: 'stickers/x.webp' },
      ]),
    ).toBe('https://google.com 👀 boldhereBob🔥');
  });

  it('falls back to text_entities, and ignores what is not text', () => {
    expect(
      flattenText(undefined, [
        { type: 'plain', text: 'a' },
        { type: 'italic', text: 'b' },
      ]),
    ).toBe('ab');
    expect(flattenText(undefined)).toBe('');
    expect(flattenText(42)).toBe('');
    expect(flattenText([null, 3, { type: 'bold' }, 'x'])).toBe('x');
  });
});
