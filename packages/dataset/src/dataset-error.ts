import { AlteregoError, type AlteregoErrorOptions } from '@alterego/core';

const marker = 'alterego.error.dataset';
const symbol = Symbol.for(marker);

/**
 * The inputs cannot make a usable dataset: too few training examples, or options that
 * contradict each other. The message says what to change.
 */
export class DatasetError extends AlteregoError {
  protected readonly [symbol] = true;

  constructor(message: string, options: AlteregoErrorOptions = {}) {
    super(message, options);
    this.name = 'DatasetError';
  }

  static override isInstance(error: unknown): error is DatasetError {
    return AlteregoError.hasMarker(error, marker);
  }
}
