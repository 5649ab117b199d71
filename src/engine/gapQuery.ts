import type {UnitLevel} from "../schemas/units.js";
import {parametersInForce, yearEnd, type ParameterInForce} from "./gapParameters.js";
import {indicatorAnswerability, type Answer} from "./answerability.js";
import {and, below, conditionDimension, conditionSql, ident, inList, measureSql, personConditionSql, roundStandard, shortfallSql, sql, type Sql} from "./gapSql.js";
import {cannotAnswerFigures, notReportedFigures, gapContext, gapLevels, gapFigures, gapRollup, rankByGap, sortGapRows, type GapContext, type GapCostInfo, type GapCounts, type GapFigures, type GapRollup, type GapSort, type GapStatus} from "./gapFigures.js";
import {indicatorById, indicatorParameterIds, type Indicator, type IndicatorId} from "./indicators.js";
import {personCountSlices, PERSON_COUNTS_TABLE, type SliceInfo} from "./personCounts.js";
import type {Queryable} from "./queryable.js";

/**
 * The coverage-gap query (覆盖缺口查询): for one indicator, every unit at a level with its eligible count,
 * achieved count and rate, the target in force, the gap in people (or communities) and what closing it
 * costs. Counts are summed up the hierarchy and divided last (population-weighted), never averaged.
 *
 * Rules, spelled out:
 * - achieved_rate = achieved ÷ reported, where reported = eligible − missing (status unknown). A unit with
 *   no reported row has achieved_rate null and status "all_missing"; it is returned, never dropped.
 * - A unit with no eligible row has status "no_eligible", achieved_rate null and gap 0.
 * - A share-of-communities target (80% of communities have a room) is judged from streets up: a single
 *   community has status "area_target", its achieved rate 0 or 1, target and gap null.
 * - target = the target parameter in force on 31 December of `year` (1 for standards every unit must meet).
 *   No value in force → status "no_target", gap null.
 * - gap_rate = max(0, target − achieved_rate); gap_count = ⌈eligible × gap_rate⌉, the people (or
 *   communities) still to reach, estimating the unreported by the reported rate. meets_target ⇔ gap 0.
 * - Roll-up, two figures named apart (one definition, `gapRollup`):
 *   本级缺口 (a unit's own gap, gap_count / gap_cost_yuan) is computed from the unit's own summed counts
 *   against the target, so within a district a street above target offsets another's shortfall;
 *   下级缺口合计 (children_gap_count / children_gap_cost_yuan) is the sum of its children's own gaps (the
 *   next level down; nothing offsets), what closing every child's gap takes. A unit shows the same two
 *   figures in its parent's table and on its own page (gapSummary: total = 本级, gross = Σ of the units
 *   shown, its children when they are the next level).
 * - Status, first that applies: no_eligible, all_missing, area_target, no_target, ok.
 * - Cannot answer: when the persons at hand (person_counts' slices: a published cube, or a city given as
 *   counts per community) do not split by what the indicator and its filters read (screened by category
 *   from counts that give only a screening total), `answer` is {answerable: false, reason_zh} and `rows`
 *   is empty; gapSummary's total has status "cannot_answer" and every figure null. Never a zero.
 * - Cost: see `CostRule` in indicators.ts, rounded to the fen; a missing cost parameter gives null with
 *   a reason, never 0.
 */

export type GapLevel = UnitLevel;

export {gapLevels, gapRollup, meetsRate, sortGapRows, type GapCostInfo, type GapCounts, type GapFigures, type GapRollup, type GapSort, type GapStatus} from "./gapFigures.js";

export interface GapOptions {
  indicator: IndicatorId | string;
  level: GapLevel;
  /** Only units below this unit (any ancestor); omitted → the whole city. */
  parent?: string | null;
  year: number;
  /** Disability categories to count (person indicators only); omitted or empty → all. */
  categories?: readonly string[];
  /** Disability grades 1–4 to count (person indicators only); omitted or empty → all. */
  grades?: readonly number[];
  /** Row order; default "gap" (largest gap first). */
  sort?: GapSort;
}



