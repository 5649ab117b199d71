import {programmeAnswerability, type Answerability} from "./answerability.js";
import {chooseSlice, personCountSlices, PERSON_COUNTS_TABLE} from "./personCounts.js";
import {BASES_TABLE, CITY_BASES_TABLE, CUBE_TABLE} from "./cubeTables.js";
import {kindOf, linearKinds, programmeKinds, type Growth} from "./programmeKinds/index.js";
import {personFlags, programmes, type PersonSelection, type Programme} from "./programmes.js";
import type {Queryable, SqlValue} from "./queryable.js";
import {placeholders, quoteIdentifier} from "./sql.js";

/**
 * The scenario cube (情景立方体): persons aggregated once, so a scenario recomputes over a few thousand
 * rows instead of every person. Two tables:
 * - `scenario_cube`: community × category × grade × age band × person flags → persons;
 * - `scenario_bases`: community × programme → what the programme counts there (eligible persons,
 *   residents, posts, or a community below a facility target), derived from the cube. Every lever of a
 *   scenario acts linearly on these counts, per programme and year;
 * - `scenario_bases_city`: the linear programmes summed over communities (one row each), all a
 *   city-level recompute needs of them;
 * - for coverage targets, where "below target" is decided community by community, small tables that
 *   answer any target without a row per community: `scenario_person_ratios` sums communities by the
 *   share already covered (a/q), so the persons a rate k leaves uncovered are k·Σq − Σa over the rows
 *   with a/q < k; `scenario_unit_districts` and `scenario_unit_steps` give each district's count of
 *   communities and the persons in its first n communities to equip.
 */

export {BASES_TABLE, CITY_BASES_TABLE, CUBE_TABLE} from "./cubeTables.js";
export {PERSON_STEPS_TABLE} from "./programmeKinds/personTarget.js";
export {UNIT_DISTRICTS_TABLE, UNIT_STEPS_TABLE} from "./programmeKinds/unitTarget.js";
export {linearKinds, type Growth} from "./programmeKinds/index.js";

/** What the recompute needs besides the two tables: city totals and the rows the cube could not place. */
export interface Cube {
  /** Resident population of all communities (常住人口). */
  residents: number;
  /** Registered disabled persons counted in the cube. */
  persons: number;
  communities: number;
  /** Rows of `scenario_cube` and `scenario_bases` (the size the recompute scans). */
  cubeRows: number;
  baseRows: number;
  /** Persons whose community_code is not a community in `units`: left out of every programme, and reported. */
  orphanPersons: number;
  /**
   * A real city's published cube (personCounts.ts): the most persons pooled in the slice of any
   * programme — counted in community totals, in no selection by category, grade, age band or status,
   * so those programmes' persons and costs are lower bounds. 0 (or absent) for person rows.
   */
  pooledPersons?: number;
  /** Pooled persons of communities below the small-cell threshold, known only at city level: in no programme. */
  unplacedPersons?: number;
  /**
   * Programmes whose persons the data at hand cannot count (a city given as counts per community has no
   * psychiatric persons eligible for 低保, no ages 18–22), with why: their cost is not computed, and
   * runScenario leaves them out of its rows and names them, rather than costing them at 0.
   */
  unanswerable?: ProgrammeUnanswerable[];
}

/** A programme the data cannot cost, and why (zh). */
export interface ProgrammeUnanswerable {
  programme: string;
  programme_zh: string;
  reason_zh: string;
  /** The count columns (community_counts) it reads. */
  columns: string[];
}

const T = quoteIdentifier;

/** A SQL predicate over cube columns for a person selection, values bound. */
export function selectionSql(selection: PersonSelection): {sql: string; params: SqlValue[]} {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (selection.urbanRural) {
    parts.push(`${T("urban_rural")} = ?`);
    params.push(selection.urbanRural);
  }
  for (const [column, values] of [
    ["category", selection.categories],
    ["grade", selection.grades],
    ["age_band", selection.ageBands],
  ] as const) {
    if (!values) continue;
    parts.push(`${T(column)} IN (${placeholders(values.length)})`);
    params.push(...values);
  }
  for (const flag of selection.flags ?? []) parts.push(T(flag));
  return {sql: parts.length ? parts.join(" AND ") : "TRUE", params};
}

