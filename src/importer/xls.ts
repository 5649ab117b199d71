import {CellFlag, type Cell} from "./convert.js";
import {ImportError} from "./rules.js";
import type {Sheet} from "./xlsx.js";

/**
 * Reads an .xls workbook (Excel 97–2003, BIFF8; also Excel 5.0/95, BIFF5) and WPS 表格 .et/.ett files,
 * which are the same format, with SheetJS — the package @e965/xlsx 0.20.3, a republish of SheetJS
 * 0.20.3 (the registry's `xlsx` stopped at 0.18.5, which has CVE-2023-30533 and CVE-2024-22363).
 *
 * Why this library (December 2026):
 * - `xlsx` 0.18.5: the two CVEs above, and SheetJS publishes no newer version to the registry.
 * - `xlsjs` 1.0.1 and `xls-parser` 3.1.0: wrappers that depend on `xlsx` (any version; ^0.14), so
 *   they bring the same vulnerable code, and neither is maintained.
 * - `cfb` + an own BIFF8 parser: smallest (cfb is ~30 kB), but shared strings across CONTINUE
 *   records, RK/MULRK numbers, XF → number format → date, 1904 dates, BIFF5 code pages and merged
 *   cells are weeks of work and testing that SheetJS has had for a decade.
 * - `@e965/xlsx` 0.20.3 (chosen): SheetJS's current release, both CVEs fixed, no dependencies,
 *   Apache-2.0; also writes .xls, so tests make their fixtures with the same library
 *   (tests/fixtures/xlsWriter.ts). Maintenance risk: a community republish of the vendor's tarball.
 * Size: 500,444 bytes minified in dist/_node (135,287 brotli, 162,420 gzip), fetched only when a
 * planner chooses an .xls; this module and fileFormat.ts add 14.7 kB (4.7 kB brotli) to the import page.
 * Speed (Node, 2 shared cores): 10,000 rows × 15 columns (3.2 MB .xls) in 1.8–3.8 s.
 * CSP: no eval or new Function in xlsx.mjs nor in the built bundle (grep), and the browser test
 * imports an .xls on the built site under its CSP (no 'unsafe-eval').
 *
 * The result is the same `Sheet` as readXlsx gives, so planWorkbook treats both alike:
 * - sheet state visible / hidden / veryHidden (hidden sheets are listed, not read);
 * - formula cells are read as the result Excel saved (BIFF always saves one); counted in `formulas`;
 * - date-formatted numbers become Dates (UTC midnight, as exceljs gives them), 1904 workbooks too;
 * - merged ranges as "A1:C2"; every cell of a merged range reads the range's value, as in readXlsx;
 * - Excel errors (#DIV/0!) are cell problems; hidden rows and columns are listed.
 * What cannot be read is an ImportError naming the format and what to do: an encrypted workbook,
 * a Word or PowerPoint file (also OLE compound files), BIFF2–4, a damaged file.
 */

interface SheetJsCell {
  t: "s" | "n" | "b" | "e" | "d" | "z";
  v?: unknown;
  w?: string;
  f?: string;
}
interface SheetJsRange {
  s: {r: number; c: number};
  e: {r: number; c: number};
}
interface SheetJsSheet {
  "!ref"?: string;
  "!data"?: ((SheetJsCell | null | undefined)[] | null | undefined)[];
  "!merges"?: SheetJsRange[];
  "!rows"?: ({hidden?: boolean} | null | undefined)[];
  "!cols"?: ({hidden?: boolean} | null | undefined)[];
}
interface SheetJsWorkbook {
  SheetNames: string[];
  Sheets: Record<string, SheetJsSheet>;
  Workbook?: {Sheets?: {name?: string; Hidden?: 0 | 1 | 2}[]};
}
interface CfbEntry {
  name: string;
  content?: Uint8Array | number[];
}
interface SheetJs {
  read(data: Uint8Array, options: Record<string, unknown>): SheetJsWorkbook;
  set_cptable(table: unknown): void;
  SSF: {load_table(table: Record<number, string>): void};
  CFB: {read(data: Uint8Array, options: {type: "array"}): {FileIndex: CfbEntry[]}; find(cfb: unknown, path: string): CfbEntry | null};
  utils: {decode_range(ref: string): SheetJsRange; encode_range(range: SheetJsRange): string};
}

