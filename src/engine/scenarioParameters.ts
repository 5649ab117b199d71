import {parameterAt} from "./parameterAt.js";
import type {Queryable} from "./queryable.js";

/**
 * Parameter timelines for the scenario engine: the `parameters` table read once, a scenario's overrides
 * laid over it, and the value of a parameter for a simulated year.
 */

/** One dated value of a parameter with its reference (情景参数的一个生效值). */
export interface TimelineValue {
  id: string;
  /** ISO date from which the value is in force. */
  effective_date: string;
  value: number;
  /** File in data/sources/ or data/reference/, "assumption", or "scenario" for a planner's override. */
  source: string;
  quote: string | null;
  /** The parameter's YAML file (data/parameters/…), when the table has it. */
  file?: string;
}

/** A parameter as the engine reads it: its labels and unit, and its values by effective date, ascending. */
export interface ParameterTimeline {
  id: string;
  kind: string;
  label_zh: string;
  label_en: string;
  unit: string;
  period: string;
  values: TimelineValue[];
}

/** Every parameter by id. */
export type ParameterSet = ReadonlyMap<string, ParameterTimeline>;

/** The `source` of a value a scenario sets (the planner's own choice, not a document). */
export const SCENARIO_SOURCE = "scenario";

/** A row of the `parameters` table as the engine reads it. */
type ParameterTableRow = TimelineValue & Pick<ParameterTimeline, "kind" | "label_zh" | "label_en" | "unit" | "period"> & Record<string, unknown>;

/** Reads the `parameters` table into timelines (one small query; the table has a row per id and date). */
export async function loadParameters(db: Queryable): Promise<ParameterSet> {
  // SELECT * so optional columns (the YAML `file`) come along when the table has them.
  const rows = await db.query<ParameterTableRow>(`SELECT * FROM parameters ORDER BY id, effective_date`);
  return parameterSetFromRows(
    rows.map((r) => ({...r, effective_date: String(r.effective_date).slice(0, 10), value: Number(r.value), quote: r.quote ?? null})),
  );
}

/** Builds timelines from rows of the `parameters` dataset (any order). */
export function parameterSetFromRows(rows: readonly ParameterTableRow[]): ParameterSet {
  const set = new Map<string, ParameterTimeline>();
  for (const row of rows) {
    let timeline = set.get(row.id);
    if (!timeline) {
      timeline = {id: row.id, kind: row.kind, label_zh: row.label_zh, label_en: row.label_en, unit: row.unit, period: row.period, values: []};
      set.set(row.id, timeline);
    }
    const value: TimelineValue = {id: row.id, effective_date: row.effective_date, value: row.value, source: row.source, quote: row.quote ?? null};
    if (typeof row.file === "string") value.file = row.file;
    timeline.values.push(value);
  }
  for (const timeline of set.values()) timeline.values.sort((a, b) => (a.effective_date < b.effective_date ? -1 : a.effective_date > b.effective_date ? 1 : 0));
  return set;
}

/** The effective date of a constant override: before any date the engine asks about. */
const ALWAYS = "0001-01-01";

/** A scenario's change to one parameter: a constant for every date, or dated values. */
export type Override = number | readonly {date: string; value: number}[];

/**
 * The timeline with a scenario's override laid over it. A constant replaces every value; dated values
 * replace the baseline from the first override date on and keep the baseline before it, so
 * `[{date: "2027-01-01", value: 480}]` means "480 from 2027, as before until then".
 */
export function overrideTimeline(timeline: ParameterTimeline, override: Override): ParameterTimeline {
  if (typeof override === "number") {
    return {...timeline, values: [{id: timeline.id, effective_date: ALWAYS, value: override, source: SCENARIO_SOURCE, quote: null}]};
  }
  const dated = [...override].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const start = dated[0]?.date;
  const kept = start === undefined ? timeline.values : timeline.values.filter((v) => v.effective_date < start);
  return {
    ...timeline,
    values: [...kept, ...dated.map((d) => ({id: timeline.id, effective_date: d.date, value: d.value, source: SCENARIO_SOURCE, quote: null}))],
  };
}

/** The value in force on an ISO date, or undefined before the parameter's first date. */
export function valueOn(timeline: ParameterTimeline, date: string): TimelineValue | undefined {
  return parameterAt(timeline.values, timeline.id, date);
}

const months = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"] as const;

/**
 * A parameter's value for a simulated year: the mean of the values in force on the 1st of each month,
 * so a standard raised on 1 July counts half at the old and half at the new amount (a phased raise).
 * Throws when some month of the year has no value in force: the engine never guesses a standard.
 */
export function yearValue(timeline: ParameterTimeline, year: number): number {
  // Timelines are never changed in place (overrides make new ones), so a year's value can be kept.
  let byYear = yearValues.get(timeline);
  if (!byYear) yearValues.set(timeline, (byYear = new Map()));
  let value = byYear.get(year);
  if (value === undefined) byYear.set(year, (value = computeYearValue(timeline, year)));
  return value;
}

const yearValues = new WeakMap<ParameterTimeline, Map<number, number>>();

function computeYearValue(timeline: ParameterTimeline, year: number): number {
  const monthsAt = new Map<TimelineValue, number>();
  for (const month of months) {
    const inForce = valueOn(timeline, `${String(year).padStart(4, "0")}-${month}-01`);
    if (!inForce) throw new Error(`parameter ${timeline.id} has no value in force on ${year}-${month}-01 (its first value is dated ${timeline.values[0]?.effective_date ?? "never"})`);
    monthsAt.set(inForce, (monthsAt.get(inForce) ?? 0) + 1);
  }
  // Weighted by months in force, so a value in force all year comes back exactly.
  let value = 0;
  for (const [inForce, count] of monthsAt) value += inForce.value * (count / months.length);
  return value;
}

/** The values a year's computation used: those in force on some 1st of a month of the year, oldest first. */
export function valuesUsedIn(timeline: ParameterTimeline, year: number): TimelineValue[] {
  const used: TimelineValue[] = [];
  for (const month of months) {
    const inForce = valueOn(timeline, `${String(year).padStart(4, "0")}-${month}-01`);
    if (inForce && !used.includes(inForce)) used.push(inForce);
  }
  return used;
}
