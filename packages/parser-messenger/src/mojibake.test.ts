import { describe, expect, it } from 'vitest';
import { repairMojibake } from './mojibake.js';

/** Writes text the way Facebook does: one code unit per UTF-8 byte. */
function garble(text: string): string {
  return String.fromCharCode(...Buffer.from(text, 'utf8'));
}

describe('repairMojibake', () => {
  it('repairs UTF-8 bytes written as \\u00XX escapes', () => {
    expect(repairMojibake(JSON.parse('"caf\\u00c3\\u00a9 time?"'))).toBe('café time?');
    expect(repairMojibake(JSON.parse('"don\\u00e2\\u0080\\u0099t"'))).toBe('don’t');
    expect(repairMojibake(garble('👍'))).toBe('👍');
    expect(repairMojibake(garble('Zoë Ångström ❤️ 日本語'))).toBe('Zoë Ångström ❤️ 日本語');
  });

  it('leaves plain ASCII alone', () => {
    expect(repairMojibake('hello there')).toBe('hello there');
    expect(repairMojibake('')).toBe('');
  });

  it('leaves clean text alone: characters above U+00FF, or bytes that are not UTF-8', () => {
    expect(repairMojibake('don’t')).toBe('don’t');
    expect(repairMojibake('café')).toBe('café');
    expect(repairMojibake('naïve résumé')).toBe('naïve résumé');
    expect(repairMojibake('😀 ok')).toBe('😀 ok');
    // Mixed: already clean characters next to escaped bytes mean the string was not garbled.
    expect(repairMojibake(`’${garble('é')}`)).toBe(`’${garble('é')}`);
  });

  it('is idempotent', () => {
    const once = repairMojibake(garble('Crème brûlée 🍮'));
    expect(repairMojibake(once)).toBe(once);
  });
});