export interface GapRow extends GapFigures {
  unit_code: string;
  unit_name: string;
  level: GapLevel;
  parent_code: string | null;
  residents: number;
  /** 下级缺口合计: Σ of the own gaps of the unit's children (the next level, same filters); null at community level. */
  children_gap_count: number | null;
  /** Σ of the children's gap costs (gapRollup's rule); null at community level or when one cannot be priced. */
  children_gap_cost_yuan: number | null;
  /** Competition rank by gap_count, largest first (1, 2, 2, 4); null when the gap is unknown. */
  rank: number | null;
  /**
   * Communities of the unit with persons that did not report what the indicator reads (未填报: no column, or
   * a blank cell) — who is eligible, or the status of every eligible person: left out of the rate. When no
   * community reported who is eligible, the status is "not_reported": rate and gap null, never 0.
   */
  communities_not_reported: number;
}


export interface GapResult {
  indicator: Indicator;
  level: GapLevel;
  parent: string | null;
  year: number;
  /** The date parameters are read at (31 December of `year`). */
  as_of: string;
  /** The target parameter in force; null for "every" targets or when none is in force. */
  target: ParameterInForce | null;
  /** The target share every row is compared with (1 for "every"); null when none is in force or it does not apply at this level. */
  target_value: number | null;
  /** False below the indicator's `targetFrom` level (a share-of-communities target at community level). */
  target_applies: boolean;
  /** The standard an `at_least` indicator measures against (e.g. 30 m²); null otherwise or when missing. */
  standard: ParameterInForce | null;
  cost: GapCostInfo;
  /** The filters applied; `applies` is false for facility indicators, which count communities. */
  filters: {categories: string[]; grades: number[]; applies: boolean};
  /**
   * Persons (city-wide) in pooled rows of the persons_cube slice this query counted from: counted in
   * community totals, with category, grade, age band and status unknown. 0 over person rows.
   */
  persons_pooled: number;
  /** Whether the persons at hand answer the question; when not, why (zh) and the count columns it needs. */
  answer: Answer;
  rows: GapRow[];
}

/** The level below a level, for drill-down; null below communities. */
export function childLevel(level: GapLevel): GapLevel | null {
  const i = gapLevels.indexOf(level);
  return i >= 0 && i < gapLevels.length - 1 ? gapLevels[i + 1] : null;
}

function checkLevel(level: string): GapLevel {
  if (!(gapLevels as readonly string[]).includes(level)) throw new Error(`unknown level ${JSON.stringify(level)}; known: ${gapLevels.join(", ")}`);
  return level as GapLevel;
}

function checkFilters(options: Pick<GapOptions, "categories" | "grades">): {categories: string[]; grades: number[]} {
  const categories = [...(options.categories ?? [])];
  const grades = [...(options.grades ?? [])];
  for (const c of categories) if (typeof c !== "string") throw new Error(`category filter values must be strings, got ${JSON.stringify(c)}`);
  for (const g of grades) if (!Number.isInteger(g)) throw new Error(`grade filter values must be integers, got ${JSON.stringify(g)}`);
  return {categories, grades};
}

/** The code of a community's ancestor at `level` (aliases: c = the community, d = its district). */
function ancestorKey(level: GapLevel): Sql {
  switch (level) {
    case "community":
      return ident("c", "unit_code");
    case "street":
      return ident("c", "street_code");
    case "district":
      return ident("c", "district_code");
    case "city":
      return ident("d", "parent_code");
  }
}

/**
 * Counts per community for an indicator: persons (or the community row itself) that are eligible, achieved,
 * missing, and their shortfall. Aggregating by community first keeps the big table's work to one scan
 * and one small group-by; with `inScope`, only communities in the `scope` CTE are read. Persons are
 * counted from `person_counts` (personCounts.ts) as sum(persons) over the slice `slice` (null: no slice
 * covers the question, nothing is counted); communities row by row. `byCell`: per community, category and
 * grade (persons only), with the rows counted (`cell_rows`), for the split count tables.
 */
