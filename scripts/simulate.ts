/**
 * Runs a budget scenario without a browser (预算情景命令行):
 *
 *   npm run simulate -- data/scenarios/raise-wubao.json [--format json|csv] [--levels] [--data <dir>]
 *
 * Prints totals per year and programme against the baseline: cost, baseline cost, difference, people
 * reached and newly covered, per resident and per beneficiary. The data are the demo city 示例市 and the
 * committed parameters (data/parameters), loaded through the same loaders as the site, unless `--data`
 * names a folder with units.parquet, persons.parquet and parameters.parquet. `--levels` adds the split
 * by funding level (中央/省/市/区县). A scenario with a yearly cap adds, in JSON, the cap's figures per
 * year from the engine's budgetCap (the cap covers all programme costs: scenario cost, committed
 * baseline charged first, room left for gaps, funded and unfunded gaps, cost beyond the cap, people
 * covered and left uncovered), as the sandbox page and the briefings show them. Problems go to stderr.
 * Problems go to stderr in Chinese, with the field they concern: unknown ids as notes; an invalid
 * file, or a value outside its parameter's bounds (src/engine/parameterBounds.ts), refuses the
 * scenario (exit code 1).
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {writeDemoCity} from "../loaders/demoCity/writeCity.js";
import {NodeDuckDB} from "../loaders/duckdbNode.js";
import {encodeDataset} from "../loaders/emit.js";
import {loadParameters} from "../loaders/parameters/loadParameters.js";
import {csvText} from "../loaders/publish/csv.js";
import {problemZh, type ParameterLabels} from "../src/components/sandbox/scenarioFormat.js";
import {budgetCap, capTotals} from "../src/engine/budgetCap.js";
import {provinceStandardRows} from "../loaders/reference/provinceStandards.js";
import {modelOf, runScenario, totalsByYear, type ScenarioResult, type ScenarioRow} from "../src/engine/runScenario.js";
import {ScenarioError, scenarioFromJson, type ScenarioProblem} from "../src/engine/scenario.js";
import {quoteIdentifier} from "../src/engine/sql.js";
import {parameters as parametersDataset} from "../src/schemas/parameters.js";

const tables = ["units", "persons", "parameters"] as const;

/** Opens DuckDB over a folder's units.parquet, persons.parquet and parameters.parquet. */
export async function openDataDir(dir: string): Promise<NodeDuckDB> {
  const db = await NodeDuckDB.open();
  for (const table of tables) {
    const path = join(dir, `${table}.parquet`).replaceAll("'", "''");
    await db.run(`CREATE TABLE ${quoteIdentifier(table)} AS SELECT * FROM read_parquet('${path}')`);
  }
  return db;
}

/** Writes the demo city and the committed parameters as Parquet into a temporary folder and opens it. */
export async function openDemoCity(): Promise<NodeDuckDB> {
  const dir = mkdtempSync(join(tmpdir(), "dpf-simulate-"));
  try {
    await writeDemoCity({outDir: dir, formats: ["parquet"]});
    writeFileSync(join(dir, "parameters.parquet"), await encodeDataset(parametersDataset, loadParameters(), "parquet"));
    return await openDataDir(dir);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** The columns printed per year and programme (and level). */
export const outputColumns = [
  "year",
  "programme",
  "programme_zh",
  "level",
  "cost_yuan",
  "baseline_cost_yuan",
  "delta_yuan",
  "beneficiaries",
  "newly_covered",
  "per_resident_yuan",
  "per_beneficiary_yuan",
  "cost_per_newly_covered",
] as const satisfies readonly (keyof ScenarioRow)[];

/** Rounds printed figures to the fen (0.01 yuan) and people to hundredths; the engine keeps full precision. */
function rounded(row: object, columns: readonly string[] = Object.keys(row)): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const value = (row as Record<string, unknown>)[column];
    out[column] = typeof value === "number" && column !== "year" ? Math.round(value * CENTS_PER_UNIT) / CENTS_PER_UNIT : value ?? null;
  }
  return out;
}
const CENTS_PER_UNIT = 100;

/** The rows the CLI prints: per year, each programme and then the year's total (programme `total`, 合计). */
export function outputRows(result: ScenarioResult, levels: boolean): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const totals = totalsByYear(result);
  for (const year of result.scenario.years) {
    for (const row of result.rows) if (row.year === year && (levels || row.level === "total")) rows.push({...row});
    const t = totals.find((x) => x.year === year)!;
    const residents = result.residents[year]!;
    rows.push({
      year,
      programme: "total",
      programme_zh: "合计",
      level: "total",
      cost_yuan: t.cost_yuan,
      baseline_cost_yuan: t.baseline_cost_yuan,
      delta_yuan: t.delta_yuan,
      newly_covered: t.newly_covered,
      per_resident_yuan: residents > 0 ? t.cost_yuan / residents : null,
      cost_per_newly_covered: t.newly_covered > 0 ? t.delta_yuan / t.newly_covered : null,
    });
  }
  return rows.map((row) => rounded(row, outputColumns));
}

/** A problem as stderr prints it: the file, the Chinese sentence, and the field it concerns. */
function problemLine(file: string, problem: ScenarioProblem, labels?: ParameterLabels): string {
  return `${file}：${problemZh(problem, labels)}（${problem.path}）\n`;
}

async function main(argv: string[]): Promise<number> {
  const {values, positionals} = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {format: {type: "string", default: "json"}, levels: {type: "boolean", default: false}, data: {type: "string"}},
  });
  const format = values.format;
  if (positionals.length !== 1 || (format !== "json" && format !== "csv")) {
    process.stderr.write("用法：npm run simulate -- <方案.json> [--format json|csv] [--levels] [--data <数据文件夹>]\n");
    return 2;
  }
  const file = positionals[0]!;
  let loaded;
  try {
    loaded = scenarioFromJson(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`${file}：方案无法读取。\n${error.problems.map((p) => `  ${problemLine(file, p)}`).join("")}`);
      return 1;
    }
    throw error;
  }
  const db = values.data ? await openDataDir(values.data) : await openDemoCity();
  try {
    // The provinces' own standards, so a scenario naming its province (本省现行标准) costs as on the sandbox.
    const model = {...(await modelOf(db)), provinces: provinceStandardRows()};
    let result;
    try {
      result = await runScenario(db, loaded.scenario, {model});
    } catch (error) {
      // The engine refuses a value outside its parameter's bounds.
      if (!(error instanceof ScenarioError)) throw error;
      process.stderr.write(`${file}：方案未测算。\n${error.problems.map((p) => `  ${problemLine(file, p, model.parameters)}`).join("")}`);
      return 1;
    }
    for (const problem of [...loaded.notes, ...result.problems]) process.stderr.write(problemLine(file, problem, model.parameters));
    const rows = outputRows(result, values.levels);
    if (format === "csv") process.stdout.write(csvText(outputColumns, rows));
    else {
      // A scenario with a yearly cap also gets the cap's figures per year (what is funded, who is left uncovered).
      const cap = loaded.scenario.cap ? capTotals(await budgetCap(db, loaded.scenario)).map((year) => rounded(year)) : undefined;
      process.stdout.write(`${JSON.stringify({scenario: result.scenario.name, problems: result.problems, residents: result.residents, rows, ...(cap ? {budget_cap: cap} : {})}, null, 2)}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
export {main};
