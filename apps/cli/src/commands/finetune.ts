import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { formatPlace, ParseError } from '@alterego/core';
import {
  createLocalProvider,
  createOpenAIProvider,
  type DataCheck,
  DEFAULT_LOCAL_MODELS,
  DEFAULT_OPENAI_MODEL,
  type Estimate,
  type FineTuneProviderV1,
  type FollowEvent,
  type JobLedger,
  type JobStatus,
  LEDGER_FILE,
  type LocalEngine,
  type LocalFineTuneProvider,
  type LocalProviderOptions,
  type OpenAIFineTuneProvider,
  type OpenAIProviderOptions,
  openLedger,
  ProviderError,
  type StartOptions,
  type TrainingData,
} from '@alterego/finetune';
import { type Command, Option } from 'commander';
import { CliError, InterruptedError } from '../cli-error.js';
import { userDataDir } from '../data-dir.js';
import { ExitCode } from '../exit-codes.js';
import { type CliIO, commandOutput, writeOut } from '../io.js';
import { numberOption, wholeNumber } from '../options.js';

/** What the commands need from outside, replaceable in tests. */
export interface FinetuneDependencies {
  /** Extra provider options (a fetch, a retry sleep), merged over what the flags say. */
  providerOptions?: Partial<OpenAIProviderOptions>;
  /** Asks a yes/no question on the terminal; default: readline on stdin. */
  confirm?: (question: string) => Promise<boolean>;
  /** Whether stdin is a terminal that can answer a question (default: process.stdin.isTTY). */
  interactive?: boolean;
  /** Extra options for the local providers (a Python, the platform), merged over the flags. */
  localProviderOptions?: Partial<LocalProviderOptions>;
}

/** Where fine-tuning happens: OpenAI (or a compatible API), or a local engine. */
export type FinetuneProviderName = 'openai' | LocalEngine;
const PROVIDERS: readonly FinetuneProviderName[] = ['openai', 'mlx', 'hf', 'axolotl'];

interface ConnectionFlags {
  baseUrl?: string;
  apiVersion?: string;
  provider?: FinetuneProviderName;
  python?: string;
}

export interface FinetuneStartFlags extends ConnectionFlags {
  validation?: string;
  model?: string;
  suffix?: string;
  seed?: number;
  epochs?: number;
  batchSize?: number;
  learningRateMultiplier?: number;
  beta?: number;
  method?: 'supervised' | 'dpo';
  yes?: boolean;
  json?: boolean;
  baseModel?: string;
  loraRank?: number;
  loraAlpha?: number;
  loraLayers?: number;
  maxSeqLength?: number;
  merge?: boolean;
  accelerate?: boolean;
  tinyRandom?: boolean;
}

/** What `finetune start` will send, and where: printed before asking, and with `--json`. */
export interface FinetunePlan {
  provider: string;
  endpoint: string;
  model: string;
  method: 'supervised' | 'dpo';
  files: {
    role: 'train' | 'validation';
    path: string;
    bytes: number;
    examples: number;
    tokens: number;
  }[];
  estimate: Estimate;
  manifest: string | null;
}

const integer = (flag: string) => wholeNumber(flag);
const positive = (flag: string) => numberOption(flag, { positive: true });

/**
 * Adds `finetune start|status|follow|list|cancel` to a program. Results go to stdout, progress
 * and messages to stderr; remote errors exit with 5, a missing key with 4, an interruption with
 * 130 (and `follow` resumes where it stopped).
 */
