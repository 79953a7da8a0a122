import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createReadStream, existsSync } from 'node:fs';
import {
  appendFile,
  mkdir,
  readdir,
  readFile,
  rename,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readLines, ValidationError } from '@alterego/core';
import { DEFAULT_MODEL, defaultEpochs, validateTrainingLines } from '@alterego/dataset';
import { startKey } from './hash.js';
import type { JobLedger } from './ledger.js';
import { type LaidOutData, type LocalEngine, layoutTrainingData } from './local-data.js';
import {
  axolotlConfig,
  checkLocalEngine,
  commandLine,
  defaultPython,
  type EngineCheck,
  HF_TRAIN_SCRIPT,
  hfConfig,
  lastMeaningfulLine,
  type LocalRunSettings,
  mlxConfig,
  resolveSettings,
  type RunPaths,
  servedModelName,
  servePlan,
} from './local-engines.js';
import { createEngineLineParser, stripAnsi } from './local-progress.js';
import { checkSuffix } from './models.js';
import {
  type Checkpoint,
  type DataCheck,
  type DataFileSummary,
  type DataIssue,
  type Estimate,
  FINAL_STATES,
  type FineTuneProviderV1,
  type FollowEvent,
  type FollowOptions,
  type JobArtifacts,
  type JobEvent,
  type JobState,
  type JobStatus,
  type StartOptions,
  type TrainingData,
  type TrainingMetrics,
} from './provider.js';
import { ProviderError } from './provider-error.js';

export interface LocalProviderOptions {
  /** `mlx` (mlx_lm on Apple Silicon), `hf` (the shipped transformers + peft script) or `axolotl` (config only). */
  engine: LocalEngine;
  /** The folder in which each run gets a folder of its own (data, config, log, adapter). */
  runsDir: string;
  /** Where runs are recorded next to hosted jobs. */
  ledger?: JobLedger;
  /** The Python that has the engine installed (default `python3`, `python` on Windows). */
  python?: string;
  /** hf: start the script with `accelerate launch`, which trains on every GPU (default: plain Python). */
  launcher?: 'python' | 'accelerate';
  /** hf: also save the model with the adapter merged in. */
  merge?: boolean;
  /** hf: train a tiny randomly initialised model with a tokenizer made from the data; no download. For end-to-end checks. */
  tinyRandom?: boolean;
  /** Environment of the engine (default: this process's). */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  /** How long a cancelled engine gets to stop before it is killed (default 10 s). */
  killGraceMs?: number;
  /** How often `events` looks for news of a run that another process is running (default 1 s). */
  pollIntervalMs?: number;
}

/** A local engine behind the provider interface, with what only local runs offer. */
export interface LocalFineTuneProvider extends FineTuneProviderV1 {
  readonly engine: LocalEngine;
  readonly runsDir: string;
  /** Whether Python and the engine are installed; the message says how to install them. */
  checkEngine(options?: { signal?: AbortSignal }): Promise<EngineCheck>;
  /** The run `start` would return without starting one (same data and options, not failed). */
  existingJob(data: TrainingData, options: StartOptions): Promise<JobStatus | undefined>;
  /** Resolves with the job's status once it has ended. */
  wait(jobId: string, options?: { signal?: AbortSignal }): Promise<JobStatus>;
}

/** What a run's folder keeps in `state.json`. */
interface RunState {
  id: string;
  provider: string;
  engine: LocalEngine;
  state: JobState;
  model: string;
  createdAt: string;
  finishedAt?: string;
  trainingFile: string;
  validationFile?: string;
  metadata: Record<string, string>;
  error?: string;
  trainedTokens?: number;
  totalSteps: number;
  idempotencyKey: string;
  /** The process that runs the engine, and the engine's own process. */
  ownerPid?: number;
  enginePid?: number;
  artifacts: JobArtifacts;
  result?: { model: string; baseURL: string; api: 'openai-chat' };
  adapterFile: string;
}

interface RunHandle {
  child: ChildProcess;
  cancelRequested: boolean;
  exited: Promise<void>;
}

