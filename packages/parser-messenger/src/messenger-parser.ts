import {
  createIdentityMatcher,
  displayPath,
  localTimeZone,
  ParseError,
  resolveTimeZone,
  sourceFilePath,
  type ConversationParserV1,
  type InputSource,
  type ParseEvent,
  type ParseWarning,
  type Platform,
} from '@alterego/core';
import { buildConversation, fnv1a } from './build-conversation.js';
import { readClassicPage } from './classic-json.js';
import type { DraftMessage, DraftPage } from './draft.js';
import { readE2eePage } from './e2ee-json.js';
import { readHtmlPage } from './html-thread.js';
import { jsonErrorPlace } from './json-error.js';
import { discoverThreads, type ThreadFile, type ThreadFiles } from './layout.js';
import { ownerFromThreads, readOwnerNames } from './owner.js';

/** The format id in `source.format` and in warnings. */
export const FORMAT = 'messenger';

export interface MessengerParserOptions {
  /**
   * The platform of the conversations. By default a download is Instagram's when its messages
   * sit under `your_instagram_activity/`, and Facebook Messenger's otherwise; set it for an
   * older Instagram download that uses the plain `messages/inbox/` layout.
   */
  platform?: 'messenger' | 'instagram';
}

const EXPECTED =
  'expected a Facebook or Instagram "Download your information" export (zip or folder) with messages/inbox/<thread>/message_1.json (or .html), an E2EE download of <Name>_<N>.json files, or one such file';

/** Largest thread file read at once; Facebook splits threads into pages far below this. */
const MAX_PAGE_BYTES = 512 * 1024 * 1024;

interface ReadResult {
  page?: DraftPage;
  warnings: ParseWarning[];
}

