/**
 * An in-memory inverted index with BM25 ranking, the formula SQLite FTS5's `bm25()` uses
 * (k1 = 1.2, b = 0.75), for searching the reply index without asking SQLite to rank every match:
 * a search costs the postings of the few words it looks up, not a function call per matching row.
 */

const K1 = 1.2;
const B = 0.75;
/** Most words of one text that are indexed or looked up; the rest of a very long message is ignored. */
export const MAX_TEXT_WORDS = 64;

const NOT_ASCII = /[^\u0000-\u007f]/;
const ASCII_WORD = /[a-z0-9]+/g;

/** The words of a text, in order, with repeats: lower case, NFC, letters, digits and marks. */
export function textWords(text: string): string[] {
  if (!NOT_ASCII.test(text)) {
    // Plain ASCII, most chat text: letters and digits are [a-z0-9] once lower-cased, and there
    // are no marks or composed characters; one match call instead of a match object per word.
    const found = text.toLowerCase().match(ASCII_WORD);
    if (found === null) return [];
    return found.length > MAX_TEXT_WORDS ? found.slice(0, MAX_TEXT_WORDS) : found;
  }
  const words: string[] = [];
  for (const match of text
    .normalize('NFC')
    .toLowerCase()
    .matchAll(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu)) {
    words.push(match[0]);
    if (words.length >= MAX_TEXT_WORDS) break;
  }
  return words;
}

/**
 * A word as it is indexed: lower case, Latin letters without their diacritics, as SQLite FTS5's
 * `unicode61 remove_diacritics 2` stores it (café → cafe, but й, ά and が keep theirs).
 */
export function termOf(word: string): string {
  // Only letters beyond ASCII carry diacritics.
  if (!NOT_ASCII.test(word)) return word;
  let term = terms.get(word);
  if (term === undefined) {
    term = word
      .normalize('NFD')
      .replace(/([A-Za-z\u00C0-\u024F\u1E00-\u1EFF])[\u0300-\u036F]+/g, '$1')
      .normalize('NFC');
    if (terms.size >= TERM_CACHE_SIZE) terms.clear();
    terms.set(word, term);
  }
  return term;
}

/** Words seen lately and their terms: chats use the same words over and over. */
const terms = new Map<string, string>();
const TERM_CACHE_SIZE = 50_000;

/** One hit of a search: the document's key and its BM25 score (higher is better). */
export interface TermHit {
  key: number;
  score: number;
}

export interface TermIndex {
  readonly documents: number;
  /** In how many documents a term (see `termOf`) is; 0 when in none. */
  frequency(term: string): number;
  /**
   * The documents with any of these terms, best first by BM25 over them; ties by key, ascending.
   */
  search(terms: readonly string[], limit: number): TermHit[];
}

interface Postings {
  documents: number[];
  counts: number[];
}

interface PackedPostings {
  documents: Int32Array;
  counts: Uint16Array;
}

