import { posix } from 'node:path';
import type { InputEntry, InputSource } from '@alterego/core';
import { parseAssignedJson } from './ytd-file.js';

/** The data files of one archive that the parser reads, in the order it reads them. */
export interface ArchiveLayout {
  /** What comes before `data/` in the entry paths ('' when `data/` is at the top). */
  root: string;
  manifest?: InputEntry;
  account?: InputEntry;
  /** `tweet.js` (older archives), `tweets.js`, `tweets-part1.js`, … */
  tweets: InputEntry[];
  noteTweets: InputEntry[];
  directMessages: InputEntry[];
  groupMessages: InputEntry[];
  /** Files the manifest lists that are not in the input, relative to the archive. */
  missing: string[];
  /** Media files by file name, per media folder name (`tweets_media`, `direct_messages_media`, …). */
  media: Map<string, Map<string, string>>;
}

type Kind = 'account' | 'manifest' | 'tweets' | 'noteTweets' | 'directMessages' | 'groupMessages';

const FILE_KINDS: Readonly<Record<string, Kind>> = {
  account: 'account',
  manifest: 'manifest',
  tweet: 'tweets',
  tweets: 'tweets',
  'note-tweet': 'noteTweets',
  'direct-messages': 'directMessages',
  'direct-messages-group': 'groupMessages',
};

/** Manifest `dataTypes` keys of the data the parser reads. */
const MANIFEST_KINDS: Readonly<Record<string, Kind>> = {
  tweets: 'tweets',
  tweet: 'tweets',
  noteTweet: 'noteTweets',
  directMessages: 'directMessages',
  directMessagesGroup: 'groupMessages',
};

const DATA_FILE = /^([a-z-]+?)(?:-part(\d+))?\.js$/;

export const MEDIA_FOLDERS = [
  'tweets_media',
  'tweet_media',
  'direct_messages_media',
  'direct_messages_group_media',
] as const;

interface DataFile {
  entry: InputEntry;
  kind: Kind;
  part: number;
}

/** A data file's kind and part number from its name; undefined for files the parser does not read. */
export function classifyDataFile(name: string): { kind: Kind; part: number } | undefined {
  const match = DATA_FILE.exec(name);
  if (!match) return undefined;
  const kind = FILE_KINDS[match[1]!];
  if (!kind) return undefined;
  return { kind, part: match[2] === undefined ? 0 : Number(match[2]) };
}

/** Where an entry's archive starts: the path before `data/`, or '' for files at the top. */
function rootOf(entry: InputEntry): string | undefined {
  const directory = posix.dirname(entry.path);
  if (directory === '.') return '';
  if (directory === 'data') return '';
  if (directory.endsWith('/data')) return directory.slice(0, -'data'.length);
  return undefined;
}

const MARKERS = ['window.YTD.', 'window.__THAR_CONFIG'];

/** Whether a file starts like an archive data file. */
export async function looksLikeDataFile(entry: InputEntry): Promise<boolean> {
  if (entry.size === 0) return false;
  const head = (await entry.readHead(256))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return MARKERS.some((marker) => head.startsWith(marker));
}

/** A manifest's data files, by kind, as paths relative to the archive; empty when unreadable. */
function manifestFiles(manifest: unknown): Map<Kind, string[]> {
  const files = new Map<Kind, string[]>();
  const dataTypes = (manifest as { dataTypes?: unknown } | undefined)?.dataTypes;
  if (typeof dataTypes !== 'object' || dataTypes === null) return files;
  for (const [key, value] of Object.entries(dataTypes)) {
    const kind = MANIFEST_KINDS[key];
    const list = (value as { files?: unknown } | undefined)?.files;
    if (!kind || !Array.isArray(list)) continue;
    for (const file of list) {
      const fileName = (file as { fileName?: unknown } | undefined)?.fileName;
      if (typeof fileName !== 'string' || fileName === '') continue;
      const names = files.get(kind) ?? [];
      names.push(fileName.replace(/^\.?\/+/, ''));
      files.set(kind, names);
    }
  }
  return files;
}

/**
 * Finds the Twitter archives in an input: the data files under `data/` (or at the top of an
 * input that is the `data` folder itself), recognised by their content, grouped by the folder
 * the archive sits in. Parts come in order (`tweets.js`, `tweets-part1.js`, …, `tweets-part10.js`).
 * Where `manifest.js` lists the files, they are found from it, and listed files that are
 * absent are reported; files it does not list are read too.
 */
export async function findArchives(input: InputSource): Promise<ArchiveLayout[]> {
  const byRoot = new Map<string, DataFile[]>();
  const media = new Map<string, Map<string, Map<string, string>>>();
  const paths = new Set<string>();
  for (const entry of await input.entries()) {
    paths.add(entry.path);
    const segments = entry.path.split('/');
    const folder = segments.at(-2);
    if (folder && (MEDIA_FOLDERS as readonly string[]).includes(folder)) {
      const root = segments.slice(0, -3).join('/');
      const key = root === '' ? '' : `${root}/`;
      const roots = media.get(key) ?? new Map<string, Map<string, string>>();
      const files = roots.get(folder) ?? new Map<string, string>();
      files.set(entry.name, entry.path);
      roots.set(folder, files);
      media.set(key, roots);
      continue;
    }
    const kind = classifyDataFile(entry.name);
    const root = kind && rootOf(entry);
    if (!kind || root === undefined) continue;
    const files = byRoot.get(root) ?? [];
    files.push({ entry, ...kind });
    byRoot.set(root, files);
  }
  const layouts: ArchiveLayout[] = [];
  for (const [root, files] of byRoot) {
    // A folder is an archive when one of its files reads like one; a broken part is then
    // still read, to be reported.
    let confirmed = false;
    for (const file of files) {
      if (await looksLikeDataFile(file.entry)) {
        confirmed = true;
        break;
      }
    }
    if (!confirmed) continue;
    files.sort((a, b) => a.part - b.part || (a.entry.name < b.entry.name ? -1 : 1));
    const layout: ArchiveLayout = {
      root,
      tweets: [],
      noteTweets: [],
      directMessages: [],
      groupMessages: [],
      missing: [],
      media: media.get(root) ?? new Map(),
    };
    const dataDir = files.some((file) => file.entry.path.startsWith(`${root}data/`))
      ? `${root}data/`
      : root;
    const manifestFile = files.find((file) => file.kind === 'manifest');
    layout.manifest = manifestFile?.entry;
    layout.account = files.find((file) => file.kind === 'account')?.entry;
    const listed = manifestFile ? manifestFiles(await readManifest(manifestFile.entry)) : new Map();
    for (const kind of ['tweets', 'noteTweets', 'directMessages', 'groupMessages'] as const) {
      const target = layout[kind];
      for (const name of (listed.get(kind) ?? []) as string[]) {
        const found = files.find(
          (file) =>
            file.entry.path === `${root}${name}` ||
            file.entry.path === `${dataDir}${posix.basename(name)}`,
        );
        if (found) {
          if (!target.includes(found.entry)) target.push(found.entry);
        } else if (!paths.has(`${root}${name}`)) {
          layout.missing.push(name);
        }
      }
      for (const file of files) {
        if (file.kind === kind && !target.includes(file.entry)) target.push(file.entry);
      }
    }
    layouts.push(layout);
  }
  return layouts.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
}

/** The manifest's content, or undefined when it cannot be read (the files are then found by name). */
export async function readManifest(entry: InputEntry): Promise<unknown> {
  try {
    return parseAssignedJson(await entry.readText(16 * 1024 * 1024));
  } catch {
    return undefined;
  }
}
