import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {z} from "zod";
import {fundingLevels} from "../../src/engine/programmes.js";
import {runScenario, type Model} from "../../src/engine/runScenario.js";
import {scenarioFromJson, type Scenario} from "../../src/engine/scenario.js";
import type {Queryable} from "../../src/engine/queryable.js";
import {column, dataset} from "../../src/schemas/column.js";
import {repositoryRoot} from "./settings.js";

/**
 * The `scenario_results` dataset (测算结果): every named scenario of data/scenarios/ run by the scenario
 * engine against its baseline on the published city, one row per scenario × year × programme × funding
 * level, as the sandbox page shows them.
 */

export const scenariosDir = join(repositoryRoot, "data", "scenarios");

const yuan = (zh: string, en: string, description: string) => column(z.number().finite(), {zh, en, unit: "CNY per year", description});
const nullableYuan = (zh: string, en: string, description: string) => column(z.number().finite().nullable(), {zh, en, unit: "CNY", description});

export const scenarioResultRow = z.object({
  scenario: column(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/), {zh: "情景文件", en: "Scenario file", description: "Name of the scenario file in data/scenarios/ without .json, e.g. raise-wubao."}),
  scenario_name: column(z.string(), {zh: "情景名称", en: "Scenario name", description: "The scenario's own name, as the planner wrote it."}),
  year: column(z.number().int(), {zh: "年度", en: "Year", description: "Simulated year."}),
  programme: column(z.string().min(1), {zh: "项目代码", en: "Programme", description: "Programme id of the scenario engine (src/engine/programmes.ts), e.g. wubao."}),
  programme_zh: column(z.string().min(1), {zh: "项目", en: "Programme (zh)", description: "Chinese name of the programme."}),
  level: column(z.enum(["total", ...fundingLevels]), {zh: "出资层级", en: "Funding level", description: "total 合计, or the share paid by central 中央, provincial 省级, city 市级 or district 区县级 funds."}),
  cost_yuan: yuan("测算成本", "Cost", "The scenario's cost of the programme in the year (this level's share)."),
  baseline_cost_yuan: yuan("基线成本", "Baseline cost", "The same under the baseline (current parameters)."),
  delta_yuan: yuan("比基线增加", "Difference from baseline", "cost_yuan − baseline_cost_yuan."),
  beneficiaries: column(z.number().finite(), {zh: "受益人数", en: "Beneficiaries", unit: "persons", description: "People the year's spending reaches (the same on every level's row)."}),
  newly_covered: column(z.number().finite(), {zh: "新增覆盖人数", en: "Newly covered", unit: "persons", description: "People covered in the scenario and not in the baseline."}),
  per_resident_yuan: column(z.number().finite(), {zh: "人均成本（常住人口）", en: "Cost per resident", unit: "CNY per resident per year", description: "cost_yuan ÷ projected residents of the city."}),
  per_beneficiary_yuan: nullableYuan("受益人人均成本", "Cost per beneficiary", "cost_yuan ÷ beneficiaries; null when nobody benefits."),
  cost_per_newly_covered: nullableYuan("新增覆盖人均成本", "Cost per newly covered person", "delta_yuan ÷ newly_covered; null when nobody is newly covered."),
});
export type ScenarioResultRow = z.infer<typeof scenarioResultRow>;

export const scenarioResults = dataset({
  name: "scenario_results",
  title: {zh: "预算情景测算结果", en: "Budget scenario results"},
  description: "Every scenario of data/scenarios/ against its baseline on the published city: cost, baseline, difference and people reached per year, programme and funding level.",
  row: scenarioResultRow,
  sortKey: ["scenario", "year", "programme", "level"],
});

/** A scenario file of data/scenarios/, parsed, migrated and validated. */
export interface ScenarioFile {
  /** File name without .json. */
  id: string;
  /** Path relative to the repository. */
  file: string;
  scenario: Scenario;
}

/** Reads one scenario file (`data/scenarios/<id>.json`). */
export function readScenarioFile(id: string, dir = scenariosDir): ScenarioFile {
  const path = join(dir, `${id}.json`);
  try {
    return {id, file: `data/scenarios/${id}.json`, scenario: scenarioFromJson(readFileSync(path, "utf-8")).scenario};
  } catch (error) {
    throw new Error(`data/scenarios/${id}.json: ${(error as Error).message}`);
  }
}

/** Every scenario file, by name. */
export function readScenarioFiles(dir = scenariosDir): ScenarioFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => readScenarioFile(f.slice(0, -".json".length), dir));
}

/** Runs scenario files on a database holding the city and parameters: the rows of scenario_results. */
export async function scenarioResultRows(db: Queryable, files: readonly ScenarioFile[], options: {model?: Model} = {}): Promise<ScenarioResultRow[]> {
  const rows: ScenarioResultRow[] = [];
  for (const {id, scenario} of files) {
    const result = await runScenario(db, scenario, options);
    for (const r of result.rows) rows.push({scenario: id, scenario_name: scenario.name, ...r});
  }
  return rows;
}
