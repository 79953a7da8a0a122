import { readFile } from 'node:fs/promises';
import { normalizeText, ParseError } from '@alterego/core';
import { normalizeHandle } from './handles.js';

/** One person from a contacts file: a name and the phone numbers and e-mail addresses they use. */
export interface Contact {
  name: string;
  handles: string[];
}

/** Names for handles: the chat.db itself has none. */
export interface ContactBook {
  readonly size: number;
  /** The name for a phone number or e-mail address, if a contact has it. */
  nameFor(handle: string): string | undefined;
}

/** Phone numbers match on their digits; numbers with and without a country code match on 8+ final digits. */
const SUFFIX_DIGITS = 8;

/** Builds a contact book from contacts (later contacts do not replace earlier ones). */
export function createContactBook(contacts: Iterable<Contact>): ContactBook {
  const exact = new Map<string, string>();
  const bySuffix = new Map<string, { digits: string; name: string }[]>();
  let size = 0;
  for (const contact of contacts) {
    const name = normalizeText(contact.name).trim();
    if (!name) continue;
    size += 1;
    for (const raw of contact.handles) {
      const handle = normalizeHandle(raw);
      if (!handle) continue;
      if (!exact.has(handle)) exact.set(handle, name);
      const digits = handle.replace(/^\+/, '');
      if (/^\d+$/.test(digits) && digits.length >= SUFFIX_DIGITS) {
        const key = digits.slice(-SUFFIX_DIGITS);
        const list = bySuffix.get(key) ?? [];
        list.push({ digits, name });
        bySuffix.set(key, list);
      }
    }
  }
  return {
    size,
    nameFor(handle) {
      const key = normalizeHandle(handle);
      const found = exact.get(key);
      if (found !== undefined) return found;
      const digits = key.replace(/^\+/, '');
      if (!/^\d+$/.test(digits) || digits.length < SUFFIX_DIGITS) return undefined;
      // National numbers carry a trunk 0 that the international form drops (07700 → +44 7700).
      const national = digits.replace(/^0+/, '');
      for (const candidate of bySuffix.get(digits.slice(-SUFFIX_DIGITS)) ?? []) {
        const other = candidate.digits.replace(/^0+/, '');
        if (other.endsWith(national) || national.endsWith(other)) {
          return candidate.name;
        }
      }
      return undefined;
    },
  };
}

/** vCard escapes: `\,` `\;` `\\` `\n`. */
function unescapeVCard(value: string): string {
  return value.replace(/\\([,;\\nN])/g, (_, char: string) =>
    char === 'n' || char === 'N' ? '\n' : char,
  );
}

