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

const SEPARATOR_BITS: Record<string, number> = { '/': 0, '.': 2, '-': 4 };
const TERMINATOR_BITS: Record<string, number> = { '': 0, ' ': 32, ' - ': 64, ': ': 96 };

/** True when a signature says 12-hour clock and slashes: the United States' month-first dates. */
export function isUsStyle(signature: number): boolean {
  return (signature & 16) !== 0 && (signature & 6) === 0;
}

/** Cheap test before the regular expression: a header starts with a digit, `[` or a mark. */
function mayStartHeader(line: string): boolean {
  const code = line.charCodeAt(0);
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
 * Reads the header of a line, or returns undefined when the line does not start with one (a
 * continuation line) or when the numbers cannot be a time (hour 25, minute 61, month 0).
 */
export function parseHeader(line: string): Header | undefined {
  if (line.length < 8 || !mayStartHeader(line)) return undefined;
  return scanHeader(line) ?? matchHeader(line);
}

/** The header read with the regular expression, which knows every shape. */
export function matchHeader(line: string): Header | undefined {
  const match = HEADER.exec(line);
  if (match === null) return undefined;
  return buildHeader(
    line,
    match[1] !== undefined,
    match[12] !== undefined,
    match[2]!,
    match[3]!,
    match[4]!,
    match[5]!,
    meridiemOf(match[6] ?? match[11]),
    Number(match[7]),
    Number(match[9]),
    match[10] === undefined ? -1 : Number(match[10]),
    match[13]!,
    match[0].length,
  );
}

function buildHeader(
  line: string,
  bracket: boolean,
  closed: boolean,
  a: string,
  dateSeparator: string,
  b: string,
  c: string,
  meridiem: 'am' | 'pm' | undefined,
  rawHour: number,
  minute: number,
  /** -1 when the time has no seconds. */
  rawSecond: number,
  rawTerminator: string,
  length: number,
): Header | undefined {
  if (bracket !== closed) return undefined;
  let hour = rawHour;
  const second = rawSecond < 0 ? 0 : rawSecond;
  if (minute > 59 || second > 59) return undefined;
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    if (meridiem === 'am' && hour === 12) hour = 0;
    else if (meridiem === 'pm' && hour !== 12) hour += 12;
  } else if (hour > 23) {
    return undefined;
  }
  const date: [number, number, number] = [Number(a), Number(b), Number(c)];
  // Every date has a part that is a month (1-12) and parts that are not zero.
  if (date[0] === 0 || date[1] === 0 || (date[2] === 0 && c.length !== 2)) return undefined;
  const terminator =
    rawTerminator === ''
      ? ''
      : rawTerminator.trim() === ''
        ? ' '
        : rawTerminator.charCodeAt(0) === 0x3a
          ? ': '
          : ' - ';
  const hasMeridiem = meridiem !== undefined;
  return {
    date,
    hour,
    minute,
    second,
    bracket,
    signature:
      (bracket ? 1 : 0) |
      SEPARATOR_BITS[dateSeparator]! |
      (rawSecond < 0 ? 0 : 8) |
      (hasMeridiem ? 16 : 0) |
      TERMINATOR_BITS[terminator]!,
    rest: line.slice(length),
  };
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Spaces the regular expression's `[\s\u00A0\u202F\u2009]` takes between header parts. */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0xa0 || code === 0x202f || code === 0x2009 || code === 0x09;
}

