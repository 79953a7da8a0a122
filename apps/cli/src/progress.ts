import { Transform, pipeline, type Writable } from 'node:stream';
import type { Conversation, InputEntry, InputSource } from '@alterego/core';
import type { CliIO } from './io.js';

/**
 * True when a progress line may be drawn: stderr is a terminal, the output is not JSON, and no
 * CI service is running the command (CI=true or any other non-empty value but "false"/"0").
 */
export function progressWanted(io: CliIO, json = false): boolean {
  const ci = io.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return io.stderr.isTTY === true && !json && !inCi;
}

/** How reading one source is going. */
export interface Progress {
  /** A new source starts: its label and the bytes it holds. */
  begin(label: string, totalBytes: number): void;
  /** The format being read, when known. */
  format(format: string): void;
  bytes(count: number): void;
  messages(count: number): void;
  /** Clears the line; safe to call more than once. */
  done(): void;
}

export interface ProgressOptions {
  /** The clock (milliseconds); tests pass their own. */
  now?: () => number;
  /** The least time between two redraws (default 100 ms: at most ten a second). */
  intervalMs?: number;
}

const CLEAR_LINE = '\r\x1b[2K';
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A progress line that does nothing: for pipes, files, CI and --json. */
export const NO_PROGRESS: Progress = {
  begin() {},
  format() {},
  bytes() {},
  messages() {},
  done() {},
};

/** The progress line for a command: drawn on stderr when `progressWanted`, otherwise NO_PROGRESS. */
export function createProgress(io: CliIO, json = false, options: ProgressOptions = {}): Progress {
  return progressWanted(io, json) ? new TerminalProgress(io.stderr, options) : NO_PROGRESS;
}

/** One line on a terminal, redrawn in place, at most every `intervalMs`. */
export class TerminalProgress implements Progress {
  readonly #stream: Writable & { columns?: number };
  readonly #now: () => number;
  readonly #interval: number;
  #label = '';
  #format = '';
  #total = 0;
  #read = 0;
  #messages = 0;
  #lastDraw = -Infinity;
  #frame = 0;
  #drawn = false;

  constructor(stream: Writable & { columns?: number }, options: ProgressOptions = {}) {
    this.#stream = stream;
    this.#now = options.now ?? Date.now;
    this.#interval = options.intervalMs ?? 100;
  }

  begin(label: string, totalBytes: number): void {
    this.#label = label;
    this.#format = '';
    this.#total = totalBytes;
    this.#read = 0;
    this.#messages = 0;
    this.#draw(true);
  }

