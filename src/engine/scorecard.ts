import type {UnitRow} from "../schemas/units.js";
import {parametersInForce, yearEnd, type ParameterInForce} from "./gapParameters.js";
import {indicatorAnswerability} from "./answerability.js";
import {gapLevels, meetsRate, type GapLevel} from "./gapQuery.js";
import {and, below, ident, joinSql, measureSql, personConditionSql, sql, type Sql} from "./gapSql.js";
import {indicatorById, type FlagColumn, type IndicatorId, type Measure} from "./indicators.js";
import {personCountSlices, PERSON_COUNTS_TABLE} from "./personCounts.js";
import type {Queryable} from "./queryable.js";
import {parameterIds as p} from "./programmes.js";

/**
 * The community rehab demonstration standard as a scorecard (社区康复示范标准达标评分): each community
 * passes, fails or is missing on each criterion; units above communities count their communities.
 *
 * Rules, spelled out:
 * - A criterion that needs a facility fails when the community reports not having it (no room → the
 *   station-area criterion fails; no coordinator → the training criterion fails) and is missing when
 *   that is not reported.
 * - A rate criterion compares the community's own rate (reported persons only, as in gapQuery) with the
 *   standard; a community with no reported eligible person is missing on it.
 * - Thresholds are the parameters in force on 31 December of `year`; a criterion whose parameter has no
 *   value then is missing for every community and says so (`standard: null`).
 * - A community "misses exactly one" when it fails one criterion and is missing on none.
 */

export type CriterionStatus = "pass" | "fail" | "missing";

/** How a criterion is judged on one community. */
export type CriterionRule =
  /** A facility flag or a standard on a community column, optionally needing another facility first. */
  | {kind: "community"; measure: Measure<UnitRow>; requires?: FlagColumn<UnitRow>}
  /** A person indicator's rate in the community reaches the parameter. */
  | {kind: "rate"; indicator: IndicatorId; parameter: string};

export interface Criterion {
  id: string;
  label: {zh: string; en: string};
  howComputed_zh: string;
  rule: CriterionRule;
}

/** The criteria of the demonstration standard (source 004: 社区康复示范标准; ¥0.30 per resident). */
export const demonstrationCriteria: readonly Criterion[] = [
  {
    id: "rehab_room",
    label: {zh: "设有康复室", en: "Rehab room set up"},
    howComputed_zh: "社区设有康复室。",
    rule: {kind: "community", measure: {kind: "flag", column: "has_rehab_room"}},
  },
  {
    id: "station_area",
    label: {zh: "康复站面积达标", en: "Rehab station area"},
    howComputed_zh: "康复站面积不低于标准（m²）；未设康复室即不达标。",
    rule: {kind: "community", measure: {kind: "at_least", column: "rehab_room_area_m2", parameter: p.stationArea}, requires: "has_rehab_room"},
  },
  {
    id: "coordinator",
    label: {zh: "配备康复协调员", en: "Rehab coordinator"},
    howComputed_zh: "社区配备康复协调员。",
    rule: {kind: "community", measure: {kind: "flag", column: "has_coordinator"}},
  },
  {
    id: "coordinator_training",
    label: {zh: "协调员培训合格", en: "Coordinator passed training"},
    howComputed_zh: "康复协调员培训合格；未配协调员即不达标。",
    rule: {kind: "community", measure: {kind: "flag", column: "coordinator_trained"}, requires: "has_coordinator"},
  },
  {
    id: "screening",
    label: {zh: "康复需求筛查率达标", en: "Screening rate"},
    howComputed_zh: "社区持证残疾人康复需求筛查率（已知状态者中）不低于标准。",
    rule: {kind: "rate", indicator: "screening", parameter: p.screeningRate},
  },
  {
    id: "archive",
    label: {zh: "康复建档率达标", en: "Archive rate"},
    howComputed_zh: "有康复需求者建档率（已知状态者中）不低于标准；无有康复需求者时记为缺失。",
    rule: {kind: "rate", indicator: "archive", parameter: p.archiveRate},
  },
  {
    id: "satisfaction",
    label: {zh: "满意率达标", en: "Satisfaction rate"},
    howComputed_zh: "残疾人及亲属对康复服务的满意率不低于标准。",
    rule: {kind: "community", measure: {kind: "at_least", column: "satisfaction_rate", parameter: p.satisfactionRate}},
  },
  {
    id: "rehab_funding",
    label: {zh: "康复经费达标", en: "Rehab funding per resident"},
    howComputed_zh: "社区康复经费不低于“每人每年标准 × 常住人口”。",
    rule: {kind: "community", measure: {kind: "at_least", column: "rehab_funding_yuan", parameter: p.perResident, perResident: true}},
  },
];

