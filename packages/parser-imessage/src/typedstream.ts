/**
 * A reader for NeXTSTEP/Apple `typedstream` archives (what `NSArchiver` writes), the format of
 * `message.attributedBody` in the macOS Messages database.
 *
 * The stream is a header (`04 0B "streamtyped" 81 E8 03`) followed by groups of values. Each
 * group starts with a type encoding (`@` object, `i` int, `+` bytes, `*` C string, `[12c]`
 * array, `{…}` struct, …) and then carries one value per type. Objects name their class (and its
 * superclasses) and then hold groups of their own until an end-of-object tag, so a stream can
 * be read completely without knowing any class.
 *
 * Integers are one signed byte, or a tag followed by little-endian bytes: `0x81` int16,
 * `0x82` int32, `0x87` int64, `0x83` a float or double. `0x84` starts a new object, string or
 * class, `0x85` is nil, `0x86` ends an object, and bytes from `0x92` up refer back to earlier
 * shared strings (type encodings, class names) or earlier objects, counted from 0.
 */

const TAG_INT16 = 0x81;
const TAG_INT32 = 0x82;
const TAG_FLOAT = 0x83;
const TAG_NEW = 0x84;
const TAG_NIL = 0x85;
const TAG_END = 0x86;
const TAG_INT64 = 0x87;
const FIRST_REFERENCE = 0x92;

const SIGNATURE = 'streamtyped';

/** A class in the stream: its name, version and superclass. */
export interface TypedStreamClass {
  name: string;
  version: number;
  superclass: TypedStreamClass | null;
}

/** An archived object: its class and the groups of values it archived, in order. */
export interface TypedStreamObject {
  kind: 'object';
  className: string;
  class: TypedStreamClass;
  groups: TypedStreamValue[][];
}

/** One decoded value. Byte payloads (`+`, arrays of chars) stay bytes. */
export type TypedStreamValue =
  | number
  | bigint
  | string
  | Uint8Array
  | TypedStreamObject
  | TypedStreamClass
  | null
  | TypedStreamValue[];

/** A stream that does not follow the format; `offset` is where reading stopped. */
export class TypedStreamError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'TypedStreamError';
  }
}

/** True when the bytes start like a typedstream archive. */
export function isTypedStream(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || bytes[1] !== SIGNATURE.length) return false;
  for (let index = 0; index < SIGNATURE.length; index += 1) {
    if (bytes[2 + index] !== SIGNATURE.charCodeAt(index)) return false;
  }
  return true;
}

const latin1 = new TextDecoder('latin1');

/** A cursor over one typedstream. Exposed for the attributed-body decoder, which drives it. */
export class TypedStreamReader {
  private offset = 0;
  private readonly view: DataView;
  /** Type encodings and class names, referenced by `0x92 + index`. */
  private readonly strings: string[] = [];
  /** Objects, classes and C strings, in one table, referenced by `0x92 + index`. */
  private readonly objects: (TypedStreamObject | TypedStreamClass | string)[] = [];
  /** Where the first `+` byte payload starts, once its length has been read. */
  firstBytesAt: number | undefined;
  /** Reads the `+` payload starting at `at` with this length instead of the declared one. */
  lengthOverride: { at: number; length: number } | undefined;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** Reads the header; returns the system version (1000 on macOS). */
  readHeader(): number {
    const version = this.byte();
    if (version !== 4 && version !== 3) {
      throw new TypedStreamError(`unknown typedstream version ${version}`, 0);
    }
    const signature = this.unsharedString();
    if (signature !== SIGNATURE) {
      throw new TypedStreamError('missing the "streamtyped" signature', 1);
    }
    return Number(this.integer(this.byte()));
  }

  /** Reads one group of values at the top level (or inside an object). */
  readGroup(): TypedStreamValue[] {
    const types = this.sharedString(this.byte());
    if (types === null) throw new TypedStreamError('a group without a type encoding', this.offset);
    return this.values(types);
  }

