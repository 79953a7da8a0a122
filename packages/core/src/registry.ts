import { UnsupportedFormatError } from './errors/unsupported-format-error.js';
import type { InputEntry, InputSource } from './input.js';
import type { ConversationParserV1, Detection, ParseEvent, ParseOptions } from './parser.js';

/** One parser's claim on an input. */
export interface ParserMatch {
  parser: ConversationParserV1;
  detection: Detection;
}

/** Picks the parsers for an input and runs them. */
export interface ParserRegistry {
  readonly parsers: readonly ConversationParserV1[];
  /** Human names of the supported formats. */
  formats(): string[];
  /**
   * Every parser that recognises something in the input, most confident first. A parser whose
   * entries are all claimed by a more confident one is left out.
   */
  detect(input: InputSource): Promise<ParserMatch[]>;
  /** Like detect, but throws an UnsupportedFormatError listing the supported formats when nothing matches. */
  match(input: InputSource): Promise<ParserMatch[]>;
  /**
   * Parses an input with every parser that recognises part of it. Throws an
   * UnsupportedFormatError that lists the supported formats when none does.
   */
  parse(input: InputSource, options?: ParseOptions): AsyncIterable<ParseEvent & { format: string }>;
}

/** Creates a registry over a list of parsers. Formats must be unique. */
export function createParserRegistry(parsers: readonly ConversationParserV1[]): ParserRegistry {
  const seen = new Set<string>();
  for (const parser of parsers) {
    if (parser.specificationVersion !== 'v1') {
      throw new TypeError(
        `parser "${parser.format}" implements specification ${String(parser.specificationVersion)}; this @alterego/core supports v1`,
      );
    }
    if (seen.has(parser.format)) throw new TypeError(`two parsers for format "${parser.format}"`);
    seen.add(parser.format);
  }

  async function detect(input: InputSource): Promise<ParserMatch[]> {
    const found: ParserMatch[] = [];
    for (const parser of parsers) {
      const detection = await parser.detect(input);
      if (detection && detection.entries.length > 0) found.push({ parser, detection });
    }
    found.sort((a, b) => b.detection.confidence - a.detection.confidence);
    const claimed = new Set<string>();
    const kept: ParserMatch[] = [];
    for (const match of found) {
      if (match.detection.entries.every((entry) => claimed.has(entry))) continue;
      match.detection.entries.forEach((entry) => claimed.add(entry));
      kept.push(match);
    }
    return kept;
  }

  async function match(input: InputSource): Promise<ParserMatch[]> {
    const matches = await detect(input);
    if (matches.length === 0) {
      throw new UnsupportedFormatError({
        file: input.path,
        supported: parsers.map((parser) => parser.displayName),
        found: await describeInput(input),
      });
    }
    return matches;
  }

  return {
    parsers,
    formats: () => parsers.map((parser) => parser.displayName),
    detect,
    match,
    async *parse(input, options) {
      for (const { parser } of await match(input)) {
        for await (const event of parser.parse(input, options)) {
          yield { ...event, format: parser.format };
        }
      }
    },
  };
}

/** A few words on what an input is, for "not a supported export (found …)" messages. */
export async function describeInput(input: InputSource): Promise<string> {
  const entries = await input.entries();
  if (input.kind === 'directory') {
    return entries.length === 0
      ? 'an empty folder'
      : `a folder of ${entries.length} file${entries.length === 1 ? '' : 's'} with no chat export among them`;
  }
  if (input.kind === 'zip') {
    return entries.length === 0
      ? 'an empty zip archive'
      : `a zip archive of ${entries.length} file${entries.length === 1 ? '' : 's'} with no chat export among them`;
  }
  const entry = entries[0] as InputEntry;
  if (entry.size === 0) return 'an empty file';
  return looksLikeText(await entry.readHead(4096)) ? 'a text file' : 'binary data';
}

/** True when the bytes are plausibly UTF-8 text: no NUL bytes, few control characters. */
export function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return true;
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control += 1;
  }
  return control / head.length < 0.02;
}