export function registerFinetuneCommands(
  program: Command,
  io: CliIO,
  setResult: (code: number) => void,
  dependencies: FinetuneDependencies = {},
): Command {
  const finetune = program
    .command('finetune')
    .summary('fine-tune a model on your dataset (OpenAI, or LoRA on your own machine)')
    .description(
      'Trains on a dataset made by "alterego build": uploads it to OpenAI (or a compatible API), or trains a LoRA adapter locally with mlx_lm (Mac), transformers + peft (NVIDIA GPU) or an Axolotl config; follows the job and records everything in a ledger in your data folder, so that nothing is uploaded or started twice.',
    )
    .configureOutput(commandOutput(io, 'alterego finetune'))
    .addHelpText(
      'after',
      `
OpenAI is winding its fine-tuning platform down: it is closed to new organisations, and takes no
new training jobs after 2027-01-06. Models already trained keep answering until their base model
retires. Without access, train locally (--provider mlx on a Mac with Apple Silicon, --provider hf on
an NVIDIA GPU, --provider axolotl to write an Axolotl config), or use the few-shot persona:
alterego chat --backend fewshot.

Settings: OPENAI_API_KEY (required), OPENAI_BASE_URL (or --base-url) for Azure OpenAI and other
compatible APIs, OPENAI_API_VERSION (or --api-version) for Azure; ALTEREGO_HOME for the ledger and
local runs; ALTEREGO_PYTHON (or --python) for the Python of the local engines.`,
    );

  const connection = (command: Command) =>
    command
      .addOption(
        new Option(
          '--provider <provider>',
          'openai (default), or a local engine: mlx, hf, axolotl',
        ).choices(PROVIDERS),
      )
      .option(
        '--python <path>',
        'local engines: the Python to run (default: $ALTEREGO_PYTHON or python3)',
      )
      .option(
        '--base-url <url>',
        'an OpenAI-compatible API (default: $OPENAI_BASE_URL or api.openai.com)',
      )
      .option('--api-version <version>', 'Azure OpenAI api-version (default: $OPENAI_API_VERSION)');

  const action =
    <A extends unknown[]>(run: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      try {
        setResult(await run(...args));
      } catch (error) {
        throw translate(error, io.signal);
      }
    };

  connection(
    finetune
      .command('start')
      .summary('check, price and start a fine-tuning job')
      .description(
        "Checks the dataset against the provider's rules, shows what will be sent where, the token count and the estimated cost, asks, then uploads the files (once) and creates the job (once).",
      )
      .configureOutput(commandOutput(io, 'alterego finetune start'))
      .argument(
        '<dataset>',
        'a folder from "alterego build" (train.jsonl, valid.jsonl, manifest.json) or a training JSONL file',
      )
      .option(
        '--validation <file>',
        'a validation JSONL (default: valid.jsonl in the dataset folder)',
      )
      .option(
        '-m, --model <model>',
        `the base model (default: ${DEFAULT_OPENAI_MODEL}; mlx ${DEFAULT_LOCAL_MODELS.mlx}; hf and axolotl ${DEFAULT_LOCAL_MODELS.hf})`,
      )
      .option('--base-model <model>', 'the same as --model')
      .option('--suffix <suffix>', 'added to the model name (≤ 64 letters, digits, "-", "_", ".")')
      .addOption(
        new Option('--seed <n>', 'training seed, for reproducible runs').argParser(
          integer('--seed'),
        ),
      )
      .addOption(
        new Option('--epochs <n>', 'epochs (default: chosen from the example count)').argParser(
          integer('--epochs'),
        ),
      )
      .addOption(new Option('--batch-size <n>', 'batch size').argParser(integer('--batch-size')))
      .addOption(
        new Option('--learning-rate-multiplier <x>', 'learning rate multiplier').argParser(
          positive('--learning-rate-multiplier'),
        ),
      )
      .addOption(
        new Option('--beta <x>', 'DPO only: the beta hyperparameter').argParser(positive('--beta')),
      )
      .addOption(
        new Option(
          '--method <method>',
          'supervised, or dpo for preference pairs (default: from the data)',
        ).choices(['supervised', 'dpo']),
      )
      .addOption(
        new Option('--lora-rank <n>', 'local: LoRA rank (default 8)').argParser(
          integer('--lora-rank'),
        ),
      )
      .addOption(
        new Option('--lora-alpha <x>', 'local: LoRA alpha (default 2 × rank)').argParser(
          positive('--lora-alpha'),
        ),
      )
      .addOption(
        new Option(
          '--lora-layers <n>',
          'local: adapt only the last n layers (default: mlx 16, others all)',
        ).argParser(integer('--lora-layers')),
      )
      .addOption(
        new Option(
          '--max-seq-length <n>',
          'local: longest example in tokens (default from the manifest, at least 2048)',
        ).argParser(integer('--max-seq-length')),
      )
      .option('--merge', 'hf: also save the model with the adapter merged in')
      .option('--accelerate', 'hf: run with "accelerate launch", on every GPU')
      .option(
        '--tiny-random',
        'hf: train a tiny random model made from the data (a quick end-to-end check)',
      )
      .option('-y, --yes', 'start without asking (required when not on a terminal)')
      .option('--json', 'print the plan and the job as JSON on stdout'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ alterego finetune start dataset/ --suffix sam
  $ alterego finetune start dataset/train.jsonl --model gpt-4.1-nano-2025-04-14 --epochs 3 --yes --json
  $ alterego finetune start dataset/ --provider mlx --suffix sam        # on a Mac; Ctrl-C cancels
  $ alterego finetune start dataset/ --provider hf --accelerate --merge # on NVIDIA GPUs
  $ alterego finetune start dataset/ --provider axolotl                 # writes the config and the command`,
    )
    .action(
      action((dataset: string, flags: FinetuneStartFlags) =>
        start(dataset, flags, io, dependencies),
      ),
    );

  connection(
    finetune
      .command('follow')
      .summary('show a job live until it ends; resumes where it stopped')
      .configureOutput(commandOutput(io, 'alterego finetune follow'))
      .argument('[job]', 'the job id (default: the job started last)')
      .addOption(
        new Option('--interval <seconds>', 'how often to ask for news (default 10)').argParser(
          positive('--interval'),
        ),
      )
      .option('--json', 'print events as NDJSON on stdout'),
  ).action(
    action(
      (job: string | undefined, flags: ConnectionFlags & { json?: boolean; interval?: number }) =>
        follow(job, flags, io, dependencies),
    ),
  );

  finetune
    .command('emulator')
    .summary('run a local OpenAI fine-tuning emulator, for trying everything offline')
    .description(
      'Serves the OpenAI files, uploads, fine-tuning and chat completion endpoints on 127.0.0.1 from memory, with jobs that finish in moments. Point the other commands at it with OPENAI_BASE_URL (any OPENAI_API_KEY works). Stops on Ctrl-C.',
    )
    .configureOutput(commandOutput(io, 'alterego finetune emulator'))
    .addOption(
      new Option('--port <port>', 'port (default: a free one)').argParser(integer('--port')),
    )
    .addOption(
      new Option(
        '--speed <seconds>',
        'emulated seconds that pass on each request (default 60)',
      ).argParser(positive('--speed')),
    )
    .action(action((flags: { port?: number; speed?: number }) => emulate(flags, io)));

  connection(
    finetune
      .command('status')
      .summary("a job's state, result and checkpoints")
      .configureOutput(commandOutput(io, 'alterego finetune status'))
      .argument('[job]', 'the job id (default: the job started last)')
      .option('--json', 'print the status as JSON on stdout'),
  ).action(
    action((job: string | undefined, flags: ConnectionFlags & { json?: boolean }) =>
      status(job, flags, io, dependencies),
    ),
  );

  connection(
    finetune
      .command('list')
      .summary('recent fine-tuning jobs')
      .configureOutput(commandOutput(io, 'alterego finetune list'))
      .addOption(new Option('--limit <n>', 'how many (default 20)').argParser(integer('--limit')))
      .option('--json', 'print the jobs as JSON on stdout'),
  ).action(
    action((flags: ConnectionFlags & { json?: boolean; limit?: number }) =>
      list(flags, io, dependencies),
    ),
  );

  connection(
    finetune
      .command('cancel')
      .summary('cancel a job')
      .configureOutput(commandOutput(io, 'alterego finetune cancel'))
      .argument('<job>', 'the job id')
      .option('--json', 'print the status as JSON on stdout'),
  ).action(
    action((job: string, flags: ConnectionFlags & { json?: boolean }) =>
      cancel(job, flags, io, dependencies),
    ),
  );

  return finetune;
}

/** Remote errors exit with 5; an abort is an interruption (130). */
function translate(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted && !(error instanceof CliError)) return new InterruptedError();
  if (ProviderError.isInstance(error)) {
    const code = error.kind === 'engine-missing' ? ExitCode.missingConfig : ExitCode.remote;
    return new CliError(error.message, code, { cause: error });
  }
  return error;
}