function isMark(code: number): boolean {
  return (
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

/**
 * The common header shapes read by hand, without the regular expression's allocations: about a
 * third of the time on big exports. Returns undefined for anything unusual (a word or a meridiem
 * before the time, a non-Latin meridiem, an odd terminator), which the regular expression then
 * decides; it never rejects a line on its own.
 */
export function scanHeader(line: string): Header | undefined {
  const length = line.length;
  let pos = 0;
  while (pos < length && isMark(line.charCodeAt(pos))) pos += 1;
  const bracket = line.charCodeAt(pos) === 0x5b;
  if (bracket) pos += 1;
  // Date: three numbers of 1-4 digits with one separator, a space allowed after it.
  const aStart = pos;
  while (pos < length && pos - aStart < 4 && isDigit(line.charCodeAt(pos))) pos += 1;
  if (pos === aStart || isDigit(line.charCodeAt(pos))) return undefined;
  const a = line.slice(aStart, pos);
  const separator = line.charCodeAt(pos);
  if (separator !== 0x2f && separator !== 0x2e && separator !== 0x2d) return undefined;
  pos += 1;
  if (line.charCodeAt(pos) === 0x20) pos += 1;
  const bStart = pos;
  while (pos < length && pos - bStart < 4 && isDigit(line.charCodeAt(pos))) pos += 1;
  if (pos === bStart || isDigit(line.charCodeAt(pos)) || line.charCodeAt(pos) !== separator)
    return undefined;
  const b = line.slice(bStart, pos);
  pos += 1;
  if (line.charCodeAt(pos) === 0x20) pos += 1;
  const cStart = pos;
  while (pos < length && pos - cStart < 4 && isDigit(line.charCodeAt(pos))) pos += 1;
  if (pos === cStart || isDigit(line.charCodeAt(pos))) return undefined;
  const c = line.slice(cStart, pos);
  if (line.charCodeAt(pos) === 0x2e) pos += 1;
  if (line.charCodeAt(pos) === 0x2c) pos += 1;
  const spaces = pos;
  while (pos < length && isSpace(line.charCodeAt(pos))) pos += 1;
  if (pos === spaces) return undefined;
  // Time: h or hh, a separator, mm, and maybe a separator and ss.
  const hourStart = pos;
  while (pos < length && pos - hourStart < 2 && isDigit(line.charCodeAt(pos))) pos += 1;
  if (pos === hourStart || isDigit(line.charCodeAt(pos))) return undefined;
  const hour = Number(line.slice(hourStart, pos));
  const timeSeparator = line.charCodeAt(pos);
  if (timeSeparator !== 0x3a && timeSeparator !== 0x2e) return undefined;
  pos += 1;
  if (!isDigit(line.charCodeAt(pos)) || !isDigit(line.charCodeAt(pos + 1))) return undefined;
  const minute = (line.charCodeAt(pos) - 0x30) * 10 + line.charCodeAt(pos + 1) - 0x30;
  pos += 2;
  let second = -1;
  const afterMinute = line.charCodeAt(pos);
  if (
    (afterMinute === 0x3a || afterMinute === 0x2e) &&
    isDigit(line.charCodeAt(pos + 1)) &&
    isDigit(line.charCodeAt(pos + 2))
  ) {
    second = (line.charCodeAt(pos + 1) - 0x30) * 10 + line.charCodeAt(pos + 2) - 0x30;
    pos += 3;
  }
  if (isDigit(line.charCodeAt(pos))) return undefined;
  // A Latin meridiem: AM, am, a.m., a. m. (a no-break space allowed), PM likewise.
  let meridiem: 'am' | 'pm' | undefined;
  let scan = pos;
  while (scan < length && isSpace(line.charCodeAt(scan))) scan += 1;
  const letter = line.charCodeAt(scan) | 0x20;
  if (letter === 0x61 || letter === 0x70) {
    let end = scan + 1;
    if (line.charCodeAt(end) === 0x2e) end += 1;
    if (isSpace(line.charCodeAt(end)) && (line.charCodeAt(end + 1) | 0x20) === 0x6d) end += 1;
    if ((line.charCodeAt(end) | 0x20) !== 0x6d) return undefined;
    end += 1;
    if (line.charCodeAt(end) === 0x2e) end += 1;
    meridiem = letter === 0x61 ? 'am' : 'pm';
    pos = end;
  } else if (
    scan < length &&
    !isSpace(line.charCodeAt(scan)) &&
    line.charCodeAt(scan) !== 0x2d &&
    line.charCodeAt(scan) !== 0x5d &&
    line.charCodeAt(scan) !== 0x3a &&
    line.charCodeAt(scan) !== 0x2013
  ) {
    // Something else follows the time directly: a meridiem in another script, say.
    if (scan !== pos) return undefined;
  }
  let closed = false;
  if (line.charCodeAt(pos) === 0x5d) {
    closed = true;
    pos += 1;
  }
  // What ends the header: " - ", ": ", one space, or the end of the line.
  let terminator: string;
  const next = line.charCodeAt(pos);
  if (pos >= length) {
    terminator = '';
  } else if (
    isSpace(next) &&
    (line.charCodeAt(pos + 1) === 0x2d || line.charCodeAt(pos + 1) === 0x2013) &&
    isSpace(line.charCodeAt(pos + 2))
  ) {
    terminator = ' - ';
    pos += 3;
  } else if (next === 0x3a && isSpace(line.charCodeAt(pos + 1))) {
    terminator = ': ';
    pos += 2;
  } else if (isSpace(next)) {
    terminator = ' ';
    pos += 1;
  } else {
    return undefined;
  }
  return buildHeader(
    line,
    bracket,
    closed,
    a,
    String.fromCharCode(separator),
    b,
    c,
    meridiem,
    hour,
    minute,
    second,
    terminator,
    pos,
  );
}
