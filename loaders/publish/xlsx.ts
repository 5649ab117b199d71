import ExcelJS from "exceljs";
import type {z} from "zod";
import type {Dataset} from "../../src/schemas/column.js";
import {sortRows} from "../writeDataset.js";
import {codebookRows, type Codebook} from "./codebook.js";
import {neutraliseFormula} from "./csv.js";
import {normaliseZipTimes} from "./zip.js";

/**
 * XLSX downloads for planners who work in Excel or WPS: a data sheet (column names as in the CSV and
 * Parquet files, the Chinese label as each header's note), the codebook sheet 字段说明, and a sheet 说明
 * with the dataset's version, licence and citation. Text cells that would read as formulas get the same
 * leading apostrophe as in the CSV; no cell is ever written as a formula. The bytes are the same on every
 * run: fixed document dates and ZIP timestamps.
 */

/** The fixed creation date written into every workbook's properties (a date, not the build time). */
const DOCUMENT_DATE = new Date("2000-01-01T00:00:00Z");

/** What the 说明 sheet says about the file, label → value, in order. */
export type AboutLines = readonly (readonly [string, string])[];

function cellValue(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return neutraliseFormula(value);
  if (typeof value === "number" || typeof value === "boolean") return value;
  throw new Error(`XLSX cannot hold ${typeof value} values`);
}

function widthOf(text: string): number {
  // CJK characters take about two columns of an Excel width unit.
  let width = 0;
  for (const ch of text) width += /[\u2E80-\uFFFF]/.test(ch) ? 2 : 1;
  return width;
}

function addSheet(workbook: ExcelJS.Workbook, name: string, columns: readonly string[], rows: readonly Record<string, unknown>[], notes?: readonly string[]): void {
  const sheet = workbook.addWorksheet(name, {views: [{state: "frozen", ySplit: 1}]});
  sheet.addRow([...columns]);
  for (const row of rows) sheet.addRow(columns.map((c) => cellValue(row[c])));
  const header = sheet.getRow(1);
  header.font = {bold: true};
  columns.forEach((column, i) => {
    if (notes?.[i]) header.getCell(i + 1).note = notes[i]!;
    // Width from the header and the first rows, within 8–60 characters.
    const sample = rows.slice(0, 200).map((r) => widthOf(String(r[column] ?? "")));
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(8, widthOf(column) + 2, ...sample.map((w) => w + 1)));
  });
  if (rows.length) sheet.autoFilter = {from: {row: 1, column: 1}, to: {row: 1 + rows.length, column: columns.length}};
}

/** A dataset's validated rows as XLSX bytes: data sheet, codebook sheet and about sheet. */
export async function toXlsx<S extends z.ZodRawShape>(dataset: Dataset<S>, rows: readonly Record<string, unknown>[], book: Codebook, about: AboutLines): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "DPF Sandbox 残联规划沙盘";
  workbook.lastModifiedBy = "DPF Sandbox 残联规划沙盘";
  workbook.created = DOCUMENT_DATE;
  workbook.modified = DOCUMENT_DATE;
  workbook.title = `${dataset.title.zh} ${dataset.title.en}`;
  const columns = book.columns.map((c) => c.column);
  addSheet(workbook, "数据", columns, sortRows(dataset, rows), book.columns.map((c) => `${c.label_zh} · ${c.label_en}${c.unit ? `（${c.unit}）` : ""}`));
  addSheet(workbook, "字段说明", ["column", "type", "nullable", "unit", "label_zh", "label_en", "description", "values"], codebookRows(book));
  addSheet(workbook, "说明", ["项目 item", "内容 value"], about.map(([item, value]) => ({"项目 item": item, "内容 value": value})));
  const buffer = await workbook.xlsx.writeBuffer();
  return normaliseZipTimes(new Uint8Array(buffer as ArrayBuffer));
}
