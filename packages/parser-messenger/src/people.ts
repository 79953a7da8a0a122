import { nameKey } from '@alterego/core';

/**
 * Whether a name at the start of a system text ("Alex left the group.") is one of the people of
 * a thread: their full name, or the first words of it (Facebook often writes first names).
 * `names` may be a function that lists them, called only when a name is first checked.
 */
export function createPersonCheck(
  names: Iterable<string> | (() => Iterable<string>),
): (name: string) => boolean {
  // Built on the first question: most threads never ask.
  let keys: Set<string> | undefined;
  return (name) => {
    if (keys === undefined) {
      keys = new Set<string>();
      for (const known of typeof names === 'function' ? names() : names) {
        const words = nameKey(known).split(' ').filter(Boolean);
        for (let count = 1; count <= words.length; count += 1)
          keys.add(words.slice(0, count).join(' '));
      }
    }
    return keys.has(nameKey(name));
  };
}
