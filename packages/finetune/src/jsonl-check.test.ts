import { describe, expect, it } from 'vitest';
import { chatExample, preferenceExample } from './__fixtures__/data.js';
import { approximateTokens, checkJsonl, checkJsonlSync } from './jsonl-check.js';

const lines = (values: readonly unknown[]) =>
  values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
const ten = Array.from({ length: 10 }, (_, index) => chatExample(index));

describe('checkJsonl', () => {
  it('accepts ten valid chat examples and counts their tokens', async () => {
    const result = await checkJsonl(lines(ten), { file: 'train.jsonl' });
    expect(result.issues).toEqual([]);
    expect(result.format).toBe('chat');
    expect(result.examples).toBe(10);
    expect(result.tokens).toBeGreaterThan(10 * 3 * 4);
  });

  it('refuses fewer than ten examples, naming the file', () => {
    const result = checkJsonlSync(lines(ten.slice(0, 9)), { file: 'train.jsonl' });
    expect(result.issues).toEqual([
      {
        file: 'train.jsonl',
        ruleId: 'openai:too-few-examples',
        reason: '9 valid examples; fine-tuning needs at least 10',
        severity: 'error',
      },
    ]);
  });

  it.each([
    ['not json', 'openai:invalid-json'],
    [[1, 2], 'openai:data-type'],
    [{ text: 'hi' }, 'openai:missing-messages-list'],
    [{ messages: [] }, 'openai:missing-messages-list'],
    [{ messages: [{ role: 'user' }] }, 'openai:message-missing-key'],
    [
      { messages: [{ role: 'assistant', content: 'x', mood: 'ok' }] },
      'openai:message-unrecognized-key',
    ],
    [{ messages: [{ role: 'robot', content: 'x' }] }, 'openai:unrecognized-role'],
    [{ messages: [{ role: 'assistant', content: '' }] }, 'openai:missing-content'],
    [{ messages: [{ role: 'assistant', content: 5 }] }, 'openai:missing-content'],
    [{ messages: [{ role: 'user', content: 'hi' }] }, 'openai:example-missing-assistant-message'],
    [{ messages: [{ role: 'assistant', content: 'x', weight: 2 }] }, 'openai:invalid-weight'],
    [
      {
        messages: [
          { role: 'user', content: 'x', weight: 1 },
          { role: 'assistant', content: 'y' },
        ],
      },
      'openai:weight-not-assistant',
    ],
    [{ messages: [{ role: 'assistant', content: 'x' }], extra: 1 }, 'openai:unrecognized-key'],
  ])('reports %j on its line as %s', (bad, ruleId) => {
    const result = checkJsonlSync(lines([...ten, bad]), { file: 'train.jsonl' });
    expect(result.examples).toBe(10);
    expect(result.issues).toContainEqual(
      expect.objectContaining({ file: 'train.jsonl', line: 11, ruleId, severity: 'error' }),
    );
  });

  it('accepts weight 0 on assistant messages and skips blank lines', () => {
    const weighted = {
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b', weight: 0 },
        { role: 'user', content: 'c' },
        { role: 'assistant', content: 'd', weight: 1 },
      ],
    };
    const result = checkJsonlSync([...lines([...ten, weighted]), ''], { file: 't' });
    expect(result.issues).toEqual([]);
    expect(result.examples).toBe(11);
  });

  it('recognises preference pairs and checks their shape', () => {
    const pairs = Array.from({ length: 10 }, (_, index) => preferenceExample(index));
    const ok = checkJsonlSync(lines(pairs), { file: 'dpo.jsonl' });
    expect(ok.format).toBe('preference');
    expect(ok.issues).toEqual([]);
    const broken = checkJsonlSync(
      lines([
        ...pairs,
        { input: { messages: [{ role: 'user', content: 'x' }] }, preferred_output: [] },
      ]),
      { file: 'dpo.jsonl' },
    );
    expect(broken.issues.map((issue) => issue.ruleId)).toContain('openai:missing-messages-list');
  });

  it('warns about examples over the token limit and bills them at the limit', () => {
    const long = {
      messages: [
        { role: 'user', content: 'x'.repeat(4000) },
        { role: 'assistant', content: 'y' },
      ],
    };
    const result = checkJsonlSync(lines([...ten, long]), { file: 't', maxTokensPerExample: 500 });
    expect(result.issues).toEqual([
      expect.objectContaining({ line: 11, ruleId: 'openai:example-too-long', severity: 'warning' }),
    ]);
    const withoutLong = checkJsonlSync(lines(ten), { file: 't' });
    expect(result.tokens).toBe(withoutLong.tokens + 500);
  });

  it('counts tokens with the counter it is given', () => {
    const result = checkJsonlSync(lines(ten), { file: 't', countTokens: () => 1 });
    // 3 for the reply + per message 3 + role 1 + content 1.
    expect(result.tokens).toBe(10 * (3 + 3 * 5));
    expect(approximateTokens('')).toBe(0);
    expect(approximateTokens('abcdefgh')).toBe(2);
  });
});