/**
 * Builds `scenario_cube` from `units` and `person_counts` (replacing an older one): persons summed per
 * slice and community with the community's district and urban/rural; unknown flags count as not set.
 */
async function buildPersonCube(db: Queryable): Promise<void> {
  const flags = personFlags.map((f) => `coalesce(p.${T(f)}, FALSE) AS ${T(f)}`).join(", ");
  await db.query(
    `CREATE OR REPLACE TABLE ${T(CUBE_TABLE)} AS
     SELECT p.${T("slice")} AS ${T("slice")}, p.${T("community_code")} AS ${T("community_code")}, u.${T("district_code")} AS ${T("district_code")},
            u.${T("urban_rural")} AS ${T("urban_rural")}, p.${T("category")} AS ${T("category")}, p.${T("grade")} AS ${T("grade")},
            p.${T("age_band")} AS ${T("age_band")}, ${flags}, CAST(sum(p.${T("persons")}) AS DOUBLE) AS ${T("persons")}
       FROM ${T(PERSON_COUNTS_TABLE)} p JOIN ${T("units")} u ON u.${T("unit_code")} = p.${T("community_code")} AND u.${T("level")} = ?
      GROUP BY ALL`,
    ["community"],
  );
}

export {programmeDimensions} from "./answerability.js";

/** What a programme's quantity grows with in projections: residents, disabled persons, or nothing (posts, communities). */
export function grows(prog: Programme): Growth {
  return kindOf(prog).grows(prog);
}

/** Builds the summary tables the kinds' city recomputes read, from `scenario_bases` (see the module comment). */
async function buildKindSummaries(db: Queryable): Promise<void> {
  for (const block of Object.values(programmeKinds)) await block.summaries?.(db);
}

/** Per community, each programme's persons (q_i) and those already covered (a_i), in one pass over the cube. */
const SELECTED_TABLE = "scenario_selected";

function selectedSql(progs: readonly Programme[], slices: readonly (string | null)[]): {sql: string; params: SqlValue[]} {
  const params: SqlValue[] = [];
  const columns = progs.flatMap((prog, i) => {
    const base = selectionSql(prog.persons ?? {});
    // Each programme counts in its own slice (personCounts.ts); none covering it counts nothing.
    const slice = slices[i] ?? null;
    const selection = slice === null ? {sql: "FALSE", params: []} : {sql: `${T("slice")} = ? AND ${base.sql}`, params: [slice, ...base.params]};
    const covered = kindOf(prog).coveredFlag?.(prog);
    const achieved = covered ? T(covered) : "FALSE";
    params.push(...selection.params, ...selection.params);
    return [
      `coalesce(sum(${T("persons")}) FILTER (WHERE ${selection.sql}), 0) AS ${T(`q_${i}`)}`,
      `coalesce(sum(${T("persons")}) FILTER (WHERE ${selection.sql} AND ${achieved}), 0) AS ${T(`a_${i}`)}`,
    ];
  });
  return {sql: `CREATE OR REPLACE TABLE ${T(SELECTED_TABLE)} AS SELECT ${T("community_code")}, ${columns.join(", ")} FROM ${T(CUBE_TABLE)} GROUP BY ${T("community_code")}`, params};
}

/**
 * The SELECT giving one programme's base rows, one per community where the programme has something to
 * count: quantity (residents, eligible persons, a post, or 1 for a community lacking a facility),
 * persons already covered (person targets), the programme's persons in the community, and for facility
 * targets the district's community count, how many have the facility, and the rank of each community
 * lacking it (most of the programme's persons first, then unit code).
 */
function baseSelect(prog: Programme, number: number): {sql: string; params: SqlValue[]} {
  const [q, a] = [`coalesce(s.${T(`q_${number}`)}, 0)`, `coalesce(s.${T(`a_${number}`)}, 0)`];
  const head = `SELECT ? AS ${T("programme")}, CAST(? AS INTEGER) AS ${T("programme_no")}, ? AS ${T("kind")}, ? AS ${T("grows")},
      u.${T("unit_code")} AS ${T("community_code")}, u.${T("district_code")} AS ${T("district_code")}`;
  const from = `FROM ${T("units")} u LEFT JOIN ${T(SELECTED_TABLE)} s ON s.${T("community_code")} = u.${T("unit_code")} WHERE u.${T("level")} = ?`;
  const params: SqlValue[] = [prog.id, number, prog.kind, grows(prog), "community"];
  return kindOf(prog).baseSelect(prog, {head, from, params, q, a});
}

