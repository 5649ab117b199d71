/**
 * The benchmark page: one contender (DuckDB-WASM through the real engine, Arquero, or typed-array
 * loops) over one size of the demo city, driven from Node through `window.bench` (bench/run.ts).
 * Bundled by esbuild with the engine modules and DuckDB-WASM from node_modules; no CSP, so Arquero's
 * expression compiler can run.
 */
import {tableFromIPC, type Table} from "apache-arrow";
import {openSandboxDb, type SandboxDb} from "../../src/components/shared/sandboxDb.js";
import {gapQuery} from "../../src/engine/gapQuery.js";
import {programmes} from "../../src/engine/programmes.js";
import {prepareModel, runScenario, type Model} from "../../src/engine/runScenario.js";
import {arqueroBases, arqueroCity, arqueroGap, arqueroSums, type ArqueroBases, type ArqueroCity} from "../shared/arqueroCity.js";
import {gapAnswer, type GapAnswerRow, type GapWorkload} from "../shared/gapAnswer.js";
import {measure, percentile} from "../shared/measure.js";
import type {BenchPageApi, Contender, LoadResult, LongTasks, WorkloadResult} from "../shared/pageApi.js";
import {benchModel, benchScenario, parameterSetFromArrow, scenarioAnswer, scenarioWithSums, type ScenarioAnswer, type ScenarioWorkload} from "../shared/scenarioAnswer.js";
import {parameterValues, typedCity, type TypedCity} from "../shared/typedCity.js";
import {typedGap} from "../shared/typedGap.js";
import {typedBases, typedSums, type TypedBases} from "../shared/typedScenario.js";

/** Every long task (> 50 ms on the main thread) since the page opened. */
const longTasks: PerformanceEntry[] = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({type: "longtask", buffered: true});

function longTasksBetween(start: number, end: number): LongTasks {
  const tasks = longTasks.filter((t) => t.startTime >= start && t.startTime <= end);
  return {count: tasks.length, maxMs: Math.max(0, ...tasks.map((t) => t.duration)), totalMs: tasks.reduce((s, t) => s + t.duration, 0)};
}

function jsHeapMB(): number | null {
  const memory = (performance as unknown as {memory?: {usedJSHeapSize: number}}).memory;
  return memory ? memory.usedJSHeapSize / 2 ** 20 : null;
}

/** What a contender does with the two workloads, after loading. */
interface Runner {
  gap(workload: GapWorkload): Promise<GapAnswerRow[]>;
  /** Recompute on the base rows built once at load. */
  scenarioCube(workload: ScenarioWorkload, repetition: number): Promise<ScenarioAnswer>;
  /** Rebuild the base rows from persons, then recompute. */
  scenarioRaw(workload: ScenarioWorkload, repetition: number): Promise<ScenarioAnswer>;
}

let runner: Runner | undefined;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A FileAttachment-like source for openSandboxDb, fetched from the bench server. */
function attachment(url: string): SandboxFileAttachment {
  return {
    name: url,
    href: url,
    arrayBuffer: async () => (await fetchBytes(url)).buffer as ArrayBuffer,
    json: async () => (await fetch(url)).json(),
    text: async () => (await fetch(url)).text(),
  };
}

async function loadDuckDB(dataUrl: string, result: LoadResult): Promise<Runner> {
  const db: SandboxDb = await openSandboxDb({
    units: attachment(`${dataUrl}units.arrow`),
    persons: attachment(`${dataUrl}persons.arrow`),
    parameters: attachment(`${dataUrl}parameters.arrow`),
  });
  result.instantiateMs = db.timings.instantiateMs;
  result.fetchMs = db.timings.fetchMs;
  result.prepareMs = db.timings.ingestMs;
  const floor: number[] = [];
  for (let i = 0; i < 20; i++) {
    const s = performance.now();
    await db.query("SELECT 1 AS one");
    floor.push(performance.now() - s);
  }
  result.queryFloorMs = percentile(floor.sort((a, b) => a - b), 50);
  const t = performance.now();
  let model: Model = await prepareModel(db);
  result.cubeMs = performance.now() - t;
  return {
    gap: async (w) => gapAnswer((await gapQuery(db, w)).rows),
    scenarioCube: async (w, i) => scenarioAnswer(model.cube, (await runScenario(db, benchScenario(w, i), {model})).rows),
    scenarioRaw: async (w, i) => {
      model = await prepareModel(db);
      return scenarioAnswer(model.cube, (await runScenario(db, benchScenario(w, i), {model})).rows);
    },
  };
}

