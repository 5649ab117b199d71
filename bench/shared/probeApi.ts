import type {GapAnswerRow, GapWorkload} from "./gapAnswer.js";
import type {Measured, RepeatOptions} from "./measure.js";
import type {ScenarioAnswer, ScenarioWorkload} from "./scenarioAnswer.js";

/** What the DuckDB-WASM version probe (bench/browser/duckdbProbe.ts) offers the Node driver, as `window.probe`. */

export interface ProbeOpen {
  /** sandboxDb.ts's own instantiate time: worker start, .wasm fetched and compiled, database opened. */
  instantiateMs: number;
  /** `SELECT version()`: the DuckDB inside the WebAssembly. */
  version: string;
  /** Extensions loaded or installed right after opening (statically linked ones included). */
  extensions: {name: string; loaded: boolean; installed: boolean; mode: string | null}[];
}

/** `buffer`: the page fetches the file and registers the bytes; `url`: DuckDB's worker reads the URL itself. */
export type ParquetMode = "buffer" | "url";

export interface ParquetRead {
  table: string;
  mode: ParquetMode;
  ok: boolean;
  error?: string;
  /** Bytes the page fetched (buffer mode; 0 in url mode, where the worker reads what it needs). */
  bytes: number;
  /** Fetch and register (buffer) or register (url), ms. */
  fetchMs: number;
  /** `CREATE TABLE … AS SELECT * FROM read_parquet(…)`, ms (url mode: includes the worker's reads). */
  ingestMs: number;
  rows: number;
  /** `DESCRIBE`: "name TYPE" per column. */
  columns: string[];
}

export interface ProbeApi {
  open(): Promise<ProbeOpen>;
  readParquet(table: string, url: string, mode: ParquetMode): Promise<ParquetRead>;
  /** readParquet in buffer mode with extension autoloading and autoinstall on (then off again). */
  autoload(url: string): Promise<ParquetRead>;
  /** The column types DuckDB gives the same table ingested from its Arrow twin (as the site loads it now). */
  arrowColumns(table: string, url: string): Promise<string[]>;
  answers(gap: GapWorkload, scenario: ScenarioWorkload): Promise<{gap: GapAnswerRow[]; scenario: ScenarioAnswer}>;
  gapTimings(gap: GapWorkload, repeat: RepeatOptions): Promise<Measured>;
}
