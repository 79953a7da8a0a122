import type { Readable } from 'node:stream';

/** One item of the array in an archive data file, with the line it starts on. */
export interface YtdItem {
  value: unknown;
  /** 1-based line of the file where the item starts. */
  line: number;
}

/** An item that could not be read, or damage at the end of the file. */
export interface YtdProblem {
  line: number;
  reason: string;
}

/** What one chunk of a data file gave: the items completed in it and the problems found. */
export interface YtdBatch {
  items: YtdItem[];
  problems: YtdProblem[];
}

/** A file that is not a `window.YTD.<name>.part<N> = [ … ]` data file at all. */
export class YtdFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'YtdFormatError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const SEMICOLON = 0x3b;
const ZERO = 0x30;
const NINE = 0x39;

/** Longest assignment prefix accepted before the `=` (the global names are short). */
const MAX_PREFIX = 4096;

/** Integers this long lose precision as JavaScript numbers: they are read as strings. */
const LONG_INTEGER_DIGITS = 16;
const LONG_INTEGER = /"(?:[^"\\]|\\.)*"|-?\d{16,}/g;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === NEWLINE;
}

const enum Mode {
  /** Before the `=` of `window.YTD.tweets.part0 = [`. */
  Prefix,
  /** After the `=`, before the `[`. */
  Assigned,
  /** Inside the array, between items. */
  Between,
  /** Inside an item, outside strings. */
  Item,
  /** Inside a string of an item. */
  String,
  /** After the closing `]`. */
  Trailer,
}

/** Parses one item's JSON, reading integers too long for a number as strings. */
function parseItem(text: string, longIntegers: boolean): unknown {
  const source = longIntegers
    ? text.replace(LONG_INTEGER, (match) => (match.charCodeAt(0) === QUOTE ? match : `"${match}"`))
    : text;
  return JSON.parse(source);
}

/**
 * Reads an archive data file (`window.YTD.tweets.part0 = [ … ]`) as data, never as code: the
 * assignment before the first `=` is skipped, whatever global it names, and the array after it
 * is split into items as the bytes stream in, each parsed with JSON.parse on its own. One
 * broken item is a problem with its line and the others are still read; memory holds one
 * chunk and one item at a time. A file without the assignment and array throws YtdFormatError.
 */
