import {BASES_TABLE, buildCube, type Cube} from "./cube.js";
import {fundingLevels, programme as findProgramme, programmes as allProgrammes, type FundingLevel, type Programme} from "./programmes.js";
import type {Queryable, SqlValue} from "./queryable.js";
import type {Scenario, ScenarioProblem} from "./scenario.js";
import {baselineOf, computeLevers, scenarioParameters, type Levers} from "./scenarioLevers.js";
import {loadParameters, type ParameterSet} from "./scenarioParameters.js";
import {quoteIdentifier as T} from "./sql.js";

/**
 * Runs a scenario on the cube: one SQL query over `scenario_bases` with the scenario's and the
 * baseline's levers bound as two small VALUES tables, giving cost, baseline cost, beneficiaries and
 * people newly covered per year × programme (× community when asked), then split by funding level.
 */

/** What stays the same between scenarios: the cube's totals and the baseline parameters. */
export interface Model {
  cube: Cube;
  parameters: ParameterSet;
  programmes: readonly Programme[];
}

const models = new WeakMap<Queryable, Promise<Model>>();

/**
 * Builds the cube and reads the parameters (once per database; the page calls it after loading data).
 * Call it again after replacing `units`, `persons` or `parameters`: it rebuilds and replaces the memo.
 */
export function prepareModel(db: Queryable, progs: readonly Programme[] = allProgrammes): Promise<Model> {
  const model = (async () => ({cube: await buildCube(db, progs), parameters: await loadParameters(db), programmes: progs}))();
  models.set(db, model);
  model.catch(() => models.delete(db));
  return model;
}

/** The model of a database, prepared on first use. */
export function modelOf(db: Queryable): Promise<Model> {
  return models.get(db) ?? prepareModel(db);
}

/** Raw sums of one lever set on one grouping key: what the SQL returns. */
export interface LeverSums {
  set: number;
  year: number;
  programme: string;
  community_code?: string;
  district_code?: string;
  cost: number;
  base_cost: number;
  beneficiaries: number;
  base_beneficiaries: number;
  newly_covered: number;
  /** Persons (or residents, posts) counted, after growth. */
  counted: number;
  /** unit_target: communities funded so far (cumulative, ramped). */
  units: number;
}

type LeverColumn = "price" | "running" | "share" | "target";
const leverColumns: readonly LeverColumn[] = ["price", "running", "share", "target"];
const yearColumns = ["pvol", "pvol_prev", "rvol", "ramp", "ramp_prev"] as const;

/** The per-row formulas of each kind, over base row `b` and levers `l` (programme) and `y` (year). */
function rowFormulas(l: string, y: string): {cost: string; beneficiaries: string; covered: string; counted: string; units: string} {
  const vol = `(CASE b.${T("grows")} WHEN 'residents' THEN ${y}.rvol WHEN 'persons' THEN ${y}.pvol ELSE 1 END)`;
  const counted = `b.${T("quantity")} * ${vol}`;
  const receiving = `${counted} * ${l}.share`;
  const coveredNow = `greatest(0, ${l}.target * b.${T("quantity")} * ${y}.pvol - b.${T("achieved")}) * ${y}.ramp`;
  const coveredBefore = `greatest(0, ${l}.target * b.${T("quantity")} * ${y}.pvol_prev - b.${T("achieved")}) * ${y}.ramp_prev`;
  const step = `greatest(0, ${coveredNow} - ${coveredBefore})`;
  // Communities a district must equip: ceil(target × communities) − equipped; round() keeps 0.3 × 10 at 3.
  const funded = `(CASE WHEN b.${T("rank")} <= ceil(round(${l}.target * b.${T("district_units")}, 9)) - b.${T("district_have")} THEN 1 ELSE 0 END)`;
  const unitsStock = `${funded} * ${y}.ramp`;
  const unitsStep = `${funded} * (${y}.ramp - ${y}.ramp_prev)`;
  const personsNow = `b.${T("persons")} * ${y}.pvol`;
  const kind = (parts: Record<"per_resident" | "cash" | "one_off" | "person_target" | "unit_target", string>) =>
    `(CASE b.${T("kind")} ${Object.entries(parts)
      .map(([k, v]) => `WHEN '${k}' THEN ${v}`)
      .join(" ")} END)`;
  return {
    cost: kind({
      per_resident: `${counted} * ${l}.price`,
      cash: `${receiving} * ${l}.price`,
      one_off: `${receiving} * ${l}.price`,
      person_target: `${step} * ${l}.price + ${coveredNow} * ${l}.running`,
      unit_target: `${unitsStep} * ${l}.price + ${unitsStock} * ${l}.running`,
    }),
    beneficiaries: kind({
      per_resident: personsNow,
      cash: receiving,
      one_off: receiving,
      // Running costs pay for everyone reached so far; a one-off cost only for those reached this year.
      person_target: `(CASE WHEN ${l}.running > 0 THEN ${coveredNow} ELSE ${step} END)`,
      unit_target: `(CASE WHEN ${l}.running > 0 THEN ${unitsStock} ELSE ${unitsStep} END) * ${personsNow}`,
    }),
    covered: kind({per_resident: "0", cash: receiving, one_off: receiving, person_target: coveredNow, unit_target: `${unitsStock} * ${personsNow}`}),
    counted: kind({per_resident: counted, cash: counted, one_off: counted, person_target: counted, unit_target: `${funded}`}),
    units: kind({per_resident: "0", cash: "0", one_off: "0", person_target: "0", unit_target: unitsStock}),
  };
}