/**
 * The national 14th-plan targets community data can carry, as scorecard criteria (国家“十四五”指标达标):
 * each community's coverage against the national target (continued for 2026–2030 as an assumption).
 * Not part of the demonstration standard: pass them as `criteria` to score a community on them.
 */
export const nationalCriteria: readonly Criterion[] = (
  [
    ["rehab_service", p.nationalRehabServiceCoverage, "有康复需求者中已接受基本康复服务的比例（已知状态者中）不低于国家目标；无有康复需求者时记为缺失。"],
    ["device_fitting", p.nationalDeviceFitting, "有辅助器具适配需求者中已适配的比例（已知状态者中）不低于国家目标；无适配需求者时记为缺失。"],
    ["poor_subsidy", p.nationalPoorSubsidyCoverage, "符合条件者中享受困难残疾人生活补贴的比例（已知状态者中）达到国家目标；无符合条件者时记为缺失。"],
    ["severe_subsidy", p.nationalSevereSubsidyCoverage, "符合条件者中享受重度残疾人护理补贴的比例（已知状态者中）达到国家目标；无符合条件者时记为缺失。"],
  ] as const
).map(([indicator, parameter, howComputed_zh]) => {
  const {label} = indicatorById(indicator);
  return {id: indicator, label: {zh: `${label.zh}达标`, en: label.en}, howComputed_zh, rule: {kind: "rate", indicator, parameter}};
});

/** The criteria sets a scorecard can be drawn with: the demonstration standard, and the national targets. */
export const criteriaSets = {
  demonstration: {label_zh: "社区康复示范标准", criteria: demonstrationCriteria},
  national: {label_zh: "国家“十四五”指标", criteria: nationalCriteria},
} as const;

function criterionParameter(criterion: Criterion): string | null {
  if (criterion.rule.kind === "rate") return criterion.rule.parameter;
  return criterion.rule.measure.kind === "at_least" ? criterion.rule.measure.parameter : null;
}

export interface ScorecardCriterion extends Criterion {
  /** The threshold's parameter id; null for yes/no criteria. */
  parameter: string | null;
  /** The threshold in force; null for yes/no criteria or when none is in force (then `standard_missing`). */
  standard: ParameterInForce | null;
  standard_missing: boolean;
}

/** One unit × criterion cell: for a community its status; above, how many of its communities pass, fail, are missing. */
export interface ScorecardCell {
  unit_code: string;
  criterion: string;
  /** The community's status; null for units above communities. */
  status: CriterionStatus | null;
  /** What was measured for a community (area m², rate, ¥ per resident, satisfaction); null for flags and above communities. */
  value: number | null;
  pass: number;
  fail: number;
  missing: number;
  /** pass ÷ (pass + fail); null when nothing is known. */
  pass_share: number | null;
}

export interface ScorecardUnit {
  unit_code: string;
  unit_name: string;
  level: GapLevel;
  parent_code: string | null;
  communities: number;
  /** Communities passing every criterion. */
  communities_meeting_all: number;
  /** Communities failing exactly one criterion with none missing. */
  communities_missing_one: number;
  /** Communities missing data on at least one criterion. */
  communities_with_missing: number;
  /** Criterion × community cells that pass, fail, are missing (for a community: its criteria). */
  pass_count: number;
  fail_count: number;
  missing_count: number;
}

export interface ScorecardResult {
  level: GapLevel;
  parent: string | null;
  year: number;
  as_of: string;
  criteria: ScorecardCriterion[];
  units: ScorecardUnit[];
  /** Long format, unit × criterion, for a cell matrix. */
  cells: ScorecardCell[];
  /** Per criterion, over all communities in scope. */
  criterion_totals: {criterion: string; pass: number; fail: number; missing: number}[];
  /** Communities in scope that fail exactly one criterion and are missing none, with that criterion. */
  misses_one: {unit_code: string; unit_name: string; parent_code: string | null; criterion: string}[];
}

export interface ScorecardOptions {
  level: GapLevel;
  parent?: string | null;
  year: number;
  /** Defaults to the demonstration standard. */
  criteria?: readonly Criterion[];
}

interface CommunityStatusRow {
  [key: string]: unknown;
  unit_code: string;
  unit_name: string;
  parent_code: string | null;
  street_code: string | null;
  district_code: string | null;
  city_code: string | null;
}

/** The status of a community criterion: required facility, then the measure (NULL → missing). */
function communityStatusSql(rule: CriterionRule & {kind: "community"}, standard: number | null): Sql {
  const measure = measureSql("c", rule.measure, standard);
  const requires = rule.requires ? sql`WHEN ${ident("c", rule.requires)} IS NOT DISTINCT FROM ${false} THEN ${"fail"} WHEN ${ident("c", rule.requires)} IS NULL THEN ${"missing"}` : sql``;
  return sql`CASE ${requires} WHEN (${measure}) IS NULL THEN ${"missing"} WHEN (${measure}) THEN ${"pass"} ELSE ${"fail"} END`;
}

