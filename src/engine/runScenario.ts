import {BASES_TABLE, buildCube, CITY_BASES_TABLE, type Cube} from "./cube.js";
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

/** Columns of the two lever tables, in the order they are packed into their bound strings. */
const yearColumns = ["s", "year", "pvol", "pvol_prev", "rvol", "ramp", "ramp_prev"] as const;
const programmeColumns = ["s", "year", "pno", "price", "running", "share", "target"] as const;

/**
 * Packs lever rows into one bound string of numbers ("1,2026,1.01,…"). A few hundred `?` in a VALUES
 * list cost DuckDB more to plan than the whole recompute; one string parsed by `string_split` does not.
 * String(x) round-trips a double exactly, and so does DuckDB's cast back.
 */
function pack(rows: readonly (readonly number[])[]): string {
  return rows.map((r) => r.map(String).join(",")).join(",");
}

/** `SELECT` of a lever table unpacked from its bound string: one row per `width` numbers. */
function unpack(columns: readonly string[], integers: readonly string[]): string {
  const width = columns.length;
  const cols = columns.map((c, k) => (integers.includes(c) ? `CAST(v[i * ${width} + ${k + 1}] AS INTEGER) AS ${c}` : `v[i * ${width} + ${k + 1}] AS ${c}`));
  return `SELECT ${cols.join(", ")} FROM (SELECT CAST(string_split(?, ',') AS DOUBLE[]) AS v) p, range(CAST(? AS BIGINT)) t(i)`;
}

/** One step of a formula: a column name and its SQL over the columns before it; `X` stands for the set suffix. */
type Step = [name: string, sql: string];

/**
 * The formulas of each family of programme kinds, as steps written once for the scenario set (suffix
 * `_s`) and the comparison set (`_0`). Each family scans only its own base rows, so no row evaluates
 * the formulas of other kinds. Every family ends with cost, beneficiaries, covered, counted and units.
 */
const families: {kinds: readonly string[]; steps: Step[][]}[] = [
  {
    // Linear: per-resident funding, cash standards and one-off amounts.
    kinds: ["per_resident", "cash", "one_off"],
    steps: [
      [["counted", `${T("quantity")} * (CASE ${T("grows")} WHEN 'residents' THEN rvol_X WHEN 'persons' THEN pvol_X ELSE 1 END)`]],
      [["receiving", "counted_X * share_X"]],
      [
        ["cost", "receiving_X * price_X"],
        // Per-resident funding reaches the disabled persons of the community but covers no one new.
        ["beneficiaries", `CASE ${T("kind")} WHEN 'per_resident' THEN ${T("persons")} * pvol_X ELSE receiving_X END`],
        ["covered", `CASE ${T("kind")} WHEN 'per_resident' THEN 0 ELSE receiving_X END`],
        ["units", "0"],
      ],
    ],
  },
  {
    // Persons below a rate target, reached linearly by the target year.
    kinds: ["person_target"],
    steps: [
      [
        ["counted", `${T("quantity")} * pvol_X`],
        ["covered", `greatest(0, target_X * ${T("quantity")} * pvol_X - ${T("achieved")}) * ramp_X`],
        ["covered_before", `greatest(0, target_X * ${T("quantity")} * pvol_prev_X - ${T("achieved")}) * ramp_prev_X`],
      ],
      [["step", "greatest(0, covered_X - covered_before_X)"]],
      [
        ["cost", "step_X * price_X + covered_X * running_X"],
        // Running costs pay for everyone reached so far; a one-off cost only for those reached this year.
        ["beneficiaries", "CASE WHEN running_X > 0 THEN covered_X ELSE step_X END"],
        ["units", "0"],
      ],
    ],
  },
  {
    // Communities below a facility-rate target: a district equips ceil(target × communities) − equipped,
    // those with most of the programme's persons first; round() keeps 0.3 × 10 at 3.
    kinds: ["unit_target"],
    steps: [
      [
        ["counted", `CASE WHEN ${T("rank")} <= ceil(round(target_X * ${T("district_units")}, 9)) - ${T("district_have")} THEN 1 ELSE 0 END`],
        ["persons_now", `${T("persons")} * pvol_X`],
      ],
      [
        ["units", "counted_X * ramp_X"],
        ["units_step", "counted_X * (ramp_X - ramp_prev_X)"],
      ],
      [
        ["cost", "units_step_X * price_X + units_X * running_X"],
        ["beneficiaries", "(CASE WHEN running_X > 0 THEN units_X ELSE units_step_X END) * persons_now_X"],
        ["covered", "units_X * persons_now_X"],
      ],
    ],
  },
];