function perCommunitySql(indicator: Indicator, standard: number | null, filters: {categories: string[]; grades: number[]}, inScope: boolean, slice: string | null, byCell = false): Sql {
  const x = "x";
  const people = indicator.counts === "people";
  const [table, community] = people ? [PERSON_COUNTS_TABLE, "community_code"] : ["units", "unit_code"];
  // Persons: every row of the community in the slice is read, the eligible ones counted by FILTER, so a
  // community whose eligibility is unknown for all its persons (未填报) is told from one with none eligible.
  const eligibleWhere: Sql[] = people ? indicator.eligible.map((c) => personConditionSql(x, c)) : [];
  const where: Sql[] = people ? [] : indicator.eligible.map((c) => conditionSql(x, c));
  if (people) where.push(slice === null ? sql`FALSE` : sql`${ident(x, "slice")} = ${slice}`);
  else where.push(sql`${ident(x, "level")} = ${"community"}`);
  if (filters.categories.length) where.push(sql`${ident(x, "category")} IN (${inList(filters.categories)})`);
  if (filters.grades.length) where.push(sql`${ident(x, "grade")} IN (${inList(filters.grades)})`);
  if (inScope) where.push(sql`${ident(x, community)} IN (SELECT community_code FROM scope)`);
  const achieved = measureSql(x, indicator.achieved, standard);
  const eligible = eligibleWhere.length ? and(eligibleWhere) : null;
  const within = (filter: Sql): Sql => (eligible ? and([eligible, filter]) : filter);
  const tally = (filter: Sql | null): Sql => {
    if (!people) return filter ? sql`count(*) FILTER (WHERE ${filter})` : sql`count(*)`;
    return filter ? sql`coalesce(sum(${ident(x, "persons")}) FILTER (WHERE ${filter}), 0)` : sql`sum(${ident(x, "persons")})`;
  };
  // Whose eligibility is known: every flag the eligibility reads is not null (a true or a false). An age
  // range is not asked: counts give one age band, and persons outside it have no band, known or not.
  const dims = [...new Set(people ? indicator.eligible.filter((c) => !("between" in c)).map((c) => conditionDimension(c)) : [])];
  const known = dims.length ? and(dims.map((d) => sql`${ident(x, d)} IS NOT NULL`)) : sql`TRUE`;
  const cell = people && byCell ? sql`${ident(x, "category")} AS category, ${ident(x, "grade")} AS grade, count(*) AS cell_rows,` : sql``;
  const cellKeys = people && byCell ? sql`, ${ident(x, "category")}, ${ident(x, "grade")}` : sql``;
  return sql`SELECT ${ident(x, community)} AS community_code, ${cell}
        ${tally(eligible)} AS eligible,
        ${tally(within(sql`(${achieved}) IS TRUE`))} AS achieved_count,
        ${tally(within(sql`(${achieved}) IS NULL`))} AS missing,
        sum(${shortfallSql(x, indicator.achieved, standard)}) FILTER (WHERE ${within(sql`(${achieved}) IS FALSE`)}) AS shortfall,
        ${people ? sql`coalesce(bool_or(${known}) FILTER (WHERE ${ident(x, "persons")} > 0), FALSE)` : sql`TRUE`} AS eligibility_known
      FROM ${ident(table)} AS ${ident(x)}
      WHERE ${and(where)}
      GROUP BY ${ident(x, community)}${cellKeys}`;
}

export {indicatorDimensions} from "./answerability.js";

/**
 * A community that did not report (未填报) what the indicator reads: the eligibility of none of its persons
 * is known (no 有康复需求 count, a blank cell), or the status of none of its eligible persons (no 已筛查).
 */
function notReported(p: string): Sql {
  return sql`(NOT ${ident(p, "eligibility_known")} OR (${ident(p, "eligible")} > 0 AND ${ident(p, "missing")} = ${ident(p, "eligible")}))`;
}

interface RawGapRow extends GapCounts {
  [key: string]: unknown;
  unit_code: string;
  unit_name: string;
  level: GapLevel;
  parent_code: string | null;
  residents: number;
  communities_not_reported: number;
  communities_eligibility_unknown: number;
  communities_counted: number;
}

