import type { LocalEngine } from './local-data.js';
import type { TrainingMetrics } from './provider.js';

/** What one line of an engine's output means. */
export type EngineLine =
  | {
      kind: 'metrics';
      metrics: TrainingMetrics & { totalSteps?: number; trainedTokens?: number };
      /** A one-line summary for plain output. */
      message: string;
    }
  | { kind: 'message'; level: 'info' | 'warn' | 'error'; message: string }
  | {
      kind: 'artifact';
      adapter?: string;
      merged?: string;
      message: string;
    };

/** Reads an engine's output line by line; keeps what it needs between lines (the step count). */
export type EngineLineParser = (line: string) => EngineLine | undefined;

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

/** Removes terminal colours and cursor movements. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

const NUMBER = String.raw`[-+]?(?:\d[\d,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf`;
const toNumber = (text: string): number => Number(text.replace(/,/g, ''));

/** `1.2k` → 1200, `3.4M` → 3400000, `512` → 512. */
function withSuffix(text: string): number {
  const match = /^([\d.,]+)([kKMG]?)$/.exec(text);
  if (!match) return Number.NaN;
  const scale = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 }[match[2] as '' | 'k' | 'K' | 'M' | 'G'];
  return Math.round(toNumber(match[1]!) * scale);
}

function summary(metrics: TrainingMetrics & { totalSteps?: number }): string {
  const parts = [
    `Step ${metrics.step}${metrics.totalSteps === undefined ? '' : `/${metrics.totalSteps}`}:`,
  ];
  if (metrics.trainLoss !== undefined) parts.push(`training loss=${metrics.trainLoss.toFixed(4)}`);
  if (metrics.validLoss !== undefined)
    parts.push(`validation loss=${metrics.validLoss.toFixed(4)}`);
  if (metrics.tokensPerSecond !== undefined) {
    parts.push(`${Math.round(metrics.tokensPerSecond).toLocaleString('en-US')} tokens/s`);
  }
  return parts.join(' ');
}

function metricsLine(
  metrics: TrainingMetrics & { totalSteps?: number; trainedTokens?: number },
): EngineLine {
  return { kind: 'metrics', metrics, message: summary(metrics) };
}

const ERROR_LINE = /^(?:[A-Za-z_][\w.]*(?:Error|Exception)|KeyboardInterrupt)\b(?::|$)/;

/**
 * Reads `mlx_lm lora` output: the table of current releases (`  10    2.345 ▼    568    1.2k`,
 * `  10    val 2.876    1.23s`, `  save  0000100_adapters.safetensors`) and the lines of earlier
 * ones (`Iter 10: Train loss 2.345, Learning Rate 1.000e-05, It/sec 1.234, Tokens/sec 567.890,
 * Trained Tokens 1234, Peak mem 5.678 GB`, `Iter 1: Val loss 2.876, Val took 1.234s`).
 */
export function createMlxLineParser(options: { totalSteps?: number } = {}): EngineLineParser {
  const { totalSteps } = options;
  const total = totalSteps === undefined ? {} : { totalSteps };
  return (raw) => {
    const line = stripAnsi(raw).replace(/\r/g, '').trimEnd();
    const text = line.trim();
    if (text === '') return undefined;
    let match = new RegExp(
      String.raw`^Iter (\d+): Train loss (${NUMBER}),.*?Tokens/sec (${NUMBER})(?:, Trained Tokens (\d+))?`,
    ).exec(text);
    if (match) {
      return metricsLine({
        step: Number(match[1]),
        ...total,
        trainLoss: toNumber(match[2]!),
        tokensPerSecond: toNumber(match[3]!),
        ...(match[4] === undefined ? {} : { trainedTokens: Number(match[4]) }),
      });
    }
    match = new RegExp(String.raw`^Iter (\d+): Val loss (${NUMBER})`).exec(text);
    if (match) {
      return metricsLine({ step: Number(match[1]), ...total, validLoss: toNumber(match[2]!) });
    }
    match = new RegExp(String.raw`^(\d+)\s+val\s+(${NUMBER})\s+[\d.]+s$`).exec(text);
    if (match) {
      return metricsLine({ step: Number(match[1]), ...total, validLoss: toNumber(match[2]!) });
    }
    match = new RegExp(
      String.raw`^(\d+)\s+(${NUMBER})\s*[▼▲]?\s+([\d,]+(?:\.\d+)?)\s+([\d.,]+[kKMG]?)$`,
    ).exec(text);
    if (match) {
      const trained = withSuffix(match[4]!);
      return metricsLine({
        step: Number(match[1]),
        ...total,
        trainLoss: toNumber(match[2]!),
        tokensPerSecond: toNumber(match[3]!),
        ...(Number.isNaN(trained) ? {} : { trainedTokens: trained }),
      });
    }
    match =
      /^save\s+(\S+)$/.exec(text) ??
      /^Iter \d+: Saved adapter weights to (\S+?)(?: and .*)?\.?$/.exec(text);
    if (match) return { kind: 'message', level: 'info', message: `Saved ${match[1]}` };
    if (/^iter\s+train_loss/.test(text)) return undefined;
    // Boxes and progress bars of the terminal interface.
    if (/^[╭╰│─┃━┏┗]/.test(text) || /[█░▏▎▍▌▋▊▉]/.test(text)) return undefined;
    if (ERROR_LINE.test(text)) return { kind: 'message', level: 'error', message: text };
    if (/^\[?WARNING\]?/i.test(text)) return { kind: 'message', level: 'warn', message: text };
    if (
      /^(Loading pretrained model|Loading datasets|Training|Trainable parameters:|Fetching \d+ files|Loading configuration file|Test loss)/.test(
        text,
      )
    ) {
      return { kind: 'message', level: 'info', message: text.replace(/:\s+\d+%\|.*$/, '') };
    }
    return undefined;
  };
}

