import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export interface ReadLinesOptions {
  /** Also break on a lone `\r` (old Mac line ends; WhatsApp exports can have them). Default false. */
  loneCarriageReturn?: boolean;
}

/**
 * Splits a byte stream into UTF-8 lines without holding more than one chunk and one partial
 * line in memory. Handles `\n` and `\r\n` (and lone `\r` when asked); strips a leading BOM;
 * a multi-byte character split across chunks is decoded whole. Yields lines in batches, which
 * keeps the per-line cost of async iteration out of hot loops.
 */
export async function* readLineBatches(
  stream: Readable | AsyncIterable<Buffer | string>,
  options: ReadLinesOptions = {},
): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  const splitter = options.loneCarriageReturn ? /\r\n|\r|\n/ : /\r?\n/;
  let carry = '';
  let first = true;
  let pendingCr = false;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text.length === 0) continue;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (pendingCr && text.charCodeAt(0) === 0x0a) text = text.slice(1);
    pendingCr = false;
    const combined = carry + text;
    const parts = combined.split(splitter);
    carry = parts.pop() ?? '';
    // With lone "\r" as a break, a chunk ending in "\r" may be the first half of "\r\n".
    // Without it, the "\r" stays in `carry` and the next chunk's "\n" completes the pair.
    if (options.loneCarriageReturn && combined.endsWith('\r')) pendingCr = true;
    if (parts.length > 0) yield parts;
  }
  const rest = carry + decoder.end();
  if (rest.length > 0) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}

/** Like readLineBatches, one line at a time. */
export async function* readLines(
  stream: Readable | AsyncIterable<Buffer | string>,
  options: ReadLinesOptions = {},
): AsyncGenerator<string> {
  for await (const batch of readLineBatches(stream, options)) yield* batch;
}
