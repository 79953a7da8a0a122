const marker = 'alterego.error';
const symbol = Symbol.for(marker);

export interface AlteregoErrorOptions {
  /** The underlying error, kept for `--debug` output. */
  cause?: unknown;
}

/**
 * Base class of every error alterego throws on purpose. Checks work across duplicated installs
 * of `@alterego/core` because they look for a `Symbol.for` marker, not for the class itself.
 */
export class AlteregoError extends Error {
  protected readonly [symbol] = true;

  constructor(message: string, options: AlteregoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AlteregoError';
  }

  /** True for any alterego error, whichever copy of `@alterego/core` created it. */
  static isInstance(error: unknown): error is AlteregoError {
    return AlteregoError.hasMarker(error, marker);
  }

  protected static hasMarker(error: unknown, name: string): boolean {
    if (typeof error !== 'object' || error === null) return false;
    const key = Symbol.for(name);
    return key in error && (error as Record<symbol, unknown>)[key] === true;
  }
}
