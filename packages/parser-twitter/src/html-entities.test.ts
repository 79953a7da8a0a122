import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities } from './html-entities.js';

describe('decodeHtmlEntities', () => {
  it('decodes the named references Twitter writes', () => {
    expect(decodeHtmlEntities('fish &amp; chips &lt;3 &gt;_&lt; &quot;hi&quot; it&apos;s')).toBe(
      'fish & chips <3 >_< "hi" it\'s',
    );
  });

  it('decodes decimal and hexadecimal references', () => {
    expect(decodeHtmlEntities('it&#39;s &#x1F600; &#X41;&#128512;')).toBe("it's 😀 A😀");
  });

  it('decodes once, so escaped references stay references', () => {
    expect(decodeHtmlEntities('&amp;amp; &amp;lt;')).toBe('&amp; &lt;');
  });

  it('leaves unknown names, bare ampersands and invalid code points as typed', () => {
    expect(decodeHtmlEntities('AT&T &copy; &nbsp; a & b &;')).toBe('AT&T &copy; &nbsp; a & b &;');
    expect(decodeHtmlEntities('&#0; &#xD800; &#x110000; &amp')).toBe(
      '&#0; &#xD800; &#x110000; &amp',
    );
  });

  it('returns text without ampersands untouched', () => {
    const text = 'plain 😀 text';
    expect(decodeHtmlEntities(text)).toBe(text);
  });
});
