import type ExcelJS from "exceljs";
import {neutraliseCell} from "../../importer/spreadsheet.js";

/**
 * Downloads of a table shown on a page (表格下载), made in the browser from what the page shows: CSV as
 * Excel on a Chinese Windows opens it (UTF-8 with BOM, CRLF — the importer's toCsv) and XLSX through
 * exceljs (the package the importer reads workbooks with, bundled by Framework from node_modules; no
 * eval, so it runs under the site's CSP). Text that a spreadsheet would run as a formula (= + - @ …)
 * gets a leading apostrophe in both; numbers stay numbers (a negative number is a number, not text).
 *
 * Codes (12-digit unit codes) open as text in the XLSX: every text cell is a string cell with the text
 * format "@", so Excel neither turns 990106001001 into 9.90106E+11 nor drops a leading zero. CSV has no
 * way to say "text" that Excel honours without a formula (="…") or an invisible character, so the CSV
 * writes codes as they are, for statistical software (R, Python, Stata read them as text with the
 * codebook); the page tells a planner to take the XLSX for Excel. Nothing leaves the browser: the file is
 * handed to the browser's own download.
 */

export type TableCell = string | number | null;

export interface SheetSpec {
  /** Sheet name (Excel allows 31 characters, none of \ / ? * [ ] :). */
  name: string;
  headers: readonly string[];
  rows: readonly (readonly TableCell[])[];
}

function csvField(value: TableCell): string {
  // Numbers as numbers (−30.2 stays a number); text formula-neutralised; null empty.
  const text = typeof value === "number" ? String(value) : neutraliseCell(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The table as CSV bytes: UTF-8 with a byte-order mark (so Excel opens Chinese correctly), CRLF, formula-neutralised text. */
export function csvBytes(headers: readonly string[], rows: readonly (readonly TableCell[])[]): Uint8Array {
  const lines = [headers, ...rows].map((r) => r.map(csvField).join(","));
  return new TextEncoder().encode(`\uFEFF${lines.join("\r\n")}\r\n`);
}

/** A fixed document date, so the same table gives the same workbook bytes on every download. */
const DOCUMENT_DATE = new Date("2000-01-01T00:00:00Z");
const MAX_COLUMN_WIDTH = 48;
/** Excel's number format for text ("@"). */
const TEXT_FORMAT = "@";
const MIN_COLUMN_WIDTH = 6;
/** Rows sampled when sizing a column. */
const WIDTH_SAMPLE_ROWS = 200;

type ExcelModule = typeof ExcelJS;
let excel: Promise<ExcelModule> | undefined;

function loadExcel(): Promise<ExcelModule> {
  // Loaded on first download: the page does not fetch exceljs (about 1 MB) until a planner asks for XLSX.
  return (excel ??= import("exceljs").then((m) => ((m as unknown as {default?: ExcelModule}).default ?? (m as unknown as ExcelModule))));
}

/** Display width of a cell in Excel's width units: a CJK character takes about two. */
function textWidth(value: TableCell): number {
  let width = 0;
  for (const ch of String(value ?? "")) width += /[\u2E80-\uFFFF]/.test(ch) ? 2 : 1;
  return width;
}

function xlsxCell(value: TableCell): string | number | null {
  return typeof value === "string" ? neutraliseCell(value) : value;
}

/** The sheets as XLSX bytes: a bold, frozen header row, filter buttons, columns sized to their text. */
export async function xlsxBytes(sheets: readonly SheetSpec[], options: {title?: string} = {}): Promise<Uint8Array> {
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  workbook.creator = "残联规划沙盘 DPF Sandbox";
  workbook.created = DOCUMENT_DATE;
  workbook.modified = DOCUMENT_DATE;
  if (options.title) workbook.title = options.title;
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, {views: [{state: "frozen", ySplit: 1}]});
    sheet.addRow(spec.headers.map(xlsxCell));
    for (const row of spec.rows) {
      const added = sheet.addRow(row.map(xlsxCell));
      // Text stays text when edited or re-saved: a code typed over keeps its digits.
      row.forEach((value, i) => {
        if (typeof value === "string") added.getCell(i + 1).numFmt = TEXT_FORMAT;
      });
    }
    sheet.getRow(1).font = {bold: true};
    spec.headers.forEach((header, i) => {
      const sample = spec.rows.slice(0, WIDTH_SAMPLE_ROWS).map((r) => textWidth(r[i] ?? null));
      sheet.getColumn(i + 1).width = Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, textWidth(header) + 2, ...sample.map((w) => w + 1)));
    });
    if (spec.rows.length) sheet.autoFilter = {from: {row: 1, column: 1}, to: {row: 1 + spec.rows.length, column: spec.headers.length}};
  }
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Characters no file name may hold on Windows, macOS or Linux, and control characters. */
const unsafeFileChars = /[\\/:*?"<>|\u0000-\u001F\u007F]/g;
const MAX_FILE_NAME_CHARS = 120;

/** A file name from the parts of a view: "覆盖缺口_康复需求筛查率_示例市_各区县_2026年.csv". */
export function downloadFileName(parts: readonly string[], extension: string): string {
  const stem = parts
    .map((p) => p.replace(unsafeFileChars, "").replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("_")
    .slice(0, MAX_FILE_NAME_CHARS);
  return `${stem || "表格"}.${extension}`;
}

export const csvMime = "text/csv;charset=utf-8";
export const xlsxMime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** How long a download's blob URL lives: the browser has started reading it long before. */
const BLOB_URL_LIFETIME_MS = 10_000;

/** Hands bytes to the browser as a download (a blob URL; nothing is sent anywhere). */
export function saveFile(name: string, bytes: Uint8Array, mime: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], {type: mime}));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), BLOB_URL_LIFETIME_MS);
}
