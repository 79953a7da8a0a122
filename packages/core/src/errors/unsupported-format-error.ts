import { AlteregoError } from './alterego-error.js';

const marker = 'alterego.error.unsupported-format';
const symbol = Symbol.for(marker);

export interface UnsupportedFormatErrorOptions {
  /** The input that no parser recognised. */
  file: string;
  /** Human names of the formats that are supported, listed in the message. */
  supported: readonly string[];
  /** What was found instead, when it can be said (e.g. "an empty file"). */
  found?: string;
  cause?: unknown;
}

/** No parser recognises an input. The message lists what is supported. */
export class UnsupportedFormatError extends AlteregoError {
  protected readonly [symbol] = true;
  readonly file: string;
  readonly supported: readonly string[];

  constructor(options: UnsupportedFormatErrorOptions) {
    const found = options.found ? ` (found ${options.found})` : '';
    const list = options.supported.length > 0 ? options.supported.join('; ') : 'none installed';
    super(
      `${options.file}: not a supported chat export${found}. Expected one of: ${list}`,
      options,
    );
    this.name = 'UnsupportedFormatError';
    this.file = options.file;
    this.supported = options.supported;
  }

  static override isInstance(error: unknown): error is UnsupportedFormatError {
    return AlteregoError.hasMarker(error, marker);
  }
}
