import {parameterAt, type DatedValue} from "./parameterAt.js";

/**
 * Plan targets by year (规划目标), and when a year has none of its own. A plan indicator's values carry
 * the year they aim for (`target_year`, 2025 for the 14th plan); a value is in force until the next
 * one, so until the 15th plan's values are added, 2026–2030 read the 2025 target. That is an
 * assumption, and every page that shows such a value names it with `continuedTargetZh`.
 */

/** The fields a plan value needs beyond its date and value; rows of the `parameters` dataset have them. */
export interface PlanValue extends DatedValue {
  role: "baseline" | "target" | null;
  target_year: number | null;
}

/** Five-year plans by their last year, for naming a target in Chinese ("十四五"). */
const planNames: Readonly<Record<number, string>> = {2015: "十二五", 2020: "十三五", 2025: "十四五", 2030: "十五五", 2035: "十六五"};

/** A plan's name in quotation marks, from its last year: 2025 → “十四五”; a year no plan ends in gets "2025年". */
export function planNameZh(targetYear: number): string {
  const name = planNames[targetYear];
  return name ? `“${name}”` : `${targetYear}年`;
}

export interface TargetForYear<R extends PlanValue> {
  row: R;
  /** True when the year lies past the value's target year: the target is assumed to continue. */
  continued: boolean;
}

/**
 * The target of plan indicator `id` in force at the end of `year`, and whether it is a continued one.
 * Undefined when no target is in force yet (only a baseline, or nothing).
 *
 * @example targetForYear(rows, "target.national.rehab_service_coverage", 2027) // {row: {value: 0.85, target_year: 2025, …}, continued: true}
 */
export function targetForYear<R extends PlanValue>(rows: readonly R[], id: string, year: number): TargetForYear<R> | undefined {
  const row = parameterAt(rows, id, `${year}-12-31`);
  if (!row || row.role !== "target" || row.target_year === null) return undefined;
  return {row, continued: year > row.target_year};
}

/** How a page names a continued target: 延续“十四五”2025年目标（假设：新一期规划尚未发布）. */
export function continuedTargetZh(targetYear: number): string {
  return `延续${planNameZh(targetYear)}${targetYear}年目标（假设：新一期规划尚未发布）`;
}
