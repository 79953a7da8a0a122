import { describe, expect, it } from 'vitest';
import { createIdentityMatcher } from './identity.js';
import { nameKey, normalizeText, phoneKey, stripDirectionMarks } from './text.js';

describe('normalizeText', () => {
  it('composes to NFC', () => {
    expect(normalizeText('cafe\u0301')).toBe('café');
  });

  it('removes direction marks and byte-order marks anywhere', () => {
    expect(normalizeText('\u200E\u202Aimage\u202C omitted\u200F\uFEFF')).toBe('image omitted');
    expect(stripDirectionMarks('\u2066+1 555\u2069')).toBe('+1 555');
  });

  it('keeps emoji sequences, curly quotes, newlines and spacing', () => {
    const text = '👩🏻‍⚖️ “quoted”  —\n\nsecond line ❤️ 1️⃣';
    expect(normalizeText(text)).toBe(text);
  });
});

describe('nameKey and phoneKey', () => {
  it('compare names across sources', () => {
    expect(nameKey('~\u00A0Sam  RIVERA')).toBe(nameKey('sam rivera'));
    expect(nameKey('\u200ESam')).toBe('sam');
  });

  it('recognise phone numbers by their digits', () => {
    expect(phoneKey('+1 (555) 010-0199')).toBe('+15550100199');
    expect(phoneKey('\u202A+44 7123 456789\u202C')).toBe('+447123456789');
    expect(phoneKey('Sam')).toBeUndefined();
    expect(phoneKey('12')).toBeUndefined();
  });
});

describe('createIdentityMatcher', () => {
  it('matches names case-insensitively, handles and numbers by digits', () => {
    const me = createIdentityMatcher(['Sam Rivera', '+1 555 010 0199', '@samr']);
    expect(me.empty).toBe(false);
    expect(me.matches({ name: 'SAM RIVERA' })).toBe(true);
    expect(me.matches({ name: '~ Sam Rivera' })).toBe(true);
    expect(me.matches({ name: 'Alex', handles: ['+15550100199'] })).toBe(true);
    expect(me.matches({ name: 'Alex', handles: ['(555) 010-0199'] })).toBe(true);
    expect(me.matches({ name: 'Alex', handles: ['samr'] })).toBe(true);
    expect(me.matches({ name: 'Alex', handles: ['+15550100198'] })).toBe(false);
    expect(me.matches({ name: 'Sam' })).toBe(false);
  });

  it('matches nobody when empty', () => {
    const none = createIdentityMatcher();
    expect(none.empty).toBe(true);
    expect(none.matches({ name: 'Sam' })).toBe(false);
  });
});