let sheetjs: Promise<SheetJs> | undefined;

function loadSheetJs(): Promise<SheetJs> {
  // Loaded on first use: a page that never sees an .xls never downloads SheetJS (about 430 kB).
  return (sheetjs ??= import("@e965/xlsx").then((m) => {
    const lib = m as unknown as SheetJs;
    // Excel 5.0/95 stores text in the workbook's code page (936 = GBK in China). SheetJS's own code-page
    // tables add 470 kB; the TextDecoder both hosts ship knows these code pages.
    lib.set_cptable(textDecoderCodepages);
    return lib;
  }));
}

/** Largest workbook read (the whole file is held in memory, parsed at once). */
export const MAX_XLS_BYTES = 60 * 1024 * 1024;
/** Largest grid read from one sheet: rows × columns. */
const MAX_CELLS = 20_000_000;

/** Windows code page → the WHATWG encoding label TextDecoder takes. */
const CODEPAGE_LABELS: Record<number, string> = {
  874: "windows-874", 932: "shift_jis", 936: "gbk", 949: "euc-kr", 950: "big5", 1200: "utf-16le", 1201: "utf-16be",
  1250: "windows-1250", 1251: "windows-1251", 1252: "windows-1252", 1253: "windows-1253", 1254: "windows-1254",
  1255: "windows-1255", 1256: "windows-1256", 1257: "windows-1257", 1258: "windows-1258", 10000: "macintosh",
  20127: "us-ascii", 28591: "iso-8859-1", 54936: "gb18030", 65001: "utf-8",
};
const decoders = new Map<number, TextDecoder>();

/** The `cptable` interface SheetJS calls for code pages (decode; encode only for what the tests write). */
const textDecoderCodepages = {
  utils: {
    decode(codepage: number, data: ArrayLike<number>): string {
      let decoder = decoders.get(codepage);
      if (!decoder) decoders.set(codepage, (decoder = new TextDecoder(CODEPAGE_LABELS[codepage] ?? "windows-1252")));
      return decoder.decode(data instanceof Uint8Array ? data : Uint8Array.from(data));
    },
    encode(codepage: number, text: string): number[] {
      if (codepage === 65001) return [...new TextEncoder().encode(text)];
      if (codepage === 1200) return [...text].flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8]);
      return [...text].map((ch) => ch.charCodeAt(0) & 0xff);
    },
  },
};

/**
 * Number formats Chinese Excel and WPS leave out of the file because they are built in (ids 27–36,
 * 50–58: 2024年3月5日 and the like; ECMA-376 Part 1, 18.8.30, zh-CN). Without them a date saved as
 * "yyyy年m月d日" would read as a plain number.
 */
const CHINESE_BUILTIN_FORMATS: Record<number, string> = {
  27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
  50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"',
  55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
};

/** What an OLE compound file holds, by its streams: a workbook (its stream, prepared), or something to name. */
function workbookStream(lib: SheetJs, bytes: Uint8Array, file: string): PreparedStream {
  let cfb: {FileIndex: CfbEntry[]};
  try {
    cfb = lib.CFB.read(bytes, {type: "array"});
  } catch (error) {
    throw new ImportError("xls_unsupported", `文件已损坏，无法打开（${String((error as Error)?.message ?? error).slice(0, 80)}）`, file);
  }
  const has = (name: string) => cfb.FileIndex.some((e) => e.name === name);
  // An .xlsx saved with an open password is an encrypted package inside an OLE file.
  if (has("EncryptedPackage") || has("EncryptionInfo")) throw new ImportError("encrypted_workbook", "加密的 Excel 工作簿", file);
  const book = lib.CFB.find(cfb, "/Workbook") ?? lib.CFB.find(cfb, "/Book");
  // A copy: the formula tokens are blanked in it.
  if (book?.content) return prepareWorkbookStream(Uint8Array.from(book.content), file);
  if (has("WordDocument")) throw new ImportError("word_document", "Word 97–2003 文档（.doc）或 WPS 文字文档（.wps）", file);
  if (has("PowerPoint Document")) throw new ImportError("presentation_file", "PowerPoint 97–2003 演示文稿（.ppt）", file);
  throw new ImportError("xls_unsupported", "文件中没有 Excel 工作表（不是 Excel 或 WPS 表格文件）", file);
}

