import { nameKey } from '@alterego/core';

/**
 * Whether a name at the start of a system text ("Alex left the group.") is one of the people of
 * a thread: their full name, or the first words of it (Facebook often writes first names).
 */
export function createPersonCheck(names: Iterable<string>): (name: string) => boolean {
  const keys = new Set<string>();
  for (const name of names) {
    const words = nameKey(name).split(' ').filter(Boolean);
    for (let count = 1; count <= words.length; count += 1)
      keys.add(words.slice(0, count).join(' '));
  }
  return (name) => keys.has(nameKey(name));
}
