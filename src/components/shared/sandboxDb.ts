import * as duckdb from "npm:@duckdb/duckdb-wasm";
import {DataType, Precision, RecordBatchReader, Table, tableFromIPC, tableToIPC, util, type Vector} from "npm:apache-arrow";
import type {Queryable, Row, SqlValue} from "../../engine/queryable.js";
import {reportEngineProgress} from "./engineProgress.js";

export {onEngineProgress, progressNote, type EngineProgress} from "./engineProgress.js";

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

/**
 * A column's values as the engine's plain values: BIGINT and DECIMAL/HUGEINT → number. Read a whole
 * column at a time (typed arrays as they are, other types through the vector's iterator): `get(i)` per
 * cell searches the chunks again for every value and costs milliseconds on a few thousand rows.
 */
function plainColumn(vector: Vector, type: DataType): ArrayLike<unknown> {
  if (DataType.isDecimal(type)) {
    const scale = (type as unknown as {scale: number}).scale;
    return Array.from(vector, (value) => (value == null ? null : util.bigNumToNumber(value as never, scale)));
  }
  // A typed array holds a null as 0, so only null-free integer and float columns may be used as they are
  // (and not half floats, whose array holds the raw 16 bits).
  const primitive = (DataType.isInt(type) || (DataType.isFloat(type) && type.precision !== Precision.HALF)) && vector.nullCount === 0;
  if (!primitive) return Array.from(vector, (value) => (typeof value === "bigint" ? Number(value) : value));
  const values = vector.toArray() as ArrayLike<number | bigint>;
  return values instanceof BigInt64Array || values instanceof BigUint64Array ? Array.from(values, Number) : values;
}

/** Converts an Arrow result to the engine's plain rows, as the Node adapter returns them. */
export function arrowRows<T extends Row>(table: Table): T[] {
  const fields = table.schema.fields;
  const names = fields.map((f) => f.name);
  const columns = fields.map((f) => plainColumn(table.getChild(f.name)!, f.type));
  const rows: T[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; ++i) {
    const row: Row = {};
    for (let j = 0; j < names.length; ++j) row[names[j]!] = columns[j]![i];
    rows[i] = row as T;
  }
  return rows;
}

const ARROW_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
/** The end-of-stream marker: a continuation marker and a zero length. */
const END_OF_STREAM = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];

/**
 * The messages of an Arrow IPC file as an IPC stream, without decoding its record batches; null when the
 * bytes are not an IPC file. A file is the magic padded to 8 bytes, the messages, a footer, the footer's
 * length and the magic again (Arrow columnar format, "IPC File Format"). Apache Arrow's JavaScript writer
 * keeps the schema only in the footer, so the stream starts with a schema message encoded from it.
 */
export function ipcFileAsStream(bytes: Uint8Array): Uint8Array | null {
  const n = bytes.length;
  const magicAt = (offset: number) => ARROW_MAGIC.every((b, i) => bytes[offset + i] === b);
  if (n < 2 * 8 + 4 || !magicAt(0) || !magicAt(n - ARROW_MAGIC.length)) return null;
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset, n).getInt32(n - ARROW_MAGIC.length - 4, true);
  const end = n - ARROW_MAGIC.length - 4 - footerLength;
  if (footerLength <= 0 || end < 8) return null;
  // The schema alone, as a stream: its message, then the end-of-stream marker (dropped here).
  const schema = tableToIPC(new Table(RecordBatchReader.from(bytes).open().schema), "stream");
  if (!END_OF_STREAM.every((b, i) => schema[schema.length - END_OF_STREAM.length + i] === b)) return null;
  const head = schema.subarray(0, schema.length - END_OF_STREAM.length);
  const ended = END_OF_STREAM.every((b, i) => bytes[end - END_OF_STREAM.length + i] === b);
  const stream = new Uint8Array(head.length + end - 8 + (ended ? 0 : END_OF_STREAM.length));
  stream.set(head);
  stream.set(bytes.subarray(8, end), head.length);
  if (!ended) stream.set(END_OF_STREAM, head.length + end - 8);
  return stream;
}

