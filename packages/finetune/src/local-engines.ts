import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultEpochs } from '@alterego/dataset';
import type { LocalEngine } from './local-data.js';
import type { ServeInstructions, StartOptions } from './provider.js';
import { toYaml, type YamlValue } from './yaml.js';

/**
 * The base model each engine trains by default: small instruct models whose chat template the
 * servers (mlx_lm.server, vLLM, Ollama) apply the same way, so the trained format is the served
 * one. mlx uses the 4-bit conversion of the same model (QLoRA on a Mac).
 */
export const DEFAULT_LOCAL_MODELS: Readonly<Record<LocalEngine, string>> = {
  mlx: 'mlx-community/Qwen2.5-1.5B-Instruct-4bit',
  hf: 'Qwen/Qwen2.5-1.5B-Instruct',
  axolotl: 'Qwen/Qwen2.5-1.5B-Instruct',
};

/** The shipped transformers + peft training script. */
export const HF_TRAIN_SCRIPT = fileURLToPath(
  new URL('../python/alterego_train_hf.py', import.meta.url),
);

/** Ollama's names for the default base models, for `FROM` in a Modelfile. */
const OLLAMA_MODELS: Readonly<Record<string, string>> = {
  'Qwen/Qwen2.5-0.5B-Instruct': 'qwen2.5:0.5b-instruct',
  'Qwen/Qwen2.5-1.5B-Instruct': 'qwen2.5:1.5b-instruct',
  'Qwen/Qwen2.5-3B-Instruct': 'qwen2.5:3b-instruct',
  'Qwen/Qwen2.5-7B-Instruct': 'qwen2.5:7b-instruct',
};

const BASE_LEARNING_RATE: Readonly<Record<LocalEngine, number>> = {
  mlx: 1e-4,
  hf: 2e-4,
  axolotl: 2e-4,
};

/** Every setting of one local run, resolved from the options, the data and the defaults. */
export interface LocalRunSettings {
  engine: LocalEngine;
  model: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  loraRank: number;
  loraAlpha: number;
  loraDropout: number;
  /** Layers with adapters; undefined: all of them. */
  loraLayers?: number;
  maxSequenceLength: number;
  seed: number;
  /** Optimizer steps for the whole run. */
  totalSteps: number;
  /** Steps between progress reports, and between evaluations. */
  reportEvery: number;
  evalEvery: number;
}

/** What the settings are worked out from. */
export interface RunShape {
  /** Examples in the dataset's training file. */
  examples: number;
  /** Lines written for the engine (mlx: one per trained reply). */
  trainLines: number;
  /** The dataset manifest's longest example, in tokens, when there is a manifest. */
  maxExampleTokens?: number;
}

export function resolveSettings(
  engine: LocalEngine,
  shape: RunShape,
  options: Pick<StartOptions, 'model' | 'seed' | 'hyperparameters'>,
): LocalRunSettings {
  const given = options.hyperparameters ?? {};
  const epochs = given.epochs ?? defaultEpochs(shape.examples);
  const batchSize = Math.max(1, Math.min(given.batchSize ?? 4, shape.trainLines));
  const loraRank = given.loraRank ?? 8;
  const stepsPerEpoch = Math.max(1, Math.ceil(shape.trainLines / batchSize));
  const totalSteps = stepsPerEpoch * epochs;
  const reportEvery = totalSteps >= 200 ? 10 : Math.max(1, Math.floor(totalSteps / 20));
  const loraLayers = given.loraLayers ?? (engine === 'mlx' ? 16 : undefined);
  return {
    engine,
    model: options.model,
    epochs,
    batchSize,
    learningRate: BASE_LEARNING_RATE[engine] * (given.learningRateMultiplier ?? 1),
    loraRank,
    loraAlpha: given.loraAlpha ?? loraRank * 2,
    loraDropout: given.loraDropout ?? 0.05,
    ...(loraLayers === undefined ? {} : { loraLayers }),
    maxSequenceLength:
      given.maxSequenceLength ??
      Math.max(2048, Math.ceil(((shape.maxExampleTokens ?? 0) * 1.1) / 256) * 256),
    seed: options.seed ?? 0,
    totalSteps,
    reportEvery,
    evalEvery: Math.max(reportEvery, Math.ceil(totalSteps / 10)),
  };
}

/** Where a run's files are. */
export interface RunPaths {
  runDir: string;
  dataDir: string;
  train: string;
  /** Undefined when the run has no validation data. */
  valid?: string;
  adapterDir: string;
  mergedDir: string;
  config: string;
}

const HEADER =
  'Written by alterego. Edit and run again, or start a fresh run with alterego finetune start.';

