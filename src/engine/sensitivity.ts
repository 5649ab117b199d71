import {engineParameterIds, fundingLevels, parameterIds} from "./programmes.js";
import type {Queryable} from "./queryable.js";
import {computeSums, modelOf, type Model} from "./runScenario.js";
import type {Scenario} from "./scenario.js";
import {computeLevers, scenarioParameters, type Levers} from "./scenarioLevers.js";
import {overrideTimeline, yearValue, type ParameterTimeline} from "./scenarioParameters.js";

/**
 * Sensitivity (敏感性分析, tornado data): which parameters move a year's total most. Each parameter the
 * engine reads is moved down and up — by ±10% of every dated value, a share kept within 0–1, a yearly
 * rate of change by ±1 percentage point instead (10% of −0.1% would hide it) — and the year's total cost
 * is recomputed with everything else as in the scenario. The target year and the funding shares are
 * left out: the first is not a quantity, the second split a total without changing it.
 */

export interface TornadoBar {
  id: string;
  label_zh: string;
  unit: string;
  /** The parameter's value in the year, as the scenario runs it, and the two moved values. */
  value: number;
  low_value: number;
  high_value: number;
  /** The year's total cost with the parameter moved down / up, and the change from the scenario's total. */
  low_total_yuan: number;
  high_total_yuan: number;
  low_delta_yuan: number;
  high_delta_yuan: number;
  /** |high − low|, the bar's length; bars come longest first. */
  swing_yuan: number;
}

export interface Tornado {
  year: number;
  total_yuan: number;
  bars: TornadoBar[];
}

const excluded = new Set<string>([parameterIds.targetYear, ...fundingLevels.map(parameterIds.fundingShare)]);

/** How a parameter is moved: a function of a value, down and up. */
export function moves(timeline: ParameterTimeline, relative: number): [(v: number) => number, (v: number) => number] {
  if (/^relative change/.test(timeline.unit)) return [(v) => v - relative / 10, (v) => v + relative / 10];
  if (/^share 0[–-]1/.test(timeline.unit)) return [(v) => Math.max(0, v * (1 - relative)), (v) => Math.min(1, v * (1 + relative))];
  return [(v) => v * (1 - relative), (v) => v * (1 + relative)];
}

/** Parameters per query: keeps the bound VALUES lists a few thousand values long. */
const VARIANTS_PER_QUERY = 24;

/** Tornado data for one year of a scenario (its last year unless given). */
export async function sensitivity(db: Queryable, scenario: Scenario, options: {year?: number; relative?: number; ids?: readonly string[]; model?: Model} = {}): Promise<Tornado> {
  const model = options.model ?? (await modelOf(db));
  const year = options.year ?? scenario.years.at(-1)!;
  const relative = options.relative ?? 0.1;
  const single: Scenario = {...scenario, years: [year]};
  const {parameters} = scenarioParameters(model.parameters, single, model.provinces);
  const ids = (options.ids ?? engineParameterIds()).filter((id) => !excluded.has(id) && parameters.has(id));
  const base = computeLevers(parameters, single, model.programmes);
  const variants: Levers[] = [];
  const info = new Map<string, {timeline: ParameterTimeline; value: number; low: number; high: number}>();
  for (const id of ids) {
    const timeline = parameters.get(id)!;
    const [down, up] = moves(timeline, relative);
    const moved = (f: (v: number) => number) =>
      overrideTimeline(timeline, timeline.values.map((v) => ({date: v.effective_date, value: f(v.value)})));
    const lowSet = new Map(parameters).set(id, moved(down));
    const highSet = new Map(parameters).set(id, moved(up));
    const low = computeLevers(lowSet, single, model.programmes);
    const high = computeLevers(highSet, single, model.programmes);
    info.set(id, {timeline, value: yearValue(timeline, year), low: yearValue(moved(down), year), high: yearValue(moved(up), year)});
    variants.push(low, high);
  }
  // Set 1 is the scenario itself (its total), sets 2… the moved variants; set 0 is only the comparison.
  const totals: number[] = [];
  let baseTotal = 0;
  for (let i = 0; i === 0 || i < variants.length; i += VARIANTS_PER_QUERY) {
    const chunk = variants.slice(i, i + VARIANTS_PER_QUERY);
    const bySet = new Map<number, number>();
    for (const s of await computeSums(db, model, [base, base, ...chunk])) bySet.set(s.set, (bySet.get(s.set) ?? 0) + s.cost);
    baseTotal = bySet.get(1) ?? 0;
    chunk.forEach((_, j) => totals.push(bySet.get(j + 2) ?? 0));
  }
  const bars: TornadoBar[] = ids.map((id, k) => {
    const {timeline, value, low, high} = info.get(id)!;
    const lowTotal = totals[2 * k]!;
    const highTotal = totals[2 * k + 1]!;
    return {
      id,
      label_zh: timeline.label_zh,
      unit: timeline.unit,
      value,
      low_value: low,
      high_value: high,
      low_total_yuan: lowTotal,
      high_total_yuan: highTotal,
      low_delta_yuan: lowTotal - baseTotal,
      high_delta_yuan: highTotal - baseTotal,
      swing_yuan: Math.abs(highTotal - lowTotal),
    };
  });
  bars.sort((a, b) => b.swing_yuan - a.swing_yuan || (a.id < b.id ? -1 : 1));
  return {year, total_yuan: baseTotal, bars};
}
