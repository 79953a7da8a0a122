import { describe, expect, it } from 'vitest';
import { classifyKeyword, KEYWORDS } from './keywords.js';

describe('classifyKeyword', () => {
  it.each([
    ...KEYWORDS['opt-out'].map((word) => [word, 'opt-out'] as const),
    ...KEYWORDS['opt-in'].map((word) => [word, 'opt-in'] as const),
    ...KEYWORDS.help.map((word) => [word, 'help'] as const),
  ])('knows %s in any case and with spaces around it', (word, kind) => {
    expect(classifyKeyword(word)).toBe(kind);
    expect(classifyKeyword(word.toLowerCase())).toBe(kind);
    expect(classifyKeyword(`  ${word[0]}${word.slice(1).toLowerCase()}\n`)).toBe(kind);
  });

  it("lists Twilio's default words", () => {
    expect(KEYWORDS['opt-out']).toEqual(
      expect.arrayContaining(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']),
    );
    expect(KEYWORDS['opt-in']).toEqual(['START', 'YES', 'UNSTOP']);
    expect(KEYWORDS.help).toEqual(['HELP', 'INFO']);
  });

  it('is not a keyword inside a longer message', () => {
    for (const body of ['stop it', 'please STOP', 'yes!', 'help me', 'stopp', '', '   ', 'S T O P'])
      expect(classifyKeyword(body)).toBeUndefined();
  });
});
