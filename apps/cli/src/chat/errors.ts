import { ChatError } from '@alterego/chat';
import { CliError, InterruptedError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';

/**
 * The exit code of an error of the reply runtime: a missing setting 4, a model server that
 * failed or took too long 5, no data to answer from 2; an abort is an interruption (130).
 */
export function translateChatError(error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted && !(error instanceof CliError)) return new InterruptedError();
  if (ChatError.isInstance(error)) {
    const code =
      error.kind === 'config'
        ? ExitCode.missingConfig
        : error.kind === 'no-data'
          ? ExitCode.usage
          : ExitCode.remote;
    return new CliError(error.message, code, { cause: error });
  }
  return error;
}
