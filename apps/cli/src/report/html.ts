import type { DatasetSection, ReportData } from './data.js';

/** Text for HTML content and attribute values: every markup character escaped. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const esc = escapeHtml;
const num = (value: number) => value.toLocaleString('en-US');
const pct = (value: number) => `${Math.round(value * 100)}%`;

/** A colour per platform, distinct from each other in light and dark mode. */
const PLATFORM_COLOURS: Record<string, string> = {
  whatsapp: '#22a35a',
  messenger: '#b645d8',
  instagram: '#ec4b78',
  imessage: '#2f7cf6',
  twitter: '#7c8a9e',
  telegram: '#17a9c9',
  discord: '#6a5cf0',
  slack: '#e0a21b',
  signal: '#3a76f0',
};
const FALLBACK_COLOURS = ['#e07b39', '#8a6d3b', '#4d9f8f', '#c0567f'];

function colourOf(platform: string, index: number): string {
  return PLATFORM_COLOURS[platform] ?? FALLBACK_COLOURS[index % FALLBACK_COLOURS.length]!;
}

const PLATFORM_NAMES: Record<string, string> = {
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
  imessage: 'iMessage',
  twitter: 'X / Twitter',
  telegram: 'Telegram',
  discord: 'Discord',
  slack: 'Slack',
  signal: 'Signal',
};
const platformName = (platform: string) => PLATFORM_NAMES[platform] ?? platform;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A round axis maximum at or above `value`: 1, 2, 2.5, 5 × 10ⁿ. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function compact(value: number): string {
  if (value >= 1_000_000) return `${+(value / 1_000_000).toFixed(1)}M`;
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${+(value / 1000).toFixed(1)}k`;
  return String(value);
}

function monthLabel(month: string): { short: string; year: string } {
  const [year, index] = month.split('-');
  return { short: MONTHS[Number(index) - 1] ?? month, year: year ?? '' };
}

/** Messages per month, one stacked bar per month, a layer per platform. */
function monthlyChart(activity: NonNullable<ReportData['activity']>): string {
  const { months, platforms } = activity;
  const width = 960;
  const height = 280;
  const left = 48;
  const right = 12;
  const top = 12;
  const bottom = 44;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const totals = months.map((month) =>
    Object.values(month.counts).reduce((sum, value) => sum + value, 0),
  );
  const max = niceMax(Math.max(1, ...totals));
  const slot = plotWidth / Math.max(1, months.length);
  const barWidth = Math.max(2, Math.min(48, slot * 0.72));
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const parts: string[] = [];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (max / 4) * tick;
    const ty = y(value);
    parts.push(
      `<line class="grid" x1="${left}" x2="${width - right}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}"/>`,
      `<text class="axis" x="${left - 8}" y="${(ty + 4).toFixed(1)}" text-anchor="end">${compact(value)}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(months.length / 14));
  months.forEach((month, index) => {
    const x = left + slot * index + (slot - barWidth) / 2;
    let base = 0;
    platforms.forEach((platform, layer) => {
      const value = month.counts[platform] ?? 0;
      if (value === 0) return;
      const y0 = y(base);
      const y1 = y(base + value);
      base += value;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${colourOf(platform, layer)}"><title>${esc(`${month.month} · ${platformName(platform)}: ${num(value)} messages`)}</title></rect>`,
      );
    });
    const { short, year } = monthLabel(month.month);
    const cx = (x + barWidth / 2).toFixed(1);
    if (index % every === 0) {
      parts.push(
        `<text class="axis" x="${cx}" y="${height - bottom + 16}" text-anchor="middle">${esc(short)}</text>`,
      );
    }
    if (index === 0 || short === 'Jan') {
      parts.push(
        `<text class="axis strong" x="${cx}" y="${height - bottom + 32}" text-anchor="middle">${esc(year)}</text>`,
      );
    }
  });
  parts.push(
    `<line class="baseline" x1="${left}" x2="${width - right}" y1="${y(0)}" y2="${y(0)}"/>`,
  );
  const legend = platforms
    .map(
      (platform, index) =>
        `<span class="key"><i style="background:${colourOf(platform, index)}"></i>${esc(platformName(platform))}</span>`,
    )
    .join('');
  return `<svg class="chart" id="chart-months" viewBox="0 0 ${width} ${height}" role="img" aria-label="Messages per month, stacked by platform">${parts.join('')}</svg>
<div class="legend">${legend}</div>`;
}

