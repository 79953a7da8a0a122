/**
 * The timestamp that starts every message line of a WhatsApp export, in all the shapes phones
 * write it:
 *
 *   [31/12/2023, 21:15:00] Name: text            iOS
 *   12/31/23, 9:15 PM - Name: text               Android, 12-hour, U+202F before PM
 *   31.12.23, 21:15 - Name: text                 Android, German
 *   13.6.2018 klo 21.25.15 - Name: text          Finnish, dots in the time
 *   [2024/10/31 下午3:50:46] Name: text           year first, marker before the time
 *   20/6/2017 8:28 p. m. - Name: text            NBSP inside "p. m."
 *
 * The date is kept as three raw numbers: which one is the day is decided for the whole file
 * (see day-order.ts), never per line.
 */

import { isDirectionMark } from './plain-text.js';

/** Marks that phones put before a line or a token: LRM, RLM, LRE…RLO, isolates, BOM. */
export const LEADING_MARKS = /^[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]+/;

/** Meridiem markers, lower-cased and without spaces or dots, by meaning. */
const AM = new Set(['am', 'a', '上午', '午前', '오전', 'ص', 'vorm', 'sa', 'дп', 'πμ', 'fm', 'de']);
const PM = new Set(['pm', 'p', '下午', '午後', '오후', 'م', 'nachm', 'ch', 'пп', 'μμ', 'em', 'du']);

const MERIDIEM =
  '(?:[AaPp]\\.?[\\s\\u00A0\\u202F]?[Mm]\\.?|上午|下午|午前|午後|오전|오후|ص|م|vorm\\.|nachm\\.|SA|CH|дп|пп|π\\.?μ\\.?|μ\\.?μ\\.?|fm|em|de\\.|du\\.)';

/**
 * Groups: 1 `[`; 2, 4, 5 the date numbers with 3 their separator; 6 a meridiem before the
 * time; 7 hour, 8 the time separator, 9 minute, 10 second; 11 a meridiem after the time;
 * 12 `]`; 13 what ends the header (` - `, `: `, a space, or the end of the line).
 */
const HEADER = new RegExp(
  '^[\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]*(\\[)?' +
    '(\\d{1,4})([./-])\\s?(\\d{1,4})\\3\\s?(\\d{1,4})\\.?' +
    // ", " between date and time, or a word such as Finnish "klo".
    ',?[\\s\\u00A0\\u202F\\u2009]+' +
    `(?:(${MERIDIEM})[\\s\\u00A0\\u202F\\u2009]?|[^\\d\\s\\[\\]]{1,5}\\s+)?` +
    '(\\d{1,2})([:.])(\\d{2})(?:[:.](\\d{2}))?' +
    `(?:[\\s\\u00A0\\u202F\\u2009]*(${MERIDIEM}))?` +
    '(\\])?(\\s[-\\u2013]\\s|:\\s|\\s|$)',
);

export interface Header {
  /** The three date numbers as written, in file order. A year written with four digits is ≥ 1000. */
  date: [number, number, number];
  /** 0-23, meridiem applied. */
  hour: number;
  minute: number;
  second: number;
  bracket: boolean;
  /**
   * Everything about the header's shape that must agree across one export (brackets, date
   * separator, seconds, clock, what ends it), as one number: lines of another shape inside a
   * file are message text, not messages.
   */
  signature: number;
  /** What follows the header: `Name: text`, or system text. */
  rest: string;
}

/** True when a signature says 12-hour clock and slashes: the United States' month-first dates. */
export function isUsStyle(signature: number): boolean {
  return (signature & 16) !== 0 && (signature & 6) === 0;
}

/** Cheap test before the regular expression: a header starts with a digit, `[` or a mark. */
function mayStartHeader(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5b ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x202a ||
    code === 0xfeff
  );
}

const meridiemCache = new Map<string, 'am' | 'pm' | undefined>();

