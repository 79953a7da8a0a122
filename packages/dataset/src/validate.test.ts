import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempFolders } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import { validateTrainingFile, validateTrainingLines } from './validate.js';

const temp = useTempFolders('alterego-validate-');
const good = (index: number) =>
  JSON.stringify({
    messages: [
      { role: 'system', content: 'You are Sam.' },
      { role: 'user', content: `hey ${index}` },
      { role: 'assistant', content: 'earlier', weight: 0 },
      { role: 'user', content: 'and?' },
      { role: 'assistant', content: `hi ${index}`, weight: 1 },
    ],
  });

describe('validateTrainingLines', () => {
  it('accepts a good file and reports tokens and cost', async () => {
    const report = await validateTrainingLines(Array.from({ length: 12 }, (_, i) => good(i)));
    expect(report.ok).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.examples).toBe(12);
    expect(report.stats.messagesPerExample.median).toBe(5);
    expect(report.cost.epochs).toBe(8);
    expect(report.cost.estimate.trainedTokens).toBe(report.stats.tokensPerExample.total * 8);
  });

  it('finds every kind of error with its line', async () => {
    const lines = [
      ...Array.from({ length: 10 }, (_, i) => good(i)),
      '{not json',
      '[1, 2]',
      '{"messages": []}',
      '{"messages": [{"role": "user"}, {"role": "assistant", "content": "x"}]}',
      '{"messages": [{"role": "user", "content": "x", "extra": 1}, {"role": "assistant", "content": "x"}]}',
      '{"messages": [{"role": "robot", "content": "x"}, {"role": "assistant", "content": "x"}]}',
      '{"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": "x"}]}',
      '{"messages": [{"role": "user", "content": "x"}]}',
      '{"messages": [{"role": "user", "content": "x", "weight": 0}, {"role": "assistant", "content": "x"}]}',
      '{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "x", "weight": 0.5}]}',
      '{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "x"}], "meta": 1}',
      '',
      good(99),
    ];
    const report = await validateTrainingLines(lines);
    expect(report.ok).toBe(false);
    expect(report.errors.map((error) => [error.line, error.code])).toEqual([
      [11, 'invalid_json'],
      [12, 'data_type'],
      [13, 'missing_messages_list'],
      [14, 'message_missing_key'],
      [14, 'missing_content'],
      [15, 'message_unrecognized_key'],
      [16, 'unrecognized_role'],
      [17, 'missing_content'],
      [18, 'example_missing_assistant_message'],
      [19, 'weight_not_on_assistant'],
      [20, 'invalid_weight'],
      [21, 'example_unrecognized_key'],
      [22, 'invalid_json'],
    ]);
  });

  it('needs at least 10 examples, and warns about examples over the model context', async () => {
    const report = await validateTrainingLines([good(1)], { model: 'gpt-3.5-turbo-0125' });
    expect(report.errorCounts).toEqual({ too_few_examples: 1 });
    const long = JSON.stringify({
      messages: [
        { role: 'user', content: 'word '.repeat(20_000) },
        { role: 'assistant', content: 'ok' },
      ],
    });
    const over = await validateTrainingLines(
      [...Array.from({ length: 10 }, (_, i) => good(i)), long],
      {
        model: 'gpt-3.5-turbo-0125',
      },
    );
    expect(over.ok).toBe(true);
    expect(over.warnings.map((warning) => [warning.line, warning.code])).toEqual([
      [11, 'example_too_long'],
    ]);
    expect(over.cost.estimate.examplesOverLimit).toBe(1);
  });
});

const pair = (index: number) =>
  JSON.stringify({
    input: {
      messages: [
        { role: 'system', content: 'You are Sam.' },
        { role: 'user', content: `lunch? ${index}` },
      ],
    },
    preferred_output: [{ role: 'assistant', content: `sure, 1pm? ${index}` }],
    non_preferred_output: [{ role: 'assistant', content: 'I would be delighted to join you.' }],
  });