/** The nested SELECTs of one family over the joined rows, ending in the common result columns. */
function familySql(family: (typeof families)[number], from: string, keys: string): string {
  let sql = `SELECT * FROM ${from} WHERE ${T("kind")} IN (${family.kinds.map((k) => `'${k}'`).join(", ")})`;
  for (const step of family.steps) {
    const columns = ["s", "0"].flatMap((x) => step.map(([name, expr]) => `${expr.replaceAll("_X", `_${x}`)} AS ${name}_${x}`));
    sql = `SELECT *, ${columns.join(", ")} FROM (${sql})`;
  }
  const results = ["cost", "beneficiaries", "covered", "counted", "units"].flatMap((m) => [`${m}_s`, `${m}_0`]).join(", ");
  return `SELECT ${T("set")}, ${T("year")}, ${T("programme")}${keys}, ${results} FROM (${sql})`;
}

/**
 * The SQL and bound values computing lever sets 1…n against set 0 (the comparison, usually the
 * baseline), grouped by set, year and programme, and by community when `byCommunity`.
 */
export function scenarioSql(
  sets: readonly Levers[],
  programmeIds: readonly string[],
  options: {byCommunity?: boolean; programmes?: readonly string[]} = {},
): {sql: string; params: SqlValue[]} {
  if (sets.length < 2) throw new Error("scenarioSql needs a comparison set and at least one scenario set");
  const number = new Map(programmeIds.map((id, i) => [id, i]));
  const yearRows = sets.flatMap((levers, set) => levers.years.map((y) => [set, y.year, y.personVolume, y.personVolumePrev, y.residentVolume, y.ramp, y.rampPrev]));
  const programmeRows = sets.flatMap((levers, set) =>
    levers.programmes
      .filter((p) => !options.programmes || options.programmes.includes(p.programme))
      .map((p) => [set, p.year, number.get(p.programme)!, p.price, p.running, p.share, p.target]),
  );
  const keys = options.byCommunity ? `, ${T("community_code")}, ${T("district_code")}` : "";
  const leverCols = (x: string) =>
    ["price", "running", "share", "target", "pvol", "pvol_prev", "rvol", "ramp", "ramp_prev"].map((c) => `${x}.${c} AS ${c}_${x === "l" ? "s" : "0"}`).join(", ");
  const sql = `WITH yl AS (${unpack(yearColumns, ["s", "year"])}),
  pl AS (${unpack(programmeColumns, ["s", "year", "pno"])}),
  lev AS (SELECT pl.*, yl.pvol, yl.pvol_prev, yl.rvol, yl.ramp, yl.ramp_prev FROM pl JOIN yl ON yl.s = pl.s AND yl.year = pl.year),
  joined AS (
    SELECT b.*, l.s AS ${T("set")}, l.year AS ${T("year")}, ${leverCols("l")}, ${leverCols("l0")}
      FROM ${T(options.byCommunity ? BASES_TABLE : CITY_BASES_TABLE)} b
      JOIN lev l ON l.pno = b.${T("programme_no")} AND l.s > 0
      JOIN lev l0 ON l0.pno = b.${T("programme_no")} AND l0.s = 0 AND l0.year = l.year),
  computed AS (${families.map((f) => familySql(f, "joined", keys)).join(" UNION ALL ")})
SELECT ${T("set")}, ${T("year")}, ${T("programme")}${keys},
       sum(cost_s) AS ${T("cost")}, sum(cost_0) AS ${T("base_cost")},
       sum(beneficiaries_s) AS ${T("beneficiaries")}, sum(beneficiaries_0) AS ${T("base_beneficiaries")},
       sum(greatest(0, covered_s - covered_0)) AS ${T("newly_covered")},
       sum(counted_s) AS ${T("counted")}, sum(units_s) AS ${T("units")}
  FROM computed
 GROUP BY ALL
 ORDER BY ${T("set")}, ${T("year")}, ${T("programme")}${keys}`;
  return {sql, params: [pack(yearRows), yearRows.length, pack(programmeRows), programmeRows.length]};
}

/** Runs lever sets 1…n against set 0 on the cube. */
export async function computeSums(db: Queryable, model: Model, sets: readonly Levers[], options: {byCommunity?: boolean; programmes?: readonly string[]} = {}): Promise<LeverSums[]> {
  const {sql, params} = scenarioSql(sets, model.programmes.map((p) => p.id), options);
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
    baselineLevers: baselineLevers(model, scenario),
    problems: resolved.problems,
  };
}

const baselines = new WeakMap<Model, Map<string, Levers>>();

/** The baseline's levers for a scenario's base year and years, computed once per model. */
function baselineLevers(model: Model, scenario: Scenario): Levers {
  let cache = baselines.get(model);
  if (!cache) baselines.set(model, (cache = new Map()));
  const key = `${scenario.baseYear}:${scenario.years.join(",")}`;
  let levers = cache.get(key);
  if (!levers) cache.set(key, (levers = computeLevers(model.parameters, baselineOf(scenario), model.programmes)));
  return levers;
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
  const sums = await computeSums(db, model, [baselineLevers, levers]);
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
