import type {z} from "zod";
import {columnMeta, type Dataset} from "../../src/schemas/column.js";
import {columnType} from "../../src/schemas/columnTypes.js";
import type {CodebookEntry} from "../../src/schemas/downloadsManifest.js";
import {csvText} from "./csv.js";

/**
 * Codebooks (字段说明) generated from the zod schemas: one entry per column with its storage type, unit,
 * Chinese and English label, description and allowed values. The schema is the only place a column is
 * described; the download page, the CSV/JSON codebook files and the XLSX "字段说明" sheet all read this.
 */

export type {CodebookEntry} from "../../src/schemas/downloadsManifest.js";

export interface Codebook {
  dataset: string;
  title: {zh: string; en: string};
  description: string;
  /** Columns the rows are sorted by in every file. */
  sort_key: string[];
  columns: CodebookEntry[];
  /** Rules that apply to the whole dataset (small-cell suppression, synthetic data …). */
  notes: string[];
}

interface ZodNode {
  def: {type: string; entries?: Record<string, string>; values?: unknown[]};
  unwrap?: () => ZodNode;
}

/** The allowed values of an enum or literal column, else null. */
function allowedValues(schema: z.ZodType): string[] | null {
  let node = schema as unknown as ZodNode;
  while ((node.def.type === "nullable" || node.def.type === "optional") && node.unwrap) node = node.unwrap();
  if (node.def.type === "enum" && node.def.entries) return Object.values(node.def.entries).map(String);
  if (node.def.type === "literal" && node.def.values) return node.def.values.map(String);
  return null;
}

/** The codebook of a dataset, from its schema's column metadata. */
export function codebook<S extends z.ZodRawShape>(dataset: Dataset<S>, notes: readonly string[] = []): Codebook {
  const columns = Object.entries(dataset.row.shape).map(([name, schema]): CodebookEntry => {
    const meta = columnMeta(schema as z.ZodType, `${dataset.name}.${name}`);
    const {type, nullable} = columnType(schema as z.ZodType);
    return {column: name, type, nullable, unit: meta.unit ?? null, label_zh: meta.zh, label_en: meta.en, description: meta.description, values: allowedValues(schema as z.ZodType)};
  });
  return {dataset: dataset.name, title: dataset.title, description: dataset.description, sort_key: [...dataset.sortKey], columns, notes: [...notes]};
}

const codebookColumns = ["column", "type", "nullable", "unit", "label_zh", "label_en", "description", "values"] as const;

/** The codebook's columns as flat rows (values joined by " | "), for CSV and spreadsheets. */
export function codebookRows(book: Codebook): Record<(typeof codebookColumns)[number], string | boolean | null>[] {
  return book.columns.map((c) => ({...c, values: c.values ? c.values.join(" | ") : null}));
}

/** The codebook as CSV bytes (UTF-8 with BOM), one row per column. */
export function codebookCsv(book: Codebook): Uint8Array {
  return new TextEncoder().encode(csvText(codebookColumns, codebookRows(book)));
}

/** The codebook as pretty JSON bytes. */
export function codebookJson(book: Codebook): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(book, null, 2)}\n`);
}

/** Escapes text for a Markdown table cell. */
function mdCell(text: string | null): string {
  return (text ?? "").replaceAll("\\", "\\\\").replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** The codebook as a Markdown section: title, description, notes and a table of columns. */
export function codebookMarkdown(book: Codebook): string {
  const lines = [
    `## ${book.title.zh}（${book.dataset}）`,
    "",
    `${book.title.en}. ${book.description}`,
    "",
    `Sorted by: ${book.sort_key.join(", ")}`,
    "",
    ...book.notes.flatMap((n) => [`> ${n}`, ""]),
    "| 字段 column | 类型 type | 可空 nullable | 单位 unit | 中文名 | English | 说明 description | 取值 values |",
    "|---|---|---|---|---|---|---|---|",
    ...book.columns.map((c) =>
      `| \`${c.column}\` | ${c.type} | ${c.nullable ? "是 yes" : "否 no"} | ${mdCell(c.unit)} | ${mdCell(c.label_zh)} | ${mdCell(c.label_en)} | ${mdCell(c.description)} | ${mdCell(c.values?.join(", ") ?? null)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}
