import { normalizeText } from '@alterego/core';
import { repairMojibake } from './mojibake.js';
import type { DraftReaction } from './draft.js';

/** A string field of an export, repaired and normalised; '' for anything that is not a string. */
export function text(value: unknown): string {
  if (typeof value !== 'string') return '';
  // Plain ASCII needs neither repair nor normalisation (and has no direction marks).
  for (let index = 0; index < value.length; index += 1) {
    if (value.charCodeAt(index) > 0x7f) return normalizeText(repairMojibake(value));
  }
  return value;
}

/** An object field, or undefined. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** An array field, or an empty array. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A time in milliseconds, from a number or a numeric string; undefined when not a usable time. */
export function millis(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
  // Years 1970 to 9999.
  return number >= 0 && number < 253402300800000 ? Math.trunc(number) : undefined;
}

/** Emoji of a reaction: Facebook writes the heart with and without U+FE0F; keep one spelling. */
export function reactionEmoji(value: string): string {
  return value.replace(/\uFE0F/g, '').trim();
}

const names = new Map<string, string>();

/**
 * A name field (sender, reactor, participant), repaired and normalised. The same few names
 * repeat on every message of a thread, so their repaired forms are remembered.
 */
export function nameText(value: unknown): string {
  if (typeof value !== 'string') return '';
  let fixed = names.get(value);
  if (fixed === undefined) {
    fixed = text(value);
    if (names.size > 10_000) names.clear();
    names.set(value, fixed);
  }
  return fixed;
}

/** The names of a thread's `participants`: strings (E2EE) or `{ name }` objects (classic). */
export function participantNames(value: unknown): string[] {
  return list(value)
    .map((item) => text(typeof item === 'string' ? item : record(item)?.name))
    .filter((name) => name !== '');
}

/** The reactions of a message (`[{ reaction, actor }]`), repaired; unreadable ones left out. */
export function reactionsOf(value: unknown): DraftReaction[] {
  const found: DraftReaction[] = [];
  for (const item of list(value)) {
    const reaction = record(item);
    const emoji = reactionEmoji(text(reaction?.reaction));
    const actor = nameText(reaction?.actor);
    if (emoji && actor) found.push({ emoji, actor });
  }
  return found;
}