describe('validateTrainingLines on preference pairs (DPO)', () => {
  it('recognises pairs from the first example and counts all three parts', async () => {
    const report = await validateTrainingLines(Array.from({ length: 10 }, (_, i) => pair(i)));
    expect(report.format).toBe('preference');
    expect(report.ok).toBe(true);
    expect(report.stats.messagesPerExample.median).toBe(3);
    expect(report.stats.missingSystem).toBe(0);
    const chat = await validateTrainingLines(Array.from({ length: 10 }, (_, i) => good(i)));
    expect(chat.format).toBe('chat');
    expect(report.stats.tokensPerExample.min).toBeGreaterThan(3 * 3 + 4 * 3);
  });

  it('finds broken pairs with their lines', async () => {
    const lines = [
      ...Array.from({ length: 10 }, (_, i) => pair(i)),
      '{"input": {"messages": []}, "preferred_output": [], "non_preferred_output": []}',
      '{"input": {"messages": [{"role": "user", "content": "x"}]}, "preferred_output": [], "non_preferred_output": [{"role": "assistant", "content": "y"}]}',
      '{"input": {"messages": [{"role": "user", "content": "x"}]}, "preferred_output": [{"role": "user", "content": "y"}], "non_preferred_output": [{"role": "assistant", "content": "z"}], "extra": 1}',
      '{"input": {"messages": [{"role": "robot", "content": "x"}]}, "preferred_output": [{"role": "assistant", "content": "y"}], "non_preferred_output": [{"role": "assistant", "content": ""}]}',
      good(1),
    ];
    const report = await validateTrainingLines(lines);
    expect(report.errors.map((error) => [error.line, error.code, error.message])).toEqual([
      [11, 'missing_messages_list', 'expected an "input" object with a non-empty "messages" list'],
      [
        12,
        'invalid_preference_output',
        '"preferred_output" must be a list of exactly one assistant message',
      ],
      [13, 'example_unrecognized_key', 'unrecognised key "extra" on the example'],
      [13, 'example_missing_assistant_message', 'preferred_output has no assistant message'],
      [
        14,
        'unrecognized_role',
        'input message 1: role "robot" is not one of system, user, assistant, function',
      ],
      [
        14,
        'missing_content',
        'non_preferred_output message 1: "content" must be a non-empty string',
      ],
      [15, 'example_unrecognized_key', 'unrecognised key "messages" on the example'],
      [15, 'missing_messages_list', 'expected an "input" object with a non-empty "messages" list'],
    ]);
  });

  it('checks the shape it is told, and refuses pairs for a model without DPO', async () => {
    const asChat = await validateTrainingLines([pair(1)], { format: 'chat', minExamples: 1 });
    expect(asChat.errorCounts).toEqual({ missing_messages_list: 1 });
    const old = await validateTrainingLines(
      Array.from({ length: 10 }, (_, i) => pair(i)),
      { model: 'gpt-3.5-turbo-0125' },
    );
    expect(old.errors).toEqual([
      {
        code: 'dpo_not_supported',
        line: undefined,
        message:
          'gpt-3.5-turbo-0125 cannot be trained on preference pairs (DPO); choose a gpt-4o or gpt-4.1 model',
      },
    ]);
  });

  it('takes a smaller minimum, e.g. for a validation file', async () => {
    expect((await validateTrainingLines([good(1)], { minExamples: 1 })).ok).toBe(true);
    expect((await validateTrainingLines([], { minExamples: 1 })).errors).toEqual([
      {
        code: 'too_few_examples',
        line: undefined,
        message: '0 examples; the service needs at least 1',
      },
    ]);
  });
});

describe('validateTrainingFile', () => {
  it('reads a file and names missing files clearly', async () => {
    const dir = temp.dir();
    const path = join(dir, 'train.jsonl');
    writeFileSync(path, `${Array.from({ length: 10 }, (_, i) => good(i)).join('\n')}\n`);
    expect((await validateTrainingFile(path)).ok).toBe(true);
    await expect(validateTrainingFile(join(dir, 'nope.jsonl'))).rejects.toThrow(
      /nope\.jsonl: no such file; expected a chat fine-tuning \.jsonl file/,
    );
    await expect(validateTrainingFile(dir)).rejects.toThrow(/is a folder/);
  });
});
