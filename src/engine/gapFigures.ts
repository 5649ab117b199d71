import type {ParameterInForce} from "./gapParameters.js";
import {costParameterIds, urbanRuralIds, type Indicator, type UrbanRural} from "./indicators.js";
import type {UnitLevel} from "../schemas/units.js";

/**
 * The gap figures (缺口计算) as pure functions: a unit's counts and the parameters in force → rate, gap,
 * cost (rounded to whole fen), rank and order. gapQuery.ts counts in SQL and calls these; the benchmark's
 * JavaScript contenders count in loops and call the same ones, so there is one formula. The rules are
 * spelled out at the top of gapQuery.ts.
 */

/** The levels of the hierarchy, top first (市、区县、街道乡镇、社区村). */
export const gapLevels: readonly UnitLevel[] = ["city", "district", "street", "community"];

export type GapSort = "gap" | "gap_cost" | "achieved" | "name";
/** cannot_answer: the persons at hand do not give what the indicator reads (see GapResult.answer). */
/** not_reported: no community of the unit reported what the indicator reads (未填报; gapQuery's notReportedFigures). */
export type GapStatus = "ok" | "all_missing" | "no_eligible" | "no_target" | "area_target" | "cannot_answer" | "not_reported";

/** The additive counts of a unit, summed over its communities. */
export interface GapCounts {
  /** Eligible persons or communities. */
  eligible: number;
  /** Eligible rows in urban communities (prices urban/rural cost standards). */
  eligible_urban: number;
  /** Eligible rows achieved; null when the indicator's standard has no value in force. */
  achieved_count: number | null;
  /** Eligible rows whose status is unknown; null when the standard has no value in force. */
  missing: number | null;
  /** Summed shortfall below an `at_least` standard among reported rows (m² or yuan); 0 for flags. */
  shortfall: number;
}

export interface GapFigures extends GapCounts {
  /** eligible − missing. */
  reported: number | null;
  achieved_rate: number | null;
  target: number | null;
  gap_rate: number | null;
  /** People (person indicators) or communities (facility indicators) short of the target. */
  gap_count: number | null;
  gap_cost_yuan: number | null;
  /** Why gap_cost_yuan is null (in Chinese, for the tooltip); null when it has a value. */
  gap_cost_reason: string | null;
  meets_target: boolean | null;
  status: GapStatus;
}

/** 下级缺口合计: the sum of some units' own gaps (gapRollup). */
export interface GapRollup {
  /** Σ of the units' known gaps; null when no unit has a known gap (no target applies to any, or all unknown). */
  gap_count: number | null;
  /** Σ of the units' gap costs; null when any unit with a gap cannot be priced (a partial sum would understate it). */
  gap_cost_yuan: number | null;
  /** Units with a gap whose cost could not be priced. */
  units_unpriced: number;
}

/** What pricing reads of a parameter: the engine passes ParameterInForce rows, the benchmark plain values. */
export type PricedParameter = Pick<ParameterInForce, "id" | "value" | "period">;

export interface GapCostInfo<P extends PricedParameter = ParameterInForce> {
  /** The cost parameters in force (unit costs or the standard a shortfall is measured against). */
  parameters: P[];
  /** Cost parameter ids with no value in force on `as_of`. */
  missing: string[];
  /** "year" for a yearly cost, "one_off" for a one-off cost; null when the cost cannot be priced. */
  period: "year" | "one_off" | null;
  /** How the cost is computed (zh). */
  note_zh: string;
}

/** What turning counts into figures needs besides the counts: the parameters in force. */
export interface GapContext<P extends PricedParameter = ParameterInForce> {
  indicator: Indicator;
  as_of: string;
  target: P | null;
  /** The target share in force, whatever the level. */
  target_in_force: number | null;
  target_applies: boolean;
  standard: P | null;
  /** The standard is required (at_least) but has no value in force. */
  standardMissing: boolean;
  cost: GapCostInfo<P>;
  costParameters: Map<string, P>;
}