function meridiemOf(raw: string | undefined): 'am' | 'pm' | undefined {
  if (raw === undefined) return undefined;
  if (meridiemCache.has(raw)) return meridiemCache.get(raw);
  const value = readMeridiem(raw);
  if (meridiemCache.size < 1000) meridiemCache.set(raw, value);
  return value;
}

function readMeridiem(raw: string): 'am' | 'pm' | undefined {
  const key = raw.replace(/[\s\u00A0\u202F.]/g, '').toLowerCase();
  if (AM.has(key)) return 'am';
  if (PM.has(key)) return 'pm';
  return key.startsWith('a') ? 'am' : key.startsWith('p') ? 'pm' : undefined;
}

/**
 * A header read in place, without a string per line: `readHeader` fills one of these and the
 * caller keeps only the numbers it needs.
 */
export interface HeaderFields {
  /** The three date numbers as written, in file order. */
  a: number;
  b: number;
  c: number;
  hour: number;
  minute: number;
  second: number;
  bracket: boolean;
  signature: number;
  /** Where the text after the header starts (`Name: text`, or system text). */
  restStart: number;
}

/** Fields for a caller that has none of its own. */
export function createHeaderFields(): HeaderFields {
  return {
    a: 0,
    b: 0,
    c: 0,
    hour: 0,
    minute: 0,
    second: 0,
    bracket: false,
    signature: 0,
    restStart: 0,
  };
}

const scratch = createHeaderFields();

/** The header read into `fields`, as `parseHeader` returns it; `rest` runs to the end of `line`. */
export function toHeader(line: string, fields: HeaderFields): Header {
  return {
    date: [fields.a, fields.b, fields.c],
    hour: fields.hour,
    minute: fields.minute,
    second: fields.second,
    bracket: fields.bracket,
    signature: fields.signature,
    rest: line.slice(fields.restStart),
  };
}

/**
 * Reads the header of a line, or returns undefined when the line does not start with one (a
 * continuation line) or when the numbers cannot be a time (hour 25, minute 61, month 0).
 */
export function parseHeader(line: string): Header | undefined {
  return readHeader(line, 0, line.length, scratch) ? toHeader(line, scratch) : undefined;
}

/**
 * Reads the header of the line `text[start, end)` into `fields`; false when the line has none.
 * The character at `end`, if any, must be a line break (`\r` or `\n`).
 */
export function readHeader(
  text: string,
  start: number,
  end: number,
  fields: HeaderFields,
): boolean {
  if (end - start < 8 || !mayStartHeader(text.charCodeAt(start))) return false;
  if (scanHeaderAt(text, start, end, fields)) return true;
  const line = start === 0 && end === text.length ? text : text.slice(start, end);
  if (!matchHeaderInto(line, fields)) return false;
  fields.restStart += start;
  return true;
}

/** The header read with the regular expression, which knows every shape. */
export function matchHeader(line: string): Header | undefined {
  return matchHeaderInto(line, scratch) ? toHeader(line, scratch) : undefined;
}

function matchHeaderInto(line: string, fields: HeaderFields): boolean {
  const match = HEADER.exec(line);
  if (match === null) return false;
  const terminator = match[13]!;
  return settleHeader(
    fields,
    match[1] !== undefined,
    match[12] !== undefined,
    Number(match[2]),
    match[3]!.charCodeAt(0),
    Number(match[4]),
    Number(match[5]),
    match[5]!.length,
    meridiemOf(match[6] ?? match[11]),
    Number(match[7]),
    Number(match[9]),
    match[10] === undefined ? -1 : Number(match[10]),
    terminator === ''
      ? TERMINATOR_END
      : terminator.trim() === ''
        ? TERMINATOR_SPACE
        : terminator.charCodeAt(0) === 0x3a
          ? TERMINATOR_COLON
          : TERMINATOR_DASH,
    match[0].length,
  );
}

/** What ends a header, as its signature bits. */
const TERMINATOR_END = 0;
const TERMINATOR_SPACE = 32;
const TERMINATOR_DASH = 64;
const TERMINATOR_COLON = 96;

