import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('exports exactly these names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'DEFAULT_LOCAL_MODELS',
      'DEFAULT_OPENAI_MODEL',
      'FINAL_STATES',
      'HF_TRAIN_SCRIPT',
      'IDEMPOTENCY_METADATA_KEY',
      'INSTALL_COMMANDS',
      'LEDGER_FILE',
      'LOCAL_ENGINES',
      'MIN_EXAMPLES',
      'OPENAI_MODELS',
      'ProviderError',
      'axolotlConfig',
      'checkLocalEngine',
      'checkSuffix',
      'createEngineLineParser',
      'createHfLineParser',
      'createLocalProvider',
      'createMlxLineParser',
      'createOpenAIProvider',
      'defaultEpochs',
      'engineExamples',
      'findModel',
      'formatResultMetrics',
      'hashFile',
      'hfConfig',
      'idempotencyKey',
      'layoutTrainingData',
      'mapError',
      'mlxConfig',
      'openLedger',
      'parseResultMetrics',
      'resolveSettings',
      'retryAfterMs',
      'servePlan',
      'sleep',
      'stableJson',
      'stripAnsi',
      'withRetry',
    ]);
  });

  it('exports the emulator from its own entry point', async () => {
    expect(Object.keys(await import('./emulator/index.js')).sort()).toEqual([
      'startOpenAIEmulator',
    ]);
  });
});
