import {crc32, deflateRawSync, inflateRawSync} from "node:zlib";

/**
 * Deterministic ZIP files: entries in the order given, every timestamp the same fixed instant, fixed
 * permissions, no extra fields, so the same files always give the same bytes (dist.zip, and the XLSX
 * files exceljs writes, whose entries JSZip stamps with the current time).
 */

/** 1980-01-01 00:00 local DOS time, the earliest a ZIP can hold: what every entry is stamped with. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * The fields a local header (from byte 4) and a central directory entry (from byte 6) share, in the same
 * order: version needed, flags, method, time, date, CRC-32, sizes, name length (extra fields: none).
 */
function writeEntryFields(header: Buffer, at: number, f: {method: number; crc: number; compressed: number; size: number; nameLength: number}): void {
  header.writeUInt16LE(20, at); // version needed: 2.0
  header.writeUInt16LE(0x0800, at + 2); // flag bit 11: names are UTF-8
  header.writeUInt16LE(f.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(f.crc, at + 10);
  header.writeUInt32LE(f.compressed, at + 14);
  header.writeUInt32LE(f.size, at + 18);
  header.writeUInt16LE(f.nameLength, at + 22);
}

export interface ZipEntry {
  /** Path inside the archive, with forward slashes; a trailing "/" makes a folder. */
  name: string;
  data?: Uint8Array;
}

/** Writes a ZIP archive (deflated entries; stored when deflating does not help). */
export function zipArchive(entries: readonly ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf-8");
    const data = Buffer.from(entry.data ?? new Uint8Array());
    const deflated = data.length ? deflateRawSync(data, {level: 9}) : data;
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    const method = stored ? 0 : 8;
    const crc = crc32(data);
    const folder = entry.name.endsWith("/");
    const fields = {method, crc, compressed: body.length, size: data.length, nameLength: name.length};
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below is read)
    writeEntryFields(central, 6, fields);
    central.writeUInt32LE(((folder ? 0o40755 : 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  if (entries.length > 0xffff || offset > 0xffffffff) throw new Error("archive too large for a ZIP without ZIP64");
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/**
 * Sets the timestamp of every entry of a ZIP file (local headers and central directory) to the fixed
 * instant above, in place. The data and CRCs are untouched, so the archive stays valid.
 */
export function normaliseZipTimes(zip: Uint8Array): Uint8Array {
  const bytes = Buffer.from(zip);
  const endAt = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("not a ZIP file: no end of central directory");
  const count = bytes.readUInt16LE(endAt + 10);
  let at = bytes.readUInt32LE(endAt + 16);
  for (let i = 0; i < count; i++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error(`not a ZIP central directory entry at byte ${at}`);
    bytes.writeUInt16LE(DOS_TIME, at + 12);
    bytes.writeUInt16LE(DOS_DATE, at + 14);
    const local = bytes.readUInt32LE(at + 42);
    if (bytes.readUInt32LE(local) !== 0x04034b50) throw new Error(`not a ZIP local header at byte ${local}`);
    bytes.writeUInt16LE(DOS_TIME, local + 10);
    bytes.writeUInt16LE(DOS_DATE, local + 12);
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return new Uint8Array(bytes);
}

/** Reads a ZIP archive's entries (stored or deflated), checking each CRC: name → bytes, in archive order. */
export function readZip(zip: Uint8Array): Map<string, Uint8Array> {
  const bytes = Buffer.from(zip);
  const endAt = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("not a ZIP file: no end of central directory");
  const entries = new Map<string, Uint8Array>();
  let at = bytes.readUInt32LE(endAt + 16);
  for (let i = 0, count = bytes.readUInt16LE(endAt + 10); i < count; i++) {
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const name = bytes.toString("utf-8", at + 46, at + 46 + nameLength);
    const local = bytes.readUInt32LE(at + 42);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const body = bytes.subarray(start, start + size);
    const data = method === 0 ? body : method === 8 ? inflateRawSync(body) : null;
    if (!data) throw new Error(`${name}: unsupported compression method ${method}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    entries.set(name, new Uint8Array(data));
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}
