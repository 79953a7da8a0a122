import type { TrainingMetrics } from './provider.js';

const COLUMNS: Record<string, keyof TrainingMetrics> = {
  step: 'step',
  train_loss: 'trainLoss',
  train_accuracy: 'trainAccuracy',
  train_mean_token_accuracy: 'trainAccuracy',
  valid_loss: 'validLoss',
  valid_accuracy: 'validAccuracy',
  valid_mean_token_accuracy: 'validAccuracy',
};

/**
 * Parses the metrics file a finished job leaves behind (CSV with a header: `step, train_loss,
 * train_accuracy, valid_loss, valid_mean_token_accuracy`). Unknown columns are ignored; an empty
 * cell (validation runs only every few steps) leaves the value out.
 */
export function parseResultMetrics(csv: string): TrainingMetrics[] {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header =
    lines
      .shift()
      ?.split(',')
      .map((name) => name.trim().toLowerCase()) ?? [];
  const stepColumn = header.indexOf('step');
  if (stepColumn === -1) return [];
  const rows: TrainingMetrics[] = [];
  for (const line of lines) {
    const cells = line.split(',');
    const step = Number(cells[stepColumn]);
    if (!Number.isFinite(step)) continue;
    const row: TrainingMetrics = { step };
    for (const [index, name] of header.entries()) {
      const key = COLUMNS[name];
      const cell = cells[index]?.trim();
      if (key === undefined || key === 'step' || cell === undefined || cell === '') continue;
      const value = Number(cell);
      if (Number.isFinite(value)) row[key] = value;
    }
    rows.push(row);
  }
  return rows;
}

/** Formats metrics as the CSV the service writes (used by the emulator). */
export function formatResultMetrics(rows: readonly TrainingMetrics[]): string {
  const format = (value: number | undefined) => (value === undefined ? '' : String(value));
  return [
    'step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy',
    ...rows.map((row) =>
      [row.step, row.trainLoss, row.trainAccuracy, row.validLoss, row.validAccuracy]
        .map(format)
        .join(','),
    ),
    '',
  ].join('\n');
}
