import {buildCube, type ProgrammeUnanswerable, type Cube} from "./cube.js";
import {recomputeFamilies, type Family} from "./programmeKinds/index.js";
import {fundingLevels, parameterIds, programme as findProgramme, programmes as allProgrammes, type FundingLevel, type Programme} from "./programmes.js";
import type {Queryable, SqlValue} from "./queryable.js";
import type {Scenario, ScenarioProblem} from "./scenario.js";
import {baselineOf, computeLevers, scenarioParameters, type Levers} from "./scenarioLevers.js";
import type {ProvinceStandard} from "./provinceStandards.js";
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
  /** Provinces' own standards (本省现行标准) a scenario's `province` picks from; none unless the caller adds them. */
  provinces?: readonly ProvinceStandard[];
}

const models = new WeakMap<Queryable, Promise<Model>>();

/**
 * Builds the cube and reads the parameters (once per database; the page calls it after loading data).
 * Call it again after replacing `units`, `persons` or `parameters`: it rebuilds and replaces the memo.
 */
export function prepareModel(db: Queryable, progs: readonly Programme[] = allProgrammes): Promise<Model> {
  const model = (async () => {
    const cube = await buildCube(db, progs);
    await db.query(leverTableSql());
    return {cube, parameters: await loadParameters(db), programmes: progs};
  })();
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

/** Lever values each row pairs for the scenario set (`_s`) and the comparison set (`_0`). */
const leverValues = ["price", "running", "share", "target", "pvol", "pvol_prev", "rvol", "ramp", "ramp_prev"] as const;
/** Columns of the lever table, in the order their strings are bound. */
const leverColumns = ["s", "year", "pno", ...leverValues.map((v) => `${v}_s`), ...leverValues.map((v) => `${v}_0`)] as const;

/** A programme's lever values in one year of one set, in `leverValues` order. */
function leverRow(levers: Levers, year: number, programme: string): number[] {
  const y = levers.years.find((x) => x.year === year)!;
  const p = levers.programmes.find((x) => x.year === year && x.programme === programme)!;
  return [p.price, p.running, p.share, p.target, y.personVolume, y.personVolumePrev, y.residentVolume, y.ramp, y.rampPrev];
}

/**
 * A lever table as bound strings, one per column ("1,1,2,…"), unnested side by side in SQL. A few
 * hundred `?` in a VALUES list cost DuckDB more to plan than the whole recompute; a handful of strings
 * split by `string_split` do not. String(x) round-trips a double exactly, and so does DuckDB's cast back.
 */
function columnStrings(rows: readonly (readonly number[])[], width: number): string[] {
  return Array.from({length: width}, (_, k) => rows.map((r) => String(r[k])).join(","));
}

/** `SELECT` of a lever table from its column strings (bound in column order). */
function unpack(columns: readonly string[], integers: readonly string[]): string {
  const list = "CAST(string_split(?, ',') AS DOUBLE[])";
  return `SELECT ${columns.map((c) => (integers.includes(c) ? `CAST(unnest(${list}) AS INTEGER) AS ${c}` : `unnest(${list}) AS ${c}`)).join(", ")}`;
}

/**
 * The recompute families (programmeKinds/): the linear kinds in one pass, then each coverage target's own,
 * per community (every base row evaluated) or for city totals (coverage targets answered from small
 * summary tables, one group per programme, year and set, instead of one row per community).
 */
const communityFamilies = recomputeFamilies(true);
const cityFamilies = recomputeFamilies(false);

/** Result columns summed per set, year and programme. */
const sums = ["cost", "beneficiaries", "covered", "counted", "units"] as const;

/**
 * One family's recompute: its source rows, the steps as nested SELECTs, summed per set, year and
 * programme (and community). Per community the comparison set's columns (`_0`) come beside the
 * scenario's, so people newly covered are counted community by community (in computeSums).
 */
function familySql(family: Family, keys: readonly string[], byCommunity: boolean, suffixes: readonly string[]): string {
  // Each step's columns are written into the next steps' formulas, so the family is one SELECT over
  // its source: nested SELECTs of every column cost DuckDB far more to plan than to run.
  const defined = new Map<string, string>();
  const inline = (expr: string) => expr.replace(/\b([a-z_]+_X)\b/g, (name) => (defined.has(name) ? `(${defined.get(name)})` : name));
  for (const [name, expr] of family.steps.flat()) defined.set(`${name}_X`, inline(expr));
  const value = (name: string, x: string) => (defined.get(`${name}_X`) ?? `${name}_X`).replaceAll("_X", `_${x}`);
  const source = family.source(keys, byCommunity, suffixes);
  if (byCommunity) {
    // A base row is one community and programme, a lever row one set, year and programme: each joined
    // row is already one result, so nothing is grouped (grouping by unit code costs more than the rest).
    const columns = suffixes.flatMap((x) => sums.map((m) => `${value(m, x)} AS ${m}_${x}`));
    // Rows where nothing is spent or covered are left out: most communities already meet most targets.
    const where = family.changedOnly
      ? ` WHERE ${value("cost", "s")} <> ${value("cost", "0")}`
      : ` WHERE ${value("cost", "s")} <> 0 OR ${value("cost", "0")} <> 0 OR ${value("covered", "s")} <> ${value("covered", "0")}`;
    return `SELECT s, year, ${["pno", ...keys].join(", ")}, ${columns.join(", ")} FROM (${source})${where}`;
  }
  const totals = suffixes.flatMap((x) => sums.map((m) => `sum(${value(m, x)}) AS ${m}_${x}`));
  return `SELECT s, year, pno, ${totals.join(", ")} FROM (${source}) GROUP BY ALL`;
}

/** The table the levers of a recompute are written to (a few hundred numbers), read by the recompute query. */
export const LEVERS_TABLE = "scenario_levers";

/**
 * Lever rows: one per set, year and programme, `_s` columns from the set and `_0` columns from its
 * comparison (for the per-community recompute; the city recompute reads only `_s`).
 */
export function leverRows(sets: readonly {set: number; levers: Levers; comparison: Levers}[], programmeIds: readonly string[], only?: readonly string[]): number[][] {
  const number = new Map(programmeIds.map((id, i) => [id, i]));
  return sets.flatMap(({set, levers, comparison}) =>
    levers.programmes
      .filter((p) => !only || only.includes(p.programme))
      .map((p) => [set, p.year, number.get(p.programme)!, ...leverRow(levers, p.year, p.programme), ...leverRow(comparison, p.year, p.programme)]),
  );
}

/** Replaces the lever table's rows: one bound string per column, unnested side by side. */
export function leverInsertSql(rows: readonly (readonly number[])[]): {sql: string; params: SqlValue[]} {
  return {sql: `INSERT INTO ${T(LEVERS_TABLE)} ${unpack(leverColumns, ["s", "year", "pno"])}`, params: columnStrings(rows, leverColumns.length)};
}

/** Creates the (empty) lever table; prepareModel runs it once. */
export function leverTableSql(): string {
  const types = leverColumns.map((c) => `${c} ${["s", "year", "pno"].includes(c) ? "INTEGER" : "DOUBLE"}`);
  return `CREATE OR REPLACE TABLE ${T(LEVERS_TABLE)} (${types.join(", ")})`;
}

/**
 * The recompute over the lever table. Per community: each scenario set against the comparison beside
 * it, linear programmes only where their cost differs (a city has thousands of community rows that a
 * scenario leaves as they are). For the city: each set on its own (the comparison is one more set, computed once and kept).
 * It has no parameters and its text never changes, so a database can plan it once; the scenario
 * arrives through the lever table. (DuckDB plans a statement with bound parameters again on every
 * execution, which costs more than the recompute itself.)
 */
export function scenarioSql(options: {byCommunity?: boolean} = {}): string {
  const keys = options.byCommunity ? [T("community_code"), T("district_code")] : [];
  const suffixes = options.byCommunity ? ["s", "0"] : ["s"];
  const families = options.byCommunity ? communityFamilies : cityFamilies;
  return `WITH lev AS (SELECT * FROM ${T(LEVERS_TABLE)})
${families.map((f) => familySql(f, keys, !!options.byCommunity, suffixes)).join("\nUNION ALL ")}`;
}

/** Recomputes run one at a time per database: each writes the lever table, then reads the result. */
const queues = new WeakMap<Queryable, Promise<unknown>>();

/** Result rows in set, year, programme (and unit code) order, whatever order the database returns. */
function ordered(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const key = (r: Record<string, unknown>) => [Number(r.s), Number(r.year), Number(r.pno), String(r.community_code ?? "")] as const;
  return rows.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}

/**
 * A comment naming the lever table's shape (rows, first and last set), appended to the recompute's text.
 * The page's DuckDB-WASM adapter keeps a statement it sees again prepared, keyed by its text; a recompute
 * prepared over a lever table of one shape and run over another (prepared on one scenario set, run by the
 * sensitivity's forty) traps in DuckDB-WASM 1.29 with "RuntimeError: null function". With the shape in
 * the text, each shape gets its own prepared statement: a slider's recomputes still share one.
 */
function shapeComment(rows: readonly (readonly number[])[]): string {
  const sets = rows.map((r) => r[0]!);
  return `-- lever rows ${rows.length}, sets ${sets.length ? Math.min(...sets) : 0}-${sets.length ? Math.max(...sets) : 0}`;
}

async function recompute(db: Queryable, rows: readonly (readonly number[])[], options: {byCommunity?: boolean}): Promise<Record<string, unknown>[]> {
  const insert = leverInsertSql(rows);
  const run = async () => {
    await db.query(`DELETE FROM ${T(LEVERS_TABLE)}`);
    await db.query(insert.sql, insert.params);
    return ordered(await db.query<Record<string, unknown>>(`${scenarioSql(options)}\n${shapeComment(rows)}`));
  };
  const result = (queues.get(db) ?? Promise.resolve()).then(run, run);
  queues.set(db, result.catch(() => undefined));
  return result;
}

/**
 * Relative size below which the difference of two sums is rounding, not a change. DuckDB adds doubles
 * in no fixed order, so a programme the scenario leaves alone can come back 1e-14 people or 1e-10 yuan
 * off its baseline; a real change of one person or one fen is far above this share of any city total.
 */
export const ROUNDING_NOISE = 1e-9;

/** a − b, or exactly 0 when the two differ by rounding only (see ROUNDING_NOISE). */
export function difference(a: number, b: number): number {
  const d = a - b;
  // Infinity − x is Infinity, and Infinity ≤ 1e-9 × Infinity would call it rounding: a non-finite
  // difference is never rounding (and NaN stays NaN).
  if (!Number.isFinite(d)) return d;
  return Math.abs(d) <= ROUNDING_NOISE * Math.max(Math.abs(a), Math.abs(b)) ? 0 : d;
}

/**
 * A set's cost and people newly covered against its comparison: a cost equal to the comparison's up to
 * rounding is reported as the comparison's (so the difference is exactly 0, and "与基线相同" holds), and
 * people newly covered are max(0, covered − covered by the comparison) with rounding noise as 0.
 */
function compared(cost: number, baseCost: number, covered: number, baseCovered: number): Pick<LeverSums, "cost" | "base_cost" | "newly_covered"> {
  return {cost: difference(cost, baseCost) === 0 ? baseCost : cost, base_cost: baseCost, newly_covered: Math.max(0, difference(covered, baseCovered))};
}

/** City sums of a lever set, kept per levers object (the baseline's are computed once per model). */
const citySums = new WeakMap<Levers, Map<string, Record<string, unknown>[]>>();

/**
 * Runs lever sets 1…n against set 0 on the cube. City totals compare per programme and year; per
 * community (`byCommunity`) each community is compared with itself, so people newly covered are
 * counted community by community.
 */
export async function computeSums(
  db: Queryable,
  model: Model,
  sets: readonly Levers[],
  options: {byCommunity?: boolean; programmes?: readonly string[]; years?: readonly number[]} = {},
): Promise<LeverSums[]> {
  if (sets.length < 2) throw new Error("a recompute needs a comparison set and at least one scenario set");
  const ids = model.programmes.map((p) => p.id);
  const num = (r: Record<string, unknown>, c: string) => Number(r[c] ?? 0);
  if (options.byCommunity) {
    const rows = await recompute(
      db,
      leverRows(sets.slice(1).map((levers, i) => ({set: i + 1, levers, comparison: sets[0]!})), ids, options.programmes).filter((r) => !options.years || options.years.includes(r[1]!)),
      options,
    );
    return rows.map((r) => ({
      set: num(r, "s"),
      year: num(r, "year"),
      programme: ids[num(r, "pno")]!,
      community_code: String(r.community_code),
      district_code: String(r.district_code),
      ...compared(num(r, "cost_s"), num(r, "cost_0"), num(r, "covered_s"), num(r, "covered_0")),
      beneficiaries: num(r, "beneficiaries_s"),
      base_beneficiaries: num(r, "beneficiaries_0"),
      counted: num(r, "counted_s"),
      units: num(r, "units_s"),
    }));
  }
  // The comparison's sums are kept with its levers object unless only some programmes are asked for.
  const key = (options.programmes ?? []).join(",");
  let kept = options.programmes ? undefined : citySums.get(sets[0]!)?.get(key);
  const todo = sets.map((levers, set) => ({set, levers, comparison: levers})).filter((x) => x.set > 0 || !kept);
  const rows = await recompute(db, leverRows(todo, ids, options.programmes), options);
  if (!kept) {
    kept = rows.filter((r) => num(r, "s") === 0);
    if (!options.programmes) {
      const byKey = citySums.get(sets[0]!) ?? new Map<string, Record<string, unknown>[]>();
      byKey.set(key, kept);
      citySums.set(sets[0]!, byKey);
    }
  }
  const base = new Map(kept.map((r) => [`${num(r, "year")}:${num(r, "pno")}`, r]));
  return rows
    .filter((r) => num(r, "s") > 0)
    .map((r) => {
      const b = base.get(`${num(r, "year")}:${num(r, "pno")}`) ?? {};
      return {
        set: num(r, "s"),
        year: num(r, "year"),
        programme: ids[num(r, "pno")]!,
        ...compared(num(r, "cost_s"), num(b, "cost_s"), num(r, "covered_s"), num(b, "covered_s")),
        beneficiaries: num(r, "beneficiaries_s"),
        base_beneficiaries: num(b, "beneficiaries_s"),
        counted: num(r, "counted_s"),
        units: num(r, "units_s"),
      };
    });
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
  /** Programmes the data cannot cost (Cube.unanswerable), with why: left out of `rows`, not costed at 0. */
  unanswerable: ProgrammeUnanswerable[];
  levers: Levers;
  baselineLevers: Levers;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The levers of a scenario and of its baseline, with the scenario's problems. */
export function scenarioLevers(model: Model, scenario: Scenario): {levers: Levers; baselineLevers: Levers; problems: ScenarioProblem[]; parameters: ParameterSet} {
  const resolved = scenarioParameters(model.parameters, scenario, model.provinces);
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
  const key = `${scenario.baseYear}:${scenario.years.join(",")}:${scenario.province ?? ""}`;
  let levers = cache.get(key);
  const baseline = baselineOf(scenario);
  if (!levers) cache.set(key, (levers = computeLevers(scenarioParameters(model.parameters, baseline, model.provinces).parameters, baseline, model.programmes)));
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
  const unanswerable = model.cube.unanswerable ?? [];
  const cannot = new Set(unanswerable.map((u) => u.programme));
  const {rows: all, residents} = resultRows(model, levers, sums);
  const rows = cannot.size ? all.filter((r) => !cannot.has(r.programme)) : all;
  const dataProblems: ScenarioProblem[] = model.cube.orphanPersons
    ? [{path: "persons", message: `${model.cube.orphanPersons} persons live in no known community and are left out`}]
    : [];
  const shareProblems = levers.years
    .filter((y) => Math.abs(fundingLevels.reduce((s, l) => s + y.fundingShares[l], 0) - 1) > 1e-9)
    .map((y) => ({path: parameterIds.fundingShares, message: `funding shares of ${y.year} do not add up to 1`}));
  return {scenario, rows, residents, problems: [...problems, ...dataProblems, ...shareProblems], unanswerable, levers, baselineLevers};
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