/** The SQL for the counts of every unit at a level (below `parent`). */
function gapCountsSql(
  indicator: Indicator,
  level: GapLevel,
  parent: string | null,
  standard: number | null,
  filters: {categories: string[]; grades: number[]},
  slice: string | null,
  counted: Sql | null,
): Sql {
  const scopeWhere: Sql[] = [sql`c.level = ${"community"}`];
  const unitWhere: Sql[] = [sql`u.level = ${level}`];
  if (parent !== null) {
    scopeWhere.push(below("c", "d", parent));
    unitWhere.push(below("u", "ud", parent));
  }
  return sql`WITH scope AS (
      SELECT c.unit_code AS community_code, c.urban_rural, ${ancestorKey(level)} AS unit_key
      FROM units AS c LEFT JOIN units AS d ON d.unit_code = c.district_code
      WHERE ${and(scopeWhere)}
    ), per_community AS (${counted ?? perCommunitySql(indicator, standard, filters, parent !== null, slice)}
    ), counts AS (
      SELECT s.unit_key,
        sum(p.eligible) AS eligible,
        sum(p.eligible) FILTER (WHERE s.urban_rural = ${"urban"}) AS eligible_urban,
        sum(p.achieved_count) AS achieved_count,
        sum(p.missing) AS missing,
        sum(p.shortfall) AS shortfall,
        count(*) FILTER (WHERE ${notReported("p")}) AS communities_not_reported,
        count(*) FILTER (WHERE NOT p.eligibility_known) AS communities_eligibility_unknown,
        count(*) AS communities_counted
      FROM per_community AS p JOIN scope AS s ON s.community_code = p.community_code
      GROUP BY s.unit_key
    )
    SELECT u.unit_code, u.unit_name, u.level, u.parent_code, CAST(u.residents AS DOUBLE) AS residents,
      CAST(coalesce(k.eligible, 0) AS INTEGER) AS eligible,
      CAST(coalesce(k.eligible_urban, 0) AS INTEGER) AS eligible_urban,
      CAST(coalesce(k.achieved_count, 0) AS INTEGER) AS achieved_count,
      CAST(coalesce(k.missing, 0) AS INTEGER) AS missing,
      CAST(${roundStandard(sql`coalesce(k.shortfall, 0)`)} AS DOUBLE) AS shortfall,
      CAST(coalesce(k.communities_not_reported, 0) AS INTEGER) AS communities_not_reported,
      CAST(coalesce(k.communities_eligibility_unknown, 0) AS INTEGER) AS communities_eligibility_unknown,
      CAST(coalesce(k.communities_counted, 0) AS INTEGER) AS communities_counted
    FROM units AS u
      LEFT JOIN units AS ud ON ud.unit_code = u.district_code
      LEFT JOIN counts AS k ON k.unit_key = u.unit_code
    WHERE ${and(unitWhere)}
    ORDER BY u.unit_code`;
}







/**
 * Every unit at `level` (below `parent`) with its achieved rate, target, gap and cost for an indicator.
 *
 * @example
 * const {rows, target} = await gapQuery(db, {indicator: "screening", level: "district", year: 2021});
 * rows[0] // {unit_code: "3501", eligible: 20, achieved_count: 12, missing: 1, achieved_rate: 0.63, target: 0.6, gap_count: 0, …}
 */
export async function gapQuery(db: Queryable, options: GapOptions): Promise<GapResult> {
  return (await runGap(db, options)).result;
}

/** A person indicator whose status is a flag (no standard to read): its counts per community can be kept. */
function countable(indicator: Indicator): boolean {
  return indicator.counts === "people" && indicator.achieved.kind === "flag";
}

/** What the engine keeps per set of person counts (personCountSlices' answer), by key. */
type KeptStore = WeakMap<Promise<SliceInfo[]>, Map<string, Promise<unknown>>>;

/**
 * What is kept under `key` for these person counts, made by `make` the first time (a failed make is
 * forgotten, so the next ask tries again). With `limit`, at most that many keys, the least recently asked
 * dropped first. New person counts (usePersonRows / usePersonsCube give a new `slices`) start afresh.
 */
function kept<T>(store: KeptStore, slices: Promise<SliceInfo[]>, key: string, make: () => Promise<T>, limit = Infinity): Promise<T> {
  let entries = store.get(slices);
  if (!entries) store.set(slices, (entries = new Map()));
  let entry = entries.get(key) as Promise<T> | undefined;
  if (entry) {
    entries.delete(key); // most recently asked last
  } else {
    const map = entries;
    entry = make();
    entry.catch(() => map.delete(key));
  }
  entries.set(key, entry);
  for (const old of entries.keys()) if (entries.size > limit) entries.delete(old);
  return entry;
}

