import { describe, expect, it } from 'vitest';
import { sampleReport } from './__fixtures__/report.js';
import { formatEvalTable, oneLine } from './format-table.js';

describe('formatEvalTable', () => {
  it('lays out one column per source and one row per metric, right-aligned', () => {
    const text = formatEvalTable(sampleReport());
    const lines = text.split('\n');
    expect(lines[0]).toBe('Sam Rivera: 2 cases (fewshot: gpt-4.1-mini)');
    expect(lines[1]).toBe('');
    const header = lines[2]!;
    expect(header).toMatch(/^ +real +fewshot +retrieval$/);
    const row = (label: string): string => lines.find((line) => line.startsWith(`${label} `))!;
    // Every row ends where the header ends: the columns are right-aligned.
    for (const label of ['chrF', 'errors', 'length mean', 'emoji share', 'vocabulary']) {
      expect(row(label)).toHaveLength(header.length);
    }
    expect(row('errors')).toMatch(/^errors +– +0 +1$/);
    expect(row('latency')).toMatch(/^latency +– +100 ms +2 ms$/);
    expect(row('emoji share')).toMatch(/^emoji share +50% +50% +0%$/);
    expect(row('length mean')).toMatch(/^length mean +20\.5 +19\.0 +5\.0$/);
    // The real column header sits right above its values.
    expect(header.indexOf('real') + 4).toBe(row('emoji share').indexOf('50%') + 3);
  });

  it('shows samples on one line each, without terminal control characters', () => {
    const text = formatEvalTable(sampleReport());
    expect(text).toContain('Samples');
    expect(text).toContain('  them       Jordan: look who showed up[31m\n');
    expect(text).toContain('  real       NO WAY / name him biscuit 😂\n');
    expect(text).toContain('  fewshot    no way / call him biscuit 😂\n');
    expect(text).toContain('  retrieval  (error: index missing)\n');
    expect(text).not.toContain('\u001b');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('cuts long replies', () => {
    expect(oneLine('a'.repeat(100), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});
