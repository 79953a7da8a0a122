import { describe, expect, it } from 'vitest';

describe('public API of @alterego/chat/eval', () => {
  it('exports exactly these names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'chrF',
      'corpusChrF',
      'evaluate',
      'formatEvalTable',
      'loadEvalCases',
      'renderEvalReport',
      'styleProfile',
    ]);
  });
});
