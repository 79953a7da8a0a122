import { createReadStream } from 'node:fs';
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  basename,
  dirname,
  extname,
  isAbsolute,
  join,
  posix,
  relative,
  resolve,
  sep,
} from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import unzipper from 'unzipper';
import { ParseError } from './errors/parse-error.js';
import { ValidationError } from './errors/validation-error.js';

/** What kind of thing the user pointed at. */
export type InputKind = 'file' | 'directory' | 'zip';

/** One file inside an input: the file itself, a file in a folder, or an entry of a zip. */
export interface InputEntry {
  /** '/'-separated path inside the input; a zip inside a folder adds its own name: `chats/a.zip/_chat.txt`. */
  readonly path: string;
  /** The last segment of `path`. */
  readonly name: string;
  /** Uncompressed size in bytes. */
  readonly size: number;
  /** Where the bytes live: a plain file on disk, or an entry of a zip. */
  readonly container: 'file' | 'zip';
  /** A fresh stream of the entry's bytes. Nothing is read before it is consumed. */
  stream(): Promise<Readable>;
  /** The first `bytes` bytes (fewer for a shorter entry), for recognising a format. */
  readHead(bytes?: number): Promise<Buffer>;
  /** The whole entry. Refuses entries larger than `maxBytes` (default 256 MiB): stream those. */
  readBuffer(maxBytes?: number): Promise<Buffer>;
  /** The whole entry as UTF-8 text without a byte-order mark. Same size limit as readBuffer. */
  readText(maxBytes?: number): Promise<string>;
  /**
   * A path on disk with the entry's bytes, for libraries that need a real file (SQLite). For a
   * zip entry it is a private temporary copy, named by alterego (never by the zip), removed on close().
   */
  localPath(): Promise<string>;
}

