import {isIsoDate} from "../schemas/isoDate.js";

/** The fields "value in force" needs; a row of the `parameters` dataset has them. */
export interface DatedValue {
  id: string;
  /** ISO date YYYY-MM-DD from which the value is in force. */
  effective_date: string;
  value: number;
}

/**
 * The row of parameter `id` in force on `date` (某日有效的参数值): the one with the latest effective date
 * on or before `date`. Undefined before the parameter's first effective date and for an id with no rows,
 * so a caller decides what "no standard yet" means instead of silently getting a zero.
 * Rows may come in any order; `date` is an ISO date (the engine never reads the clock).
 *
 * @example parameterAt(rows, "subsidy.dibao.urban_monthly", "2013-06-30")?.value // 450
 */
export function parameterAt<R extends DatedValue>(rows: readonly R[], id: string, date: string): R | undefined {
  if (!isIsoDate(date)) throw new Error(`parameterAt: date must be an ISO date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  let best: R | undefined;
  for (const row of rows) {
    if (row.id !== id || row.effective_date > date) continue;
    if (best && row.effective_date === best.effective_date)
      throw new Error(`parameterAt: parameter ${id} has two values dated ${row.effective_date}`);
    if (!best || row.effective_date > best.effective_date) best = row;
  }
  return best;
}