/** Statements kept prepared at most: the engine's recurring ones are a few dozen. */
const MAX_PREPARED = 64;
/** Texts remembered as seen once, so a second sighting prepares them. */
const MAX_SEEN_ONCE = 256;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A bound value written as a SQL constant of the type DuckDB-WASM binds it as (its worker sends values as
 * JSON: a number binds as DOUBLE, NaN and ±Infinity as NULL); null when it cannot be written into the text
 * (a string with a NUL, which ends the text for DuckDB's parser, or with a lone surrogate).
 */
function literal(value: SqlValue): string | null {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") return Number.isFinite(value) ? `CAST('${String(value)}' AS DOUBLE)` : "NULL";
  if (value.includes("\0") || loneSurrogate.test(value)) return null;
  return `CAST('${value.replaceAll("'", "''")}' AS VARCHAR)`;
}

/**
 * The statement with its `?` placeholders replaced by typed constants: placeholders in string literals,
 * quoted identifiers and comments are left alone. Null when the count differs or a value cannot be written
 * (the caller binds them instead).
 */
export function inlineParams(sql: string, params: readonly SqlValue[]): string | null {
  let out = "";
  let used = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end = i + 1;
    if (c === "'" || c === '"') {
      // A doubled quote inside is an escaped one: scanning on finds the closing quote either way.
      end = sql.indexOf(c, i + 1) + 1 || sql.length;
    } else if (c === "-" && sql[i + 1] === "-") {
      end = sql.indexOf("\n", i) + 1 || sql.length;
    } else if (c === "/" && sql[i + 1] === "*") {
      end = sql.indexOf("*/", i + 2) + 2 || sql.length;
      if (end === 1) end = sql.length;
    } else if (c === "?") {
      if (used >= params.length) return null;
      const constant = literal(params[used++]!);
      if (constant === null) return null;
      out += constant;
      i = end;
      continue;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return used === params.length ? out : null;
}

/**
 * The engine's Queryable over DuckDB-WASM, with a cache of prepared statements. DuckDB plans a statement
 * sent as text on every call (≈10 ms for the scenario recompute, more than running it), and plans a
 * prepared statement with bound values again on every execution too (the gap query: about half its time
 * at 3k persons). So a statement run again with the same values — the same view of the explorer, the
 * recompute over the lever table — is prepared once with its values written in as constants of the types
 * they would bind as, and its plan reused; DuckDB binds it again by itself when a table it reads was
 * replaced. A statement seen once (one-off DDL, a slider's new lever values) runs as before: writing
 * values into the text and preparing would only add a round trip.
 */
export class SandboxDb implements Queryable {
  /** Statements with placeholders, values bound on each call. */
  private readonly statements = new Map<string, Promise<duckdb.AsyncPreparedStatement>>();
  /** Texts (values written in) seen once, and those seen again (kept prepared, least recently used first). */
  private readonly seenOnce = new Set<string>();
  private readonly prepared = new Map<string, Promise<duckdb.AsyncPreparedStatement>>();

  constructor(readonly db: duckdb.AsyncDuckDB, readonly connection: duckdb.AsyncDuckDBConnection, readonly timings: OpenTimings) {}

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return arrowRows<T>(await this.queryArrow(sql, params));
  }

  /** The result as Arrow, for callers that chart columns directly. */
  async queryArrow(sql: string, params: readonly SqlValue[] = []): Promise<Table> {
    const text = params.length === 0 ? sql : inlineParams(sql, params);
    const kept = text === null ? undefined : this.recurring(text);
    if (kept) return (await (await kept).query()) as unknown as Table;
    if (params.length === 0) return (await this.connection.query(sql)) as unknown as Table;
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.connection.prepare(sql)));
    return (await (await statement).query(...params)) as unknown as Table;
  }

  /** The prepared statement of a text seen before; undefined the first time (the text is remembered). */
  private recurring(text: string): Promise<duckdb.AsyncPreparedStatement> | undefined {
    let statement = this.prepared.get(text);
    if (statement) {
      // Most recently used last, so the least recently used is evicted first.
      this.prepared.delete(text);
      this.prepared.set(text, statement);
      return statement;
    }
    if (!this.seenOnce.has(text)) {
      if (this.seenOnce.size >= MAX_SEEN_ONCE) this.seenOnce.clear();
      this.seenOnce.add(text);
      return undefined;
    }
    this.seenOnce.delete(text);
    this.prepared.set(text, (statement = this.connection.prepare(text)));
    statement.catch(() => this.prepared.delete(text));
    if (this.prepared.size > MAX_PREPARED) {
      const [oldest, evicted] = this.prepared.entries().next().value!;
      this.prepared.delete(oldest);
      void evicted.then((s) => s.close()).catch(() => undefined);
    }
    return statement;
  }

  /** Replaces a table with the rows of an Arrow table. */
  async replaceTable(name: string, table: Table | Uint8Array): Promise<void> {
    await this.connection.query(`DROP TABLE IF EXISTS "${name.replaceAll('"', '""')}"`);
    // IPC bytes, not the Table: DuckDB-WASM bundles its own Apache Arrow (17), whose writer silently
    // writes nothing for a Table made by the site's Arrow (21), leaving no table at all. A file's bytes go
    // in as they are (ipcFileAsStream): decoding them into a Table and encoding that again costs time and
    // two more copies of the data (at a million persons, ~0.2 s and ~160 MB).
    const stream = table instanceof Uint8Array ? ipcFileAsStream(table) ?? tableToIPC(tableFromIPC(table), "stream") : tableToIPC(table, "stream");
    await this.connection.insertArrowFromIPCStream(stream, {name, create: true});
  }
}