/**
 * The `mlx_lm lora --config` file: LoRA on the last `num_layers` layers, loss on the completion
 * only (`mask_prompt`), the chat template of the model's tokenizer.
 */
export function mlxConfig(settings: LocalRunSettings, paths: RunPaths): string {
  return toYaml(
    {
      model: settings.model,
      train: true,
      fine_tune_type: 'lora',
      data: paths.dataDir,
      mask_prompt: true,
      seed: settings.seed,
      num_layers: settings.loraLayers ?? -1,
      batch_size: settings.batchSize,
      iters: settings.totalSteps,
      val_batches: 25,
      learning_rate: settings.learningRate,
      steps_per_report: settings.reportEvery,
      steps_per_eval: settings.evalEvery,
      save_every: settings.evalEvery,
      adapter_path: paths.adapterDir,
      max_seq_length: settings.maxSequenceLength,
      grad_checkpoint: true,
      lora_parameters: {
        rank: settings.loraRank,
        scale: settings.loraAlpha / settings.loraRank,
        dropout: settings.loraDropout,
      },
    },
    HEADER,
  );
}

/** The options of the shipped transformers + peft script, written as its `--config` JSON. */
export function hfConfig(
  settings: LocalRunSettings,
  paths: RunPaths,
  extra: { merge?: boolean; tinyRandom?: boolean } = {},
): Record<string, string | number | boolean> {
  return {
    model: settings.model,
    train: paths.train,
    ...(paths.valid === undefined ? {} : { valid: paths.valid }),
    output: paths.adapterDir,
    epochs: settings.epochs,
    batch_size: settings.batchSize,
    learning_rate: settings.learningRate,
    lora_rank: settings.loraRank,
    lora_alpha: settings.loraAlpha,
    lora_dropout: settings.loraDropout,
    ...(settings.loraLayers === undefined ? {} : { lora_layers: settings.loraLayers }),
    max_seq_length: settings.maxSequenceLength,
    seed: settings.seed,
    logging_steps: settings.reportEvery,
    eval_steps: settings.evalEvery,
    ...(extra.merge ? { merged_output: paths.mergedDir } : {}),
    ...(extra.tinyRandom ? { tiny_random: true } : {}),
  };
}

/** The modules LoRA adapts in Llama-style models (Qwen, Llama, Mistral): every linear layer. */
export const LORA_TARGET_MODULES = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
] as const;

/**
 * An Axolotl config (adapters on every layer; `loraLayers` is not used): the model's own chat template, the OpenAI chat format with only assistant
 * turns trained (`roles_to_train`, `train_on_eos: turn`) and `weight: 0` turns kept as context
 * (`message_field_training: weight`).
 */
export function axolotlConfig(settings: LocalRunSettings, paths: RunPaths): string {
  const dataset = (path: string, split?: string): YamlValue => ({
    path,
    ds_type: 'json',
    ...(split === undefined ? {} : { split }),
    type: 'chat_template',
    field_messages: 'messages',
    message_property_mappings: { role: 'role', content: 'content' },
    roles_to_train: ['assistant'],
    train_on_eos: 'turn',
    message_field_training: 'weight',
  });
  return toYaml(
    {
      base_model: settings.model,
      chat_template: 'tokenizer_default',
      datasets: [dataset(paths.train)],
      ...(paths.valid === undefined
        ? { val_set_size: 0 }
        : { test_datasets: [dataset(paths.valid, 'train')] }),
      dataset_prepared_path: `${paths.runDir}/prepared`,
      output_dir: paths.adapterDir,
      adapter: 'lora',
      lora_r: settings.loraRank,
      lora_alpha: settings.loraAlpha,
      lora_dropout: settings.loraDropout,
      lora_target_modules: [...LORA_TARGET_MODULES],
      sequence_len: settings.maxSequenceLength,
      sample_packing: false,
      train_on_inputs: false,
      micro_batch_size: settings.batchSize,
      gradient_accumulation_steps: 1,
      num_epochs: settings.epochs,
      optimizer: 'adamw_torch',
      lr_scheduler: 'cosine',
      learning_rate: settings.learningRate,
      warmup_ratio: 0.05,
      bf16: 'auto',
      gradient_checkpointing: true,
      logging_steps: settings.reportEvery,
      ...(paths.valid === undefined ? {} : { eval_steps: settings.evalEvery }),
      save_steps: settings.evalEvery,
      seed: settings.seed,
    },
    HEADER,
  );
}

/** The name the served model answers to. */
export function servedModelName(suffix: string | undefined): string {
  return suffix ? `alterego-${suffix}` : 'alterego';
}

