import type {PersonsCubeRow} from "../schemas/personsCube.js";
import {ageBands, ageBandStarts, personFlags, type AgeBand} from "./programmes.js";
import type {Queryable} from "./queryable.js";
import {quoteIdentifier} from "./sql.js";

/**
 * Person counts (人数表): the one relation the gap and budget engines read about persons, so one code path
 * serves the demo city, a city imported in the browser and a real city's build.
 *
 * `person_counts` has the columns of persons_cube (src/schemas/personsCube.ts): a slice name, the
 * community, category, grade, age band, the nine person flags, `suppressed` and a `persons` weight. The
 * engines count with sum(persons), never count(*):
 * - where person rows are at hand (the demo city, a browser import), it is a view over `persons` with
 *   weight 1 and every dimension known: one slice, "*", and the answers are exactly the per-person ones;
 * - for a real city's build it is the published persons_cube (`usePersonsCube`): several slices, each
 *   splitting every community's persons by a few dimensions, small cells pooled per community;
 * - for a city given as counts per community (`community_counts`, what most offices keep instead of
 *   person lists) it is derived from the counts (`useCommunityCounts`, communityCountsCube.ts): one slice
 *   per family of counts the city reports (category, grade, screened, need + archived, …), never a joint
 *   split the counts do not give, persons a community does not report in a slice counted with that
 *   slice's dimensions null. A build publishes the same derivation as its persons_cube.
 *
 * A question names the dimensions it reads (an indicator's eligibility and status flags, a category
 * filter, a programme's selection) and reads the slice that covers them with the fewest pooled persons
 * (`chooseSlice`). Pooled rows (`suppressed`, every dimension null) count in community totals and
 * denominators but match no category, grade, age band or flag: figures for small groups are lower bounds.
 * A question no slice covers cannot be answered from the data at hand (answerability.ts says why, in
 * Chinese): the engines return a typed "cannot answer", never a zero.
 *
 * A slice name lists its dimensions joined with "+"; a dimension split out for some values only is
 * written `dimension=value|value` (`age_band=6-15+enrolled`: counts give the persons aged 6–15 and no
 * other age band, so the rest have age_band null, and a question about ages 18–22 is not covered).
 */

export const PERSON_COUNTS_TABLE = "person_counts";

/** The dimensions a slice can split by, in the cube's column order. */
export const cubeDimensions = ["category", "grade", "age_band", ...personFlags] as const;
export type CubeDimension = (typeof cubeDimensions)[number];

/** The slice of person rows: every dimension at once. */
export const FULL_SLICE = "*";

/**
 * The slices a published cube carries: each the dimensions one family of questions reads. The gap
 * indicators (status within eligibility, optionally by category × grade), and the programmes'
 * selections (programmes.ts): 低保 by dibao_eligible, 五保, 精神 × 低保, 重度 by grade, age bands, need;
 * and the national plan's coverage indicators (served within need, fitted within need, the two
 * subsidies' recipients within eligibility).
 */
export const cubeSlices: readonly (readonly CubeDimension[])[] = [
  ["screened"],
  ["rehab_need", "archived"],
  ["age_band", "enrolled"],
  ["dibao_eligible", "dibao_recipient"],
  ["wubao_recipient"],
  ["category"],
  ["grade"],
  ["category", "dibao_eligible"],
  ["category", "grade", "screened"],
  ["category", "grade", "rehab_need", "archived"],
  ["category", "grade", "age_band", "enrolled"],
  ["category", "grade", "dibao_eligible", "dibao_recipient"],
  // The national plan's service and subsidy coverage indicators (indicators.ts).
  ["rehab_need", "rehab_served"],
  ["device_need", "device_fitted"],
  ["poor_subsidy_eligible", "poor_subsidy_recipient"],
  ["severe_subsidy_eligible", "severe_subsidy_recipient"],
  ["category", "grade", "rehab_need", "rehab_served"],
  ["category", "grade", "device_need", "device_fitted"],
  ["category", "grade", "poor_subsidy_eligible", "poor_subsidy_recipient"],
  ["category", "grade", "severe_subsidy_eligible", "severe_subsidy_recipient"],
];

