import { ConversationSchema, type Conversation } from '../conversation.js';
import { formatZodError } from '../jsonl.js';
import { openInput } from '../input.js';
import {
  collectParse,
  type ConversationParserV1,
  type ParseOptions,
  type ParseWarning,
} from '../parser.js';

/**
 * Text that a parser left typed as `text` although it is a platform marker: a media
 * placeholder, a reaction or tapback line, an encryption notice, a deletion notice.
 * Used by the conformance suite; extend it when a new marker is found in the wild.
 */
export const PLATFORM_MARKERS: readonly RegExp[] = [
  /^<?(?:media|image|video|audio|sticker|gif|document|contact card)\s+omitted>?$/i,
  /^<(?:medien ausgeschlossen|medien weggelassen|multimedia omitido|archivo omitido|médias omis|fichier omis|media omessi|mídia omitida|без медиафайлов)>$/iu,
  /<attached:\s*[^>]+>/i,
  /\(file attached\)$/i,
  /^Messages and calls are end-to-end encrypted/i,
  /^Messages to this (?:chat|group) (?:and calls )?are now secured with end-to-end encryption/i,
  /^(?:You|\S.*) sent an attachment\.$/i,
  /^Reacted .+ to your message/i,
  /^(?:Loved|Liked|Disliked|Laughed at|Emphasized|Questioned) “/,
  /^This message was deleted\.?$/i,
  /^You deleted this message\.?$/i,
  /<This message was edited>/i,
  /\uFFFC/,
  /^Missed (?:voice|video) call$/i,
];

/** A rule of the conformance suite that output broke. */
export interface ConformanceProblem {
  rule:
    | 'schema'
    | 'ascending-time'
    | 'unknown-participant'
    | 'several-self'
    | 'marker-as-text'
    | 'empty-text'
    | 'unstable-id'
    | 'format'
    | 'platform'
    | 'warning-shape'
    | 'no-conversations';
  conversation?: string;
  message?: string;
  detail: string;
}

/**
 * Checks conversations against the rules every parser follows (DESIGN.md §3): schema-valid,
 * ascending times, every referenced participant exists, at most one self, nothing that is a
 * platform marker typed as text, no text message without text.
 */
export function checkConversations(conversations: readonly unknown[]): ConformanceProblem[] {
  const problems: ConformanceProblem[] = [];
  for (const value of conversations) {
    const id =
      typeof value === 'object' && value !== null && 'id' in value ? String(value.id) : undefined;
    const result = ConversationSchema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.map(String).join('.');
        const rule = issue.message.startsWith('messages must be ascending')
          ? 'ascending-time'
          : issue.message.includes('is not a participant')
            ? 'unknown-participant'
            : issue.message.startsWith('at most one participant')
              ? 'several-self'
              : 'schema';
        problems.push({ rule, conversation: id, detail: `${path}: ${issue.message}` });
      }
      if (result.error.issues.length === 0) {
        problems.push({ rule: 'schema', conversation: id, detail: formatZodError(result.error) });
      }
      continue;
    }
    for (const message of result.data.messages) {
      if (message.type !== 'text') continue;
      if (message.text.trim() === '') {
        problems.push({
          rule: 'empty-text',
          conversation: id,
          message: message.id,
          detail: 'a text message with no text',
        });
        continue;
      }
      const marker = PLATFORM_MARKERS.find((pattern) => pattern.test(message.text));
      if (marker) {
        problems.push({
          rule: 'marker-as-text',
          conversation: id,
          message: message.id,
          detail: `typed as text but matches the platform marker ${marker}: ${JSON.stringify(message.text.slice(0, 80))}`,
        });
      }
    }
  }
  return problems;
}

function idsOf(conversations: readonly Conversation[]): string[] {
  return conversations.flatMap((conversation) => [
    conversation.id,
    ...conversation.messages.map((message) => `${conversation.id}/${message.id}`),
  ]);
}

/** One input a parser must handle, for the conformance suite. */
export interface ConformanceFixture {
  /** Shown as the test name. */
  name: string;
  /** A path to the input, or a function that creates it (and returns its path). */
  input: string | (() => string | Promise<string>);
  options?: ParseOptions;
  /** Set when the fixture is meant to produce warnings (a deliberately broken part). */
  allowWarnings?: boolean;
  /**
   * The `source.format` the conversations must carry; default the parser's format. `null` for
   * parsers that pass conversations through unchanged (alterego's own JSONL).
   */
  sourceFormat?: string | null;
}

export interface RunConformanceOptions {
  parseOptions?: ParseOptions;
  /** As ConformanceFixture.sourceFormat. */
  sourceFormat?: string | null;
}

export interface ConformanceResult {
  conversations: Conversation[];
  warnings: ParseWarning[];
  problems: ConformanceProblem[];
}

/**
 * Runs a parser twice on one input and checks everything the suite checks: detection, the
 * conversation rules, the format and platform fields, stable ids, and the shape of warnings.
 */
export async function runConformance(
  parser: ConversationParserV1,
  path: string,
  { parseOptions = {}, sourceFormat = parser.format }: RunConformanceOptions = {},
): Promise<ConformanceResult & { detected: boolean }> {
  const parseOnce = async () => {
    const input = await openInput(path);
    try {
      const detected = (await parser.detect(input)) !== undefined;
      return { detected, ...(await collectParse(parser.parse(input, parseOptions))) };
    } finally {
      await input.close();
    }
  };
  const first = await parseOnce();
  const second = await parseOnce();
  const problems = checkConversations(first.conversations);
  if (first.conversations.length === 0) {
    problems.push({ rule: 'no-conversations', detail: `no conversation parsed from ${path}` });
  }
  for (const conversation of first.conversations) {
    if (sourceFormat !== null && conversation.source.format !== sourceFormat) {
      problems.push({
        rule: 'format',
        conversation: conversation.id,
        detail: `source.format is "${conversation.source.format}", expected "${sourceFormat}"`,
      });
    }
    if (!parser.platforms.includes(conversation.platform)) {
      problems.push({
        rule: 'platform',
        conversation: conversation.id,
        detail: `platform "${conversation.platform}" is not one of the parser's platforms (${parser.platforms.join(', ')})`,
      });
    }
  }
  const before = idsOf(first.conversations);
  const after = idsOf(second.conversations);
  if (before.length !== after.length || before.some((value, index) => value !== after[index])) {
    const changed = before.find((value, index) => value !== after[index]) ?? '(count differs)';
    problems.push({
      rule: 'unstable-id',
      detail: `ids differ between two runs on the same input, first at ${changed}`,
    });
  }
  for (const warning of first.warnings) {
    if (!warning.file || !warning.ruleId || !warning.reason || warning.source !== parser.format) {
      problems.push({
        rule: 'warning-shape',
        detail: `warning without file, ruleId, reason or source: ${JSON.stringify(warning)}`,
      });
    }
  }
  return {
    detected: first.detected,
    conversations: first.conversations,
    warnings: first.warnings,
    problems,
  };
}