/** How long the person's messages are: a histogram of characters. */
function lengthChart(activity: NonNullable<ReportData['activity']>): string {
  const buckets = activity.replyLengths;
  const width = 460;
  const height = 240;
  const left = 44;
  const bottom = 40;
  const top = 14;
  const plotWidth = width - left - 8;
  const plotHeight = height - top - bottom;
  const max = niceMax(Math.max(1, ...buckets.map((bucket) => bucket.count)));
  const slot = plotWidth / buckets.length;
  const barWidth = slot * 0.78;
  const parts: string[] = [];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (max / 4) * tick;
    const ty = top + plotHeight - (value / max) * plotHeight;
    parts.push(
      `<line class="grid" x1="${left}" x2="${width - 8}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}"/>`,
      `<text class="axis" x="${left - 8}" y="${(ty + 4).toFixed(1)}" text-anchor="end">${compact(value)}</text>`,
    );
  }
  buckets.forEach((bucket, index) => {
    const h = (bucket.count / max) * plotHeight;
    const x = left + slot * index + (slot - barWidth) / 2;
    const containsMedian =
      activity.medianReplyChars >= bucket.min &&
      (bucket.max === null || activity.medianReplyChars <= bucket.max) &&
      bucket.count > 0;
    parts.push(
      `<rect class="${containsMedian ? 'bar accent' : 'bar'}" x="${x.toFixed(1)}" y="${(top + plotHeight - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${Math.max(bucket.count > 0 ? 1 : 0, h).toFixed(1)}" rx="3"><title>${esc(`${bucket.label} characters: ${num(bucket.count)} messages`)}</title></rect>`,
      `<text class="axis" x="${(x + barWidth / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${esc(bucket.label)}</text>`,
    );
  });
  parts.push(
    `<text class="axis" x="${left + plotWidth / 2}" y="${height - 6}" text-anchor="middle">characters per message</text>`,
  );
  return `<svg class="chart" id="chart-lengths" viewBox="0 0 ${width} ${height}" role="img" aria-label="Length of your messages">${parts.join('')}</svg>`;
}

/** Weekday × hour heatmap. */
function heatmap(activity: NonNullable<ReportData['activity']>): string {
  const cell = 17;
  const gap = 3;
  const left = 36;
  const top = 6;
  const width = left + 24 * (cell + gap);
  const height = top + 7 * (cell + gap) + 22;
  const max = Math.max(1, ...activity.hours.flat());
  const parts: string[] = [];
  activity.hours.forEach((row, day) => {
    const y = top + day * (cell + gap);
    parts.push(
      `<text class="axis" x="${left - 8}" y="${y + cell - 4}" text-anchor="end">${WEEKDAYS[day]}</text>`,
    );
    row.forEach((value, hour) => {
      const x = left + hour * (cell + gap);
      const level = value === 0 ? 0 : 0.15 + 0.85 * Math.sqrt(value / max);
      parts.push(
        `<rect class="${value === 0 ? 'cell empty' : 'cell'}" x="${x}" y="${y}" width="${cell}" height="${cell}" rx="3"${value === 0 ? '' : ` fill-opacity="${level.toFixed(2)}"`}><title>${esc(`${WEEKDAYS[day]} ${String(hour).padStart(2, '0')}:00–${String(hour).padStart(2, '0')}:59: ${num(value)} messages`)}</title></rect>`,
      );
    });
  });
  for (let hour = 0; hour < 24; hour += 3) {
    parts.push(
      `<text class="axis" x="${left + hour * (cell + gap) + cell / 2}" y="${height - 6}" text-anchor="middle">${String(hour).padStart(2, '0')}</text>`,
    );
  }
  return `<svg class="chart" id="chart-hours" viewBox="0 0 ${width} ${height}" role="img" aria-label="Messages by weekday and hour">${parts.join('')}</svg>`;
}