const DISPLAY_NAMES: Readonly<Record<LocalEngine, string>> = {
  mlx: 'mlx_lm LoRA on this Mac',
  hf: 'transformers + peft LoRA on this machine',
  axolotl: 'Axolotl config for your own machine',
};

/** The file that proves a run saved its adapter. */
const ADAPTER_FILES: Readonly<Record<LocalEngine, string>> = {
  mlx: 'adapters.safetensors',
  hf: 'adapter_model.safetensors',
  axolotl: 'adapter_model.safetensors',
};

const ENGINE_LABEL: Readonly<Record<LocalEngine, string>> = {
  mlx: 'mlx_lm',
  hf: 'the training script',
  axolotl: 'Axolotl',
};

/**
 * Fine-tuning with a local engine. `start` checks that the engine is installed, lays the data
 * out the way the engine trains on it (loss on the person's replies only), writes the engine's
 * config and the files to serve the result, records the run in the ledger and starts the engine
 * as a child process whose output becomes the same events as a hosted job's (step, loss,
 * validation loss, tokens per second). The engine runs as long as the process that started it;
 * `cancel` sends it SIGTERM, waits, and marks the run cancelled. Axolotl runs are not started:
 * `start` writes the config and the command, and the run waits (`paused`) until its adapter
 * appears.
 */
