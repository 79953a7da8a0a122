export {
  FINAL_STATES,
  type Checkpoint,
  type DataCheck,
  type DataFileSummary,
  type DataIssue,
  type Estimate,
  type FineTuneProviderV1,
  type FollowEvent,
  type FollowOptions,
  type Hyperparameters,
  type JobArtifacts,
  type JobEvent,
  type JobState,
  type JobStatus,
  type ListOptions,
  type ModelReference,
  type ServeInstructions,
  type StartOptions,
  type TrainingData,
  type TrainingMetrics,
} from './provider.js';
export {
  ProviderError,
  type ProviderErrorKind,
  type ProviderErrorOptions,
} from './provider-error.js';
export {
  createOpenAIProvider,
  IDEMPOTENCY_METADATA_KEY,
  mapError,
  type OpenAIFineTuneProvider,
  type OpenAIProviderOptions,
} from './openai-provider.js';
export {
  LEDGER_FILE,
  openLedger,
  type JobLedger,
  type JobRecord,
  type UploadRecord,
} from './ledger.js';
export { checkSuffix } from './models.js';
/** The model table, epoch rule and example minimum are @alterego/dataset's, under their old names here. */
export {
  DEFAULT_MODEL as DEFAULT_OPENAI_MODEL,
  FINE_TUNE_MODELS as OPENAI_MODELS,
  MIN_TRAINING_EXAMPLES as MIN_EXAMPLES,
  defaultEpochs,
  findModel,
  type FineTuneModel as FineTunableModel,
} from '@alterego/dataset';
export { parseResultMetrics, formatResultMetrics } from './result-metrics.js';
export { hashFile, idempotencyKey, stableJson } from './hash.js';
export { retryAfterMs, sleep, withRetry, type RetryOptions } from './retry.js';
export {
  createLocalProvider,
  type LocalFineTuneProvider,
  type LocalProviderOptions,
} from './local-provider.js';
export {
  engineExamples,
  layoutTrainingData,
  LOCAL_ENGINES,
  type EngineMessage,
  type LaidOutData,
  type LaidOutFile,
  type LocalEngine,
} from './local-data.js';
export {
  axolotlConfig,
  checkLocalEngine,
  DEFAULT_LOCAL_MODELS,
  HF_TRAIN_SCRIPT,
  hfConfig,
  INSTALL_COMMANDS,
  mlxConfig,
  resolveSettings,
  servePlan,
  type EngineCheck,
  type EngineCheckOptions,
  type LocalRunSettings,
  type RunPaths,
  type RunShape,
  type ServePlan,
} from './local-engines.js';
export {
  createEngineLineParser,
  createHfLineParser,
  createMlxLineParser,
  stripAnsi,
  type EngineLine,
  type EngineLineParser,
} from './local-progress.js';
