import {ImportError} from "./rules.js";

/**
 * A ZIP bomb guard for .xlsx files, run before exceljs inflates anything: a 1.5 MB workbook can hold
 * 1.5 GB of sheet XML, and exceljs keeps every part inflated in memory (the tab died at 3.3 GB). The
 * central directory's declared sizes are checked first; then every compressed part is inflated as a
 * stream, counting bytes and keeping none, and abandoned as soon as the workbook's total passes the
 * limit — declared sizes can lie. Parts are read once more by exceljs afterwards (time, not memory).
 */

/** Largest inflated workbook read: all its parts together. */
export const MAX_INFLATED_BYTES = 512 * 1024 * 1024;

interface Entry {
  name: string;
  method: number;
  compressed: number;
  declared: number;
  localOffset: number;
}

function centralDirectory(bytes: Uint8Array): Entry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder("utf-8");
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    const dirSize = view.getUint32(at + 12, true);
    const dirOffset = view.getUint32(at + 16, true);
    if (dirOffset + dirSize > bytes.length) return null;
    const entries: Entry[] = [];
    for (let p = dirOffset; p + 46 <= dirOffset + dirSize && view.getUint32(p, true) === 0x02014b50; ) {
      const nameLength = view.getUint16(p + 28, true);
      entries.push({
        name: decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
        method: view.getUint16(p + 10, true),
        compressed: view.getUint32(p + 20, true),
        declared: view.getUint32(p + 24, true),
        localOffset: view.getUint32(p + 42, true),
      });
      p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    }
    return entries;
  }
  return null;
}

/** Bytes one deflated part inflates to, stopping once past `budget` (then the result is > budget). */
async function inflatedSize(data: Uint8Array, budget: number): Promise<number> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const reader = stream.getReader();
  let total = 0;
  try {
    for (;;) {
      const {done, value} = await reader.read();
      if (done) return total;
      total += value.byteLength;
      if (total > budget) return total;
    }
  } catch {
    // A damaged part: exceljs names the damage; only the size matters here.
    return total;
  } finally {
    void reader.cancel().catch(() => {});
  }
}

const tooLarge = (file: string, part: string) =>
  new ImportError("file_too_large", `Excel 文件解压后超过 ${MAX_INFLATED_BYTES / 1024 / 1024} MB（如「${part}」），可能已损坏或是恶意构造的文件；请在 Excel 中打开后另存为 CSV 再导入`, file);

/** Throws file_too_large when the workbook's parts inflate to more than `limit` bytes in all. */
export async function assertInflatedWithin(bytes: Uint8Array, file = "", limit = MAX_INFLATED_BYTES): Promise<void> {
  const entries = centralDirectory(bytes);
  if (!entries) return; // not a readable ZIP: exceljs says why
  const declared = entries.reduce((n, e) => n + e.declared, 0);
  if (declared > limit) throw tooLarge(file, [...entries].sort((a, b) => b.declared - a.declared)[0]!.name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (const e of entries) {
    if (e.localOffset + 30 > bytes.length || view.getUint32(e.localOffset, true) !== 0x04034b50) continue;
    const start = e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
    const data = bytes.subarray(start, Math.min(bytes.length, start + e.compressed));
    total += e.method === 8 ? await inflatedSize(data, limit - total) : data.length;
    if (total > limit) throw tooLarge(file, e.name);
  }
}
