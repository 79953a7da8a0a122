import type { BackendScore, EvalReport } from './evaluate.js';
import type { StyleProfile } from './style-profile.js';

/** How a number of the report is shown. */
export type MetricKind = 'score' | 'percent' | 'chars' | 'number' | 'count' | 'ms';

/** One row of the comparison: a profile value (real and backends) or a score (backends only). */
export interface MetricRow {
  label: string;
  kind: MetricKind;
  /** The real replies' value; undefined for scores that compare with them. */
  real: number | undefined;
  /** One value per backend, in report order. */
  backends: number[];
}

type ProfileValue = (profile: StyleProfile) => number;
type ScoreValue = (score: BackendScore) => number;

const PROFILE_ROWS: Array<[string, MetricKind, ProfileValue]> = [
  ['length mean', 'chars', (p) => p.length.mean],
  ['length median', 'chars', (p) => p.length.median],
  ['length p90', 'chars', (p) => p.length.p90],
  ['bubbles per reply', 'number', (p) => p.bubbles.mean],
  ['emoji share', 'percent', (p) => p.emoji.share],
  ['emoji per reply', 'number', (p) => p.emoji.perReply],
  ['final period', 'percent', (p) => p.punctuation.finalPeriod],
  ['exclamation', 'percent', (p) => p.punctuation.exclamation],
  ['question', 'percent', (p) => p.punctuation.question],
  ['ellipsis', 'percent', (p) => p.punctuation.ellipsis],
  ['lowercase start', 'percent', (p) => p.casing.lowercaseStart],
  ['all lowercase', 'percent', (p) => p.casing.allLowercase],
  ['all caps', 'percent', (p) => p.casing.allCaps],
  ['vocabulary', 'count', (p) => p.vocabulary],
];

const SCORE_ROWS: Array<[string, MetricKind, ScoreValue]> = [
  ['chrF', 'score', (s) => s.chrF],
  ['length distance', 'chars', (s) => s.lengthDistance],
  ['emoji Δ', 'percent', (s) => s.emojiDelta],
  ['punctuation Δ', 'percent', (s) => s.punctuationDelta],
  ['casing Δ', 'percent', (s) => s.casingDelta],
  ['vocabulary overlap', 'percent', (s) => s.vocabularyOverlap],
  ['errors', 'count', (s) => s.errors],
  ['latency', 'ms', (s) => s.meanLatencyMs],
];

/** The rows of the comparison table: scores first, then the style profile. */
export function metricRows(report: EvalReport): MetricRow[] {
  return [
    ...SCORE_ROWS.map(([label, kind, value]) => ({
      label,
      kind,
      real: undefined,
      backends: report.backends.map(value),
    })),
    ...PROFILE_ROWS.map(([label, kind, value]) => ({
      label,
      kind,
      real: value(report.real),
      backends: report.backends.map((score) => value(score.profile)),
    })),
  ];
}

/** A number as the report shows it; "–" when there is none (NaN, undefined). */
export function formatMetric(value: number | undefined, kind: MetricKind): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  switch (kind) {
    case 'score':
      return value.toFixed(1);
    case 'percent':
      return `${(value * 100).toFixed(0)}%`;
    case 'chars':
      return value.toFixed(1);
    case 'number':
      return value.toFixed(2);
    case 'count':
      return String(Math.round(value));
    case 'ms':
      return `${Math.round(value)} ms`;
  }
}