/**
 * The context of one indicator at one level on `as_of`, from the parameters in force then (`found`:
 * id → value; an id absent is reported missing, never priced as 0).
 */
export function gapContext<P extends PricedParameter>(indicator: Indicator, level: UnitLevel, as_of: string, found: ReadonlyMap<string, P>): GapContext<P> {
  const target = indicator.target.kind === "rate" ? found.get(indicator.target.parameter) ?? null : null;
  const standard = indicator.achieved.kind === "at_least" ? found.get(indicator.achieved.parameter) ?? null : null;
  const standardMissing = indicator.achieved.kind === "at_least" && standard === null;
  const target_applies = gapLevels.indexOf(level) <= gapLevels.indexOf(indicator.targetFrom);
  const target_in_force = standardMissing ? null : indicator.target.kind === "every" ? 1 : target?.value ?? null;

  const costIds = costParameterIds(indicator.cost);
  const missing = costIds.filter((id) => !found.has(id));
  const costParameters = new Map(costIds.filter((id) => found.has(id)).map((id) => [id, found.get(id)!]));
  // The period is the unit cost's; a shortfall priced in yuan (no unit cost) takes the standard's.
  const unitCosts = indicator.cost.parameter === null ? (standard ? [standard] : []) : urbanRuralIds(indicator.cost.parameter).map((id) => costParameters.get(id));
  const periods = new Set(unitCosts.map((p) => (p?.period === "month" || p?.period === "year" ? "year" : p ? "one_off" : null)));
  const period = missing.length || periods.size !== 1 ? null : [...periods][0]!;
  const shown = [...costParameters.values()];
  if (!costIds.length && standard) shown.push(standard);
  return {
    indicator,
    as_of,
    target,
    target_in_force,
    target_applies,
    standard,
    standardMissing,
    cost: {parameters: shown, missing, period, note_zh: indicator.cost.note_zh},
    costParameters,
  };
}

/** Digits kept when comparing rates, so 0.7 × 10 = 7.000000000000001 counts as 7. */
const RATE_DIGITS = 9;
const MONTHS_PER_YEAR = 12;
const FEN_PER_YUAN = 100;

function roundRate(x: number): number {
  const scale = 10 ** RATE_DIGITS;
  return Math.round(x * scale) / scale;
}

/** True when a rate reaches a target, ignoring floating-point noise below RATE_DIGITS digits. */
export function meetsRate(rate: number, target: number): boolean {
  return roundRate(target - rate) <= 0;
}

/**
 * Rounds yuan to whole fen (分): a sum of doubles depends on the order DuckDB adds them in, which differs
 * between hosts and thread counts; at fen the answers agree.
 */
export function toFen(yuan: number): number {
  return Math.round(yuan * FEN_PER_YUAN) / FEN_PER_YUAN;
}

function periodFactor(p: PricedParameter): number {
  return p.period === "month" ? MONTHS_PER_YEAR : 1;
}

/** The urban or rural value of a parameter pair (a single parameter serves both). */
function pick<P extends PricedParameter>(context: GapContext<P>, p: UrbanRural, side: "urban" | "rural"): P {
  return context.costParameters.get(typeof p === "string" ? p : p[side])!;
}

const statusReason_zh: Record<GapStatus, string> = {
  ok: "",
  all_missing: "全部状态未知，无法估计缺口",
  no_eligible: "",
  no_target: "该年度无有效目标或标准参数",
  area_target: "目标是社区覆盖率，按街道及以上计算",
  cannot_answer: "导入的数据不能计算该指标",
  not_reported: "未填报",
};

