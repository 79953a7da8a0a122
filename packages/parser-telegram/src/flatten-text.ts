import { normalizeText } from '@alterego/core';

/**
 * A Telegram message's `text` as plain text. The export writes it as a string, or as an array
 * of strings and entity objects (`{"type": "bold", "text": "hi"}`, `{"type": "text_link",
 * "text": "here", "href": "…"}`) whose texts are concatenated; `text_entities` (newer exports,
 * always an array) is used when `text` is missing. Formatting and link targets are dropped, the
 * words are kept as typed (NFC).
 */
export function flattenText(text: unknown, entities?: unknown): string {
  if (typeof text === 'string') return normalizeText(text);
  const parts = Array.isArray(text) ? text : Array.isArray(entities) ? entities : undefined;
  if (!parts) return '';
  let joined = '';
  for (const part of parts as unknown[]) {
    if (typeof part === 'string') joined += part;
    else if (typeof part === 'object' && part !== null && 'text' in part) {
      const value = (part as { text: unknown }).text;
      if (typeof value === 'string') joined += value;
    }
  }
  return normalizeText(joined);
}
