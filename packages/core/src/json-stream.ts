import type { Readable } from 'node:stream';
import { ParseError } from './errors/parse-error.js';
import { createParseWarning, type ParseWarning } from './parser.js';

/** One step of a path into a JSON document: an object key or an array index. */
export type JsonPathSegment = string | number;

/**
 * A path to an array inside a JSON document, from the root: `['messages']`, or
 * `['chats', 'list', '*', 'messages']` where `*` stands for any key or index.
 */
export type JsonPath = readonly (string | number)[];

export interface JsonStreamOptions {
  /** The arrays whose elements are parsed and yielded one at a time. */
  arrays: readonly JsonPath[];
  /** The file, for error messages: relative to the input the user gave where possible. */
  file: string;
  /** The `ruleId` of a ParseError for broken JSON. Default `json:syntax`. */
  ruleId?: string;
  /**
   * The most bytes one value (one element, one field) may take before the document is refused
   * as broken: a value this big is never meant to be held whole. Default 256 MiB.
   */
  maxValueBytes?: number;
}

/**
 * What `streamJson` yields, in document order.
 * - `open` / `close`: an object or array on the way to a chosen array (the root, `chats`, one
 *   chat of `chats.list`), or a chosen array itself.
 * - `value`: a member of an open object (or an item of an open array) that is not on the way to
 *   a chosen array, parsed whole: `name`, `type`, `guild`, `personal_information`.
 * - `element`: one element of a chosen array, parsed whole.
 * - `invalid`: one element of a chosen array whose bytes are balanced but are not valid JSON; the
 *   elements after it are still read.
 */
export type JsonStreamEvent =
  | { type: 'open'; kind: 'object' | 'array'; path: JsonPathSegment[] }
  | { type: 'close'; kind: 'object' | 'array'; path: JsonPathSegment[] }
  | { type: 'value'; path: JsonPathSegment[]; value: unknown }
  | { type: 'element'; path: JsonPathSegment[]; value: unknown; line: number }
  | { type: 'invalid'; path: JsonPathSegment[]; line: number; offset: number; reason: string };

const DEFAULT_MAX_VALUE = 256 * 1024 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

/** What a structural frame waits for next. */
const enum Expect {
  /** After `{`: a key or `}`. */
  KeyOrEnd,
  /** After `,` in an object: a key. */
  Key,
  Colon,
  /** A value: after `:`, after `,` in an array, or at the root. */
  Value,
  /** After `[`: a value or `]`. */
  ValueOrEnd,
  /** After a value: `,` or the closing bracket. */
  CommaOrEnd,
  /** After the root value: only whitespace. */
  Done,
}

interface Frame {
  kind: 'object' | 'array' | 'root';
  path: JsonPathSegment[];
  /** Elements of this array are yielded as `element` events. */
  chosen: boolean;
  expect: Expect;
  /** The next index of an array. */
  index: number;
  /** The key read last in an object. */
  key: string;
}

interface Capture {
  purpose: 'key' | 'value' | 'element';
  path: JsonPathSegment[];
  parts: Buffer[];
  bytes: number;
  startOffset: number;
  startLine: number;
  depth: number;
  inString: boolean;
  escape: boolean;
  scalar: boolean;
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === NEWLINE || byte === 0x0d || byte === 0x09;
}

/** How many backslashes come right before `end`, not looking before `start`. */
function trailingBackslashes(chunk: Buffer, start: number, end: number): number {
  let index = end - 1;
  while (index >= start && chunk[index] === BACKSLASH) index -= 1;
  return end - 1 - index;
}

function isScalarStart(byte: number): boolean {
  // A number, true, false or null.
  return (
    byte === 0x2d ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x74 ||
    byte === 0x66 ||
    byte === 0x6e
  );
}

