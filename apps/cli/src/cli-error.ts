import {
  AlteregoError,
  MissingConfigError,
  ParseError,
  UnsupportedFormatError,
  ValidationError,
} from '@alterego/core';
import { ProviderError } from '@alterego/finetune';
import { ExitCode } from './exit-codes.js';

/** An error the CLI raises itself, with the exit code it means. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
  }
}

/** Thrown when the user interrupts (Ctrl-C). */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/** The exit code an error means. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof InterruptedError) return ExitCode.interrupted;
  if (MissingConfigError.isInstance(error)) return ExitCode.missingConfig;
  if (ProviderError.isInstance(error)) return ExitCode.remote;
  if (
    UnsupportedFormatError.isInstance(error) ||
    ParseError.isInstance(error) ||
    ValidationError.isInstance(error)
  ) {
    return ExitCode.usage;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR')
    return ExitCode.usage;
  return ExitCode.failure;
}

/** One line for stderr: the message, without a stack unless debugging. */
export function formatError(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack) {
    const cause =
      error.cause instanceof Error && error.cause.stack ? `\nCaused by: ${error.cause.stack}` : '';
    return `${error.stack}${cause}`;
  }
  const message =
    error instanceof Error
      ? error.message
      : typeof error === 'string'
        ? error
        : JSON.stringify(error);
  const firstLine = message.split('\n')[0] ?? message;
  const expected =
    AlteregoError.isInstance(error) ||
    error instanceof CliError ||
    error instanceof InterruptedError;
  const hint = expected ? '' : ' (run with --debug for details)';
  return `alterego: ${firstLine}${hint}`;
}