/** A path the user gave, seen as entries, whatever it is. */
export interface InputSource {
  /** The path as the user gave it. */
  readonly path: string;
  /** Its last segment, for messages and ids. */
  readonly name: string;
  readonly kind: InputKind;
  /** Every entry, zips inside expanded; `__MACOSX/` and `.DS_Store` left out. Listed once, lazily. */
  entries(): Promise<readonly InputEntry[]>;
  /** The entry at a path, if there is one. */
  entry(path: string): Promise<InputEntry | undefined>;
  /** Entries whose names were unsafe (`..`, absolute paths) and were left out. */
  skipped(): Promise<readonly string[]>;
  /** Releases open files and removes temporary copies. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_HEAD = 64 * 1024;
const DEFAULT_MAX = 256 * 1024 * 1024;
const ZIP_MAGIC = [Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from([0x50, 0x4b, 0x05, 0x06])];

/** True when the bytes start like a zip archive. */
export function isZipHead(head: Buffer): boolean {
  return ZIP_MAGIC.some((magic) => head.subarray(0, 4).equals(magic));
}

/**
 * Makes an entry name from a zip safe to use as an identifier: backslashes become slashes,
 * leading slashes and drive letters go, `.` segments go. Returns undefined for names that
 * climb out with `..`: those are never trusted.
 */
export function safeEntryPath(name: string): string | undefined {
  const slashed = name
    .replace(/\\/g, '/')
    .replace(/^[a-zA-Z]:\//, '')
    .replace(/^\/+/, '');
  const segments: string[] = [];
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return undefined;
    segments.push(segment);
  }
  return segments.length > 0 ? segments.join('/') : undefined;
}

function isJunk(path: string): boolean {
  return path.split('/').some((segment) => segment === '__MACOSX' || segment === '.DS_Store');
}

async function readAll(stream: Readable, maxBytes: number, label: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      stream.destroy();
      throw new ParseError(
        `larger than ${Math.round(maxBytes / 1024 / 1024)} MiB, too large to read at once; it must be streamed`,
        { file: label, ruleId: 'input:too-large' },
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

async function readHeadOf(stream: Readable, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total).subarray(0, bytes);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Shared state of one opened input: temporary folder and cleanup. */
class Session {
  private tempDir: string | undefined;
  private counter = 0;
  private closed = false;

  constructor(readonly label: string) {}

  async tempFile(hint: string): Promise<string> {
    if (this.closed) throw new Error(`${this.label}: input is closed`);
    this.tempDir ??= await mkdtemp(join(tmpdir(), 'alterego-'));
    this.counter += 1;
    // The name comes from a counter and the extension only; zip entry names never reach the disk.
    const ext = extname(hint)
      .replace(/[^a-zA-Z0-9.]/g, '')
      .slice(0, 16);
    return join(this.tempDir, `${this.counter}${ext}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.tempDir) {
      const dir = this.tempDir;
      this.tempDir = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  }
}

abstract class BaseEntry implements InputEntry {
  abstract readonly container: 'file' | 'zip';
  readonly name: string;

  constructor(
    readonly path: string,
    readonly size: number,
    protected readonly label: string,
  ) {
    this.name = posix.basename(path);
  }

  abstract stream(): Promise<Readable>;
  abstract localPath(): Promise<string>;

  async readHead(bytes = DEFAULT_HEAD): Promise<Buffer> {
    if (this.size === 0) return Buffer.alloc(0);
    return readHeadOf(await this.stream(), bytes);
  }

  async readBuffer(maxBytes = DEFAULT_MAX): Promise<Buffer> {
    return readAll(await this.stream(), maxBytes, this.label);
  }

  async readText(maxBytes = DEFAULT_MAX): Promise<string> {
    return stripBom((await this.readBuffer(maxBytes)).toString('utf8'));
  }
}

class FileEntry extends BaseEntry {
  readonly container = 'file' as const;

  constructor(
    path: string,
    size: number,
    label: string,
    private readonly diskPath: string,
  ) {
    super(path, size, label);
  }

  async stream(): Promise<Readable> {
    return createReadStream(this.diskPath, { highWaterMark: 256 * 1024 });
  }

  override async readHead(bytes = DEFAULT_HEAD): Promise<Buffer> {
    const handle = await open(this.diskPath, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(bytes, this.size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async localPath(): Promise<string> {
    return this.diskPath;
  }
}

interface ZipFileRecord {
  path: string;
  type: 'File' | 'Directory';
  uncompressedSize: number;
  stream(): Readable;
}

class ZipEntry extends BaseEntry {
  readonly container = 'zip' as const;
  private spooled: Promise<string> | undefined;

  constructor(
    path: string,
    label: string,
    private readonly record: ZipFileRecord,
    private readonly session: Session,
  ) {
    super(path, record.uncompressedSize, label);
  }

  async stream(): Promise<Readable> {
    return this.record.stream();
  }

  localPath(): Promise<string> {
    this.spooled ??= (async () => {
      const target = await this.session.tempFile(this.name);
      await pipeline(this.record.stream(), createWriteStream(target, { mode: 0o600 }));
      return target;
    })();
    return this.spooled;
  }
}

async function listZip(
  diskPath: string,
  prefix: string,
  label: string,
  session: Session,
  out: InputEntry[],
  skipped: string[],
  depth: number,
): Promise<void> {
  let directory: { files: ZipFileRecord[] };
  try {
    directory = await unzipper.Open.file(diskPath);
  } catch (cause) {
    throw new ParseError(`not a readable zip archive (${(cause as Error).message ?? cause})`, {
      file: label,
      ruleId: 'input:bad-zip',
      cause,
    });
  }
  for (const record of directory.files) {
    if (record.type !== 'File') continue;
    const safe = safeEntryPath(record.path);
    if (safe === undefined) {
      skipped.push(`${prefix}${record.path}`);
      continue;
    }
    if (isJunk(safe)) continue;
    const path = `${prefix}${safe}`;
    const entry = new ZipEntry(path, `${label}/${safe}`, record, session);
    if (depth < MAX_ZIP_DEPTH && entry.size >= 22 && isZipHead(await entry.readHead(4))) {
      await listZip(
        await entry.localPath(),
        `${path}/`,
        `${label}/${safe}`,
        session,
        out,
        skipped,
        depth + 1,
      );
      continue;
    }
    out.push(entry);
  }
}

/** Zips inside zips are opened this many levels deep; deeper ones are left as plain entries. */
const MAX_ZIP_DEPTH = 3;

async function walkDirectory(
  root: string,
  relative: string,
  label: string,
  session: Session,
  out: InputEntry[],
  skipped: string[],
): Promise<void> {
  const dir = relative ? join(root, relative) : root;
  const items = await readdir(dir, { withFileTypes: true });
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const item of items) {
    const rel = relative ? `${relative}/${item.name}` : item.name;
    if (isJunk(rel)) continue;
    const full = join(root, rel);
    if (item.isDirectory()) {
      await walkDirectory(root, rel, label, session, out, skipped);
    } else if (item.isFile() || item.isSymbolicLink()) {
      const info = await stat(full).catch(() => undefined);
      if (!info?.isFile()) continue;
      const entry = new FileEntry(rel, info.size, join(label, rel), full);
      if (info.size >= 22 && isZipHead(await entry.readHead(4))) {
        await listZip(full, `${rel}/`, join(label, rel), session, out, skipped, 1);
      } else {
        out.push(entry);
      }
    }
  }
}

/**
 * Opens a path the user gave (a file, a folder, or a zip; zips inside folders and zips are
 * expanded) as one lazily read view of entries. Recognises zips by their bytes, not their
 * extension. Throws a ValidationError naming the path when it does not exist.
 */
export async function openInput(path: string): Promise<InputSource> {
  const info = await stat(path).catch((cause: NodeJS.ErrnoException) => {
    const reason =
      cause.code === 'ENOENT'
        ? 'no such file or folder'
        : `cannot be read (${cause.code ?? cause.message})`;
    throw new ValidationError(`${path}: ${reason}`, { cause });
  });
  const session = new Session(path);
  const name = basename(path.replace(/[\\/]+$/, '')) || path;
  let kind: InputKind;
  let single: FileEntry | undefined;
  if (info.isDirectory()) {
    kind = 'directory';
  } else {
    single = new FileEntry(name, info.size, path, path);
    kind = info.size >= 22 && isZipHead(await single.readHead(4)) ? 'zip' : 'file';
  }
  let listing: Promise<{ entries: InputEntry[]; skipped: string[] }> | undefined;
  const list = () => {
    listing ??= (async () => {
      const entries: InputEntry[] = [];
      const skipped: string[] = [];
      if (kind === 'directory') await walkDirectory(path, '', path, session, entries, skipped);
      else if (kind === 'zip') await listZip(path, '', path, session, entries, skipped, 1);
      else if (single) entries.push(single);
      return { entries, skipped };
    })();
    return listing;
  };
  return {
    path,
    name,
    kind,
    async entries() {
      return (await list()).entries;
    },
    async entry(entryPath) {
      return (await list()).entries.find((entry) => entry.path === entryPath);
    },
    async skipped() {
      return (await list()).skipped;
    },
    close: () => session.close(),
  };
}

/**
 * Several inputs seen as one, like a folder that holds them all: each entry's path starts with
 * its input's path relative to the inputs' nearest common folder (`part-2.zip/messages/…`). For
 * exports that come in several parts (a Facebook download split into zips), so that a parser
 * sees every part of a thread at once. Closing it closes every input.
 */
export function combineInputs(inputs: readonly InputSource[]): InputSource {
  if (inputs.length === 0) throw new ValidationError('combineInputs needs at least one input');
  const absolute = inputs.map((input) => resolve(input.path));
  let common = dirname(absolute[0]!);
  for (const path of absolute) {
    while (common !== dirname(common) && relative(common, path).startsWith('..')) {
      common = dirname(common);
    }
  }
  const taken = new Set<string>();
  const prefixes = absolute.map((path) => {
    const base = relative(common, path).split(sep).join('/') || basename(path);
    let prefix = base;
    for (let copy = 2; taken.has(prefix); copy += 1) prefix = `${base} (${copy})`;
    taken.add(prefix);
    return prefix;
  });
  let listing: Promise<{ entries: InputEntry[]; skipped: string[] }> | undefined;
  const list = () => {
    listing ??= (async () => {
      const entries: InputEntry[] = [];
      const skipped: string[] = [];
      for (const [index, input] of inputs.entries()) {
        const prefix = prefixes[index]!;
        for (const entry of await input.entries()) {
          entries.push(
            prefixedEntry(entry, input.kind === 'file' ? prefix : `${prefix}/${entry.path}`),
          );
        }
        for (const name of await input.skipped()) skipped.push(`${prefix}/${name}`);
      }
      return { entries, skipped };
    })();
    return listing;
  };
  const display = relative(process.cwd(), common) || '.';
  return {
    path: isAbsolute(inputs[0]!.path) ? common : display,
    name: basename(common) || common,
    kind: 'directory',
    async entries() {
      return (await list()).entries;
    },
    async entry(entryPath) {
      return (await list()).entries.find((entry) => entry.path === entryPath);
    },
    async skipped() {
      return (await list()).skipped;
    },
    async close() {
      await Promise.all(inputs.map((input) => input.close()));
    },
  };
}

function prefixedEntry(entry: InputEntry, path: string): InputEntry {
  return {
    path,
    name: entry.name,
    size: entry.size,
    container: entry.container,
    stream: () => entry.stream(),
    readHead: (bytes) => entry.readHead(bytes),
    readBuffer: (maxBytes) => entry.readBuffer(maxBytes),
    readText: (maxBytes) => entry.readText(maxBytes),
    localPath: () => entry.localPath(),
  };
}

/** Opens an input, runs `use`, and always closes it again. */
export async function withInput<T>(
  path: string,
  use: (input: InputSource) => Promise<T>,
): Promise<T> {
  const input = await openInput(path);
  try {
    return await use(input);
  } finally {
    await input.close();
  }
}

/** How to name an entry in messages: the input path, plus the entry path inside folders and zips. */
/**
 * An entry's path relative to the input the user gave, for `source.file`: the entry path inside
 * a folder or zip (`WhatsApp Chat - Crew.zip/_chat.txt`), the file's own name for a file. Unlike
 * displayPath it never carries the user's own folders.
 */
export function sourceFilePath(input: InputSource, entry: InputEntry): string {
  return input.kind === 'file' ? input.name : entry.path;
}

/** An entry's path as the user would write it, for messages and warnings: `chats/a.zip/_chat.txt`. */
export function displayPath(input: InputSource, entry: InputEntry): string {
  return input.kind === 'file' ? input.path : `${input.path.replace(/[\\/]+$/, '')}/${entry.path}`;
}
