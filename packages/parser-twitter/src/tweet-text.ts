import { decodeHtmlEntities } from './html-entities.js';

/** A piece of raw text to rewrite: found at its entity indices, or by its own text. */
export interface TextReplacement {
  /** `[start, end]` in code points, as the archive writes them (numbers or numeric strings). */
  indices?: unknown;
  /** The raw text the entity covers, such as a `t.co` link. */
  find: string;
  /** What takes its place; `''` removes it. */
  replace: string;
}

interface Range {
  start: number;
  end: number;
  replace: string;
}

function hasSurrogates(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdfff) return true;
  }
  return false;
}

/** A function from a code-point index to the UTF-16 offset of the same place in `text`. */
export function codePointOffsets(text: string): (codePoint: number) => number {
  if (!hasSurrogates(text)) return (codePoint) => Math.min(codePoint, text.length);
  const offsets: number[] = [];
  let offset = 0;
  for (const character of text) {
    offsets.push(offset);
    offset += character.length;
  }
  offsets.push(offset);
  return (codePoint) => offsets[Math.min(codePoint, offsets.length - 1)]!;
}

/** `[start, end]` as two integers, from numbers or numeric strings; undefined otherwise. */
export function readIndices(value: unknown): [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const start = Number(value[0]);
  const end = Number(value[1]);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start)
    return undefined;
  return [start, end];
}

const MENTION_PREFIX = /^(?:\s*@\w+)+\s*$/;

function overlaps(ranges: readonly Range[], start: number, end: number): boolean {
  return ranges.some((range) => start < range.end && end > range.start);
}

function isSpace(character: string | undefined): boolean {
  return character === ' ' || character === '\n' || character === '\t';
}

/**
 * Rewrites raw, HTML-escaped tweet text: each replacement is located at its entity indices,
 * counted in code points as the archive counts them (an emoji before a link is one, not two),
 * and checked against its own text; where the indices do not fit (archives count some of them
 * on the unescaped text) it is found by its text instead. The text between replacements is
 * HTML-decoded; the replacements are inserted as they are. `prefixEnd` (the start of
 * `display_text_range`) drops the `@name` mentions that replies begin with. Removed pieces
 * take a neighbouring space with them, and trailing space is trimmed.
 */
export function rewriteTweetText(
  raw: string,
  replacements: readonly TextReplacement[],
  prefixEnd = 0,
): string {
  if (replacements.length === 0 && prefixEnd <= 0) return decodeHtmlEntities(raw);
  const toOffset = codePointOffsets(raw);
  const ranges: Range[] = [];
  if (prefixEnd > 0) {
    const end = toOffset(prefixEnd);
    if (MENTION_PREFIX.test(raw.slice(0, end))) ranges.push({ start: 0, end, replace: '' });
  }
  for (const { indices, find, replace } of replacements) {
    if (find === '') continue;
    const at = readIndices(indices);
    if (at) {
      const start = toOffset(at[0]);
      const end = toOffset(at[1]);
      if (raw.slice(start, end) === find && !overlaps(ranges, start, end)) {
        ranges.push({ start, end, replace });
        continue;
      }
    }
    for (let from = 0; ;) {
      const start = raw.indexOf(find, from);
      if (start === -1) break;
      const end = start + find.length;
      if (!overlaps(ranges, start, end)) {
        ranges.push({ start, end, replace });
        break;
      }
      from = start + 1;
    }
  }
  ranges.sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  let removed = false;
  for (const range of ranges) {
    out += decodeHtmlEntities(raw.slice(cursor, range.start));
    cursor = range.end;
    if (range.replace === '') {
      removed = true;
      if ((out === '' || isSpace(out.at(-1))) && isSpace(raw[cursor])) cursor += 1;
    } else {
      out += range.replace;
    }
  }
  out += decodeHtmlEntities(raw.slice(cursor));
  return removed ? out.trimEnd() : out;
}