/** Checks a header's numbers and fills `fields`; false when they cannot be a time or a date. */
function settleHeader(
  fields: HeaderFields,
  bracket: boolean,
  closed: boolean,
  a: number,
  dateSeparator: number,
  b: number,
  c: number,
  cDigits: number,
  meridiem: 'am' | 'pm' | undefined,
  rawHour: number,
  minute: number,
  /** -1 when the time has no seconds. */
  rawSecond: number,
  terminator: number,
  restStart: number,
): boolean {
  if (bracket !== closed) return false;
  let hour = rawHour;
  const second = rawSecond < 0 ? 0 : rawSecond;
  if (minute > 59 || second > 59) return false;
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return false;
    if (meridiem === 'am' && hour === 12) hour = 0;
    else if (meridiem === 'pm' && hour !== 12) hour += 12;
  } else if (hour > 23) {
    return false;
  }
  // Every date has a part that is a month (1-12) and parts that are not zero.
  if (a === 0 || b === 0 || (c === 0 && cDigits !== 2)) return false;
  fields.a = a;
  fields.b = b;
  fields.c = c;
  fields.hour = hour;
  fields.minute = minute;
  fields.second = second;
  fields.bracket = bracket;
  fields.signature =
    (bracket ? 1 : 0) |
    (dateSeparator === 0x2f ? 0 : dateSeparator === 0x2e ? 2 : 4) |
    (rawSecond < 0 ? 0 : 8) |
    (meridiem !== undefined ? 16 : 0) |
    terminator;
  fields.restStart = restStart;
  return true;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Spaces the regular expression's `[\s\u00A0\u202F\u2009]` takes between header parts. */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0xa0 || code === 0x202f || code === 0x2009 || code === 0x09;
}

/**
 * The common header shapes read by hand, without the regular expression's allocations: about a
 * third of the time on big exports. Returns undefined for anything unusual (a word or a meridiem
 * before the time, a non-Latin meridiem, an odd terminator), which the regular expression then
 * decides; it never rejects a line on its own.
 */
export function scanHeader(line: string): Header | undefined {
  return scanHeaderAt(line, 0, line.length, scratch) ? toHeader(line, scratch) : undefined;
}

/**
 * `scanHeader` on `text[start, end)` in place. Past `end` there is a line break or nothing, and
 * every test below fails on both, so the line never needs a string of its own. `code` is always
 * the character at `pos`: each character is read once.
 */
