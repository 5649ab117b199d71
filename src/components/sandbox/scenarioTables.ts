import {fundingLevelLabels, fundingLevels, programmes, type FundingLevel} from "../../engine/programmes.js";
import {totalsByYear, type ScenarioResult, type ScenarioRow} from "../../engine/runScenario.js";

/**
 * The sandbox's tables and chart series from the engine's result rows: only selections, sums over
 * programmes and ratios of those sums — every cost comes from runScenario. Pure: no DOM.
 */

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export interface YearTotal {
  year: number;
  cost_yuan: number;
  baseline_cost_yuan: number;
  delta_yuan: number;
  newly_covered: number;
  /** Projected residents (the per-resident denominator). */
  residents: number;
  /** Total cost per projected resident (sum of the programmes' per-resident costs). */
  per_resident_yuan: number;
  /** Increase over the baseline per person newly covered; null when nobody is newly covered. */
  cost_per_newly_covered: number | null;
}

/** Totals per simulated year over all programmes. */
export function yearTotals(result: ScenarioResult): YearTotal[] {
  return totalsByYear(result).map((t) => {
    const rows = result.rows.filter((r) => r.year === t.year && r.level === "total");
    return {
      ...t,
      residents: result.residents[t.year] ?? 0,
      per_resident_yuan: rows.reduce((s, r) => s + r.per_resident_yuan, 0),
      cost_per_newly_covered: ratio(t.delta_yuan, t.newly_covered),
    };
  });
}

/** The "total" rows of one year, in the programmes' order. */
export function programmeRows(result: ScenarioResult, year: number): ScenarioRow[] {
  const order = new Map(programmes.map((p, i) => [p.id, i]));
  return result.rows.filter((r) => r.year === year && r.level === "total").sort((a, b) => (order.get(a.programme) ?? 0) - (order.get(b.programme) ?? 0));
}

/** One row per programme: a field's value in each year, and the sum over the years. */
export interface ProgrammeYears {
  programme: string;
  programme_zh: string;
  values: Record<number, number>;
  sum: number;
}

export function programmeYears(result: ScenarioResult, field: "cost_yuan" | "delta_yuan" | "baseline_cost_yuan"): ProgrammeYears[] {
  const out = new Map<string, ProgrammeYears>();
  for (const p of programmes) out.set(p.id, {programme: p.id, programme_zh: p.label.zh, values: {}, sum: 0});
  for (const r of result.rows) {
    if (r.level !== "total") continue;
    const row = out.get(r.programme);
    if (!row) continue;
    row.values[r.year] = r[field];
    row.sum += r[field];
  }
  return [...out.values()].filter((r) => Object.keys(r.values).length > 0);
}

/** Stacked-bar series: the `top` programmes by cost in the last year, the others summed as 其他项目. */
export function costSeries(result: ScenarioResult, top = 6): {series: string[]; data: {year: number; series: string; cost_yuan: number}[]} {
  const last = result.scenario.years.at(-1)!;
  const ranked = programmeRows(result, last)
    .filter((r) => r.cost_yuan > 0)
    .sort((a, b) => b.cost_yuan - a.cost_yuan);
  const named = new Map(ranked.slice(0, top).map((r) => [r.programme, r.programme_zh]));
  const other = "其他项目";
  const series = [...named.values(), ...(ranked.length > top ? [other] : [])];
  const sums = new Map<string, number>();
  for (const r of result.rows) {
    if (r.level !== "total") continue;
    const key = `${r.year}|${named.get(r.programme) ?? other}`;
    sums.set(key, (sums.get(key) ?? 0) + r.cost_yuan);
  }
  const data = result.scenario.years.flatMap((year) => series.map((s) => ({year, series: s, cost_yuan: sums.get(`${year}|${s}`) ?? 0})));
  return {series, data};
}

export interface FundingYear {
  year: number;
  level: FundingLevel;
  level_zh: string;
  cost_yuan: number;
  delta_yuan: number;
}

/** Cost and increase per year and funding level (中央/省级/市级/区县级), summed over programmes. */
export function fundingByYear(result: ScenarioResult): FundingYear[] {
  return result.scenario.years.flatMap((year) =>
    fundingLevels.map((level) => {
      const rows = result.rows.filter((r) => r.year === year && r.level === level);
      return {
        year,
        level,
        level_zh: fundingLevelLabels[level],
        cost_yuan: rows.reduce((s, r) => s + r.cost_yuan, 0),
        delta_yuan: rows.reduce((s, r) => s + r.delta_yuan, 0),
      };
    }),
  );
}

/** The scenarios side by side: per year, each scenario's total, increase over the baseline and people newly covered. */
export function compareYears(results: readonly (ScenarioResult | undefined)[]): {year: number; cost: (number | null)[]; delta: (number | null)[]; newly: (number | null)[]}[] {
  const first = results.find((r) => r !== undefined);
  if (!first) return [];
  const totals = results.map((r) => (r ? new Map(yearTotals(r).map((t) => [t.year, t])) : undefined));
  return first.scenario.years.map((year) => ({
    year,
    cost: totals.map((t) => t?.get(year)?.cost_yuan ?? null),
    delta: totals.map((t) => t?.get(year)?.delta_yuan ?? null),
    newly: totals.map((t) => t?.get(year)?.newly_covered ?? null),
  }));
}
