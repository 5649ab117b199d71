import * as duckdb from "npm:@duckdb/duckdb-wasm";
import {DataType, tableFromIPC, tableToIPC, util, type Table} from "npm:apache-arrow";
import type {Queryable, Row, SqlValue} from "../engine/queryable.js";

// Both builds are served from the site's own origin; the browser picks the one it supports.
const bundles: duckdb.DuckDBBundles = {
  mvp: {
    mainModule: import.meta.resolve("npm:@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm"),
    mainWorker: import.meta.resolve("npm:@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js"),
  },
  eh: {
    mainModule: import.meta.resolve("npm:@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"),
    mainWorker: import.meta.resolve("npm:@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js"),
  },
};

/** Where a table comes from: an Arrow IPC file attachment, or an Arrow table already in memory. */
export type TableSource = SandboxFileAttachment | Table;

/** Timings of opening the database, for the benchmark's cold-start split. */
export interface OpenTimings {
  instantiateMs: number;
  fetchMs: number;
  ingestMs: number;
}

/** Turns a column's Arrow values into the engine's plain values: BIGINT and DECIMAL/HUGEINT → number. */
function plainValue(type: DataType): (value: unknown) => unknown {
  if (DataType.isDecimal(type)) {
    const scale = (type as unknown as {scale: number}).scale;
    return (value) => (value == null ? null : util.bigNumToNumber(value as never, scale));
  }
  return (value) => (typeof value === "bigint" ? Number(value) : value);
}

/** Converts an Arrow result to the engine's plain rows, as the Node adapter returns them. */
export function arrowRows<T extends Row>(table: Table): T[] {
  const fields = table.schema.fields;
  const names = fields.map((f) => f.name);
  const columns = names.map((name) => table.getChild(name)!);
  const convert = fields.map((f) => plainValue(f.type));
  const rows: T[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; ++i) {
    const row: Row = {};
    for (let j = 0; j < names.length; ++j) row[names[j]!] = convert[j]!(columns[j]!.get(i));
    rows[i] = row as T;
  }
  return rows;
}

/** The engine's Queryable over DuckDB-WASM, with a cache of prepared statements. */
export class SandboxDb implements Queryable {
  private readonly statements = new Map<string, Promise<duckdb.AsyncPreparedStatement>>();

  constructor(readonly db: duckdb.AsyncDuckDB, readonly connection: duckdb.AsyncDuckDBConnection, readonly timings: OpenTimings) {}

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return arrowRows<T>(await this.queryArrow(sql, params));
  }

  /** The result as Arrow, for callers that chart columns directly. */
  async queryArrow(sql: string, params: readonly SqlValue[] = []): Promise<Table> {
    if (params.length === 0) return (await this.connection.query(sql)) as unknown as Table;
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.connection.prepare(sql)));
    return (await (await statement).query(...params)) as unknown as Table;
  }

  /** Replaces a table with the rows of an Arrow table. */
  async replaceTable(name: string, table: Table): Promise<void> {
    await this.connection.query(`DROP TABLE IF EXISTS "${name.replaceAll('"', '""')}"`);
    // IPC bytes, not the Table: DuckDB-WASM bundles its own Apache Arrow (17), whose writer silently
    // writes nothing for a Table made by the site's Arrow (21), leaving no table at all.
    await this.connection.insertArrowFromIPCStream(tableToIPC(table, "stream"), {name, create: true});
  }
}

let instance: Promise<{db: duckdb.AsyncDuckDB; instantiateMs: number}> | undefined;

/** One DuckDB-WASM instance per page, started on first use; no extension is ever downloaded. */
function startDuckDB() {
  return (instance ??= (async () => {
    const started = performance.now();
    const bundle = await duckdb.selectBundle(bundles);
    const worker = new Worker(bundle.mainWorker!);
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    await db.open({query: {castBigIntToDouble: true}});
    // Data never leaves the page: no extension may be fetched, explicitly or by autoloading.
    const connection = await db.connect();
    await connection.query("SET autoinstall_known_extensions = false");
    await connection.query("SET autoload_known_extensions = false");
    await connection.close();
    // Marks for the benchmark's cold-start split (bench/README.md), readable from outside the page.
    performance.measure("dpf:duckdb-instantiate", {start: started});
    return {db, instantiateMs: performance.now() - started};
  })());
}

/**
 * Opens DuckDB-WASM and loads each source as a table. Sources are Arrow IPC files made by the
 * loaders (DuckDB-WASM 1.29 has no built-in Parquet reader and must not download one).
 */
export async function openSandboxDb(sources: Record<string, TableSource | Promise<TableSource>>): Promise<SandboxDb> {
  const fetching = performance.now();
  let fetched = fetching;
  const [{db, instantiateMs}, tables] = await Promise.all([
    startDuckDB(),
    Promise.all(
      Object.entries(sources).map(async ([name, source]) => {
        const s = await source;
        return [name, "arrayBuffer" in s ? tableFromIPC(new Uint8Array(await s.arrayBuffer())) : s] as const;
      }),
    ).then((t) => ((fetched = performance.now()), t)),
  ]);
  const fetchMs = performance.now() - fetching;
  const ingesting = performance.now();
  const connection = await db.connect();
  const sandbox = new SandboxDb(db, connection, {instantiateMs, fetchMs, ingestMs: 0});
  for (const [name, table] of tables) await sandbox.replaceTable(name, table);
  sandbox.timings.ingestMs = performance.now() - ingesting;
  performance.measure("dpf:data-fetch", {start: fetching, end: fetched});
  performance.measure("dpf:ingest", {start: ingesting});
  return sandbox;
}