interface Session {
  provider: OpenAIFineTuneProvider | LocalFineTuneProvider;
  ledger: JobLedger;
}

const LOCAL_JOB = /^(mlx|hf|axolotl)-\d{8}-\d{6}-[0-9a-f]{6}$/;

/** The provider a command is for: the flag, else the one a local job id names, else OpenAI. */
function providerFor(flags: ConnectionFlags, job?: string): FinetuneProviderName {
  if (flags.provider) return flags.provider;
  const local = job === undefined ? undefined : LOCAL_JOB.exec(job)?.[1];
  return (local as LocalEngine | undefined) ?? 'openai';
}

function isLocal(provider: Session['provider']): provider is LocalFineTuneProvider {
  return 'engine' in provider;
}

/** Opens the ledger and the provider for one command, and closes the ledger after it. */
async function withSession<T>(
  flags: ConnectionFlags,
  io: CliIO,
  dependencies: FinetuneDependencies,
  run: (session: Session) => Promise<T>,
): Promise<T> {
  const session = openSession(flags, io, dependencies);
  try {
    return await run(session);
  } finally {
    session.ledger.close();
  }
}

function openSession(
  flags: ConnectionFlags,
  io: CliIO,
  dependencies: FinetuneDependencies,
): Session {
  const name = flags.provider ?? 'openai';
  if (name !== 'openai') {
    const ledger = openLedger(join(userDataDir(io.env), LEDGER_FILE));
    const startFlags = flags as FinetuneStartFlags;
    const python = flags.python ?? (io.env.ALTEREGO_PYTHON || undefined);
    const provider = createLocalProvider({
      engine: name,
      runsDir: join(userDataDir(io.env), 'runs'),
      ledger,
      env: io.env,
      ...(python ? { python } : {}),
      ...(startFlags.accelerate ? { launcher: 'accelerate' as const } : {}),
      ...(startFlags.merge ? { merge: true } : {}),
      ...(startFlags.tinyRandom ? { tinyRandom: true } : {}),
      ...dependencies.localProviderOptions,
    });
    return { provider, ledger };
  }
  const apiKey = io.env.OPENAI_API_KEY;
  if (!apiKey) {
    throw new CliError(
      'OPENAI_API_KEY is not set; export your key (export OPENAI_API_KEY=sk-…), or use the few-shot persona: alterego chat --backend fewshot',
      ExitCode.missingConfig,
    );
  }
  const ledger = openLedger(join(userDataDir(io.env), LEDGER_FILE));
  try {
    const provider = createOpenAIProvider({
      apiKey,
      baseURL: flags.baseUrl ?? (io.env.OPENAI_BASE_URL || undefined),
      azureApiVersion: flags.apiVersion ?? (io.env.OPENAI_API_VERSION || undefined),
      organization: io.env.OPENAI_ORG_ID || undefined,
      project: io.env.OPENAI_PROJECT_ID || undefined,
      ledger,
      ...dependencies.providerOptions,
    });
    return { provider, ledger };
  } catch (error) {
    ledger.close();
    throw error;
  }
}

