/** Kinds of private data that redaction replaces. */
export const REDACTION_TYPES = ['phone', 'email', 'card', 'iban', 'ip', 'word'] as const;
export type RedactionType = (typeof REDACTION_TYPES)[number];

/** The typed placeholder each kind is replaced with. */
export const REDACTION_PLACEHOLDERS: Readonly<Record<RedactionType, string>> = {
  phone: '[PHONE]',
  email: '[EMAIL]',
  card: '[CARD]',
  iban: '[IBAN]',
  ip: '[IP]',
  word: '[NAME]',
};

/** How many of each kind were replaced. */
export type RedactionCounts = Record<RedactionType, number>;

export interface RedactorOptions {
  /** Names or words to replace with `[NAME]` wherever they stand as whole words, any case. */
  words?: readonly string[];
}

/** Replaces private data in text with typed placeholders and counts what it replaced. */
export interface Redactor {
  /** The text with phone numbers, e-mail addresses, card numbers, IBANs, IP addresses and the listed words replaced. */
  redact(text: string): string;
  /** Only the listed words (for speaker names). */
  redactWords(text: string): string;
  /** Replacements so far, by kind. */
  counts(): RedactionCounts;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\p{L}\p{N}])/gu;
const INTERNATIONAL_PHONE =
  /(?<![\p{L}\p{N}+_.-])(?:\+|00(?=[1-9]))\d[\d ().\u00a0-]{5,}\d(?![\p{L}\p{N}])/gu;
const CARD = /(?<![\p{L}\p{N}+_.-])[1-9](?:[ -]?\d){12,18}(?![\p{L}\p{N}])/gu;
const IPV4 =
  /(?<![\p{L}\p{N}.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\p{L}\p{N}]|\.\d)/gu;
const IPV6 =
  /(?<![\p{L}\p{N}:_])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?)(?![\p{L}\p{N}:_])/giu;
const NATIONAL_PHONE =
  /(?<![\p{L}\p{N}+@/=:.,_-])(?:\(\d{2,5}\)[ .-]?|\d{2,5}[ .-]?)\d{2,5}(?:[ .-]?\d{2,5}){0,3}(?![\p{L}\p{N}@_]|[.,-]\d)/gu;
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;
const YEAR_RANGE = /^(?:19|20)\d\d ?[-.] ?(?:19|20)\d\d$/;

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/** The Luhn check every payment card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let value = digits.charCodeAt(index) - 48;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The ISO 13616 mod-97 check of an IBAN (spaces allowed). */
export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/ /g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** What every kind but listed words needs: a digit, an `@` or a colon (IPv6). */
const MAY_HOLD_DATA = /[0-9@:]/;
/** A regular expression scans a string faster than a loop over its characters. */
const DIGIT = /[0-9]/;

/** True when the text has an ASCII digit. */
export function hasDigit(text: string): boolean {
  return DIGIT.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A national number: 7 to 12 digits that are not a date or a year range. */
function looksLikeNationalPhone(candidate: string): boolean {
  const digits = digitsOf(candidate);
  if (digits.length < 7 || digits.length > 12) return false;
  if (DATE_LIKE.test(candidate) || YEAR_RANGE.test(candidate)) return false;
  const separated = /[ .()-]/.test(candidate);
  // A bare run of digits is a number only when it is as long as phone numbers are, or starts
  // with the trunk prefix 0.
  return separated || digits.length >= 10 || (digits.startsWith('0') && digits.length >= 9);
}

/** Phone numbers, e-mail addresses, card numbers, IBANs, IP addresses and listed words to typed placeholders. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const counts: RedactionCounts = { phone: 0, email: 0, card: 0, iban: 0, ip: 0, word: 0 };
  const words = [...new Set((options.words ?? []).map((word) => word.normalize('NFC').trim()))]
    .filter((word) => word.length > 0)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const wordPattern =
    words.length === 0
      ? undefined
      : new RegExp(
          `(?<![\\p{L}\\p{N}_])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`,
          'giu',
        );

  const replaceWords = (text: string): string =>
    wordPattern === undefined
      ? text
      : text.replace(wordPattern, () => {
          counts.word += 1;
          return REDACTION_PLACEHOLDERS.word;
        });

  function redactIban(match: string): string {
    // The pattern may run on into a following capitalised word: try shorter spaced prefixes.
    const parts = match.split(' ');
    for (let end = parts.length; end >= 1; end -= 1) {
      const candidate = parts.slice(0, end).join(' ');
      if (ibanValid(candidate)) {
        counts.iban += 1;
        const rest = parts.slice(end).join(' ');
        return rest === '' ? REDACTION_PLACEHOLDERS.iban : `${REDACTION_PLACEHOLDERS.iban} ${rest}`;
      }
    }
    return match;
  }

  function redact(text: string): string {
    // Most messages hold none of these characters: one scan decides.
    if (!MAY_HOLD_DATA.test(text)) return replaceWords(text);
    let result = text;
    if (result.includes('@')) {
      result = result.replace(EMAIL, () => {
        counts.email += 1;
        return REDACTION_PLACEHOLDERS.email;
      });
    }
    if (hasDigit(result)) {
      result = result.replace(IBAN, redactIban);
      result = result.replace(INTERNATIONAL_PHONE, (match) => {
        const digits = digitsOf(match).replace(/^00/, '');
        if (digits.length < 8 || digits.length > 15) return match;
        counts.phone += 1;
        return REDACTION_PLACEHOLDERS.phone;
      });
      result = result.replace(CARD, (match) => {
        if (!luhnValid(digitsOf(match))) return match;
        counts.card += 1;
        return REDACTION_PLACEHOLDERS.card;
      });
      result = result.replace(IPV4, () => {
        counts.ip += 1;
        return REDACTION_PLACEHOLDERS.ip;
      });
    }
    // An IPv6 address needs colons: most messages have none and skip the pattern.
    if (
      result.includes(':') &&
      (result.includes('::') || /[0-9a-f]{1,4}:[0-9a-f]{1,4}:/i.test(result))
    ) {
      result = result.replace(IPV6, (match) => {
        const groups = match.split(':').filter(Boolean);
        if (groups.length < 2 || !groups.some((group) => group.length >= 2)) return match;
        counts.ip += 1;
        return REDACTION_PLACEHOLDERS.ip;
      });
    }
    if (hasDigit(result)) {
      result = result.replace(NATIONAL_PHONE, (match) => {
        if (!looksLikeNationalPhone(match)) return match;
        counts.phone += 1;
        return REDACTION_PLACEHOLDERS.phone;
      });
    }
    return replaceWords(result);
  }

  return { redact, redactWords: replaceWords, counts: () => ({ ...counts }) };
}
