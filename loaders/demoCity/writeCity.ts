import {closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {z} from "zod";
import type {Dataset} from "../../src/schemas/column.js";
import {columnTypes} from "../../src/schemas/columnTypes.js";
import {persons as personsDataset} from "../../src/schemas/persons.js";
import {units as unitsDataset, type UnitRow} from "../../src/schemas/units.js";
import {quoteIdentifier} from "../../src/engine/sql.js";
import {NodeDuckDB} from "../duckdbNode.js";
import {writeArrowFile} from "./arrowFile.js";
import {generatedCodeRules, personsRules, unitsRules} from "../../src/schemas/contract/cityRules.js";
import {citySize, loadDemoCityConfig, type CitySize, type DemoCityConfig} from "./config.js";
import {checkContract} from "../../src/schemas/contract/contractSql.js";
import {createPersonsTable} from "./persons.js";
import {generateUnits} from "./units.js";

export type CityFormat = "parquet" | "arrow";

export interface WriteCityOptions {
  /** Folder the files go to (created if missing). */
  outDir: string;
  config?: DemoCityConfig;
  /** Number of person rows; by default the config's city. */
  persons?: number;
  /** Number of communities (社区/村); by default it grows with persons. */
  units?: number;
  /** Overrides the config's seed. */
  seed?: number;
  /** Formats to write (both datasets). */
  formats?: readonly CityFormat[];
  /** DuckDB threads; 1 gives byte-identical Parquet on every run and machine. */
  threads?: number;
}

export interface WriteCityReport {
  size: CitySize;
  seed: number;
  threads: number;
  files: {name: string; bytes: number}[];
  /** Wall-clock seconds per step. */
  seconds: {units: number; persons: number; validate: number; parquet: number; arrow: number; total: number};
}

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Loads unit rows into a DuckDB table through newline-delimited JSON (exact for strings and doubles),
 * typed as the units schema says; at benchmark scale there are hundreds of thousands of units.
 */
async function loadUnitsTable(db: NodeDuckDB, units: readonly UnitRow[], table: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "dpf-units-"));
  try {
    const path = join(dir, "units.ndjson");
    const fd = openSync(path, "w");
    for (let i = 0; i < units.length; i += 10_000) writeSync(fd, units.slice(i, i + 10_000).map((u) => JSON.stringify(u) + "\n").join(""));
    closeSync(fd);
    const columns = columnTypes(unitsDataset.row).map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(", ");
    await db.run(`CREATE TABLE ${quoteIdentifier(table)} AS SELECT * FROM read_json(${sqlString(path)}, format = 'newline_delimited', columns = {${columns}})`);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** Writes a table in the requested formats, sorted by the dataset's key; returns seconds per format. */
async function writeTable<Shape extends z.ZodRawShape>(db: NodeDuckDB, dataset: Dataset<Shape>, table: string, formats: readonly CityFormat[], path: (format: CityFormat) => string): Promise<Record<CityFormat, number>> {
  const seconds = {parquet: 0, arrow: 0};
  const sorted = `SELECT * FROM ${quoteIdentifier(table)} ORDER BY ${dataset.sortKey.map(quoteIdentifier).join(", ")}`;
  for (const format of formats) {
    const t = performance.now();
    // Same settings as toParquet, so the demo-size files equal the Framework loaders' byte for byte.
    if (format === "parquet") await db.run(`COPY (${sorted}) TO ${sqlString(path(format))} (FORMAT parquet, COMPRESSION zstd)`);
    else await writeArrowFile(db, dataset, sorted, path(format));
    seconds[format] = (performance.now() - t) / 1000;
  }
  return seconds;
}

/**
 * Writes the demo city at any size: units.parquet/.arrow and persons.parquet/.arrow. Persons are
 * generated in DuckDB; both tables are validated by the schema contract in SQL (types, enums, ranges,
 * foreign keys, hierarchy) instead of row by row, and written sorted by the dataset's key with ZSTD
 * like every other dataset.
 */
export async function writeDemoCity(options: WriteCityOptions): Promise<WriteCityReport> {
  const clock = () => performance.now() / 1000;
  const start = clock();
  const base = options.config ?? loadDemoCityConfig();
  const config = options.seed === undefined ? base : {...base, seed: options.seed};
  const formats = options.formats ?? ["parquet", "arrow"];
  const threads = options.threads ?? 1;
  mkdirSync(options.outDir, {recursive: true});
  const file = (name: string) => join(options.outDir, name);
  const seconds = {units: 0, persons: 0, validate: 0, parquet: 0, arrow: 0, total: 0};

  let t = clock();
  const size = citySize(config, {persons: options.persons, units: options.units});
  const {units, plan} = generateUnits(config, size);
  const db = await NodeDuckDB.open({threads});
  try {
    await loadUnitsTable(db, units, "units");
    seconds.units = clock() - t;

    t = clock();
    await createPersonsTable(db, config, plan);
    seconds.persons = clock() - t;

    t = clock();
    await checkContract(db, unitsDataset, "units", [...unitsRules("units"), ...generatedCodeRules("units")]);
    const rows = await checkContract(db, personsDataset, "persons", personsRules("persons", "units"));
    if (rows !== size.persons) throw new Error(`generated ${rows} persons, expected ${size.persons}`);
    seconds.validate = clock() - t;

    for (const spent of [
      await writeTable(db, unitsDataset, "units", formats, (format) => file(`units.${format}`)),
      await writeTable(db, personsDataset, "persons", formats, (format) => file(`persons.${format}`)),
    ]) {
      seconds.parquet += spent.parquet;
      seconds.arrow += spent.arrow;
    }
  } finally {
    db.close();
  }
  seconds.total = clock() - start;
  const names = ["units", "persons"].flatMap((d) => formats.map((f) => `${d}.${f}`));
  return {size, seed: config.seed, threads, files: names.map((name) => ({name, bytes: statSync(file(name)).size})), seconds};
}
