import {ImportError} from "./rules.js";

/**
 * A ZIP bomb guard for .xlsx files, run before exceljs inflates anything: a 1.5 MB workbook can hold
 * 1.5 GB of sheet XML, and exceljs keeps every part inflated in memory (the tab died at 3.3 GB). The
 * central directory's declared sizes are checked first; then every compressed part is inflated as a
 * stream, counting bytes and keeping none, and abandoned as soon as the workbook's total passes the
 * limit — declared sizes can lie. Parts are read once more by exceljs afterwards (time, not memory).
 *
 * The same streaming pass counts each worksheet's rows and cells (`<row`, `<c` tags), so the cell limit
 * holds while the XML streams by, before exceljs builds an object per cell: 1,048,576 rows × 12 columns
 * took exceljs past the tab's 4 GB heap (reported as a damaged file). Such a file is refused as too
 * large, naming its rows and cells, and pointed to CSV, which is read in chunks without this limit.
 */

/** Largest inflated workbook read: all its parts together. */
export const MAX_INFLATED_BYTES = 512 * 1024 * 1024;
/**
 * Most cells read from one workbook (all sheets): exceljs keeps an object per cell. 1,048,576 rows × 4
 * columns (4.2 million cells) peaked at 1.96 GB in the import page's renderer, 3.2 GB in Node
 * (bench/hostileImport.ts); 6 million stay under a tab's 4 GB heap, 12 columns (12.6 million) do not.
 */
export const MAX_XLSX_CELLS = 6_000_000;

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

/** Rows and cells of a worksheet's XML, counted as its bytes stream by (a tag may straddle two chunks). */
class TagCounter {
  rows = 0;
  cells = 0;
  private tail = new Uint8Array(0);

  push(chunk: Uint8Array): void {
    if (this.tail.length) {
      // Tags begun in the last bytes of the previous chunk, whose end only this chunk shows.
      const joined = new Uint8Array(this.tail.length + Math.min(chunk.length, 4));
      joined.set(this.tail);
      joined.set(chunk.subarray(0, 4), this.tail.length);
      this.scan(joined, this.tail.length, this.tail.length);
    }
    this.scan(chunk, chunk.length, 0);
    this.tail = chunk.slice(Math.max(0, chunk.length - 4));
  }

  /** Counts tags that start before `before` and whose last byte looked at is at `endFrom` or later. */
  private scan(bytes: Uint8Array, before: number, endFrom: number): void {
    for (let i = bytes.indexOf(60); i >= 0 && i < before; i = bytes.indexOf(60, i + 1)) {
      const next = bytes[i + 1];
      if (next === 99 /* c */) {
        if (i + 2 >= endFrom && isTagEnd(bytes[i + 2])) this.cells++;
      } else if (next === 114 /* r */ && i + 4 >= endFrom && bytes[i + 2] === 111 && bytes[i + 3] === 119 && isTagEnd(bytes[i + 4])) this.rows++;
    }
  }
}

/** Space, tab, line end, ">" or "/" after a tag's name (undefined: not yet seen, not counted). */
const isTagEnd = (b: number | undefined) => b === 32 || b === 62 || b === 47 || b === 9 || b === 10 || b === 13;

/** Bytes one deflated part inflates to, stopping once past `budget` (then the result is > budget). */
async function inflatedSize(data: Uint8Array, budget: number, onChunk?: (chunk: Uint8Array) => void): Promise<number> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const reader = stream.getReader();
  let total = 0;
  try {
    for (;;) {
      const {done, value} = await reader.read();
      if (done) return total;
      total += value.byteLength;
      onChunk?.(value);
      if (total > budget) return total;
    }
  } catch {
    // A damaged part: exceljs names the damage; only the size matters here.
    return total;
  } finally {
    void reader.cancel().catch(() => {});
  }
}

const TO_CSV = "请在 Excel（或 WPS 表格）中把数据所在的工作表另存为「CSV UTF-8（逗号分隔）」后导入：CSV 按块读取，不受此限";

const tooLarge = (file: string, part: string, limit: number) =>
  new ImportError("file_too_large", `Excel 文件解压后超过 ${Math.round(limit / 1024 / 1024)} MB（如「${part}」），超出本页能读取的大小（若文件本不应这么大，可能是恶意构造的文件）；${TO_CSV}`, file);

