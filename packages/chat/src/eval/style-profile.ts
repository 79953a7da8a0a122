/** How a set of replies looks on the screen: length, bubbles, emoji, punctuation, casing, words. */
export interface StyleProfile {
  /** Number of replies profiled. */
  replies: number;
  /** Characters (Unicode code points, newlines included) per reply. */
  length: { mean: number; median: number; p90: number };
  /** Non-empty lines per reply: the separate messages the person sent. */
  bubbles: { mean: number };
  /**
   * `share`: replies with at least one emoji; `perReply`: emoji per reply; `top`: the most used,
   * most first (at most 5). A ZWJ sequence, a flag, a keycap or a skin-toned emoji is one emoji.
   */
  emoji: { share: number; perReply: number; top: string[] };
  /**
   * Shares of replies: `finalPeriod` ends in a single "." (not an ellipsis); `exclamation`,
   * `question` contain "!", "?"; `ellipsis` contains "..." or "…".
   */
  punctuation: { finalPeriod: number; exclamation: number; question: number; ellipsis: number };
  /**
   * Shares of replies: `lowercaseStart` has a lowercase first letter; `allLowercase` has letters
   * and no capitals; `allCaps` has at least two letters, all capitals.
   */
  casing: { lowercaseStart: number; allLowercase: number; allCaps: number };
  /** Distinct lowercased words over all replies. */
  vocabulary: number;
}

const TOP_EMOJI = 5;

const EMOJI_PART = String.raw`\p{Extended_Pictographic}\uFE0F?\p{Emoji_Modifier}?`;
/**
 * One emoji as people see it: a pair of regional indicators (a flag), a keycap, or pictographs
 * joined by ZWJ, each with an optional variation selector, skin tone and tag sequence.
 */
const EMOJI = new RegExp(
  String.raw`\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|${EMOJI_PART}(?:\u200D${EMOJI_PART})*[\u{E0020}-\u{E007E}]*\u{E007F}?`,
  'gu',
);
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** The emoji of a text, in order, each ZWJ sequence or flag as one. */
export function emojiIn(text: string): string[] {
  return text.match(EMOJI) ?? [];
}

/** The lowercased words of a text. */
export function wordsIn(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map((word) => word.replace(/’/g, "'"));
}

/** Characters of a reply, counted in Unicode code points (as the dataset's length limits are). */
export function replyLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The p-th quantile (0–1) of sorted values, interpolated linearly between ranks. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  const high = sorted[above]!;
  return low + (high - low) * (position - below);
}

function endsWithEllipsis(text: string): boolean {
  return text.endsWith('...') || text.endsWith('…');
}

/** Profiles a set of replies (each a turn, lines being separate bubbles). */
export function styleProfile(replies: readonly string[]): StyleProfile {
  const count = replies.length;
  const share = (hits: number): number => (count === 0 ? 0 : hits / count);
  const lengths: number[] = [];
  let bubbles = 0;
  let withEmoji = 0;
  let emojiTotal = 0;
  const emojiCounts = new Map<string, number>();
  let finalPeriod = 0;
  let exclamation = 0;
  let question = 0;
  let ellipsis = 0;
  let lowercaseStart = 0;
  let allLowercase = 0;
  let allCaps = 0;
  const vocabulary = new Set<string>();

  for (const reply of replies) {
    const text = reply.trim();
    lengths.push(replyLength(text));
    bubbles += text.split('\n').filter((line) => line.trim() !== '').length;

    const emoji = emojiIn(text);
    if (emoji.length > 0) withEmoji += 1;
    emojiTotal += emoji.length;
    for (const one of emoji) emojiCounts.set(one, (emojiCounts.get(one) ?? 0) + 1);

    const lastLine = text.split('\n').at(-1)?.trimEnd() ?? '';
    if (lastLine.endsWith('.') && !endsWithEllipsis(lastLine)) finalPeriod += 1;
    if (/[!¡！]/u.test(text)) exclamation += 1;
    if (/[?¿？]/u.test(text)) question += 1;
    if (text.includes('...') || text.includes('…')) ellipsis += 1;

    const firstLetter = /\p{L}/u.exec(text)?.[0];
    if (firstLetter !== undefined && /\p{Ll}/u.test(firstLetter)) lowercaseStart += 1;
    const upper = (text.match(/\p{Lu}/gu) ?? []).length;
    const lower = (text.match(/\p{Ll}/gu) ?? []).length;
    if (lower > 0 && upper === 0) allLowercase += 1;
    if (upper >= 2 && lower === 0) allCaps += 1;

    for (const word of wordsIn(text)) vocabulary.add(word);
  }

  const sorted = [...lengths].sort((a, b) => a - b);
  const top = [...emojiCounts.entries()]
    .map(([emoji, uses], order) => ({ emoji, uses, order }))
    .sort((a, b) => b.uses - a.uses || a.order - b.order)
    .slice(0, TOP_EMOJI)
    .map((entry) => entry.emoji);

  return {
    replies: count,
    length: {
      mean: count === 0 ? 0 : lengths.reduce((sum, length) => sum + length, 0) / count,
      median: quantile(sorted, 0.5),
      p90: quantile(sorted, 0.9),
    },
    bubbles: { mean: share(bubbles) },
    emoji: { share: share(withEmoji), perReply: share(emojiTotal), top },
    punctuation: {
      finalPeriod: share(finalPeriod),
      exclamation: share(exclamation),
      question: share(question),
      ellipsis: share(ellipsis),
    },
    casing: {
      lowercaseStart: share(lowercaseStart),
      allLowercase: share(allLowercase),
      allCaps: share(allCaps),
    },
    vocabulary: vocabulary.size,
  };
}
