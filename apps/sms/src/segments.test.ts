import { describe, expect, it } from 'vitest';
import { capBubbles, countSegments, smsEncoding } from './segments.js';

describe('smsEncoding', () => {
  it('is GSM-7 for the GSM table, extension characters included, and UCS-2 otherwise', () => {
    expect(smsEncoding('Hello @ £5, è vero? {ok} €')).toBe('GSM-7');
    expect(smsEncoding('ça va')).toBe('UCS-2'); // GSM has Ç but not ç
    expect(smsEncoding('see you 😀')).toBe('UCS-2');
    expect(smsEncoding('it’s')).toBe('UCS-2'); // a curly apostrophe
    expect(smsEncoding('你好')).toBe('UCS-2');
  });
});

describe('countSegments', () => {
  it('follows the 160/153 and 70/67 limits', () => {
    expect(countSegments('')).toBe(0);
    expect(countSegments('a'.repeat(160))).toBe(1);
    expect(countSegments('a'.repeat(161))).toBe(2);
    expect(countSegments('a'.repeat(306))).toBe(2);
    expect(countSegments('a'.repeat(307))).toBe(3);
    expect(countSegments('é'.repeat(160))).toBe(1);
    expect(countSegments('😀'.repeat(35))).toBe(1); // 70 UTF-16 units
    expect(countSegments(`${'a'.repeat(69)}😀`)).toBe(2);
    expect(countSegments('ж'.repeat(134))).toBe(2);
    expect(countSegments('ж'.repeat(135))).toBe(3);
  });

  it('counts extension characters twice and never splits them', () => {
    expect(countSegments('{'.repeat(80))).toBe(1);
    expect(countSegments('{'.repeat(81))).toBe(2);
    // 152 septets, then an escape pair that cannot be split across the part boundary.
    expect(countSegments(`${'a'.repeat(152)}{${'a'.repeat(150)}`)).toBe(2);
    expect(countSegments(`${'a'.repeat(152)}{${'a'.repeat(152)}`)).toBe(3);
  });
});

describe('capBubbles', () => {
  it('keeps bubbles that fit and drops empty ones', () => {
    expect(capBubbles(['hey', ' ', 'what’s up', ''], 4)).toEqual(['hey', 'what’s up']);
  });

  it('stops at the segment limit, cutting the bubble that crosses it at a word', () => {
    const words = 'lorem ipsum dolor sit amet '.repeat(20).trim(); // 539 GSM characters
    const capped = capBubbles(['first', words, 'never sent'], 3);
    expect(capped[0]).toBe('first');
    expect(capped).toHaveLength(2);
    expect(countSegments(capped[1]!)).toBe(2);
    expect(words.startsWith(capped[1]!)).toBe(true);
    expect(capped[1]!.endsWith(' ')).toBe(false);
    expect(capped[1]!.length).toBeGreaterThan(280);
  });

  it('counts a bubble with an emoji as UCS-2', () => {
    const bubble = `${'ha'.repeat(40)} 😂`;
    expect(countSegments(bubble)).toBe(2);
    const capped = capBubbles([bubble], 1);
    expect(capped).toHaveLength(1);
    expect(countSegments(capped[0]!)).toBe(1);
    expect(capped[0]!.length).toBeLessThanOrEqual(70);
  });

  it('sends nothing more once the segments are spent', () => {
    expect(capBubbles(['a'.repeat(160), 'b'], 1)).toEqual(['a'.repeat(160)]);
  });
});