/** Tables of per-community counts, per set of person counts and key. */
const countTables: KeptStore = new WeakMap();

/** The table (or what describes it) kept under `key` for these person counts, made by `make` the first time. */
function keptTable<T>(slices: Promise<SliceInfo[]>, key: string, make: () => Promise<T>): Promise<T> {
  return kept(countTables, slices, key, make);
}

/**
 * The per-community counts of an unfiltered person indicator (perCommunitySql over every community),
 * kept as a table the first time they are asked for: every later query of the indicator, at any level and
 * scope, reads a row per community instead of every person (at a million persons, 23 thousand rows instead
 * of a million). The same sums as the query would make, so the answers are the same. Made again when the
 * person counts change (usePersonRows / usePersonsCube give a new `slices`).
 */
function communityCounts(db: Queryable, slices: Promise<SliceInfo[]>, indicator: Indicator, slice: string): Promise<string> {
  return keptTable(slices, `${indicator.id}\u0000${slice}`, async () => {
    const name = `gap_counts_${indicator.id}`;
    const select = perCommunitySql(indicator, null, {categories: [], grades: []}, false, slice);
    await db.query(`CREATE OR REPLACE TABLE ${ident(name).text} AS ${select.text}`, select.params);
    return name;
  });
}

/** A (category, grade) cell of a split count table; cell k's counts are its columns k_e, k_a, k_m, k_known, k_rows. */
interface CountCell {
  category: string | null;
  grade: number | null;
}

/** A split count table and its cells, in column order. */
interface CellCounts {
  table: string;
  cells: CountCell[];
}

/**
 * The counts of a person indicator split by category and grade (the explorer's 类别/等级 filters), kept
 * as a table of one row per community with five columns per (category, grade) cell of the slice: a
 * filtered query adds the cells its filters select, reading 23 thousand rows instead of every person.
 * Made from the slice the filtered question reads (person rows: "*"; a published cube: one with category
 * and grade), per community and cell first (perCommunitySql by cell), then one column per cell.
 */
function cellCounts(db: Queryable, slices: Promise<SliceInfo[]>, indicator: Indicator, slice: string): Promise<CellCounts> {
  return keptTable(slices, `${indicator.id}\u0000${slice}\u0000cells`, async () => {
    const index = (await slices).findIndex((s) => s.slice === slice);
    const table = `gap_counts_${indicator.id}_cells_${index}`;
    const staging = `${table}_staging`;
    const byCell = perCommunitySql(indicator, null, {categories: [], grades: []}, false, slice, true);
    await db.query(
      `CREATE OR REPLACE TEMP TABLE ${ident(staging).text} AS
       WITH cell_counts AS (${byCell.text}),
         cells AS (SELECT category, grade, CAST(row_number() OVER (ORDER BY category NULLS LAST, grade NULLS LAST) - 1 AS INTEGER) AS cell
                   FROM (SELECT DISTINCT category, grade FROM cell_counts))
       SELECT n.*, c.cell FROM cell_counts AS n JOIN cells AS c ON n.category IS NOT DISTINCT FROM c.category AND n.grade IS NOT DISTINCT FROM c.grade`,
      byCell.params,
    );
    try {
      const cells = (await db.query<{cell: number; category: string | null; grade: number | null}>(`SELECT DISTINCT cell, category, grade FROM ${ident(staging).text} ORDER BY cell`)).map(
        (c): CountCell => ({category: c.category ?? null, grade: c.grade === null || c.grade === undefined ? null : Number(c.grade)}),
      );
      // One column per cell and count, named by our own numbering (`3_e`): code, not data, in the SQL.
      // PIVOT fills them in one pass (a FILTER aggregate per column takes seconds at a million persons);
      // a community without persons in a cell has NULLs there.
      const pivot = cells.length
        ? `PIVOT ${ident(staging).text} ON cell IN (${cells.map((_, k) => k).join(", ")})
           USING sum(eligible) AS e, sum(achieved_count) AS a, sum(missing) AS m, bool_or(eligibility_known) AS known, sum(cell_rows) AS rows
           GROUP BY community_code`
        : `SELECT community_code FROM ${ident(staging).text}`;
      await db.query(`CREATE OR REPLACE TABLE ${ident(table).text} AS ${pivot}`);
      return {table, cells};
    } finally {
      await db.query(`DROP TABLE IF EXISTS ${ident(staging).text}`);
    }
  });
}

