import type { Conversation } from '../conversation.js';
import { openInput } from '../input.js';
import type { ConversationParserV1, ParseOptions } from '../parser.js';

/** What a benchmark subject reports after one run over the generated input. */
export interface BenchmarkRunResult {
  /** How many items it produced (messages, lines, conversations): equal counts mean a fair race. */
  items: number;
  /**
   * How long the measured part took, in ms, when the subject times it itself (a server timed
   * from its first answer to its last, without its start and warm-up). Default: the whole run.
   */
  ms?: number;
}

/** One implementation raced in a benchmark: ours, or a peer library doing the same job. */
export interface BenchmarkSubject {
  name: string;
  /** True for other projects' code; the first non-peer subject is the baseline of the ratios. */
  peer?: boolean;
  run(input: string): Promise<BenchmarkRunResult>;
}

/** What `generate` made. */
export interface GeneratedInput {
  /** Path of the generated file or folder. */
  path: string;
  /** Size on disk in bytes, for MB/s. */
  bytes: number;
  /** How many items a correct run produces, checked against every subject's count. */
  items: number;
}

/**
 * A benchmark run by `npm run bench`. Files named `bench/*.bench.ts` in a package export one
 * as default. Each subject runs in its own process, so peak memory is its own.
 */
export interface BenchmarkDefinition {
  /** Unique, kebab-case: `whatsapp-parse`. */
  name: string;
  /** One line for the report. */
  description: string;
  /** What `size` counts and its default (chosen to finish in minutes on 2 cores). */
  size: { unit: string; default: number };
  /** What `items` counts, for throughput: `messages`. */
  itemUnit: string;
  /** Writes a realistic input of the given size into `dir`. Deterministic for a given size. */
  generate(options: { size: number; dir: string }): Promise<GeneratedInput>;
  subjects: readonly BenchmarkSubject[];
}

/** Identity function that types a benchmark definition. */
export function defineBenchmark(definition: BenchmarkDefinition): BenchmarkDefinition {
  return definition;
}

export interface ParserSubjectOptions {
  name: string;
  parser: ConversationParserV1;
  options?: ParseOptions;
  /** The items of one conversation (default: its messages). */
  count?: (conversation: Conversation) => number;
}

/**
 * A subject that runs a parser over the generated input and counts the items of each
 * conversation as it comes, holding none of them, as `alterego convert` does.
 */
export function parserSubject({
  name,
  parser,
  options,
  count = (conversation) => conversation.messages.length,
}: ParserSubjectOptions): BenchmarkSubject {
  return {
    name,
    async run(path) {
      const input = await openInput(path);
      let items = 0;
      try {
        for await (const event of parser.parse(input, options)) {
          if (event.type === 'conversation') items += count(event.conversation);
        }
      } finally {
        await input.close();
      }
      return { items };
    },
  };
}
