import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

/** One file of a zip built by `createZip`. */
export interface ZipFileSpec {
  /** Stored exactly as given, also when unsafe (`../x`): tests need such archives. */
  name: string;
  data: string | Uint8Array;
  /** Deflate the data (default true); false stores it as is. */
  compress?: boolean;
  /** Modification time written to the headers (default 2024-01-01 00:00). */
  date?: Date;
}

function dosDateTime(date: Date): { time: number; day: number } {
  return {
    time:
      (date.getUTCHours() << 11) |
      (date.getUTCMinutes() << 5) |
      Math.floor(date.getUTCSeconds() / 2),
    day:
      ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

interface ZipEntryHeaders {
  /** The local header and name, to write before the entry's data. */
  head: Buffer;
  /** The central directory record and name, for the end of the archive. */
  central: Buffer;
  body: Buffer;
}

/** The headers and (deflated or stored) data of one entry written at `offset`. */
function zipEntry(spec: ZipFileSpec, offset: number): ZipEntryHeaders {
  const name = Buffer.from(spec.name, 'utf8');
  const raw =
    typeof spec.data === 'string' ? Buffer.from(spec.data, 'utf8') : Buffer.from(spec.data);
  const compress = spec.compress ?? true;
  const body = compress ? deflateRawSync(raw) : raw;
  const checksum = crc32(raw);
  const { time, day } = dosDateTime(spec.date ?? new Date(Date.UTC(2024, 0, 1)));
  const method = compress ? 8 : 0;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6);
  local.writeUInt16LE(method, 8);
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(day, 12);
  local.writeUInt32LE(checksum, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(raw.length, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(method, 10);
  central.writeUInt16LE(time, 12);
  central.writeUInt16LE(day, 14);
  central.writeUInt32LE(checksum, 16);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(raw.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(offset, 42);
  return {
    head: Buffer.concat([local, name]),
    central: Buffer.concat([central, name]),
    body,
  };
}

/** The end of central directory record after `count` entries. */
function zipEnd(count: number, directory: number, offset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory, 12);
  end.writeUInt32LE(offset, 16);
  return end;
}

/**
 * Builds a zip archive in memory (stored or deflated entries, UTF-8 names), for tests and for
 * generated sample exports. Small archives only: everything is held in memory.
 */
export function createZip(
  files: readonly ZipFileSpec[] | Record<string, string | Uint8Array>,
): Buffer {
  const specs: ZipFileSpec[] = Array.isArray(files)
    ? [...files]
    : Object.entries(files).map(([name, data]) => ({ name, data }));
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const spec of specs) {
    const { head, central, body } = zipEntry(spec, offset);
    parts.push(head, body);
    centrals.push(central);
    offset += head.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  return Buffer.concat([...parts, directory, zipEnd(specs.length, directory.length, offset)]);
}

/** A zip written to disk entry by entry, for archives too big to hold in memory. */
export interface ZipWriter {
  add(spec: ZipFileSpec): Promise<void>;
  /** Writes the central directory, closes the file and returns its size in bytes. */
  close(): Promise<number>;
}

/** Opens `path` for a zip built entry by entry (benchmark inputs of a gigabyte and more). */
export function createZipWriter(path: string): ZipWriter {
  const out = createWriteStream(path);
  const centrals: Buffer[] = [];
  let offset = 0;
  const write = async (buffer: Buffer) => {
    offset += buffer.length;
    if (!out.write(buffer)) await once(out, 'drain');
  };
  return {
    async add(spec) {
      const { head, central, body } = zipEntry(spec, offset);
      centrals.push(central);
      await write(head);
      await write(body);
    },
    async close() {
      const directory = Buffer.concat(centrals);
      await write(Buffer.concat([directory, zipEnd(centrals.length, directory.length, offset)]));
      out.end();
      await once(out, 'finish');
      return offset;
    },
  };
}
