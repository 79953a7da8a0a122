import type { Readable } from 'node:stream';
import type { ZodError } from 'zod';
import { writeFileAtomic } from './atomic-write.js';
import { type Conversation, ConversationSchema } from './conversation.js';
import { ValidationError } from './errors/validation-error.js';
import { isPlainValidConversation } from './jsonl-fast-check.js';
import { readLineBatches } from './lines.js';

/** One line of a zod error: the path of the first problem and what was expected, plus a count. */
export function formatZodError(error: ZodError): string {
  const [first, ...rest] = error.issues;
  if (!first) return 'invalid value';
  const path = first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  const more =
    rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  return `${path}${first.message}${more}`;
}

export interface ReadConversationsOptions {
  /** The file name used in error messages. */
  file: string;
  /**
   * What to do with a line that is not valid JSON or not a valid Conversation: `throw` a
   * ValidationError naming file and line (default), or `skip` it and tell `onInvalid`.
   */
  invalid?: 'throw' | 'skip';
  onInvalid?: (error: ValidationError) => void;
}

/** Streams the Conversations of a JSONL file, validating each line against the spec. */
export async function* readConversationsJsonl(
  stream: Readable | AsyncIterable<Buffer | string>,
  options: ReadConversationsOptions,
): AsyncGenerator<Conversation> {
  let lineNumber = 0;
  for await (const batch of readLineBatches(stream)) {
    for (const line of batch) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      let problem: ValidationError | undefined;
      try {
        const value: unknown = JSON.parse(line);
        // Most lines are what the schema writes: checked by hand; the schema decides the rest.
        if (isPlainValidConversation(value)) {
          yield value;
          continue;
        }
        const result = ConversationSchema.safeParse(value);
        if (result.success) {
          yield result.data;
          continue;
        }
        problem = new ValidationError(`not a valid Conversation: ${formatZodError(result.error)}`, {
          file: options.file,
          line: lineNumber,
          cause: result.error,
        });
      } catch (cause) {
        problem = new ValidationError(`not valid JSON (${(cause as Error).message})`, {
          file: options.file,
          line: lineNumber,
          cause,
        });
      }
      if (options.invalid === 'skip') options.onInvalid?.(problem);
      else throw problem;
    }
  }
}

/** One JSON value per line. Objects are serialised, never assembled by hand. */
export async function* toJsonLines(
  values: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncGenerator<string> {
  for await (const value of values) yield `${JSON.stringify(value)}\n`;
}

/** Writes values as JSONL atomically (temporary file + rename). Returns the number of lines. */
export async function writeJsonlAtomic(
  path: string,
  values: AsyncIterable<unknown> | Iterable<unknown>,
): Promise<number> {
  let count = 0;
  async function* counted() {
    for await (const line of toJsonLines(values)) {
      count += 1;
      yield line;
    }
  }
  await writeFileAtomic(path, counted());
  return count;
}