  /** Reads groups until the end-of-object tag (consumed) and returns them. */
  readGroupsUntilEnd(): TypedStreamValue[][] {
    const groups: TypedStreamValue[][] = [];
    for (;;) {
      if (this.done) throw new TypedStreamError('an object without its end tag', this.offset);
      if (this.bytes[this.offset] === TAG_END) {
        this.offset += 1;
        return groups;
      }
      groups.push(this.readGroup());
    }
  }

  private byte(): number {
    if (this.offset >= this.bytes.length) {
      throw new TypedStreamError('unexpected end of data', this.offset);
    }
    const value = this.bytes[this.offset]!;
    this.offset += 1;
    return value;
  }

  private need(count: number): void {
    if (count < 0 || this.offset + count > this.bytes.length) {
      throw new TypedStreamError(
        `a length of ${count} bytes runs past the end of the data (${this.bytes.length - this.offset} left)`,
        this.offset,
      );
    }
  }

  /** An integer whose first byte (a literal or a width tag) has been read. */
  private integer(head: number, unsigned = false): number | bigint {
    let value: number | bigint;
    switch (head) {
      case TAG_INT16:
        this.need(2);
        value = unsigned
          ? this.view.getUint16(this.offset, true)
          : this.view.getInt16(this.offset, true);
        this.offset += 2;
        return value;
      case TAG_INT32:
        this.need(4);
        value = unsigned
          ? this.view.getUint32(this.offset, true)
          : this.view.getInt32(this.offset, true);
        this.offset += 4;
        return value;
      case TAG_INT64: {
        this.need(8);
        const big = unsigned
          ? this.view.getBigUint64(this.offset, true)
          : this.view.getBigInt64(this.offset, true);
        this.offset += 8;
        return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(big)
          : big;
      }
      default:
        if (head >= TAG_INT16 && head < FIRST_REFERENCE) {
          throw new TypedStreamError(
            `expected an integer, found tag 0x${head.toString(16)}`,
            this.offset - 1,
          );
        }
        return unsigned ? head : (head << 24) >> 24;
    }
  }

  /** A length: a non-negative integer that fits in a number. */
  private length(head: number): number {
    const value = this.integer(head, true);
    if (typeof value !== 'number' || value < 0) {
      throw new TypedStreamError(`an impossible length ${String(value)}`, this.offset);
    }
    return value;
  }

  private reference(head: number, table: readonly unknown[], what: string): number {
    const index = head - FIRST_REFERENCE;
    if (index < 0 || index >= table.length) {
      throw new TypedStreamError(
        `a reference to ${what} #${index} that was never defined`,
        this.offset - 1,
      );
    }
    return index;
  }

  private unsharedString(): string {
    const length = this.length(this.byte());
    this.need(length);
    const text = latin1.decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }

  /** A string kept in the shared string table: type encodings, class names. */
  private sharedString(head: number): string | null {
    if (head === TAG_NIL) return null;
    if (head === TAG_NEW) {
      const text = this.unsharedString();
      this.strings.push(text);
      return text;
    }
    return this.strings[this.reference(head, this.strings, 'a string')]!;
  }

  private readClass(head: number): TypedStreamClass | null {
    if (head === TAG_NIL) return null;
    if (head === TAG_NEW) {
      const name = this.sharedString(this.byte());
      if (name === null) throw new TypedStreamError('a class without a name', this.offset);
      const version = Number(this.integer(this.byte()));
      const cls: TypedStreamClass = { name, version, superclass: null };
      this.objects.push(cls);
      cls.superclass = this.readClass(this.byte());
      return cls;
    }
    const found = this.objects[this.reference(head, this.objects, 'a class')];
    if (typeof found !== 'object' || 'kind' in found) {
      throw new TypedStreamError('a class reference that points at something else', this.offset);
    }
    return found;
  }

  private readObject(head: number): TypedStreamObject | TypedStreamClass | string | null {
    if (head === TAG_NIL) return null;
    if (head === TAG_NEW) {
      const object: TypedStreamObject = {
        kind: 'object',
        className: '',
        class: { name: '', version: 0, superclass: null },
        groups: [],
      };
      // The object takes its place in the table before its class does.
      this.objects.push(object);
      const cls = this.readClass(this.byte());
      if (cls === null) throw new TypedStreamError('an object without a class', this.offset);
      object.class = cls;
      object.className = cls.name;
      object.groups = this.readGroupsUntilEnd();
      return object;
    }
    return this.objects[this.reference(head, this.objects, 'an object')]!;
  }

