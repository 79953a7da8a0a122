/** How many bubbles and characters one reply may have. */
export interface BubbleLimits {
  /** Most bubbles; the lines beyond are joined (with spaces) into the last one. */
  maxBubbles?: number;
  /** Most characters of all bubbles together (UTF-16 units, as the dataset counts them). */
  maxChars?: number;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Splits a reply into the separate messages the person would send: one bubble per line (training
 * data joined the person's consecutive messages with newlines), trimmed, empty lines dropped.
 * With `maxBubbles`, the lines beyond the limit are joined into the last bubble. With `maxChars`,
 * the reply is cut at a word boundary, never in the middle of a word, an emoji or a surrogate
 * pair; a single word longer than the limit is cut between characters, so that text that is not
 * blank always gives at least one bubble.
 */
export function splitBubbles(text: string, limits: BubbleLimits = {}): string[] {
  const lines = text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.length === 0) return [];
  const maxBubbles = positive(limits.maxBubbles);
  let bubbles = lines;
  if (maxBubbles !== undefined && lines.length > maxBubbles) {
    bubbles = [...lines.slice(0, maxBubbles - 1), lines.slice(maxBubbles - 1).join(' ')];
  }
  const maxChars = positive(limits.maxChars);
  if (maxChars === undefined) return bubbles;

  const kept: string[] = [];
  let budget = maxChars;
  for (const bubble of bubbles) {
    if (bubble.length <= budget) {
      kept.push(bubble);
      budget -= bubble.length;
      continue;
    }
    const cut = cutAtWord(bubble, budget);
    if (cut !== '') kept.push(cut);
    break;
  }
  if (kept.length === 0) kept.push(cutAtGrapheme(bubbles[0]!, maxChars));
  return kept;
}

/** A whole number of at least 1, or undefined for "no limit". */
function positive(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return Math.max(1, Math.floor(value));
}

/** The longest start of `text` of at most `max` characters that ends at a word boundary. */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  // A whitespace at index `max` means the first `max` characters end with a whole word.
  const head = text.slice(0, max + 1);
  let end = -1;
  for (const match of head.matchAll(/\s+/g)) end = match.index;
  return end <= 0 ? '' : text.slice(0, end).trimEnd();
}

/** The longest start of `text` of at most `max` characters that ends between graphemes. */
function cutAtGrapheme(text: string, max: number): string {
  let result = '';
  for (const { segment } of segmenter.segment(text)) {
    if (result.length + segment.length > max) break;
    result += segment;
  }
  // One grapheme longer than the limit (a long emoji sequence) is kept whole rather than broken.
  return result === '' ? [...segmenter.segment(text)][0]!.segment : result;
}
