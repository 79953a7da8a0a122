/**
 * Direction marks that exports insert around names, numbers and placeholders: LRM, RLM,
 * LRE/RLE/PDF/LRO/RLO, the isolates LRI/RLI/FSI/PDI, and a byte-order mark. They are not part
 * of what anyone typed. Emoji joiners (U+200D) and variation selectors are kept.
 */
const DIRECTION_MARKS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** True when the text holds a direction mark; a plain loop, much faster than a regex on big exports. */
function hasDirectionMark(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (
      code >= 0x200e &&
      (code <= 0x200f ||
        (code >= 0x202a && code <= 0x202e) ||
        (code >= 0x2066 && code <= 0x2069) ||
        code === 0xfeff)
    ) {
      return true;
    }
  }
  return false;
}

/** Removes direction marks and a byte-order mark. */
export function stripDirectionMarks(text: string): string {
  return hasDirectionMark(text) ? text.replace(DIRECTION_MARKS, '') : text;
}

/**
 * The one normalisation every parser applies to message text: Unicode NFC and no direction
 * marks. Emoji, curly quotes, newlines and inner whitespace are the person's style and are kept.
 */
export function normalizeText(text: string): string {
  const stripped = stripDirectionMarks(text);
  // Plain ASCII is already NFC; skipping normalize() there is a large saving on big exports.
  return isAscii(stripped) ? stripped : stripped.normalize('NFC');
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) > 0x7f) return false;
  }
  return true;
}

/**
 * A key for comparing names across sources: NFC, case-folded, direction marks and a leading
 * `~` (WhatsApp's mark for unsaved contacts) removed, whitespace collapsed.
 */
export function nameKey(name: string): string {
  return stripDirectionMarks(name)
    .normalize('NFKC')
    .replace(/^[\s~]+/u, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .toLocaleLowerCase('und');
}

/** The digits of a phone number with a leading `+` kept, or undefined when it is not one. */
export function phoneKey(value: string): string | undefined {
  const cleaned = stripDirectionMarks(value).trim();
  if (!/^\+?[\d\s().\-/]{6,}$/u.test(cleaned)) return undefined;
  const digits = cleaned.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 15) return undefined;
  return cleaned.startsWith('+') ? `+${digits}` : digits;
}
