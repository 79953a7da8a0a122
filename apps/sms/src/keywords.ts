/** What a carrier keyword does. */
export type KeywordKind = 'opt-out' | 'opt-in' | 'help';

/**
 * Twilio's default keywords on long codes and toll-free numbers: Twilio answers them itself and
 * blocks or unblocks the sender, and still forwards them to the webhook. `OPTOUT` and `REVOKE`
 * are listed as well, as newer default opt-out words.
 */
export const KEYWORDS: Readonly<Record<KeywordKind, readonly string[]>> = {
  'opt-out': ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'],
  'opt-in': ['START', 'YES', 'UNSTOP'],
  help: ['HELP', 'INFO'],
};

const BY_WORD = new Map<string, KeywordKind>(
  Object.entries(KEYWORDS).flatMap(([kind, words]) =>
    words.map((word) => [word, kind as KeywordKind] as const),
  ),
);

/**
 * The keyword a message is, when its whole body (trimmed, any case) is one; `undefined`
 * otherwise ("stop it" is a message, not a keyword, as it is for Twilio).
 */
export function classifyKeyword(body: string): KeywordKind | undefined {
  const word = body.trim();
  if (word.length === 0 || word.length > 11) return undefined;
  return BY_WORD.get(word.toUpperCase());
}