/**
 * The SQL and bound values computing lever sets 1…n against set 0 (the comparison, usually the
 * baseline), grouped by set, year and programme, and by community when `byCommunity`.
 */
export function scenarioSql(sets: readonly Levers[], options: {byCommunity?: boolean; programmes?: readonly string[]} = {}): {sql: string; params: SqlValue[]} {
  if (sets.length < 2) throw new Error("scenarioSql needs a comparison set and at least one scenario set");
  const params: SqlValue[] = [];
  const yearRows: string[] = [];
  const programmeRows: string[] = [];
  sets.forEach((levers, set) => {
    for (const y of levers.years) {
      yearRows.push(`(${Array(2 + yearColumns.length).fill("?").join(", ")})`);
      params.push(set, y.year, y.personVolume, y.personVolumePrev, y.residentVolume, y.ramp, y.rampPrev);
    }
  });
  sets.forEach((levers, set) => {
    for (const p of levers.programmes) {
      if (options.programmes && !options.programmes.includes(p.programme)) continue;
      programmeRows.push(`(${Array(3 + leverColumns.length).fill("?").join(", ")})`);
      params.push(set, p.year, p.programme, ...leverColumns.map((c) => p[c]));
    }
  });
  // The first row of a VALUES list fixes its column types.
  yearRows[0] = `(CAST(? AS INTEGER), CAST(? AS INTEGER), ${yearColumns.map(() => "CAST(? AS DOUBLE)").join(", ")})`;
  programmeRows[0] = `(CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS VARCHAR), ${leverColumns.map(() => "CAST(? AS DOUBLE)").join(", ")})`;
  const s = rowFormulas("l", "y");
  const b0 = rowFormulas("l0", "y0");
  const keys = options.byCommunity ? `, b.${T("community_code")}, b.${T("district_code")}` : "";
  const sql = `WITH yl(${["s", "year", ...yearColumns].join(", ")}) AS (VALUES ${yearRows.join(", ")}),
  pl(${["s", "year", "programme", ...leverColumns].join(", ")}) AS (VALUES ${programmeRows.join(", ")})
SELECT l.s AS ${T("set")}, l.year AS ${T("year")}, l.programme AS ${T("programme")}${keys},
       sum(${s.cost}) AS ${T("cost")}, sum(${b0.cost}) AS ${T("base_cost")},
       sum(${s.beneficiaries}) AS ${T("beneficiaries")}, sum(${b0.beneficiaries}) AS ${T("base_beneficiaries")},
       sum(greatest(0, ${s.covered} - ${b0.covered})) AS ${T("newly_covered")},
       sum(${s.counted}) AS ${T("counted")}, sum(${s.units}) AS ${T("units")}
  FROM ${T(BASES_TABLE)} b
  JOIN pl l ON l.programme = b.${T("programme")} AND l.s > 0
  JOIN yl y ON y.s = l.s AND y.year = l.year
  JOIN pl l0 ON l0.programme = b.${T("programme")} AND l0.s = 0 AND l0.year = l.year
  JOIN yl y0 ON y0.s = 0 AND y0.year = l.year
 GROUP BY ALL
 ORDER BY ${T("set")}, ${T("year")}, ${T("programme")}${keys}`;
  return {sql, params};
}

/** Runs lever sets 1…n against set 0 on the cube. */
export async function computeSums(db: Queryable, sets: readonly Levers[], options: {byCommunity?: boolean; programmes?: readonly string[]} = {}): Promise<LeverSums[]> {
  const {sql, params} = scenarioSql(sets, options);
  const rows = await db.query<Record<string, unknown>>(sql, params);
  return rows.map((r) => ({
    set: Number(r.set),
    year: Number(r.year),
    programme: String(r.programme),
    ...(options.byCommunity ? {community_code: String(r.community_code), district_code: String(r.district_code)} : {}),
    cost: Number(r.cost),
    base_cost: Number(r.base_cost),
    beneficiaries: Number(r.beneficiaries),
    base_beneficiaries: Number(r.base_beneficiaries),
    newly_covered: Number(r.newly_covered),
    counted: Number(r.counted),
    units: Number(r.units),
  }));
}

