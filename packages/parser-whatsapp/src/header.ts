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
  /** `/`, `.` or `-`. */
  dateSeparator: string;
  /** True for a 12-hour clock. */
  meridiem: boolean;
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
  const match = HEADER.exec(line);
  if (match === null) return undefined;
  const bracket = match[1] !== undefined;
  if (bracket !== (match[12] !== undefined)) return undefined;
  const a = match[2]!;
  const b = match[4]!;
  const c = match[5]!;
  const meridiem = meridiemOf(match[6] ?? match[11]);
  let hour = Number(match[7]);
  const minute = Number(match[9]);
  const secondText = match[10];
  const second = secondText === undefined ? 0 : Number(secondText);
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
  const rawTerminator = match[13]!;
  const terminator =
    rawTerminator === ''
      ? ''
      : rawTerminator.trim() === ''
        ? ' '
        : rawTerminator.charCodeAt(0) === 0x3a
          ? ': '
          : ' - ';
  const dateSeparator = match[3]!;
  const hasMeridiem = meridiem !== undefined;
  return {
    date,
    hour,
    minute,
    second,
    bracket,
    dateSeparator,
    meridiem: hasMeridiem,
    signature:
      (bracket ? 1 : 0) |
      SEPARATOR_BITS[dateSeparator]! |
      (secondText === undefined ? 0 : 8) |
      (hasMeridiem ? 16 : 0) |
      TERMINATOR_BITS[terminator]!,
    rest: line.slice(match[0].length),
  };
}
