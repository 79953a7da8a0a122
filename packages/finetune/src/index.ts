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
  type JobEvent,
  type JobState,
  type JobStatus,
  type ListOptions,
  type ModelReference,
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
export {
  approximateTokens,
  checkJsonl,
  checkJsonlSync,
  MIN_EXAMPLES,
  type JsonlCheckOptions,
  type JsonlCheckResult,
  type TokenCounter,
} from './jsonl-check.js';
export {
  checkSuffix,
  DEFAULT_OPENAI_MODEL,
  defaultEpochs,
  findModel,
  OPENAI_MODELS,
  type FineTunableModel,
} from './models.js';
export { parseResultMetrics, formatResultMetrics } from './result-metrics.js';
export { hashFile, idempotencyKey, stableJson } from './hash.js';
export { retryAfterMs, sleep, withRetry, type RetryOptions } from './retry.js';