function scanHeaderAt(text: string, start: number, end: number, fields: HeaderFields): boolean {
  let pos = start;
  let code = text.charCodeAt(pos);
  while (pos < end && isDirectionMark(code)) code = text.charCodeAt(++pos);
  const bracket = code === 0x5b;
  if (bracket) code = text.charCodeAt(++pos);
  // Date: three numbers of 1-4 digits with one separator, a space allowed after it.
  const aStart = pos;
  let a = 0;
  while (pos < end && pos - aStart < 4 && isDigit(code)) {
    a = a * 10 + code - 0x30;
    code = text.charCodeAt(++pos);
  }
  if (pos === aStart || isDigit(code)) return false;
  const separator = code;
  if (separator !== 0x2f && separator !== 0x2e && separator !== 0x2d) return false;
  code = text.charCodeAt(++pos);
  if (code === 0x20) code = text.charCodeAt(++pos);
  const bStart = pos;
  let b = 0;
  while (pos < end && pos - bStart < 4 && isDigit(code)) {
    b = b * 10 + code - 0x30;
    code = text.charCodeAt(++pos);
  }
  if (pos === bStart || code !== separator) return false;
  code = text.charCodeAt(++pos);
  if (code === 0x20) code = text.charCodeAt(++pos);
  const cStart = pos;
  let c = 0;
  while (pos < end && pos - cStart < 4 && isDigit(code)) {
    c = c * 10 + code - 0x30;
    code = text.charCodeAt(++pos);
  }
  if (pos === cStart || isDigit(code)) return false;
  const cDigits = pos - cStart;
  if (code === 0x2e) code = text.charCodeAt(++pos);
  if (code === 0x2c) code = text.charCodeAt(++pos);
  const spaces = pos;
  while (pos < end && isSpace(code)) code = text.charCodeAt(++pos);
  if (pos === spaces) return false;
  // Time: h or hh, a separator, mm, and maybe a separator and ss.
  const hourStart = pos;
  let hour = 0;
  while (pos < end && pos - hourStart < 2 && isDigit(code)) {
    hour = hour * 10 + code - 0x30;
    code = text.charCodeAt(++pos);
  }
  if (pos === hourStart || isDigit(code)) return false;
  if (code !== 0x3a && code !== 0x2e) return false;
  const minuteTens = text.charCodeAt(pos + 1);
  const minuteOnes = text.charCodeAt(pos + 2);
  if (!isDigit(minuteTens) || !isDigit(minuteOnes)) return false;
  const minute = (minuteTens - 0x30) * 10 + minuteOnes - 0x30;
  pos += 3;
  code = text.charCodeAt(pos);
  let second = -1;
  if (code === 0x3a || code === 0x2e) {
    const secondTens = text.charCodeAt(pos + 1);
    const secondOnes = text.charCodeAt(pos + 2);
    if (isDigit(secondTens) && isDigit(secondOnes)) {
      second = (secondTens - 0x30) * 10 + secondOnes - 0x30;
      pos += 3;
      code = text.charCodeAt(pos);
    }
  }
  if (isDigit(code)) return false;
  // A Latin meridiem: AM, am, a.m., a. m. (a no-break space allowed), PM likewise.
  let meridiem: 'am' | 'pm' | undefined;
  let scan = pos;
  let scanned = code;
  while (scan < end && isSpace(scanned)) scanned = text.charCodeAt(++scan);
  const letter = scanned | 0x20;
  if (letter === 0x61 || letter === 0x70) {
    let last = scan + 1;
    if (text.charCodeAt(last) === 0x2e) last += 1;
    if (isSpace(text.charCodeAt(last)) && (text.charCodeAt(last + 1) | 0x20) === 0x6d) last += 1;
    if ((text.charCodeAt(last) | 0x20) !== 0x6d) return false;
    last += 1;
    if (text.charCodeAt(last) === 0x2e) last += 1;
    meridiem = letter === 0x61 ? 'am' : 'pm';
    pos = last;
    code = text.charCodeAt(pos);
  } else if (
    scan < end &&
    !isSpace(scanned) &&
    scanned !== 0x2d &&
    scanned !== 0x5d &&
    scanned !== 0x3a &&
    scanned !== 0x2013
  ) {
    // Something else follows the time directly: a meridiem in another script, say.
    if (scan !== pos) return false;
  }
  let closed = false;
  if (code === 0x5d) {
    closed = true;
    code = text.charCodeAt(++pos);
  }
  // What ends the header: " - ", ": ", one space, or the end of the line.
  let terminator: number;
  if (pos >= end) {
    terminator = TERMINATOR_END;
  } else if (isSpace(code)) {
    const next = text.charCodeAt(pos + 1);
    if ((next === 0x2d || next === 0x2013) && isSpace(text.charCodeAt(pos + 2))) {
      terminator = TERMINATOR_DASH;
      pos += 3;
    } else {
      terminator = TERMINATOR_SPACE;
      pos += 1;
    }
  } else if (code === 0x3a && isSpace(text.charCodeAt(pos + 1))) {
    terminator = TERMINATOR_COLON;
    pos += 2;
  } else {
    return false;
  }
  return settleHeader(
    fields,
    bracket,
    closed,
    a,
    separator,
    b,
    c,
    cDigits,
    meridiem,
    hour,
    minute,
    second,
    terminator,
    pos,
  );
}
