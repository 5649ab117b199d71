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
  // Per community: has persons; some person's eligibility flags are all known (else 未填报, as the engine says).
  const populated = new Uint8Array(units.count);
  const known = new Uint8Array(units.count);
  rows: for (let i = 0; i < persons.count; i++) {
    const community = unitOf[i]!;
    if (community < 0) continue;
    const u = toUnit[community]!;
    if (u < 0) continue;
    populated[community] = 1;
    if (!known[community] && flagTests.every((t) => t.flag[i]! >= 0)) known[community] = 1;
    for (const t of flagTests) if (t.flag[i] !== t.want) continue rows;
    for (const r of ranges) if (r.values[i]! < r.lo || r.values[i]! > r.hi) continue rows;
    eligible[u]++;
    if (units.urbanRural[community] === URBAN) urban[u]++;
    const m = measure[i]!;
    if (m === 1) achieved[u]++;
    else if (m < 0) missing[u]++;
  }
  const communities = new Int32Array(units.count);
  const unknown = new Int32Array(units.count);
  for (let c = 0; c < units.count; c++) {
    if (!populated[c]) continue;
    communities[toUnit[c]!]++;
    if (!known[c]) unknown[toUnit[c]!]++;
  }
  const counts: UnitCounts[] = [];
  for (let u = 0; u < units.count; u++)
    if (units.level[u] === workload.level)
      counts.push({unit_code: units.code[u]!, unit_name: units.name[u]!, eligible: eligible[u]!, eligible_urban: urban[u]!, achieved: achieved[u]!, missing: missing[u]!, communities: communities[u]!, communities_eligibility_unknown: unknown[u]!});
  return gapRowsFromCounts(workload, city.parameters, counts);
}
