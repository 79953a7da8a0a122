import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, createReadStream, existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readLines } from '@alterego/core';
import { DATASET_FILES } from '@alterego/dataset';
import { ChatError } from './chat-error.js';
import { readManifest } from './persona.js';
import { openDatabase, type Database } from './sqlite.js';
import { buildTermIndex, termOf, textTerms, textWords } from './term-index.js';
import type { Exchange } from './types.js';

/** The person's past exchanges, searchable by what was said to them. */
export interface ReplyIndex {
  /** The exchanges whose prompt best matches `text`, best first (default limit 10). */
  search(text: string, limit?: number): Exchange[];
  /** How many exchanges the index holds. */
  readonly size: number;
  /**
   * The exchange at a position (taken modulo `size`, in index order), for a stable choice when
   * nothing matches; undefined when the index is empty.
   */
  at?(position: number): Exchange | undefined;
  close(): void;
}

/** The index file's name in a dataset folder. */
export const REPLY_INDEX_FILE = 'replies.sqlite';
const INDEX_SCHEMA = 'alterego.replies/1';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS exchanges USING fts5(
  prompt, reply UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);
`;

/** Most words of one message that are looked up: the rarest ones in the index. */
const MAX_SEARCH_TERMS = 6;
/**
 * A word in more than this share of the prompts ("ok", "the") says little about which exchange
 * fits, and matching it means ranking a large part of the index; it is looked up only when the
 * message has no rarer word.
 */
const COMMON_TERM_SHARE = 0.02;
/**
 * Indexes of up to this many exchanges are searched in memory (their texts and about 50 bytes of
 * postings an exchange); larger ones by SQLite FTS5, which ranks every matching row and is
 * slower per search.
 */
export const MEMORY_SEARCH_LIMIT = 250_000;

/** The distinct words of a text as they are looked up (see `textWords`). */
function queryWords(text: string): string[] {
  return [...new Set(textWords(text))];
}

/**
 * The FTS5 query for a text: each distinct word as a quoted term, any of them may match (bm25
 * ranks documents that match more, and rarer, words first). Undefined when there is no word.
 */
export function ftsQuery(text: string | readonly string[]): string | undefined {
  const words = typeof text === 'string' ? queryWords(text) : text;
  if (words.length === 0) return undefined;
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' OR ');
}

/**
 * The words of a message worth looking up, as `lookup` finds them in the index: those the index
 * has, rarest first, at most MAX_SEARCH_TERMS, leaving out common words when rarer ones are there.
 * BM25 ranks mostly by the rare words anyway, and the common ones would make every search rank
 * much of the index.
 */
function searchTerms<T extends { readonly documents: number }>(
  words: readonly string[],
  lookup: (word: string) => T | undefined,
  size: number,
): T[] {
  const known: T[] = [];
  for (const word of words.length > 1 ? new Set(words) : words) {
    const found = lookup(word);
    if (found !== undefined && found.documents > 0) known.push(found);
  }
  known.sort((a, b) => a.documents - b.documents);
  const common = Math.max(20, size * COMMON_TERM_SHARE);
  let rare = 0;
  while (rare < known.length && known[rare]!.documents <= common) rare += 1;
  known.length = Math.min(rare > 0 ? rare : 2, known.length, MAX_SEARCH_TERMS);
  return known;
}

/** How an index searches: in memory up to `memorySearchLimit` exchanges, else with FTS5. */
export interface ReplyIndexSearchOptions {
  /** Most exchanges searched in memory (default MEMORY_SEARCH_LIMIT); 0 always uses FTS5. */
  memorySearchLimit?: number;
}

/** Wraps an open database holding the `exchanges` table. */
function indexOver(db: Database, options: ReplyIndexSearchOptions = {}): ReplyIndex {
  const size = (db.prepare('SELECT count(*) AS n FROM exchanges').get() as { n: number }).n;
  const at = db.prepare<[number], { prompt: string; reply: string }>(
    'SELECT prompt, reply FROM exchanges ORDER BY rowid LIMIT 1 OFFSET ?',
  );
  let search: (text: string, limit: number) => Exchange[];
  let exchangeAt = (position: number): Exchange | undefined => {
    const found = at.get(position);
    return found === undefined ? undefined : { prompt: found.prompt, reply: found.reply, score: 0 };
  };
  if (size <= (options.memorySearchLimit ?? MEMORY_SEARCH_LIMIT)) {
    // The texts stay in memory too: reading 5 rows back from SQLite would cost more than the
    // search itself.
    const prompts: string[] = [];
    const replies: string[] = [];
    const rows = db
      .prepare('SELECT prompt, reply FROM exchanges ORDER BY rowid')
      .raw()
      .iterate() as Iterable<[string, string]>;
    for (const [prompt, reply] of rows) {
      prompts.push(prompt);
      replies.push(reply);
    }
    const terms = buildTermIndex(prompts.map((prompt, key) => [key, prompt] as const));
    exchangeAt = (position) => ({
      prompt: prompts[position]!,
      reply: replies[position]!,
      score: 0,
    });
    const lookup = (term: string) => terms.lookup(term);
    search = (text, limit) => {
      return terms.search(searchTerms(textTerms(text), lookup, size), limit).map((hit) => ({
        prompt: prompts[hit.key]!,
        reply: replies[hit.key]!,
        score: hit.score,
      }));
    };
  } else {
    const statement = db.prepare<[string, number], { prompt: string; reply: string; rank: number }>(
      `SELECT prompt, reply, bm25(exchanges) AS rank FROM exchanges
       WHERE exchanges MATCH ? ORDER BY rank, rowid LIMIT ?`,
    );
    // How many prompts each word is in, from FTS5's own vocabulary.
    db.exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocabulary USING fts5vocab(main, 'exchanges', 'row')",
    );
    const counts = new Map<string, number>();
    for (const entry of db.prepare('SELECT term, doc FROM temp.vocabulary').iterate() as Iterable<{
      term: string;
      doc: number;
    }>) {
      counts.set(entry.term, entry.doc);
    }
    const lookup = (word: string) => {
      const documents = counts.get(termOf(word));
      return documents === undefined ? undefined : { word, documents };
    };
    search = (text, limit) => {
      const query = ftsQuery(searchTerms(textWords(text), lookup, size).map((found) => found.word));
      if (query === undefined) return [];
      return statement.all(query, limit).map((found) => ({
        prompt: found.prompt,
        reply: found.reply,
        // bm25 is lower for better matches; 0 - x keeps -0 out of results.
        score: 0 - found.rank,
      }));
    };
  }
  let open = true;
  return {
    size,
    search(text, limit = 10) {
      if (size === 0 || limit < 1) return [];
      return search(text, Math.floor(limit));
    },
    at(position) {
      if (size === 0 || !Number.isFinite(position)) return undefined;
      return exchangeAt(((Math.floor(position) % size) + size) % size);
    },
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}

/** Collects exchanges into a fresh database, skipping blank and repeated pairs. */
function createWriter(db: Database) {
  db.exec(SCHEMA);
  const insert = db.prepare<[string, string]>(
    'INSERT INTO exchanges (prompt, reply) VALUES (?, ?)',
  );
  const seen = new Set<string>();
  const insertMany = db.transaction((pairs: { prompt: string; reply: string }[]) => {
    for (const { prompt, reply } of pairs) {
      if (prompt.trim() === '' || reply.trim() === '') continue;
      const key = createHash('sha1').update(prompt).update('\u0000').update(reply).digest('base64');
      if (seen.has(key)) continue;
      seen.add(key);
      insert.run(prompt, reply);
    }
  });
  return {
    add: insertMany,
    meta(key: string, value: string) {
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
    },
  };
}

/**
 * An index over the given exchanges, in memory (default) or in a new SQLite file, for tests and
 * evaluations. Blank and repeated pairs are left out.
 */
export function createReplyIndex(
  exchanges: Iterable<{ prompt: string; reply: string }>,
  options: { file?: string } & ReplyIndexSearchOptions = {},
): ReplyIndex {
  const db = openDatabase(options.file ?? ':memory:');
  const writer = createWriter(db);
  writer.meta('schema', INDEX_SCHEMA);
  let batch: { prompt: string; reply: string }[] = [];
  for (const exchange of exchanges) {
    batch.push(exchange);
    if (batch.length >= 1000) {
      writer.add(batch);
      batch = [];
    }
  }
  writer.add(batch);
  return indexOver(db, options);
}

/** The (user turn, trained assistant turn) pairs of one training example. */
function exchangesOf(value: unknown): { prompt: string; reply: string }[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const messages = (value as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return undefined;
  const pairs: { prompt: string; reply: string }[] = [];
  for (let index = 0; index + 1 < messages.length; index += 1) {
    const turn = messages[index] as { role?: unknown; content?: unknown } | null;
    const next = messages[index + 1] as {
      role?: unknown;
      content?: unknown;
      weight?: unknown;
    } | null;
    if (
      turn?.role === 'user' &&
      typeof turn.content === 'string' &&
      next?.role === 'assistant' &&
      typeof next.content === 'string' &&
      next.weight !== 0
    ) {
      pairs.push({ prompt: turn.content, reply: next.content });
    }
  }
  return pairs;
}

async function* hashing(
  stream: AsyncIterable<Buffer>,
  hash: ReturnType<typeof createHash>,
): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Builds the index of `train.jsonl` into `file`, atomically (temporary file + rename). */
async function buildIndexFile(trainFile: string, file: string, expectedSha256: string) {
  const temp = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let db: Database | undefined;
  try {
    db = openDatabase(temp);
    chmodSync(temp, 0o600);
    const writer = createWriter(db);
    const hash = createHash('sha256');
    const stream = createReadStream(trainFile);
    let batch: { prompt: string; reply: string }[] = [];
    let lineNumber = 0;
    try {
      for await (const line of readLines(hashing(stream, hash))) {
        lineNumber += 1;
        if (line.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          value = undefined;
        }
        const pairs = exchangesOf(value);
        if (pairs === undefined) {
          throw new ChatError(
            `${trainFile}:${lineNumber}: expected a JSON object with a "messages" array`,
            { kind: 'config' },
          );
        }
        batch.push(...pairs);
        if (batch.length >= 1000) {
          writer.add(batch);
          batch = [];
        }
      }
    } catch (error) {
      if (ChatError.isInstance(error)) throw error;
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new ChatError(
        missing
          ? `${trainFile}: the training file is missing; run \`alterego build -o ${dirname(trainFile)}\` again`
          : `${trainFile}: cannot read the training file (${(error as Error).message})`,
        { kind: 'config', cause: error },
      );
    } finally {
      stream.destroy();
    }
    writer.add(batch);
    const sha256 = hash.digest('hex');
    if (sha256 !== expectedSha256) {
      throw new ChatError(
        `${trainFile}: does not match its manifest.json (sha256 differs); run \`alterego build -o ${dirname(trainFile)}\` again`,
        { kind: 'config' },
      );
    }
    writer.meta('schema', INDEX_SCHEMA);
    writer.meta('train_sha256', sha256);
    db.close();
    db = undefined;
    await rename(temp, file);
  } catch (error) {
    db?.close();
    await rm(temp, { force: true });
    throw error;
  }
}

