import { isUtf8 } from 'node:buffer';

/**
 * Undoes Facebook's double encoding, where every UTF-8 byte of non-ASCII text is written as its
 * own `\u00XX` escape (`don’t` arrives as `donâ\u0080\u0099t`). The repair is applied only when
 * it is safe: every code unit fits in a byte and those bytes are valid UTF-8. Anything else
 * (plain ASCII, text that is already clean like the E2EE download's, a lone `é`) comes back
 * unchanged, so it can run on every string of any export.
 */
export function repairMojibake(text: string): string {
  let high = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code > 0xff) return text;
    if (code >= 0x80) high = true;
  }
  if (!high) return text;
  // Every code unit fits in a byte, so latin1 gives exactly those bytes.
  let bytes = Buffer.from(text, 'latin1');
  if (!isUtf8(bytes)) return text;
  // A leading byte-order mark is dropped, as a UTF-8 decoder does.
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    bytes = bytes.subarray(3);
  return bytes.toString('utf8');
}
