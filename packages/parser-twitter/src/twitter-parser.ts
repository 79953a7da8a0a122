import {
  CONVERSATION_SCHEMA_ID,
  displayPath,
  normalizeText,
  ParseError,
  sourceFilePath,
  type ConversationParserV1,
  type InputEntry,
  type InputSource,
  type ParseEvent,
  type ParseOptions,
  type ParseWarning,
} from '@alterego/core';
import { findArchives, readManifest, type ArchiveLayout } from './archive-layout.js';
import { convertDirectMessages, type Owner } from './direct-messages.js';
import { asId, asObject, asString } from './fields.js';
import { TweetCollector } from './tweets.js';
import { readYtdFile, YtdFormatError, type YtdItem } from './ytd-file.js';

/** The format id, in `source.format` and in warnings. */
export const FORMAT = 'twitter-archive';

const EXPECTED =
  'expected a Twitter/X archive (the zip or its folder) with data/tweets.js, data/account.js or data/manifest.js starting "window.YTD."';

export interface TwitterParserOptions {
  /** Read direct messages and group messages (default true); false gives the tweets only. */
  directMessages?: boolean;
}

/** One archive, possibly spread over several folders or zips of the same account. */
interface Archive {
  owner: Owner;
  layouts: ArchiveLayout[];
}

class Reporter {
  constructor(private readonly input: InputSource) {}

  warning(
    entry: InputEntry | undefined,
    rule: string,
    reason: string,
    line?: number,
    skipped = true,
  ): ParseEvent {
    const warning: ParseWarning = {
      file: entry ? displayPath(this.input, entry) : this.input.path,
      ruleId: `${FORMAT}:${rule}`,
      reason,
      source: FORMAT,
    };
    if (line !== undefined) warning.line = line;
    if (!skipped) warning.skipped = false;
    return { type: 'warning', warning };
  }
}

/**
 * The items of one data file, as they stream in. A file that is not a data file at all, or
 * cannot be read, ends as one warning; a broken item is a warning with its line.
 */
async function* readItems(
  entry: InputEntry,
  reporter: Reporter,
  signal: AbortSignal | undefined,
): AsyncGenerator<YtdItem | ParseEvent> {
  try {
    for await (const batch of readYtdFile(await entry.stream())) {
      if (signal?.aborted) return;
      for (const problem of batch.problems) {
        yield reporter.warning(entry, 'bad-item', `${problem.reason}; skipped`, problem.line);
      }
      yield* batch.items;
    }
  } catch (cause) {
    if (cause instanceof YtdFormatError) {
      yield reporter.warning(
        entry,
        'bad-file',
        `${cause.message}; the file was skipped`,
        cause.line,
      );
    } else {
      yield reporter.warning(
        entry,
        'unreadable-file',
        `cannot be read (${(cause as Error).message ?? String(cause)}); the file was skipped`,
      );
    }
  }
}

function isItem(value: YtdItem | ParseEvent): value is YtdItem {
  return 'line' in value;
}

/** The owner from account.js, or from the manifest's userInfo. */
async function readOwner(
  layout: ArchiveLayout,
  reporter: Reporter,
  events: ParseEvent[],
): Promise<Owner> {
  const owner: Owner = {};
  if (layout.account) {
    for await (const item of readItems(layout.account, reporter, undefined)) {
      if (!isItem(item)) {
        events.push(item);
        continue;
      }
      const account = asObject(asObject(item.value)?.account);
      if (!account || owner.id !== undefined) continue;
      const id = asId(account.accountId);
      if (id !== undefined) owner.id = id;
      const username = asString(account.username);
      if (username) owner.username = username;
      const displayName = asString(account.accountDisplayName);
      if (displayName) owner.displayName = displayName;
    }
  }
  if (owner.id === undefined && layout.manifest) {
    const userInfo = asObject(asObject(await readManifest(layout.manifest))?.userInfo);
    const id = asId(userInfo?.accountId);
    if (id !== undefined) {
      owner.id = id;
      const username = asString(userInfo?.userName);
      if (username) owner.username = username;
      const displayName = asString(userInfo?.displayName);
      if (displayName) owner.displayName = displayName;
    }
  }
  return owner;
}

/** Archives of the same account found in several places (an archive split into zips) are one. */
async function groupArchives(
  layouts: ArchiveLayout[],
  reporter: Reporter,
  events: ParseEvent[],
): Promise<Archive[]> {
  const archives: Archive[] = [];
  const orphans: ArchiveLayout[] = [];
  for (const layout of layouts) {
    const owner = await readOwner(layout, reporter, events);
    const same = archives.find((archive) => archive.owner.id === owner.id);
    if (owner.id === undefined) orphans.push(layout);
    else if (same) same.layouts.push(layout);
    else archives.push({ owner, layouts: [layout] });
  }
  if (orphans.length > 0) {
    if (archives.length === 1) archives[0]!.layouts.push(...orphans);
    else for (const layout of orphans) archives.push({ owner: {}, layouts: [layout] });
  }
  return archives;
}

function mediaOf(
  layouts: readonly ArchiveLayout[],
  folders: readonly string[],
): Map<string, string> {
  const files = new Map<string, string>();
  for (const layout of layouts) {
    for (const folder of folders) {
      for (const [name, path] of layout.media.get(folder) ?? [])
        if (!files.has(name)) files.set(name, path);
    }
  }
  return files;
}

