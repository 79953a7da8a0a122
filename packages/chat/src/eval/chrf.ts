/**
 * chrF (Popović 2015), computed the way sacrebleu computes it by default (chrF2, `char_order=6`,
 * `word_order=0`, `beta=2`, whitespace not included, no epsilon smoothing):
 *
 * 1. All whitespace is removed from both strings.
 * 2. For each n from 1 to `order`, the character n-grams (over Unicode code points) of the
 *    hypothesis and the reference are counted; `matches` is the size of their multiset
 *    intersection.
 * 3. For each n where both sides have n-grams, precision = matches / hypothesis n-grams and
 *    recall = matches / reference n-grams; these are averaged over those n (the effective order).
 * 4. chrF = 100 · (1 + β²) · P · R / (β² · P + R), or 0 when P + R = 0.
 *
 * The corpus score sums the n-gram counts of all pairs before step 3, so long replies weigh more
 * than short ones; it is not the mean of the sentence scores.
 */

export interface ChrFOptions {
  /** Longest character n-gram (default 6). */
  order?: number;
  /** Weight of recall against precision (default 2). */
  beta?: number;
}

const DEFAULT_ORDER = 6;
const DEFAULT_BETA = 2;

/** Per order n (index n − 1): [hypothesis n-grams, reference n-grams, matching n-grams]. */
export type ChrFStatistics = Array<[number, number, number]>;

function resolve(options: ChrFOptions): { order: number; beta: number } {
  const order = options.order ?? DEFAULT_ORDER;
  const beta = options.beta ?? DEFAULT_BETA;
  if (!Number.isInteger(order) || order < 1) {
    throw new RangeError(`chrF order must be a positive integer, got ${order}`);
  }
  if (!Number.isFinite(beta) || beta < 0) {
    throw new RangeError(`chrF beta must be a number ≥ 0, got ${beta}`);
  }
  return { order, beta };
}

function countNgrams(chars: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let start = 0; start + n <= chars.length; start += 1) {
    const gram = chars.slice(start, start + n).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** The n-gram counts of one hypothesis against one reference. */
export function chrFStatistics(
  hypothesis: string,
  reference: string,
  order: number = DEFAULT_ORDER,
): ChrFStatistics {
  const hyp = Array.from(hypothesis.replace(/\s+/gu, ''));
  const ref = Array.from(reference.replace(/\s+/gu, ''));
  const statistics: ChrFStatistics = [];
  for (let n = 1; n <= order; n += 1) {
    const hypCounts = countNgrams(hyp, n);
    const refCounts = countNgrams(ref, n);
    let matches = 0;
    for (const [gram, count] of hypCounts) {
      const other = refCounts.get(gram);
      if (other !== undefined) matches += Math.min(count, other);
    }
    statistics.push([Math.max(0, hyp.length - n + 1), Math.max(0, ref.length - n + 1), matches]);
  }
  return statistics;
}

/** The chrF score (0–100) of summed statistics. */
export function chrFScore(statistics: ChrFStatistics, beta: number = DEFAULT_BETA): number {
  let precision = 0;
  let recall = 0;
  let effectiveOrder = 0;
  for (const [hypCount, refCount, matches] of statistics) {
    if (hypCount > 0 && refCount > 0) {
      precision += matches / hypCount;
      recall += matches / refCount;
      effectiveOrder += 1;
    }
  }
  if (effectiveOrder === 0) return 0;
  precision /= effectiveOrder;
  recall /= effectiveOrder;
  if (precision + recall === 0) return 0;
  const factor = beta * beta;
  return (100 * (1 + factor) * precision * recall) / (factor * precision + recall);
}

/**
 * Sentence-level chrF of one hypothesis against one reference, 0–100 (sacrebleu's
 * `sentence_chrf` with its defaults). See the module comment for the definition.
 */
export function chrF(hypothesis: string, reference: string, options: ChrFOptions = {}): number {
  const { order, beta } = resolve(options);
  return chrFScore(chrFStatistics(hypothesis, reference, order), beta);
}

/**
 * Corpus-level chrF (sacrebleu's `corpus_chrf`): the n-gram counts of every pair are summed, then
 * scored once. Empty input scores 0.
 */
export function corpusChrF(
  pairs: ReadonlyArray<{ hypothesis: string; reference: string }>,
  options: ChrFOptions = {},
): number {
  const { order, beta } = resolve(options);
  const total: ChrFStatistics = Array.from({ length: order }, () => [0, 0, 0]);
  for (const { hypothesis, reference } of pairs) {
    const statistics = chrFStatistics(hypothesis, reference, order);
    statistics.forEach(([hypCount, refCount, matches], index) => {
      const sum = total[index]!;
      sum[0] += hypCount;
      sum[1] += refCount;
      sum[2] += matches;
    });
  }
  return chrFScore(total, beta);
}
