import {
  displayPath,
  ParseError,
  sourceFilePath,
  type ConversationParserV1,
  type InputEntry,
  type InputSource,
  type ParseEvent,
} from '@alterego/core';
import { FORMAT, readChatDatabase } from './chat-db.js';
import { loadContacts, type ContactBook } from './contacts.js';
import { EXPECTED, isSqliteHead, openMessagesDatabase } from './database.js';

export interface IMessageParserOptions {
  /**
   * Names for phone numbers and e-mail addresses, which chat.db does not have: the path of a
   * vCard (.vcf) or CSV contacts file, or a contact book from `loadContacts`/`createContactBook`.
   */
  contacts?: string | ContactBook;
}

/** Entries that start like a SQLite database. */
async function sqliteEntries(input: InputSource): Promise<InputEntry[]> {
  const found: InputEntry[] = [];
  for (const entry of await input.entries()) {
    if (entry.size < 512) continue;
    if (isSqliteHead(await entry.readHead(16))) found.push(entry);
  }
  return found;
}

/** Whether a SQLite entry is a Messages database; never throws. */
async function isMessagesDatabase(input: InputSource, entry: InputEntry): Promise<boolean> {
  try {
    const { db } = openMessagesDatabase(await entry.localPath(), displayPath(input, entry));
    db.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates the parser for the macOS Messages database (`~/Library/Messages/chat.db`), read
 * read-only, as it is or inside a folder or zip.
 */
export function createIMessageParser(options: IMessageParserOptions = {}): ConversationParserV1 {
  let contacts: Promise<ContactBook> | undefined;
  const contactBook = (): Promise<ContactBook> | undefined => {
    if (options.contacts === undefined) return undefined;
    if (typeof options.contacts !== 'string') return Promise.resolve(options.contacts);
    contacts ??= loadContacts(options.contacts);
    return contacts;
  };
  return {
    specificationVersion: 'v1',
    format: FORMAT,
    displayName: 'iMessage (macOS Messages chat.db)',
    platforms: ['imessage'],
    async detect(input) {
      const entries: InputEntry[] = [];
      for (const entry of await sqliteEntries(input)) {
        if (await isMessagesDatabase(input, entry)) entries.push(entry);
      }
      if (entries.length === 0) return undefined;
      return {
        confidence: 1,
        entries: entries.map((entry) => entry.path),
        reason: `a SQLite database with the Messages tables in ${entries.map((entry) => entry.path).join(', ')}`,
      };
    },
    async *parse(input, parseOptions = {}): AsyncGenerator<ParseEvent> {
      const book = await contactBook();
      const candidates = await sqliteEntries(input);
      if (candidates.length === 0) {
        throw new ParseError(`not a SQLite database; ${EXPECTED}`, {
          file: input.path,
          ruleId: `${FORMAT}:not-sqlite`,
        });
      }
      // A single file must be the Messages database; in a folder or zip, other SQLite files are passed over.
      const only = input.kind === 'file' || candidates.length === 1;
      let parsed = 0;
      let firstError: unknown;
      for (const entry of candidates) {
        if (parseOptions.signal?.aborted) return;
        const file = displayPath(input, entry);
        let opened;
        try {
          opened = openMessagesDatabase(await entry.localPath(), file);
        } catch (error) {
          if (only) throw error;
          firstError ??= error;
          continue;
        }
        parsed += 1;
        try {
          yield* readChatDatabase(opened.db, opened.schema, {
            file,
            sourceFile: sourceFilePath(input, entry),
            contacts: book,
            selfName: parseOptions.me?.[0]?.trim() || 'Me',
            signal: parseOptions.signal,
          });
        } catch (cause) {
          if (ParseError.isInstance(cause)) throw cause;
          throw new ParseError(
            `cannot read the database (${(cause as Error).message}); ${EXPECTED}`,
            { file, ruleId: `${FORMAT}:unreadable-database`, cause },
          );
        } finally {
          opened.db.close();
        }
      }
      if (parsed === 0) throw firstError;
    },
  };
}

/** The iMessage chat.db parser, without contact names (handles are the names). */
export const imessage: ConversationParserV1 = createIMessageParser();
