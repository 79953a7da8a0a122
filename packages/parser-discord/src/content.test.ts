import { describe, expect, it } from 'vitest';
import { readableContent } from './content.js';

describe('readableContent', () => {
  it('writes custom emoji markup as :name:', () => {
    expect(readableContent('woah <:pepe_hands:123456789012345678> <a:party-blob:42>!')).toBe(
      'woah :pepe_hands: :party-blob:!',
    );
  });

  it('writes user mentions as @name where the mention list has them', () => {
    const mentions = [{ id: '111', name: 'mlomb' }];
    expect(readableContent('hey <@111> and <@!111>, <@999>', mentions)).toBe(
      'hey @mlomb and @mlomb, <@999>',
    );
    expect(readableContent('hey <@111>')).toBe('hey <@111>');
  });

  it('keeps markdown, emoji and newlines, in NFC', () => {
    expect(readableContent('**bold** 😂\nnext line cafe\u0301')).toBe(
      '**bold** 😂\nnext line café',
    );
  });
});
