import type { ZodError } from 'zod';
import { AlteregoError } from './alterego-error.js';
import { formatPlace } from './parse-error.js';

const marker = 'alterego.error.validation';
const symbol = Symbol.for(marker);

export interface ValidationErrorOptions {
  /** Where the invalid value came from, when it came from a file. */
  file?: string;
  line?: number;
  /** The zod error, when the check was a schema. */
  cause?: ZodError | unknown;
}

/** A value that does not match its schema (a Conversation line, a config file, …). */
export class ValidationError extends AlteregoError {
  protected readonly [symbol] = true;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly reason: string;

  constructor(reason: string, options: ValidationErrorOptions = {}) {
    const place = options.file ? `${formatPlace(options.file, options.line)}: ` : '';
    super(`${place}${reason}`, options);
    this.name = 'ValidationError';
    this.reason = reason;
    this.file = options.file;
    this.line = options.line;
  }

  static override isInstance(error: unknown): error is ValidationError {
    return AlteregoError.hasMarker(error, marker);
  }
}