async function fetchTables(dataUrl: string, result: LoadResult): Promise<Record<"units" | "persons" | "parameters", Uint8Array>> {
  const t = performance.now();
  const [units, persons, parameters] = await Promise.all(["units", "persons", "parameters"].map((n) => fetchBytes(`${dataUrl}${n}.arrow`)));
  result.fetchMs = performance.now() - t;
  return {units: units!, persons: persons!, parameters: parameters!};
}

async function loadTyped(dataUrl: string, result: LoadResult): Promise<Runner> {
  const bytes = await fetchTables(dataUrl, result);
  let t = performance.now();
  const tables: Record<"units" | "persons" | "parameters", Table> = {units: tableFromIPC(bytes.units), persons: tableFromIPC(bytes.persons), parameters: tableFromIPC(bytes.parameters)};
  const city: TypedCity = typedCity(tables);
  const parameters = parameterSetFromArrow(tables.parameters);
  result.prepareMs = performance.now() - t;
  t = performance.now();
  let bases: TypedBases = typedBases(city, programmes);
  result.cubeMs = performance.now() - t;
  const run = (w: ScenarioWorkload, i: number) => {
    const model = benchModel(bases.cube, parameters);
    return scenarioAnswer(bases.cube, scenarioWithSums(model, benchScenario(w, i), (sets) => typedSums(bases, sets)).rows);
  };
  return {
    gap: async (w) => typedGap(city, w),
    scenarioCube: async (w, i) => run(w, i),
    scenarioRaw: async (w, i) => {
      bases = typedBases(city, programmes);
      return run(w, i);
    },
  };
}

async function loadArquero(dataUrl: string, result: LoadResult): Promise<Runner> {
  const bytes = await fetchTables(dataUrl, result);
  let t = performance.now();
  const parametersTable = tableFromIPC(bytes.parameters);
  const city: ArqueroCity = arqueroCity({units: bytes.units, persons: bytes.persons}, parameterValues(parametersTable));
  const parameters = parameterSetFromArrow(parametersTable);
  result.prepareMs = performance.now() - t;
  t = performance.now();
  let bases: ArqueroBases = arqueroBases(city, programmes);
  result.cubeMs = performance.now() - t;
  const run = (w: ScenarioWorkload, i: number) => {
    const model = benchModel(bases.cube, parameters);
    return scenarioAnswer(bases.cube, scenarioWithSums(model, benchScenario(w, i), (sets) => arqueroSums(bases, sets)).rows);
  };
  return {
    gap: async (w) => arqueroGap(city, w),
    scenarioCube: async (w, i) => run(w, i),
    scenarioRaw: async (w, i) => {
      bases = arqueroBases(city, programmes);
      return run(w, i);
    },
  };
}

const loaders: Record<Contender, (dataUrl: string, result: LoadResult) => Promise<Runner>> = {duckdb: loadDuckDB, typed: loadTyped, arquero: loadArquero};

const api: BenchPageApi = {
  async load(contender, dataUrl) {
    const started = performance.now();
    const result: LoadResult = {fetchMs: 0, instantiateMs: 0, prepareMs: 0, cubeMs: 0, totalMs: 0, bytes: 0, queryFloorMs: 0};
    runner = await loaders[contender](dataUrl, result);
    result.totalMs = performance.now() - started;
    result.bytes = performance
      .getEntriesByType("resource")
      .filter((e) => e.name.startsWith(new URL(dataUrl, location.href).href))
      .reduce((s, e) => s + ((e as PerformanceResourceTiming).encodedBodySize || 0), 0);
    return result;
  },
  async answers(gap, scenario) {
    if (!runner) throw new Error("load first");
    return {gap: await runner.gap(gap), scenario: await runner.scenarioCube(scenario, 0)};
  },
  async run(workload, spec, repeat): Promise<WorkloadResult> {
    const r = runner;
    if (!r) throw new Error("load first");
    let heapPeak = jsHeapMB();
    const sample = () => {
      const h = jsHeapMB();
      if (h !== null && (heapPeak === null || h > heapPeak)) heapPeak = h;
    };
    const start = performance.now();
    const measured = await measure(async (i) => {
      if (workload === "gap") await r.gap(spec.gap);
      else if (workload === "scenario-cube") await r.scenarioCube(spec.scenario, i);
      else await r.scenarioRaw(spec.scenario, i);
      sample();
    }, repeat);
    // Long tasks are reported a little after they end: give the observer a frame.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return {...measured, longTasks: longTasksBetween(start, performance.now()), jsHeapPeakMB: heapPeak};
  },
  jsHeapMB,
};

(window as unknown as {bench: BenchPageApi}).bench = api;
document.body.dataset.ready = "true";