/** What a community criterion measured, for the cell tooltip. */
function communityValueSql(rule: CriterionRule & {kind: "community"}): Sql {
  if (rule.measure.kind === "flag") return sql`CAST(NULL AS DOUBLE)`;
  const column = ident("c", rule.measure.column);
  return rule.measure.perResident ? sql`CAST(${column} AS DOUBLE) / nullif(${ident("c", "residents")}, 0)` : sql`CAST(${column} AS DOUBLE)`;
}

/**
 * The scorecard of the units at `level` (below `parent`): a units × criteria matrix, pass counts per
 * criterion and the communities that miss exactly one criterion.
 */
export async function scorecard(db: Queryable, options: ScorecardOptions): Promise<ScorecardResult> {
  const level = options.level;
  if (!gapLevels.includes(level)) throw new Error(`unknown level ${JSON.stringify(level)}; known: ${gapLevels.join(", ")}`);
  const parent = options.parent ?? null;
  const criteriaList = options.criteria ?? demonstrationCriteria;
  const as_of = yearEnd(options.year);
  const parameterIds = criteriaList.map(criterionParameter).filter((id): id is string => id !== null);
  const found = await parametersInForce(db, parameterIds, as_of);
  const criteria: ScorecardCriterion[] = criteriaList.map((c) => {
    const parameter = criterionParameter(c);
    const standard = parameter === null ? null : found.get(parameter) ?? null;
    return {...c, parameter, standard, standard_missing: parameter !== null && standard === null};
  });

  // Every criterion in one query over the communities in scope: community criteria as statuses, rate
  // criteria as achieved ÷ reported per community from one scan of persons (the rate gapQuery shows).
  const columns: Sql[] = [];
  const rateCounts: Sql[] = [];
  const slices = criteria.some((c) => c.rule.kind === "rate") ? await personCountSlices(db) : [];
  criteria.forEach((c, i) => {
    if (c.rule.kind === "community") {
      columns.push(sql`${communityStatusSql(c.rule, c.standard?.value ?? null)} AS ${ident(`status_${i}`)}`);
      columns.push(sql`${communityValueSql(c.rule)} AS ${ident(`value_${i}`)}`);
      return;
    }
    const indicator = indicatorById(c.rule.indicator);
    if (indicator.counts !== "people") throw new Error(`rate criterion ${c.id} needs a person indicator, got ${indicator.id}`);
    // Counted in the slice covering the indicator, as gapQuery counts it (personCounts.ts).
    // A criterion the data cannot answer counts nothing: its rate is null (unknown), never 0.
    const answer = indicatorAnswerability(slices, indicator);
    const slice = answer.answerable ? answer.slice : null;
    const inSlice = slice ? sql`x.slice = ${slice.slice}` : sql`FALSE`;
    const eligible = and([inSlice, ...indicator.eligible.map((condition) => personConditionSql("x", condition))]);
    const achieved = measureSql("x", indicator.achieved, null);
    rateCounts.push(
      sql`coalesce(sum(x.persons) FILTER (WHERE ${eligible} AND (${achieved}) IS TRUE), 0) AS ${ident(`achieved_${i}`)}`,
      sql`coalesce(sum(x.persons) FILTER (WHERE ${eligible} AND (${achieved}) IS NOT NULL), 0) AS ${ident(`reported_${i}`)}`,
    );
    columns.push(sql`CAST(${ident("r", `achieved_${i}`)} AS DOUBLE) / nullif(${ident("r", `reported_${i}`)}, 0) AS ${ident(`value_${i}`)}`);
  });
  const where: Sql[] = [sql`c.level = ${"community"}`];
  if (parent !== null) where.push(below("c", "d", parent));
  const rates = rateCounts.length
    ? sql`, r AS (
        SELECT x.community_code, ${joinSql(rateCounts, ", ")}
        FROM ${ident(PERSON_COUNTS_TABLE)} AS x WHERE x.community_code IN (SELECT community_code FROM scope) GROUP BY x.community_code
      )`
    : sql``;
  const query = sql`WITH scope AS (
      SELECT c.unit_code AS community_code FROM units AS c LEFT JOIN units AS d ON d.unit_code = c.district_code WHERE ${and(where)}
    )${rates}
    SELECT c.unit_code, c.unit_name, c.parent_code, c.street_code, c.district_code, d.parent_code AS city_code
      ${columns.length ? sql`, ${joinSql(columns, ", ")}` : sql``}
    FROM units AS c LEFT JOIN units AS d ON d.unit_code = c.district_code
      ${rateCounts.length ? sql`LEFT JOIN r ON r.community_code = c.unit_code` : sql``}
    WHERE ${and(where)}
    ORDER BY c.unit_code`;
  const communities = await db.query<CommunityStatusRow>(query.text, query.params);

  // Column names computed once: at a million persons the loops below visit 185 thousand cells.
  const statusColumns = criteria.map((_, i) => `status_${i}`);
  const valueColumns = criteria.map((_, i) => `value_${i}`);
  const communityCells = communities.map((row) =>
    criteria.map((c, i): {status: CriterionStatus; value: number | null} => {
      const value = (row[valueColumns[i]] as number | null) ?? null;
      if (c.rule.kind === "community") return {status: row[statusColumns[i]] as CriterionStatus, value};
      if (value === null || c.standard === null) return {status: "missing", value};
      return {status: meetsRate(value, c.standard.value) ? "pass" : "fail", value};
    }),
  );

  const units = await scorecardUnits(db, level, parent);
  const keyOf = (row: CommunityStatusRow): string | null =>
    level === "community" ? row.unit_code : level === "street" ? row.street_code : level === "district" ? row.district_code : row.city_code;

  const unitRows: ScorecardUnit[] = units.map((u) => ({
    unit_code: u.unit_code,
    unit_name: u.unit_name,
    level: u.level,
    parent_code: u.parent_code,
    communities: 0,
    communities_meeting_all: 0,
    communities_missing_one: 0,
    communities_with_missing: 0,
    pass_count: 0,
    fail_count: 0,
    missing_count: 0,
  }));
  const unitIndex = new Map(unitRows.map((u, i) => [u.unit_code, i]));
  const counts = unitRows.map(() => criteria.map(() => ({pass: 0, fail: 0, missing: 0})));
  const cellDetail = new Map<string, {status: CriterionStatus; value: number | null}[]>();
  const criterion_totals = criteria.map((c) => ({criterion: c.id, pass: 0, fail: 0, missing: 0}));
  const misses_one: ScorecardResult["misses_one"] = [];

  communities.forEach((row, r) => {
    const cells = communityCells[r];
    const tally = {pass: 0, fail: 0, missing: 0};
    let failed = -1;
    cells.forEach((cell, i) => {
      tally[cell.status]++;
      criterion_totals[i][cell.status]++;
      if (cell.status === "fail") failed = i;
    });
    const missesOne = tally.fail === 1 && tally.missing === 0;
    if (missesOne) misses_one.push({unit_code: row.unit_code, unit_name: row.unit_name, parent_code: row.parent_code, criterion: criteria[failed].id});
    const key = keyOf(row);
    const u = key === null ? undefined : unitIndex.get(key);
    if (u === undefined) return;
    if (level === "community") cellDetail.set(row.unit_code, cells);
    const unit = unitRows[u];
    unit.communities++;
    if (tally.fail === 0 && tally.missing === 0) unit.communities_meeting_all++;
    if (missesOne) unit.communities_missing_one++;
    if (tally.missing > 0) unit.communities_with_missing++;
    unit.pass_count += tally.pass;
    unit.fail_count += tally.fail;
    unit.missing_count += tally.missing;
    cells.forEach((cell, i) => counts[u][i][cell.status]++);
  });

  const cells: ScorecardCell[] = unitRows.flatMap((unit, u) =>
    criteria.map((c, i) => {
      const {pass, fail, missing} = counts[u][i];
      const detail = cellDetail.get(unit.unit_code)?.[i];
      return {unit_code: unit.unit_code, criterion: c.id, status: detail?.status ?? null, value: detail?.value ?? null, pass, fail, missing, pass_share: pass + fail ? pass / (pass + fail) : null};
    }),
  );
  return {level, parent, year: options.year, as_of, criteria, units: unitRows, cells, criterion_totals, misses_one};
}

/** The units at a level below `parent`, ordered by code. */
async function scorecardUnits(db: Queryable, level: GapLevel, parent: string | null): Promise<Pick<ScorecardUnit, "unit_code" | "unit_name" | "level" | "parent_code">[]> {
  const where: Sql[] = [sql`u.level = ${level}`];
  if (parent !== null) where.push(below("u", "ud", parent));
  const query = sql`SELECT u.unit_code, u.unit_name, u.level, u.parent_code
    FROM units AS u LEFT JOIN units AS ud ON ud.unit_code = u.district_code
    WHERE ${and(where)} ORDER BY u.unit_code`;
  return db.query<{unit_code: string; unit_name: string; level: GapLevel; parent_code: string | null}>(query.text, query.params);
}
