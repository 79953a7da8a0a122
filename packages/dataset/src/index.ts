export {
  assertEnoughExamples,
  buildDataset,
  createDatasetBuilder,
  resolveDatasetOptions,
  validationSessions,
  type BuiltExample,
  type DatasetBuilder,
  type DatasetSummary,
  type RecordedOptions,
  type Split,
} from './builder.js';
export { DatasetError } from './dataset-error.js';
export type { ChatMessage, DatasetExample } from './examples.js';
export { isLinkOnly, looksLikeSecret, trivialReplyKey } from './filters.js';
export { hashInput, type DatasetInput } from './input-hash.js';
export {
  DEFAULT_MODEL,
  FINE_TUNE_MODELS,
  MODEL_TABLE_DATE,
  defaultEpochs,
  findModel,
  type CostEstimate,
  type FineTuneModel,
} from './models.js';
export {
  DEFAULT_POST_PROMPT,
  DEFAULT_SYSTEM_PROMPT,
  DatasetOptionsSchema,
  type DatasetOptions,
  type ResolvedDatasetOptions,
} from './options.js';
export {
  REDACTION_PLACEHOLDERS,
  REDACTION_TYPES,
  createRedactor,
  ibanValid,
  luhnValid,
  type RedactionCounts,
  type RedactionType,
  type Redactor,
  type RedactorOptions,
} from './redact.js';
export type { Distribution } from './stats.js';
export { countExampleTokens, countTextTokens } from './tokens.js';
export {
  MAX_FILE_BYTES,
  MIN_TRAINING_EXAMPLES,
  VALIDATION_ERROR_CODES,
  validateTrainingFile,
  validateTrainingLines,
  type TrainingFileFormat,
  type TrainingFileProblem,
  type TrainingFileReport,
  type ValidateOptions,
  type ValidationErrorCode,
} from './validate.js';
export {
  DATASET_FILES,
  MANIFEST_SCHEMA_ID,
  writeDataset,
  type DatasetFile,
  type DatasetManifest,
  type WriteDatasetOptions,
} from './write-dataset.js';
