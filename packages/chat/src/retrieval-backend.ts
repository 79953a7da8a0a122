import { ChatError } from './chat-error.js';
import type { ReplyIndex } from './reply-index.js';
import type { ChatTurn, Exchange, ReplyBackend } from './types.js';

export interface RetrievalBackendOptions {
  index: ReplyIndex;
  /** Changes which of equally good replies is chosen (default 0); the same seed, the same choice. */
  seed?: number;
}

/** How many of the best candidates a result reports. */
const REPORTED = 5;
/** Most equally good candidates a reply is chosen among. */
const CANDIDATES = 20;
/** Turns before the last one used as a weaker query when the last one matches nothing. */
const CONTEXT_TURNS = 4;

/** FNV-1a, 32 bits: a small stable hash for choosing among ties. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The exchanges whose score equals the best one's (within rounding). */
function best(candidates: readonly Exchange[]): Exchange[] {
  const top = candidates[0]?.score;
  if (top === undefined) return [];
  const tolerance = 1e-9 * Math.max(1, Math.abs(top));
  return candidates.filter((candidate) => Math.abs(candidate.score - top) <= tolerance);
}

/**
 * The best candidates for `text`: the reported few, or up to CANDIDATES when all of those are
 * equally good (more may be), as one search of CANDIDATES would find them; a search of fewer
 * costs less.
 */
function candidatesFor(index: ReplyIndex, text: string): Exchange[] {
  const found = index.search(text, REPORTED);
  return found.length === REPORTED && best(found).length === REPORTED
    ? index.search(text, CANDIDATES)
    : found;
}

/**
 * Answers with one of the person's own past replies, needing no model: the reply of the past
 * exchange whose prompt best matches the last user turn (full-text search, bm25). When the last
 * turn matches nothing, the few turns before it are the query; when they match nothing either, a
 * reply is picked from the whole index. Among equally good matches the choice is stable: the same
 * conversation and seed give the same reply, and the reply just sent is not repeated when another
 * one is as good. Throws a ChatError (`no-data`) when the index is empty. The index stays open
 * when the backend is closed: whoever opened it closes it.
 */
export function createRetrievalBackend(options: RetrievalBackendOptions): ReplyBackend {
  const { index } = options;
  const seed = options.seed ?? 0;
  return {
    name: 'retrieval',
    local: true,
    async reply(request) {
      request.signal?.throwIfAborted();
      if (index.size === 0) {
        throw new ChatError(
          'the reply index is empty: the dataset has no exchanges to answer from; build it from more chats',
          { kind: 'no-data' },
        );
      }
      const history = request.history;
      const lastIndex = history.findLastIndex((turn) => turn.role === 'user');
      const last: ChatTurn | undefined = history[lastIndex];
      const query = last?.content ?? '';
      let candidates = candidatesFor(index, query);
      if (candidates.length === 0) {
        const context = history
          .slice(Math.max(0, lastIndex - CONTEXT_TURNS), Math.max(0, lastIndex))
          .map((turn) => turn.content)
          .join('\n');
        candidates = candidatesFor(index, context);
      }
      const key = stableHash(`${seed}\u0000${query}`);
      let chosen: Exchange | undefined;
      if (candidates.length > 0) {
        const previous = history.findLast((turn) => turn.role === 'assistant')?.content;
        const ties = best(candidates);
        const fresh = ties.filter((exchange) => exchange.reply !== previous);
        const pool = fresh.length > 0 ? fresh : ties;
        chosen = pool[key % pool.length];
      } else {
        chosen = index.at?.(key);
      }
      if (chosen === undefined) {
        throw new ChatError('nothing in the reply index matches this message', {
          kind: 'no-data',
        });
      }
      return {
        text: chosen.reply,
        backend: 'retrieval',
        exchanges: candidates.length > 0 ? candidates.slice(0, REPORTED) : [chosen],
      };
    },
  };
}