export async function buildCube(db: Queryable, progs: readonly Programme[] = programmes): Promise<Cube> {
  const slices = await personCountSlices(db);
  const answers: Answerability[] = progs.map((prog) => programmeAnswerability(slices, prog));
  const chosen = answers.map((a) => (a.answerable ? a.slice : null));
  // Totals read the slice a question of no dimension reads: every slice counts every person once.
  const whole = chooseSlice(slices, []);
  await buildPersonCube(db);
  const selected = selectedSql(progs, chosen.map((c) => c?.slice ?? null));
  await db.query(selected.sql, selected.params);
  const selects = progs.map((prog, i) => baseSelect(prog, i));
  await db.query(
    `CREATE OR REPLACE TABLE ${T(BASES_TABLE)} AS
     SELECT * FROM (${selects.map((s) => `(${s.sql})`).join(" UNION ALL ")})
      ORDER BY ${T("programme")}, ${T("community_code")}`,
    selects.flatMap((s) => s.params),
  );
  await buildKindSummaries(db);
  const summed = ["quantity", "achieved", "persons"].map((c) => T(c));
  const keys = [T("programme"), T("programme_no"), T("kind"), T("grows")];
  await db.query(
    `CREATE OR REPLACE TABLE ${T(CITY_BASES_TABLE)} AS
     SELECT ${keys.join(", ")}, NULL AS ${T("community_code")}, NULL AS ${T("district_code")}, ${summed.map((c) => `sum(${c}) AS ${c}`).join(", ")},
            NULL AS ${T("district_units")}, NULL AS ${T("district_have")}, NULL AS ${T("rank")}
       FROM ${T(BASES_TABLE)} WHERE ${T("kind")} IN (${placeholders(linearKinds.length)}) GROUP BY ${keys.join(", ")}
     ORDER BY ${T("programme")}`,
    [...linearKinds],
  );
  const [totals] = await db.query<{residents: number; communities: number; persons: number; orphans: number; unplaced: number; cube_rows: number; base_rows: number}>(
    `SELECT (SELECT coalesce(sum(${T("residents")}), 0) FROM ${T("units")} WHERE ${T("level")} = ?) AS residents,
            (SELECT count(*) FROM ${T("units")} WHERE ${T("level")} = ?) AS communities,
            (SELECT coalesce(sum(${T("persons")}), 0) FROM ${T(CUBE_TABLE)} WHERE ${T("slice")} = ?) AS persons,
            (SELECT coalesce(sum(${T("persons")}) FILTER (WHERE NOT ${T("suppressed")}), 0) FROM ${T(PERSON_COUNTS_TABLE)}
              WHERE ${T("slice")} = ? AND ${T("community_code")} NOT IN (SELECT ${T("unit_code")} FROM ${T("units")} WHERE ${T("level")} = ?)) AS orphans,
            (SELECT coalesce(sum(${T("persons")}) FILTER (WHERE ${T("suppressed")}), 0) FROM ${T(PERSON_COUNTS_TABLE)}
              WHERE ${T("slice")} = ? AND ${T("community_code")} NOT IN (SELECT ${T("unit_code")} FROM ${T("units")} WHERE ${T("level")} = ?)) AS unplaced,
            (SELECT count(*) FROM ${T(CUBE_TABLE)}) AS cube_rows,
            (SELECT count(*) FROM ${T(BASES_TABLE)}) AS base_rows`,
    ["community", "community", whole?.slice ?? null, whole?.slice ?? null, "community", whole?.slice ?? null, "community"],
  );
  const pooled = chosen.reduce((most, c) => Math.max(most, c?.pooled ?? 0), 0);
  return {
    residents: Number(totals!.residents),
    persons: Number(totals!.persons),
    communities: Number(totals!.communities),
    cubeRows: Number(totals!.cube_rows),
    baseRows: Number(totals!.base_rows),
    orphanPersons: Number(totals!.orphans),
    pooledPersons: pooled,
    unplacedPersons: Number(totals!.unplaced),
    unanswerable: progs.flatMap((prog, i) => {
      const a = answers[i]!;
      return a.answerable ? [] : [{programme: prog.id, programme_zh: prog.label.zh, reason_zh: a.reason_zh, columns: a.columns}];
    }),
  };
}
