import {
  displayPath,
  localTimeZone,
  looksLikeText,
  ParseError,
  resolveTimeZone,
  sourceFilePath,
  type ConversationParserV1,
  type InputEntry,
  type InputSource,
  type ParseEvent,
} from '@alterego/core';
import { ChatFileReader, FORMAT } from './chat-file.js';
import { parseHeader } from './header.js';

export interface WhatsAppParserOptions {
  /**
   * Whether dates are day/month (`true`) or month/day (`false`). Leave it out to infer the
   * order from all of a chat's dates; set it for a chat too short to tell.
   */
  dayFirst?: boolean;
}

/** Prefixes of export file names, by language; the chat's name follows. */
const FILE_NAME_PREFIXES = [
  'WhatsApp Chat - ',
  'WhatsApp Chat with ',
  'WhatsApp Chat mit ',
  'Chat de WhatsApp con ',
  'Chat WhatsApp con ',
  'Чат WhatsApp с ',
  'Conversa no WhatsApp com ',
  'Conversa do WhatsApp com ',
  'Discussion WhatsApp avec ',
  'WhatsApp-chat met ',
  'WhatsApp Sohbeti: ',
  'Chat WhatsApp dengan ',
  'Czat WhatsApp z ',
];

const EXPECTED =
  'expected a WhatsApp "Export chat" file, with lines like "[31/12/2023, 21:15:00] Name: text" or "12/31/23, 9:15 PM - Name: text"';

/** The chat's name from an export file name, if the name is one WhatsApp gives. */
export function chatNameFromFileName(fileName: string): string | undefined {
  const base = fileName.replace(/\.(?:txt|zip)$/i, '');
  for (const prefix of FILE_NAME_PREFIXES) {
    for (const candidate of [prefix, prefix.replace(/ /g, '_')]) {
      if (
        base.toLowerCase().startsWith(candidate.toLowerCase()) &&
        base.length > candidate.length
      ) {
        // Numbered copies: "WhatsApp Chat with Alex (2).txt".
        return base
          .slice(candidate.length)
          .replace(/_/g, ' ')
          .replace(/\s\(\d+\)$/, '')
          .trim();
      }
    }
  }
  return undefined;
}

/** How much of a file is read to recognise a chat. */
const HEAD_BYTES = 64 * 1024;

/** Whether the start of a file reads like a WhatsApp chat: its first lines carry message headers. */
function headLooksLikeChat(head: Buffer): boolean {
  if (head.length === 0 || !looksLikeText(head)) return false;
  const lines = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/, 40);
  // The last line of a partial head may be cut short.
  if (head.length >= HEAD_BYTES) lines.pop();
  const nonEmpty = lines.filter((line) => line.trim() !== '');
  if (nonEmpty.length === 0) return false;
  const parsed = nonEmpty.map((line) => parseHeader(line));
  const headers = parsed.filter((header) => header !== undefined);
  if (headers.length === 0) return false;
  // The first line is a message, or most lines of the head share one header shape.
  const firstIsHeader = parsed[0] !== undefined;
  const signatures = new Map<number, number>();
  for (const header of headers)
    signatures.set(header.signature, (signatures.get(header.signature) ?? 0) + 1);
  const shared = Math.max(...signatures.values());
  return (
    (firstIsHeader && (nonEmpty.length === 1 || shared >= 2)) ||
    shared >= Math.max(3, nonEmpty.length / 2)
  );
}

/** Entries worth reading: text files, and files without an extension (renamed exports). */
function mayBeChat(entry: InputEntry): boolean {
  const dot = entry.name.lastIndexOf('.');
  return dot <= 0 || entry.name.slice(dot).toLowerCase() === '.txt';
}

async function chatEntries(input: InputSource): Promise<InputEntry[]> {
  const found: InputEntry[] = [];
  for (const entry of await input.entries()) {
    if (!mayBeChat(entry) || entry.size === 0) continue;
    if (headLooksLikeChat(await entry.readHead(HEAD_BYTES))) found.push(entry);
  }
  return found;
}

/** The chat's name: from the file's own name, or the zip or folder it sits in. */
function titleFor(input: InputSource, entry: InputEntry): string | undefined {
  const segments = entry.path.split('/');
  const fromEntry = chatNameFromFileName(entry.name);
  if (fromEntry !== undefined) return fromEntry;
  for (let index = segments.length - 2; index >= 0; index -= 1) {
    const fromParent = chatNameFromFileName(segments[index]!);
    if (fromParent !== undefined) return fromParent;
  }
  return input.kind === 'file' ? undefined : chatNameFromFileName(input.name);
}

/**
 * Creates the WhatsApp parser: "Export chat" `.txt` files and the iOS `.zip` (`_chat.txt` with
 * media), alone, in folders or in zips, from Android and iOS phones in any locale.
 */
export function createWhatsAppParser(options: WhatsAppParserOptions = {}): ConversationParserV1 {
  return {
    specificationVersion: 'v1',
    format: FORMAT,
    displayName: 'WhatsApp "Export chat" (.txt or .zip)',
    platforms: ['whatsapp'],
    async detect(input) {
      const entries = await chatEntries(input);
      if (entries.length === 0) return undefined;
      return {
        confidence: entries.some(
          (entry) => entry.name === '_chat.txt' || chatNameFromFileName(entry.name),
        )
          ? 1
          : 0.9,
        entries: entries.map((entry) => entry.path),
        reason: `WhatsApp message lines in ${entries.map((entry) => entry.path).join(', ')}`,
      };
    },
    async *parse(input, parseOptions = {}): AsyncGenerator<ParseEvent> {
      const timeZone = resolveTimeZone(parseOptions.timeZone ?? localTimeZone());
      const entries = await chatEntries(input);
      if (entries.length === 0) {
        throw new ParseError(`no WhatsApp chat found; ${EXPECTED}`, {
          file: input.path,
          ruleId: `${FORMAT}:no-chat`,
        });
      }
      for (const entry of entries) {
        if (parseOptions.signal?.aborted) return;
        const file = displayPath(input, entry);
        const reader = new ChatFileReader({
          file,
          sourceFile: sourceFilePath(input, entry),
          title: titleFor(input, entry),
          timeZone,
          me: parseOptions.me ?? [],
          dayFirst: options.dayFirst,
        });
        for await (const chunk of await entry.stream()) {
          if (parseOptions.signal?.aborted) return;
          reader.write(chunk as Buffer);
        }
        const { conversation, warnings } = reader.finish();
        for (const warning of warnings) yield { type: 'warning', warning };
        if (conversation) {
          yield { type: 'conversation', conversation };
        } else {
          yield {
            type: 'warning',
            warning: {
              file,
              ruleId: `${FORMAT}:no-messages`,
              reason: `no message lines found; ${EXPECTED}; skipped`,
              source: FORMAT,
            },
          };
        }
      }
    },
  };
}

/** The WhatsApp parser with day/month order inferred per chat. */
export const whatsapp: ConversationParserV1 = createWhatsAppParser();
