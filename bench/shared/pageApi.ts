import type {GapAnswerRow, GapWorkload} from "./gapAnswer.js";
import type {Measured, RepeatOptions} from "./measure.js";
import type {ScenarioAnswer, ScenarioWorkload} from "./scenarioAnswer.js";

/**
 * What the benchmark page (bench/browser/main.ts) offers the Node driver, as `window.bench`. One page
 * runs one contender on one data size, so memory and long tasks belong to that contender alone.
 */

export const contenders = ["duckdb", "arquero", "typed"] as const;
export type Contender = (typeof contenders)[number];

export const workloadNames = ["gap", "scenario-cube", "scenario-raw"] as const;
export type WorkloadName = (typeof workloadNames)[number];

export interface LoadResult {
  /** Fetching the Arrow files (all three, in parallel with DuckDB's start for the duckdb contender). */
  fetchMs: number;
  /** duckdb: fetch + instantiate of the WebAssembly and worker (in parallel with the data fetch). */
  instantiateMs: number;
  /** Arrow → the contender's own form: DuckDB tables (ingest), Arquero tables, typed arrays. */
  prepareMs: number;
  /** Aggregating persons into the scenario's base rows once (the cube the "cube" workload runs on). */
  cubeMs: number;
  totalMs: number;
  bytes: number;
  /** duckdb: p50 of 20 `SELECT 1` round trips through SandboxDb.query (the floor under every query); 0 otherwise. */
  queryFloorMs: number;
}

export interface LongTasks {
  count: number;
  maxMs: number;
  totalMs: number;
}

export interface WorkloadResult extends Measured {
  longTasks: LongTasks;
  /** Max of performance.memory.usedJSHeapSize sampled after each run (main thread, MB). */
  jsHeapPeakMB: number | null;
}

export interface BenchPageApi {
  load(contender: Contender, dataUrl: string): Promise<LoadResult>;
  answers(gap: GapWorkload, scenario: ScenarioWorkload): Promise<{gap: GapAnswerRow[]; scenario: ScenarioAnswer}>;
  run(workload: WorkloadName, spec: {gap: GapWorkload; scenario: ScenarioWorkload}, repeat: RepeatOptions): Promise<WorkloadResult>;
  jsHeapMB(): number | null;
}
