import { AlteregoError } from '@alterego/core';

const marker = 'alterego.error.provider';
const symbol = Symbol.for(marker);

/** What kind of failure a provider reported; the CLI and retries decide on it. */
export type ProviderErrorKind =
  | 'auth'
  | 'permission'
  | 'unavailable'
  | 'invalid-request'
  | 'not-found'
  | 'rate-limit'
  | 'server'
  | 'connection'
  | 'job-failed'
  /** A local engine (or the Python it runs on) is not installed; the message says how to install it. */
  | 'engine-missing';

export interface ProviderErrorOptions {
  /** The provider id, e.g. `openai`. */
  provider: string;
  kind: ProviderErrorKind;
  /** The HTTP status, when the remote answered. */
  status?: number;
  /** The provider's error code, e.g. `invalid_training_file`. */
  code?: string;
  /** True when trying again later may succeed (rate limits, server errors, dropped connections). */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * A fine-tuning provider answered with an error, or could not be reached. The message is one
 * line that says what happened and how to fix it; the CLI exits with code 5.
 */
export class ProviderError extends AlteregoError {
  protected readonly [symbol] = true;
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryable: boolean;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.kind = options.kind;
    this.status = options.status;
    this.code = options.code;
    this.retryable = options.retryable ?? false;
  }

  static override isInstance(error: unknown): error is ProviderError {
    return AlteregoError.hasMarker(error, marker);
  }
}
