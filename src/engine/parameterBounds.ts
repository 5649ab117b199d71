import type {ParameterSet} from "./scenarioParameters.js";

/**
 * The values a parameter may take (参数取值范围), from its unit alone, in one place: every door a value
 * comes in by (the sandbox's fields, a shared link, a scenario file, `npm run simulate`) and the engine
 * itself refuse a value outside them. Without them a take-up rate of −50% or a price index falling by
 * 300% a year gives a negative budget silently, ¥1e308 overflows every sum to Infinity, and a target year
 * of 99999 reaches the date arithmetic.
 */

export interface Bounds {
  min: number;
  max: number;
  /** Whole numbers only (years). */
  integer: boolean;
}

/** The last year a coverage target may be set for: 2035, the long-range goal year (2035 年远景目标) after 十五五. */
export const LAST_TARGET_YEAR = 2035;
/** The first: the plan period's first year (the data describe 2025). */
export const FIRST_TARGET_YEAR = 2026;
/**
 * Largest amount of money per person, unit or year a parameter may hold: ¥1 billion (10 亿元). No
 * standard or unit cost comes near it, so a larger number is a typo, and every sum of such amounts over
 * a city's persons stays finite and exact to the fen.
 */
export const MAX_YUAN = 1e9;
/** Largest yearly budget cap: ¥1 trillion (1 万亿元), above any city's whole yearly spending. */
export const MAX_CAP_YUAN = 1e12;
/**
 * Yearly rates of change (population, prevalence, prices): −50% to +100% a year. The price index
 * stays above 0 however long the plan runs, and a rate typed as 3 where 3% (0.03) was meant is refused.
 */
export const MIN_RATE = -0.5;
export const MAX_RATE = 1;
/** Counts and areas (persons, households, m², activities): up to 1 billion. */
export const MAX_QUANTITY = 1e9;

/** The bounds of a parameter of this unit (as written in data/parameters: "share 0–1", "CNY per …", "year", …). */
export function boundsOf(unit: string): Bounds {
  if (/^share 0[–-]1/.test(unit)) return {min: 0, max: 1, integer: false};
  if (/^relative change/.test(unit)) return {min: MIN_RATE, max: MAX_RATE, integer: false};
  if (unit === "year") return {min: FIRST_TARGET_YEAR, max: LAST_TARGET_YEAR, integer: true};
  if (/^CNY\b/.test(unit)) return {min: 0, max: MAX_YUAN, integer: false};
  return {min: 0, max: MAX_QUANTITY, integer: false};
}

/** True when a value lies within the bounds (and is whole where it must be). */
export function withinBounds(value: number, bounds: Bounds): boolean {
  return Number.isFinite(value) && value >= bounds.min && value <= bounds.max && (!bounds.integer || Number.isInteger(value));
}

/**
 * The problem of a value out of bounds, in the engine's words (scenarioFormat.ts's problemZh writes it in
 * Chinese): `out of range: <value> (allowed <min> to <max>[, whole numbers], <unit>)`.
 */
export function outOfRangeMessage(value: number, bounds: Bounds, unit: string): string {
  return `out of range: ${value} (allowed ${bounds.min} to ${bounds.max}${bounds.integer ? ", whole numbers" : ""}, ${unit})`;
}

/**
 * A problem found loading a scenario: where, and what a planner should know. Declared here, where the
 * bounds refuse values, and re-exported by scenario.ts (which checks the rest), so neither module imports
 * the other for a type.
 */
export interface ScenarioProblem {
  /** `overrides.<id>`, `presets.<i>`, a URL key, or a field path. */
  path: string;
  message: string;
}

/** The unit of a scenario's budget cap. */
export const CAP_UNIT = "CNY per year";
export const capBounds: Bounds = {min: 0, max: MAX_CAP_YUAN, integer: false};

/**
 * Every value a scenario sets that its parameter's bounds refuse: each constant or dated override (the
 * cap is bounded by the scenario schema, which needs no parameters). Ids the parameters do not know are
 * left to checkScenario (they are ignored, not refused).
 */
export function boundsProblems(scenario: {overrides: Readonly<Record<string, number | readonly {date: string; value: number}[]>>}, parameters: ParameterSet): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  for (const [id, override] of Object.entries(scenario.overrides)) {
    const unit = parameters.get(id)?.unit;
    if (unit === undefined) continue;
    const bounds = boundsOf(unit);
    const values = typeof override === "number" ? [{value: override, path: `overrides.${id}`}] : override.map((d) => ({value: d.value, path: `overrides.${id}@${d.date}`}));
    for (const {value, path} of values) if (!withinBounds(value, bounds)) problems.push({path, message: outOfRangeMessage(value, bounds, unit)});
  }
  return problems;
}