/**
 * The per-community counts of a filtered question from a split count table: the cells whose category
 * and grade pass the filters, added up. A community is counted when any of its rows passes them (as
 * perCommunitySql's WHERE), its eligibility known when it is in any such cell (bool_or of the cells').
 * A flag's shortfall is 0 (shortfallSql).
 */
function filteredCountsSql(counts: CellCounts, filters: {categories: string[]; grades: number[]}): Sql {
  const chosen = counts.cells.flatMap((c, k) =>
    (!filters.categories.length || (c.category !== null && filters.categories.includes(c.category))) && (!filters.grades.length || (c.grade !== null && filters.grades.includes(c.grade))) ? [k] : [],
  );
  const add = (column: string, join: string, none: string): string => (chosen.length ? chosen.map((k) => `coalesce(${ident(`${k}_${column}`).text}, ${none})`).join(join) : none);
  return {
    text: `SELECT community_code, (${add("e", " + ", "0")}) AS eligible, (${add("a", " + ", "0")}) AS achieved_count, (${add("m", " + ", "0")}) AS missing,
        CAST(0 AS DOUBLE) AS shortfall, (${add("known", " OR ", "FALSE")}) AS eligibility_known
      FROM ${ident(counts.table).text} WHERE (${add("rows", " + ", "0")}) > 0`,
    params: [],
  };
}

/**
 * The per-community counts of a person indicator with a flag status, from a kept table: the community
 * table unfiltered, the split one with category or grade filters. Null for anything else (counted from
 * person_counts by the query itself).
 */
async function keptCounts(db: Queryable, slices: Promise<SliceInfo[]>, indicator: Indicator, slice: string, filters: {categories: string[]; grades: number[]}): Promise<Sql | null> {
  if (!countable(indicator)) return null;
  if (!filters.categories.length && !filters.grades.length) return sql`SELECT * FROM ${ident(await communityCounts(db, slices, indicator, slice))}`;
  return filteredCountsSql(await cellCounts(db, slices, indicator, slice), filters);
}

/** The figure context of an indicator at a level in `year`, from the parameters table. */
async function contextAt(db: Queryable, indicator: Indicator, year: number, level: GapLevel): Promise<GapContext> {
  const as_of = yearEnd(year);
  return gapContext(indicator, level, as_of, await parametersInForce(db, indicatorParameterIds(indicator), as_of));
}

/** Children's gap sums, per set of person counts, by question; the most recently asked kept. */
const childSums: KeptStore = new WeakMap();
const CHILD_SUMS_KEPT = 64;

/**
 * 下级缺口合计 of every unit at a level: the children's own gaps (the same question one level down, same
 * scope and filters) summed per parent. At a million persons the children are 23 thousand communities,
 * several times the cost of the view itself, so for questions answered from the count tables the sums are
 * kept: a view asked again (another sort, back to an indicator, a drill-down and up) reads them. The key
 * holds the question and the child level's targets and prices in force; new person counts (a new `slices`,
 * as for the count tables) start afresh.
 */
async function childrenRollup(db: Queryable, options: GapOptions, below: GapLevel, slices: Promise<SliceInfo[]> | null, fromCountTables: boolean): Promise<Map<string, GapRollup>> {
  const compute = async () => {
    const children = (await runGap(db, {...options, level: below, sort: "gap"}, false)).result.rows;
    const byParent = new Map<string, GapRow[]>();
    for (const child of children) {
      if (child.parent_code === null) continue;
      const siblings = byParent.get(child.parent_code);
      if (siblings) siblings.push(child);
      else byParent.set(child.parent_code, [child]);
    }
    return new Map([...byParent].map(([code, rows]) => [code, gapRollup(rows)]));
  };
  if (!slices || !fromCountTables) return compute();
  const indicator = indicatorById(options.indicator);
  const context = await contextAt(db, indicator, options.year, below);
  const key = JSON.stringify([indicator.id, below, options.parent ?? null, options.year, [...(options.categories ?? [])].sort(), [...(options.grades ?? [])].sort(), context]);
  return kept(childSums, slices, key, compute, CHILD_SUMS_KEPT);
}

