import {
  displayPath,
  invalidElementWarning,
  localTimeZone,
  ParseError,
  resolveTimeZone,
  sourceFilePath,
  streamJson,
  type Conversation,
  type ConversationParserV1,
  type InputEntry,
  type InputSource,
  type ParseEvent,
  type ParseOptions,
} from '@alterego/core';
import { ChatReader, ownerFromPersonalInformation, type TelegramOwner } from './chat-reader.js';
import { exportShape, HEAD_BYTES, mayBeExport, type ExportShape } from './detect.js';
import { EXPECTED, FORMAT } from './format.js';

export interface TelegramParserOptions {
  /**
   * Also read `left_chats` of the whole-account export (groups and channels you have left).
   * Default true.
   */
  leftChats?: boolean;
}

/** The arrays of messages in either export: a chat's own, and those of every chat in a list. */
const MESSAGE_ARRAYS = [
  ['messages'],
  ['chats', 'list', '*', 'messages'],
  ['left_chats', 'list', '*', 'messages'],
] as const;

async function exportEntries(
  input: InputSource,
): Promise<{ entry: InputEntry; shape: ExportShape }[]> {
  const found: { entry: InputEntry; shape: ExportShape }[] = [];
  for (const entry of await input.entries()) {
    if (entry.size === 0 || !mayBeExport(entry.name)) continue;
    const shape = exportShape(await entry.readHead(HEAD_BYTES));
    if (shape) found.push({ entry, shape });
  }
  return found;
}

/** Whether a path from streamJson is a chat of a whole-account export: `chats.list[3]`. */
function isListedChat(path: readonly (string | number)[], leftChats: boolean): boolean {
  return (
    path.length === 3 &&
    (path[0] === 'chats' || (leftChats && path[0] === 'left_chats')) &&
    path[1] === 'list' &&
    typeof path[2] === 'number'
  );
}

interface EntryContext {
  input: InputSource;
  entry: InputEntry;
  shape: ExportShape;
  timeZone: string;
  options: ParseOptions;
  leftChats: boolean;
}

/**
 * Streams one export file: chats are converted message by message and given out as each chat
 * closes. In the whole-account export `personal_information` comes before `chats`; when a file
 * has it later (or not at all), finished chats wait for it, held in memory until it comes or
 * the file ends, so that the owner is still marked.
 */