const shellQuote = (value: string): string =>
  /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;

/** A command line from its words, quoted for a POSIX shell. */
export function commandLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/** A serving recipe and the files it needs. */
export interface ServePlan {
  instructions: ServeInstructions[];
  /** File name (in the run's `serve` folder) → content. */
  files: Record<string, string>;
}

/**
 * How to serve what a run produces with an OpenAI-compatible server, with the files to write:
 * mlx_lm.server with the adapter (or the fused model through Ollama) for mlx; vLLM with the
 * LoRA module, or Ollama with `FROM` base + `ADAPTER`, for hf and Axolotl.
 */
export function servePlan(
  settings: Pick<LocalRunSettings, 'engine' | 'model' | 'loraRank'>,
  paths: Pick<RunPaths, 'adapterDir' | 'mergedDir' | 'runDir'>,
  options: { name: string; merged?: boolean },
): ServePlan {
  const { name } = options;
  const serveDir = `${paths.runDir}/serve`;
  if (settings.engine === 'mlx') {
    const server = commandLine([
      'mlx_lm.server',
      '--model',
      settings.model,
      '--adapter-path',
      paths.adapterDir,
      '--host',
      '127.0.0.1',
      '--port',
      '8080',
    ]);
    const fuse = commandLine([
      'mlx_lm.fuse',
      '--model',
      settings.model,
      '--adapter-path',
      paths.adapterDir,
      '--save-path',
      paths.mergedDir,
      '--dequantize',
    ]);
    const ollama = `${fuse} && ${commandLine(['ollama', 'create', name, '-f', `${serveDir}/Modelfile`])}`;
    return {
      instructions: [
        // mlx_lm.server applies the adapter to the model it calls default_model.
        {
          server: 'mlx_lm.server',
          command: server,
          baseURL: 'http://127.0.0.1:8080/v1',
          model: 'default_model',
        },
        { server: 'ollama', command: ollama, baseURL: 'http://127.0.0.1:11434/v1', model: name },
      ],
      files: {
        'mlx_lm.server.sh': `#!/bin/sh\n# Serves the adapter on http://127.0.0.1:8080/v1 as model "default_model".\nexec ${server}\n`,
        'ollama.sh': `#!/bin/sh\n# Fuses the adapter into the model, then makes an Ollama model "${name}".\nset -e\n${fuse}\n${commandLine(['ollama', 'create', name, '-f', `${serveDir}/Modelfile`])}\n`,
        Modelfile: `# Create with: ollama create ${name} -f ${serveDir}/Modelfile\n# (after fusing: ${fuse})\nFROM ${paths.mergedDir}\n`,
      },
    };
  }
  const vllm = commandLine([
    'vllm',
    'serve',
    settings.model,
    '--enable-lora',
    '--lora-modules',
    `${name}=${paths.adapterDir}`,
    ...(settings.loraRank > 16 ? ['--max-lora-rank', String(settings.loraRank)] : []),
    '--host',
    '127.0.0.1',
    '--port',
    '8000',
  ]);
  const ollamaBase = OLLAMA_MODELS[settings.model];
  const modelfile = options.merged
    ? `# Create with: ollama create ${name} -f ${serveDir}/Modelfile\nFROM ${paths.mergedDir}\n`
    : `# Create with: ollama create ${name} -f ${serveDir}/Modelfile\n${
        ollamaBase
          ? `# ${ollamaBase} is Ollama's build of ${settings.model}, the model the adapter was trained on.\nFROM ${ollamaBase}\n`
          : `# FROM must be the model the adapter was trained on (${settings.model}): an Ollama model name or a folder of its safetensors.\nFROM ${settings.model}\n`
      }ADAPTER ${paths.adapterDir}\n`;
  return {
    instructions: [
      { server: 'vllm', command: vllm, baseURL: 'http://127.0.0.1:8000/v1', model: name },
      {
        server: 'ollama',
        command: commandLine(['ollama', 'create', name, '-f', `${serveDir}/Modelfile`]),
        baseURL: 'http://127.0.0.1:11434/v1',
        model: name,
      },
    ],
    files: {
      'vllm.sh': `#!/bin/sh\n# Serves the adapter on http://127.0.0.1:8000/v1 as model "${name}".\nexec ${vllm}\n`,
      Modelfile: modelfile,
    },
  };
}

/** Whether an engine can run here, and if not, how to install it. */
export interface EngineCheck {
  ok: boolean;
  engine: LocalEngine;
  python: string;
  /** One line: what was found, or what is missing and the command that installs it. */
  message: string;
  /** The command that installs the engine. */
  install: string;
  /** Versions of the Python packages found. */
  versions?: Record<string, string>;
  /** Where training will run: `cuda` (with the GPU count), `mps`, `cpu`, `apple-silicon`. */
  accelerator?: string;
  /** Something that works but is worth knowing (no GPU found). */
  warning?: string;
}