/** The train sha256 an existing index file was built from, or undefined when it is unusable. */
function indexedSha256(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  let db: Database | undefined;
  try {
    db = openDatabase(file, { readonly: true, fileMustExist: true });
    const rows = db.prepare('SELECT key, value FROM meta').all() as {
      key: string;
      value: string;
    }[];
    const meta = new Map(rows.map((row) => [row.key, row.value]));
    return meta.get('schema') === INDEX_SCHEMA ? meta.get('train_sha256') : undefined;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

/**
 * Opens the retrieval index of a dataset folder, `DIR/replies.sqlite`, building it first when it
 * is missing, was built from another `train.jsonl` (its sha256 differs from the manifest's), or
 * `rebuild` is set. Only `train.jsonl` is indexed: `valid.jsonl` stays unseen so that evaluations
 * on it stay honest. Exchanges are every user turn with the trained assistant turn that follows
 * it (not those with weight 0), without repeats.
 */
export async function openReplyIndex(
  datasetDir: string,
  options: { file?: string; rebuild?: boolean } & ReplyIndexSearchOptions = {},
): Promise<ReplyIndex> {
  const manifest = await readManifest(datasetDir);
  const file = options.file ?? join(datasetDir, REPLY_INDEX_FILE);
  const expected = manifest.files.train.sha256;
  if (options.rebuild === true || indexedSha256(file) !== expected) {
    await buildIndexFile(join(datasetDir, DATASET_FILES.train), file, expected);
  }
  try {
    return indexOver(openDatabase(file, { readonly: true, fileMustExist: true }), options);
  } catch (error) {
    throw new ChatError(`${file}: cannot open the reply index (${(error as Error).message})`, {
      kind: 'config',
      cause: error,
    });
  }
}
