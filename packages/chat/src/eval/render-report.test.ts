import { describe, expect, it } from 'vitest';
import { sampleReport } from './__fixtures__/report.js';
import type { EvalReport } from './evaluate.js';
import { escapeHtml, renderEvalReport } from './render-report.js';

function hostileReport(): EvalReport {
  const report = sampleReport();
  const attack = '<script>alert("x")</script><img src=x onerror=alert(1)>';
  return {
    ...report,
    persona: `Sam ${attack}`,
    backends: report.backends.map((score, index) =>
      index === 0 ? { ...score, backend: `few"shot'<b>`, model: `m${attack}` } : score,
    ),
    samples: report.samples.map((sample) => ({
      ...sample,
      context: `hey ${attack}`,
      real: `lol ${attack}\nsecond & bubble`,
      replies: { [`few"shot'<b>`]: attack, retrieval: '(error: <script>bad</script>)' },
    })),
  };
}

describe('renderEvalReport', () => {
  it('escapes every text from the report', () => {
    const html = renderEvalReport(hostileReport());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('few&quot;shot&#39;&lt;b&gt;');
    expect(html).toContain('second &amp; bubble');
  });

  it('is one self-contained page with one SVG per chart', () => {
    const html = renderEvalReport(sampleReport());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg\b/g)).toHaveLength(3);
    expect(html.match(/<\/svg>/g)).toHaveLength(3);
    // Nothing is loaded from elsewhere, and a policy forbids scripts outright.
    expect(html).not.toMatch(/\b(?:src|href)=/i);
    expect(html).not.toMatch(/@import|url\(|@font-face/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('prefers-color-scheme:dark');
  });

  it('shows the header, the numbers and the samples', () => {
    const html = renderEvalReport(sampleReport());
    expect(html).toContain('<title>alterego eval: Sam Rivera</title>');
    expect(html).toContain('<h1>Sam Rivera</h1>');
    expect(html).toContain('2 cases · fewshot (gpt-4.1-mini), retrieval');
    // One length row per source: real and the two backends.
    expect(html.match(/<circle class="dot /g)).toHaveLength(3);
    // Each bubble of a reply is its own element; an error is shown as such.
    expect(html).toContain(
      '<span class="bubble real">NO WAY</span><span class="bubble real">name him biscuit 😂</span>',
    );
    expect(html).toContain('<span class="error">(error: index missing)</span>');
    expect(html).toContain('<th scope="row">chrF</th>');
  });

  it('draws no bar for a backend that answered nothing', () => {
    const report = sampleReport();
    const failed = { ...report.backends[1]!, chrF: Number.NaN, vocabularyOverlap: Number.NaN };
    const html = renderEvalReport({ ...report, backends: [report.backends[0]!, failed] });
    expect(html).not.toContain('NaN');
    expect(html).toContain('<title>retrieval: –</title>');
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes and drops control characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>\u0000\u202e`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
