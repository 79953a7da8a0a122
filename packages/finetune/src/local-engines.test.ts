import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './__fixtures__/data.js';
import { writeFakePython } from './__fixtures__/fake-python.js';
import {
  axolotlConfig,
  checkLocalEngine,
  hfConfig,
  mlxConfig,
  resolveSettings,
  type RunPaths,
  servePlan,
} from './local-engines.js';

const tempDir = useTempDirs();
const paths: RunPaths = {
  runDir: '/runs/r',
  dataDir: '/runs/r/data',
  train: '/runs/r/data/train.jsonl',
  valid: '/runs/r/data/valid.jsonl',
  adapterDir: '/runs/r/adapters',
  mergedDir: '/runs/r/merged',
  config: '/runs/r/config',
};
const shape = { examples: 445, trainLines: 900, maxExampleTokens: 2048 };
const header =
  '# Written by alterego. Edit and run again, or start a fresh run with alterego finetune start.';
const datasetYaml = (path: string, split?: string) => [
  `  - path: "${path}"`,
  '    ds_type: "json"',
  ...(split ? [`    split: "${split}"`] : []),
  '    type: "chat_template"',
  '    field_messages: "messages"',
  '    message_property_mappings:',
  '      role: "role"',
  '      content: "content"',
  '    roles_to_train:',
  '      - "assistant"',
  '    train_on_eos: "turn"',
  '    message_field_training: "weight"',
];

describe('resolveSettings', () => {
  it('works out steps from the lines written, epochs and batch, and the sequence length from the manifest', () => {
    expect(resolveSettings('mlx', shape, { model: 'M', hyperparameters: { epochs: 2 } })).toEqual({
      engine: 'mlx',
      model: 'M',
      epochs: 2,
      batchSize: 4,
      learningRate: 1e-4,
      loraRank: 8,
      loraAlpha: 16,
      loraDropout: 0.05,
      loraLayers: 16,
      maxSequenceLength: 2304,
      seed: 0,
      totalSteps: 450,
      reportEvery: 10,
      evalEvery: 45,
    });
    const custom = resolveSettings(
      'hf',
      { examples: 6, trainLines: 6 },
      {
        model: 'M',
        seed: 3,
        hyperparameters: {
          batchSize: 16,
          learningRateMultiplier: 0.5,
          loraRank: 32,
          maxSequenceLength: 1024,
        },
      },
    );
    // The batch never exceeds the data; 16 epochs: about 100 examples seen.
    expect(custom).toMatchObject({
      batchSize: 6,
      learningRate: 1e-4,
      loraRank: 32,
      loraAlpha: 64,
      maxSequenceLength: 1024,
      seed: 3,
      epochs: 16,
      totalSteps: 16,
      reportEvery: 1,
    });
    expect(custom.loraLayers).toBeUndefined();
  });
});

describe('engine configs', () => {
  it('mlx: the mlx_lm lora YAML with prompt masking', () => {
    const settings = resolveSettings('mlx', shape, {
      model: 'mlx-community/Qwen2.5-1.5B-Instruct-4bit',
      hyperparameters: { epochs: 2 },
    });
    expect(mlxConfig(settings, paths)).toBe(
      [
        header,
        'model: "mlx-community/Qwen2.5-1.5B-Instruct-4bit"',
        'train: true',
        'fine_tune_type: "lora"',
        'data: "/runs/r/data"',
        'mask_prompt: true',
        'seed: 0',
        'num_layers: 16',
        'batch_size: 4',
        'iters: 450',
        'val_batches: 25',
        'learning_rate: 0.0001',
        'steps_per_report: 10',
        'steps_per_eval: 45',
        'save_every: 45',
        'adapter_path: "/runs/r/adapters"',
        'max_seq_length: 2304',
        'grad_checkpoint: true',
        'lora_parameters:',
        '  rank: 8',
        '  scale: 2',
        '  dropout: 0.05',
        '',
      ].join('\n'),
    );
  });

  it('hf: the JSON options of the shipped script', () => {
    const settings = resolveSettings('hf', shape, {
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      hyperparameters: { epochs: 2, loraLayers: 8 },
    });
    expect(hfConfig(settings, paths, { merge: true, tinyRandom: true })).toEqual({
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      train: '/runs/r/data/train.jsonl',
      valid: '/runs/r/data/valid.jsonl',
      output: '/runs/r/adapters',
      epochs: 2,
      batch_size: 4,
      learning_rate: 2e-4,
      lora_rank: 8,
      lora_alpha: 16,
      lora_dropout: 0.05,
      lora_layers: 8,
      max_seq_length: 2304,
      seed: 0,
      logging_steps: 10,
      eval_steps: 45,
      merged_output: '/runs/r/merged',
      tiny_random: true,
    });
  });

  it('axolotl: chat_template datasets training assistant turns, weight 0 as context, LoRA on every linear layer', () => {
    const settings = resolveSettings('axolotl', shape, {
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      hyperparameters: { epochs: 2 },
    });
    expect(axolotlConfig(settings, paths)).toBe(
      [
        header,
        'base_model: "Qwen/Qwen2.5-1.5B-Instruct"',
        'chat_template: "tokenizer_default"',
        'datasets:',
        ...datasetYaml('/runs/r/data/train.jsonl'),
        'test_datasets:',
        ...datasetYaml('/runs/r/data/valid.jsonl', 'train'),
        'dataset_prepared_path: "/runs/r/prepared"',
        'output_dir: "/runs/r/adapters"',
        'adapter: "lora"',
        'lora_r: 8',
        'lora_alpha: 16',
        'lora_dropout: 0.05',
        'lora_target_modules:',
        ...['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'].map(
          (name) => `  - "${name}"`,
        ),
        'sequence_len: 2304',
        'sample_packing: false',
        'train_on_inputs: false',
        'micro_batch_size: 4',
        'gradient_accumulation_steps: 1',
        'num_epochs: 2',
        'optimizer: "adamw_torch"',
        'lr_scheduler: "cosine"',
        'learning_rate: 0.0002',
        'warmup_ratio: 0.05',
        'bf16: "auto"',
        'gradient_checkpointing: true',
        'logging_steps: 10',
        'eval_steps: 45',
        'save_steps: 45',
        'seed: 0',
        '',
      ].join('\n'),
    );
    const { valid: _valid, ...withoutValid } = paths;
    const noValidation = axolotlConfig(settings, withoutValid);
    expect(noValidation).toContain('\nval_set_size: 0\n');
    expect(noValidation).not.toContain('test_datasets');
  });
});

