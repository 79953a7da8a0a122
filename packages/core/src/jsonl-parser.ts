import { CONVERSATION_SCHEMA_ID, PLATFORMS } from './conversation.js';
import { displayPath, type InputEntry } from './input.js';
import { readConversationsJsonl } from './jsonl.js';
import type { ConversationParserV1, ParseEvent, ParseWarning } from './parser.js';

const FORMAT = 'alterego-jsonl';
const SCHEMA_KEY = /"schema"\s*:\s*"alterego\.conversation\/1"/;

async function isConversationJsonl(entry: InputEntry): Promise<boolean> {
  const head = (await entry.readHead(64 * 1024)).toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = head.split('\n').find((line) => line.trim() !== '');
  return (
    firstLine !== undefined && firstLine.trimStart().startsWith('{') && SCHEMA_KEY.test(firstLine)
  );
}

/**
 * Reads alterego's own Conversation JSONL (what `alterego convert` writes), so that converted
 * files and raw exports can be mixed as inputs. Invalid lines are warnings and are skipped.
 */
export function createConversationJsonlParser(): ConversationParserV1 {
  return {
    specificationVersion: 'v1',
    format: FORMAT,
    displayName: `alterego Conversation JSONL (${CONVERSATION_SCHEMA_ID})`,
    platforms: PLATFORMS,
    async detect(input) {
      const matched: string[] = [];
      for (const entry of await input.entries()) {
        if (await isConversationJsonl(entry)) matched.push(entry.path);
      }
      return matched.length > 0
        ? {
            confidence: 1,
            entries: matched,
            reason: `"schema": "${CONVERSATION_SCHEMA_ID}" on the first line`,
          }
        : undefined;
    },
    async *parse(input, options = {}) {
      for (const entry of await input.entries()) {
        if (options.signal?.aborted) return;
        if (!(await isConversationJsonl(entry))) continue;
        const file = displayPath(input, entry);
        const pending: ParseWarning[] = [];
        const conversations = readConversationsJsonl(await entry.stream(), {
          file,
          invalid: 'skip',
          onInvalid: (error) =>
            pending.push({
              file,
              line: error.line,
              ruleId: `${FORMAT}:invalid-line`,
              reason: `${error.reason}; line skipped`,
              source: FORMAT,
            }),
        });
        for await (const conversation of conversations) {
          yield* drain(pending);
          yield { type: 'conversation', conversation };
        }
        yield* drain(pending);
      }
    },
  };
}

function* drain(pending: ParseWarning[]): Generator<ParseEvent> {
  for (const warning of pending.splice(0)) yield { type: 'warning', warning };
}
