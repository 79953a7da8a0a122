import type { Conversation, Platform } from './conversation.js';
import type { InputSource } from './input.js';

/**
 * A problem in one part of an input that was reported and skipped, in the shape of a
 * VFileMessage: where it is (file, line, column), what kind it is (ruleId), and why (reason).
 */
export interface ParseWarning {
  /** The file, relative to the input the user gave (`chat.zip/_chat.txt`), or the input itself. */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** A stable id for the kind of problem: `<format>:<rule>`, e.g. `whatsapp:bad-date`. */
  ruleId: string;
  /** One sentence saying what was wrong and what was done about it. */
  reason: string;
  /** The format of the parser that reported it. */
  source: string;
  /**
   * False for advice that lost nothing (no owner detected, an assumption made). Otherwise, and
   * by default, part of the input was skipped: commands exit with "partial" (3).
   */
  skipped?: boolean;
}

/**
 * A warning of the parser whose format is `source`, about `file`: `ruleId` is `<source>:<rule>`;
 * `skipped: false` only for advice that lost nothing.
 */
export function createParseWarning(
  source: string,
  file: string,
  rule: string,
  reason: string,
  { line, skipped = true }: { line?: number; skipped?: boolean } = {},
): ParseWarning {
  return {
    file,
    ...(line === undefined ? {} : { line }),
    ruleId: `${source}:${rule}`,
    reason,
    source,
    ...(skipped ? {} : { skipped: false }),
  };
}

/** Options every parser understands. Platform-specific options go to the parser's factory. */
export interface ParseOptions {
  /** Names, phone numbers or handles of the person who exported the chats (`--me`, repeatable). */
  me?: readonly string[];
  /** IANA zone for exports whose times carry no zone (`--tz`); default: this machine's zone. */
  timeZone?: string;
  /** Stops parsing early. */
  signal?: AbortSignal;
}

/** What `parse` yields: conversations, and warnings as values, in the order they are found. */
export type ParseEvent =
  { type: 'conversation'; conversation: Conversation } | { type: 'warning'; warning: ParseWarning };

/** A parser's claim on an input. */
export interface Detection {
  /** 0 to 1: how sure the parser is. A structural match (a known zip layout, a schema key) is 1. */
  confidence: number;
  /** The entry paths the parser will read. */
  entries: readonly string[];
  /** What gave it away, for `--debug` and error messages. */
  reason: string;
}

/**
 * Version 1 of the parser specification. Every platform package implements it; nothing about
 * the platform leaks past it. Keep `specificationVersion` so that a later v2 can live beside it.
 */
export interface ConversationParserV1 {
  readonly specificationVersion: 'v1';
  /** Stable format id, used in `source.format` and in warnings: `whatsapp-txt`, `messenger-json`, … */
  readonly format: string;
  /** A human name for lists of supported formats: `WhatsApp "Export chat" (.txt or .zip)`. */
  readonly displayName: string;
  readonly platforms: readonly Platform[];
  /**
   * Recognises inputs from their content (entry names inside a zip or folder, SQLite headers,
   * JSON keys, line shapes), never from file extensions alone. Undefined when not recognised.
   */
  detect(input: InputSource): Promise<Detection | undefined>;
  /**
   * Streams the conversations of an input. A broken part is a warning and is skipped; an input
   * that cannot be read as this format at all throws a ParseError naming the file.
   */
  parse(input: InputSource, options?: ParseOptions): AsyncIterable<ParseEvent>;
}

/** Reads a parse stream to the end. For tests and small inputs; real pipelines should stream. */
export async function collectParse(
  events: AsyncIterable<ParseEvent>,
): Promise<{ conversations: Conversation[]; warnings: ParseWarning[] }> {
  const conversations: Conversation[] = [];
  const warnings: ParseWarning[] = [];
  for await (const event of events) {
    if (event.type === 'conversation') conversations.push(event.conversation);
    else warnings.push(event.warning);
  }
  return { conversations, warnings };
}
