/** How an SMS is encoded: GSM-7 (160 characters, 153 per part) or UCS-2 (70, 67 per part). */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of the GSM-7 extension table: an escape and the character, two septets. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const SEPTETS = new Map<string, number>([
  ...[...GSM_BASIC].map((char) => [char, 1] as const),
  ...[...GSM_EXTENSION].map((char) => [char, 2] as const),
]);

/** Per-message limits of each encoding: one part, and each part of a concatenated message. */
export const SEGMENT_LIMITS: Readonly<Record<SmsEncoding, { single: number; part: number }>> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** GSM-7 when every character is in the GSM 03.38 table; one other character makes it UCS-2. */
export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (!SEPTETS.has(char)) return 'UCS-2';
  return 'GSM-7';
}

/** What each character costs: septets in GSM-7, UTF-16 code units in UCS-2. */
function costs(text: string, encoding: SmsEncoding): number[] {
  return [...text].map((char) => (encoding === 'GSM-7' ? (SEPTETS.get(char) ?? 1) : char.length));
}

/**
 * Splits characters into parts of at most `capacity` units without breaking an escape pair or a
 * surrogate pair; returns how many characters each part holds.
 */
function pack(charCosts: readonly number[], capacity: number): number[] {
  const parts: number[] = [];
  let used = 0;
  let count = 0;
  for (const cost of charCosts) {
    if (used + cost > capacity) {
      parts.push(count);
      used = 0;
      count = 0;
    }
    used += cost;
    count += 1;
  }
  if (count > 0) parts.push(count);
  return parts;
}

/** How many SMS segments Twilio bills for this text (0 for an empty one). */
export function countSegments(text: string): number {
  if (text.length === 0) return 0;
  const encoding = smsEncoding(text);
  const charCosts = costs(text, encoding);
  const total = charCosts.reduce((sum, cost) => sum + cost, 0);
  const limits = SEGMENT_LIMITS[encoding];
  if (total <= limits.single) return 1;
  return pack(charCosts, limits.part).length;
}

/** The longest start of `text` that fits in `segments` segments, cut at a word when one is near. */
function truncateToSegments(text: string, segments: number): string {
  const encoding = smsEncoding(text);
  const limits = SEGMENT_LIMITS[encoding];
  const chars = [...text];
  const charCosts = costs(text, encoding);
  let fit: number;
  if (segments === 1) {
    let used = 0;
    fit = 0;
    for (const cost of charCosts) {
      if (used + cost > limits.single) break;
      used += cost;
      fit += 1;
    }
  } else {
    fit = pack(charCosts, limits.part)
      .slice(0, segments)
      .reduce((sum, count) => sum + count, 0);
  }
  const cut = chars.slice(0, fit).join('');
  const space = cut.search(/\s\S*$/);
  const atWord = space > cut.length * 0.7 ? cut.slice(0, space) : cut;
  return atWord.trimEnd();
}

/**
 * Keeps bubbles, in order, while all of them together fit in `maxSegments` SMS segments; the
 * bubble that crosses the limit is cut to the segments left, and the rest are dropped. Empty
 * bubbles are dropped.
 */
export function capBubbles(bubbles: readonly string[], maxSegments: number): string[] {
  const kept: string[] = [];
  let left = maxSegments;
  for (const raw of bubbles) {
    const bubble = raw.trim();
    if (bubble.length === 0) continue;
    if (left <= 0) break;
    const segments = countSegments(bubble);
    if (segments <= left) {
      kept.push(bubble);
      left -= segments;
      continue;
    }
    const cut = truncateToSegments(bubble, left);
    if (cut.length > 0) kept.push(cut);
    break;
  }
  return kept;
}