async function* parseEntry({
  input,
  entry,
  shape,
  timeZone,
  options,
  leftChats,
}: EntryContext): AsyncGenerator<ParseEvent> {
  const file = displayPath(input, entry);
  const sourceFile = sourceFilePath(input, entry);
  const me = options.me ?? [];
  let owner: TelegramOwner | undefined;
  let ownerRead = false;
  let rootChat: ChatReader | undefined;
  let listed: ChatReader | undefined;
  let waiting: ChatReader[] = [];
  let chats = 0;
  let warnedNoSelf = false;
  const reader = (fallbackId: string) =>
    new ChatReader({ file, sourceFile, timeZone, me, fallbackId });

  function* finish(chat: ChatReader): Generator<ParseEvent> {
    const conversation: Conversation | undefined = chat.finish(owner, !warnedNoSelf);
    for (const warning of chat.takeWarnings()) {
      if (warning.ruleId === `${FORMAT}:no-self`) warnedNoSelf = true;
      yield { type: 'warning', warning };
    }
    if (conversation) {
      chats += 1;
      yield { type: 'conversation', conversation };
    }
  }

  const stream = await entry.stream();
  try {
    for await (const event of streamJson(stream, {
      arrays: MESSAGE_ARRAYS,
      file,
      ruleId: `${FORMAT}:bad-json`,
    })) {
      if (options.signal?.aborted) return;
      const { path } = event;
      switch (event.type) {
        case 'open':
          if (path.length === 0 && event.kind !== 'object') {
            throw new ParseError(`the file holds a JSON array; ${EXPECTED}`, {
              file,
              ruleId: `${FORMAT}:not-an-export`,
            });
          }
          if (event.kind === 'object' && isListedChat(path, leftChats)) {
            listed = reader(`${sourceFile}#${path.join('.')}`);
          } else if (path.length === 1 && path[0] === 'messages') {
            rootChat ??= reader(sourceFile);
          }
          break;
        case 'value':
          if (path.length === 0) {
            throw new ParseError(`the file holds a single JSON value; ${EXPECTED}`, {
              file,
              ruleId: `${FORMAT}:not-an-export`,
            });
          }
          if (path.length === 1) {
            const key = path[0] as string;
            if (key === 'personal_information') {
              ownerRead = true;
              owner = ownerFromPersonalInformation(event.value);
              for (const chat of waiting) yield* finish(chat);
              waiting = [];
            } else if (key === 'name' || key === 'type' || key === 'id') {
              rootChat ??= reader(sourceFile);
              rootChat.field(key, event.value);
            } else if (key === 'messages') {
              throw new ParseError(`"messages" is not an array; ${EXPECTED}`, {
                file,
                ruleId: `${FORMAT}:not-an-export`,
              });
            }
          } else if (listed && path.length === 4 && isListedChat(path.slice(0, 3), leftChats)) {
            listed.field(path[3] as string, event.value);
          }
          break;
        case 'element':
          if (path.length === 2) rootChat?.add(event.value, event.line);
          else if (listed) listed.add(event.value, event.line);
          break;
        case 'invalid': {
          const chat = path.length === 2 ? rootChat : listed;
          chat?.report(invalidElementWarning(event, { file, source: FORMAT, what: 'message' }));
          break;
        }
        case 'close':
          if (listed && isListedChat(path, leftChats)) {
            const chat = listed;
            listed = undefined;
            if (ownerRead) yield* finish(chat);
            else waiting.push(chat);
          }
          break;
      }
    }
  } finally {
    stream.destroy();
  }
  for (const chat of waiting) yield* finish(chat);
  if (rootChat) yield* finish(rootChat);
  else if (shape === 'chat') {
    throw new ParseError(`no "messages" array found; ${EXPECTED}`, {
      file,
      ruleId: `${FORMAT}:not-an-export`,
    });
  }
  if (chats === 0) {
    yield {
      type: 'warning',
      warning: {
        file,
        ruleId: `${FORMAT}:no-messages`,
        reason: 'the export holds no messages; nothing to convert',
        source: FORMAT,
        skipped: false,
      },
    };
  }
}

/**
 * Creates the Telegram parser: Telegram Desktop's JSON exports, a single chat's `result.json`
 * or the whole-account `result.json` (every chat in `chats.list`), alone, in their export
 * folder or in a zip. Files are streamed: only the message being read is held as JSON.
 */
export function createTelegramParser(options: TelegramParserOptions = {}): ConversationParserV1 {
  const leftChats = options.leftChats ?? true;
  return {
    specificationVersion: 'v1',
    format: FORMAT,
    displayName: 'Telegram Desktop export (result.json: one chat or the whole account)',
    platforms: ['telegram'],
    async detect(input) {
      const found = await exportEntries(input);
      if (found.length === 0) return undefined;
      return {
        confidence: 1,
        entries: found.map(({ entry }) => entry.path),
        reason: `Telegram export keys in ${found
          .map(
            ({ entry, shape }) =>
              `${entry.path} (${shape === 'account' ? 'whole account' : 'one chat'})`,
          )
          .join(', ')}`,
      };
    },
    async *parse(input, parseOptions = {}): AsyncGenerator<ParseEvent> {
      const timeZone = resolveTimeZone(parseOptions.timeZone ?? localTimeZone());
      const found = await exportEntries(input);
      if (found.length === 0) {
        throw new ParseError(`no Telegram export found; ${EXPECTED}`, {
          file: input.path,
          ruleId: `${FORMAT}:no-export`,
        });
      }
      for (const { entry, shape } of found) {
        if (parseOptions.signal?.aborted) return;
        yield* parseEntry({ input, entry, shape, timeZone, options: parseOptions, leftChats });
      }
    },
  };
}

/** The Telegram parser with default options. */
export const telegram: ConversationParserV1 = createTelegramParser();