/** A column as a cube dimension; throws for a column the cube does not have (e.g. person_id). */
export function cubeDimension(column: string): CubeDimension {
  if (!(cubeDimensions as readonly string[]).includes(column)) throw new Error(`persons are counted by ${cubeDimensions.join(", ")}; ${JSON.stringify(column)} is not one of them`);
  return column as CubeDimension;
}

/**
 * The age bands making up an inclusive age range, e.g. 6–15 → ["6-15"]. The cube knows ages only by
 * band, so a range must start and end on band edges; any other range throws.
 */
export function ageBandsWithin(from: number, to: number): AgeBand[] {
  const ends = ageBands.map((band, i) => [ageBandStarts[band], i + 1 < ageBands.length ? ageBandStarts[ageBands[i + 1]!] - 1 : Infinity] as const);
  const bands = ageBands.filter((_, i) => ends[i]![0] >= from && ends[i]![1] <= to);
  const covered = bands.length > 0 && ageBandStarts[bands[0]!] === from && ends[ageBands.indexOf(bands.at(-1)!)]![1] === to;
  if (!covered) throw new Error(`ages ${from}–${to} do not fall on the cube's age bands (${ageBands.join(", ")})`);
  return bands;
}

/** A slice's name: its dimensions in column order, joined with "+". */
export function sliceName(dimensions: readonly CubeDimension[]): string {
  return cubeDimensions.filter((d) => dimensions.includes(d)).join("+");
}

/** The dimensions a slice splits by; "*" splits by all. */
export function sliceDimensions(name: string): CubeDimension[] {
  if (name === FULL_SLICE) return [...cubeDimensions];
  const parts = name.split("+").map((part) => part.split("=")[0]);
  return cubeDimensions.filter((d) => parts.includes(d));
}

/** Values a question reads of some dimensions (e.g. the age bands of its age range). */
export type DimensionValues = Partial<Record<CubeDimension, readonly (string | number)[]>>;

/** The dimensions a slice splits out for some values only (`age_band=6-15` → {age_band: ["6-15"]}). */
export function sliceRestrictions(name: string): Partial<Record<CubeDimension, string[]>> {
  const restricted: Partial<Record<CubeDimension, string[]>> = {};
  for (const part of name.split("+")) {
    const [dimension, values] = part.split("=");
    if (values !== undefined && (cubeDimensions as readonly string[]).includes(dimension!)) restricted[dimension as CubeDimension] = values.split("|");
  }
  return restricted;
}

/** True when a slice splits out every value a question reads of its restricted dimensions. */
function splitsValues(name: string, values: DimensionValues): boolean {
  const restricted = sliceRestrictions(name);
  return Object.entries(values).every(([d, wanted]) => {
    const known = restricted[d as CubeDimension];
    return !known || (wanted ?? []).every((v) => known.includes(String(v)));
  });
}

/** A slice present in `person_counts`, with the persons in its pooled rows. */
export interface SliceInfo {
  slice: string;
  /** Persons in pooled rows (counted in totals, in no split). */
  pooled: number;
}

/**
 * The slice that answers a question reading `needed` (and, of a restricted dimension, `values`): of those
 * splitting by every needed dimension and value, the one with fewest pooled persons (then fewest
 * dimensions, then name). Null when none covers it.
 */
export function chooseSlice(slices: readonly SliceInfo[], needed: readonly CubeDimension[], values: DimensionValues = {}): SliceInfo | null {
  const covering = slices
    .map((s) => ({s, dims: sliceDimensions(s.slice)}))
    .filter(({dims, s}) => needed.every((d) => dims.includes(d)) && splitsValues(s.slice, values))
    .sort((a, b) => a.s.pooled - b.s.pooled || a.dims.length - b.dims.length || (a.s.slice < b.s.slice ? -1 : a.s.slice > b.s.slice ? 1 : 0));
  return covering[0]?.s ?? null;
}

const T = quoteIdentifier;

