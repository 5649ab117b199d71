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
import {budgetCap, capTotals} from "../src/engine/budgetCap.js";
import {runScenario, totalsByYear, type ScenarioResult, type ScenarioRow} from "../src/engine/runScenario.js";
import {ScenarioError, scenarioFromJson} from "../src/engine/scenario.js";
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

async function main(argv: string[]): Promise<number> {
  const {values, positionals} = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {format: {type: "string", default: "json"}, levels: {type: "boolean", default: false}, data: {type: "string"}},
  });
  const format = values.format;
  if (positionals.length !== 1 || (format !== "json" && format !== "csv")) {
    process.stderr.write("usage: npm run simulate -- <scenario.json> [--format json|csv] [--levels] [--data <dir>]\n");
    return 2;
  }
  let loaded;
  try {
    loaded = scenarioFromJson(readFileSync(positionals[0]!, "utf8"));
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`${positionals[0]}: ${error.problems.map((p) => `${p.path}: ${p.message}`).join("\n  ")}\n`);
      return 1;
    }
    throw error;
  }
  const db = values.data ? await openDataDir(values.data) : await openDemoCity();
  try {
    const result = await runScenario(db, loaded.scenario);
    for (const problem of [...loaded.notes, ...result.problems]) process.stderr.write(`${positionals[0]}: ${problem.path}: ${problem.message}\n`);
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
