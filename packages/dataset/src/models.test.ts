import { describe, expect, it } from 'vitest';
import { CostAccumulator, defaultEpochs, FINE_TUNE_MODELS, findModel } from './models.js';

describe('defaultEpochs', () => {
  it.each([
    [5, 20],
    [10, 10],
    [34, 3],
    [9000, 2],
    [30000, 1],
    [0, 0],
  ])('%i examples → %i epochs, as the service chooses', (examples, epochs) => {
    expect(defaultEpochs(examples)).toBe(epochs);
  });
});

describe('findModel', () => {
  it('finds dated ids, base names and fine-tuned models', () => {
    expect(findModel('gpt-4o-mini-2024-07-18')?.contextTokens).toBe(65_536);
    expect(findModel('gpt-4o-mini')?.id).toBe('gpt-4o-mini-2024-07-18');
    expect(findModel('ft:gpt-3.5-turbo-0125:org::abc')?.contextTokens).toBe(16_385);
    expect(findModel('gpt-9')).toBeUndefined();
  });
  it('knows which models take preference pairs (DPO)', () => {
    expect(findModel('gpt-4.1-mini')?.dpo).toBe(true);
    expect(findModel('gpt-3.5-turbo-0125')?.dpo).toBe(false);
  });
  it('records a source for every model', () => {
    for (const model of FINE_TUNE_MODELS) expect(model.source.length).toBeGreaterThan(10);
  });
});

describe('CostAccumulator', () => {
  it('bills every example up to the context limit, times the epochs', () => {
    const cost = new CostAccumulator([
      { id: 'm', contextTokens: 100, trainingUsdPerMillion: 10, dpo: false, source: 'test source' },
    ]);
    cost.add(50);
    cost.add(150);
    expect(cost.estimates(2)).toEqual([
      {
        model: 'm',
        contextTokens: 100,
        examplesOverLimit: 1,
        billedTokensPerEpoch: 150,
        epochs: 2,
        trainedTokens: 300,
        trainingUsdPerMillion: 10,
        usd: 0,
      },
    ]);
  });
});
