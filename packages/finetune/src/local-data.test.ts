import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonl, useTempDirs } from './__fixtures__/data.js';
import { engineExamples, layoutTrainingData } from './local-data.js';

const tempDir = useTempDirs();

const messages = [
  { role: 'system', content: 'You are Sam.' },
  { role: 'user', content: 'Jo: dinner?' },
  { role: 'assistant', content: 'context reply', weight: 0 as const },
  { role: 'user', content: 'Jo: 7pm?' },
  { role: 'assistant', content: 'yes!!' },
  { role: 'user', content: 'Jo: wine?' },
  { role: 'assistant', content: 'on it' },
];

describe('engineExamples', () => {
  it('mlx: one example per trained reply, ending with it, weights removed', () => {
    const plain = messages.map(({ role, content }) => ({ role, content }));
    expect(engineExamples(messages, 'mlx')).toEqual([
      { messages: plain.slice(0, 5) },
      { messages: plain.slice(0, 7) },
    ]);
  });

  it('hf and axolotl: the example as it is, weight 0 kept on context turns only', () => {
    for (const engine of ['hf', 'axolotl'] as const) {
      expect(
        engineExamples(
          [...messages, { role: 'assistant', content: 'x', weight: 1 } as never],
          engine,
        ),
      ).toEqual([{ messages: [...messages, { role: 'assistant', content: 'x' }] }]);
    }
  });

  it('nothing for an example without a trained reply', () => {
    expect(engineExamples(messages.slice(0, 3), 'mlx')).toEqual([]);
    expect(engineExamples(messages.slice(0, 3), 'hf')).toEqual([]);
  });
});

describe('layoutTrainingData', () => {
  it('writes train.jsonl and valid.jsonl for the engine and counts what is trained', async () => {
    const dir = await tempDir();
    const trainFile = join(dir, 'in-train.jsonl');
    const validationFile = join(dir, 'in-valid.jsonl');
    await writeFile(trainFile, `${jsonl([{ messages }, { messages: messages.slice(0, 3) }])}\n`);
    await writeFile(validationFile, jsonl([{ messages: messages.slice(0, 5) }]));
    const out = join(dir, 'out');
    await import('node:fs/promises').then((fs) => fs.mkdir(out));
    const laid = await layoutTrainingData({ trainFile, validationFile }, out, 'mlx');
    expect(laid).toEqual({
      dir: out,
      train: {
        source: trainFile,
        path: join(out, 'train.jsonl'),
        examples: 2,
        written: 2,
        trainedTurns: 2,
        contextTurns: 2,
        skipped: 1,
      },
      validation: {
        source: validationFile,
        path: join(out, 'valid.jsonl'),
        examples: 1,
        written: 1,
        trainedTurns: 1,
        contextTurns: 1,
        skipped: 0,
      },
    });
    const lines = (await readFile(join(out, 'train.jsonl'), 'utf8')).trim().split('\n');
    expect(
      lines.map((line) => (JSON.parse(line) as { messages: unknown[] }).messages.length),
    ).toEqual([5, 7]);
    expect(lines.join('\n')).not.toContain('weight');
  });

  it('names the file and line of an example it cannot read', async () => {
    const dir = await tempDir();
    const trainFile = join(dir, 'train.jsonl');
    await writeFile(
      trainFile,
      `${jsonl([{ messages }])}{"input": {"messages": []}, "preferred_output": []}\n`,
    );
    const out = await tempDir();
    await expect(layoutTrainingData({ trainFile }, out, 'hf')).rejects.toThrow(
      `${trainFile}:2: expected a chat example {"messages": [...]}; preference pairs (DPO) cannot be trained locally`,
    );
    await writeFile(
      trainFile,
      '{"messages": [{"role": "assistant", "content": "x", "weight": 2}]}\n',
    );
    await expect(layoutTrainingData({ trainFile }, out, 'hf')).rejects.toThrow(
      `${trainFile}:1: messages[0].weight: expected 0 or 1`,
    );
  });
});