/** The gap rows of a view; `withChildren` false: unranked, in no particular order, no children's sums (rows to be summed). */
async function runGap(db: Queryable, options: GapOptions, withChildren = true): Promise<{result: GapResult; context: GapContext}> {
  const indicator = indicatorById(options.indicator);
  const level = checkLevel(options.level);
  const filters = checkFilters(options);
  const parent = options.parent ?? null;
  const context = await contextAt(db, indicator, options.year, level);
  const applied = indicator.counts === "people" ? filters : {categories: [], grades: []};
  const slices = indicator.counts === "people" ? personCountSlices(db) : null;
  const answer = indicatorAnswerability(slices ? await slices : [], indicator, applied);
  const slice = slices && answer.answerable ? answer.slice : null;
  const counted = slices && slice ? await keptCounts(db, slices, indicator, slice.slice, applied) : null;
  const query = gapCountsSql(indicator, level, parent, context.standard?.value ?? null, applied, slice?.slice ?? null, counted);
  // A question the data cannot answer counts nothing: no rows, rather than every unit at zero.
  const raw = answer.answerable ? await db.query<RawGapRow>(query.text, query.params) : [];
  const figured: GapRow[] = raw.map((r) =>
    Object.assign(
      {
        unit_code: r.unit_code,
        unit_name: r.unit_name,
        level: r.level,
        parent_code: r.parent_code ?? null,
        residents: Number(r.residents),
        children_gap_count: null as number | null,
        children_gap_cost_yuan: null as number | null,
        rank: null,
        communities_not_reported: Number(r.communities_not_reported),
      },
      notReportedFigures(
        gapFigures(
          {eligible: Number(r.eligible), eligible_urban: Number(r.eligible_urban), achieved_count: Number(r.achieved_count), missing: Number(r.missing), shortfall: Number(r.shortfall)},
          context,
        ),
        Number(r.communities_eligibility_unknown),
        Number(r.communities_counted),
      ),
    ),
  );
  // Ranks and order are for a table shown; the children's rows (and gapSummary's) are only summed, and at
  // a million persons sorting their 23 thousand communities (names collated as Chinese) was most of the time.
  if (withChildren) {
    const ranks = rankByGap(figured);
    for (const row of figured) row.rank = ranks.get(row.unit_code) ?? null;
  }
  // 下级缺口合计: the children's own gaps (the same query one level down, same scope and filters), per parent.
  const below = childLevel(level);
  if (withChildren && below !== null) {
    const sums = await childrenRollup(db, options, below, slices, counted !== null);
    const none = gapRollup([]);
    for (const row of figured) {
      const sum = sums.get(row.unit_code) ?? none;
      row.children_gap_count = sum.gap_count;
      row.children_gap_cost_yuan = sum.gap_cost_yuan;
    }
  }
  const rows = withChildren ? sortGapRows(figured, options.sort ?? "gap") : figured;
  const result: GapResult = {
    indicator,
    level,
    parent,
    year: options.year,
    as_of: context.as_of,
    target: context.target,
    target_value: context.target_applies ? context.target_in_force : null,
    target_applies: context.target_applies,
    standard: context.standard,
    cost: context.cost,
    filters: {...filters, applies: indicator.counts === "people"},
    persons_pooled: slice?.pooled ?? 0,
    // The slice is the host's business: the same question has the same answer over rows or a cube.
    answer: answer.answerable ? {answerable: true, columns: answer.columns} : answer,
    rows,
  };
  return {result, context};
}