  format(format: string): void {
    if (this.#format === format) return;
    this.#format = format;
    this.#draw(false);
  }

  bytes(count: number): void {
    this.#read += count;
    this.#draw(false);
  }

  messages(count: number): void {
    this.#messages += count;
    this.#draw(false);
  }

  done(): void {
    if (this.#drawn) this.#stream.write(CLEAR_LINE);
    this.#drawn = false;
    this.#lastDraw = -Infinity;
  }

  #draw(force: boolean): void {
    const now = this.#now();
    if (!force && now - this.#lastDraw < this.#interval) return;
    this.#lastDraw = now;
    const spinner = SPINNER[this.#frame++ % SPINNER.length]!;
    const read = Math.min(this.#read, this.#total);
    const parts = [
      `${spinner} ${this.#label}`,
      this.#format,
      `${formatBytes(read)} of ${formatBytes(this.#total)}`,
      `${this.#messages.toLocaleString('en-US')} messages`,
    ].filter(Boolean);
    const width = Math.max(20, (this.#stream.columns ?? 80) - 1);
    let line = parts.join('  ');
    if ([...line].length > width) line = `${[...line].slice(0, width - 1).join('')}…`;
    this.#stream.write(`${CLEAR_LINE}${line}`);
    this.#drawn = true;
  }
}

/** The width of the terminal on stderr (100 when unknown). */
export function terminalWidth(io: CliIO): number {
  return (io.stderr as { columns?: number }).columns ?? 100;
}

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** The bytes of every entry of an input. */
export async function inputBytes(input: InputSource): Promise<number> {
  return (await input.entries()).reduce((sum, entry) => sum + entry.size, 0);
}

/**
 * The same input, counting the bytes parsers read through it: streamed bytes as they flow, whole
 * reads when they return, and a file handed to a library (SQLite) as its size.
 */
export function countingInput(input: InputSource, onBytes: (count: number) => void): InputSource {
  let wrapped: Promise<InputEntry[]> | undefined;
  const entries = () => {
    wrapped ??= input.entries().then((list) => list.map((entry) => countingEntry(entry, onBytes)));
    return wrapped;
  };
  return {
    path: input.path,
    name: input.name,
    kind: input.kind,
    entries,
    async entry(path) {
      return (await entries()).find((entry) => entry.path === path);
    },
    skipped: () => input.skipped(),
    close: () => input.close(),
  };
}

function countingEntry(entry: InputEntry, onBytes: (count: number) => void): InputEntry {
  return {
    path: entry.path,
    name: entry.name,
    size: entry.size,
    container: entry.container,
    async stream() {
      const source = await entry.stream();
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          onBytes(chunk.length);
          callback(null, chunk);
        },
      });
      // Errors of the source reach the reader; a reader that stops early stops the source.
      pipeline(source, counter, () => {});
      return counter;
    },
    readHead: (bytes) => entry.readHead(bytes),
    async readBuffer(maxBytes) {
      const buffer = await entry.readBuffer(maxBytes);
      onBytes(buffer.length);
      return buffer;
    },
    async readText(maxBytes) {
      const text = await entry.readText(maxBytes);
      onBytes(Buffer.byteLength(text));
      return text;
    },
    async localPath() {
      const path = await entry.localPath();
      onBytes(entry.size);
      return path;
    },
  };
}

/** One row of the summary table printed after convert and build on a terminal. */
export interface SummaryRow {
  source: string;
  formats: string[];
  chats: number;
  messages: number;
  mine: number;
  /** YYYY-MM-DD (UTC), null without messages. */
  first: string | null;
  last: string | null;
}

export function summaryRow(source: string): SummaryRow {
  return { source, formats: [], chats: 0, messages: 0, mine: 0, first: null, last: null };
}

/** Counts a conversation into its row. */
export function tally(row: SummaryRow, conversation: Conversation, format: string): void {
  if (!row.formats.includes(format)) row.formats.push(format);
  row.chats += 1;
  row.messages += conversation.messages.length;
  const self = conversation.participants.find((participant) => participant.self)?.id;
  if (self !== undefined) {
    for (const message of conversation.messages) if (message.senderId === self) row.mine += 1;
  }
  const first = conversation.messages[0]?.time.slice(0, 10);
  const last = conversation.messages.at(-1)?.time.slice(0, 10);
  if (first !== undefined && (row.first === null || first < row.first)) row.first = first;
  if (last !== undefined && (row.last === null || last > row.last)) row.last = last;
}

/** The rows as an aligned text table, numbers right-aligned, with a total row when there are several. */
export function summaryTable(rows: readonly SummaryRow[], maxWidth = 120): string {
  const number = (value: number) => value.toLocaleString('en-US');
  const range = (row: SummaryRow) =>
    row.first === null ? '—' : row.first === row.last ? row.first : `${row.first} → ${row.last}`;
  const body = rows.map((row) => [
    row.source,
    row.formats.join(', ') || '—',
    number(row.chats),
    number(row.messages),
    number(row.mine),
    range(row),
  ]);
  if (rows.length > 1) {
    const total = summaryRow('total');
    for (const row of rows) {
      total.chats += row.chats;
      total.messages += row.messages;
      total.mine += row.mine;
      if (row.first !== null && (total.first === null || row.first < total.first))
        total.first = row.first;
      if (row.last !== null && (total.last === null || row.last > total.last))
        total.last = row.last;
    }
    body.push([
      'total',
      '',
      number(total.chats),
      number(total.messages),
      number(total.mine),
      range(total),
    ]);
  }
  const header = ['source', 'format', 'chats', 'messages', 'mine', 'dates'];
  const right = [false, false, true, true, true, false];
  const length = (text: string) => [...text].length;
  const widths = header.map((title, column) =>
    Math.max(length(title), ...body.map((cells) => length(cells[column]!))),
  );
  // A long source path is shortened from the left so that the table fits the terminal.
  const others = widths.slice(1).reduce((sum, width) => sum + width + 2, 0);
  const sourceWidth = Math.max(12, Math.min(widths[0]!, maxWidth - others));
  widths[0] = sourceWidth;
  const fit = (text: string) =>
    length(text) > sourceWidth ? `…${[...text].slice(-(sourceWidth - 1)).join('')}` : text;
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const text = column === 0 ? fit(cell) : cell;
        const pad = ' '.repeat(Math.max(0, widths[column]! - length(text)));
        return right[column] ? pad + text : text + pad;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  const lines = [line(header), rule, ...body.slice(0, rows.length).map(line)];
  if (rows.length > 1) lines.push(rule, line(body.at(-1)!));
  return lines.join('\n');
}