/** Turns a unit's counts into rates, gap and cost, following the rules at the top of gapQuery.ts. */
export function gapFigures<P extends PricedParameter>(counts: GapCounts, context: GapContext<P>): GapFigures {
  const {eligible} = counts;
  const achieved_count = context.standardMissing ? null : counts.achieved_count;
  const missing = context.standardMissing ? null : counts.missing;
  const reported = missing === null ? null : eligible - missing;
  const achieved_rate = reported && achieved_count !== null ? achieved_count / reported : null;
  const target = context.target_applies ? context.target_in_force : null;
  const status: GapStatus =
    eligible === 0 ? "no_eligible" : reported === 0 ? "all_missing" : !context.target_applies ? "area_target" : target === null ? "no_target" : "ok";

  let gap_rate: number | null = null;
  let gap_count: number | null = null;
  if (status === "no_eligible") gap_count = 0;
  else if (status === "ok" && achieved_rate !== null && target !== null) {
    const meets = meetsRate(achieved_rate, target);
    gap_rate = meets ? 0 : roundRate(target - achieved_rate);
    // From the unrounded difference: rounding the rate first and multiplying by eligible scales the
    // rounding (12 × 0.166666667 = 2.000000004 → 3 where 10 of 12 reached a 100% target leave 2).
    gap_count = meets ? 0 : Math.ceil(roundRate(eligible * (target - achieved_rate)));
  }
  const meets_target = gap_rate === null ? null : gap_rate === 0;
  const {gap_cost_yuan, gap_cost_reason} = gapCost(counts, reported, gap_count, status, context);
  // One object literal per row (no spreads): at a million persons a level can have 23 thousand rows.
  return {
    eligible,
    eligible_urban: counts.eligible_urban,
    achieved_count,
    missing,
    shortfall: counts.shortfall,
    reported,
    achieved_rate,
    target,
    gap_rate,
    gap_count,
    gap_cost_yuan,
    gap_cost_reason,
    meets_target,
    status,
  };
}

/** The figures of a question the data cannot answer: nothing counted, every figure null, the reason as the cost's. */
export function cannotAnswerFigures(reason_zh: string): GapFigures {
  return {
    eligible: 0,
    eligible_urban: 0,
    achieved_count: null,
    missing: null,
    shortfall: 0,
    reported: null,
    achieved_rate: null,
    target: null,
    gap_rate: null,
    gap_count: null,
    gap_cost_yuan: null,
    gap_cost_reason: reason_zh,
    meets_target: null,
    status: "cannot_answer",
  };
}

/** What closing a unit's gap costs (see `CostRule` in indicators.ts), rounded to the fen; null with a reason when it cannot be priced. */
function gapCost<P extends PricedParameter>(
  counts: GapCounts,
  reported: number | null,
  gap_count: number | null,
  status: GapStatus,
  context: GapContext<P>,
): {gap_cost_yuan: number | null; gap_cost_reason: string | null} {
  const rule = context.indicator.cost;
  if (context.cost.missing.length)
    return {gap_cost_yuan: null, gap_cost_reason: `缺少成本参数 ${context.cost.missing.join("、")}（${context.as_of} 无有效值）`};
  if (context.cost.period === null) return {gap_cost_yuan: null, gap_cost_reason: "成本参数周期不一致，无法计价"};
  if (gap_count === null) return {gap_cost_yuan: null, gap_cost_reason: statusReason_zh[status]};
  if (gap_count === 0) return {gap_cost_yuan: 0, gap_cost_reason: null};

  if (rule.kind === "per_gap") {
    const price = (side: "urban" | "rural") => {
      const cost = pick(context, rule.parameter, side);
      return cost.value * periodFactor(cost) * (rule.share ? pick(context, rule.share, side).value : 1);
    };
    // Mean unit cost over the unit's eligible rows, each priced by its community's urban/rural standard.
    const perUnit = (counts.eligible_urban * price("urban") + (counts.eligible - counts.eligible_urban) * price("rural")) / counts.eligible;
    return {gap_cost_yuan: toFen(gap_count * perUnit), gap_cost_reason: null};
  }
  // Shortfall: reported rows' summed shortfall, scaled to all eligible rows as the gap count is.
  const unitCostParameter = rule.parameter === null ? null : context.costParameters.get(rule.parameter)!;
  const unitCost = unitCostParameter ? unitCostParameter.value * periodFactor(unitCostParameter) : 1;
  return {gap_cost_yuan: toFen((counts.shortfall * counts.eligible * unitCost) / (reported ?? 0)), gap_cost_reason: null};
}

