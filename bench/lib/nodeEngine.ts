import {join} from "node:path";
import {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {gapQuery} from "../../src/engine/gapQuery.js";
import {prepareModel, runScenario, type Model} from "../../src/engine/runScenario.js";
import {quoteIdentifier} from "../../src/engine/sql.js";
import {gapAnswer, type GapAnswerRow, type GapWorkload} from "../shared/gapAnswer.js";
import {benchScenario, scenarioAnswer, type ScenarioAnswer, type ScenarioWorkload} from "../shared/scenarioAnswer.js";
import {measure, type Measured, type RepeatOptions} from "../shared/measure.js";

/**
 * The Node engine contender: the same engine modules over @duckdb/node-api, tables read from the
 * size's Parquet files, as `npm run simulate` and the tests run them.
 */

export interface NodeRun {
  threads: number;
  loadMs: number;
  cubeMs: number;
  answers: {gap: GapAnswerRow[]; scenario: ScenarioAnswer};
  workloads: Record<string, Measured>;
  rssPeakMB: number;
}

export async function openNodeCity(dir: string, threads: number): Promise<NodeDuckDB> {
  const db = await NodeDuckDB.open({threads});
  for (const table of ["units", "persons", "parameters"])
    await db.run(`CREATE TABLE ${quoteIdentifier(table)} AS SELECT * FROM read_parquet(?)`, [join(dir, `${table}.parquet`)]);
  return db;
}

/** The Node engine's answers to the gap workload and the scenario (with the model it built), as compared across contenders. */
export async function nodeAnswers(db: NodeDuckDB, workloads: {gap: GapWorkload; scenario: ScenarioWorkload}): Promise<{gap: GapAnswerRow[]; scenario: ScenarioAnswer; model: Model; cubeMs: number}> {
  const gap = gapAnswer((await gapQuery(db, workloads.gap)).rows);
  const t = performance.now();
  const model = await prepareModel(db);
  const cubeMs = performance.now() - t;
  const scenario = scenarioAnswer(model.cube, (await runScenario(db, benchScenario(workloads.scenario), {model})).rows);
  return {gap, scenario, model, cubeMs};
}

export async function runNodeEngine(dir: string, threads: number, workloads: {gap: GapWorkload; scenario: ScenarioWorkload}, repeat: RepeatOptions): Promise<NodeRun> {
  const t = performance.now();
  const db = await openNodeCity(dir, threads);
  const loadMs = performance.now() - t;
  try {
    const {gap, scenario, model, cubeMs} = await nodeAnswers(db, workloads);
    const results: Record<string, Measured> = {};
    results.gap = await measure(async () => void (await gapQuery(db, workloads.gap)), repeat);
    results["scenario-cube"] = await measure(async (i) => void (await runScenario(db, benchScenario(workloads.scenario, i), {model})), repeat);
    results["scenario-raw"] = await measure(async (i) => {
      const fresh = await prepareModel(db);
      await runScenario(db, benchScenario(workloads.scenario, i), {model: fresh});
    }, repeat);
    return {threads, loadMs, cubeMs, answers: {gap, scenario}, workloads: results, rssPeakMB: process.resourceUsage().maxRSS / 1024};
  } finally {
    db.close();
  }
}
