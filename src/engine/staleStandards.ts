import {programmes, type ProgrammeParameters} from "./programmes.js";
import {SCENARIO_SOURCE, type ParameterSet, type TimelineValue} from "./scenarioParameters.js";

/**
 * Standards that may be out of date (可能已过时的标准): a benefit or funding amount the baseline prices a
 * programme with whose value in force was last set before 2020, the year the 13th plan ended. No newer
 * public value was found for these; a page that uses one marks it and offers the planner's own value.
 */

/** Values set before this date are marked: the 14th plan's base year. */
export const STALE_BEFORE = "2020-01-01";

/** The roles of a programme's parameters that are amounts set by policy (not take-up or unit-cost assumptions). */
const standardRoles: readonly (keyof ProgrammeParameters)[] = ["perResident", "monthly", "amount"];

/** Ids of the amounts the programmes are priced with, in programme order, each once. */
export function baselineStandardIds(): string[] {
  const ids = programmes.flatMap((prog) => standardRoles.map((role) => prog.parameters[role]).filter((id): id is string => typeof id === "string"));
  return [...new Set(ids)];
}

export interface StaleStandard {
  id: string;
  label_zh: string;
  /** The value in force and its effective date. */
  value: TimelineValue;
  /** The year the value was set. */
  year: number;
}

/** The mark a page shows beside a stale standard: 标准为2013年值，可能已调整，请填写本地现行标准. */
export function staleNoteZh(year: number): string {
  return `标准为${year}年值，可能已调整，请填写本地现行标准`;
}

/**
 * The baseline standards whose value in force on `date` (the plan's first day) was set before 2020.
 * A value the planner set (source "scenario") is never stale: it is their own.
 */
export function staleStandards(parameters: ParameterSet, date: string, ids: readonly string[] = baselineStandardIds()): StaleStandard[] {
  return ids.flatMap((id) => {
    const timeline = parameters.get(id);
    const inForce = timeline?.values.filter((v) => v.effective_date <= date).at(-1);
    if (!timeline || !inForce || inForce.source === SCENARIO_SOURCE || inForce.effective_date >= STALE_BEFORE) return [];
    return [{id, label_zh: timeline.label_zh, value: inForce, year: Number(inForce.effective_date.slice(0, 4))}];
  });
}
