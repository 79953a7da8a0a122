import type { EvalReport } from './evaluate.js';
import { stripControls } from '../printable.js';
import { formatMetric, metricRows } from './metrics.js';
import type { StyleProfile } from './style-profile.js';

/** Escapes text for HTML and SVG, element content and attribute values alike. */
export function escapeHtml(text: string): string {
  return stripControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

interface Series {
  label: string;
  /** CSS class giving the colour. */
  css: string;
  profile: StyleProfile;
}

const PALETTE_SIZE = 6;
const CHART_WIDTH = 720;
const LABEL_WIDTH = 150;
const VALUE_WIDTH = 70;
const PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;

function seriesOf(report: EvalReport): Series[] {
  return [
    { label: 'real', css: 's0', profile: report.real },
    ...report.backends.map((score, index) => ({
      label: score.backend,
      css: `s${(index % (PALETTE_SIZE - 1)) + 1}`,
      profile: score.profile,
    })),
  ];
}

/** Rounds a maximum up to 1, 2 or 5 × a power of ten, so that axis ticks are round numbers. */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

function fixed(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}

function svg(height: number, label: string, body: string): string {
  return (
    `<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${fixed(height)}" role="img" ` +
    `aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`
  );
}

function axis(top: number, bottom: number, max: number, format: (value: number) => string): string {
  const parts: string[] = [];
  for (let i = 0; i <= 4; i += 1) {
    const value = (max * i) / 4;
    const x = LABEL_WIDTH + (PLOT_WIDTH * i) / 4;
    parts.push(
      `<line class="grid" x1="${fixed(x)}" x2="${fixed(x)}" y1="${fixed(top)}" y2="${fixed(bottom)}"/>`,
      `<text class="tick" x="${fixed(x)}" y="${fixed(bottom + 14)}" text-anchor="middle">${escapeHtml(format(value))}</text>`,
    );
  }
  return parts.join('');
}

function rowLabel(y: number, text: string, css = 'label'): string {
  const shown = Array.from(text);
  const cut = shown.length > 22 ? `${shown.slice(0, 21).join('')}…` : text;
  return `<text class="${css}" x="${LABEL_WIDTH - 10}" y="${fixed(y)}" text-anchor="end" dominant-baseline="middle">${escapeHtml(cut)}</text>`;
}

/** Reply lengths: per series a bar to the median, a dot at the mean and a whisker to the p90. */
function lengthChart(series: readonly Series[]): string {
  const rowHeight = 30;
  const top = 10;
  const bottom = top + rowHeight * series.length;
  const max = niceMax(
    Math.max(...series.map((s) => Math.max(s.profile.length.p90, s.profile.length.mean))),
  );
  const x = (value: number): number => LABEL_WIDTH + (PLOT_WIDTH * Math.max(0, value)) / max;
  const rows = series.map((s, index) => {
    const y = top + rowHeight * index + rowHeight / 2;
    const { mean, median, p90 } = s.profile.length;
    return [
      rowLabel(y, s.label),
      `<line class="whisker ${s.css}" x1="${fixed(x(median))}" x2="${fixed(x(p90))}" y1="${fixed(y)}" y2="${fixed(y)}"/>`,
      `<line class="whisker ${s.css}" x1="${fixed(x(p90))}" x2="${fixed(x(p90))}" y1="${fixed(y - 7)}" y2="${fixed(y + 7)}"/>`,
      `<rect class="bar ${s.css}" x="${fixed(x(0))}" y="${fixed(y - 6)}" width="${fixed(x(median) - x(0))}" height="12" rx="3"/>`,
      `<circle class="dot ${s.css}" cx="${fixed(x(mean))}" cy="${fixed(y)}" r="5"/>`,
      `<text class="value" x="${CHART_WIDTH - VALUE_WIDTH + 8}" y="${fixed(y)}" dominant-baseline="middle">${escapeHtml(`${Math.round(median)} / ${Math.round(p90)}`)}</text>`,
    ].join('');
  });
  return svg(
    bottom + 24,
    'Reply length: median, mean and 90th percentile per source',
    axis(top, bottom, max, (value) => String(Math.round(value))) + rows.join(''),
  );
}

interface BarGroup {
  label: string;
  bars: Array<{ label: string; css: string; value: number; text: string }>;
}

/** Grouped horizontal bars on a 0…max scale, one group per metric. */
function barChart(
  groups: readonly BarGroup[],
  max: number,
  label: string,
  format: (value: number) => string,
): string {
  const barHeight = 12;
  const gap = 4;
  const groupGap = 16;
  const top = 10;
  let y = top;
  const parts: string[] = [];
  for (const group of groups) {
    const height = group.bars.length * (barHeight + gap) - gap;
    parts.push(rowLabel(y + height / 2, group.label));
    for (const bar of group.bars) {
      const value = Number.isFinite(bar.value) ? Math.min(Math.max(bar.value, 0), max) : 0;
      const width = (PLOT_WIDTH * value) / max;
      parts.push(
        `<rect class="bar ${bar.css}" x="${LABEL_WIDTH}" y="${fixed(y)}" width="${fixed(width)}" height="${barHeight}" rx="2"><title>${escapeHtml(`${bar.label}: ${bar.text}`)}</title></rect>`,
        `<text class="value" x="${fixed(LABEL_WIDTH + width + 6)}" y="${fixed(y + barHeight / 2)}" dominant-baseline="middle">${escapeHtml(bar.text)}</text>`,
      );
      y += barHeight + gap;
    }
    y += groupGap - gap;
  }
  const bottom = y - groupGap + gap + 4;
  return svg(bottom + 24, label, axis(top - 4, bottom, max, format) + parts.join(''));
}

const percent = (value: number): string => formatMetric(value, 'percent');

function sharesChart(series: readonly Series[]): string {
  const metrics: Array<[string, (p: StyleProfile) => number]> = [
    ['emoji', (p) => p.emoji.share],
    ['final period', (p) => p.punctuation.finalPeriod],
    ['exclamation', (p) => p.punctuation.exclamation],
    ['question', (p) => p.punctuation.question],
    ['ellipsis', (p) => p.punctuation.ellipsis],
    ['lowercase start', (p) => p.casing.lowercaseStart],
    ['all lowercase', (p) => p.casing.allLowercase],
    ['all caps', (p) => p.casing.allCaps],
  ];
  const groups = metrics.map(([label, value]) => ({
    label,
    bars: series.map((s) => ({
      label: s.label,
      css: s.css,
      value: value(s.profile),
      text: percent(value(s.profile)),
    })),
  }));
  return barChart(groups, 1, 'Share of replies with emoji, punctuation and casing', percent);
}

function scoresChart(report: EvalReport, series: readonly Series[]): string {
  const backends = report.backends.map((score, index) => ({ score, css: series[index + 1]!.css }));
  const groups: BarGroup[] = [
    {
      label: 'chrF',
      bars: backends.map(({ score, css }) => ({
        label: score.backend,
        css,
        value: score.chrF,
        text: formatMetric(score.chrF, 'score'),
      })),
    },
    {
      label: 'vocabulary overlap',
      bars: backends.map(({ score, css }) => ({
        label: score.backend,
        css,
        value: score.vocabularyOverlap * 100,
        text: formatMetric(score.vocabularyOverlap, 'percent'),
      })),
    },
  ];
  return barChart(groups, 100, 'chrF and vocabulary overlap per backend (0–100)', (value) =>
    String(Math.round(value)),
  );
}

function legend(series: readonly Series[]): string {
  const items = series.map(
    (s) => `<li><span class="swatch ${s.css}"></span>${escapeHtml(s.label)}</li>`,
  );
  return `<ul class="legend">${items.join('')}</ul>`;
}

function metricsTable(report: EvalReport): string {
  const head = ['', 'real', ...report.backends.map((score) => score.backend)]
    .map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`)
    .join('');
  const rows = metricRows(report).map((row) => {
    const cells = [row.real, ...row.backends]
      .map((value) => `<td>${escapeHtml(formatMetric(value, row.kind))}</td>`)
      .join('');
    return `<tr><th scope="row">${escapeHtml(row.label)}</th>${cells}</tr>`;
  });
  return `<table class="metrics"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function bubbles(text: string, css = ''): string {
  const error = /^\(error: [\s\S]*\)$/.test(text);
  if (error) return `<span class="error">${escapeHtml(text)}</span>`;
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return '<span class="empty">(empty)</span>';
  return lines.map((line) => `<span class="bubble ${css}">${escapeHtml(line)}</span>`).join('');
}

function samplesTable(report: EvalReport): string {
  if (report.samples.length === 0) return '<p class="muted">No samples.</p>';
  const head = ['them', 'real', ...report.backends.map((score) => score.backend)]
    .map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`)
    .join('');
  const rows = report.samples.map((sample) => {
    const replies = report.backends
      .map((score) => `<td>${bubbles(sample.replies[score.backend] ?? '')}</td>`)
      .join('');
    return (
      `<tr><td class="them">${bubbles(sample.context, 'in')}</td>` +
      `<td>${bubbles(sample.real, 'real')}</td>${replies}</tr>`
    );
  });
  return `<div class="scroll"><table class="samples"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f7f7f5;--card:#fff;--fg:#1c1c1e;--muted:#6c6c72;--line:#e2e2e6;--bubble:#ececef;
--s0:#57575e;--s1:#2f6fde;--s2:#d9822b;--s3:#1f9d74;--s4:#c2417a;--s5:#7b57d1;--error:#c0392b}
@media (prefers-color-scheme:dark){:root{--bg:#111113;--card:#1b1b1f;--fg:#ececf0;--muted:#9d9da6;--line:#2d2d33;--bubble:#2a2a30;
--s0:#b4b4bc;--s1:#6ea1ff;--s2:#f3a654;--s3:#4fd1a1;--s4:#f27bb0;--s5:#a98bff;--error:#ff7b6b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1080px;margin:0 auto;padding:32px 20px 64px}
header h1{margin:0 0 4px;font-size:26px;letter-spacing:-.01em}
.muted,header p{color:var(--muted);margin:0}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px 22px;margin-top:20px}
h2{font-size:16px;margin:0 0 4px}
section>p{margin:0 0 12px;color:var(--muted);font-size:13px}
.chart{width:100%;height:auto;display:block;font-family:inherit}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .tick,.chart .value{fill:var(--muted);font-size:11px}
.chart .label{fill:var(--fg);font-size:12px}
.chart .whisker{stroke-width:2}
.chart .dot{stroke:var(--card);stroke-width:2}
.bar.s0,.dot.s0,.swatch.s0{fill:var(--s0);background:var(--s0)}.whisker.s0{stroke:var(--s0)}
.bar.s1,.dot.s1,.swatch.s1{fill:var(--s1);background:var(--s1)}.whisker.s1{stroke:var(--s1)}
.bar.s2,.dot.s2,.swatch.s2{fill:var(--s2);background:var(--s2)}.whisker.s2{stroke:var(--s2)}
.bar.s3,.dot.s3,.swatch.s3{fill:var(--s3);background:var(--s3)}.whisker.s3{stroke:var(--s3)}
.bar.s4,.dot.s4,.swatch.s4{fill:var(--s4);background:var(--s4)}.whisker.s4{stroke:var(--s4)}
.bar.s5,.dot.s5,.swatch.s5{fill:var(--s5);background:var(--s5)}.whisker.s5{stroke:var(--s5)}
rect.bar{fill-opacity:.85}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:6px 18px;padding:0;margin:0 0 10px;font-size:13px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:6px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{color:var(--muted);font-weight:600}
.metrics td,.metrics thead th{text-align:right;font-variant-numeric:tabular-nums}
.metrics th[scope=row]{font-weight:500}
.scroll{overflow-x:auto}
.samples td{min-width:160px}
.bubble{display:table;max-width:320px;background:var(--bubble);border-radius:14px;padding:4px 10px;margin:0 0 3px;white-space:pre-wrap;overflow-wrap:anywhere}
.bubble.in{background:transparent;border:1px solid var(--line)}
.bubble.real{outline:1px solid var(--s0)}
.error{color:var(--error);font-style:italic}
.empty{color:var(--muted);font-style:italic}
`;

/**
 * The report as one self-contained HTML page: inline CSS and SVG only (a Content-Security-Policy
 * forbids scripts and remote content), light and dark colours, every text escaped.
 */
export function renderEvalReport(report: EvalReport): string {
  const series = seriesOf(report);
  const cases = `${report.cases} ${report.cases === 1 ? 'case' : 'cases'}`;
  const backends = report.backends
    .map((score) => (score.model ? `${score.backend} (${score.model})` : score.backend))
    .join(', ');
  const title = `alterego eval: ${report.persona}`;
  const scores =
    report.backends.length > 0 ? scoresChart(report, series) : '<p class="muted">No backends.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(report.persona)}</h1>
<p>${escapeHtml(cases)}${backends ? ` · ${escapeHtml(backends)}` : ''}</p>
</header>
<section>
<h2>Reply length</h2>
<p>Characters per reply: the bar runs to the median, the dot marks the mean, the whisker ends at the 90th percentile (median / p90 on the right).</p>
${legend(series)}
${lengthChart(series)}
</section>
<section>
<h2>Emoji, punctuation and casing</h2>
<p>Share of replies with each trait; the closer a backend is to real, the more it sounds like the person.</p>
${legend(series)}
${sharesChart(series)}
</section>
<section>
<h2>Overlap with the real replies</h2>
<p>chrF: character n-gram F-score against what was really said (0–100). Vocabulary overlap: shared words over all words used.</p>
${scores}
</section>
<section>
<h2>All numbers</h2>
${metricsTable(report)}
</section>
<section>
<h2>Samples</h2>
${samplesTable(report)}
</section>
</main>
</body>
</html>
`;
}
