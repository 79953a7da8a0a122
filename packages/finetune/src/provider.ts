/**
 * Version 1 of the fine-tuning provider specification. Hosted services (OpenAI and compatible
 * endpoints) and local engines implement it; nothing about one provider leaks past it. Keep
 * `specificationVersion` so that a later v2 can live beside it.
 */

/** The files of one training run, as `alterego build` writes them. */
export interface TrainingData {
  /** Chat JSONL (`{"messages":[…]}` per line) or preference JSONL for DPO. */
  trainFile: string;
  /** Held-out examples in the same format. */
  validationFile?: string;
  /** What the examples look like: chat turns (supervised) or preference pairs (DPO). */
  format?: 'chat' | 'preference';
}

/** Training settings; `undefined` everywhere means "the provider's default". */
export interface Hyperparameters {
  epochs?: number;
  batchSize?: number;
  learningRateMultiplier?: number;
  /** DPO only: how strongly the policy is held to the reference model. */
  beta?: number;
  /** Local engines only: the LoRA rank (default 8). */
  loraRank?: number;
  /** Local engines only: the LoRA alpha; the update is scaled by alpha / rank (default 2 × rank). */
  loraAlpha?: number;
  /** Local engines only: dropout on the LoRA input (default 0.05). */
  loraDropout?: number;
  /** Local engines only: how many of the last transformer layers get adapters (default: mlx 16, others all). */
  loraLayers?: number;
  /** Local engines only: longest sequence in tokens; longer examples are cut (default from the dataset manifest, at least 2048). */
  maxSequenceLength?: number;
}