/** Totals over the units at a level (gapSummary). */
export interface GapSummary extends Omit<GapResult, "rows"> {
  /** Figures of the whole scope (the city, or `parent`), from summed counts. */
  total: GapFigures;
  units: number;
  units_meeting_target: number;
  units_below_target: number;
  units_all_missing: number;
  units_no_eligible: number;
  /** Units that did not report what the indicator reads (status not_reported). */
  units_not_reported: number;
  /** Communities in scope that did not report it (未填报), left out of every rate. */
  communities_not_reported: number;
  /**
   * 下级缺口合计 over the units at `level` (gapRollup): Σ of each unit's own gap (units above target offset
   * nothing), what closing every unit's gap takes. Sums only units whose gap is known (all-missing units
   * add nothing), so it can fall below total.gap_count, which estimates the unreported from the reported;
   * null when no unit's gap is known.
   */
  gross_gap_count: number | null;
  /** Σ of the units' gap costs; null when any unit with a gap cannot be priced (a partial sum would understate it). */
  gross_gap_cost_yuan: number | null;
  /** Units with a gap whose cost could not be priced. */
  units_unpriced: number;
}

/**
 * City totals (or the totals under `parent`) for an indicator: the net figures from summed counts, and
 * the gross gap over the units at `level` (default: the lowest level its target is judged at, i.e.
 * communities, or streets for share-of-communities targets), with how many units meet the target.
 */
export async function gapSummary(db: Queryable, options: Omit<GapOptions, "sort" | "level"> & {level?: GapLevel}): Promise<GapSummary> {
  const level = options.level ?? indicatorById(options.indicator).targetFrom;
  const {result, context} = await runGap(db, {...options, level, sort: "gap"}, false);
  const {rows, ...rest} = result;
  const sum = (f: (r: GapRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const total = !result.answer.answerable ? cannotAnswerFigures(result.answer.reason_zh) : gapFigures(
    {
      eligible: sum((r) => r.eligible),
      eligible_urban: sum((r) => r.eligible_urban),
      achieved_count: sum((r) => r.achieved_count ?? 0),
      missing: sum((r) => r.missing ?? 0),
      shortfall: sum((r) => r.shortfall),
    },
    // The whole scope is an area: its target applies even when the units' does not.
    {...context, target_applies: true},
  );
  const gross = gapRollup(rows);
  return {
    ...rest,
    total,
    units: rows.length,
    units_meeting_target: rows.filter((r) => r.meets_target === true).length,
    units_below_target: rows.filter((r) => r.meets_target === false).length,
    units_all_missing: rows.filter((r) => r.status === "all_missing").length,
    units_no_eligible: rows.filter((r) => r.status === "no_eligible").length,
    units_not_reported: rows.filter((r) => r.status === "not_reported").length,
    communities_not_reported: sum((r) => r.communities_not_reported),
    gross_gap_count: gross.gap_count,
    gross_gap_cost_yuan: gross.gap_cost_yuan,
    units_unpriced: gross.units_unpriced,
  };
}

/** One step of the drill-down path. */
export interface BreadcrumbItem {
  [key: string]: unknown;
  unit_code: string;
  unit_name: string;
  level: GapLevel;
}

/** The unit and its ancestors, city first (面包屑导航); empty for an unknown code. */
export async function breadcrumb(db: Queryable, unitCode: string): Promise<BreadcrumbItem[]> {
  const depthLimit = gapLevels.length;
  const query = sql`WITH RECURSIVE chain AS (
      SELECT unit_code, unit_name, level, parent_code, 0 AS depth FROM units WHERE unit_code = ${unitCode}
      UNION ALL
      SELECT u.unit_code, u.unit_name, u.level, u.parent_code, chain.depth + 1
      FROM units AS u JOIN chain ON u.unit_code = chain.parent_code
      WHERE chain.depth < ${depthLimit}
    )
    SELECT unit_code, unit_name, level FROM chain ORDER BY depth DESC`;
  return db.query<BreadcrumbItem>(query.text, query.params);
}

/**
 * The top of the hierarchy (the city): the breadcrumb's first step when no unit is drilled into, so the
 * page can name the whole scope. Null when `units` has no city row.
 */
export async function topUnit(db: Queryable): Promise<BreadcrumbItem | null> {
  const query = sql`SELECT unit_code, unit_name, level FROM units WHERE level = ${"city"} ORDER BY unit_code LIMIT 1`;
  return (await db.query<BreadcrumbItem>(query.text, query.params))[0] ?? null;
}