let instance: Promise<{db: duckdb.AsyncDuckDB; instantiateMs: number}> | undefined;
let ingestQueue: Promise<unknown> = Promise.resolve();

/**
 * One DuckDB-WASM instance per page, started on first use (or by `preloadDuckDB`); no extension is ever
 * downloaded.
 */
function startDuckDB() {
  return (instance ??= (async () => {
    const started = performance.now();
    const bundle = await duckdb.selectBundle(bundles);
    const worker = new Worker(bundle.mainWorker!);
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker, (p) => {
      reportEngineProgress({loaded: p.bytesLoaded, total: p.bytesTotal});
    });
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
 * Starts fetching, compiling and opening DuckDB-WASM now, so that the page's later `openSandboxDb` finds it
 * ready or under way: instantiating takes about a second, and a page that waits until its charting
 * libraries have loaded before starting it adds their load time to the first result.
 */
export function preloadDuckDB(): void {
  // A failure here is reported by the openSandboxDb that awaits the same instance.
  startDuckDB().catch(() => undefined);
}

/**
 * Opens DuckDB-WASM and loads each source as a table. Sources are Arrow IPC files made by the
 * loaders (DuckDB-WASM 1.29 has no built-in Parquet reader and must not download one).
 */
export async function openSandboxDb(sources: Record<string, TableSource | Promise<TableSource | ArrayBuffer>>): Promise<SandboxDb> {
  const fetching = performance.now();
  let fetched = fetching;
  const [{db, instantiateMs}, tables] = await Promise.all([
    startDuckDB(),
    Promise.all(
      Object.entries(sources).map(async ([name, source]) => {
        const s = await source;
        return [name, s instanceof ArrayBuffer ? new Uint8Array(s) : "arrayBuffer" in s ? new Uint8Array(await s.arrayBuffer()) : s] as const;
      }),
    ).then((t) => ((fetched = performance.now()), t)),
  ]);
  const fetchMs = performance.now() - fetching;
  // One open at a time: two interleaved opens on the page's one instance both drop a table, then both
  // create it, and the second fails with "Table … already exists".
  const ingest = ingestQueue.then(async () => {
    const ingesting = performance.now();
    const connection = await db.connect();
    const sandbox = new SandboxDb(db, connection, {instantiateMs, fetchMs, ingestMs: 0});
    for (const [name, table] of tables) await sandbox.replaceTable(name, table);
    sandbox.timings.ingestMs = performance.now() - ingesting;
    return {sandbox, ingesting};
  });
  ingestQueue = ingest.catch(() => undefined);
  const {sandbox, ingesting} = await ingest;
  performance.measure("dpf:data-fetch", {start: fetching, end: fetched});
  performance.measure("dpf:ingest", {start: ingesting});
  return sandbox;
}