describe('servePlan', () => {
  it('vLLM with the LoRA module (and its rank when over 16), Ollama from a merged model', () => {
    const plan = servePlan({ engine: 'hf', model: 'org/base', loraRank: 32 }, paths, {
      name: 'alterego-sam',
      merged: true,
    });
    expect(plan.instructions[0]).toEqual({
      server: 'vllm',
      command:
        'vllm serve org/base --enable-lora --lora-modules alterego-sam=/runs/r/adapters --max-lora-rank 32 --host 127.0.0.1 --port 8000',
      baseURL: 'http://127.0.0.1:8000/v1',
      model: 'alterego-sam',
    });
    expect(plan.files.Modelfile).toBe(
      '# Create with: ollama create alterego-sam -f /runs/r/serve/Modelfile\nFROM /runs/r/merged\n',
    );
    const unknownBase = servePlan({ engine: 'hf', model: 'org/base', loraRank: 8 }, paths, {
      name: 'alterego',
    });
    expect(unknownBase.files.Modelfile).toContain('FROM org/base\nADAPTER /runs/r/adapters\n');
  });

  it('quotes paths with spaces for the shell', () => {
    const plan = servePlan(
      { engine: 'mlx', model: 'm', loraRank: 8 },
      { ...paths, adapterDir: "/my runs/it's" },
      { name: 'a' },
    );
    expect(plan.instructions[0]!.command).toBe(
      `mlx_lm.server --model m --adapter-path '/my runs/it'\\''s' --host 127.0.0.1 --port 8080`,
    );
  });
});

describe('checkLocalEngine', () => {
  it('reports versions and where training runs', async () => {
    const python = await writeFakePython(await tempDir());
    const env = { ...process.env, FAKE_LOG_DIR: await tempDir() };
    await expect(checkLocalEngine('hf', { python, env })).resolves.toEqual({
      ok: true,
      engine: 'hf',
      python,
      install: `${python} -m pip install torch transformers peft accelerate tokenizers`,
      versions: { torch: '2.9.0', transformers: '4.57.1', peft: '0.17.1', accelerate: '1.10.1' },
      accelerator: 'cuda:1',
      message: `${python}: torch 2.9.0, transformers 4.57.1, peft 0.17.1, accelerate 1.10.1 (cuda:1)`,
    });
  });

  it('one line with the install command when a package or Python is missing', async () => {
    const dir = await tempDir();
    const python = await writeFakePython(dir);
    const env = { ...process.env, FAKE_LOG_DIR: dir, FAKE_ENGINE: 'missing' };
    expect((await checkLocalEngine('hf', { python, env })).message).toBe(
      `torch, transformers, peft and accelerate cannot be imported by ${python} (ModuleNotFoundError: No module named 'torch'); install with: ${python} -m pip install torch transformers peft accelerate tokenizers`,
    );
    expect((await checkLocalEngine('axolotl', { python, env })).message).toBe(
      `axolotl cannot be imported by ${python} (ModuleNotFoundError: No module named 'axolotl'); install with: ${python} -m pip install axolotl`,
    );
    const nowhere = join(dir, 'no-such-python');
    expect(
      await checkLocalEngine('mlx', { python: nowhere, platform: 'darwin', arch: 'arm64' }),
    ).toMatchObject({
      ok: false,
      message: `${nowhere} was not found; install Python 3.10 or later (https://www.python.org/downloads/), then: ${nowhere} -m pip install mlx-lm (or give another Python with --python)`,
    });
  });
});