const count = (n: number) => n.toLocaleString("en-US");

/** The honest refusal of a workbook with too many cells: the sheet, its rows and cells, the limit, what to do. */
export function tooManyCells(file: string, sheet: string, rows: number, cells: number, limit = MAX_XLSX_CELLS): ImportError {
  return new ImportError(
    "file_too_large",
    `工作表「${sheet}」有 ${count(rows)} 行、${count(cells)} 个单元格，超过本页读取 Excel 文件的上限（全部工作表共 ${count(limit)} 个单元格，例如 100 万行 × 6 列）；文件本身没有损坏。${TO_CSV}`,
    file,
  );
}

/** Worksheet part → sheet name as the workbook lists it ("xl/worksheets/sheet2.xml" → "人员"). */
async function sheetNames(bytes: Uint8Array, entries: readonly Entry[]): Promise<Map<string, string>> {
  const text = async (name: string) => {
    const e = entries.find((x) => x.name === name);
    if (!e) return "";
    const data = partData(bytes, e);
    if (!data) return "";
    if (e.method !== 8) return new TextDecoder().decode(data);
    const chunks: Uint8Array[] = [];
    // The workbook part lists sheets only: a megabyte is far more than any real one.
    await inflatedSize(data, 1024 * 1024, (c) => chunks.push(c.slice()));
    return new TextDecoder().decode(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
  };
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
  const unescape = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({lt: "<", gt: ">", quot: '"', apos: "'", amp: "&"})[e]!);
  const targets = new Map<string, string>();
  for (const tag of (await text("xl/_rels/workbook.xml.rels")).match(/<Relationship\b[^>]*>/g) ?? []) {
    const id = attr(tag, "Id");
    const target = attr(tag, "Target");
    if (id && target) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  const names = new Map<string, string>();
  for (const tag of (await text("xl/workbook.xml")).match(/<sheet\b[^>]*>/g) ?? []) {
    const name = attr(tag, "name");
    const part = targets.get(attr(tag, "r:id") ?? "");
    if (name && part) names.set(part, unescape(name));
  }
  return names;
}

/** A part's stored bytes, or null when its local header is not where the directory says. */
function partData(bytes: Uint8Array, e: Entry): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (e.localOffset + 30 > bytes.length || view.getUint32(e.localOffset, true) !== 0x04034b50) return null;
  const start = e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
  return bytes.subarray(start, Math.min(bytes.length, start + e.compressed));
}

const isWorksheet = (name: string) => /^xl\/worksheets\/[^/]+\.xml$/i.test(name);

/**
 * Throws file_too_large when the workbook's parts inflate to more than `limit` bytes in all, or its
 * worksheets hold more than `maxCells` cells in all (counted while inflating; nothing is kept).
 */
export async function assertInflatedWithin(bytes: Uint8Array, file = "", limit = MAX_INFLATED_BYTES, maxCells = MAX_XLSX_CELLS): Promise<void> {
  const entries = centralDirectory(bytes);
  if (!entries) return; // not a readable ZIP: exceljs says why
  const declared = entries.reduce((n, e) => n + e.declared, 0);
  if (declared > limit) throw tooLarge(file, [...entries].sort((a, b) => b.declared - a.declared)[0]!.name, limit);
  let total = 0;
  let cells = 0;
  let names: Map<string, string> | undefined;
  for (const e of entries) {
    const data = partData(bytes, e);
    if (!data) continue;
    const counter = isWorksheet(e.name) ? new TagCounter() : undefined;
    if (counter && e.method !== 8) counter.push(data);
    total += e.method === 8 ? await inflatedSize(data, limit - total, counter && ((c) => counter.push(c))) : data.length;
    if (total > limit) throw tooLarge(file, e.name, limit);
    if (!counter) continue;
    cells += counter.cells;
    if (cells > maxCells) {
      names ??= await sheetNames(bytes, entries);
      throw tooManyCells(file, names.get(e.name) ?? e.name, counter.rows, counter.cells, maxCells);
    }
  }
}
