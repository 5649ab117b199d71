import type {GapRow} from "./gapQuery.js";
import {meetsRate} from "./gapQuery.js";

/**
 * The distribution of achieved rates over units (达成率分布), for a histogram beside the target line:
 * equal-width bins over 0–1, the last one closed so a rate of 100% has a bin. Units without a rate are
 * counted apart (all missing, no eligible, judged from streets up), never put in the 0% bin.
 */

export interface RateBin {
  /** Lower edge, inclusive. */
  x0: number;
  /** Upper edge: exclusive, except 1 in the last bin. */
  x1: number;
  units: number;
  /** Units in the bin below the target (meets_target false). */
  below_target: number;
  /** Eligible persons (or communities) in the bin's units. */
  eligible: number;
}

export interface RateDistribution {
  bins: RateBin[];
  /** Units with eligible rows but no reported status. */
  all_missing: number;
  /** Units with no eligible row. */
  no_eligible: number;
  /** Units none of whose communities reported who is eligible (未填报). */
  not_reported: number;
  /** The target drawn on the chart; null when none applies. */
  target: number | null;
}

/** Digits kept before flooring rate ÷ width, so 0.3 ÷ 0.1 = 2.9999999999999996 falls in the bin [0.3, 0.4). */
const BIN_DIGITS = 9;

/**
 * Bins the achieved rates of gapQuery rows. `width` is the bin width as a share (default 0.1, ten bins of
 * 10 percentage points) and must divide 1 evenly.
 *
 * @example rateDistribution(result.rows, {target: result.target_value}).bins[6] // {x0: 0.6, x1: 0.7, units: 3, …}
 */
export function rateDistribution(rows: readonly GapRow[], options: {width?: number; target?: number | null} = {}): RateDistribution {
  const width = options.width ?? 0.1;
  const count = Math.round(1 / width);
  if (!(width > 0) || !meetsRate(count * width, 1) || !meetsRate(1, count * width)) throw new Error(`bin width must divide 1 evenly, got ${width}`);
  const scale = 10 ** BIN_DIGITS;
  const bins: RateBin[] = Array.from({length: count}, (_, i) => ({x0: Math.round(i * width * scale) / scale, x1: Math.round((i + 1) * width * scale) / scale, units: 0, below_target: 0, eligible: 0}));
  let all_missing = 0;
  let no_eligible = 0;
  let not_reported = 0;
  for (const row of rows) {
    if (row.status === "not_reported") not_reported++;
    else if (row.eligible === 0) no_eligible++;
    else if (row.achieved_rate === null) all_missing++;
    else {
      const bin = bins[Math.min(count - 1, Math.floor(Math.round((row.achieved_rate / width) * scale) / scale))];
      bin.units++;
      bin.eligible += row.eligible;
      if (row.meets_target === false) bin.below_target++;
    }
  }
  return {bins, all_missing, no_eligible, not_reported, target: options.target ?? null};
}