/** One row of a scenario's result: a year, a programme and a funding level (or the total). */
export interface ScenarioRow {
  year: number;
  programme: string;
  programme_zh: string;
  /** "total" or the level paying this share (中央/省/市/区县). */
  level: FundingLevel | "total";
  cost_yuan: number;
  baseline_cost_yuan: number;
  delta_yuan: number;
  /** People the year's spending reaches (not split by level: the same on every level's row). */
  beneficiaries: number;
  /** People covered in the scenario and not in the baseline. */
  newly_covered: number;
  /** Cost per projected resident of the city. */
  per_resident_yuan: number;
  /** null when nobody benefits. */
  per_beneficiary_yuan: number | null;
  /** delta_yuan / newly_covered; null when nobody is newly covered. */
  cost_per_newly_covered: number | null;
}

export interface ScenarioResult {
  scenario: Scenario;
  rows: ScenarioRow[];
  /** Projected residents per year (the per-resident denominator). */
  residents: Record<number, number>;
  /** Ids the scenario names that the parameters or presets do not know, and data the cube left out. */
  problems: ScenarioProblem[];
  levers: Levers;
  baselineLevers: Levers;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The levers of a scenario and of its baseline, with the scenario's problems. */
export function scenarioLevers(model: Model, scenario: Scenario): {levers: Levers; baselineLevers: Levers; problems: ScenarioProblem[]; parameters: ParameterSet} {
  const resolved = scenarioParameters(model.parameters, scenario);
  return {
    parameters: resolved.parameters,
    levers: computeLevers(resolved.parameters, scenario, model.programmes),
    baselineLevers: computeLevers(model.parameters, baselineOf(scenario), model.programmes),
    problems: resolved.problems,
  };
}

/** Builds result rows (total and per funding level) from city-level sums. */
export function resultRows(model: Model, levers: Levers, sums: readonly LeverSums[]): {rows: ScenarioRow[]; residents: Record<number, number>} {
  const residents: Record<number, number> = {};
  for (const y of levers.years) residents[y.year] = model.cube.residents * y.residentVolume;
  const rows: ScenarioRow[] = [];
  for (const sum of sums) {
    const y = levers.years.find((x) => x.year === sum.year)!;
    const label = findProgramme(sum.programme).label.zh;
    const shares: [FundingLevel | "total", number][] = [["total", 1], ...fundingLevels.map((level): [FundingLevel, number] => [level, y.fundingShares[level]])];
    for (const [level, share] of shares) {
      const cost = sum.cost * share;
      const base = sum.base_cost * share;
      rows.push({
        year: sum.year,
        programme: sum.programme,
        programme_zh: label,
        level,
        cost_yuan: cost,
        baseline_cost_yuan: base,
        delta_yuan: cost - base,
        beneficiaries: sum.beneficiaries,
        newly_covered: sum.newly_covered,
        per_resident_yuan: ratio(cost, residents[sum.year]!) ?? 0,
        per_beneficiary_yuan: ratio(cost, sum.beneficiaries),
        cost_per_newly_covered: ratio(cost - base, sum.newly_covered),
      });
    }
  }
  return {rows, residents};
}

/**
 * Runs a scenario against its baseline: rows per year × programme × level ("total" and each funding
 * level). The cube is built on first use per database (see prepareModel).
 */
export async function runScenario(db: Queryable, scenario: Scenario, options: {model?: Model} = {}): Promise<ScenarioResult> {
  const model = options.model ?? (await modelOf(db));
  const {levers, baselineLevers, problems} = scenarioLevers(model, scenario);
  const sums = await computeSums(db, [baselineLevers, levers]);
  const {rows, residents} = resultRows(model, levers, sums);
  const dataProblems: ScenarioProblem[] = model.cube.orphanPersons
    ? [{path: "persons", message: `${model.cube.orphanPersons} persons live in no known community and are left out`}]
    : [];
  const shareProblems = levers.years
    .filter((y) => Math.abs(fundingLevels.reduce((s, l) => s + y.fundingShares[l], 0) - 1) > 1e-9)
    .map((y) => ({path: "assumption.funding_share", message: `funding shares of ${y.year} do not add up to 1`}));
  return {scenario, rows, residents, problems: [...problems, ...dataProblems, ...shareProblems], levers, baselineLevers};
}

/** Totals per year over all programmes (level "total" rows summed), for a headline table. */
export function totalsByYear(result: ScenarioResult): {year: number; cost_yuan: number; baseline_cost_yuan: number; delta_yuan: number; newly_covered: number}[] {
  return result.scenario.years.map((year) => {
    const rows = result.rows.filter((r) => r.year === year && r.level === "total");
    const cost = rows.reduce((s, r) => s + r.cost_yuan, 0);
    const base = rows.reduce((s, r) => s + r.baseline_cost_yuan, 0);
    return {year, cost_yuan: cost, baseline_cost_yuan: base, delta_yuan: cost - base, newly_covered: rows.reduce((s, r) => s + r.newly_covered, 0)};
  });
}
