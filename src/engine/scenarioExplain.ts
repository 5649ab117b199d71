import {fundingLevels, parameterIds, programme as findProgramme, programmeParameterIds} from "./programmes.js";
import type {Queryable} from "./queryable.js";
import {computeSums, modelOf, scenarioLevers, type Model} from "./runScenario.js";
import type {Scenario} from "./scenario.js";
import {SCENARIO_SOURCE, valuesUsedIn, yearValue, type TimelineValue} from "./scenarioParameters.js";

/**
 * Why a figure is what it is (公式与出处): a programme's formula for one year with every parameter's
 * value, the dated values behind it and their sources, so the page can show "= 1333 人 × 480 元 × 12".
 */

/** One parameter in a formula: its year value and the dated values (with source and quote) behind it. */
export interface ExplainTerm {
  id: string;
  label_zh: string;
  unit: string;
  /** The value the year's computation used (the mean over the year's months for a phased change). */
  value: number;
  /** The dated values in force during the year, each with its source file and quote. */
  values: TimelineValue[];
  /** True when the scenario (a preset or an override) sets a value this year uses. */
  overridden: boolean;
}

export interface Explanation {
  programme: string;
  label_zh: string;
  year: number;
  /** The formula with `{id}` placeholders, as in programmes.ts. */
  formula_zh: string;
  /** The formula with each placeholder replaced by its value and unit. */
  text_zh: string;
  terms: ExplainTerm[];
  /** Growth, price and ramp factors of the year, with the parameters behind them. */
  projection: {personVolume: number; residentVolume: number; priceFactor: number; ramp: number; targetYear: number; terms: ExplainTerm[]};
  /** The funding shares of the year (中央/省/市/区县, in that order) that split the cost by level. */
  funding: ExplainTerm[];
  /** What the programme counts in the year (persons, residents, posts or communities, after growth). */
  counted: number;
  cost_yuan: number;
  baseline_cost_yuan: number;
  beneficiaries: number;
  newly_covered: number;
}

const number = new Intl.NumberFormat("zh-CN", {maximumFractionDigits: 4});

/** A value in its unit, as a planner reads it: shares as percentages, amounts with their unit. */
export function formatValue(value: number, unit: string): string {
  if (/^share 0[–-]1/.test(unit)) return `${number.format(value * 100)}%`;
  if (unit === "year") return String(Math.round(value));
  if (unit.startsWith("CNY")) return `${number.format(value)} 元`;
  return `${number.format(value)}${unit.startsWith("relative change") ? `（${number.format(value * 100)}%/年）` : ""}`;
}

/** Explains one programme's cost in one simulated year of a scenario. */
export async function explain(db: Queryable, scenario: Scenario, programmeId: string, year: number, options: {model?: Model} = {}): Promise<Explanation> {
  const model = options.model ?? (await modelOf(db));
  const prog = findProgramme(programmeId);
  if (!scenario.years.includes(year)) throw new Error(`year ${year} is not simulated by the scenario (${scenario.years.join(", ")})`);
  const {levers, baselineLevers, parameters} = scenarioLevers(model, scenario);
  const sums = await computeSums(db, model, [baselineLevers, levers], {programmes: [programmeId]});
  const sum = sums.find((s) => s.year === year);
  const term = (id: string, at = year): ExplainTerm => {
    const timeline = parameters.get(id)!;
    const values = valuesUsedIn(timeline, at);
    // Changed in this year only when a value the year uses is the scenario's: 480 from 2028 leaves 2026 as it was.
    return {id, label_zh: timeline.label_zh, unit: timeline.unit, value: yearValue(timeline, at), values, overridden: values.some((v) => v.source === SCENARIO_SOURCE)};
  };
  const y = levers.years.find((x) => x.year === year)!;
  const terms = programmeParameterIds(prog).map((id) => (id === prog.parameters.target ? term(id, Math.max(year, y.targetYear)) : term(id)));
  const text_zh = prog.formula_zh.replace(/\{([a-z0-9_.]+)\}/g, (whole, id: string) => {
    const t = terms.find((x) => x.id === id);
    return t ? formatValue(t.value, t.unit) : whole;
  });
  const projectionTerms = [parameterIds.populationGrowth, parameterIds.prevalenceChange, parameterIds.priceIndex].map((id) => term(id));
  const targetYear = parameters.get(parameterIds.targetYear)!;
  projectionTerms.push({...term(parameterIds.targetYear, scenario.years[0]!), value: y.targetYear, overridden: targetYear.values.some((v) => v.source === SCENARIO_SOURCE)});
  return {
    programme: prog.id,
    label_zh: prog.label.zh,
    year,
    formula_zh: prog.formula_zh,
    text_zh,
    terms,
    projection: {personVolume: y.personVolume, residentVolume: y.residentVolume, priceFactor: y.priceFactor, ramp: y.ramp, targetYear: y.targetYear, terms: projectionTerms},
    funding: fundingLevels.map((level) => term(parameterIds.fundingShare(level))),
    counted: sum?.counted ?? 0,
    cost_yuan: sum?.cost ?? 0,
    baseline_cost_yuan: sum?.base_cost ?? 0,
    beneficiaries: sum?.beneficiaries ?? 0,
    newly_covered: sum?.newly_covered ?? 0,
  };
}
