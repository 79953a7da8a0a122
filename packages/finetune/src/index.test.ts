import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('exports exactly these names', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toEqual([
      'DEFAULT_OPENAI_MODEL',
      'FINAL_STATES',
      'IDEMPOTENCY_METADATA_KEY',
      'LEDGER_FILE',
      'MIN_EXAMPLES',
      'OPENAI_MODELS',
      'ProviderError',
      'checkSuffix',
      'createOpenAIProvider',
      'defaultEpochs',
      'findModel',
      'formatResultMetrics',
      'hashFile',
      'idempotencyKey',
      'mapError',
      'openLedger',
      'parseResultMetrics',
      'retryAfterMs',
      'sleep',
      'stableJson',
      'withRetry',
    ]);
  });

  it('exports the emulator from its own entry point', async () => {
    expect(Object.keys(await import('./emulator/index.js')).sort()).toEqual([
      'startOpenAIEmulator',
    ]);
  });
});
