import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('exports exactly these names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'DATASET_FILES',
      'DEFAULT_MODEL',
      'DEFAULT_POST_PROMPT',
      'DEFAULT_SYSTEM_PROMPT',
      'DatasetError',
      'DatasetOptionsSchema',
      'FINE_TUNE_MODELS',
      'MANIFEST_SCHEMA_ID',
      'MAX_FILE_BYTES',
      'MIN_TRAINING_EXAMPLES',
      'MODEL_TABLE_DATE',
      'REDACTION_PLACEHOLDERS',
      'REDACTION_TYPES',
      'VALIDATION_ERROR_CODES',
      'assertEnoughExamples',
      'buildDataset',
      'countExampleTokens',
      'countTextTokens',
      'createDatasetBuilder',
      'createRedactor',
      'defaultEpochs',
      'findModel',
      'hashInput',
      'ibanValid',
      'isLinkOnly',
      'looksLikeSecret',
      'luhnValid',
      'resolveDatasetOptions',
      'trivialReplyKey',
      'validateTrainingFile',
      'validateTrainingLines',
      'validationSessions',
      'writeDataset',
    ]);
  });
});