interface PreparedStream {
  stream: Uint8Array;
  /** Formula cells per sheet, in the order of the workbook's sheet list. */
  formulas: number[];
}

/**
 * Checks the workbook stream (BIFF5/8, not encrypted) and blanks every formula's parsed tokens
 * (cce = 0) while counting formula cells per sheet. The importer needs only the results Excel saved;
 * SheetJS's token parser loops for ever on some damaged formulas (`while (target != blob.l)` after
 * overshooting), and so does its EXTERNSHEET parser on an empty record (a count read as NaN), which a
 * damaged upload must not do to the page: such records are made ones SheetJS skips (UNCALCED).
 */
/** Empty records SheetJS acts on: EOF ends a sheet. (Others, INTERFACEEND, EXCEL9FILE, it skips anyway.) */
const EMPTY_RECORDS = new Set([0x000a]);

export function prepareWorkbookStream(stream: Uint8Array, file: string): PreparedStream {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (stream.length < 8 || view.getUint16(0, true) !== 0x0809) throw new ImportError("xls_unsupported", "Excel 2.x–4.x 等更早的格式，或文件已损坏", file);
  const version = view.getUint16(4, true);
  if (version !== 0x0600 && version !== 0x0500) throw new ImportError("xls_unsupported", `不认识的 Excel 版本（BIFF 0x${version.toString(16)}）`, file);
  const sheetOffsets: number[] = [];
  const formulas: number[] = [];
  let sheet = -1;
  let inGlobals = true;
  // Where each formula-bearing record keeps its token count (cce): FORMULA, SHRFMLA, ARRAY, NAME.
  const cceAt: Record<number, number> = {0x0006: 20, 0x04bc: 8, 0x0221: 12, 0x0018: 4};
  for (let at = 0; at + 4 <= stream.length; ) {
    const type = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (at + 4 + length > stream.length) break;
    if (inGlobals && type === 0x002f) throw new ImportError("encrypted_workbook", "设置了打开密码的 .xls", file);
    if (inGlobals && type === 0x0085 && length >= 4) sheetOffsets.push(view.getUint32(at + 4, true));
    if (type === 0x000a) inGlobals = false;
    if (type === 0x0809 && at > 0) {
      sheet = sheetOffsets.indexOf(at);
      if (sheet >= 0) formulas[sheet] ??= 0;
    }
    // An empty record that should hold data (EXTERNSHEET): SheetJS reads its count as NaN and loops.
    if (length < 2 && !EMPTY_RECORDS.has(type)) view.setUint16(at, 0x005e, true);
    const cce = cceAt[type];
    if (cce !== undefined) {
      // Too short to hold its token count (damaged): made a record SheetJS skips (UNCALCED).
      if (length >= cce + 2) view.setUint16(at + 4 + cce, 0, true);
      else view.setUint16(at, 0x005e, true);
      if (type === 0x0006 && sheet >= 0) formulas[sheet]!++;
    }
    at += 4 + length;
  }
  return {stream, formulas};
}

function plainCell(cell: SheetJsCell | null | undefined): Cell {
  if (!cell) return null;
  switch (cell.t) {
    case "s":
      return typeof cell.v === "string" ? cell.v : String(cell.v ?? "");
    case "n":
      return typeof cell.v === "number" ? cell.v : null;
    case "b":
      return Boolean(cell.v);
    case "d":
      return cell.v instanceof Date ? cell.v : new Date(String(cell.v));
    case "e":
      return new CellFlag("excel_error", cell.w ?? "#错误");
    default:
      return null;
  }
}