export function createLocalProvider(options: LocalProviderOptions): LocalFineTuneProvider {
  const { engine, runsDir, ledger } = options;
  const id = engine;
  const endpoint = `local:${engine}`;
  const platform = options.platform ?? process.platform;
  const python = options.python ?? defaultPython(platform);
  const killGraceMs = options.killGraceMs ?? 10_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const env = options.env ?? process.env;
  const running = new Map<string, RunHandle>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);

  const runDir = (jobId: string) => {
    if (!/^[a-z]+-[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$/.test(jobId)) {
      throw new ProviderError(`${jobId} is not a local ${engine} job id`, {
        provider: id,
        kind: 'not-found',
      });
    }
    return join(runsDir, jobId);
  };

  async function readState(jobId: string): Promise<RunState> {
    const file = join(runDir(jobId), 'state.json');
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ProviderError(
        error.code === 'ENOENT'
          ? `no local run ${jobId} in ${runsDir}; see alterego finetune list --provider ${engine}`
          : `${file}: cannot read the run's state (${error.code ?? error.message})`,
        { provider: id, kind: 'not-found', cause: error },
      );
    });
    return JSON.parse(text) as RunState;
  }

  async function writeState(state: RunState): Promise<void> {
    const file = join(runDir(state.id), 'state.json');
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
    // The ledger first: whoever reads the new state finds the ledger up to date.
    ledger?.updateJob(state.id, {
      state: state.state,
      resultModel: state.result?.model ?? null,
      error: state.error ?? null,
    });
    await rename(temp, file);
    changes.emit(state.id);
  }

  const sequence = new Map<string, number>();
  async function addEvent(jobId: string, event: Omit<JobEvent, 'id' | 'createdAt'>): Promise<void> {
    let next = sequence.get(jobId);
    if (next === undefined) next = (await readEvents(jobId)).length + 1;
    sequence.set(jobId, next + 1);
    const full: JobEvent = {
      id: `${jobId}:${String(next).padStart(6, '0')}`,
      createdAt: new Date(),
      ...event,
    };
    await appendFile(join(runDir(jobId), 'events.jsonl'), `${JSON.stringify(full)}\n`);
    changes.emit(jobId);
  }

  async function readEvents(jobId: string): Promise<JobEvent[]> {
    const file = join(runDir(jobId), 'events.jsonl');
    if (!existsSync(file)) return [];
    const events: JobEvent[] = [];
    for await (const line of readLines(createReadStream(file))) {
      if (line.trim() === '') continue;
      try {
        const event = JSON.parse(line) as JobEvent & { createdAt: string };
        events.push({ ...event, createdAt: new Date(event.createdAt) });
      } catch {
        // A line cut short by a crash: the ones before it still count.
      }
    }
    return events;
  }

  function toStatus(state: RunState): JobStatus {
    return {
      id: state.id,
      provider: state.provider,
      state: state.state,
      model: state.model,
      createdAt: new Date(state.createdAt),
      ...(state.finishedAt ? { finishedAt: new Date(state.finishedAt) } : {}),
      ...(state.trainedTokens !== undefined ? { trainedTokens: state.trainedTokens } : {}),
      ...(state.result ? { result: state.result } : {}),
      ...(state.error ? { error: state.error } : {}),
      trainingFile: state.trainingFile,
      ...(state.validationFile ? { validationFile: state.validationFile } : {}),
      metadata: state.metadata,
      artifacts: state.artifacts,
    };
  }

  function alive(pid: number | undefined): boolean {
    if (pid === undefined) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  /** The state, brought up to date: a run whose process is gone, an Axolotl run whose adapter appeared. */
  async function currentState(jobId: string): Promise<RunState> {
    const state = await readState(jobId);
    if (
      (state.state === 'running' || state.state === 'queued') &&
      !running.has(jobId) &&
      !alive(state.ownerPid)
    ) {
      state.state = 'failed';
      state.finishedAt = new Date().toISOString();
      state.error = `the process that ran ${ENGINE_LABEL[engine]} stopped before training ended; start the run again`;
      await writeState(state);
    } else if (
      state.state === 'paused' &&
      existsSync(join(state.artifacts.adapter, state.adapterFile))
    ) {
      state.state = 'succeeded';
      state.finishedAt = new Date().toISOString();
      await addEvent(jobId, {
        level: 'info',
        type: 'message',
        message: `Found the adapter Axolotl wrote: ${state.artifacts.adapter}`,
      });
      state.result = reference(state.artifacts);
      await writeState(state);
    }
    return state;
  }

  const reference = (artifacts: JobArtifacts) => {
    const first = artifacts.serve[0]!;
    return { model: first.model, baseURL: first.baseURL, api: 'openai-chat' as const };
  };

  const keyFor = (data: TrainingData, startOptions: StartOptions) =>
    startKey(endpoint, data, startOptions, {
      merge: options.merge ?? false,
      tinyRandom: options.tinyRandom ?? false,
    });

  /** The key for a new run, and the run already started for these data and options, if any. */
  async function findRun(
    data: TrainingData,
    startOptions: StartOptions,
  ): Promise<{ key: string; existing?: JobStatus }> {
    const baseKey = await keyFor(data, startOptions);
    for (let attempt = 1; ; attempt += 1) {
      const key = attempt === 1 ? baseKey : `${baseKey}-${attempt}`;
      const recorded = ledger?.findJob(endpoint, key);
      if (recorded?.jobId === undefined) return { key };
      const existing = await currentState(recorded.jobId).then(toStatus, () => undefined);
      if (existing === undefined) continue;
      if (existing.state !== 'failed' && existing.state !== 'cancelled') return { key, existing };
    }
  }

  function newJobId(): string {
    const now = new Date();
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    return `${engine}-${stamp}-${randomBytes(3).toString('hex')}`;
  }

  async function readManifest(
    data: TrainingData,
  ): Promise<{ maxExampleTokens?: number; hash?: string }> {
    const text = await readFile(join(dirname(data.trainFile), 'manifest.json'), 'utf8').catch(
      () => undefined,
    );
    if (text === undefined) return {};
    try {
      const manifest = JSON.parse(text) as { options?: { maxExampleTokens?: unknown } };
      const max = manifest.options?.maxExampleTokens;
      return typeof max === 'number' ? { maxExampleTokens: max } : {};
    } catch {
      return {};
    }
  }

  function engineCommand(paths: RunPaths): string[] {
    if (engine === 'mlx') return [python, '-m', 'mlx_lm', 'lora', '--config', paths.config];
    if (engine === 'hf') {
      return options.launcher === 'accelerate'
        ? [python, '-m', 'accelerate.commands.launch', HF_TRAIN_SCRIPT, '--config', paths.config]
        : [python, HF_TRAIN_SCRIPT, '--config', paths.config];
    }
    return ['axolotl', 'train', paths.config];
  }

  /** Lays out the data, writes the config and the serve files; returns the run's first state. */
  async function prepare(
    data: TrainingData,
    startOptions: StartOptions,
    key: string,
    check: EngineCheck | undefined,
  ): Promise<{
    state: RunState;
    laid: LaidOutData;
    settings: LocalRunSettings;
    command: string[];
  }> {
    const jobId = newJobId();
    const dir = runDir(jobId);
    const dataDir = join(dir, 'data');
    await mkdir(dataDir, { recursive: true });
    const laid = await layoutTrainingData(data, dataDir, engine);
    if (laid.train.written === 0) {
      throw new ValidationError(
        `${data.trainFile}: no example has an assistant message to train on`,
      );
    }
    const manifest = await readManifest(data);
    const settings = resolveSettings(
      engine,
      {
        examples: laid.train.examples,
        trainLines: laid.train.written,
        ...(manifest.maxExampleTokens === undefined
          ? {}
          : { maxExampleTokens: manifest.maxExampleTokens }),
      },
      startOptions,
    );
    const notes: string[] = [];
    let valid = laid.validation?.path;
    if (
      laid.validation &&
      (laid.validation.written === 0 ||
        (engine === 'mlx' && laid.validation.written < settings.batchSize))
    ) {
      // mlx_lm needs a full batch of validation examples.
      await unlink(laid.validation.path);
      valid = undefined;
      notes.push(
        `The validation file has ${laid.validation.written} usable examples, fewer than a batch of ${settings.batchSize}; training without validation`,
      );
    }
    const paths: RunPaths = {
      runDir: dir,
      dataDir,
      train: laid.train.path,
      ...(valid === undefined ? {} : { valid }),
      adapterDir: join(dir, 'adapters'),
      mergedDir: join(dir, engine === 'mlx' ? 'fused' : 'merged'),
      config: join(
        dir,
        engine === 'hf' ? 'config.json' : engine === 'mlx' ? 'config.yaml' : 'axolotl.yaml',
      ),
    };
    const config =
      engine === 'mlx'
        ? mlxConfig(settings, paths)
        : engine === 'hf'
          ? `${JSON.stringify(hfConfig(settings, paths, { merge: options.merge, tinyRandom: options.tinyRandom }), null, 2)}\n`
          : axolotlConfig(settings, paths);
    await writeFile(paths.config, config);
    const name = servedModelName(startOptions.suffix);
    const serve = servePlan(settings, paths, { name, merged: Boolean(options.merge) });
    await mkdir(join(dir, 'serve'), { recursive: true });
    for (const [file, content] of Object.entries(serve.files)) {
      await writeFile(join(dir, 'serve', file), content, {
        mode: file.endsWith('.sh') ? 0o755 : 0o644,
      });
    }
    const command = engineCommand(paths);
    const artifacts: JobArtifacts = {
      runDir: dir,
      config: paths.config,
      command: commandLine(command),
      log: join(dir, 'run.log'),
      adapter: paths.adapterDir,
      ...(options.merge && engine !== 'axolotl' ? { merged: paths.mergedDir } : {}),
      serve: serve.instructions,
    };
    const state: RunState = {
      id: jobId,
      provider: id,
      engine,
      state: engine === 'axolotl' ? 'paused' : 'queued',
      model: settings.model,
      createdAt: new Date().toISOString(),
      trainingFile: data.trainFile,
      ...(data.validationFile ? { validationFile: data.validationFile } : {}),
      metadata: { ...startOptions.metadata },
      totalSteps: settings.totalSteps,
      idempotencyKey: key,
      artifacts,
      adapterFile: ADAPTER_FILES[engine],
    };
    ledger?.beginJob({
      endpoint,
      provider: id,
      idempotencyKey: key,
      ...(startOptions.metadata?.manifest ? { manifestHash: startOptions.metadata.manifest } : {}),
      model: settings.model,
    });
    ledger?.completeJob(endpoint, key, jobId, state.state);
    await writeState(state);
    const info = (message: string) => addEvent(jobId, { level: 'info', type: 'message', message });
    if (check) await info(`Engine: ${check.message}`);
    if (check?.warning)
      await addEvent(jobId, { level: 'warn', type: 'message', message: check.warning });
    await info(
      `Data: ${laid.train.examples} training examples (${laid.train.trainedTurns} replies trained, ${laid.train.contextTurns} kept as context) written as ${laid.train.written} ${engine === 'mlx' ? 'examples, one per trained reply,' : 'examples'} to ${laid.train.path}` +
        (laid.train.skipped
          ? `; ${laid.train.skipped} without a reply to train on were left out`
          : ''),
    );
    for (const note of notes)
      await addEvent(jobId, { level: 'warn', type: 'message', message: note });
    await info(
      `Model ${settings.model}, LoRA rank ${settings.loraRank} alpha ${settings.loraAlpha}, ${settings.epochs} epochs, batch ${settings.batchSize}, ${settings.totalSteps} steps, learning rate ${settings.learningRate}`,
    );
    await info(`Config: ${paths.config}`);
    if (engine === 'axolotl') {
      await info(`Run it with: ${artifacts.command}`);
    }
    return { state, laid, settings, command };
  }

  /** Starts the engine for a prepared run and follows its output until it exits. */
  async function launch(state: RunState, command: string[]): Promise<void> {
    const jobId = state.id;
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, {
      cwd: state.artifacts.runDir,
      env: {
        ...env,
        PYTHONUNBUFFERED: '1',
        NO_COLOR: '1',
        TOKENIZERS_PARALLELISM: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: Ctrl-C in the terminal reaches this process, which stops the engine.
      detached: platform !== 'win32',
    });
    const handle: RunHandle = { child, cancelRequested: false, exited: Promise.resolve() };
    running.set(jobId, handle);
    const stopOnExit = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    };
    process.once('exit', stopOnExit);

    const parse = createEngineLineParser(engine, { totalSteps: state.totalSteps });
    let lastError: string | undefined;
    let stderrTail = '';
    let trainedTokens: number | undefined;
    let work = Promise.resolve();
    const log = state.artifacts.log;
    const onLine = (line: string, stream: 'stdout' | 'stderr') => {
      if (stream === 'stderr') stderrTail = `${stderrTail}\n${stripAnsi(line)}`.slice(-4000);
      const parsed = parse(line);
      work = work.then(async () => {
        await appendFile(log, `${line}\n`);
        if (parsed === undefined) return;
        if (parsed.kind === 'metrics') {
          if (parsed.metrics.trainedTokens !== undefined)
            trainedTokens = parsed.metrics.trainedTokens;
          const { trainedTokens: _trained, ...metrics } = parsed.metrics;
          await addEvent(jobId, {
            level: 'info',
            type: 'metrics',
            message: parsed.message,
            metrics,
          });
        } else if (parsed.kind === 'artifact') {
          await addEvent(jobId, { level: 'info', type: 'message', message: parsed.message });
        } else {
          if (parsed.level === 'error') lastError = parsed.message;
          await addEvent(jobId, { level: parsed.level, type: 'message', message: parsed.message });
        }
      });
    };
    const split = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') => {
      let buffer = '';
      stream.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        // Progress bars redraw with carriage returns: each redraw is a line.
        const parts = buffer.split(/\r?\n|\r/);
        buffer = parts.pop() ?? '';
        for (const part of parts) onLine(part, name);
      });
      return new Promise<void>((resolve) =>
        stream.on('end', () => {
          if (buffer !== '') onLine(buffer, name);
          resolve();
        }),
      );
    };
    const outputs = Promise.all([split(child.stdout!, 'stdout'), split(child.stderr!, 'stderr')]);
    let spawnError: NodeJS.ErrnoException | undefined;
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('error', (error: NodeJS.ErrnoException) => {
        spawnError = error;
        resolve({ code: null, signal: null });
      });
      child.on('close', (code, signal) => resolve({ code, signal }));
    });

    state.state = 'running';
    state.ownerPid = process.pid;
    if (child.pid !== undefined) state.enginePid = child.pid;
    await writeState(state);
    await addEvent(jobId, {
      level: 'info',
      type: 'message',
      message: `Started: ${state.artifacts.command}`,
    });

    handle.exited = (async () => {
      const { code, signal } = await exit;
      await outputs.catch(() => {});
      await work;
      process.removeListener('exit', stopOnExit);
      const final = await readState(jobId);
      final.finishedAt = new Date().toISOString();
      delete final.enginePid;
      if (trainedTokens !== undefined) final.trainedTokens = trainedTokens;
      const adapterSaved = existsSync(join(final.artifacts.adapter, final.adapterFile));
      if (handle.cancelRequested || final.state === 'cancelled') {
        final.state = 'cancelled';
        await addEvent(jobId, {
          level: 'info',
          type: 'message',
          message: `Cancelled; ${ENGINE_LABEL[engine]} stopped${signal ? ` (${signal})` : ''}${adapterSaved ? `; the last saved adapter is in ${final.artifacts.adapter}` : ''}`,
        });
      } else if (code === 0 && adapterSaved) {
        final.state = 'succeeded';
        final.result = reference(final.artifacts);
        await addEvent(jobId, {
          level: 'info',
          type: 'message',
          message: `Training finished: adapter in ${final.artifacts.adapter}`,
        });
      } else {
        final.state = 'failed';
        final.error = spawnError
          ? `cannot start ${commandLine(command.slice(0, 1))} (${spawnError.code ?? spawnError.message})`
          : code === 0
            ? `${ENGINE_LABEL[engine]} ended without saving an adapter in ${final.artifacts.adapter}`
            : `${ENGINE_LABEL[engine]} stopped with ${signal ? `signal ${signal}` : `exit code ${code}`}${
                (lastError ?? lastMeaningfulLine(stderrTail))
                  ? `: ${lastError ?? lastMeaningfulLine(stderrTail)}`
                  : ''
              } (log: ${final.artifacts.log})`;
        await addEvent(jobId, { level: 'error', type: 'message', message: final.error });
      }
      running.delete(jobId);
      await writeState(final);
    })();
  }

  function waitForChange(jobId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        changes.removeListener(jobId, done);
        signal?.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        clearTimeout(timer);
        changes.removeListener(jobId, done);
        reject(signal!.reason ?? new DOMException('This operation was aborted', 'AbortError'));
      };
      const timer = setTimeout(done, ms);
      changes.once(jobId, done);
      if (signal?.aborted) aborted();
      else signal?.addEventListener('abort', aborted, { once: true });
    });
  }

  const provider: LocalFineTuneProvider = {
    specificationVersion: 'v1',
    id,
    displayName: DISPLAY_NAMES[engine],
    endpoint,
    engine,
    runsDir,

    checkEngine(checkOptions = {}) {
      return checkLocalEngine(engine, {
        python,
        platform,
        ...(options.arch ? { arch: options.arch } : {}),
        env,
        ...(checkOptions.signal ? { signal: checkOptions.signal } : {}),
      });
    },

    async checkData(data) {
      const issues: DataIssue[] = [];
      const summarise = async (file: string, minExamples: number) => {
        const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
          throw new ValidationError(
            `${file}: cannot read the file (${error.code ?? error.message})`,
            {
              cause: error,
            },
          );
        });
        const report = await validateTrainingLines(readLines(createReadStream(file)), {
          file,
          model: DEFAULT_MODEL,
          minExamples,
        });
        const rule = (code: string) => `${engine}:${code.replaceAll('_', '-')}`;
        for (const problem of report.errors) {
          issues.push({
            file,
            ...(problem.line === undefined ? {} : { line: problem.line }),
            ruleId: rule(problem.code),
            reason: problem.message,
            severity: 'error',
          });
        }
        for (const problem of report.warnings) {
          // The hosted service's context limit does not apply; the engine cuts long examples.
          if (problem.code === 'example_too_long') continue;
          issues.push({
            file,
            ...(problem.line === undefined ? {} : { line: problem.line }),
            ruleId: rule(problem.code),
            reason: problem.message,
            severity: 'warning',
          });
        }
        if (report.format === 'preference') {
          issues.push({
            file,
            ruleId: `${engine}:dpo-not-supported`,
            reason: 'preference pairs (DPO) cannot be trained locally; give chat examples',
            severity: 'error',
          });
        }
        const summary: DataFileSummary = {
          file,
          bytes: info.size,
          examples: report.stats.tokensPerExample.count,
          tokens: report.stats.tokensPerExample.total,
        };
        return { summary, format: report.format };
      };
      const train = await summarise(data.trainFile, 1);
      const validation = data.validationFile ? await summarise(data.validationFile, 1) : undefined;
      return {
        ok: issues.every((issue) => issue.severity !== 'error'),
        format: train.format,
        train: train.summary,
        ...(validation ? { validation: validation.summary } : {}),
        issues: issues.filter(
          (issue, index) =>
            issue.ruleId !== `${engine}:dpo-not-supported` ||
            issues.findIndex((other) => other.ruleId === issue.ruleId) === index,
        ),
      };
    },

    estimate(check: DataCheck, startOptions: StartOptions): Estimate {
      const epochs = startOptions.hyperparameters?.epochs ?? defaultEpochs(check.train.examples);
      const trainedTokens = check.train.tokens * epochs;
      // Very rough throughputs of a 1.5B model: an M-series Mac, one recent NVIDIA GPU.
      const perSecond = engine === 'mlx' ? 400 : 3000;
      return {
        model: startOptions.model,
        epochs,
        trainedTokens,
        costUsd: 0,
        priceSource: engine === 'axolotl' ? 'your own hardware' : 'runs on this machine',
        ...(engine === 'axolotl'
          ? {}
          : { durationSeconds: Math.round(120 + trainedTokens / perSecond) }),
      };
    },

    async existingJob(data, startOptions) {
      return (await findRun(data, startOptions)).existing;
    },

    async start(data, startOptions) {
      if (startOptions.suffix !== undefined) {
        const problem = checkSuffix(startOptions.suffix);
        if (problem)
          throw new ValidationError(`suffix ${JSON.stringify(startOptions.suffix)}: ${problem}`);
      }
      if (startOptions.method === 'dpo' || data.format === 'preference') {
        throw new ValidationError(
          `${data.trainFile}: preference pairs (DPO) cannot be trained locally; give chat examples`,
        );
      }
      const { key, existing } = await findRun(data, startOptions);
      if (existing) return existing;
      const check = await provider.checkEngine({
        ...(startOptions.signal ? { signal: startOptions.signal } : {}),
      });
      if (!check.ok && engine !== 'axolotl') {
        throw new ProviderError(check.message, { provider: id, kind: 'engine-missing' });
      }
      const prepared = await prepare(data, startOptions, key, check.ok ? check : undefined);
      if (engine === 'axolotl') {
        if (!check.ok) {
          await addEvent(prepared.state.id, {
            level: 'warn',
            type: 'message',
            message: `Axolotl is not installed for ${python} here; where you train: ${check.install}`,
          });
        }
        return toStatus(prepared.state);
      }
      startOptions.signal?.throwIfAborted();
      await launch(prepared.state, prepared.command);
      return toStatus(await readState(prepared.state.id));
    },

    async status(jobId) {
      return toStatus(await currentState(jobId));
    },

    events(jobId, followOptions: FollowOptions = {}): AsyncIterable<FollowEvent> {
      const { signal } = followOptions;
      const follow = followOptions.follow ?? true;
      return {
        async *[Symbol.asyncIterator]() {
          let lastId = followOptions.after ?? ledger?.jobById(jobId, endpoint)?.lastEventId;
          let lastState: JobState | undefined;
          for (;;) {
            signal?.throwIfAborted();
            const state = await currentState(jobId);
            const events = await readEvents(jobId);
            for (const event of events) {
              if (lastId !== undefined && event.id <= lastId) continue;
              signal?.throwIfAborted();
              yield { type: 'event', event };
              lastId = event.id;
              ledger?.setLastEvent(jobId, event.id);
            }
            if (state.state !== lastState) {
              lastState = state.state;
              yield { type: 'status', status: toStatus(state) };
            }
            if (!follow || FINAL_STATES.has(state.state) || state.state === 'paused') return;
            await waitForChange(jobId, pollIntervalMs, signal);
          }
        },
      };
    },

    async checkpoints(jobId) {
      const state = await readState(jobId);
      const metrics = await provider.metrics(jobId);
      const files = await readdir(state.artifacts.adapter).catch(() => [] as string[]);
      const checkpoints: Checkpoint[] = [];
      for (const file of files) {
        const match = /^(\d+)_adapters\.safetensors$/.exec(file) ?? /^checkpoint-(\d+)$/.exec(file);
        if (!match) continue;
        const step = Number(match[1]);
        const path = join(state.artifacts.adapter, file);
        const info = await stat(path);
        const near = [...metrics].reverse().find((entry) => entry.step <= step);
        checkpoints.push({
          id: `${jobId}:step-${step}`,
          step,
          model: path,
          createdAt: info.mtime,
          metrics: near ? { ...near, step } : { step },
        });
      }
      return checkpoints.sort((a, b) => a.step - b.step);
    },

    async metrics(jobId) {
      const byStep = new Map<number, TrainingMetrics>();
      for (const event of await readEvents(jobId)) {
        if (!event.metrics) continue;
        const { totalSteps: _total, ...metrics } = event.metrics;
        byStep.set(metrics.step, { ...byStep.get(metrics.step), ...metrics });
      }
      return [...byStep.values()].sort((a, b) => a.step - b.step);
    },

    async cancel(jobId) {
      const state = await currentState(jobId);
      if (FINAL_STATES.has(state.state)) {
        throw new ProviderError(
          `job ${jobId} has already ${state.state === 'cancelled' ? 'been cancelled' : state.state}`,
          {
            provider: id,
            kind: 'invalid-request',
          },
        );
      }
      const handle = running.get(jobId);
      if (handle) {
        handle.cancelRequested = true;
        const { child } = handle;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
        try {
          await handle.exited;
        } finally {
          clearTimeout(killer);
        }
        return toStatus(await readState(jobId));
      }
      // Run by another process (or never started, for Axolotl): stop the engine, record it.
      if (state.enginePid !== undefined && alive(state.enginePid)) {
        try {
          process.kill(state.enginePid, 'SIGTERM');
        } catch {
          // It ended in between.
        }
      }
      state.state = 'cancelled';
      state.finishedAt = new Date().toISOString();
      await addEvent(jobId, { level: 'info', type: 'message', message: 'Cancelled' });
      await writeState(state);
      return toStatus(state);
    },

    async list(listOptions = {}) {
      const entries = await readdir(runsDir).catch(() => [] as string[]);
      const states: RunState[] = [];
      for (const entry of entries) {
        if (!entry.startsWith(`${engine}-`)) continue;
        const state = await currentState(entry).catch(() => undefined);
        if (state) states.push(state);
      }
      return states
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
        .slice(0, listOptions.limit ?? 20)
        .map(toStatus);
    },

    async wait(jobId, waitOptions = {}) {
      for (;;) {
        const state = await currentState(jobId);
        if (FINAL_STATES.has(state.state) || state.state === 'paused') return toStatus(state);
        await waitForChange(jobId, pollIntervalMs, waitOptions.signal);
      }
    },

    modelReference(status) {
      return status.result;
    },
  };
  return provider;
}