/** The files of a dataset: a folder from `alterego build`, or a training file. */
async function resolveDataset(
  dataset: string,
  flags: FinetuneStartFlags,
  io: CliIO,
): Promise<{ data: TrainingData; manifest: string | undefined }> {
  const resolve = (path: string) => (isAbsolute(path) ? path : join(io.cwd, path));
  const info = await stat(resolve(dataset)).catch(() => undefined);
  if (info === undefined) {
    throw new CliError(
      `${dataset}: no such file or folder; give the folder "alterego build" wrote, or a training JSONL file`,
      ExitCode.usage,
    );
  }
  let trainFile = resolve(dataset);
  let validationFile = flags.validation === undefined ? undefined : resolve(flags.validation);
  let manifest: string | undefined;
  if (info.isDirectory()) {
    trainFile = join(trainFile, 'train.jsonl');
    if (!(await stat(trainFile).catch(() => undefined))?.isFile()) {
      throw new CliError(
        `${dataset}: no train.jsonl in this folder; run "alterego build <exports> -o ${dataset}" first`,
        ExitCode.usage,
      );
    }
    const valid = join(resolve(dataset), 'valid.jsonl');
    if (validationFile === undefined && (await stat(valid).catch(() => undefined))?.isFile()) {
      validationFile = valid;
    }
    const manifestText = await readFile(join(resolve(dataset), 'manifest.json')).catch(
      () => undefined,
    );
    if (manifestText !== undefined) {
      manifest = createHash('sha256').update(manifestText).digest('hex').slice(0, 16);
    }
  }
  const format = await sniffFormat(trainFile);
  return { data: { trainFile, ...(validationFile ? { validationFile } : {}), format }, manifest };
}

/** Preference pairs (`input` + `preferred_output`) or chat examples, from the first line. */
async function sniffFormat(file: string): Promise<'chat' | 'preference'> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(256 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString('utf8');
    const end = text.indexOf('\n');
    const value = JSON.parse(end === -1 ? text : text.slice(0, end)) as Record<string, unknown>;
    return 'preferred_output' in value ? 'preference' : 'chat';
  } catch {
    // Unreadable or not JSON: the data check reports it with its line.
    return 'chat';
  } finally {
    await handle.close();
  }
}

