import {
  displayPath,
  invalidElementWarning,
  ParseError,
  sourceFilePath,
  streamJson,
  type ConversationParserV1,
  type InputEntry,
  type InputSource,
  type ParseEvent,
  type ParseOptions,
} from '@alterego/core';
import { ChannelReader } from './channel-reader.js';
import { HEAD_BYTES, looksLikeExport, mayBeExport } from './detect.js';
import { EXPECTED, FORMAT } from './format.js';

export interface DiscordParserOptions {
  /**
   * Your Discord user id (a snowflake such as `"111111111111111111"`): the surest way to mark
   * you in every channel. Without it, `--me` is matched against display names and user names.
   */
  selfId?: string;
}

async function exportEntries(input: InputSource): Promise<InputEntry[]> {
  const found: InputEntry[] = [];
  for (const entry of await input.entries()) {
    if (entry.size === 0 || !mayBeExport(entry.name)) continue;
    if (looksLikeExport(await entry.readHead(HEAD_BYTES))) found.push(entry);
  }
  // Partitions of one channel (`… [part 2].json`) sit next to each other in path order.
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Streams one export file into a ChannelReader: `guild` and `channel` whole, the messages one
 * at a time. Fields after the messages are read the same way, since the reader builds the
 * Conversation only once the file has ended.
 */
async function readEntry(
  input: InputSource,
  entry: InputEntry,
  reader: ChannelReader,
  options: ParseOptions,
): Promise<boolean> {
  const file = displayPath(input, entry);
  const stream = await entry.stream();
  let sawMessages = false;
  try {
    for await (const event of streamJson(stream, {
      arrays: [['messages']],
      file,
      ruleId: `${FORMAT}:bad-json`,
    })) {
      if (options.signal?.aborted) return false;
      const { path } = event;
      if (event.type === 'open' && path.length === 0 && event.kind !== 'object') {
        throw new ParseError(`the file holds a JSON array; ${EXPECTED}`, {
          file,
          ruleId: `${FORMAT}:not-an-export`,
        });
      }
      if (event.type === 'open' && path.length === 1) sawMessages = true;
      else if (event.type === 'element') reader.add(event.value, event.line);
      else if (event.type === 'invalid') {
        reader.report(invalidElementWarning(event, { file, source: FORMAT, what: 'message' }));
      } else if (event.type === 'value' && path.length === 1) {
        if (path[0] === 'messages') {
          throw new ParseError(`"messages" is not an array; ${EXPECTED}`, {
            file,
            ruleId: `${FORMAT}:not-an-export`,
          });
        }
        reader.field(path[0] as string, event.value);
      } else if (event.type === 'value' && path.length === 0) {
        throw new ParseError(`the file holds a single JSON value; ${EXPECTED}`, {
          file,
          ruleId: `${FORMAT}:not-an-export`,
        });
      }
    }
  } finally {
    stream.destroy();
  }
  if (!sawMessages) {
    throw new ParseError(`no "messages" array found; ${EXPECTED}`, {
      file,
      ruleId: `${FORMAT}:not-an-export`,
    });
  }
  return true;
}

/**
 * Creates the Discord parser: DiscordChatExporter's JSON exports (DMs, group DMs, server
 * channels and threads), one file per channel, alone, in folders or in zips. Files are
 * streamed: only the message being read is held as JSON. Parts of a partitioned export are
 * merged into one conversation.
 */
export function createDiscordParser(options: DiscordParserOptions = {}): ConversationParserV1 {
  return {
    specificationVersion: 'v1',
    format: FORMAT,
    displayName: 'Discord (DiscordChatExporter JSON)',
    platforms: ['discord'],
    async detect(input) {
      const entries = await exportEntries(input);
      if (entries.length === 0) return undefined;
      return {
        confidence: 1,
        entries: entries.map((entry) => entry.path),
        reason: `DiscordChatExporter keys (guild, channel, messages) in ${entries.map((entry) => entry.path).join(', ')}`,
      };
    },
    async *parse(input, parseOptions = {}): AsyncGenerator<ParseEvent> {
      const entries = await exportEntries(input);
      if (entries.length === 0) {
        throw new ParseError(`no Discord export found; ${EXPECTED}`, {
          file: input.path,
          ruleId: `${FORMAT}:no-export`,
        });
      }
      let pending: ChannelReader | undefined;
      let warnedNoSelf = false;
      function* finish(reader: ChannelReader): Generator<ParseEvent> {
        const conversation = reader.finish(!warnedNoSelf);
        for (const warning of reader.takeWarnings()) {
          if (warning.ruleId === `${FORMAT}:no-self`) warnedNoSelf = true;
          yield { type: 'warning', warning };
        }
        if (conversation) yield { type: 'conversation', conversation };
      }
      for (const entry of entries) {
        if (parseOptions.signal?.aborted) return;
        const reader = new ChannelReader({
          file: displayPath(input, entry),
          sourceFile: sourceFilePath(input, entry),
          me: parseOptions.me ?? [],
          selfId: options.selfId,
        });
        if (!(await readEntry(input, entry, reader, parseOptions))) return;
        if (pending && pending.channelId !== undefined && pending.channelId === reader.channelId) {
          pending.merge(reader);
          continue;
        }
        if (pending) yield* finish(pending);
        pending = reader;
      }
      if (pending) yield* finish(pending);
    },
  };
}

/** The Discord parser; pass `--me` with your name, or use createDiscordParser({ selfId }). */
export const discord: ConversationParserV1 = createDiscordParser();
