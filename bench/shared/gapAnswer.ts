import {sortGapRows, meetsRate, type GapLevel, type GapRow} from "../../src/engine/gapQuery.js";
import {yearEnd} from "../../src/engine/gapParameters.js";
import {indicatorById, type PersonIndicator} from "../../src/engine/indicators.js";
import {parameterAt} from "../../src/engine/parameterAt.js";
import type {ParameterValue} from "./typedCity.js";

/**
 * The gap query's answer as every contender must give it, and the JavaScript tail the Arquero and
 * typed-array contenders share: per-unit counts → rate, target, gap, cost, rank, order (the rules of
 * src/engine/gapQuery.ts, for person indicators with a flag measure, the ones the benchmark runs).
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
}

const RATE_DIGITS = 1e9;
const round9 = (x: number) => Math.round(x * RATE_DIGITS) / RATE_DIGITS;
const MONTHS_PER_YEAR = 12;

/** Counts → ranked answer rows, as gapQuery turns its SQL counts into figures. */
export function gapRowsFromCounts(workload: GapWorkload, parameters: readonly ParameterValue[], counts: readonly UnitCounts[]): GapAnswerRow[] {
  const indicator = benchIndicator(workload.indicator);
  const asOf = yearEnd(workload.year);
  const at = (id: string) => parameterAt(parameters, id, asOf);
  const target = indicator.target.kind === "every" ? 1 : at(indicator.target.parameter)?.value ?? null;
  const rule = indicator.cost;
  const side = (p: string | {urban: string; rural: string}, s: "urban" | "rural") => at(typeof p === "string" ? p : p[s]);
  const price = (s: "urban" | "rural") => {
    const cost = side(rule.parameter, s);
    const share = rule.share ? side(rule.share, s) : undefined;
    if (!cost || (rule.share && !share)) return null;
    return cost.value * (cost.period === "month" ? MONTHS_PER_YEAR : 1) * (share ? share.value : 1);
  };
  const [urbanPrice, ruralPrice] = [price("urban"), price("rural")];
  const rows = counts.map((c) => {
    const reported = c.eligible - c.missing;
    const achieved_rate = reported ? c.achieved / reported : null;
    const ok = c.eligible > 0 && reported > 0 && target !== null;
    let gap_rate: number | null = null;
    let gap_count: number | null = c.eligible === 0 ? 0 : null;
    if (ok && achieved_rate !== null) {
      gap_rate = meetsRate(achieved_rate, target!) ? 0 : round9(target! - achieved_rate);
      gap_count = Math.ceil(round9(c.eligible * gap_rate));
    }
    let gap_cost_yuan: number | null = null;
    if (urbanPrice !== null && ruralPrice !== null && gap_count !== null)
      gap_cost_yuan = gap_count === 0 ? 0 : (gap_count * (c.eligible_urban * urbanPrice + (c.eligible - c.eligible_urban) * ruralPrice)) / c.eligible;
    return {
      unit_code: c.unit_code,
      unit_name: c.unit_name,
      eligible: c.eligible,
      eligible_urban: c.eligible_urban,
      achieved_count: c.achieved,
      missing: c.missing,
      achieved_rate,
      gap_count,
      gap_cost_yuan,
      rank: null as number | null,
    };
  });
  // Competition ranks by gap, largest first (1, 2, 2, 4).
  const known = rows.filter((r) => r.gap_count !== null).sort((a, b) => b.gap_count! - a.gap_count!);
  known.forEach((r, i) => (r.rank = i > 0 && known[i - 1]!.gap_count === r.gap_count ? known[i - 1]!.rank : i + 1));
  return gapAnswer(sortGapRows(rows as unknown as GapRow[], "gap"));
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