const number = (value: number) => value.toLocaleString('en-US');
const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} kB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`;

function describePlan(plan: FinetunePlan, check: DataCheck): string {
  const local = plan.endpoint.startsWith('local:');
  const lines = [
    local
      ? `${plan.provider} trains on this machine; nothing is uploaded:`
      : `${plan.provider === 'openai' ? 'OpenAI' : plan.provider} at ${plan.endpoint} will receive:`,
  ];
  for (const file of plan.files) {
    lines.push(
      `  ${file.role === 'train' ? 'training  ' : 'validation'} ${file.path}: ${number(file.examples)} examples, ~${number(file.tokens)} tokens, ${size(file.bytes)}`,
    );
  }
  const { estimate } = plan;
  const cost = local
    ? (estimate.priceSource ?? 'runs on this machine')
    : estimate.costUsd === undefined
      ? 'cost unknown for this model'
      : `about $${estimate.costUsd.toFixed(2)} (${estimate.priceSource})`;
  const time =
    estimate.durationSeconds === undefined
      ? ''
      : `; very roughly ${Math.max(1, Math.round(estimate.durationSeconds / 60))} min${local ? '' : ' including the queue'}`;
  lines.push(
    `model ${plan.model}, ${plan.method}, ${estimate.epochs} epoch${estimate.epochs === 1 ? '' : 's'}: ~${number(estimate.trainedTokens)} training tokens, ${cost}${time}`,
  );
  for (const issue of check.issues) {
    lines.push(
      `${issue.severity}: ${formatPlace(issue.file, issue.line)}: ${issue.reason} [${issue.ruleId}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function askYesNo(question: string, io: CliIO): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: io.stderr });
  try {
    const answer = await readline.question(question, { signal: io.signal });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    readline.close();
  }
}

export async function start(
  dataset: string,
  flags: FinetuneStartFlags,
  io: CliIO,
  dependencies: FinetuneDependencies = {},
): Promise<number> {
  const { data, manifest } = await resolveDataset(dataset, flags, io);
  return withSession(flags, io, dependencies, async (session) => {
    const { provider } = session;
    const local = isLocal(provider) ? provider : undefined;
    const model =
      flags.model ??
      flags.baseModel ??
      (local ? DEFAULT_LOCAL_MODELS[local.engine] : DEFAULT_OPENAI_MODEL);
    const options: StartOptions = {
      model,
      ...(flags.suffix !== undefined ? { suffix: flags.suffix } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(flags.method !== undefined ? { method: flags.method } : {}),
      ...(manifest !== undefined ? { metadata: { manifest } } : {}),
      hyperparameters: {
        ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
        ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
        ...(flags.learningRateMultiplier !== undefined
          ? { learningRateMultiplier: flags.learningRateMultiplier }
          : {}),
        ...(flags.beta !== undefined ? { beta: flags.beta } : {}),
        ...(flags.loraRank !== undefined ? { loraRank: flags.loraRank } : {}),
        ...(flags.loraAlpha !== undefined ? { loraAlpha: flags.loraAlpha } : {}),
        ...(flags.loraLayers !== undefined ? { loraLayers: flags.loraLayers } : {}),
        ...(flags.maxSeqLength !== undefined ? { maxSequenceLength: flags.maxSeqLength } : {}),
      },
      signal: io.signal,
    };

    const check = await provider.checkData(data, { model });
    const estimate = provider.estimate(check, options);
    const plan: FinetunePlan = {
      provider: provider.id,
      endpoint: provider.endpoint,
      model,
      method: flags.method ?? (check.format === 'preference' ? 'dpo' : 'supervised'),
      files: [
        { role: 'train', path: data.trainFile, ...pick(check.train) },
        ...(check.validation
          ? [
              {
                role: 'validation' as const,
                path: check.validation.file,
                ...pick(check.validation),
              },
            ]
          : []),
      ],
      estimate,
      manifest: manifest ?? null,
    };
    io.stderr.write(describePlan(plan, check));
    if (!check.ok) {
      const errors = check.issues.filter((issue) => issue.severity === 'error');
      const first = errors[0]!;
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more problems above)` : '';
      throw new ParseError(`${first.reason}${more}; fix the data and run again`, {
        file: first.file,
        ...(first.line === undefined ? {} : { line: first.line }),
        ruleId: first.ruleId,
      });
    }

    if (local) return startLocal(local, data, options, plan, flags, io);

    const existing = await provider.existingJob(data, options);
    if (!flags.yes && existing === undefined) {
      const interactive = dependencies.interactive ?? Boolean(process.stdin.isTTY);
      if (!interactive) {
        throw new CliError(
          'not starting a paid job without confirmation: there is no terminal to ask on, so add --yes',
          ExitCode.usage,
        );
      }
      const confirm = dependencies.confirm ?? ((question: string) => askYesNo(question, io));
      if (!(await confirm('Start this fine-tuning job? [y/N] '))) {
        io.stderr.write('nothing was sent\n');
        return ExitCode.ok;
      }
    }

    const job = await provider.start(data, options);
    const resumed = existing?.id === job.id;
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ plan, job, resumed }, null, 2)}\n`);
    } else {
      io.stdout.write(`${job.id}\n`);
    }
    io.stderr.write(
      `${resumed ? 'already started' : 'started'}: ${job.id} (${job.state}); follow it with: alterego finetune follow ${job.id}\n`,
    );
    return ExitCode.ok;
  });
}

