/**
 * The DuckDB-WASM version probe (npm run bench:duckdb-versions): opens DuckDB exactly as the site does
 * (sandboxDb.ts's openSandboxDb, no tables), says which DuckDB it is and which extensions it has, and
 * reads Parquet files served by the page's own origin with extension autoloading off — fetched by the
 * page and registered as buffers (as a FileAttachment would give them), or read by DuckDB's worker from
 * the URL. Driven from Node through `window.probe`; bundled with the version under test.
 */
import {openSandboxDb, type SandboxDb} from "../../src/components/shared/sandboxDb.js";
import {gapQuery} from "../../src/engine/gapQuery.js";
import {prepareModel, runScenario} from "../../src/engine/runScenario.js";
import {gapAnswer, type GapWorkload} from "../shared/gapAnswer.js";
import {measure, type Measured, type RepeatOptions} from "../shared/measure.js";
import type {ParquetRead, ProbeApi, ProbeOpen} from "../shared/probeApi.js";
import {benchScenario, scenarioAnswer, type ScenarioWorkload} from "../shared/scenarioAnswer.js";

/** DuckDBDataProtocol.HTTP: the worker reads the file from its URL (range requests where served). */
const HTTP_PROTOCOL = 4;

let sandbox: SandboxDb | undefined;

function opened(): SandboxDb {
  if (!sandbox) throw new Error("open first");
  return sandbox;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

async function columns(table: string): Promise<string[]> {
  const rows = await opened().query<{column_name: string; column_type: string}>(`DESCRIBE ${quoted(table)}`);
  return rows.map((r) => `${r.column_name} ${r.column_type}`);
}

const api: ProbeApi = {
  async open(): Promise<ProbeOpen> {
    sandbox = await openSandboxDb({});
    const [{version}] = await sandbox.query<{version: string}>("SELECT version() AS version");
    const extensions = await sandbox.query<{name: string; loaded: boolean; installed: boolean; mode: string | null}>(
      "SELECT extension_name AS name, loaded, installed, install_mode::VARCHAR AS mode FROM duckdb_extensions() WHERE loaded OR installed ORDER BY 1",
    );
    return {instantiateMs: sandbox.timings.instantiateMs, version: version!, extensions};
  },

  async readParquet(table, url, mode): Promise<ParquetRead> {
    const db = opened();
    const file = `${table}.${mode}.parquet`;
    const started = performance.now();
    try {
      let bytes = 0;
      if (mode === "buffer") {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        const data = new Uint8Array(await response.arrayBuffer());
        bytes = data.length;
        await db.db.registerFileBuffer(file, data);
      } else {
        await db.db.registerFileURL(file, new URL(url, location.href).href, HTTP_PROTOCOL, false);
      }
      const fetched = performance.now();
      await db.connection.query(`CREATE OR REPLACE TABLE ${quoted(table)} AS SELECT * FROM read_parquet(${literal(file)})`);
      const done = performance.now();
      const [{n}] = await db.query<{n: number}>(`SELECT count(*)::DOUBLE AS n FROM ${quoted(table)}`);
      await db.db.dropFile(file);
      return {table, mode, ok: true, bytes, fetchMs: fetched - started, ingestMs: done - fetched, rows: n!, columns: await columns(table)};
    } catch (error) {
      return {table, mode, ok: false, error: String((error as Error).message ?? error).split("\n")[0]!, fetchMs: 0, ingestMs: performance.now() - started, bytes: 0, rows: 0, columns: []};
    }
  },

  async autoload(url) {
    const db = opened();
    // Only here, to see what the site's setting prevents: DuckDB's own download of the extension.
    await db.connection.query("SET autoinstall_known_extensions = true");
    await db.connection.query("SET autoload_known_extensions = true");
    try {
      return await api.readParquet("autoload_probe", url, "buffer");
    } finally {
      await db.connection.query("SET autoinstall_known_extensions = false");
      await db.connection.query("SET autoload_known_extensions = false");
    }
  },

  async arrowColumns(table, url) {
    const response = await fetch(url);
    const name = `arrow_${table}`;
    await opened().replaceTable(name, new Uint8Array(await response.arrayBuffer()));
    const described = await columns(name);
    await opened().connection.query(`DROP TABLE ${quoted(name)}`);
    return described;
  },

  /** The benchmark's answers on the tables as read (from Parquet), as bench/browser/main.ts computes them on Arrow. */
  async answers(gap: GapWorkload, scenario: ScenarioWorkload) {
    const db = opened();
    const model = await prepareModel(db);
    return {gap: gapAnswer((await gapQuery(db, gap)).rows), scenario: scenarioAnswer(model.cube, (await runScenario(db, benchScenario(scenario, 0), {model})).rows)};
  },

  async gapTimings(gap: GapWorkload, repeat: RepeatOptions): Promise<Measured> {
    const db = opened();
    return measure(async () => void (await gapQuery(db, gap)), repeat);
  },
};

(window as unknown as {probe: ProbeApi}).probe = api;
document.body.dataset.ready = "true";