export async function* readYtdFile(stream: Readable): AsyncGenerator<YtdBatch> {
  let mode: Mode = Mode.Prefix;
  let line = 1;
  let depth = 0;
  let escaped = false;
  let digits = 0;
  let longIntegers = false;
  let itemLine = 1;
  let pieces: Buffer[] = [];
  let prefixBytes = 0;
  let trailerReported = false;

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const items: YtdItem[] = [];
    const problems: YtdProblem[] = [];
    const length = chunk.length;
    let start = mode === Mode.Item || mode === Mode.String ? 0 : -1;
    let position = 0;

    const finishItem = (end: number) => {
      const bytes =
        pieces.length === 0
          ? chunk.subarray(start, end)
          : Buffer.concat([...pieces, chunk.subarray(start, end)]);
      pieces = [];
      start = -1;
      try {
        items.push({ value: parseItem(bytes.toString('utf8'), longIntegers), line: itemLine });
      } catch (cause) {
        problems.push({
          line: itemLine,
          reason: `an item is not valid JSON (${(cause as Error).message})`,
        });
      }
      longIntegers = false;
      digits = 0;
    };

    while (position < length) {
      if (mode === Mode.String) {
        if (escaped) {
          escaped = false;
          position += 1;
        }
        // Most strings are short keys and values: a plain loop beats a native search per string.
        while (position < length) {
          const byte = chunk[position]!;
          if (byte === QUOTE) break;
          position += byte === BACKSLASH ? 2 : 1;
        }
        if (position > length) {
          // A backslash ended the chunk: its escaped character starts the next one.
          escaped = true;
          position = length;
        }
        if (position === length) break;
        position += 1;
        mode = Mode.Item;
        continue;
      }
      if (mode === Mode.Item) {
        // Indentation, separators and newlines: most of the bytes outside strings.
        const from = position;
        let byte = chunk[position]!;
        while (byte === SPACE || byte === COLON || byte === NEWLINE) {
          if (byte === NEWLINE) line += 1;
          position += 1;
          if (position === length) break;
          byte = chunk[position]!;
        }
        if (position !== from) {
          digits = 0;
          continue;
        }
      }
      const byte = chunk[position]!;
      switch (mode) {
        case Mode.Item:
          if (byte === QUOTE) {
            mode = Mode.String;
            digits = 0;
          } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
            depth += 1;
            digits = 0;
          } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
            digits = 0;
            if (depth > 0) {
              depth -= 1;
              if (depth === 0) {
                finishItem(position + 1);
                mode = Mode.Between;
              }
            } else if (byte === CLOSE_BRACKET) {
              finishItem(position);
              mode = Mode.Trailer;
            }
          } else if (byte === COMMA && depth === 0) {
            finishItem(position);
            mode = Mode.Between;
          } else if (byte >= ZERO && byte <= NINE) {
            digits += 1;
            if (digits >= LONG_INTEGER_DIGITS) longIntegers = true;
          } else {
            digits = 0;
            if (byte === NEWLINE) line += 1;
          }
          break;
        case Mode.Between:
          if (byte === NEWLINE) line += 1;
          else if (byte === CLOSE_BRACKET) mode = Mode.Trailer;
          else if (byte !== COMMA && !isSpace(byte)) {
            mode = Mode.Item;
            start = position;
            itemLine = line;
            depth = 0;
            continue;
          }
          break;
        case Mode.Prefix:
          if (byte === NEWLINE) line += 1;
          if (byte === EQUALS) mode = Mode.Assigned;
          else if (byte === OPEN_BRACKET && prefixBytes === 0) mode = Mode.Between;
          else if (byte === OPEN_BRACE || byte === QUOTE || byte === OPEN_BRACKET) {
            throw new YtdFormatError(
              'expected an archive data file starting "window.YTD.<name>.part<N> = ["',
              line,
            );
          } else if (!isSpace(byte)) {
            prefixBytes += 1;
            if (prefixBytes > MAX_PREFIX) {
              throw new YtdFormatError(
                'expected an archive data file starting "window.YTD.<name>.part<N> = [", found no "="',
                1,
              );
            }
          }
          break;
        case Mode.Assigned:
          if (byte === NEWLINE) line += 1;
          if (byte === OPEN_BRACKET) mode = Mode.Between;
          else if (!isSpace(byte)) {
            throw new YtdFormatError(
              `expected "[" after the "=", found ${JSON.stringify(String.fromCharCode(byte))}`,
              line,
            );
          }
          break;
        case Mode.Trailer:
          if (byte === NEWLINE) line += 1;
          else if (byte !== SEMICOLON && !isSpace(byte) && !trailerReported) {
            trailerReported = true;
            problems.push({ line, reason: 'unexpected text after the closing "]" was ignored' });
          }
          break;
      }
      position += 1;
    }
    if (start !== -1) pieces.push(chunk.subarray(start));
    if (items.length > 0 || problems.length > 0) yield { items, problems };
  }

  if (mode === Mode.Prefix || mode === Mode.Assigned) {
    throw new YtdFormatError(
      'expected an archive data file starting "window.YTD.<name>.part<N> = [", found no array',
      line,
    );
  }
  if (mode === Mode.Item || mode === Mode.String) {
    yield {
      items: [],
      problems: [{ line: itemLine, reason: 'the file ends inside an item; the item was skipped' }],
    };
  } else if (mode === Mode.Between) {
    yield {
      items: [],
      problems: [{ line, reason: 'the file ends before the closing "]"; it may be cut short' }],
    };
  }
}

/**
 * Reads a small data file that assigns one object (`window.__THAR_CONFIG = { … }` in
 * manifest.js) as data: everything after the first `=`, without a trailing `;`.
 */
export function parseAssignedJson(text: string): unknown {
  const equals = text.indexOf('=');
  const body = (equals === -1 ? text : text.slice(equals + 1)).trim().replace(/;\s*$/, '');
  return JSON.parse(
    body.replace(LONG_INTEGER, (match) => (match.charCodeAt(0) === QUOTE ? match : `"${match}"`)),
  );
}
