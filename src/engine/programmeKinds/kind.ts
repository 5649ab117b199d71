import {BASES_TABLE, CITY_BASES_TABLE} from "../cubeTables.js";
import type {Queryable, SqlValue} from "../queryable.js";
import type {Programme, ProgrammeParameters} from "../programmeTypes.js";
import {quoteIdentifier as T} from "../sql.js";
import type {PersonFlag} from "../../schemas/cubeDimensions.js";

/**
 * What a programme kind is made of, in one block per kind (programmeKinds/*.ts): its parameters, what
 * the cube counts for it, its price and the other levers, the SQL steps from count to cost, and its
 * formula in Chinese. The cube (cube.ts), the levers (scenarioLevers.ts) and the recompute
 * (runScenario.ts) read these blocks and never ask which kind a programme is.
 */

/** A parameter's role in pricing a programme (the keys of ProgrammeParameters). */
export type ParameterRole = keyof ProgrammeParameters;

/** Every role, in the order a programme's values are read (a record, so that no role of ProgrammeParameters is left out). */
const roleOrder: Record<ParameterRole, true> = {perResident: true, monthly: true, takeup: true, topup: true, amount: true, unitCost: true, runningCost: true, target: true};
export const parameterRoles = Object.keys(roleOrder) as ParameterRole[];

/** Each role's value in one simulated year (absent when the programme names no parameter for it). */
export type RoleValues = {[role in ParameterRole]?: number};

/** What a programme's quantity grows with in projections: residents, disabled persons, or nothing (posts, communities). */
export type Growth = "residents" | "persons" | "fixed";

/** What a year's levers need of the projection: prices relative to the base year (YearLevers.priceFactor). */
export interface YearPrices {
  priceFactor: number;
}

/** The numbers the recompute multiplies a base row by, per programme and year (see ProgrammeLevers). */
export interface KindLevers {
  price: number;
  running: number;
  share: number;
  target: number;
}

/** The pieces of a base-row SELECT every kind shares (cube.ts's baseSelect). */
export interface BaseSelectParts {
  /** `SELECT programme, programme_no, kind, grows, community_code, district_code` (bound in `params`). */
  head: string;
  /** `FROM units u LEFT JOIN scenario_selected s … WHERE u.level = ?` (bound in `params`). */
  from: string;
  params: SqlValue[];
  /** The programme's persons in the community (q) and those already covered (a), as SQL. */
  q: string;
  a: string;
}

/** One step of a formula: a column name and its SQL over the columns before it; `X` stands for the set suffix. */
export type Step = [name: string, sql: string];

/**
 * A recompute of one or more kinds, as steps written once with `_X` for a lever set's suffix: `_s` for
 * a scenario set and, per community, `_0` for the comparison set beside it. The source reads only its
 * kinds' rows, joined with the lever table `lev`. Every family ends with cost, beneficiaries, covered,
 * counted and units.
 */
export interface Family {
  /** Per community, keep only rows where the scenario's cost differs from the comparison's (the gaps a scenario adds). */
  changedOnly?: boolean;
  /** The rows the steps start from: s, year, pno, the lever columns and the family's inputs. */
  source: (keys: readonly string[], byCommunity: boolean, suffixes: readonly string[]) => string;
  steps: Step[][];
}

/**
 * How a kind's cost is computed from its base rows:
 * - `linear`: counted (quantity × growth) × share × price, the same levers for every community, so the
 *   city total needs one row per programme (scenario_bases_city); all linear kinds run in one pass
 *   (programmeKinds/linear.ts) and differ only in whom they reach and cover;
 * - `families`: the kind's own recompute per community and for the city (coverage targets, where
 *   "below target" is decided community by community).
 */
export type KindCost =
  | {linear: {beneficiaries: string; covered: string}}
  | {families: {community: Family; city: Family}};