export interface StartOptions {
  /** The base model, e.g. `gpt-4.1-mini-2025-04-14`. */
  model: string;
  /** Added to the name of the resulting model (≤ 64 characters: letters, digits, `-`, `_`, `.`). */
  suffix?: string;
  seed?: number;
  /** Free-form labels stored with the job (16 pairs at most). */
  metadata?: Record<string, string>;
  /** `supervised` for chat data; `dpo` for preference pairs. Default: from the data format. */
  method?: 'supervised' | 'dpo';
  hyperparameters?: Hyperparameters;
  /**
   * A stable key for this run (e.g. the dataset manifest hash plus these options). Starting twice
   * with the same key gives the same job, even after a crash between the two.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** A problem in the data that the provider would reject or that costs money for nothing. */
export interface DataIssue {
  file: string;
  /** 1-based, where the problem is on one line. */
  line?: number;
  /** Stable id: `<provider>:<rule>`, e.g. `openai:too-few-examples`. */
  ruleId: string;
  reason: string;
  /** `error`: the provider will refuse the file; `warning`: accepted, but worth a look. */
  severity: 'error' | 'warning';
}

export interface DataFileSummary {
  file: string;
  bytes: number;
  examples: number;
  /** Approximate: counted the way the provider bills, capped at the per-example limit. */
  tokens: number;
}

export interface DataCheck {
  ok: boolean;
  format: 'chat' | 'preference';
  train: DataFileSummary;
  validation?: DataFileSummary;
  issues: DataIssue[];
}

export interface Estimate {
  model: string;
  epochs: number;
  /** Training tokens per epoch (capped per example), times epochs. */
  trainedTokens: number;
  /** Undefined when the provider does not know the price of this model. */
  costUsd?: number;
  /** Where the price comes from, for display. */
  priceSource?: string;
  /** A rough wall-clock estimate, in seconds; undefined when unknown. */
  durationSeconds?: number;
}

export type JobState =
  'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'paused';

/** States after which nothing changes any more. */
export const FINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled']);

/** How to call a fine-tuned model. */
export interface ModelReference {
  /** The model id to send, e.g. `ft:gpt-4.1-mini-2025-04-14:org:alterego:abc123`. */
  model: string;
  /** The base URL of an OpenAI-compatible API that serves it. */
  baseURL: string;
  api: 'openai-chat';
}

export interface JobStatus {
  id: string;
  provider: string;
  state: JobState;
  model: string;
  createdAt: Date;
  finishedAt?: Date;
  estimatedFinish?: Date;
  trainedTokens?: number;
  /** Set once the job has succeeded. */
  result?: ModelReference;
  /** Set when the job failed: one line saying why. */
  error?: string;
  trainingFile: string;
  validationFile?: string;
  metadata: Record<string, string>;
  /** Local engines: the files a run wrote and how to serve its result. */
  artifacts?: JobArtifacts;
}

/** How to serve a locally trained model with an OpenAI-compatible server. */
export interface ServeInstructions {
  /** The command line that starts the server, ready to paste. */
  command: string;
  /** The base URL the server answers on, e.g. `http://127.0.0.1:8080/v1`. */
  baseURL: string;
  /** The model name to send in requests. */
  model: string;
  /** What serves it: `mlx_lm.server`, `vllm`, `ollama`. */
  server: string;
}

/** Where a local run keeps its files. */
export interface JobArtifacts {
  /** The run's folder: data, config, log, events. */
  runDir: string;
  /** The engine's configuration file (YAML for mlx and Axolotl, JSON for hf). */
  config: string;
  /** The command that trains, ready to paste (Axolotl: the command to run yourself). */
  command: string;
  /** The engine's output, line by line. */
  log: string;
  /** The LoRA adapter folder (exists once the run has saved it). */
  adapter: string;
  /** A model with the adapter merged in, when one was made. */
  merged?: string;
  /** Ways to serve the result, the first one the recommended one. */
  serve: ServeInstructions[];
}

export interface TrainingMetrics {
  step: number;
  trainLoss?: number;
  trainAccuracy?: number;
  validLoss?: number;
  validAccuracy?: number;
  /** Local engines: training throughput at this step. */
  tokensPerSecond?: number;
}

export interface JobEvent {
  id: string;
  createdAt: Date;
  level: 'info' | 'warn' | 'error';
  message: string;
  type: 'message' | 'metrics';
  /** Step and losses, for `metrics` events. */
  metrics?: TrainingMetrics & { totalSteps?: number };
}

/** What `events` yields: events in order, and the job's state whenever it changes. */
export type FollowEvent =
  { type: 'event'; event: JobEvent } | { type: 'status'; status: JobStatus };

export interface FollowOptions {
  /** Continue after this event id (the last one seen before an interruption). */
  after?: string;
  /** Stop at the first final state (default true); false yields the events there are and ends. */
  follow?: boolean;
  signal?: AbortSignal;
}

export interface Checkpoint {
  id: string;
  step: number;
  /** The model id of this checkpoint, callable like the final model. */
  model: string;
  createdAt: Date;
  metrics: TrainingMetrics;
}

export interface ListOptions {
  limit?: number;
  signal?: AbortSignal;
}

export interface FineTuneProviderV1 {
  readonly specificationVersion: 'v1';
  /** Stable id, stored in the ledger: `openai`, `azure-openai`, `mlx`, … */
  readonly id: string;
  /** A human name: `OpenAI fine-tuning (api.openai.com)`. */
  readonly displayName: string;
  /** Where the data goes; shown before anything is sent. */
  readonly endpoint: string;
  /** Reads the files and checks them against the provider's limits. Sends nothing. */
  checkData(data: TrainingData, options: { model: string }): Promise<DataCheck>;
  /** Tokens, epochs, cost and time for a run, from a data check. Sends nothing. */
  estimate(check: DataCheck, options: StartOptions): Estimate;
  /** Uploads the files (each at most once) and creates the job (at most once per key). */
  start(data: TrainingData, options: StartOptions): Promise<JobStatus>;
  status(jobId: string, options?: { signal?: AbortSignal }): Promise<JobStatus>;
  /** The job's events, oldest first, then live until the job ends. */
  events(jobId: string, options?: FollowOptions): AsyncIterable<FollowEvent>;
  checkpoints(jobId: string, options?: { signal?: AbortSignal }): Promise<Checkpoint[]>;
  /** The per-step metrics of a finished job (train and validation loss). */
  metrics(jobId: string, options?: { signal?: AbortSignal }): Promise<TrainingMetrics[]>;
  cancel(jobId: string, options?: { signal?: AbortSignal }): Promise<JobStatus>;
  list(options?: ListOptions): Promise<JobStatus[]>;
  /** How to call the model a job produced; undefined until it has succeeded. */
  modelReference(status: JobStatus): ModelReference | undefined;
}
