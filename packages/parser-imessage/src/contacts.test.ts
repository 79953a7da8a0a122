import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { tempDir } from './__fixtures__/chat-db.js';
import { createContactBook, loadContacts, parseContactsCsv, parseVCard } from './contacts.js';

const VCARDS = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Chen;Alex;;;',
  'FN:Alex Chen',
  'item1.TEL;type=CELL;type=pref:+1 (555) 010-1234',
  'item2.EMAIL;type=INTERNET:alex@example.com',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Nair;Priya=C3=A9;;;',
  'TEL;CELL:07700 900123',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:4.0',
  'FN:Jordan\\, the climber',
  'EMAIL:jordan@exam',
  ' ple.org',
  'END:VCARD',
].join('\r\n');

describe('vCard', () => {
  it('reads names, phones and e-mail addresses, folded and quoted-printable', () => {
    expect(parseVCard(VCARDS)).toEqual([
      { name: 'Alex Chen', handles: ['+1 (555) 010-1234', 'alex@example.com'] },
      { name: 'Priyaé Nair', handles: ['07700 900123'] },
      { name: 'Jordan, the climber', handles: ['jordan@example.org'] },
    ]);
  });
});

describe('CSV', () => {
  it('reads Google-style columns with ::: separated values', () => {
    const csv =
      'First Name,Last Name,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value\n' +
      'Alex,Chen,alex@example.com,Mobile,"+1 555 010 1234 ::: +1 555 010 9999"\n' +
      '"Sam ""Sammy""",Rivera,,,+44 7700 900123\n';
    expect(parseContactsCsv(csv)).toEqual([
      { name: 'Alex Chen', handles: ['alex@example.com', '+1 555 010 1234', '+1 555 010 9999'] },
      { name: 'Sam "Sammy" Rivera', handles: ['+44 7700 900123'] },
    ]);
  });

  it('rejects a CSV without name or handle columns', () => {
    expect(() => parseContactsCsv('a,b\n1,2\n', 'people.csv')).toThrow(
      'people.csv:1: expected a contacts CSV with a header row',
    );
  });
});

describe('contact book', () => {
  const book = createContactBook(parseVCard(VCARDS));

  it('matches phone numbers on their digits, with or without a country code', () => {
    expect(book.nameFor('+15550101234')).toBe('Alex Chen');
    expect(book.nameFor('5550101234')).toBe('Alex Chen');
    expect(book.nameFor('+447700900123')).toBe('Priyaé Nair');
    expect(book.nameFor('+15550109999')).toBeUndefined();
  });

  it('matches e-mail addresses without regard to case', () => {
    expect(book.nameFor('Alex@Example.COM')).toBe('Alex Chen');
  });

  it('loads vCard and CSV files by content', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'contacts.txt'), VCARDS);
    writeFileSync(join(dir, 'people'), 'Name,Phone\nAlex Chen,555-010-1234\n');
    expect((await loadContacts(join(dir, 'contacts.txt'))).size).toBe(3);
    expect((await loadContacts(join(dir, 'people'))).nameFor('+1 555 010 1234')).toBe('Alex Chen');
    const missing = await loadContacts(join(dir, 'nope.vcf')).catch((error: unknown) => error);
    expect(ParseError.isInstance(missing)).toBe(true);
  });
});
