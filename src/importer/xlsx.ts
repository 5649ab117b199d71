import {CellFlag, type Cell} from "./convert.js";
import {ImportError} from "./rules.js";
import {assertInflatedWithin, MAX_XLSX_CELLS, tooManyCells} from "./zipInflateLimit.js";

/**
 * Reads an .xlsx workbook with exceljs (Node: the package; browser: Framework bundles the same package
 * from node_modules — exceljs's own browser build, which runs under the site's CSP). Every worksheet
 * becomes a grid of plain cells; what was done to get there is said in `notes`:
 * - hidden (and very hidden) sheets are skipped;
 * - formula cells are read as the result Excel saved (none saved → a cell problem);
 * - merged cells: every cell of a merged range reads the range's value;
 * - rich text is joined, hyperlinks become their text (the link is dropped), Excel errors are problems.
 */

export interface Sheet {
  name: string;
  state: "visible" | "hidden" | "veryHidden";
  /** rows[i] is spreadsheet row i + 1. */
  rows: Cell[][];
  /** Merged ranges as written ("A1:C1"). */
  merges: string[];
  formulas: number;
  formulasWithoutResult: number;
  hyperlinks: number;
  hiddenRows: number[];
  hiddenColumns: number[];
}

interface ExcelCellValueObject {
  formula?: string;
  sharedFormula?: string;
  result?: unknown;
  richText?: {text: string}[];
  text?: unknown;
  hyperlink?: string;
  error?: string;
}

interface ExcelWorksheet {
  name: string;
  state: string;
  rowCount: number;
  columnCount: number;
  model: {merges?: string[]};
  getRow(n: number): {hidden: boolean; getCell(c: number): {value: unknown}};
  getColumn(c: number): {hidden: boolean};
}

interface ExcelModule {
  Workbook: new () => {xlsx: {load(data: ArrayBuffer | Uint8Array): Promise<unknown>}; worksheets: ExcelWorksheet[]};
}

let excel: Promise<ExcelModule> | undefined;

function loadExcel(): Promise<ExcelModule> {
  // Loaded on first use: a page that never sees an .xlsx never downloads exceljs (about 1 MB).
  return (excel ??= import("exceljs").then((m) => ((m as unknown as {default?: ExcelModule}).default ?? (m as unknown as ExcelModule))));
}

/** Largest workbook read (a zipped workbook expands several times in memory). */
export const MAX_XLSX_BYTES = 60 * 1024 * 1024;
/**
 * exceljs failing for want of memory (an array, string or Map past V8's size): the file is too large, not
 * damaged, and is said so — never 文件损坏.
 */
function outOfMemory(error: unknown, file: string, where: string): ImportError | null {
  if (!(error instanceof RangeError) || !/allocation|Invalid (array|string|typed array) length|maximum size|memory/i.test(error.message)) return null;
  return new ImportError("file_too_large", `${where}太大，本页的内存不足以读取它（文件本身没有损坏）；请在 Excel（或 WPS 表格）中把数据所在的工作表另存为「CSV UTF-8（逗号分隔）」后导入：CSV 按块读取，不受此限`, file);
}

function plainCell(value: unknown, sheet: Sheet): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if (typeof value !== "object") return String(value);
  const v = value as ExcelCellValueObject;
  if (v.formula !== undefined || v.sharedFormula !== undefined) {
    sheet.formulas++;
    if (v.result === undefined || v.result === null) {
      sheet.formulasWithoutResult++;
      return new CellFlag("formula_no_value", `=${v.formula ?? v.sharedFormula}`);
    }
    return plainCell(v.result, sheet);
  }
  if (v.error !== undefined) return new CellFlag("excel_error", String(v.error));
  if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join("");
  if (v.hyperlink !== undefined || v.text !== undefined) {
    sheet.hyperlinks++;
    return plainCell(v.text, sheet);
  }
  return null;
}

/** Reads every worksheet of an .xlsx file into plain cells. */
export async function readXlsx(bytes: Uint8Array, file = ""): Promise<Sheet[]> {
  if (bytes.length > MAX_XLSX_BYTES) throw new ImportError("file_too_large", `Excel 文件最大 ${MAX_XLSX_BYTES / 1024 / 1024} MB，大文件请另存为 CSV`, file);
  // The compressed size says little: the parts' inflated size is limited before exceljs inflates them.
  await assertInflatedWithin(bytes, file);
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes);
  } catch (error) {
    throw outOfMemory(error, file, "Excel 文件") ?? new ImportError("unreadable_xlsx", String((error as Error)?.message ?? error).slice(0, 120), file);
  }
  const sheets: Sheet[] = [];
  for (const ws of workbook.worksheets) {
    try {
      const state = ws.state === "hidden" || ws.state === "veryHidden" ? ws.state : "visible";
      const sheet: Sheet = {name: ws.name, state, rows: [], merges: [...(ws.model.merges ?? [])], formulas: 0, formulasWithoutResult: 0, hyperlinks: 0, hiddenRows: [], hiddenColumns: []};
      sheets.push(sheet);
      if (state !== "visible") continue;
      const rowCount = ws.rowCount;
      const columnCount = ws.columnCount;
      // The grid spans every row and column used (a sparse sheet can span far more than it holds).
      if (rowCount * columnCount > MAX_XLSX_CELLS) throw tooManyCells(file, ws.name, rowCount, rowCount * columnCount);
      for (let c = 1; c <= columnCount; c++) if (ws.getColumn(c).hidden) sheet.hiddenColumns.push(c);
      for (let r = 1; r <= rowCount; r++) {
        const row = ws.getRow(r);
        if (row.hidden) sheet.hiddenRows.push(r);
        const cells: Cell[] = new Array(columnCount);
        for (let c = 1; c <= columnCount; c++) cells[c - 1] = plainCell(row.getCell(c).value, sheet);
        sheet.rows.push(cells);
      }
    } catch (error) {
      if (error instanceof ImportError) throw error;
      throw outOfMemory(error, file, `工作表「${ws.name}」`) ?? new ImportError("unreadable_xlsx", `工作表「${ws.name}」：${String((error as Error)?.message ?? error).slice(0, 120)}`, file);
    }
  }
  return sheets;
}

/** "A1:C2" → 0-based rows and columns it covers. */
export function mergeRange(ref: string): {top: number; left: number; bottom: number; right: number} | null {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref);
  if (!m) return null;
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return {top: Number(m[2]) - 1, left: col(m[1]!), bottom: Number(m[4]) - 1, right: col(m[3]!)};
}
