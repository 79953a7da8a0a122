import { AlteregoError } from '@alterego/core';

const marker = 'alterego.error.chat';
const symbol = Symbol.for(marker);

/**
 * What went wrong: `config` (a missing or unreadable dataset, a missing key), `model-server` (the
 * model server refused the request or could not be reached), `timeout` (a reply took too long)
 * or `no-data` (nothing to answer from).
 */
export type ChatErrorKind = 'config' | 'model-server' | 'timeout' | 'no-data';

export interface ChatErrorOptions {
  kind: ChatErrorKind;
  /** The HTTP status the model server answered, when it answered. */
  status?: number;
  cause?: unknown;
}

/**
 * The reply runtime could not answer. The message is one line that says what happened and how to
 * fix it.
 */
export class ChatError extends AlteregoError {
  protected readonly [symbol] = true;
  readonly kind: ChatErrorKind;
  readonly status: number | undefined;

  constructor(message: string, options: ChatErrorOptions) {
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.name = 'ChatError';
    this.kind = options.kind;
    this.status = options.status;
  }

  static override isInstance(error: unknown): error is ChatError {
    return AlteregoError.hasMarker(error, marker);
  }
}