/** Decodes a quoted-printable value (vCard 2.1) as UTF-8. */
function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index]!;
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(index + 1, index + 3))) {
      bytes.push(parseInt(value.slice(index + 1, index + 3), 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Reads vCard text (versions 2.1, 3.0 and 4.0, as macOS Contacts, iCloud and Google export
 * it): `FN` (or `N` when `FN` is missing), every `TEL` and `EMAIL`.
 */
export function parseVCard(text: string): Contact[] {
  // Folded lines continue with a space or tab; quoted-printable lines with a trailing "=".
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n|\r/g, '\n')
    .replace(/=\n/g, '=\u0000')
    .replace(/\n[ \t]/g, '')
    .split('\n');
  const contacts: Contact[] = [];
  let current: { fn?: string; n?: string; handles: string[] } | undefined;
  for (const line of lines) {
    const upper = line.toUpperCase();
    if (upper.startsWith('BEGIN:VCARD')) {
      current = { handles: [] };
      continue;
    }
    if (upper.startsWith('END:VCARD')) {
      if (current) {
        const name = current.fn?.trim() || current.n?.trim() || '';
        if (name) contacts.push({ name, handles: current.handles });
      }
      current = undefined;
      continue;
    }
    if (!current) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const head = line.slice(0, colon);
    const params = head.split(';');
    // Apple groups properties as `item1.EMAIL`.
    const property = params[0]!.replace(/^[^.]*\./, '').toUpperCase();
    let value = line.slice(colon + 1);
    if (params.some((param) => /ENCODING=QUOTED-PRINTABLE/i.test(param))) {
      value = decodeQuotedPrintable(value.replace(/=\u0000/g, ''));
    } else {
      value = value.replace(/=\u0000/g, '=\n');
    }
    if (property === 'FN') current.fn = unescapeVCard(value);
    else if (property === 'N') {
      const [family = '', given = '', middle = '', prefix = '', suffix = ''] = value
        .split(/(?<!\\);/)
        .map(unescapeVCard);
      current.n = [prefix, given, middle, family, suffix].filter(Boolean).join(' ');
    } else if (property === 'TEL' || property === 'EMAIL') {
      const handle = unescapeVCard(value)
        .replace(/^(?:tel|mailto):/i, '')
        .trim();
      if (handle) current.handles.push(handle);
    }
  }
  return contacts;
}

/** Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes, newlines in quotes). */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index]!;
    if (quoted) {
      if (char === '"') {
        if (source[index + 1] === '"') {
          field += '"';
          index += 1;
        } else quoted = false;
      } else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((fields) => fields.some((value) => value.trim() !== ''));
}

/**
 * Reads a contacts CSV with a header row: Google Contacts, Outlook, or a plain
 * `name,phone,email` file. Name columns: `Name`, `Full Name`, `Display Name`, or `First Name` +
 * `Last Name`; handle columns: any whose header mentions phone, mobile, e-mail or handle
 * (Google's `:::`-separated values are split).
 */
export function parseContactsCsv(text: string, file = 'contacts.csv'): Contact[] {
  const [header, ...rows] = parseCsvRows(text);
  if (!header) return [];
  const names = header.map((value) => value.trim().toLowerCase());
  const column = (...wanted: string[]) => names.findIndex((name) => wanted.includes(name));
  const full = column('name', 'full name', 'display name', 'contact', 'contact name');
  const first = column('first name', 'given name', 'firstname');
  const middle = column('middle name', 'additional name');
  const last = column('last name', 'family name', 'surname', 'lastname');
  const handleColumns = names
    .map((name, index) => ({ name, index }))
    .filter(
      ({ name }) =>
        /phone|mobile|cell|e-?mail|handle|number|address|^tel/.test(name) &&
        !/type|label|home address|business address|street|city|postal|country|region/.test(name),
    )
    .map(({ index }) => index);
  if ((full < 0 && first < 0 && last < 0) || handleColumns.length === 0) {
    throw new ParseError(
      'expected a contacts CSV with a header row naming a name column (Name, or First Name and Last Name) and at least one phone or e-mail column',
      { file, line: 1, ruleId: 'imessage:bad-contacts' },
    );
  }
  const contacts: Contact[] = [];
  for (const row of rows) {
    const name =
      (full >= 0 ? row[full]?.trim() : '') ||
      [first, middle, last]
        .map((index) => (index >= 0 ? (row[index]?.trim() ?? '') : ''))
        .filter(Boolean)
        .join(' ');
    const handles = handleColumns
      .flatMap((index) => (row[index] ?? '').split(':::'))
      .map((value) => value.trim())
      .filter(Boolean);
    if (name && handles.length > 0) contacts.push({ name, handles });
  }
  return contacts;
}

/**
 * Reads a contacts file (vCard `.vcf` or CSV, told apart by content) into a contact book, for
 * naming the people behind phone numbers and e-mail addresses.
 */
export async function loadContacts(path: string): Promise<ContactBook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ParseError(
      `cannot read the contacts file (${(cause as NodeJS.ErrnoException).code ?? String(cause)}); expected a vCard (.vcf) or CSV file`,
      { file: path, ruleId: 'imessage:bad-contacts', cause },
    );
  }
  const contacts = /^\uFEFF?\s*BEGIN:VCARD/i.test(text)
    ? parseVCard(text)
    : parseContactsCsv(text, path);
  if (contacts.length === 0) {
    throw new ParseError(
      'no contact with a name and a phone number or e-mail address; expected a vCard (.vcf) or CSV file',
      { file: path, ruleId: 'imessage:bad-contacts' },
    );
  }
  return createContactBook(contacts);
}
