import {parameterAt} from "./parameterAt.js";
import type {Queryable} from "./queryable.js";
import {inList, sql} from "./gapSql.js";

/** A parameter value in force on a date, with what a tooltip needs to cite it (生效参数值及出处). */
export interface ParameterInForce {
  [key: string]: unknown;
  id: string;
  label_zh: string;
  unit: string;
  period: string;
  /** ISO date from which this value is in force. */
  effective_date: string;
  value: number;
  source: string;
  quote: string | null;
}

/**
 * Reads the values of the given parameters in force on `date` (ISO) from the `parameters` table.
 * Ids with no value on that date are absent from the map, so callers report them as missing.
 */
export async function parametersInForce(db: Queryable, ids: readonly string[], date: string): Promise<Map<string, ParameterInForce>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, ParameterInForce>();
  if (unique.length === 0) return found;
  const query = sql`SELECT id, label_zh, unit, period, CAST(effective_date AS VARCHAR) AS effective_date,
         CAST(value AS DOUBLE) AS value, source, quote
    FROM parameters WHERE id IN (${inList(unique)})`;
  const rows = await db.query<ParameterInForce>(query.text, query.params);
  for (const id of unique) {
    const row = parameterAt(rows, id, date);
    if (row) found.set(id, row);
  }
  return found;
}

/** The date a year's targets and standards are read at: the last day of the year (年末有效值). */
export function yearEnd(year: number): string {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new Error(`year must be an integer year, got ${JSON.stringify(year)}`);
  return `${String(year).padStart(4, "0")}-12-31`;
}
