import type { Message } from './conversation.js';
import { nameKey, phoneKey } from './text.js';

/** What a parser knows about one person when it decides whether they are the user. */
export interface IdentityCandidate {
  name?: string | null;
  handles?: readonly string[];
}

/** Decides whether a participant is the person who exported the chat. */
export interface IdentityMatcher {
  /** True when the candidate's name or one of its handles matches one of the `--me` values. */
  matches(candidate: IdentityCandidate): boolean;
  /** True when no `--me` values were given. */
  readonly empty: boolean;
}

/**
 * Builds the matcher for `--me NAME` values (repeatable). Names match case-insensitively after
 * Unicode normalisation; phone numbers match on their digits (with or without a country code
 * prefix of the same ending); e-mail addresses and user names match case-insensitively.
 */
export function createIdentityMatcher(values: readonly string[] = []): IdentityMatcher {
  const names = new Set<string>();
  const phones: string[] = [];
  for (const value of values) {
    const phone = phoneKey(value);
    if (phone) phones.push(phone.replace(/^\+/, ''));
    const key = nameKey(value.replace(/^@/, ''));
    if (key) names.add(key);
  }
  const phoneMatches = (value: string): boolean => {
    const candidate = phoneKey(value)?.replace(/^\+/, '');
    if (!candidate) return false;
    return phones.some((phone) => {
      if (phone === candidate) return true;
      // A number written without its country code still matches on at least 8 final digits.
      const shorter = phone.length < candidate.length ? phone : candidate;
      const longer = phone.length < candidate.length ? candidate : phone;
      return shorter.length >= 8 && longer.endsWith(shorter);
    });
  };
  const valueMatches = (value: string): boolean =>
    names.has(nameKey(value.replace(/^@/, ''))) || phoneMatches(value);
  return {
    empty: names.size === 0 && phones.length === 0,
    matches(candidate) {
      if (candidate.name && valueMatches(candidate.name)) return true;
      return candidate.handles?.some(valueMatches) ?? false;
    },
  };
}

/**
 * Several participants match `--me` (`--me Sam` in a chat with two Sams): orders them by how many
 * of `messages` each sent, most first, the one to mark as the user, and gives the reason for the
 * warning that says so.
 */
export function rankSelfMatches<T extends { id: string; name: string }>(
  matched: readonly T[],
  messages: readonly Message[],
): { ranked: T[]; reason: string } {
  const counts = new Map<string, number>();
  for (const message of messages) {
    if (message.senderId !== null)
      counts.set(message.senderId, (counts.get(message.senderId) ?? 0) + 1);
  }
  const ranked = [...matched].sort((a, b) => (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0));
  return {
    ranked,
    reason: `${ranked.map((person) => `"${person.name}"`).join(', ')} all match --me; marked "${ranked[0]?.name}" as you`,
  };
}