/** A code constant as a SQL literal: views cannot take bound parameters, and these never come from data. */
function literal(value: string | number): string {
  return typeof value === "number" ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

/** The age band of an age column, as the cube counts it. */
function ageBandSql(column: string): string {
  const whens = ageBands.slice(1).map((band, i) => `WHEN ${column} < ${literal(ageBandStarts[band])} THEN ${literal(ageBands[i]!)}`);
  return `CASE ${whens.join(" ")} ELSE ${literal(ageBands.at(-1)!)} END`;
}

/** Columns of `person_counts`, in persons_cube's order. */
const countColumns = ["slice", "community_code", ...cubeDimensions, "suppressed", "persons"] as const satisfies readonly (keyof PersonsCubeRow)[];

/** `person_counts` over person rows: weight 1, every dimension known, one slice. */
function personRowsView(persons: string): string {
  const flags = personFlags.map((f) => T(f)).join(", ");
  return `SELECT ${literal(FULL_SLICE)} AS ${T("slice")}, ${T("community_code")}, ${T("category")}, ${T("grade")}, ${ageBandSql(T("age"))} AS ${T("age_band")},
      ${flags}, FALSE AS ${T("suppressed")}, CAST(1 AS INTEGER) AS ${T("persons")} FROM ${T(persons)}`;
}

const slicesOf = new WeakMap<Queryable, Promise<SliceInfo[]>>();

async function readSlices(db: Queryable): Promise<SliceInfo[]> {
  const rows = await db.query<{slice: string; pooled: number}>(
    `SELECT ${T("slice")} AS slice, CAST(coalesce(sum(${T("persons")}) FILTER (WHERE ${T("suppressed")}), 0) AS DOUBLE) AS pooled
       FROM ${T(PERSON_COUNTS_TABLE)} GROUP BY ${T("slice")} ORDER BY ${T("slice")}`,
  );
  return rows.map((r) => ({slice: r.slice, pooled: Number(r.pooled)}));
}

/**
 * The slices of `person_counts`, creating it over `persons` when the host has not provided one (the
 * engine tests and the demo city give only `persons`). Read once per database: call `usePersonsCube`
 * or `usePersonRows` to change what it counts.
 */
export function personCountSlices(db: Queryable): Promise<SliceInfo[]> {
  let slices = slicesOf.get(db);
  if (!slices) {
    slices = (async () => {
      const [existing] = await db.query<{n: number}>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?`, [PERSON_COUNTS_TABLE]);
      if (Number(existing?.n ?? 0) > 0) return readSlices(db);
      await db.query(`CREATE VIEW IF NOT EXISTS ${T(PERSON_COUNTS_TABLE)} AS ${personRowsView("persons")}`);
      // Person rows: one slice, nothing pooled; no need to scan them to know.
      return [{slice: FULL_SLICE, pooled: 0}];
    })();
    slicesOf.set(db, slices);
    slices.catch(() => slicesOf.delete(db));
  }
  return slices;
}

/** Counts persons from person rows (`persons`, or another table of the persons schema). */
export async function usePersonRows(db: Queryable, persons = "persons"): Promise<void> {
  await db.query(`CREATE OR REPLACE VIEW ${T(PERSON_COUNTS_TABLE)} AS ${personRowsView(persons)}`);
  slicesOf.set(db, Promise.resolve([{slice: FULL_SLICE, pooled: 0}]));
}

/** Counts persons from a published persons_cube table (a real city's build, or one derived from counts). */
export async function usePersonsCube(db: Queryable, cube = "persons_cube"): Promise<SliceInfo[]> {
  await db.query(`CREATE OR REPLACE VIEW ${T(PERSON_COUNTS_TABLE)} AS SELECT ${countColumns.map((c) => T(c)).join(", ")} FROM ${T(cube)}`);
  const slices = readSlices(db);
  slicesOf.set(db, slices);
  return slices;
}

/** Persons counted (one slice: each counts every person once) and the most pooled in any slice. */
export async function personCountTotals(db: Queryable): Promise<{persons: number; pooledMax: number; slices: SliceInfo[]}> {
  const slices = await personCountSlices(db);
  const first = slices[0];
  if (!first) return {persons: 0, pooledMax: 0, slices};
  const [row] = await db.query<{n: number}>(`SELECT CAST(coalesce(sum(${T("persons")}), 0) AS DOUBLE) AS n FROM ${T(PERSON_COUNTS_TABLE)} WHERE ${T("slice")} = ?`, [first.slice]);
  return {persons: Number(row?.n ?? 0), pooledMax: Math.max(...slices.map((s) => s.pooled)), slices};
}
