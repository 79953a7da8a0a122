/** Emoji for the classic tapbacks, by `associated_message_type` minus 2000 (or 3000 when removed). */
export const TAPBACK_EMOJI: Readonly<Record<number, string>> = {
  0: '❤️',
  1: '👍',
  2: '👎',
  3: '😂',
  4: '‼️',
  5: '❓',
};

/** The emoji a sticker tapback is listed with: the sticker itself is an image, not text. */
export const STICKER_TAPBACK_EMOJI = '🖼️';

/** What an `associated_message_type` row is. */
export type Association =
  | { kind: 'none' }
  | { kind: 'sticker' }
  | { kind: 'tapback'; added: boolean; code: number }
  | { kind: 'other' };

/**
 * Classifies `associated_message_type`: 0 (and 2, 3) normal messages, 1000 a sticker placed on
 * a message, 2000-2007 tapbacks added (loved, liked, disliked, laughed, emphasized, questioned,
 * custom emoji, sticker), 3000-3007 the same removed.
 */
export function classifyAssociation(type: number | null | undefined): Association {
  if (type === null || type === undefined || type === 0 || type === 2 || type === 3) {
    return { kind: 'none' };
  }
  if (type === 1000) return { kind: 'sticker' };
  if (type >= 2000 && type <= 2007) return { kind: 'tapback', added: true, code: type - 2000 };
  if (type >= 3000 && type <= 3007) return { kind: 'tapback', added: false, code: type - 3000 };
  return { kind: 'other' };
}

/** The emoji of a tapback, or undefined for a custom one whose emoji is missing. */
export function tapbackEmoji(
  code: number,
  customEmoji: string | null | undefined,
): string | undefined {
  if (code === 6) return customEmoji || undefined;
  if (code === 7) return STICKER_TAPBACK_EMOJI;
  return TAPBACK_EMOJI[code];
}

/**
 * The guid of the message an associated row points at: `p:<part>/<guid>` for a part of a
 * message, `bp:<guid>` for an app balloon, or the bare guid.
 */
export function associatedGuid(value: string): string {
  const match = /^(?:p:\d+\/|bp:)(.+)$/.exec(value);
  return match ? match[1]! : value;
}
