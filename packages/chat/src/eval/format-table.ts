import type { EvalReport } from './evaluate.js';
import { stripControls } from '../printable.js';
import { formatMetric, metricRows } from './metrics.js';
import { replyLength } from './style-profile.js';

const SAMPLES_SHOWN = 3;
const SAMPLE_WIDTH = 72;

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - replyLength(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - replyLength(text))) + text;
}

/** A reply on one line: bubbles joined with " / ", controls removed, cut to `width` characters. */
export function oneLine(text: string, width: number = SAMPLE_WIDTH): string {
  const flat = stripControls(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' / ')
    .replace(/\s+/g, ' ');
  const chars = Array.from(flat);
  return chars.length <= width ? flat : `${chars.slice(0, width - 1).join('')}…`;
}

/**
 * The report for a terminal: a header line, then one row per metric with one column for the real
 * replies and one per backend, right-aligned; then the first few samples. Reply text is put on one
 * line and stripped of terminal control characters.
 */
export function formatEvalTable(report: EvalReport): string {
  const headers = ['', 'real', ...report.backends.map((score) => oneLine(score.backend, 24))];
  const rows = metricRows(report).map((row) => [
    row.label,
    formatMetric(row.real, row.kind),
    ...row.backends.map((value) => formatMetric(value, row.kind)),
  ]);
  const widths = headers.map((header, column) =>
    Math.max(replyLength(header), ...rows.map((row) => replyLength(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? padEnd(cell, widths[0]!) : padStart(cell, widths[column]!),
      )
      .join('  ')
      .trimEnd();

  const models = report.backends
    .filter((score) => score.model !== undefined)
    .map((score) => `${oneLine(score.backend, 24)}: ${oneLine(score.model ?? '', 48)}`);
  const out = [
    `${oneLine(report.persona, 48)}: ${report.cases} ${report.cases === 1 ? 'case' : 'cases'}` +
      (models.length > 0 ? ` (${models.join(', ')})` : ''),
    '',
    line(headers),
    ...rows.map(line),
  ];

  const samples = report.samples.slice(0, SAMPLES_SHOWN);
  if (samples.length > 0) {
    const labels = ['them', 'real', ...report.backends.map((score) => score.backend)].map((label) =>
      oneLine(label, 24),
    );
    const labelWidth = Math.max(...labels.map(replyLength));
    out.push('', 'Samples');
    for (const sample of samples) {
      out.push('');
      const texts = [
        sample.context,
        sample.real,
        ...report.backends.map((score) => sample.replies[score.backend] ?? ''),
      ];
      texts.forEach((text, index) => {
        out.push(`  ${padEnd(labels[index]!, labelWidth)}  ${oneLine(text)}`.trimEnd());
      });
    }
  }
  return `${out.join('\n')}\n`;
}
