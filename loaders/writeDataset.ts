import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {Bool, Float64, Int32, Table, Utf8, tableToIPC, vectorFromArray, type DataType} from "apache-arrow";
import type {z} from "zod";
import type {Dataset} from "../src/schemas/column.js";
import {columnTypes, type ColumnType} from "../src/schemas/columnTypes.js";
import {quoteIdentifier} from "../src/engine/sql.js";
import {NodeDuckDB} from "./duckdbNode.js";

/** One rule a row broke: where, what value, which rule (zh for the UI, en for logs). */
export interface RowProblem {
  file: string;
  /** 1-based data row number as the user counts it in the file (header not counted). */
  row: number;
  column: string;
  value: unknown;
  rule: string;
}

export class DatasetValidationError extends Error {
  constructor(readonly dataset: string, readonly problems: RowProblem[]) {
    super(
      `${dataset}: ${problems.length} row problem(s)\n` +
        problems.slice(0, 20).map((p) => `  ${p.file} row ${p.row}, column ${p.column}: ${p.rule} (value ${JSON.stringify(p.value)})`).join("\n"),
    );
  }
}

/** Validates rows against a dataset's schema; every problem is reported, none dropped. */
export function validateRows<Shape extends z.ZodRawShape>(dataset: Dataset<Shape>, rows: readonly unknown[], file: string): z.infer<Dataset<Shape>["row"]>[] {
  const problems: RowProblem[] = [];
  const valid: z.infer<Dataset<Shape>["row"]>[] = [];
  // Build the strict schema once: zod compiles a schema per call, which costs ~100× the check itself.
  const strictRow = dataset.row.strict();
  rows.forEach((row, i) => {
    const result = strictRow.safeParse(row);
    if (result.success) valid.push(result.data as z.infer<Dataset<Shape>["row"]>);
    else
      for (const issue of result.error.issues) {
        const column = issue.path.map(String).join(".") || "(row)";
        problems.push({file, row: i + 1, column, value: (row as Record<string, unknown>)?.[column], rule: issue.message});
      }
  });
  if (problems.length) throw new DatasetValidationError(dataset.name, problems);
  return valid;
}

const arrowTypes: Record<ColumnType, () => DataType> = {
  VARCHAR: () => new Utf8(),
  INTEGER: () => new Int32(),
  DOUBLE: () => new Float64(),
  BOOLEAN: () => new Bool(),
};

/** Encodes validated rows as an Arrow IPC file, column types from the schema, rows in sort-key order. */
export function toArrowIPC<S extends z.ZodRawShape>(dataset: Dataset<S>, rows: readonly Record<string, unknown>[]): Uint8Array {
  const sorted = sortRows(dataset, rows);
  const vectors = Object.fromEntries(
    columnTypes(dataset.row).map(({name, type}) => [name, vectorFromArray(sorted.map((r) => r[name] ?? null), arrowTypes[type]())]),
  );
  return tableToIPC(new Table(vectors), "file");
}

/** Orders rows by the dataset's sort key with a total, locale-free comparison. */
export function sortRows<R extends Record<string, unknown>, S extends z.ZodRawShape>(dataset: Dataset<S>, rows: readonly R[]): R[] {
  const keys = dataset.sortKey as string[];
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const x = a[key] as string | number | null;
      const y = b[key] as string | number | null;
      if (x === y) continue;
      if (x === null || x === undefined) return -1;
      if (y === null || y === undefined) return 1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
}

/**
 * Validates rows and encodes them as a ZSTD Parquet file sorted by the dataset's key. DuckDB runs
 * single-threaded so the same rows always give the same bytes.
 */
export async function toParquet<S extends z.ZodRawShape>(dataset: Dataset<S>, rows: readonly unknown[], file = dataset.name): Promise<Uint8Array> {
  const valid = validateRows(dataset, rows, file) as Record<string, unknown>[];
  const columns = columnTypes(dataset.row);
  const dir = mkdtempSync(join(tmpdir(), "dpf-parquet-"));
  const db = await NodeDuckDB.open();
  try {
    const table = quoteIdentifier(dataset.name);
    await db.run(`CREATE TABLE ${table} (${columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(", ")})`);
    const appender = await db.connection.createAppender(dataset.name);
    for (const row of valid) {
      for (const {name, type} of columns) {
        const value = row[name];
        if (value === null || value === undefined) appender.appendNull();
        else if (type === "VARCHAR") appender.appendVarchar(String(value));
        else if (type === "INTEGER") appender.appendInteger(value as number);
        else if (type === "DOUBLE") appender.appendDouble(value as number);
        else appender.appendBoolean(value as boolean);
      }
      appender.endRow();
    }
    appender.closeSync();
    const out = join(dir, `${dataset.name}.parquet`);
    const order = dataset.sortKey.map(quoteIdentifier).join(", ");
    await db.run(`COPY (SELECT * FROM ${table} ORDER BY ${order}) TO '${out.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`);
    return new Uint8Array(readFileSync(out));
  } finally {
    db.close();
    rmSync(dir, {recursive: true, force: true});
  }
}