/** "A1:C2" for a 0-based range. */
function rangeRef(lib: SheetJs, r: SheetJsRange): string {
  return lib.utils.encode_range(r);
}

/** Reads every worksheet of an .xls (or WPS .et) file into plain cells. */
export async function readXls(bytes: Uint8Array, file = ""): Promise<Sheet[]> {
  if (bytes.length > MAX_XLS_BYTES) throw new ImportError("file_too_large", `Excel 文件最大 ${MAX_XLS_BYTES / 1024 / 1024} MB，大文件请另存为 CSV`, file);
  const lib = await loadSheetJs();
  const {stream, formulas} = workbookStream(lib, bytes, file);
  lib.SSF.load_table(CHINESE_BUILTIN_FORMATS);
  let wb: SheetJsWorkbook;
  try {
    // The workbook stream itself (SheetJS reads a bare BIFF stream). dense: rows as arrays (less
    // memory); cellDates: date-formatted numbers as Dates (UTC); cellStyles: row and column records,
    // for hidden rows and columns; cellFormula off: the tokens were blanked, results are what counts.
    wb = lib.read(stream, {type: "array", dense: true, cellDates: true, cellNF: true, cellStyles: true, cellFormula: false, cellHTML: false, sheetStubs: false});
  } catch (error) {
    throw new ImportError("xls_unsupported", `文件已损坏或格式异常（${String((error as Error)?.message ?? error).slice(0, 80)}）`, file);
  }
  try {
    return workbookSheets(lib, wb, formulas, file);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError("xls_unsupported", `文件已损坏或格式异常（${String((error as Error)?.message ?? error).slice(0, 80)}）`, file);
  }
}

/** SheetJS's workbook → the importer's sheets: cells as plain values, merged cells filled. */
function workbookSheets(lib: SheetJs, wb: SheetJsWorkbook, formulas: number[], file: string): Sheet[] {
  const sheets: Sheet[] = [];
  wb.SheetNames.forEach((name, i) => {
    const hidden = wb.Workbook?.Sheets?.[i]?.Hidden ?? 0;
    const state = hidden === 2 ? "veryHidden" : hidden === 1 ? "hidden" : "visible";
    const ws = wb.Sheets[name] ?? {};
    const merges = ws["!merges"] ?? [];
    const sheet: Sheet = {name, state, rows: [], merges: merges.map((m) => rangeRef(lib, m)), formulas: formulas[i] ?? 0, formulasWithoutResult: 0, hyperlinks: 0, hiddenRows: [], hiddenColumns: []};
    sheets.push(sheet);
    if (state !== "visible" || !ws["!ref"]) return;
    // Rows and columns from A1, as readXlsx gives them: rows[i] is spreadsheet row i + 1.
    const range = lib.utils.decode_range(ws["!ref"]);
    const rowCount = range.e.r + 1;
    const columnCount = range.e.c + 1;
    if (rowCount * columnCount > MAX_CELLS) throw new ImportError("file_too_large", `工作表「${name}」有 ${rowCount} 行 × ${columnCount} 列`, file);
    const data = ws["!data"] ?? [];
    for (let r = 0; r < rowCount; r++) {
      const source = data[r];
      const cells: Cell[] = new Array(columnCount).fill(null);
      if (source) for (let c = 0; c < columnCount; c++) cells[c] = plainCell(source[c]);
      sheet.rows.push(cells);
    }
    for (const m of merges) {
      const value = sheet.rows[m.s.r]?.[m.s.c] ?? null;
      for (let r = m.s.r; r <= Math.min(m.e.r, rowCount - 1); r++) for (let c = m.s.c; c <= Math.min(m.e.c, columnCount - 1); c++) sheet.rows[r]![c] = value;
    }
    (ws["!rows"] ?? []).forEach((row, r) => row?.hidden && r < rowCount && sheet.hiddenRows.push(r + 1));
    (ws["!cols"] ?? []).forEach((col, c) => col?.hidden && c < columnCount && sheet.hiddenColumns.push(c + 1));
  });
  return sheets;
}
