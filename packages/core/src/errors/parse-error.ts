import { AlteregoError } from './alterego-error.js';

const marker = 'alterego.error.parse';
const symbol = Symbol.for(marker);

export interface ParseErrorOptions {
  /** The file the problem is in, relative to the input the user gave where possible. */
  file: string;
  /** 1-based line, where there is one. */
  line?: number;
  /** 1-based column, where there is one. */
  column?: number;
  /** A stable id for the kind of problem, e.g. `whatsapp:no-messages`. */
  ruleId?: string;
  cause?: unknown;
}

/** An input that cannot be read as the format it claims to be. */
export class ParseError extends AlteregoError {
  protected readonly [symbol] = true;
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly ruleId: string | undefined;
  /** The message without the place prefix. */
  readonly reason: string;

  constructor(reason: string, options: ParseErrorOptions) {
    super(`${formatPlace(options.file, options.line, options.column)}: ${reason}`, options);
    this.name = 'ParseError';
    this.reason = reason;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.ruleId = options.ruleId;
  }

  static override isInstance(error: unknown): error is ParseError {
    return AlteregoError.hasMarker(error, marker);
  }
}

/** `file:line:column`, leaving out what is unknown. */
export function formatPlace(file: string, line?: number, column?: number): string {
  if (line === undefined) return file;
  if (column === undefined) return `${file}:${line}`;
  return `${file}:${line}:${column}`;
}