async function readFile(
  input: InputSource,
  file: ThreadFile,
  timeZone: string,
): Promise<ReadResult> {
  const where = displayPath(input, file.entry);
  const warn = (ruleId: string, reason: string, at: { line?: number; column?: number } = {}) => ({
    warnings: [{ file: where, ...at, ruleId: `${FORMAT}:${ruleId}`, reason, source: FORMAT }],
  });
  let source: string;
  try {
    source = await file.entry.readText(MAX_PAGE_BYTES);
  } catch (cause) {
    return warn('unreadable', `could not be read (${(cause as Error).message}); file skipped`);
  }
  if (file.kind === 'html') {
    const page = readHtmlPage(source, timeZone);
    if (page.messages.length === 0)
      return warn(
        'no-messages',
        'no messages found in this HTML page (expected sender, text and date for each); file skipped',
      );
    return { page, warnings: [] };
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (cause) {
    const error = cause as Error;
    return warn(
      'bad-json',
      `not valid JSON (${error.message}); thread file skipped, the rest of the export is read`,
      jsonErrorPlace(source) ?? {},
    );
  }
  const page = file.kind === 'e2ee' ? readE2eePage(value) : readClassicPage(value);
  if (typeof page === 'string') return warn('not-a-thread', `${page}; file skipped`);
  const warnings: ParseWarning[] = [];
  if (page.skipped > 0) {
    warnings.push({
      file: where,
      ruleId: `${FORMAT}:bad-message`,
      reason: `${page.skipped} message${page.skipped === 1 ? '' : 's'} without a valid ${file.kind === 'e2ee' ? '"timestamp"' : '"timestamp_ms"'} skipped`,
      source: FORMAT,
    });
  }
  return { page, warnings };
}

/** Messages of a page oldest first: Facebook writes pages newest first, the E2EE download oldest first. */
function oldestFirst(messages: DraftMessage[]): DraftMessage[] {
  return messages.length > 1 && messages[0]!.time > messages[messages.length - 1]!.time
    ? messages.reverse()
    : messages;
}

function conversationId(thread: ThreadFiles, name: string): string {
  return thread.files[0]?.kind === 'e2ee'
    ? `${thread.platform}:e2ee:${name}`
    : `${thread.platform}:${name}`;
}

/**
 * Creates the Facebook Messenger and Instagram parser: "Download your information" exports
 * (zip, several part zips, or the unpacked folder; JSON or HTML; every layout and section), the
 * E2EE "secure storage" download, and single thread files.
 */
export function createMessengerParser(options: MessengerParserOptions = {}): ConversationParserV1 {
  const platforms: readonly Platform[] = options.platform
    ? [options.platform]
    : ['messenger', 'instagram'];
  const discover = (input: InputSource) =>
    discoverThreads(input, options.platform ? { platform: options.platform } : {});
  return {
    specificationVersion: 'v1',
    format: FORMAT,
    displayName:
      'Facebook Messenger / Instagram "Download your information" (zip or folder, JSON or HTML, E2EE download)',
    platforms,
    async detect(input) {
      const { threads } = await discover(input);
      if (threads.length === 0) return undefined;
      const entries = threads.flatMap((thread) => thread.files.map((file) => file.entry.path));
      const structural = threads.some(
        (thread) => thread.section !== undefined || !thread.nameFromFile,
      );
      return {
        confidence: structural ? 1 : 0.9,
        entries,
        reason: `${threads.length} Messenger thread${threads.length === 1 ? '' : 's'} (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`,
      };
    },
    async *parse(input, parseOptions = {}): AsyncGenerator<ParseEvent> {
      const timeZone = resolveTimeZone(parseOptions.timeZone ?? localTimeZone());
      const { threads, ownerFiles } = await discover(input);
      if (threads.length === 0) {
        throw new ParseError(`no Messenger or Instagram thread found; ${EXPECTED}`, {
          file: input.path,
          ruleId: `${FORMAT}:no-threads`,
        });
      }
      const me = parseOptions.me ?? [];
      let ownerNames: string[] = me.length > 0 ? [...me] : await readOwnerNames(ownerFiles);
      if (ownerNames.length === 0) {
        const common = await ownerFromThreads(threads);
        if (common) ownerNames = [common];
      }
      const matcher = createIdentityMatcher(ownerNames);
      const isSelf = (name: string) => !matcher.empty && matcher.matches({ name });
      if (matcher.empty) {
        yield {
          type: 'warning',
          warning: {
            file: input.path,
            ruleId: `${FORMAT}:no-self`,
            reason:
              'could not tell who made the export (no profile_information.json or autofill_information.json, and no one person in every thread); pass --me NAME to mark your messages',
            source: FORMAT,
            skipped: false,
          },
        };
      }
      const usedIds = new Set<string>();
      let selfFound = false;
      for (const thread of threads) {
        if (parseOptions.signal?.aborted) return;
        let title: string | null = null;
        let participants: string[] = [];
        let group = false;
        let folder: string | undefined;
        const messages: DraftMessage[] = [];
        let read = 0;
        for (const file of thread.files) {
          const result = await readFile(input, file, timeZone);
          for (const warning of result.warnings) yield { type: 'warning', warning };
          const page = result.page;
          if (!page) continue;
          read += 1;
          // Files come oldest page first; the newest page (message_1) has the latest title and people.
          if (page.title !== null) title = page.title;
          if (page.participants.length > 0) participants = page.participants;
          group ||= page.group;
          folder ??= page.threadFolder;
          for (const message of oldestFirst(page.messages)) messages.push(message);
        }
        if (read === 0) continue;
        const name = thread.nameFromFile && folder ? folder : thread.name;
        let id = conversationId(thread, name);
        if (usedIds.has(id)) id = `${id}:${fnv1a(thread.files[0]!.entry.path)}`;
        usedIds.add(id);
        const conversation = buildConversation({
          id,
          platform: thread.platform,
          format: FORMAT,
          file: sourceFilePath(input, thread.files[thread.files.length - 1]!.entry),
          title,
          participants,
          group,
          messages,
          isSelf,
        });
        if (conversation.participants.some((participant) => participant.self)) selfFound = true;
        yield { type: 'conversation', conversation };
      }
      if (!matcher.empty && !selfFound) {
        yield {
          type: 'warning',
          warning: {
            file: input.path,
            ruleId: `${FORMAT}:no-self`,
            reason: `nobody in the export matches ${me.length > 0 ? '--me' : 'the profile name'} (${ownerNames.join(', ')}); no messages are marked as yours`,
            source: FORMAT,
            skipped: false,
          },
        };
      }
    },
  };
}

/** The Facebook Messenger and Instagram parser. */
export const messenger: ConversationParserV1 = createMessengerParser();
