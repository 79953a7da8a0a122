import { describe, expect, it } from 'vitest';
import { isLinkOnly, looksLikeSecret, RepeatedReplyLimiter, trivialReplyKey } from './filters.js';

describe('looksLikeSecret', () => {
  it.each([
    'Your verification code is 482913',
    'G-123456 is your Google verification code',
    'code: 4821',
    '482913',
    '123 456',
    'the wifi password is Sunny2024',
    'pw: hunter2hunter',
    'try Xk9#mP2qL',
    'key sk-proj-a1B2c3D4e5F6g7H8i9J0k1L2m3',
    'ваш код 5521',
  ])('flags %j', (text) => {
    expect(looksLikeSecret(text)).toBe(true);
  });

  it.each([
    'see you at 2030',
    'I have 1234 photos',
    'the code review went fine',
    'iPhone15Pro is nice',
    'omg LOL 😂😂',
    "can't wait!!! 2nite",
    'https://example.com/a1B2c3D4e5F6g7H8i9J0k1L2m3N4',
    'my pin board is full',
  ])('leaves %j', (text) => {
    expect(looksLikeSecret(text)).toBe(false);
  });
});

describe('isLinkOnly', () => {
  it('is true for links and whitespace only', () => {
    expect(isLinkOnly('https://example.com/x')).toBe(true);
    expect(isLinkOnly(' https://a.com\nwww.b.org ')).toBe(true);
    expect(isLinkOnly('look https://a.com')).toBe(false);
    expect(isLinkOnly('no links')).toBe(false);
  });
});

describe('trivialReplyKey', () => {
  it('folds case, punctuation and repeated letters', () => {
    expect(trivialReplyKey('OK!', 10)).toBe('ok');
    expect(trivialReplyKey('okkk', 10)).toBe('ok');
    expect(trivialReplyKey('lol 😂', 10)).toBe('lol😂');
    expect(trivialReplyKey('that sounds like a plan', 10)).toBeUndefined();
  });
});

describe('RepeatedReplyLimiter', () => {
  it('keeps the first ones, then fewer and fewer, the same way every run', () => {
    const run = () => {
      const limiter = new RepeatedReplyLimiter(10, 20, 7);
      return Array.from({ length: 2000 }, () => limiter.accept('ok'));
    };
    const kept = run();
    expect(kept.slice(0, 20).every(Boolean)).toBe(true);
    const total = kept.filter(Boolean).length;
    expect(total).toBeGreaterThan(50);
    expect(total).toBeLessThan(200);
    expect(run()).toEqual(kept);
  });

  it('never limits long replies, and is off with keep 0', () => {
    const limiter = new RepeatedReplyLimiter(10, 2, 1);
    const long = 'that sounds like a great plan';
    expect(Array.from({ length: 50 }, () => limiter.accept(long)).every(Boolean)).toBe(true);
    const off = new RepeatedReplyLimiter(10, 0, 1);
    expect(Array.from({ length: 50 }, () => off.accept('ok')).every(Boolean)).toBe(true);
  });
});