async function* parseArchive(
  input: InputSource,
  archive: Archive,
  reporter: Reporter,
  parseOptions: ParseOptions,
  options: TwitterParserOptions,
): AsyncGenerator<ParseEvent> {
  const { layouts } = archive;
  const owner: Owner = { ...archive.owner };
  const signal = parseOptions.signal;
  if (owner.id === undefined) {
    yield reporter.warning(
      layouts[0]!.account ?? layouts[0]!.tweets[0],
      'no-account',
      `no readable data/account.js, so the owner's account id is unknown${parseOptions.me?.[0] ? `; the tweets are ${parseOptions.me[0]}'s` : ''}`,
      undefined,
      false,
    );
    if (parseOptions.me?.[0]) owner.displayName = parseOptions.me[0];
  }
  for (const layout of layouts) {
    for (const name of layout.missing) {
      yield reporter.warning(
        layout.manifest,
        'missing-part',
        `the manifest lists ${layout.root}${name}, which is not in the archive; its data is missing`,
      );
    }
  }

  const tweetFiles = layouts.flatMap((layout) => layout.tweets);
  const noteFiles = layouts.flatMap((layout) => layout.noteTweets);
  const selfId = owner.id ?? 'owner';
  const collector = new TweetCollector(selfId, mediaOf(layouts, ['tweets_media', 'tweet_media']));
  for (const [files, add] of [
    [tweetFiles, (value: unknown) => collector.addTweet(value)],
    [noteFiles, (value: unknown) => collector.addNote(value)],
  ] as const) {
    for (const entry of files) {
      for await (const item of readItems(entry, reporter, signal)) {
        if (!isItem(item)) {
          yield item;
          continue;
        }
        const problem = add(item.value);
        if (problem) yield reporter.warning(entry, 'bad-tweet', `${problem}; skipped`, item.line);
      }
      if (signal?.aborted) return;
    }
  }
  if (tweetFiles.length > 0) {
    const { messages, unmatchedNotes } = collector.finish();
    if (unmatchedNotes > 0) {
      yield reporter.warning(
        noteFiles[0],
        'unmatched-note',
        `${unmatchedNotes} long tweet(s) matched no tweet in the archive (deleted tweets, most likely) and were left out`,
        undefined,
        false,
      );
    }
    const name = owner.displayName ?? owner.username ?? selfId;
    yield {
      type: 'conversation',
      conversation: {
        schema: CONVERSATION_SCHEMA_ID,
        id: `twitter:${selfId}:tweets`,
        platform: 'twitter',
        kind: 'posts',
        title: owner.username ? `@${owner.username}` : null,
        participants: [
          {
            id: selfId,
            name: normalizeText(name),
            ...(owner.username ? { handles: [owner.username] } : {}),
            self: true,
          },
        ],
        messages,
        source: { format: FORMAT, file: sourceFilePath(input, tweetFiles[0]!) },
      },
    };
  }

  if (options.directMessages === false) return;
  const seen = new Set<string>();
  for (const [kind, files, folders] of [
    ['direct', layouts.flatMap((layout) => layout.directMessages), ['direct_messages_media']],
    ['group', layouts.flatMap((layout) => layout.groupMessages), ['direct_messages_group_media']],
  ] as const) {
    const mediaFiles = mediaOf(layouts, folders);
    for (const entry of files) {
      const context = {
        owner,
        users: collector.users,
        kind,
        sourceFile: sourceFilePath(input, entry),
        format: FORMAT,
        mediaFiles,
      };
      for await (const item of readItems(entry, reporter, signal)) {
        if (!isItem(item)) {
          yield item;
          continue;
        }
        const { conversation, problems } = convertDirectMessages(item.value, context);
        for (const problem of problems) {
          yield reporter.warning(entry, 'bad-message', `${problem}; skipped`, item.line);
        }
        if (!conversation) continue;
        if (seen.has(conversation.id)) {
          yield reporter.warning(
            entry,
            'duplicate-conversation',
            `conversation ${conversation.id} appears twice; the second copy was skipped`,
            item.line,
            false,
          );
          continue;
        }
        seen.add(conversation.id);
        yield { type: 'conversation', conversation };
      }
      if (signal?.aborted) return;
    }
  }
}

/**
 * Creates the Twitter/X archive parser: the zip X sends, or its unpacked folder. The person's
 * tweets become one `posts` conversation; each direct and group conversation one conversation.
 */
export function createTwitterParser(options: TwitterParserOptions = {}): ConversationParserV1 {
  return {
    specificationVersion: 'v1',
    format: FORMAT,
    displayName: 'Twitter/X archive (zip or folder)',
    platforms: ['twitter'],
    async detect(input) {
      const layouts = await findArchives(input);
      if (layouts.length === 0) return undefined;
      const entries = layouts.flatMap((layout) =>
        [
          layout.manifest,
          layout.account,
          ...layout.tweets,
          ...layout.noteTweets,
          ...(options.directMessages === false
            ? []
            : [...layout.directMessages, ...layout.groupMessages]),
        ].filter((entry): entry is InputEntry => entry !== undefined),
      );
      return {
        confidence: 1,
        entries: entries.map((entry) => entry.path),
        reason: `Twitter archive data files (window.YTD) in ${layouts.map((layout) => `${layout.root}data/`).join(', ')}`,
      };
    },
    async *parse(input, parseOptions = {}): AsyncGenerator<ParseEvent> {
      const layouts = await findArchives(input);
      if (layouts.length === 0) {
        throw new ParseError(`not a Twitter/X archive; ${EXPECTED}`, {
          file: input.path,
          ruleId: `${FORMAT}:not-an-archive`,
        });
      }
      const reporter = new Reporter(input);
      const events: ParseEvent[] = [];
      const archives = await groupArchives(layouts, reporter, events);
      yield* events;
      for (const archive of archives) {
        if (parseOptions.signal?.aborted) return;
        yield* parseArchive(input, archive, reporter, parseOptions, options);
      }
    },
  };
}

/** The Twitter/X archive parser, with tweets and direct messages. */
export const twitter: ConversationParserV1 = createTwitterParser();
