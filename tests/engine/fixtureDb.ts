import {NodeDuckDB} from "../../loaders/duckdbNode.js";
import type {Queryable, SqlValue} from "../../src/engine/queryable.js";
import {placeholders, quoteIdentifier} from "../../src/engine/sql.js";
import {columnTypes, type ColumnType} from "../../src/schemas/columnTypes.js";
import {parameters as parametersDataset, type ParameterRow} from "../../src/schemas/parameters.js";
import {persons as personsDataset, type PersonRow} from "../../src/schemas/persons.js";
import {units as unitsDataset, type UnitRow} from "../../src/schemas/units.js";

/**
 * Loads fixture rows into an in-memory DuckDB as the tables the engine reads (`units`, `persons`,
 * `parameters`), column types taken from the schemas, so a test runs the engine exactly as the page
 * does over the loaders' files. Shared by the gap and scenario engine tests: add options, keep the
 * defaults.
 */

/** A row of the `parameters` dataset: one parameter value in force from `effective_date`. */
export type ParameterFixtureRow = ParameterRow;

/**
 * Parameter rows for one id, one row per effective date: `parameter("target.rehab.screening_rate",
 * {"2015-01-01": 0.5, "2021-07-01": 0.6})`. Unit and period default to a share with no period.
 */
export function parameter(
  id: string,
  values: Record<string, number>,
  options: Partial<Pick<ParameterFixtureRow, "kind" | "unit" | "period" | "label_zh" | "label_en" | "source" | "quote">> = {},
): ParameterFixtureRow[] {
  return Object.entries(values).map(([effective_date, value]) => ({
    id,
    kind: options.kind ?? (id.startsWith("target.") ? "target" : id.startsWith("assumption.") ? "assumption" : "standard"),
    label_zh: options.label_zh ?? id,
    label_en: options.label_en ?? id,
    unit: options.unit ?? "share 0–1",
    period: options.period ?? "none",
    effective_date,
    value,
    source: options.source ?? "fixture",
    quote: options.quote ?? "fixture",
    date_note: null,
    note: null,
    note_zh: null,
    attribute: null,
    role: null,
    target_year: null,
    description: `fixture value of ${id}`,
    last_checked: "2026-01-01",
    file: `fixture/${id}.yaml`,
  }));
}

export interface FixtureTables {
  units?: readonly UnitRow[];
  persons?: readonly PersonRow[];
  parameters?: readonly ParameterFixtureRow[];
}

/** Opens an in-memory DuckDB holding the given rows as `units`, `persons` and `parameters` (each table is created even when empty). */
export async function fixtureDb(tables: FixtureTables): Promise<NodeDuckDB> {
  const db = await NodeDuckDB.open();
  await createTable(db, "units", columnTypes(unitsDataset.row), tables.units ?? []);
  await createTable(db, "persons", columnTypes(personsDataset.row), tables.persons ?? []);
  await createTable(db, "parameters", columnTypes(parametersDataset.row), tables.parameters ?? []);
  return db;
}

/** Rows per INSERT statement: keeps the bound-parameter count of one statement modest. */
const ROWS_PER_INSERT = 500;

/** Creates a table with the given columns and inserts the rows, every value bound (missing → NULL). */
export async function createTable(
  db: Queryable,
  name: string,
  columns: readonly {name: string; type: ColumnType}[],
  rows: readonly object[],
): Promise<void> {
  const table = quoteIdentifier(name);
  await db.query(`CREATE TABLE ${table} (${columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(", ")})`);
  const tuple = `(${placeholders(columns.length)})`;
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const batch = rows.slice(start, start + ROWS_PER_INSERT) as readonly Record<string, unknown>[];
    const values = batch.flatMap((row) => columns.map((c) => (row[c.name] ?? null) as SqlValue));
    await db.query(`INSERT INTO ${table} VALUES ${batch.map(() => tuple).join(", ")}`, values);
  }
}

/**
 * Opens an in-memory DuckDB with tables read from the loaders' files in a directory (`units.parquet`,
 * `persons.parquet`, `parameters.parquet`), e.g. a demo or benchmark city written by `npm run demo-city`.
 * Pass `parameters` rows (e.g. `loadParameters()`) when the directory has no parameters file.
 */
export async function parquetDb(dir: string, options: {parameters?: readonly ParameterRow[]; threads?: number} = {}): Promise<NodeDuckDB> {
  const db = await NodeDuckDB.open({threads: options.threads ?? 1});
  const tables = options.parameters ? (["units", "persons"] as const) : (["units", "persons", "parameters"] as const);
  for (const table of tables) await db.run(`CREATE TABLE ${quoteIdentifier(table)} AS SELECT * FROM read_parquet(?)`, [`${dir}/${table}.parquet`]);
  if (options.parameters) await createTable(db, "parameters", columnTypes(parametersDataset.row), options.parameters);
  return db;
}