/**
 * 下级缺口合计 — the one roll-up rule: the sum of the units' own gaps, units above target offsetting
 * nothing. Units with an unknown gap (all status unknown, no target) add nothing; the count is null when
 * none is known; the cost is null when a unit with a gap has no price, fen-rounded like each unit's.
 */
export function gapRollup(rows: readonly Pick<GapFigures, "gap_count" | "gap_cost_yuan">[]): GapRollup {
  const known = rows.filter((r) => r.gap_count !== null);
  const gapped = known.filter((r) => r.gap_count! > 0);
  const priced = gapped.filter((r) => r.gap_cost_yuan !== null);
  return {
    gap_count: known.length ? known.reduce((s, r) => s + r.gap_count!, 0) : null,
    gap_cost_yuan: priced.length < gapped.length ? null : toFen(priced.reduce((s, r) => s + r.gap_cost_yuan!, 0)),
    units_unpriced: gapped.length - priced.length,
  };
}

/** Competition ranks by gap_count, largest first (1, 2, 2, 4); rows with an unknown gap are absent (null rank). */
export function rankByGap(rows: readonly {unit_code: string; gap_count: number | null}[]): Map<string, number> {
  const known = rows.filter((r) => r.gap_count !== null).sort((a, b) => b.gap_count! - a.gap_count!);
  const ranks = new Map<string, number>();
  known.forEach((row, i) => ranks.set(row.unit_code, i > 0 && known[i - 1]!.gap_count === row.gap_count ? ranks.get(known[i - 1]!.unit_code)! : i + 1));
  return ranks;
}

function compareNullsLast(a: number | null, b: number | null, descending: boolean): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return descending ? b - a : a - b;
}

const collator = new Intl.Collator("zh-CN");

/** The fields a table of gap rows is ordered by. */
export type SortableGapRow = Pick<GapFigures, "gap_count" | "gap_cost_yuan" | "achieved_rate"> & {unit_code: string; unit_name: string};

/** Sorts rows for the table: by gap (largest first), cost (largest first), achieved (lowest first) or name (pinyin). */
export function sortGapRows<R extends SortableGapRow>(rows: readonly R[], sort: GapSort): R[] {
  const byCode = (a: R, b: R) => (a.unit_code < b.unit_code ? -1 : a.unit_code > b.unit_code ? 1 : 0);
  const orders: Record<GapSort, (a: R, b: R) => number> = {
    gap: (a, b) => compareNullsLast(a.gap_count, b.gap_count, true) || compareNullsLast(a.achieved_rate, b.achieved_rate, false) || byCode(a, b),
    gap_cost: (a, b) => compareNullsLast(a.gap_cost_yuan, b.gap_cost_yuan, true) || compareNullsLast(a.gap_count, b.gap_count, true) || byCode(a, b),
    achieved: (a, b) => compareNullsLast(a.achieved_rate, b.achieved_rate, false) || byCode(a, b),
    name: (a, b) => collator.compare(a.unit_name, b.unit_name) || byCode(a, b),
  };
  const order = orders[sort];
  if (!order) throw new Error(`unknown sort ${JSON.stringify(sort)}; known: ${Object.keys(orders).join(", ")}`);
  return [...rows].sort(order);
}

/**
 * A unit none of whose communities reported who is eligible (no 有康复需求 count, no 符合低保条件): 未填报,
 * nothing to rate — not "no one eligible" with a gap of 0. (An unreported status, no 已筛查, is all_missing.)
 */
export function notReportedFigures(f: GapFigures, eligibilityUnknown: number, counted: number): GapFigures {
  if (!eligibilityUnknown || eligibilityUnknown < counted) return f;
  return {...f, status: "not_reported", achieved_rate: null, gap_rate: null, gap_count: null, gap_cost_yuan: null, gap_cost_reason: f.gap_cost_reason ?? "未填报", meets_target: null};
}
