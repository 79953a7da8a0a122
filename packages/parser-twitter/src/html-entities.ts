/** The named references Twitter writes into tweet and message text. */
const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

const REFERENCE = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z]+));/g;

function fromCodePoint(code: number, original: string): string {
  // Surrogates, out-of-range values and NUL are not characters: keep the reference as written.
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return original;
  return String.fromCodePoint(code);
}

/**
 * Decodes the HTML character references in Twitter text, once: `&amp;`, `&lt;`, `&gt;`,
 * `&quot;`, `&apos;`, and numeric ones (`&#39;`, `&#x1F600;`). Anything else that starts with
 * `&` is text the person typed and stays as it is, so `&amp;amp;` becomes `&amp;`.
 */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    REFERENCE,
    (match, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
      if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16), match);
      if (decimal !== undefined) return fromCodePoint(Number.parseInt(decimal, 10), match);
      return NAMED[name!] ?? match;
    },
  );
}
