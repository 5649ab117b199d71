import {gapContext, gapFigures, notReportedFigures, rankByGap, sortGapRows} from "../../src/engine/gapFigures.js";
import type {GapLevel} from "../../src/engine/gapQuery.js";
import {yearEnd} from "../../src/engine/gapParameters.js";
import {indicatorById, indicatorParameterIds, type PersonIndicator} from "../../src/engine/indicators.js";
import {parameterAt} from "../../src/engine/parameterAt.js";
import type {ParameterValue} from "./typedCity.js";

/**
 * The gap query's answer as every contender must give it, and the JavaScript tail the Arquero and
 * typed-array contenders share: per-unit counts → the engine's gapFigures (rate, target, gap, cost,
 * rank, order), for person indicators with a flag measure, the ones the JS contenders count.
 */

export interface GapWorkload {
  indicator: string;
  level: GapLevel;
  year: number;
}

/** The fields compared across contenders, in the engine's row order. */
export interface GapAnswerRow {
  unit_code: string;
  eligible: number;
  eligible_urban: number;
  achieved_count: number | null;
  missing: number | null;
  gap_count: number | null;
  gap_cost_yuan: number | null;
  rank: number | null;
}

export function gapAnswer(rows: readonly GapAnswerRow[]): GapAnswerRow[] {
  return rows.map((r) => ({
    unit_code: r.unit_code,
    eligible: r.eligible,
    eligible_urban: r.eligible_urban,
    achieved_count: r.achieved_count,
    missing: r.missing,
    gap_count: r.gap_count,
    gap_cost_yuan: r.gap_cost_yuan,
    rank: r.rank,
  }));
}

/** A person indicator with a flag measure and per-gap cost: the kind the JS contenders implement. */
export function benchIndicator(id: string): PersonIndicator & {achieved: {kind: "flag"}; cost: {kind: "per_gap"}} {
  const indicator = indicatorById(id);
  if (indicator.counts !== "people" || indicator.achieved.kind !== "flag" || indicator.cost.kind !== "per_gap")
    throw new Error(`the benchmark's JS contenders implement person indicators with a flag measure and a per-gap cost; ${id} is not one`);
  return indicator as PersonIndicator & {achieved: {kind: "flag"}; cost: {kind: "per_gap"}};
}

export interface UnitCounts {
  unit_code: string;
  unit_name: string;
  eligible: number;
  eligible_urban: number;
  achieved: number;
  missing: number;
  /** Communities of the unit with persons (the engine's per-community rows), and those of them where no person's eligibility is known (未填报). */
  communities: number;
  communities_eligibility_unknown: number;
}

/**
 * Counts → ranked answer rows, through the engine's own figure functions (src/engine/gapFigures.ts):
 * the contenders differ only in how they count, never in the formula (rate, gap, cost to the fen, rank).
 */
export function gapRowsFromCounts(workload: GapWorkload, parameters: readonly ParameterValue[], counts: readonly UnitCounts[]): GapAnswerRow[] {
  const indicator = benchIndicator(workload.indicator);
  const asOf = yearEnd(workload.year);
  const found = new Map<string, ParameterValue>();
  for (const id of indicatorParameterIds(indicator)) {
    const value = parameterAt(parameters, id, asOf);
    if (value) found.set(id, value);
  }
  const context = gapContext(indicator, workload.level, asOf, found);
  const rows = counts.map((c) => ({
    unit_code: c.unit_code,
    unit_name: c.unit_name,
    ...notReportedFigures(gapFigures({eligible: c.eligible, eligible_urban: c.eligible_urban, achieved_count: c.achieved, missing: c.missing, shortfall: 0}, context), c.communities_eligibility_unknown, c.communities),
  }));
  const ranks = rankByGap(rows);
  return gapAnswer(sortGapRows(rows, "gap").map((r) => ({...r, rank: ranks.get(r.unit_code) ?? null})));
}

/** The unit index at `level` above each community (itself at community level), −1 when none. */
export function ancestorIndex(units: {code: string[]; level: string[]; parent: (string | null)[]; district: (string | null)[]; street: (string | null)[]; index: Map<string, number>}, level: GapLevel): Int32Array {
  const out = new Int32Array(units.code.length).fill(-1);
  for (let i = 0; i < units.code.length; i++) {
    if (units.level[i] !== "community") continue;
    let key: string | null | undefined;
    if (level === "community") key = units.code[i];
    else if (level === "street") key = units.street[i];
    else if (level === "district") key = units.district[i];
    else key = units.district[i] === null ? null : units.parent[units.index.get(units.district[i]!) ?? -1];
    out[i] = key == null ? -1 : units.index.get(key) ?? -1;
  }
  return out;
}