/** A Python dict repr as the transformers Trainer prints it, read as JSON. */
function pythonDict(text: string): Record<string, unknown> | undefined {
  if (!/^\{'[a-z_]+': /.test(text)) return undefined;
  try {
    return JSON.parse(
      text
        .replace(/'/g, '"')
        .replace(/\bnan\b/g, 'null')
        .replace(/\b(True|False|None)\b/g, (word) =>
          word === 'True' ? 'true' : word === 'False' ? 'false' : 'null',
        ),
    ) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Reads the output of the shipped transformers + peft script: JSON lines with an `alterego`
 * key (`{"alterego": "train", "step": 10, "total_steps": 90, "loss": 1.23,
 * "tokens_per_second": 2345.6, …}`, `"eval"` with `eval_loss`, `"message"`, `"saved"`,
 * `"error"`). The dicts the transformers Trainer prints (`{'loss': 1.2345, 'grad_norm': …,
 * 'learning_rate': …, 'epoch': 0.5}`, `{'eval_loss': …}`) are read too, their steps
 * counted (their step is not printed); once the script's own lines are seen, they are ignored.
 */
export function createHfLineParser(options: { totalSteps?: number } = {}): EngineLineParser {
  let totalSteps = options.totalSteps;
  let lastStep = 0;
  let trainLogs = 0;
  let seenJson = false;
  return (raw) => {
    const text = stripAnsi(raw).replace(/\r/g, '').trim();
    if (text === '') return undefined;
    if (text.startsWith('{"alterego"')) {
      seenJson = true;
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return undefined;
      }
      const num = (key: string) =>
        typeof value[key] === 'number' ? (value[key] as number) : undefined;
      const kind = value.alterego;
      if (num('total_steps') !== undefined) totalSteps = num('total_steps');
      const total = totalSteps === undefined ? {} : { totalSteps };
      if (kind === 'train' || kind === 'eval') {
        const step = num('step') ?? lastStep;
        lastStep = step;
        const loss = num(kind === 'train' ? 'loss' : 'eval_loss');
        const tokens = num('tokens_per_second');
        const trained = num('trained_tokens');
        return metricsLine({
          step,
          ...total,
          ...(loss === undefined
            ? {}
            : kind === 'train'
              ? { trainLoss: loss }
              : { validLoss: loss }),
          ...(tokens === undefined ? {} : { tokensPerSecond: tokens }),
          ...(trained === undefined ? {} : { trainedTokens: trained }),
        });
      }
      if (kind === 'saved') {
        const adapter = typeof value.adapter === 'string' ? value.adapter : undefined;
        const merged = typeof value.merged === 'string' ? value.merged : undefined;
        return {
          kind: 'artifact',
          ...(adapter ? { adapter } : {}),
          ...(merged ? { merged } : {}),
          message: `Saved ${[adapter, merged].filter(Boolean).join(' and ')}`,
        };
      }
      if (kind === 'start' && typeof value.message !== 'string') return undefined;
      const message = typeof value.message === 'string' ? value.message : text;
      const level = kind === 'error' ? 'error' : kind === 'warning' ? 'warn' : 'info';
      return { kind: 'message', level, message };
    }
    const dict = seenJson ? undefined : pythonDict(text);
    if (dict) {
      const num = (key: string) =>
        typeof dict[key] === 'number' ? (dict[key] as number) : undefined;
      const total = totalSteps === undefined ? {} : { totalSteps };
      // The Trainer does not print its step: the logs are counted instead.
      if (num('loss') !== undefined) {
        trainLogs += 1;
        lastStep = trainLogs;
        return metricsLine({ step: lastStep, ...total, trainLoss: num('loss')! });
      }
      if (num('eval_loss') !== undefined) {
        return metricsLine({ step: lastStep, ...total, validLoss: num('eval_loss')! });
      }
      return undefined;
    }
    if (ERROR_LINE.test(text)) return { kind: 'message', level: 'error', message: text };
    return undefined;
  };
}

/** The parser for an engine's output (Axolotl runs are not started, so there is none). */
export function createEngineLineParser(
  engine: LocalEngine,
  options: { totalSteps?: number } = {},
): EngineLineParser {
  return engine === 'mlx' ? createMlxLineParser(options) : createHfLineParser(options);
}
