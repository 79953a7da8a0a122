import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export interface ReadLinesOptions {
  /** Also break on a lone `\r` (old Mac line ends; WhatsApp exports can have them). Default false. */
  loneCarriageReturn?: boolean;
}

/**
 * Splits a byte stream into UTF-8 lines without holding more than one chunk and one partial
 * line in memory. Handles `\n` and `\r\n` (and lone `\r` when asked); strips a leading BOM;
 * a multi-byte character split across chunks is decoded whole; a long line spread over many
 * chunks is joined once, not rescanned per chunk. Yields lines in batches, which keeps the
 * per-line cost of async iteration out of hot loops.
 */
export async function* readLineBatches(
  stream: Readable | AsyncIterable<Buffer | string>,
  options: ReadLinesOptions = {},
): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  const loneCr = options.loneCarriageReturn === true;
  const splitter = loneCr ? /\r\n|\r|\n/ : /\r?\n/;
  /** Pieces of the line that is not finished yet. */
  let pending: string[] = [];
  let first = true;
  let skipLeadingLf = false;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (skipLeadingLf && text.length > 0) {
      if (text.charCodeAt(0) === 0x0a) text = text.slice(1);
      skipLeadingLf = false;
    }
    const firstBreak = loneCr ? firstBreakIndex(text) : text.indexOf('\n');
    if (firstBreak === -1) {
      if (text.length > 0) pending.push(text);
      continue;
    }
    if (pending.length > 0) {
      pending.push(text);
      text = pending.join('');
      pending = [];
    }
    const parts = text.split(splitter);
    const rest = parts.pop() ?? '';
    // With lone "\r" as a break, a chunk ending in "\r" may be the first half of "\r\n".
    if (loneCr && text.endsWith('\r')) skipLeadingLf = true;
    if (rest.length > 0) pending.push(rest);
    yield parts;
  }
  const tail = decoder.end();
  if (tail.length > 0) pending.push(tail);
  if (pending.length > 0) {
    const last = pending.join('');
    const lines = last.split(splitter);
    if (lines[lines.length - 1] === '') lines.pop();
    // Without lone-CR breaks, a final "\r" is the end of a CRLF cut short.
    if (!loneCr && lines.length > 0)
      lines[lines.length - 1] = lines[lines.length - 1]!.replace(/\r$/, '');
    if (lines.length > 0) yield lines;
  }
}

function firstBreakIndex(text: string): number {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (lf === -1) return cr;
  if (cr === -1) return lf;
  return Math.min(lf, cr);
}

/** Like readLineBatches, one line at a time. */
export async function* readLines(
  stream: Readable | AsyncIterable<Buffer | string>,
  options: ReadLinesOptions = {},
): AsyncGenerator<string> {
  for await (const batch of readLineBatches(stream, options)) yield* batch;
}