export interface ProgrammeKindBlock {
  /** The parameter roles a programme of this kind may name. */
  roles: readonly ParameterRole[];
  /** What the programme's quantity grows with. */
  grows: (prog: ProgrammeWords) => Growth;
  /** The person flag of those already covered, counted beside the programme's persons (person targets). */
  coveredFlag?: (prog: Programme) => PersonFlag | undefined;
  /** The SELECT of the programme's base rows in scenario_bases: one per community it counts something in. */
  baseSelect: (prog: Programme, parts: BaseSelectParts) => {sql: string; params: SqlValue[]};
  /** Builds the summary tables the kind's city recompute reads, from scenario_bases (optional). */
  summaries?: (db: Queryable) => Promise<void>;
  /** The levers of one year from the year's parameter values. */
  levers: (values: RoleValues, year: YearPrices) => KindLevers;
  cost: KindCost;
  /** The programme's formula in Chinese; `{id}` stands for a parameter's value. */
  formula_zh: (prog: ProgrammeWords) => string;
}

/** What a formula is written from: the programme without its formula. */
export type ProgrammeWords = Omit<Programme, "formula_zh">;

/** A base row per community where the programme's quantity is kept (`keep`): the SELECT of every kind but facility targets. */
export function communityBaseSelect(parts: BaseSelectParts, quantity: string, keep: string): {sql: string; params: SqlValue[]} {
  const none = `CAST(NULL AS INTEGER)`;
  const sql = `${parts.head}, CAST(${quantity} AS DOUBLE) AS ${T("quantity")}, CAST(${parts.a} AS DOUBLE) AS ${T("achieved")}, CAST(${parts.q} AS DOUBLE) AS ${T("persons")},
        ${none} AS ${T("district_units")}, ${none} AS ${T("district_have")}, ${none} AS ${T("rank")} ${parts.from} AND ${keep}`;
  return {sql, params: parts.params};
}

/** A family's base rows (only the columns it reads) joined with the levers of its programmes. */
export const baseRows = (kinds: readonly string[], columns: readonly string[]) => (keys: readonly string[], byCommunity: boolean) => {
  const cols = [...new Set([T("programme_no"), ...keys, ...columns.map((c) => T(c))])];
  return `SELECT b.*, l.* FROM (SELECT ${cols.join(", ")} FROM ${T(byCommunity ? BASES_TABLE : CITY_BASES_TABLE)}
    WHERE ${T("kind")} IN (${kinds.map((k) => `'${k}'`).join(", ")})) b JOIN lev l ON l.pno = b.${T("programme_no")}`;
};

/** Amount per case plus unit cost at the year's prices (one-off grants, and the set-up cost of coverage targets). */
export const pricePerCase = (values: RoleValues, year: YearPrices): number => (values.amount ?? 0) + (values.unitCost ?? 0) * year.priceFactor;

/** The levers of a coverage target: set-up and running cost at the year's prices, and the rate to reach. */
export function targetLevers(values: RoleValues, year: YearPrices): KindLevers {
  return {price: pricePerCase(values, year), running: (values.runningCost ?? 0) * year.priceFactor, share: 1, target: values.target ?? 0};
}

/** A parameter in a formula: its name in the formula and `{id}` for its value (scenarioExplain fills it in). */
export function term(prog: ProgrammeWords, role: ParameterRole): string {
  const id = prog.parameters[role];
  const name = prog.words_zh.terms[role];
  if (id === undefined || name === undefined) throw new Error(`programme ${prog.id}: its formula needs a parameter and a name for ${role}`);
  return `${name} {${id}}`;
}

/** The growth factor a formula names, after the count it grows. */
export function growthTerm(growth: Growth): string {
  return growth === "residents" ? " × 人口增长" : growth === "persons" ? " × 人数增长" : "";
}

/**
 * The cost part of a coverage target's formula: the set-up cost for those reached this year, the
 * running cost for all reached so far (`newly` names them: 新建档, 新配).
 */
export function rampedCostText(newly: string, setUp: string | undefined, running: string | undefined): string {
  if (setUp && running) return `：当年${newly} × ${setUp} + 累计${newly} × ${running}，均 × 物价指数`;
  return setUp ? `的当年${newly} × ${setUp} × 物价指数` : `的累计${newly} × ${running} × 物价指数`;
}

/** A role's term when the programme names a parameter for it. */
export const optionalTerm = (prog: ProgrammeWords, role: ParameterRole): string | undefined => (prog.parameters[role] === undefined ? undefined : term(prog, role));
