import { createHmac } from 'node:crypto';
import { seededRandom } from '@alterego/core/test';
import { describe, expect, it } from 'vitest';
import {
  computeTwilioSignature,
  signatureUrlVariants,
  validateTwilioSignature,
} from './signature.js';

// Twilio's published vector (twilio-python test_request_validator.py, twilio-node validation.spec.js).
const TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};

describe('computeTwilioSignature', () => {
  it("is node:crypto's HMAC-SHA1 for any token and text: long, short, empty, not ASCII", () => {
    const next = seededRandom(11);
    const alphabet = ['a', 'Z', '0', '+', '/', '=', '&', 'é', 'ß', '€', '😀', '\u0000', ' '];
    const text = (max: number) =>
      Array.from(
        { length: Math.floor(next() * max) },
        () => alphabet[Math.floor(next() * 13)]!,
      ).join('');
    const tokens = ['', 'a', 'x'.repeat(64), 'y'.repeat(65), 'é'.repeat(40), text(40), text(200)];
    for (let round = 0; round < 300; round += 1) {
      // Tokens change now and then, as with two servers' tokens in one process.
      const token = tokens[round % tokens.length]!;
      const url = `https://example.com/${text(30)}`;
      const params = { Body: text(round % 10 === 0 ? 3_000 : 160), From: text(12) };
      const data = `${url}Body${params.Body}From${params.From}`;
      expect(computeTwilioSignature(token, url, params)).toBe(
        createHmac('sha1', token).update(data, 'utf8').digest('base64'),
      );
    }
  });

  it("matches Twilio's published test vector", () => {
    expect(computeTwilioSignature(TOKEN, URL, PARAMS)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it("matches the vector of Twilio's security guide", () => {
    const params = { ...PARAMS, Caller: '+12349013030', From: '+12349013030' };
    expect(computeTwilioSignature(TOKEN, URL, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('signs the port variants as the SDKs do', () => {
    expect(
      computeTwilioSignature(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS),
    ).toBe('kvajT1Ptam85bY51eRf/AJRuM3w=');
    expect(
      computeTwilioSignature(TOKEN, 'http://mycompany.com:80/myapp.php?foo=1&bar=2', PARAMS),
    ).toBe('0ZXoZLH/DfblKGATFgpif+LLRf4=');
  });

  it('signs repeated parameters once per distinct value, sorted', () => {
    const params = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] };
    expect(computeTwilioSignature(TOKEN, URL, params)).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });

  it('signs a URL with a quote in it', () => {
    expect(computeTwilioSignature(TOKEN, `${URL}&Body=It's+amazing`, PARAMS)).toBe(
      'dsq4Ehbj6cs+KdTkpF5sSSplOWw=',
    );
  });
});

describe('validateTwilioSignature', () => {
  it('accepts the published vector', () => {
    expect(validateTwilioSignature(TOKEN, URL, PARAMS, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(true);
  });

  it('accepts a signature made with the default port, or without the port given', () => {
    expect(validateTwilioSignature(TOKEN, URL, PARAMS, 'kvajT1Ptam85bY51eRf/AJRuM3w=')).toBe(true);
    const withPort = 'https://mycompany.com:1234/myapp.php?foo=1&bar=2';
    expect(validateTwilioSignature(TOKEN, withPort, PARAMS, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(
      true,
    );
    expect(
      validateTwilioSignature(
        TOKEN,
        'http://mycompany.com:1234/myapp.php?foo=1&bar=2',
        PARAMS,
        'Zmvh+3yNM1Phv2jhDCwEM3q5ebU=',
      ),
    ).toBe(true);
  });

  it('refuses a tampered body', () => {
    expect(
      validateTwilioSignature(
        TOKEN,
        URL,
        { ...PARAMS, Digits: '9999' },
        'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
      ),
    ).toBe(false);
    const { Digits: _removed, ...fewer } = PARAMS;
    expect(validateTwilioSignature(TOKEN, URL, fewer, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(false);
    expect(
      validateTwilioSignature(TOKEN, URL, { ...PARAMS, Extra: '' }, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='),
    ).toBe(false);
  });

  it('refuses another URL, another token, a missing or malformed signature', () => {
    const signature = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
    expect(
      validateTwilioSignature(TOKEN, 'https://mycompany.com/myapp.php?foo=1', PARAMS, signature),
    ).toBe(false);
    expect(
      validateTwilioSignature(
        TOKEN,
        'http://mycompany.com/myapp.php?foo=1&bar=2',
        PARAMS,
        signature,
      ),
    ).toBe(false);
    expect(validateTwilioSignature('54321', URL, PARAMS, signature)).toBe(false);
    expect(validateTwilioSignature(TOKEN, URL, PARAMS, undefined)).toBe(false);
    expect(validateTwilioSignature(TOKEN, URL, PARAMS, '')).toBe(false);
    expect(validateTwilioSignature(TOKEN, URL, PARAMS, 'short')).toBe(false);
    expect(validateTwilioSignature('', URL, PARAMS, computeTwilioSignature('', URL, PARAMS))).toBe(
      false,
    );
  });
});

describe('signatureUrlVariants', () => {
  it('adds the default port, or removes the one given, keeping user info and the query', () => {
    expect(signatureUrlVariants('https://a.example/x?y=1')).toEqual([
      'https://a.example/x?y=1',
      'https://a.example:443/x?y=1',
    ]);
    expect(signatureUrlVariants('http://u:p@a.example:8080/x')).toEqual([
      'http://u:p@a.example:8080/x',
      'http://u:p@a.example/x',
    ]);
  });
});
