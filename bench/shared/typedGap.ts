import type {PersonFlag} from "../../src/engine/programmes.js";
import {ancestorIndex, benchIndicator, gapRowsFromCounts, type GapAnswerRow, type GapWorkload, type UnitCounts} from "./gapAnswer.js";
import {URBAN, type TypedCity} from "./typedCity.js";

/**
 * The gap query as one loop over typed arrays: eligible, urban, achieved and unknown counts per unit
 * at the level, then the shared JavaScript tail (rates, targets, gaps, costs, ranks).
 */
export function typedGap(city: TypedCity, workload: GapWorkload): GapAnswerRow[] {
  const indicator = benchIndicator(workload.indicator);
  const {units, persons} = city;
  const toUnit = ancestorIndex(units, workload.level);
  const eligible = new Int32Array(units.count);
  const urban = new Int32Array(units.count);
  const achieved = new Int32Array(units.count);
  const missing = new Int32Array(units.count);
  const flagTests = indicator.eligible.flatMap((c) => ("is" in c ? [{flag: persons.flags[c.column as PersonFlag], want: c.is ? 1 : 0}] : []));
  const ranges = indicator.eligible.flatMap((c) => ("between" in c ? [{values: c.column === "age" ? persons.age : persons.grade, lo: c.between[0], hi: c.between[1]}] : []));
  const measure = persons.flags[indicator.achieved.column as PersonFlag];
  const unitOf = persons.unit;
  rows: for (let i = 0; i < persons.count; i++) {
    const community = unitOf[i]!;
    if (community < 0) continue;
    const u = toUnit[community]!;
    if (u < 0) continue;
    for (const t of flagTests) if (t.flag[i] !== t.want) continue rows;
    for (const r of ranges) if (r.values[i]! < r.lo || r.values[i]! > r.hi) continue rows;
    eligible[u]++;
    if (units.urbanRural[community] === URBAN) urban[u]++;
    const m = measure[i]!;
    if (m === 1) achieved[u]++;
    else if (m < 0) missing[u]++;
  }
  const counts: UnitCounts[] = [];
  for (let u = 0; u < units.count; u++)
    if (units.level[u] === workload.level)
      counts.push({unit_code: units.code[u]!, unit_name: units.name[u]!, eligible: eligible[u]!, eligible_urban: urban[u]!, achieved: achieved[u]!, missing: missing[u]!});
  return gapRowsFromCounts(workload, city.parameters, counts);
}