export const INSTALL_COMMANDS: Readonly<Record<LocalEngine, string>> = {
  mlx: 'python3 -m pip install mlx-lm',
  hf: 'python3 -m pip install torch transformers peft accelerate tokenizers',
  axolotl: 'python3 -m pip install axolotl',
};

const PROBES: Readonly<Record<LocalEngine, string>> = {
  mlx: "import json, mlx_lm; print(json.dumps({'versions': {'mlx_lm': getattr(mlx_lm, '__version__', '?')}, 'accelerator': 'apple-silicon'}))",
  hf: [
    'import json, torch, transformers, peft, accelerate',
    'cuda = torch.cuda.device_count() if torch.cuda.is_available() else 0',
    "mps = getattr(torch.backends, 'mps', None) is not None and torch.backends.mps.is_available()",
    "print(json.dumps({'versions': {'torch': torch.__version__, 'transformers': transformers.__version__, 'peft': peft.__version__, 'accelerate': accelerate.__version__}, 'accelerator': ('cuda:%d' % cuda) if cuda else ('mps' if mps else 'cpu')}))",
  ].join('\n'),
  axolotl:
    "import json, axolotl; print(json.dumps({'versions': {'axolotl': getattr(axolotl, '__version__', '?')}}))",
};

const ENGINE_NAMES: Readonly<Record<LocalEngine, string>> = {
  mlx: 'mlx_lm',
  hf: 'torch, transformers, peft and accelerate',
  axolotl: 'axolotl',
};

export interface EngineCheckOptions {
  /** The Python to run (default `python3`; `python` on Windows). */
  python?: string;
  platform?: NodeJS.Platform;
  arch?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export function defaultPython(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'python' : 'python3';
}

/**
 * Checks that Python and the engine's packages are installed, by running
 * `python3 -c "import mlx_lm"` (or torch, transformers, peft, accelerate; or axolotl). The
 * message is one line with the install command when something is missing.
 */
export async function checkLocalEngine(
  engine: LocalEngine,
  options: EngineCheckOptions = {},
): Promise<EngineCheck> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const python = options.python ?? defaultPython(platform);
  const install = INSTALL_COMMANDS[engine].replace(/^python3 /, `${python} `);
  const base = { engine, python, install };
  if (engine === 'mlx' && !(platform === 'darwin' && arch === 'arm64')) {
    return {
      ...base,
      ok: false,
      message: `mlx trains on a Mac with Apple Silicon only (this machine is ${platform}/${arch}); on an NVIDIA GPU use --provider hf, or write an Axolotl config with --provider axolotl`,
    };
  }
  const result = await runPython(python, ['-c', PROBES[engine]], options);
  if (result.error === 'ENOENT') {
    return {
      ...base,
      ok: false,
      message: `${python} was not found; install Python 3.10 or later (https://www.python.org/downloads/), then: ${install} (or give another Python with --python)`,
    };
  }
  if (result.code !== 0) {
    const reason = lastMeaningfulLine(result.stderr) ?? `exit code ${result.code ?? result.signal}`;
    return {
      ...base,
      ok: false,
      message: `${ENGINE_NAMES[engine]} cannot be imported by ${python} (${reason}); install with: ${install}`,
    };
  }
  let found: { versions?: Record<string, string>; accelerator?: string } = {};
  try {
    found = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as typeof found;
  } catch {
    // An unexpected answer: the import worked, which is what matters.
  }
  const versions = found.versions ?? {};
  const check: EngineCheck = {
    ...base,
    ok: true,
    versions,
    ...(found.accelerator ? { accelerator: found.accelerator } : {}),
    message: `${python}: ${Object.entries(versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}${found.accelerator ? ` (${found.accelerator})` : ''}`,
  };
  if (engine === 'hf' && found.accelerator === 'cpu') {
    check.warning =
      'no CUDA or Apple GPU found: training runs on the CPU, which takes hours even for a small model';
  }
  return check;
}

/** The last line of Python's error output that says something (the exception line). */
export function lastMeaningfulLine(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('^') && !line.startsWith('~'));
  return lines.at(-1);
}

interface PythonResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: string;
}

function runPython(
  python: string,
  args: string[],
  options: EngineCheckOptions,
): Promise<PythonResult> {
  return new Promise((resolve) => {
    const child = spawn(python, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ code: null, signal: null, stdout, stderr, error: error.code ?? error.message }),
    );
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