function topChats(data: ReportData): string {
  const max = Math.max(1, ...data.topChats.map((chat) => chat.messages));
  const rows = data.topChats.map((chat, index) => {
    const mine = (chat.mine / max) * 100;
    const theirs = ((chat.messages - chat.mine) / max) * 100;
    const colour = colourOf(chat.platform, index);
    return `<li>
  <span class="chat-name" title="${esc(chat.title)}"><i class="dot" style="background:${colour}"></i>${esc(chat.title)}</span>
  <span class="chat-meta">${esc(platformName(chat.platform))}${chat.kind === 'group' ? ' · group' : chat.kind === 'posts' ? ' · posts' : ''}</span>
  <span class="chat-bar" title="${esc(`${num(chat.mine)} of ${num(chat.messages)} messages are yours`)}"><b class="mine" style="width:${mine.toFixed(2)}%"></b><b class="theirs" style="width:${theirs.toFixed(2)}%"></b></span>
  <span class="chat-count">${num(chat.messages)}<small>${pct(chat.myShare)} yours</small></span>
</li>`;
  });
  return `<ol class="chats" id="top-chats">${rows.join('\n')}</ol>
<div class="legend"><span class="key"><i class="mine"></i>yours</span><span class="key"><i class="theirs"></i>theirs</span></div>`;
}

function card(label: string, value: string, note = ''): string {
  return `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div>${note ? `<div class="note">${esc(note)}</div>` : ''}</div>`;
}

function barList(items: { label: string; value: number; note?: string }[], id: string): string {
  const max = Math.max(1, ...items.map((item) => item.value));
  return `<ul class="bars" id="${id}">${items
    .map(
      (item) =>
        `<li class="${item.value === 0 ? 'zero' : ''}"><span class="bar-label">${esc(item.label)}${item.note ? `<small>${esc(item.note)}</small>` : ''}</span><span class="bar-track"><b style="width:${((item.value / max) * 100).toFixed(2)}%"></b></span><span class="bar-value">${num(item.value)}</span></li>`,
    )
    .join('')}</ul>`;
}

const SKIP_LABELS: Record<string, string> = {
  group: 'group chats (use --groups)',
  posts: 'posts (tweets)',
  'not-selected': 'not selected (--chat, --platform, --with)',
  excluded: 'excluded (--exclude-chat, --without)',
  'no-self': 'nothing marked as yours (--me)',
  'no-examples': 'nothing to train on',
};

const REDACTION_LABELS: Record<string, string> = {
  phone: 'phone numbers',
  email: 'e-mail addresses',
  card: 'card numbers',
  iban: 'bank accounts (IBAN)',
  ip: 'IP addresses',
  word: 'names and words you listed',
};