/** Where to point `alterego chat` and how to start the server, for a finished local run. */
function serveLines(job: JobStatus): string[] {
  const serve = job.artifacts?.serve ?? [];
  const first = serve[0];
  if (!first) return [];
  return [
    `serve it with: ${first.command}`,
    ...serve.slice(1).map((other) => `  or with ${other.server}: ${other.command}`),
    `then talk to it: alterego chat --backend finetuned --base-url ${first.baseURL} --model ${first.model}`,
  ];
}

/**
 * A local start: nothing is sent anywhere, so nothing is asked. mlx and hf train in the
 * foreground with the same progress as `follow`; Ctrl-C stops the engine and marks the run
 * cancelled. Axolotl: the config and the command to run it.
 */
async function startLocal(
  provider: LocalFineTuneProvider,
  data: TrainingData,
  options: StartOptions,
  plan: FinetunePlan,
  flags: FinetuneStartFlags,
  io: CliIO,
): Promise<number> {
  const job = await provider.start(data, { ...options, signal: io.signal });
  const artifacts = job.artifacts;
  if (provider.engine === 'axolotl' || job.state === 'paused') {
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ plan, job: statusJson(job) }, null, 2)}\n`);
    } else {
      io.stdout.write(`${artifacts?.config ?? ''}\n`);
    }
    io.stderr.write(
      [
        `wrote the Axolotl config: ${artifacts?.config ?? '?'}`,
        `run it where Axolotl is installed: ${artifacts?.command ?? '?'}`,
        `afterwards: alterego finetune status ${job.id}`,
        ...serveLines(job),
      ].join('\n') + '\n',
    );
    return ExitCode.ok;
  }
  if (FINAL_LOCAL.has(job.state)) {
    // The same data and options were trained before: report that run.
    io.stderr.write(`already trained: ${job.id} (${job.state})\n`);
  } else {
    io.stderr.write(
      `started ${job.id}: ${artifacts?.command ?? ''}\nlog: ${artifacts?.log ?? ''}; Ctrl-C cancels\n`,
    );
  }
  let last: JobStatus | undefined;
  try {
    last = await printEvents(provider, job.id, { json: flags.json }, io);
  } catch (error) {
    if (io.signal.aborted) {
      const stopped = await provider.cancel(job.id).catch(() => undefined);
      io.stderr.write(
        `\ncancelled ${job.id}${stopped?.state === 'cancelled' ? '' : ` (${stopped?.state ?? 'state unknown'})`}; the engine was stopped\n`,
      );
      throw new InterruptedError();
    }
    throw error;
  }
  return finish(provider, job.id, last, flags, io);
}

const FINAL_LOCAL = new Set(['succeeded', 'failed', 'cancelled']);

function finish(
  provider: FineTuneProviderV1,
  job: string,
  last: JobStatus | undefined,
  flags: { json?: boolean },
  io: CliIO,
): number {
  if (last === undefined) return ExitCode.failure;
  if (!flags.json) io.stdout.write(`${resultLine(last)}\n`);
  if (last.state === 'succeeded' && last.artifacts && !flags.json) {
    io.stderr.write(`${serveLines(last).join('\n')}\n`);
  }
  if (last.state === 'failed') {
    throw new ProviderError(`job ${job} failed: ${last.error ?? 'no reason given'}`, {
      provider: provider.id,
      kind: 'job-failed',
    });
  }
  return last.state === 'succeeded' ? ExitCode.ok : ExitCode.failure;
}

/** `finetune emulator`: serves until interrupted. */
export async function emulate(
  flags: { port?: number; speed?: number },
  io: CliIO,
): Promise<number> {
  const { startOpenAIEmulator } = await import('@alterego/finetune/emulator');
  const emulator = await startOpenAIEmulator({
    autoAdvanceSeconds: flags.speed ?? 60,
    ...(flags.port !== undefined ? { port: flags.port } : {}),
  });
  try {
    io.stdout.write(`OPENAI_BASE_URL=${emulator.baseURL}\n`);
    io.stderr.write(
      `OpenAI emulator listening (emulated, nothing leaves this machine). In another terminal:\n  export OPENAI_BASE_URL=${emulator.baseURL} OPENAI_API_KEY=sk-emulated\n  alterego finetune start <dataset> --yes && alterego finetune follow --interval 0.5\nCtrl-C stops it.\n`,
    );
    if (!io.signal.aborted) {
      await new Promise<void>((resolve) =>
        io.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    return ExitCode.ok;
  } finally {
    await emulator.close();
  }
}

function pick(summary: { bytes: number; examples: number; tokens: number }) {
  return { bytes: summary.bytes, examples: summary.examples, tokens: summary.tokens };
}

/** The job a command is about: the one given, or the newest this endpoint has in the ledger. */
async function chooseJob(job: string | undefined, session: Session, io: CliIO): Promise<string> {
  if (job !== undefined) return job;
  const { provider, ledger } = session;
  const newest = ledger.listJobs(provider.endpoint)[0];
  if (newest === undefined) {
    throw new CliError(
      `no fine-tuning job recorded for ${provider.endpoint}; give a job id, or start one with "alterego finetune start${isLocal(provider) ? ` --provider ${provider.engine}` : ''}"`,
      ExitCode.usage,
    );
  }
  if (newest.jobId !== undefined) return newest.jobId;
  // The last start was interrupted around the create call: the job may exist all the same.
  const found = isLocal(provider)
    ? undefined
    : await provider.findJobByKey(newest.idempotencyKey, { signal: io.signal });
  if (found === undefined) {
    throw new CliError(
      'the last "finetune start" was interrupted before the job was created; run the same start command again (nothing will be uploaded twice)',
      ExitCode.usage,
    );
  }
  ledger.completeJob(provider.endpoint, newest.idempotencyKey, found.id, found.state);
  return found.id;
}

function statusJson(status: JobStatus) {
  return {
    ...status,
    createdAt: status.createdAt.toISOString(),
    ...(status.finishedAt ? { finishedAt: status.finishedAt.toISOString() } : {}),
    ...(status.estimatedFinish ? { estimatedFinish: status.estimatedFinish.toISOString() } : {}),
  };
}

function eventJson(event: FollowEvent) {
  if (event.type === 'status') return { type: 'status', status: statusJson(event.status) };
  return {
    type: 'event',
    event: { ...event.event, createdAt: event.event.createdAt.toISOString() },
  };
}

function resultLine(status: JobStatus): string {
  if (status.state === 'succeeded' && status.artifacts) {
    return `succeeded: adapter in ${status.artifacts.adapter}${status.artifacts.merged ? `, merged model in ${status.artifacts.merged}` : ''}`;
  }
  if (status.state === 'succeeded' && status.result) {
    return `succeeded: ${status.result.model} (call it with the OpenAI chat API at ${status.result.baseURL})`;
  }
  if (status.state === 'paused' && status.artifacts) {
    return `waiting for you to run: ${status.artifacts.command}`;
  }
  if (status.state === 'failed') return `failed: ${status.error ?? 'no reason given'}`;
  return status.state;
}

function progressBar(step: number, total: number, width = 24): string {
  const filled = Math.round((Math.min(step, total) / Math.max(1, total)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export async function follow(
  jobArgument: string | undefined,
  flags: ConnectionFlags & { json?: boolean; interval?: number },
  io: CliIO,
  dependencies: FinetuneDependencies = {},
): Promise<number> {
  const withInterval: FinetuneDependencies =
    flags.interval === undefined
      ? dependencies
      : {
          ...dependencies,
          providerOptions: {
            ...dependencies.providerOptions,
            pollIntervalMs: Math.round(flags.interval * 1000),
          },
        };
  const chosen = { ...flags, provider: providerFor(flags, jobArgument) };
  return withSession(chosen, io, withInterval, async (session) => {
    const { provider } = session;
    const job = await chooseJob(jobArgument, session, io);
    let last: JobStatus | undefined;
    try {
      last = await printEvents(provider, job, flags, io);
    } catch (error) {
      if (io.signal.aborted) {
        io.stderr.write(
          `${io.stderr.isTTY ? '\n' : ''}stopped following; resume with: alterego finetune follow ${job}\n`,
        );
        throw new InterruptedError();
      }
      throw error;
    }
    return finish(provider, job, last, flags, io);
  });
}

/**
 * Prints a job's events until it ends: a progress bar on a terminal, plain lines otherwise,
 * NDJSON with `--json`. Returns the last status seen.
 */
async function printEvents(
  provider: FineTuneProviderV1,
  job: string,
  flags: { json?: boolean },
  io: CliIO,
): Promise<JobStatus | undefined> {
  const tty = Boolean(io.stderr.isTTY) && !flags.json;
  let last: JobStatus | undefined;
  let state = '';
  let progress = '';
  for await (const event of provider.events(job, { signal: io.signal })) {
    if (flags.json) {
      await writeOut(io.stdout, `${JSON.stringify(eventJson(event))}\n`);
    }
    if (event.type === 'status') {
      last = event.status;
      state = event.status.state;
      if (!flags.json) io.stderr.write(`${tty && progress ? '\n' : ''}${job}: ${state}\n`);
      progress = '';
      continue;
    }
    if (flags.json) continue;
    const metrics = event.event.metrics;
    if (metrics && tty) {
      const total = metrics.totalSteps ?? metrics.step;
      const valid =
        metrics.validLoss === undefined ? '' : `  valid ${metrics.validLoss.toFixed(3)}`;
      const speed =
        metrics.tokensPerSecond === undefined
          ? ''
          : `  ${Math.round(metrics.tokensPerSecond).toLocaleString('en-US')} tok/s`;
      progress = `${state} ${progressBar(metrics.step, total)} step ${metrics.step}/${total}  loss ${metrics.trainLoss?.toFixed(3) ?? '?'}${valid}${speed}`;
      io.stderr.write(`\r${progress}\u001b[K`);
    } else if (metrics) {
      io.stderr.write(`${event.event.message}\n`);
    } else {
      io.stderr.write(`${tty && progress ? '\n' : ''}${event.event.message}\n`);
      progress = '';
    }
  }
  return last;
}

export async function status(
  jobArgument: string | undefined,
  flags: ConnectionFlags & { json?: boolean },
  io: CliIO,
  dependencies: FinetuneDependencies = {},
): Promise<number> {
  const chosen = { ...flags, provider: providerFor(flags, jobArgument) };
  return withSession(chosen, io, dependencies, async (session) => {
    const { provider } = session;
    const job = await chooseJob(jobArgument, session, io);
    const current = await provider.status(job, { signal: io.signal });
    const checkpoints = await provider.checkpoints(job, { signal: io.signal });
    if (flags.json) {
      io.stdout.write(
        `${JSON.stringify(
          {
            ...statusJson(current),
            checkpoints: checkpoints.map((checkpoint) => ({
              ...checkpoint,
              createdAt: checkpoint.createdAt.toISOString(),
            })),
          },
          null,
          2,
        )}\n`,
      );
      return ExitCode.ok;
    }
    const lines = [
      `${current.id}: ${resultLine(current)}`,
      `  model ${current.model}, created ${current.createdAt.toISOString()}${current.trainedTokens === undefined ? '' : `, ${number(current.trainedTokens)} tokens trained`}`,
      ...checkpoints.map(
        (checkpoint) =>
          `  checkpoint step ${checkpoint.step}: ${checkpoint.model} (loss ${checkpoint.metrics.trainLoss ?? '?'}${checkpoint.metrics.validLoss === undefined ? '' : `, valid ${checkpoint.metrics.validLoss}`})`,
      ),
      ...(current.artifacts
        ? [
            `  run folder ${current.artifacts.runDir}, config ${current.artifacts.config}, log ${current.artifacts.log}`,
            ...(current.error ? [] : serveLines(current).map((line) => `  ${line}`)),
          ]
        : []),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  });
}

export async function list(
  flags: ConnectionFlags & { json?: boolean; limit?: number },
  io: CliIO,
  dependencies: FinetuneDependencies = {},
): Promise<number> {
  return withSession(flags, io, dependencies, async (session) => {
    const { provider, ledger } = session;
    const jobs = await provider.list({ limit: flags.limit ?? 20, signal: io.signal });
    const pending = ledger
      .listJobs(provider.endpoint)
      .filter((record) => record.jobId === undefined);
    if (flags.json) {
      io.stdout.write(
        `${JSON.stringify(
          {
            jobs: jobs.map(statusJson),
            interrupted: pending.map((record) => ({
              idempotencyKey: record.idempotencyKey,
              model: record.model,
              createdAt: record.createdAt.toISOString(),
            })),
          },
          null,
          2,
        )}\n`,
      );
      return ExitCode.ok;
    }
    for (const job of jobs) {
      io.stdout.write(
        `${job.id}  ${job.state.padEnd(16)}  ${job.createdAt.toISOString()}  ${job.result?.model ?? job.model}\n`,
      );
    }
    if (jobs.length === 0) io.stderr.write(`no fine-tuning jobs at ${provider.endpoint}\n`);
    for (const record of pending) {
      io.stderr.write(
        `note: a start for ${record.model} on ${record.createdAt.toISOString()} was interrupted; run it again to finish it\n`,
      );
    }
    return ExitCode.ok;
  });
}

export async function cancel(
  job: string,
  flags: ConnectionFlags & { json?: boolean },
  io: CliIO,
  dependencies: FinetuneDependencies = {},
): Promise<number> {
  const chosen = { ...flags, provider: providerFor(flags, job) };
  return withSession(chosen, io, dependencies, async (session) => {
    const result = await session.provider.cancel(job, { signal: io.signal });
    if (flags.json) io.stdout.write(`${JSON.stringify(statusJson(result), null, 2)}\n`);
    else io.stdout.write(`${result.id}: ${result.state}\n`);
    return ExitCode.ok;
  });
}
