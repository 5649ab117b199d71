import {ageBandsWithin} from "./personCounts.js";
import type {SqlValue} from "./queryable.js";
import {quoteIdentifier} from "./sql.js";

/**
 * SQL fragments with their bound values, for the gap and scorecard queries: text and `?` values travel
 * together, so building a query from pieces cannot put a value in the wrong place or into the text.
 */
export interface Sql {
  readonly text: string;
  readonly params: readonly SqlValue[];
}

function isSql(value: unknown): value is Sql {
  return typeof value === "object" && value !== null && "text" in value && "params" in value;
}

/**
 * Tagged template: an interpolated `Sql` is spliced in with its values, anything else becomes a `?`
 * bound to that value. `sql\`${ident("x", "age")} BETWEEN ${6} AND ${15}\`` → `"x"."age" BETWEEN ? AND ?`.
 */
export function sql(strings: TemplateStringsArray, ...values: readonly (Sql | SqlValue)[]): Sql {
  let text = strings[0];
  const params: SqlValue[] = [];
  values.forEach((value, i) => {
    if (isSql(value)) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += "?";
      params.push(value);
    }
    text += strings[i + 1];
  });
  return {text, params};
}

/** A quoted identifier, optionally qualified: `ident("x", "age")` → `"x"."age"`. */
export function ident(...parts: readonly string[]): Sql {
  return {text: parts.map(quoteIdentifier).join("."), params: []};
}

/** Joins fragments with a separator written in code (`", "`, `" AND "`). */
export function joinSql(parts: readonly Sql[], separator: string): Sql {
  return {text: parts.map((p) => p.text).join(separator), params: parts.flatMap((p) => p.params)};
}

/** Conjunction of conditions; `TRUE` when there are none. */
export function and(parts: readonly Sql[]): Sql {
  return parts.length ? joinSql(parts.map((p) => sql`(${p})`), " AND ") : sql`TRUE`;
}

/** `IN (?, ?, …)` over bound values. */
export function inList(values: readonly SqlValue[]): Sql {
  return joinSql(values.map((v) => sql`${v}`), ", ");
}

/** Any catalogue condition (indicators.ts `Condition`), whichever row type it is over. */
export type AnyCondition = {column: string; is: boolean} | {column: string; between: readonly [number, number]};
/** Any catalogue measure (indicators.ts `Measure`), whichever row type it is over. */
export type AnyMeasure = {kind: "flag"; column: string} | {kind: "at_least"; column: string; parameter: string; perResident?: boolean};

/** An indicator's eligibility condition on a row alias. A NULL flag is not eligible (eligibility unknown). */
export function conditionSql(alias: string, condition: AnyCondition): Sql {
  const column = ident(alias, condition.column);
  if ("between" in condition) return sql`${column} BETWEEN ${condition.between[0]} AND ${condition.between[1]}`;
  return sql`${column} IS NOT DISTINCT FROM ${condition.is}`;
}

/** The column of person_counts a condition on person rows reads: ages are counted by age band. */
export function conditionDimension(condition: AnyCondition): string {
  return "between" in condition && condition.column === "age" ? "age_band" : condition.column;
}

/**
 * A condition on person rows, over person_counts: an age range becomes the age bands it spans (the
 * cube has no single ages), anything else reads the same column. A NULL is not eligible, as on rows.
 */
export function personConditionSql(alias: string, condition: AnyCondition): Sql {
  if (!("between" in condition) || condition.column !== "age") return conditionSql(alias, condition);
  return sql`${ident(alias, "age_band")} IN (${inList(ageBandsWithin(condition.between[0], condition.between[1]))})`;
}

/**
 * Decimal digits kept when comparing a value with a standard (m², yuan): ¥0.30 × 3000 residents is
 * 900.0000000000001 in binary floating point and must still count ¥900 as meeting it. Written into the
 * SQL as an integer literal, not bound: a code constant, not a value from outside. DuckDB-WASM binds a
 * JS number as DOUBLE, and a DOUBLE bound where the statement expects an INTEGER makes DuckDB plan the
 * prepared statement again on every execution (≈10 ms per gap query in the browser).
 */
const STANDARD_DIGITS = 6;

/**
 * Rounds an amount in a standard's unit (m², yuan) to STANDARD_DIGITS; also makes a sum of such amounts
 * independent of the order the host adds them in.
 */
export function roundStandard(value: Sql): Sql {
  return sql`round(${value}, ${{text: String(STANDARD_DIGITS), params: []}})`;
}

/** TRUE/FALSE/NULL achieved expression; `standard` is the value of an at_least measure's parameter. */
export function measureSql(alias: string, measure: AnyMeasure, standard: number | null): Sql {
  if (measure.kind === "flag") return sql`CAST(${ident(alias, measure.column)} AS BOOLEAN)`;
  if (standard === null) return sql`CAST(NULL AS BOOLEAN)`;
  return sql`${roundStandard(sql`${ident(alias, measure.column)} - ${thresholdSql(alias, measure, standard)}`)} >= 0`;
}

/** The value an at_least measure must reach: the standard, times the community's residents when per resident. */
export function thresholdSql(alias: string, measure: AnyMeasure & {kind: "at_least"}, standard: number): Sql {
  return measure.perResident ? sql`CAST(${standard} AS DOUBLE) * ${ident(alias, "residents")}` : sql`CAST(${standard} AS DOUBLE)`;
}

/** How far a row falls below an at_least standard (0 at or above it, NULL when unreported); 0 for flags. */
export function shortfallSql(alias: string, measure: AnyMeasure, standard: number | null): Sql {
  if (measure.kind !== "at_least" || standard === null) return sql`CAST(0 AS DOUBLE)`;
  return sql`greatest(${roundStandard(sql`${thresholdSql(alias, measure, standard)} - ${ident(alias, measure.column)}`)}, 0)`;
}

/**
 * Units strictly below `parent` (any ancestor): `unit` aliases the unit, `district` its district row
 * (joined on district_code), whose parent is the city.
 */
export function below(unit: string, district: string, parent: string): Sql {
  return sql`${ident(unit, "unit_code")} <> ${parent} AND ${parent} IN (${ident(unit, "parent_code")}, ${ident(unit, "district_code")}, ${ident(unit, "street_code")}, ${ident(district, "parent_code")})`;
}