function datasetSection(dataset: DatasetSection): string {
  const { messages, replies, conversations, tokens, cost, examples } = dataset;
  const filtered = [
    { label: 'duplicates', value: messages.duplicates, note: 'seen in an earlier export' },
    { label: 'codes and passwords', value: messages.secrets, note: 'dropped as secrets' },
    { label: 'only a link', value: messages.linkOnly },
    { label: 'replies too short', value: replies.tooShort },
    { label: 'replies too long', value: replies.tooLongText },
    { label: 'repeated replies', value: replies.repeated, note: '“ok”, “lol”… down-sampled' },
    { label: 'longer than the token budget', value: replies.tooLongTokens },
  ];
  const skipped = Object.entries(conversations.skipped).map(([reason, value]) => ({
    label: SKIP_LABELS[reason] ?? reason,
    value,
  }));
  const redacted = Object.entries(dataset.redaction);
  const redactedTotal = redacted.reduce((sum, [, value]) => sum + value, 0);
  const selected = cost.estimates.find((estimate) => estimate.model === cost.model);
  const costRows = [...cost.estimates]
    .sort((a, b) => a.usd - b.usd)
    .map(
      (estimate) =>
        `<tr class="${estimate.model === cost.model ? 'selected' : ''}"><td>${esc(estimate.model)}</td><td class="n">${num(estimate.epochs)}</td><td class="n">${num(estimate.trainedTokens)}</td><td class="n">$${estimate.trainingUsdPerMillion.toFixed(2)}</td><td class="n strong">$${estimate.usd.toFixed(2)}</td></tr>`,
    )
    .join('');
  const funnel = [
    { label: 'messages read', value: messages.read },
    { label: 'text messages in the chats used', value: messages.text },
    { label: 'kept in conversations', value: messages.used },
    { label: 'your replies trained on', value: replies.trained },
  ];
  return `<section class="panel wide" id="dataset">
  <h2>Training data <small>${esc(dataset.path)}</small></h2>
  <div class="cards">
    ${card('Training examples', num(examples.train), `${num(examples.valid)} for validation`)}
    ${card('Tokens in training', num(tokens.train.total), `median ${num(tokens.train.median)} per example, p90 ${num(tokens.train.p90)}`)}
    ${card('Chats used', `${num(conversations.used)} of ${num(conversations.read)}`)}
    ${selected ? card('Estimated cost', `$${selected.usd.toFixed(2)}`, `${selected.model}, ${selected.epochs} epochs`) : ''}
  </div>
  <div class="grid two">
    <div><h3>From messages to examples</h3>${barList(funnel, 'dataset-funnel')}</div>
    <div><h3>Filtered out</h3>${barList(filtered, 'dataset-filtered')}</div>
    <div><h3>Chats left out</h3>${barList(skipped, 'dataset-skipped')}</div>
    <div><h3>Redacted <small>${num(redactedTotal)} in all</small></h3>
      <ul class="chips" id="dataset-redacted">${redacted
        .map(
          ([type, value]) =>
            `<li class="${value === 0 ? 'zero' : ''}"><b>${num(value)}</b> ${esc(REDACTION_LABELS[type] ?? type)}</li>`,
        )
        .join('')}</ul>
      ${dataset.warnings.length > 0 ? `<ul class="warnings">${dataset.warnings.map((warning) => `<li>${esc(warning)}</li>`).join('')}</ul>` : ''}
    </div>
  </div>
  <h3>What training would cost</h3>
  <table class="cost" id="dataset-cost"><thead><tr><th>model</th><th class="n">epochs</th><th class="n">trained tokens</th><th class="n">per 1M</th><th class="n">cost</th></tr></thead><tbody>${costRows}</tbody></table>
  <p class="fine">Estimates from the public price table; the service may round differently. The system prompt of every example: “${esc(dataset.systemPrompt)}”</p>
</section>`;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--panel:#fff;--text:#1b1f24;--muted:#667085;--line:#e4e7ec;--grid:#eef0f3;--accent:#ff6a3d;--accent-soft:#ffd9cc;--theirs:#cfd5de;--empty:#eef0f3}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--panel:#171a21;--text:#e8eaee;--muted:#98a2b3;--line:#2a2f3a;--grid:#222733;--accent:#ff7a50;--accent-soft:#5a2c1e;--theirs:#3a4150;--empty:#1f2430}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
main{max-width:1080px;margin:0 auto;padding:40px 24px 64px}
header h1{font-size:30px;line-height:1.2;margin:0 0 6px;letter-spacing:-.02em}
header p{margin:0;color:var(--muted)}
h2{font-size:18px;margin:0 0 14px;letter-spacing:-.01em}
h3{font-size:14px;margin:18px 0 10px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
h2 small,h3 small{font-weight:400;color:var(--muted);font-size:13px;margin-left:8px;text-transform:none;letter-spacing:0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:24px 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:14px;padding:14px 16px}
.panel .card{background:var(--bg)}
.card .label{color:var(--muted);font-size:13px}
.card .value{font-size:26px;font-weight:650;letter-spacing:-.02em;font-variant-numeric:tabular-nums}
.card .note{color:var(--muted);font-size:12.5px}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:16px;padding:20px 22px;margin-top:16px}
.grid.two{display:grid;grid-template-columns:1fr 1fr;gap:16px 28px}
.row{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.row .panel{margin-top:16px}
@media (max-width:760px){.grid.two,.row{grid-template-columns:1fr}}
.chart{width:100%;height:auto;display:block}
.chart text{font-size:11px;fill:var(--muted);font-family:inherit}
.chart text.strong{font-weight:600;fill:var(--text)}
.chart .grid{stroke:var(--grid);stroke-width:1}
.chart .baseline{stroke:var(--line);stroke-width:1}
.chart .bar{fill:var(--theirs)}
.chart .bar.accent{fill:var(--accent)}
.chart .cell{fill:var(--accent)}
.chart .cell.empty{fill:var(--empty)}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:10px;color:var(--muted);font-size:13px}
.key{display:inline-flex;align-items:center;gap:6px}
.key i{width:10px;height:10px;border-radius:3px;display:inline-block}
.key i.mine,.chat-bar .mine{background:var(--accent)}
.key i.theirs,.chat-bar .theirs{background:var(--theirs)}
.caption{color:var(--muted);font-size:13px;margin:8px 0 0}
.chats{list-style:none;margin:0;padding:0}
.chats li{display:grid;grid-template-columns:minmax(120px,220px) 110px 1fr 92px;align-items:center;gap:12px;padding:7px 0;border-top:1px solid var(--line)}
.chats li:first-child{border-top:0}
.chat-name{font-weight:550;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.chat-meta{color:var(--muted);font-size:13px}
.dot{display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:8px;vertical-align:middle}
.chat-bar{display:flex;height:12px;border-radius:6px;overflow:hidden;background:var(--grid)}
.chat-bar b{display:block;height:100%}
.chat-count{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.chat-count small{display:block;font-weight:400;color:var(--muted);font-size:12px}
.bars{list-style:none;margin:0;padding:0}
.bars li{display:grid;grid-template-columns:minmax(180px,1.6fr) 1fr 64px;gap:10px;align-items:center;padding:4px 0}
.bars li.zero{color:var(--muted)}
.bar-label small{display:block;color:var(--muted);font-size:12px}
.bar-track{height:10px;border-radius:5px;background:var(--grid);overflow:hidden}
.bar-track b{display:block;height:100%;background:var(--accent);border-radius:5px}
.bar-value{text-align:right;font-variant-numeric:tabular-nums}
.chips{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:8px}
.chips li{border:1px solid var(--line);border-radius:999px;padding:4px 12px;font-size:13px}
.chips li b{font-variant-numeric:tabular-nums}
.chips li.zero{color:var(--muted)}
.warnings{color:var(--accent);font-size:13px;padding-left:18px}
table.cost{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:14px}
table.cost th{text-align:left;color:var(--muted);font-weight:500;font-size:13px;border-bottom:1px solid var(--line);padding:6px 8px}
table.cost td{padding:6px 8px;border-bottom:1px solid var(--line)}
table.cost .n{text-align:right}
table.cost .strong{font-weight:650}
table.cost tr.selected td{background:var(--accent-soft)}
.fine{color:var(--muted);font-size:12.5px;margin:12px 0 0}
footer{color:var(--muted);font-size:12.5px;margin-top:28px;text-align:center}
.empty-note{color:var(--muted)}
`;

/** The report as one self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched. */
export function renderReport(data: ReportData, version: string): string {
  const totals = data.totals;
  const activity = data.activity;
  const subtitle = [
    totals
      ? `${num(totals.chats)} chat${totals.chats === 1 ? '' : 's'} from ${num(totals.sources)} source${totals.sources === 1 ? '' : 's'}`
      : '',
    totals?.first ? `${totals.first} → ${totals.last}` : '',
    `times in ${data.timeZone}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const cards = totals
    ? `<div class="cards" id="totals">
  ${card('Messages', num(totals.messages), `${num(totals.text)} text, ${num(totals.media)} media`)}
  ${card('Yours', num(totals.mine), totals.mine === 0 ? 'none marked as yours: give --me' : `${pct(totals.myShare)} of all messages`)}
  ${card('Your words in tokens', num(totals.myTextTokens), 'o200k, as gpt-4o and gpt-4.1 count')}
  ${activity ? card('Typical message', `${num(activity.medianReplyChars)} chars`, 'median length of yours') : ''}
</div>`
    : '';
  const sections: string[] = [];
  if (activity && activity.months.length > 0) {
    sections.push(
      `<section class="panel" id="months"><h2>Messages per month</h2>${monthlyChart(activity)}</section>`,
    );
    sections.push(`<div class="row">
<section class="panel" id="lengths"><h2>How long your messages are</h2>${lengthChart(activity)}<p class="caption">Your text messages by length; the highlighted bar holds the median (${num(activity.medianReplyChars)} characters).</p></section>
<section class="panel" id="hours"><h2>When ${activity.hoursOfEveryone ? 'people' : 'you'} text</h2>${heatmap(activity)}<p class="caption">${activity.hoursOfEveryone ? 'Every message (none is marked as yours)' : 'Your messages'} by weekday and hour, ${esc(data.timeZone)}.</p></section>
</div>`);
  }
  if (data.topChats.length > 0) {
    sections.push(
      `<section class="panel" id="chats"><h2>Top chats</h2>${topChats(data)}</section>`,
    );
  }
  if (data.dataset) sections.push(datasetSection(data.dataset));
  if (sections.length === 0) {
    sections.push(
      '<section class="panel"><p class="empty-note">No messages were found in the inputs.</p></section>',
    );
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="alterego ${esc(version)}">
<title>${esc(data.title)} · alterego report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${esc(data.title)}</h1>
<p>${esc(subtitle)}</p>
</header>
${cards}
${sections.join('\n')}
<footer>Made by alterego ${esc(version)} on this computer from ${num(data.inputs.length)} input${data.inputs.length === 1 ? '' : 's'}. This page loads nothing from the internet.</footer>
</main>
</body>
</html>
`;
}
