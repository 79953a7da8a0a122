import { describe, expect, it } from 'vitest';
import { createRedactor, ibanValid, luhnValid } from './redact.js';

function redact(text: string, words?: string[]) {
  const redactor = createRedactor({ words });
  return { text: redactor.redact(text), counts: redactor.counts() };
}

describe('checksums', () => {
  it('checks card numbers with Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
  it('checks IBANs with mod 97', () => {
    expect(ibanValid('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('DE89 3704 0044 0532 0130 01')).toBe(false);
  });
});

describe('createRedactor', () => {
  it.each([
    ['call me on +1 (555) 010-7788 tonight', 'call me on [PHONE] tonight'],
    ['+44 7700 900123', '[PHONE]'],
    ['0049 151 23456789!', '[PHONE]!'],
    ['my number is 555-010-7788', 'my number is [PHONE]'],
    ['ring 030 1234567', 'ring [PHONE]'],
    ['06 12 34 56 78 ok', '[PHONE] ok'],
    ['(555) 010 7788', '[PHONE]'],
    ['07700900123', '[PHONE]'],
  ])('replaces the phone number in %j', (input, expected) => {
    const result = redact(input);
    expect(result.text).toBe(expected);
    expect(result.counts.phone).toBe(1);
  });

  it.each([
    'see you 2023-12-30 at 21:15',
    'born 1990-2000',
    'on 30.12.2023',
    'it was 12/30/23',
    'score 3-2 😂',
    'we paid 1,000,000',
    'version 10.15.7',
    'order 123456',
    'https://x.com/sam/status/1734567890123456789',
  ])('leaves %j alone', (input) => {
    expect(redact(input).text).toBe(input);
  });

  it('replaces e-mail addresses, also with Unicode', () => {
    const result = redact('mail sam.rivera+test@example.co.uk or zoë@exämple.de.');
    expect(result.text).toBe('mail [EMAIL] or [EMAIL].');
    expect(result.counts.email).toBe(2);
  });

  it('replaces Luhn-valid card numbers only', () => {
    expect(redact('card 4111 1111 1111 1111 exp 12/27').text).toBe('card [CARD] exp 12/27');
    expect(redact('5500-0000-0000-0004').text).toBe('[CARD]');
    // Fails Luhn, and is too long for a phone number: left as it is.
    expect(redact('ref 4111 1111 1111 1112 3').text).toBe('ref 4111 1111 1111 1112 3');
  });

  it('replaces IBANs with a valid checksum, even before a capitalised word', () => {
    const result = redact('IBAN DE89 3704 0044 0532 0130 00 OK thanks');
    expect(result.text).toBe('IBAN [IBAN] OK thanks');
    expect(result.counts.iban).toBe(1);
    expect(redact('GB82WEST12345698765432').text).toBe('[IBAN]');
  });

  it('replaces IPv4 and IPv6 addresses', () => {
    expect(redact('ssh to 192.168.1.20.').text).toBe('ssh to [IP].');
    expect(redact('v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334 and fe80::1').text).toBe(
      'v6 [IP] and [IP]',
    );
    expect(redact('at 12:30:45 std::vector').text).toBe('at 12:30:45 std::vector');
    expect(redact('999.1.1.1').text).toBe('999.1.1.1');
  });

  it('replaces listed names as whole words in any case', () => {
    const result = redact('Alex said ALEX was late, not Alexandra', ['alex', 'Priya Nair']);
    expect(result.text).toBe('[NAME] said [NAME] was late, not Alexandra');
    expect(redact('ask Priya Nair 🌸', ['Priya Nair']).text).toBe('ask [NAME] 🌸');
    expect(redact('Zoë!', ['zoë']).text).toBe('[NAME]!');
  });

  it('keeps emoji, casing, punctuation and newlines', () => {
    const text = 'OMG 😂😂\nno WAY!!! …ok';
    expect(redact(text).text).toBe(text);
  });

  it('counts across calls', () => {
    const redactor = createRedactor();
    redactor.redact('a@b.co');
    redactor.redact('c@d.co and +1 555 010 7788');
    expect(redactor.counts()).toEqual({ phone: 1, email: 2, card: 0, iban: 0, ip: 0, word: 0 });
  });
});