function describeByte(byte: number): string {
  return byte >= 0x20 && byte < 0x7f
    ? `'${String.fromCharCode(byte)}'`
    : `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * The warning for an `invalid` event, for parsers that skip the broken element and go on:
 * `<source>:bad-<what>`, "message at byte 1234 is …; skipped".
 */
export function invalidElementWarning(
  event: Extract<JsonStreamEvent, { type: 'invalid' }>,
  { file, source, what }: { file: string; source: string; what: string },
): ParseWarning {
  return createParseWarning(
    source,
    file,
    `bad-${what}`,
    `${what} at byte ${event.offset} is ${event.reason}; skipped`,
    { line: event.line },
  );
}

/** `messages[12]`, `chats.list[3].messages`: a path as people read it. */
export function formatJsonPath(path: readonly JsonPathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text === '' ? '(root)' : text;
}

/**
 * Reads one JSON document from a byte stream, holding in memory only the value being read. The
 * elements of the chosen arrays come out one at a time; the fields of the objects on the way to
 * them come out whole, in document order, so a field written after a big array (rare in real
 * exports) arrives after its elements: callers that need it earlier buffer what they make of the
 * elements until the enclosing object closes.
 *
 * Broken JSON throws a ParseError naming the file, the line and the byte offset. One element of
 * a chosen array that is balanced but not valid JSON is an `invalid` event and reading goes on.
 */
export async function* streamJson(
  source: Readable | AsyncIterable<Buffer | Uint8Array | string>,
  options: JsonStreamOptions,
): AsyncGenerator<JsonStreamEvent> {
  const scanner = new JsonScanner(options);
  for await (const chunk of source as AsyncIterable<Buffer | Uint8Array | string>) {
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const events = scanner.push(buffer);
    for (const event of events) yield event;
  }
  for (const event of scanner.end()) yield event;
}

/** The push-driven state machine behind streamJson. */
class JsonScanner {
  private readonly arrays: readonly JsonPath[];
  private readonly file: string;
  private readonly ruleId: string;
  private readonly maxValueBytes: number;
  private readonly stack: Frame[] = [
    { kind: 'root', path: [], chosen: false, expect: Expect.Value, index: 0, key: '' },
  ];
  private capture: Capture | undefined;
  /** Byte offset of the start of the current chunk in the document. */
  private offset = 0;
  private line = 1;
  /** How many bytes of a byte-order mark were read; BOM.length once past it. */
  private bom = 0;
  private events: JsonStreamEvent[] = [];

  constructor(options: JsonStreamOptions) {
    this.arrays = options.arrays;
    this.file = options.file;
    this.ruleId = options.ruleId ?? 'json:syntax';
    this.maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE;
  }

  push(chunk: Buffer): JsonStreamEvent[] {
    this.events = [];
    let position = 0;
    // A UTF-8 byte-order mark, possibly split across the first chunks.
    while (this.bom < BOM.length && position < chunk.length) {
      if (chunk[position] !== BOM[this.bom]) {
        if (this.bom > 0)
          this.fail(`unexpected ${describeByte(chunk[position]!)}`, this.offset + position);
        this.bom = BOM.length;
        break;
      }
      this.bom += 1;
      position += 1;
    }
    while (position < chunk.length) {
      position = this.capture
        ? this.continueCapture(chunk, position)
        : this.structure(chunk, position);
    }
    this.offset += chunk.length;
    return this.events;
  }

  end(): JsonStreamEvent[] {
    this.events = [];
    const capture = this.capture;
    if (capture?.scalar) {
      this.finishCapture(Buffer.alloc(0), 0, 0);
    } else if (capture) {
      this.fail(
        `the JSON ends inside ${capture.purpose === 'key' ? 'a key' : formatJsonPath(capture.path)}, which starts at byte ${capture.startOffset} (line ${capture.startLine}): the file is cut short`,
        this.offset,
      );
    }
    const top = this.stack[this.stack.length - 1]!;
    if (this.stack.length > 1) {
      this.fail(
        `the JSON ends inside ${formatJsonPath(top.path)}: the file is cut short`,
        this.offset,
      );
    }
    if (top.expect !== Expect.Done)
      this.fail('no JSON value found: the file is empty', this.offset);
    return this.events;
  }

  private fail(reason: string, offset: number): never {
    throw new ParseError(`invalid JSON at byte ${offset}: ${reason}`, {
      file: this.file,
      line: this.line,
      ruleId: this.ruleId,
    });
  }

  private childPath(frame: Frame): JsonPathSegment[] {
    if (frame.kind === 'root') return [];
    return [...frame.path, frame.kind === 'array' ? frame.index : frame.key];
  }

  /** Whether `path` is a chosen array (`exact`) or lies on the way to one (`prefix`). */
  private classify(path: readonly JsonPathSegment[]): 'exact' | 'prefix' | undefined {
    let prefix = false;
    for (const wanted of this.arrays) {
      if (wanted.length < path.length) continue;
      let matches = true;
      for (let index = 0; index < path.length; index += 1) {
        const segment = wanted[index];
        if (segment !== '*' && segment !== path[index]) {
          matches = false;
          break;
        }
      }
      if (!matches) continue;
      if (wanted.length === path.length) return 'exact';
      prefix = true;
    }
    return prefix ? 'prefix' : undefined;
  }

  /** Reads structure (brackets, commas, colons) until a value or key starts; returns the new position. */
  private structure(chunk: Buffer, start: number): number {
    let position = start;
    const length = chunk.length;
    while (position < length) {
      const byte = chunk[position]!;
      if (isWhitespace(byte)) {
        if (byte === NEWLINE) this.line += 1;
        position += 1;
        continue;
      }
      const frame = this.stack[this.stack.length - 1]!;
      const at = this.offset + position;
      switch (frame.expect) {
        case Expect.Done:
          return this.fail(
            `unexpected ${describeByte(byte)} after the end of the JSON document`,
            at,
          );
        case Expect.Colon:
          if (byte !== COLON)
            this.fail(`expected ':' after the key "${frame.key}", found ${describeByte(byte)}`, at);
          frame.expect = Expect.Value;
          position += 1;
          continue;
        case Expect.CommaOrEnd: {
          const close = frame.kind === 'object' ? CLOSE_BRACE : CLOSE_BRACKET;
          if (byte === COMMA) {
            frame.expect = frame.kind === 'object' ? Expect.Key : Expect.Value;
            position += 1;
            continue;
          }
          if (byte === close) {
            this.close(frame);
            position += 1;
            continue;
          }
          return this.fail(
            `expected ',' or '${String.fromCharCode(close)}' after ${formatJsonPath(frame.kind === 'object' ? [...frame.path, frame.key] : [...frame.path, frame.index - 1])}, found ${describeByte(byte)}`,
            at,
          );
        }
        case Expect.KeyOrEnd:
        case Expect.Key:
          if (byte === CLOSE_BRACE && frame.expect === Expect.KeyOrEnd) {
            this.close(frame);
            position += 1;
            continue;
          }
          if (byte !== QUOTE) {
            this.fail(
              `expected a key in ${formatJsonPath(frame.path)}, found ${describeByte(byte)}`,
              at,
            );
          }
          this.startCapture('key', frame.path, byte, at, position);
          return this.continueCapture(chunk, position + 1);
        case Expect.ValueOrEnd:
        case Expect.Value: {
          if (byte === CLOSE_BRACKET && frame.expect === Expect.ValueOrEnd) {
            this.close(frame);
            position += 1;
            continue;
          }
          const path = this.childPath(frame);
          if (frame.chosen) {
            this.checkValueStart(byte, path, at);
            this.startCapture('element', path, byte, at, position);
            return this.continueCapture(chunk, position + 1);
          }
          const place = this.classify(path);
          if (
            (place === 'prefix' && (byte === OPEN_BRACE || byte === OPEN_BRACKET)) ||
            (place === 'exact' && byte === OPEN_BRACKET)
          ) {
            const kind = byte === OPEN_BRACE ? 'object' : 'array';
            this.stack.push({
              kind,
              path,
              chosen: place === 'exact',
              expect: kind === 'object' ? Expect.KeyOrEnd : Expect.ValueOrEnd,
              index: 0,
              key: '',
            });
            this.events.push({ type: 'open', kind, path });
            position += 1;
            continue;
          }
          this.checkValueStart(byte, path, at);
          this.startCapture('value', path, byte, at, position);
          return this.continueCapture(chunk, position + 1);
        }
      }
    }
    return position;
  }

  private checkValueStart(byte: number, path: readonly JsonPathSegment[], at: number): void {
    if (byte === QUOTE || byte === OPEN_BRACE || byte === OPEN_BRACKET || isScalarStart(byte))
      return;
    this.fail(`expected a value at ${formatJsonPath(path)}, found ${describeByte(byte)}`, at);
  }

  private close(frame: Frame): void {
    this.stack.pop();
    if (frame.kind !== 'root')
      this.events.push({ type: 'close', kind: frame.kind, path: frame.path });
    this.afterValue();
  }

  /** Moves the innermost frame past the value that just ended. */
  private afterValue(): void {
    const parent = this.stack[this.stack.length - 1]!;
    if (parent.kind === 'root') parent.expect = Expect.Done;
    else {
      parent.expect = Expect.CommaOrEnd;
      if (parent.kind === 'array') parent.index += 1;
    }
  }

  private startCapture(
    purpose: Capture['purpose'],
    path: JsonPathSegment[],
    byte: number,
    at: number,
    position: number,
  ): void {
    this.capture = {
      purpose,
      path,
      parts: [],
      bytes: 0,
      startOffset: at,
      startLine: this.line,
      depth: byte === OPEN_BRACE || byte === OPEN_BRACKET ? 1 : 0,
      inString: byte === QUOTE,
      escape: false,
      scalar: byte !== QUOTE && byte !== OPEN_BRACE && byte !== OPEN_BRACKET,
    };
    this.captureStart = position;
  }

  /** Where the capture begins in the current chunk; -1 when it began in an earlier one. */
  private captureStart = -1;

  /**
   * Scans the value being captured for its end: strings with escapes, nesting depth, and for
   * numbers and literals the first delimiter. Returns the position to go on from.
   */
  private continueCapture(chunk: Buffer, start: number): number {
    const capture = this.capture!;
    const begin = this.captureStart === -1 ? 0 : this.captureStart;
    let position = start;
    const length = chunk.length;
    let { depth, inString, escape } = capture;
    if (capture.scalar) {
      while (position < length) {
        const byte = chunk[position]!;
        if (
          isWhitespace(byte) ||
          byte === COMMA ||
          byte === CLOSE_BRACE ||
          byte === CLOSE_BRACKET
        ) {
          this.finishCapture(chunk, begin, position);
          return position;
        }
        position += 1;
      }
    } else {
      while (position < length) {
        if (inString) {
          if (escape) {
            escape = false;
            position += 1;
            continue;
          }
          // Jump to the next quote natively, then see whether an odd run of backslashes escapes it.
          const quote = chunk.indexOf(QUOTE, position);
          if (quote === -1) {
            escape = trailingBackslashes(chunk, position, length) % 2 === 1;
            break;
          }
          if (trailingBackslashes(chunk, position, quote) % 2 === 1) {
            position = quote + 1;
            continue;
          }
          inString = false;
          position = quote + 1;
          if (depth === 0) {
            capture.inString = false;
            this.finishCapture(chunk, begin, position);
            return position;
          }
          continue;
        }
        const byte = chunk[position]!;
        if (byte === QUOTE) inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          depth -= 1;
          if (depth === 0) {
            this.finishCapture(chunk, begin, position + 1);
            return position + 1;
          }
        } else if (byte === NEWLINE) this.line += 1;
        position += 1;
      }
    }
    capture.depth = depth;
    capture.inString = inString;
    capture.escape = escape;
    // The value goes on in the next chunk: keep this chunk's part of it.
    const part = chunk.subarray(begin, length);
    capture.parts.push(part);
    capture.bytes += part.length;
    this.captureStart = -1;
    if (capture.bytes > this.maxValueBytes) {
      this.fail(
        `${capture.purpose === 'key' ? 'a key' : formatJsonPath(capture.path)}, which starts at byte ${capture.startOffset} (line ${capture.startLine}), is larger than ${this.maxValueBytes} bytes: the brackets or quotes are probably unbalanced`,
        this.offset + length,
      );
    }
    return length;
  }

  private finishCapture(chunk: Buffer, begin: number, end: number): void {
    const capture = this.capture!;
    this.capture = undefined;
    this.captureStart = -1;
    const tail = chunk.subarray(begin, end);
    const bytes =
      capture.parts.length === 0
        ? tail
        : Buffer.concat([...capture.parts, tail], capture.bytes + tail.length);
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (capture.purpose === 'element') {
        this.events.push({
          type: 'invalid',
          path: capture.path,
          line: capture.startLine,
          offset: capture.startOffset,
          reason: `invalid JSON: ${reason}`,
        });
        this.afterValue();
        return;
      }
      this.line = capture.startLine;
      this.fail(
        `${capture.purpose === 'key' ? 'a key' : formatJsonPath(capture.path)} is not valid JSON (${reason})`,
        capture.startOffset,
      );
    }
    if (capture.purpose === 'key') {
      const frame = this.stack[this.stack.length - 1]!;
      frame.key = value as string;
      frame.expect = Expect.Colon;
      return;
    }
    if (capture.purpose === 'element') {
      this.events.push({ type: 'element', path: capture.path, value, line: capture.startLine });
    } else {
      this.events.push({ type: 'value', path: capture.path, value });
    }
    this.afterValue();
  }
}