  private cString(head: number): string | null {
    if (head === TAG_NIL) return null;
    if (head === TAG_NEW) {
      const text = this.sharedString(this.byte());
      if (text === null) return null;
      this.objects.push(text);
      return text;
    }
    const found = this.objects[this.reference(head, this.objects, 'a C string')];
    if (typeof found !== 'string') {
      throw new TypedStreamError('a C string reference that points at something else', this.offset);
    }
    return found;
  }

  private float(head: number, size: 4 | 8): number {
    if (head !== TAG_FLOAT) return Number(this.integer(head));
    this.need(size);
    const value =
      size === 4
        ? this.view.getFloat32(this.offset, true)
        : this.view.getFloat64(this.offset, true);
    this.offset += size;
    return value;
  }

  /** The values for a type encoding such as `@`, `iI`, `[582c]` or `{_NSRange=QQ}`. */
  private values(types: string): TypedStreamValue[] {
    const out: TypedStreamValue[] = [];
    let index = 0;
    while (index < types.length) {
      const [value, next] = this.value(types, index);
      out.push(value);
      index = next;
    }
    return out;
  }

  private value(types: string, index: number): [TypedStreamValue, number] {
    const type = types[index]!;
    switch (type) {
      case 'c':
      case 's':
      case 'i':
      case 'l':
      case 'q':
        return [this.integer(this.byte()), index + 1];
      case 'C':
      case 'S':
      case 'I':
      case 'L':
      case 'Q':
      case 'B':
        return [this.integer(this.byte(), true), index + 1];
      case 'f':
        return [this.float(this.byte(), 4), index + 1];
      case 'd':
        return [this.float(this.byte(), 8), index + 1];
      case '@':
        return [this.readObject(this.byte()), index + 1];
      case '#':
        return [this.readClass(this.byte()), index + 1];
      case '*':
      case '%':
        return [this.cString(this.byte()), index + 1];
      case ':':
        return [this.sharedString(this.byte()), index + 1];
      case '+': {
        const declared = this.length(this.byte());
        const start = this.offset;
        this.firstBytesAt ??= start;
        const length = this.lengthOverride?.at === start ? this.lengthOverride.length : declared;
        this.need(length);
        this.offset += length;
        return [this.bytes.subarray(start, this.offset), index + 1];
      }
      case '[': {
        const close = matching(types, index, '[', ']');
        const inner = types.slice(index + 1, close);
        const digits = /^\d+/.exec(inner)?.[0] ?? '';
        const count = Number(digits);
        const element = inner.slice(digits.length);
        if (element === 'c' || element === 'C') {
          this.need(count);
          const bytes = this.bytes.subarray(this.offset, this.offset + count);
          this.offset += count;
          return [bytes, close + 1];
        }
        const items: TypedStreamValue[] = [];
        for (let item = 0; item < count; item += 1) items.push(...this.values(element));
        return [items, close + 1];
      }
      case '{': {
        const close = matching(types, index, '{', '}');
        const inner = types.slice(index + 1, close);
        const equals = inner.indexOf('=');
        return [equals < 0 ? [] : this.values(inner.slice(equals + 1)), close + 1];
      }
      default:
        throw new TypedStreamError(`unsupported type encoding "${type}"`, this.offset);
    }
  }
}

function matching(types: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let index = start; index < types.length; index += 1) {
    if (types[index] === open) depth += 1;
    else if (types[index] === close) {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  throw new TypedStreamError(`an unclosed "${open}" in the type encoding "${types}"`, 0);
}

/** Reads a whole typedstream: the top-level groups after the header. */
export function readTypedStream(bytes: Uint8Array): TypedStreamValue[][] {
  const reader = new TypedStreamReader(bytes);
  reader.readHeader();
  const groups: TypedStreamValue[][] = [];
  while (!reader.done) groups.push(reader.readGroup());
  return groups;
}
