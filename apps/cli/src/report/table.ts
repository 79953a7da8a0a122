/** A column of a text table. */
export interface Column<T> {
  title: string;
  value: (row: T) => string;
  /** Numbers are right-aligned. */
  right?: boolean;
  /** The column that is shortened (from the left, with "…") when the table is too wide. */
  shrink?: boolean;
}

const width = (text: string) => [...text].length;

/** Rows as an aligned text table with a header and a rule, fitted into `maxWidth` when possible. */
export function formatTable<T>(
  columns: readonly Column<T>[],
  rows: readonly T[],
  maxWidth = 120,
): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, index) =>
    Math.max(width(column.title), ...cells.map((line) => width(line[index]!))),
  );
  const shrink = columns.findIndex((column) => column.shrink);
  if (shrink >= 0) {
    const others = widths.reduce((sum, w, index) => (index === shrink ? sum : sum + w + 2), 0);
    widths[shrink] = Math.max(
      Math.min(12, widths[shrink]!),
      Math.min(widths[shrink]!, maxWidth - others),
    );
  }
  const fit = (text: string, limit: number) =>
    width(text) > limit ? `…${[...text].slice(-(limit - 1)).join('')}` : text;
  const line = (values: string[]) =>
    values
      .map((value, index) => {
        const text = fit(value, widths[index]!);
        const pad = ' '.repeat(Math.max(0, widths[index]! - width(text)));
        return columns[index]!.right ? pad + text : text + pad;
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.title)),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...cells.map(line),
  ].join('\n');
}

/** 12345 → "12,345". */
export const count = (value: number): string => value.toLocaleString('en-US');

/** 0.3712 → "37%". */
export const percent = (value: number): string => `${Math.round(value * 100)}%`;

/** A date range in words: "2024-01-02 → 2024-05-30", one date, or "—". */
export function dateRange(first: string | null, last: string | null): string {
  if (first === null || last === null) return '—';
  return first === last ? first : `${first} → ${last}`;
}
