import {
  isTypedStream,
  TypedStreamError,
  TypedStreamReader,
  type TypedStreamObject,
  type TypedStreamValue,
} from './typedstream.js';

/** A value of an attribute in a run: strings, numbers, bytes, or nested dictionaries. */
export type AttributeValue =
  | string
  | number
  | bigint
  | boolean
  | Uint8Array
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/** A stretch of the text with the same attributes (a message part, a link, an attachment). */
export interface AttributedRun {
  /** Offset in UTF-16 code units, as JavaScript strings count. */
  start: number;
  /** Length in UTF-16 code units. */
  length: number;
  /** The run's attributes, such as `__kIMMessagePartAttributeName` or `__kIMFileTransferGUIDAttributeName`. */
  attributes: Record<string, AttributeValue>;
}

/** The decoded content of a `message.attributedBody` blob. */
export interface AttributedBody {
  /** The text, exactly as archived (with U+FFFC where attachments sit); "" when the blob carries none. */
  text: string;
  /** The attribute runs, in order. */
  runs: AttributedRun[];
  /**
   * True when the archive declared a text length that does not fit its content, and the text
   * was recovered as the only reading that lets the rest of the archive decode.
   */
  recovered: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isObject(value: TypedStreamValue | undefined): value is TypedStreamObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value;
}

function inherits(object: TypedStreamObject, name: string): boolean {
  for (let cls: typeof object.class | null = object.class; cls; cls = cls.superclass) {
    if (cls.name === name) return true;
  }
  return false;
}

/** The text of an NSString (or subclass) object. */
function stringOf(object: TypedStreamObject): string | undefined {
  const bytes = object.groups[0]?.[0];
  return bytes instanceof Uint8Array ? utf8.decode(bytes) : undefined;
}

/** A Foundation object as a plain value: strings, numbers, URLs, data, arrays, dictionaries. */
function plain(value: TypedStreamValue, depth = 0): AttributeValue {
  if (value === null || typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1));
  if (!isObject(value)) return value.name;
  if (depth > 16) return value.className;
  if (inherits(value, 'NSString')) return stringOf(value) ?? '';
  if (inherits(value, 'NSDictionary')) return dictionaryOf(value, depth + 1);
  if (inherits(value, 'NSNumber') || inherits(value, 'NSValue')) {
    const number = value.groups[1]?.[0];
    return typeof number === 'number' || typeof number === 'bigint' ? number : null;
  }
  if (inherits(value, 'NSURL')) {
    const last = value.groups.at(-1)?.[0];
    return isObject(last) ? (stringOf(last) ?? null) : null;
  }
  if (inherits(value, 'NSData')) {
    const bytes = value.groups.at(-1)?.[0];
    return bytes instanceof Uint8Array ? bytes : null;
  }
  if (inherits(value, 'NSArray')) {
    return value.groups.slice(1).map((group) => plain(group[0] ?? null, depth + 1));
  }
  return value.className;
}

/** An NSDictionary's groups are its count, then alternating key and value groups. */
function dictionaryOf(object: TypedStreamObject, depth = 0): { [key: string]: AttributeValue } {
  const out: { [key: string]: AttributeValue } = {};
  for (let index = 1; index + 1 < object.groups.length; index += 2) {
    const key = plain(object.groups[index]![0] ?? null, depth);
    out[typeof key === 'string' ? key : String(key)] = plain(
      object.groups[index + 1]![0] ?? null,
      depth,
    );
  }
  return out;
}

/** Turns the archived NSAttributedString into text and runs. */
function interpret(root: TypedStreamObject, recovered: boolean): AttributedBody {
  if (!inherits(root, 'NSAttributedString')) {
    throw new TypedStreamError(`expected an NSAttributedString, found ${root.className}`, 0);
  }
  const stringObject = root.groups[0]?.[0];
  if (!isObject(stringObject) || !inherits(stringObject, 'NSString')) {
    throw new TypedStreamError('the attributed string holds no NSString', 0);
  }
  const text = stringOf(stringObject) ?? '';
  const runs: AttributedRun[] = [];
  const byIndex = new Map<number, Record<string, AttributeValue>>();
  let start = 0;
  for (let index = 1; index < root.groups.length; index += 1) {
    const group = root.groups[index]!;
    if (group.length !== 2 || typeof group[0] !== 'number' || typeof group[1] !== 'number') {
      continue;
    }
    const [attributeIndex, length] = group as [number, number];
    let attributes = byIndex.get(attributeIndex);
    if (attributes === undefined) {
      // A run index seen for the first time is followed by its dictionary.
      const next = root.groups[index + 1]?.[0];
      attributes = isObject(next) && inherits(next, 'NSDictionary') ? dictionaryOf(next) : {};
      byIndex.set(attributeIndex, attributes);
      if (isObject(next)) index += 1;
    }
    runs.push({ start, length, attributes });
    start += length;
  }
  return { text, runs, recovered };
}

function decodeWith(bytes: Uint8Array, override?: { at: number; length: number }) {
  const reader = new TypedStreamReader(bytes);
  reader.lengthOverride = override;
  reader.readHeader();
  const groups: TypedStreamValue[][] = [];
  try {
    while (!reader.done) groups.push(reader.readGroup());
  } catch (error) {
    return { groups, error: error as Error, firstBytesAt: reader.firstBytesAt };
  }
  return { groups, error: undefined, firstBytesAt: reader.firstBytesAt };
}

/** Byte positions after `start` where the text could end: an end-of-object tag, valid UTF-8 before it. */
function* endCandidates(bytes: Uint8Array, start: number): Generator<number> {
  for (let end = start; end < bytes.length; end += 1) {
    if (bytes[end] !== 0x86) continue;
    try {
      utf8.decode(bytes.subarray(start, end));
    } catch {
      continue;
    }
    yield end;
  }
}

/**
 * Decodes a `message.attributedBody` blob (an NSArchiver typedstream of an NSAttributedString)
 * into its text and attribute runs. Every integer width is read as the format defines it; the
 * text length counts UTF-8 bytes. Throws a TypedStreamError for data that is not such an archive.
 */
export function decodeAttributedBody(bytes: Uint8Array): AttributedBody {
  if (!isTypedStream(bytes)) {
    throw new TypedStreamError('not a typedstream archive (no "streamtyped" header)', 0);
  }
  const first = decodeWith(bytes);
  const root = first.groups[0]?.[0];
  if (first.error === undefined && isObject(root)) return interpret(root, false);
  // An archive whose declared text length disagrees with its content (seen in the wild after
  // edits): the text ends where the rest of the archive reads cleanly.
  const at = first.firstBytesAt;
  if (first.error && at !== undefined) {
    for (const end of endCandidates(bytes, at)) {
      const retry = decodeWith(bytes, { at, length: end - at });
      const retryRoot = retry.groups[0]?.[0];
      if (retry.error === undefined && isObject(retryRoot)) return interpret(retryRoot, true);
    }
  }
  throw first.error ?? new TypedStreamError('the archive holds no object', 0);
}

/** The text of an attributedBody blob, or undefined when it is not a readable archive. */
export function attributedBodyText(bytes: Uint8Array): string | undefined {
  try {
    return decodeAttributedBody(bytes).text;
  } catch {
    return undefined;
  }
}
