import type {RejectedRow} from "./log.js";
import type {TableName} from "./tables.js";

/**
 * Exports for spreadsheets. A cell that begins with = + - @ or a tab/CR is a formula to Excel and WPS
 * (`=HYPERLINK("http://…","点击")` runs when opened): such text is written with a leading apostrophe,
 * which both show as text and the importer drops on the way back in.
 */
export function neutraliseCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(text) ? `'${text}` : text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text with a UTF-8 BOM (so Excel opens Chinese correctly), CRLF line ends, formula-neutralised. */
export function toCsv(headers: string[], rows: unknown[][]): string {
  const lines = [headers, ...rows].map((r) => r.map((v) => csvField(neutraliseCell(v))).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** The rejected rows of one table as CSV: where each row was, its cells, and why it was rejected. */
export function rejectedRowsCsv(rows: readonly RejectedRow[], headers: string[], table?: TableName): string {
  const selected = table ? rows.filter((r) => r.table === table) : rows;
  return toCsv(
    ["文件", "工作表", "行号", ...headers, "拒绝原因"],
    selected.map((r) => [r.file, r.sheet, r.row, ...headers.map((h) => r.values[h] ?? ""), r.reasons]),
  );
}
