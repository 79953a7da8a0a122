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
  return wordsOf(text, !NOT_ASCII.test(text));
}

/** `textWords`, told whether the text is all ASCII. */
function wordsOf(text: string, ascii: boolean): string[] {
  if (ascii) {
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
 * The terms of a text (see `termOf`), in order, with repeats: the words of an ASCII text are
 * its terms already.
 */
export function textTerms(text: string): string[] {
  const ascii = !NOT_ASCII.test(text);
  const words = wordsOf(text, ascii);
  return ascii ? words : words.map(termOf);
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

/** The documents a term is in, as `TermIndex.lookup` finds them for `search`. */
export interface TermPostings {
  /** In how many documents the term is. */
  readonly documents: number;
  /** Positions of those documents, ascending. */
  readonly positions: Int32Array;
  /** What the term adds to the BM25 score of each of them. */
  readonly weights: Float64Array;
  /** FTS5's idf of the term, with its floor for terms in more than half of the documents. */
  readonly idf: number;
}

export interface TermIndex {
  readonly documents: number;
  /** The postings of a term (see `termOf`); undefined when it is in no document. */
  lookup(term: string): TermPostings | undefined;
  /**
   * The documents with any of these terms, best first by BM25 over them; ties by key, ascending.
   * A term given twice counts once.
   */
  search(terms: readonly TermPostings[], limit: number): TermHit[];
}

/** Indexes documents given as (key, text) pairs; keys are kept as given (SQLite rowids). */
export function buildTermIndex(
  documents: Iterable<readonly [key: number, text: string]>,
): TermIndex {
  const building = new Map<string, { positions: number[]; counts: number[] }>();
  const keys: number[] = [];
  const lengths: number[] = [];
  let totalLength = 0;
  for (const [key, text] of documents) {
    const position = keys.length;
    const terms = textTerms(text);
    keys.push(key);
    lengths.push(terms.length);
    totalLength += terms.length;
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) {
      let postings = building.get(term);
      if (postings === undefined) {
        postings = { positions: [], counts: [] };
        building.set(term, postings);
      }
      postings.positions.push(position);
      postings.counts.push(count);
    }
  }
  const size = keys.length;
  const keyOf = Int32Array.from(keys);
  const averageLength = size === 0 ? 0 : totalLength / size;
  // BM25's length normalisation of each document.
  const normOf = new Float64Array(size);
  for (let position = 0; position < size; position += 1) {
    const length = Math.min(lengths[position]!, 65_535);
    normOf[position] = K1 * (1 - B + (B * length) / averageLength);
  }
  // What each term adds to each document's score is known before any search: a search adds
  // numbers up, reading no lengths or counts (memory reads, not arithmetic, are its cost).
  const index = new Map<string, TermPostings>();
  for (const [term, postings] of building) {
    const matching = postings.positions.length;
    // FTS5's idf, with its floor for words in more than half of the documents.
    let idf = Math.log((size - matching + 0.5) / (matching + 0.5));
    if (idf <= 0) idf = 1e-6;
    const weights = new Float64Array(matching);
    for (let at = 0; at < matching; at += 1) {
      const count = Math.min(postings.counts[at]!, 65_535);
      weights[at] = (idf * (count * (K1 + 1))) / (count + normOf[postings.positions[at]!]!);
    }
    index.set(term, {
      documents: matching,
      positions: Int32Array.from(postings.positions),
      weights,
      idf,
    });
  }
  building.clear();
  // The documents found so far by the current search, ascending by position, with their scores
  // so far; `spare` takes the next merge. Searches read postings in order and never touch a
  // table as large as the index: they are bound by memory reads, not arithmetic.
  let found = { positions: new Int32Array(256), scores: new Float64Array(256) };
  let spare = { positions: new Int32Array(256), scores: new Float64Array(256) };
  let count = 0;
  // Keys of the documents tied at the `limit`-th best score.
  let tieKeys = new Int32Array(256);
  /** A min-heap of the best scores while looking for the `limit`-th best. */
  const heap: number[] = [];
  /** What the words from each one on can add to a score, at most (see `search`). */
  const bound: number[] = [];

  /** The `limit`-th best of the scores found (there are at least `limit`). */
  const lowestOfBest = (limit: number): number => {
    heap.length = 0;
    const { scores } = found;
    for (let at = 0; at < count; at += 1) {
      const score = scores[at]!;
      if (heap.length < limit) {
        heap.push(score);
        let child = heap.length - 1;
        while (child > 0) {
          const parent = (child - 1) >> 1;
          const above = heap[parent]!;
          if (above <= score) break;
          heap[child] = above;
          child = parent;
        }
        heap[child] = score;
      } else if (score > heap[0]!) {
        let parent = 0;
        for (;;) {
          const left = 2 * parent + 1;
          if (left >= limit) break;
          const right = left + 1;
          const child = right < limit && heap[right]! < heap[left]! ? right : left;
          if (heap[child]! >= score) break;
          heap[parent] = heap[child]!;
          parent = child;
        }
        heap[parent] = score;
      }
    }
    return heap[0]!;
  };

  /** Adds a term's postings to the documents found: a merge of two ascending lists. */
  const mergeIn = ({ positions, weights }: TermPostings): void => {
    const most = count + positions.length;
    if (spare.positions.length < most) {
      const length = Math.max(most, spare.positions.length * 2);
      spare = { positions: new Int32Array(length), scores: new Float64Array(length) };
    }
    if (count === 0) {
      // The first word: its postings as they are.
      spare.positions.set(positions);
      spare.scores.set(weights);
      [found, spare] = [spare, found];
      count = positions.length;
      return;
    }
    const from = found;
    const to = spare;
    let at = 0;
    let next = 0;
    let merged = 0;
    while (at < count && next < positions.length) {
      const mine = from.positions[at]!;
      const theirs = positions[next]!;
      if (mine < theirs) {
        to.positions[merged] = mine;
        to.scores[merged++] = from.scores[at++]!;
      } else if (mine > theirs) {
        to.positions[merged] = theirs;
        to.scores[merged++] = weights[next++]!;
      } else {
        to.positions[merged] = mine;
        to.scores[merged++] = from.scores[at++]! + weights[next++]!;
      }
    }
    for (; at < count; at += 1) {
      to.positions[merged] = from.positions[at]!;
      to.scores[merged++] = from.scores[at]!;
    }
    for (; next < positions.length; next += 1) {
      to.positions[merged] = positions[next]!;
      to.scores[merged++] = weights[next]!;
    }
    spare = from;
    found = to;
    count = merged;
  };

  /**
   * Adds a term's postings to the documents found that can still score above `cutoff`, and drops
   * the others: the postings are stepped through once, in order, skipping ahead by galloping.
   */
  const probe = ({ positions, weights }: TermPostings, cutoff: number): void => {
    const { positions: ours, scores } = found;
    let kept = 0;
    let next = 0;
    for (let at = 0; at < count; at += 1) {
      let score = scores[at]!;
      if (score < cutoff) continue;
      const position = ours[at]!;
      next = seek(positions, next, position);
      if (next < positions.length && positions[next] === position) score += weights[next]!;
      ours[kept] = position;
      scores[kept++] = score;
    }
    count = kept;
  };

  return {
    documents: size,
    lookup(term) {
      return index.get(term);
    },
    search(terms, limit) {
      if (size === 0 || limit < 1 || terms.length === 0) return [];
      // Rarest words first. `bound[i]` is the most the words from i on can add to one score
      // (a word adds less than idf × (k1 + 1)): once the best `limit` scores found so far beat it,
      // a document none of the earlier words found cannot make the list, and the common words
      // left are only looked up in the documents that still can.
      const lists = byRarity(terms);
      bound.length = lists.length + 1;
      bound[lists.length] = 0;
      for (let at = lists.length - 1; at >= 0; at -= 1) {
        bound[at] = bound[at + 1]! + lists[at]!.idf * (K1 + 1);
      }
      count = 0;
      let next = 0;
      let lowest = 0;
      for (; next < lists.length; next += 1) {
        if (next > 0 && count >= limit) {
          lowest = lowestOfBest(limit);
          if (bound[next]! < lowest) break;
        }
        mergeIn(lists[next]!);
      }
      // A document whose score plus what the words left can add stays below the `limit`-th best
      // is dropped (a margin keeps rounding from dropping a tie).
      for (; next < lists.length; next += 1) {
        probe(lists[next]!, lowest - bound[next]! - 1e-9 * Math.max(1, lowest));
      }
      // The best `limit`: those above the `limit`-th best score, then of those at it (often many:
      // one-word matches in documents of one length) the lowest keys.
      const { positions, scores } = found;
      const hits: TermHit[] = [];
      if (count <= limit) {
        for (let at = 0; at < count; at += 1) {
          hits.push({ key: keyOf[positions[at]!]!, score: scores[at]! });
        }
      } else {
        const kth = lowestOfBest(limit);
        if (tieKeys.length < count) tieKeys = new Int32Array(Math.max(count, tieKeys.length * 2));
        let tied = 0;
        for (let at = 0; at < count; at += 1) {
          const score = scores[at]!;
          if (score > kth) hits.push({ key: keyOf[positions[at]!]!, score });
          else if (score === kth) tieKeys[tied++] = keyOf[positions[at]!]!;
        }
        const ties = tieKeys.subarray(0, tied).sort();
        for (let at = 0; hits.length < limit && at < tied; at += 1) {
          hits.push({ key: ties[at]!, score: kth });
        }
      }
      count = 0;
      return ranked(hits);
    },
  };
}

/** The distinct postings, fewest documents first (stable): a search has a few words. */
function byRarity(terms: readonly TermPostings[]): TermPostings[] {
  const lists: TermPostings[] = [];
  for (const term of terms) {
    if (lists.includes(term)) continue;
    let at = lists.length;
    while (at > 0 && lists[at - 1]!.documents > term.documents) at -= 1;
    lists.splice(at, 0, term);
  }
  return lists;
}

/** Hits best first, ties by key (an insertion sort: a search returns a few). */
function ranked(hits: TermHit[]): TermHit[] {
  for (let next = 1; next < hits.length; next += 1) {
    const hit = hits[next]!;
    let at = next;
    for (; at > 0; at -= 1) {
      const before = hits[at - 1]!;
      if (before.score > hit.score || (before.score === hit.score && before.key < hit.key)) break;
      hits[at] = before;
    }
    hits[at] = hit;
  }
  return hits;
}

/**
 * The first place at or after `from` where the ascending `sorted` holds `value` or more (its
 * length when none): steps of 1, 2, 4… then a binary search within the last step.
 */
function seek(sorted: Int32Array, from: number, value: number): number {
  if (from >= sorted.length || sorted[from]! >= value) return from;
  let low = from;
  let step = 1;
  let high = from + step;
  while (high < sorted.length && sorted[high]! < value) {
    low = high;
    step *= 2;
    high = from + step;
  }
  if (high > sorted.length) high = sorted.length;
  // sorted[low] < value, and sorted[high] >= value or high is the length.
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle;
    else high = middle;
  }
  return high;
}
