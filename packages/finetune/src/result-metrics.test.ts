import { describe, expect, it } from 'vitest';
import { formatResultMetrics, parseResultMetrics } from './result-metrics.js';

describe('parseResultMetrics', () => {
  it('reads the columns the service writes, leaving empty cells out', () => {
    const csv = [
      'step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy',
      '1,2.5,0.4,,',
      '2,2.1,0.45,2.3,0.41',
      '',
    ].join('\n');
    expect(parseResultMetrics(csv)).toEqual([
      { step: 1, trainLoss: 2.5, trainAccuracy: 0.4 },
      { step: 2, trainLoss: 2.1, trainAccuracy: 0.45, validLoss: 2.3, validAccuracy: 0.41 },
    ]);
  });

  it('ignores unknown columns, rows without a step and CRLF line ends', () => {
    const csv = 'Step,train_loss,full_valid_loss\r\n3,1.5,9\r\nx,1,2\r\n';
    expect(parseResultMetrics(csv)).toEqual([{ step: 3, trainLoss: 1.5 }]);
    expect(parseResultMetrics('loss\n1')).toEqual([]);
    expect(parseResultMetrics('')).toEqual([]);
  });

  it('round-trips what formatResultMetrics writes', () => {
    const rows = [
      { step: 1, trainLoss: 2, trainAccuracy: 0.5 },
      { step: 2, trainLoss: 1.5, trainAccuracy: 0.6, validLoss: 1.7, validAccuracy: 0.55 },
    ];
    expect(parseResultMetrics(formatResultMetrics(rows))).toEqual(rows);
  });
});
