import type {z} from "zod";
import type {Dataset} from "../../src/schemas/column.js";
import {columnTypes} from "../../src/schemas/columnTypes.js";
import {sortRows} from "../writeDataset.js";

/**
 * CSV as Excel on a Chinese Windows opens it correctly and safely: UTF-8 with a byte-order mark (without
 * it Excel reads the file as GBK and shows mojibake), CRLF line ends, RFC 4180 quoting, and no cell a
 * spreadsheet would run as a formula.
 */

export const UTF8_BOM = "\uFEFF";

/**
 * Characters that make a spreadsheet read a cell as a formula or a DDE call (OWASP "CSV injection"):
 * = + - @ and a leading tab or carriage return.
 */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * Neutralises a text cell a spreadsheet would run as a formula by prefixing an apostrophe, which Excel
 * and WPS show as text: `=HYPERLINK("http://x")` → `'=HYPERLINK("http://x")`. Numbers are not text and
 * are left alone (−5 stays a number); only strings are changed.
 */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** A cell's CSV text: empty for null, shortest round-trip digits for numbers, true/false, quoted when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`CSV cannot hold the number ${value}`);
    return Object.is(value, -0) ? "0" : String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = neutraliseFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Encodes rows as CSV text (BOM, header of column names, CRLF); `columns` fixes the column order. */
export function csvText(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(csvCell).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(","));
  return `${UTF8_BOM}${lines.join("\r\n")}\r\n`;
}

/** A dataset's validated rows as CSV bytes, columns in schema order, rows in sort-key order. */
export function toCsv<S extends z.ZodRawShape>(dataset: Dataset<S>, rows: readonly Record<string, unknown>[]): Uint8Array {
  const columns = columnTypes(dataset.row).map((c) => c.name);
  return new TextEncoder().encode(csvText(columns, sortRows(dataset, rows)));
}