/** Indexes documents given as (key, text) pairs; keys are kept as given (SQLite rowids). */
export function buildTermIndex(
  documents: Iterable<readonly [key: number, text: string]>,
): TermIndex {
  const building = new Map<string, Postings>();
  const keys: number[] = [];
  const lengths: number[] = [];
  let totalLength = 0;
  for (const [key, text] of documents) {
    const position = keys.length;
    const words = textWords(text);
    keys.push(key);
    lengths.push(words.length);
    totalLength += words.length;
    const counts = new Map<string, number>();
    for (const word of words) {
      const term = termOf(word);
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    for (const [term, count] of counts) {
      let postings = building.get(term);
      if (postings === undefined) {
        postings = { documents: [], counts: [] };
        building.set(term, postings);
      }
      postings.documents.push(position);
      postings.counts.push(count);
    }
  }
  const index = new Map<string, PackedPostings>();
  for (const [term, postings] of building) {
    index.set(term, {
      documents: Int32Array.from(postings.documents),
      counts: Uint16Array.from(postings.counts, (count) => Math.min(count, 65_535)),
    });
  }
  building.clear();
  const size = keys.length;
  const keyOf = Int32Array.from(keys);
  const lengthOf = Uint16Array.from(lengths, (length) => Math.min(length, 65_535));
  const averageLength = size === 0 ? 0 : totalLength / size;
  // Scores of the current search, by document position; only touched entries are reset.
  const scores = new Float64Array(size);
  const touched: number[] = [];
  /** A min-heap of the best scores while looking for the `limit`-th best. */
  const heap: number[] = [];

  /** The `limit`-th best score among the documents found so far (there are at least `limit`). */
  const lowestOfBest = (limit: number): number => {
    heap.length = 0;
    for (const position of touched) {
      const score = scores[position]!;
      if (heap.length < limit) {
        heap.push(score);
        let child = heap.length - 1;
        while (child > 0) {
          const parent = (child - 1) >> 1;
          if (heap[parent]! <= heap[child]!) break;
          [heap[parent], heap[child]] = [heap[child]!, heap[parent]!];
          child = parent;
        }
      } else if (score > heap[0]!) {
        heap[0] = score;
        let parent = 0;
        for (;;) {
          const left = 2 * parent + 1;
          const right = left + 1;
          let smallest = parent;
          if (left < limit && heap[left]! < heap[smallest]!) smallest = left;
          if (right < limit && heap[right]! < heap[smallest]!) smallest = right;
          if (smallest === parent) break;
          [heap[parent], heap[smallest]] = [heap[smallest]!, heap[parent]!];
          parent = smallest;
        }
      }
    }
    return heap[0]!;
  };

  return {
    documents: size,
    frequency(term) {
      return index.get(term)?.documents.length ?? 0;
    },
    search(terms, limit) {
      if (size === 0 || limit < 1) return [];
      const lists: { documents: Int32Array; counts: Uint16Array; idf: number }[] = [];
      for (const term of new Set(terms)) {
        const postings = index.get(term);
        if (postings === undefined) continue;
        const matching = postings.documents.length;
        // FTS5's idf, with its floor for words in more than half of the documents.
        let idf = Math.log((size - matching + 0.5) / (matching + 0.5));
        if (idf <= 0) idf = 1e-6;
        lists.push({ documents: postings.documents, counts: postings.counts, idf });
      }
      // Rarest words first. `bound[i]` is the most the words from i on can add to one score
      // (a word adds less than idf × (k1 + 1)): once the best `limit` scores found so far beat it,
      // a document none of the earlier words found cannot make the list, and the common words
      // left are only looked up in the documents already found, not read whole.
      lists.sort((a, b) => a.documents.length - b.documents.length);
      const bound = new Float64Array(lists.length + 1);
      for (let at = lists.length - 1; at >= 0; at -= 1) {
        bound[at] = bound[at + 1]! + lists[at]!.idf * (K1 + 1);
      }
      let next = 0;
      for (; next < lists.length; next += 1) {
        if (next > 0 && touched.length >= limit && bound[next]! < lowestOfBest(limit)) break;
        const { documents, counts, idf } = lists[next]!;
        for (let at = 0; at < documents.length; at += 1) {
          const position = documents[at]!;
          const count = counts[at]!;
          const norm = K1 * (1 - B + (B * lengthOf[position]!) / averageLength);
          if (scores[position] === 0) touched.push(position);
          scores[position]! += (idf * (count * (K1 + 1))) / (count + norm);
        }
      }
      for (; next < lists.length; next += 1) {
        const { documents, counts, idf } = lists[next]!;
        for (const position of touched) {
          const at = indexOf(documents, position);
          if (at < 0) continue;
          const count = counts[at]!;
          const norm = K1 * (1 - B + (B * lengthOf[position]!) / averageLength);
          scores[position]! += (idf * (count * (K1 + 1))) / (count + norm);
        }
      }
      // The best `limit` hits, kept in order while going through the matches once: searches ask
      // for a few, and sorting thousands of matches would cost more than scoring them.
      const hits: TermHit[] = [];
      for (const position of touched) {
        const score = scores[position]!;
        const key = keyOf[position]!;
        scores[position] = 0;
        if (hits.length === limit) {
          const last = hits[limit - 1]!;
          if (score < last.score || (score === last.score && key > last.key)) continue;
          hits.pop();
        }
        let at = hits.length;
        while (at > 0) {
          const before = hits[at - 1]!;
          if (before.score > score || (before.score === score && before.key < key)) break;
          at -= 1;
        }
        hits.splice(at, 0, { key, score });
      }
      touched.length = 0;
      return hits;
    },
  };
}

/** Where `value` is in the ascending `sorted`, or -1. */
function indexOf(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = sorted[middle]!;
    if (found === value) return middle;
    if (found < value) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
