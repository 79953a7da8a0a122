/**
 * The people of generated chats. `Sam Rivera` comes first: the export's owner, `me` in the
 * benchmarks. Accents, emoji and Cyrillic as real address books have them.
 */
export const CHAT_PEOPLE: readonly string[] = [
  'Sam Rivera',
  'Alex Chen',
  'Priya Nair',
  'Jordan',
  'Mia 🌸',
  'Zoë Brandt',
  'Léa Dubois',
  'Олег',
];

/**
 * Phrases that generated chat messages are made of: short, casual, with emoji, curly quotes and a
 * few other languages, as people write.
 */
export const CHAT_WORDS: readonly string[] = [
  'hey',
  'ok',
  'lol',
  'see you',
  'tomorrow',
  'café?',
  'sounds good',
  'haha',
  '❤️',
  'where are you',
  'on my way 🚗',
  'nice',
  'what time',
  'sure',
  'no way',
  'did you see this',
  'omg',
  '😂😂',
  'yes!!',
  'can’t tonight',
  'running late',
  'love it',
  'brb',
  'send me the address',
  'thank you so much 🙏',
  'danke schön',
  'à demain',
  'привет',
  'đúng rồi',
  'ありがとう',
];

export interface ChatSentenceOptions {
  /** The phrases to draw from (default `CHAT_WORDS`). */
  words?: readonly string[];
  /** The fewest phrases in a message (default 1). */
  min?: number;
  /** The most phrases in a message (default 8). */
  max?: number;
}

/** One item of `items`, drawn with `next` (a `seededRandom`). */
export function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

/** A chat message's text: `min` to `max` phrases drawn with `next` (a `seededRandom`). */
export function chatSentence(
  next: () => number,
  { words = CHAT_WORDS, min = 1, max = 8 }: ChatSentenceOptions = {},
): string {
  const length = min + Math.floor(next() * (max - min + 1));
  let text = pick(next, words);
  for (let index = 1; index < length; index += 1) text += ` ${pick(next, words)}`;
  return text;
}
