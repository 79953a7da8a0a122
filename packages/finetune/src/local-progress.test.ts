import { describe, expect, it } from 'vitest';
import { createHfLineParser, createMlxLineParser, stripAnsi } from './local-progress.js';

const esc = '\u001b';

describe('createMlxLineParser', () => {
  it('reads the training table of current mlx_lm releases, colours and all', () => {
    const parse = createMlxLineParser({ totalSteps: 600 });
    expect(parse(`${esc}[1m  iter   train_loss     tok/s     tokens${esc}[0m`)).toBeUndefined();
    expect(
      parse(
        `  ${esc}[38;5;244m   1${esc}[0m    ${esc}[35;1mval${esc}[0m ${esc}[1m2.876${esc}[0m    ${esc}[38;5;244m1.23s${esc}[0m`,
      ),
    ).toEqual({
      kind: 'metrics',
      metrics: { step: 1, totalSteps: 600, validLoss: 2.876 },
      message: 'Step 1/600: validation loss=2.8760',
    });
    expect(parse('    10    2.345 ▼      568     1.2k')).toEqual({
      kind: 'metrics',
      metrics: {
        step: 10,
        totalSteps: 600,
        trainLoss: 2.345,
        tokensPerSecond: 568,
        trainedTokens: 1200,
      },
      message: 'Step 10/600: training loss=2.3450 568 tokens/s',
    });
    expect(parse('   200    1.902 ▲    1,234    24.7k')).toMatchObject({
      metrics: { step: 200, trainLoss: 1.902, tokensPerSecond: 1234, trainedTokens: 24700 },
    });
    expect(parse('  save  0000100_adapters.safetensors')).toEqual({
      kind: 'message',
      level: 'info',
      message: 'Saved 0000100_adapters.safetensors',
    });
  });

  it('reads the lines of earlier releases', () => {
    const parse = createMlxLineParser();
    expect(
      parse(
        'Iter 10: Train loss 2.345, Learning Rate 1.000e-05, It/sec 1.234, Tokens/sec 567.890, Trained Tokens 1234, Peak mem 5.678 GB',
      ),
    ).toEqual({
      kind: 'metrics',
      metrics: { step: 10, trainLoss: 2.345, tokensPerSecond: 567.89, trainedTokens: 1234 },
      message: 'Step 10: training loss=2.3450 568 tokens/s',
    });
    expect(parse('Iter 1: Val loss 2.876, Val took 1.234s')).toMatchObject({
      metrics: { step: 1, validLoss: 2.876 },
    });
    expect(
      parse(
        'Iter 100: Saved adapter weights to adapters/adapters.safetensors and adapters/0000100_adapters.safetensors.',
      ),
    ).toMatchObject({
      kind: 'message',
      message: 'Saved adapters/adapters.safetensors',
    });
  });

  it('keeps the progress messages and the exception line, drops boxes and bars', () => {
    const parse = createMlxLineParser();
    expect(parse('Loading pretrained model')).toEqual({
      kind: 'message',
      level: 'info',
      message: 'Loading pretrained model',
    });
    expect(parse('Trainable parameters: 0.047% (0.721M/1543.714M)')).toMatchObject({
      level: 'info',
    });
    expect(parse('╭─ mlx_lm.lora ─────────────╮')).toBeUndefined();
    expect(parse('train ███████░░░░░░░░  38% ·   228/600')).toBeUndefined();
    expect(
      parse(
        '[WARNING] Some sequences are longer than 2048 tokens. The longest sentence 2400 will be truncated to 2048.',
      ),
    ).toMatchObject({ level: 'warn' });
    expect(
      parse('ValueError: Requested to train 16 layers but the model only has 2 layers.'),
    ).toEqual({
      kind: 'message',
      level: 'error',
      message: 'ValueError: Requested to train 16 layers but the model only has 2 layers.',
    });
    expect(parse('  File "lora.py", line 12, in <module>')).toBeUndefined();
  });
});

describe('createHfLineParser', () => {
  it("reads the shipped script's JSON lines", () => {
    const parse = createHfLineParser();
    expect(
      parse('{"alterego": "start", "total_steps": 90, "message": "Training 445 examples"}'),
    ).toEqual({
      kind: 'message',
      level: 'info',
      message: 'Training 445 examples',
    });
    expect(
      parse(
        '{"alterego": "train", "step": 10, "total_steps": 90, "loss": 2.1234, "learning_rate": 0.0002, "epoch": 0.33, "tokens_per_second": 2345.6, "trained_tokens": 51234}',
      ),
    ).toEqual({
      kind: 'metrics',
      metrics: {
        step: 10,
        totalSteps: 90,
        trainLoss: 2.1234,
        tokensPerSecond: 2345.6,
        trainedTokens: 51234,
      },
      message: 'Step 10/90: training loss=2.1234 2,346 tokens/s',
    });
    expect(parse('{"alterego": "eval", "step": 10, "eval_loss": 2.2}')).toMatchObject({
      metrics: { step: 10, totalSteps: 90, validLoss: 2.2 },
    });
    expect(parse('{"alterego": "saved", "adapter": "/r/adapters", "merged": "/r/merged"}')).toEqual(
      {
        kind: 'artifact',
        adapter: '/r/adapters',
        merged: '/r/merged',
        message: 'Saved /r/adapters and /r/merged',
      },
    );
    expect(parse('{"alterego": "error", "message": "train.jsonl:3: not valid JSON"}')).toEqual({
      kind: 'message',
      level: 'error',
      message: 'train.jsonl:3: not valid JSON',
    });
    // Once the script's lines are seen, the Trainer's own dicts are duplicates.
    expect(
      parse("{'loss': 1.2345, 'grad_norm': 0.5, 'learning_rate': 0.0002, 'epoch': 0.5}"),
    ).toBeUndefined();
  });

  it("reads the transformers Trainer's dicts, counting the logs for the step", () => {
    const parse = createHfLineParser({ totalSteps: 40 });
    expect(
      parse("{'loss': 1.2345, 'grad_norm': 0.8123, 'learning_rate': 0.0002, 'epoch': 0.5}"),
    ).toEqual({
      kind: 'metrics',
      metrics: { step: 1, totalSteps: 40, trainLoss: 1.2345 },
      message: 'Step 1/40: training loss=1.2345',
    });
    expect(
      parse(
        "{'eval_loss': 1.1, 'eval_runtime': 2.5, 'eval_samples_per_second': 19.2, 'epoch': 0.5}",
      ),
    ).toMatchObject({
      metrics: { step: 1, validLoss: 1.1 },
    });
    expect(parse("{'loss': nan, 'epoch': 1.0}")).toBeUndefined();
    expect(
      parse('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB'),
    ).toMatchObject({ level: 'error' });
  });
});

it('stripAnsi removes colours and cursor movements', () => {
  expect(stripAnsi(`${esc}[1;32m2.871 ▼${esc}[0m${esc}[2K`)).toBe('2.871 ▼');
});
