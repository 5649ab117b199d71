import type {Cube} from "../../src/engine/cube.js";
import {ageBands, ageBandStarts, personFlags, type PersonSelection, type Programme} from "../../src/engine/programmes.js";
import {grows, type Growth} from "../../src/engine/cube.js";
import type {LeverSums} from "../../src/engine/runScenario.js";
import type {Levers} from "../../src/engine/scenarioLevers.js";
import {disabilityCategories} from "../../src/schemas/persons.js";
import {RURAL, URBAN, type TypedCity} from "./typedCity.js";

/**
 * The scenario recompute as loops over typed arrays, in two stages like the engine's cube:
 * `typedBases` (persons → each programme's base rows per community: the "raw" stage) and `typedSums`
 * (base rows × levers → sums per year and programme: the "cube" stage). Same formulas and the same
 * shortcuts as src/engine/cube.ts and runScenario.ts's city totals: linear programmes summed to one row,
 * person targets answered from communities sorted by the share already covered (prefix sums, a binary
 * search per target), facility targets from per-district prefix sums of persons by rank.
 */

export interface ProgrammeBases {
  id: string;
  kind: Programme["kind"];
  grows: Growth;
  rows: number;
  quantity: Float64Array;
  achieved: Float64Array;
  persons: Float64Array;
  districtUnits: Int32Array;
  districtHave: Int32Array;
  rank: Int32Array;
  /** Index of each row's district. */
  district: Int32Array;
  /** person_target: distinct covered shares a/q ascending, and Σq, Σa over the shares before index i (length + 1). */
  ratios?: {r: Float64Array; qBefore: Float64Array; aBefore: Float64Array};
  /** unit_target, per district: communities, equipped, lacking, and persons in its first n communities to equip. */
  districts?: {units: Int32Array; have: Int32Array; lacking: Int32Array; personsFirst: Float64Array[]};
}

export interface TypedBases {
  cube: Cube;
  programmes: ProgrammeBases[];
}

interface Masks {
  category: number;
  grade: number;
  band: number;
  flags: number;
  urbanRural: number;
  achievedFlag: number;
}

const ALL = 0x7fffffff;

function masks(selection: PersonSelection, achieved: number): Masks {
  const bits = (values: readonly unknown[] | undefined, index: (v: never) => number) => (values ? values.reduce<number>((m, v) => m | (1 << index(v as never)), 0) : ALL);
  return {
    category: bits(selection.categories, (c: string) => (disabilityCategories as readonly string[]).indexOf(c)),
    grade: bits(selection.grades, (g: number) => g),
    band: bits(selection.ageBands, (b: string) => (ageBands as readonly string[]).indexOf(b)),
    flags: (selection.flags ?? []).reduce((m, f) => m | (1 << personFlags.indexOf(f)), 0),
    urbanRural: selection.urbanRural === "urban" ? URBAN : selection.urbanRural === "rural" ? RURAL : 0,
    achievedFlag: achieved,
  };
}

/** Persons → base rows of every programme (the raw stage). */
export function typedBases(city: TypedCity, progs: readonly Programme[]): TypedBases {
  const {units, persons} = city;
  const communities: number[] = [];
  for (let u = 0; u < units.count; u++) if (units.level[u] === "community") communities.push(u);
  // Programme masks; a programme's achieved flag counts persons already covered (person targets only).
  const m = progs.map((p) => masks(p.persons ?? {}, p.kind === "person_target" && p.achieved ? 1 << personFlags.indexOf(p.achieved as never) : 0));
  const P = progs.length;
  // Masks as flat arrays (category, grade, band, flags, urban/rural, achieved flag per programme).
  const mask = new Int32Array(P * 6);
  m.forEach((x, p) => mask.set([x.category, x.grade, x.band, x.flags, x.urbanRural, x.achievedFlag], p * 6));
  const q = new Float64Array(P * units.count);
  const a = new Float64Array(P * units.count);
  const starts = ageBands.slice(1).map((b) => ageBandStarts[b]);
  const bandOfAge = new Int8Array(256);
  for (let age = 0; age < 256; age++) {
    let band = 0;
    while (band < starts.length && age >= starts[band]!) band++;
    bandOfAge[age] = band;
  }
  const flagColumns = personFlags.map((f) => persons.flags[f]);
  const F = flagColumns.length;
  const flagBits = new Int32Array(persons.count);
  for (let f = 0; f < F; f++) {
    const column = flagColumns[f]!;
    const bit = 1 << f;
    for (let i = 0; i < persons.count; i++) if (column[i] === 1) flagBits[i] |= bit;
  }
  const {unit: unitOf, age: ages, category: categories, grade: grades} = persons;
  const ur = units.urbanRural;
  const stride = units.count;
  let counted = 0;
  for (let i = 0; i < persons.count; i++) {
    const u = unitOf[i]!;
    if (u < 0) continue;
    counted++;
    const categoryBit = 1 << categories[i]!;
    const gradeBit = 1 << grades[i]!;
    const bandBit = 1 << bandOfAge[Math.min(255, Math.max(0, ages[i]!))]!;
    const flags = flagBits[i]!;
    const urbanRural = ur[u]!;
    for (let p = 0, k = 0; p < P; p++, k += 6) {
      const need = mask[k + 3]!;
      const side = mask[k + 4]!;
      if (!(mask[k]! & categoryBit) || !(mask[k + 1]! & gradeBit) || !(mask[k + 2]! & bandBit) || (flags & need) !== need || (side && side !== urbanRural)) continue;
      q[p * stride + u]++;
      if (flags & mask[k + 5]!) a[p * stride + u]++;
    }
  }

  // Communities per district (all of them, before a programme keeps its rows).
  const districtOf = new Map<string | null, number>();
  const district = communities.map((u) => {
    const key = units.district[u] ?? null;
    if (!districtOf.has(key)) districtOf.set(key, districtOf.size);
    return districtOf.get(key)!;
  });
  const districtUnits = new Int32Array(districtOf.size);
  for (const d of district) districtUnits[d]++;

  let residents = 0;
  for (const u of communities) residents += units.residents[u]!;
  // Position of each community in unit-code order: the rank's tie-break, compared as a number.
  const byCode = communities.map((_, k) => k).sort((x, y) => (units.code[communities[x]!]! < units.code[communities[y]!]! ? -1 : 1));
  const codeOrder = new Int32Array(communities.length);
  byCode.forEach((k, position) => (codeOrder[k] = position));
  const C = communities.length;
  const programmes = progs.map((prog, p): ProgrammeBases => {
    const have = new Uint8Array(C);
    if (prog.kind === "unit_target" && prog.achieved) {
      const flag = units.flags[prog.achieved as keyof typeof units.flags];
      for (let k = 0; k < C; k++) have[k] = flag[communities[k]!] === 1 ? 1 : 0;
    }
    const districtHave = new Int32Array(districtOf.size);
    for (let k = 0; k < C; k++) districtHave[district[k]!] += have[k]!;
    const personsOf = new Float64Array(C);
    const achievedOf = new Float64Array(C);
    for (let k = 0; k < C; k++) {
      personsOf[k] = q[p * stride + communities[k]!]!;
      achievedOf[k] = a[p * stride + communities[k]!]!;
    }
    // Rank within (district, have): most of the programme's persons first, then unit code.
    const rank = new Int32Array(C);
    if (prog.kind === "unit_target") {
      const order = Array.from({length: C}, (_, k) => k);
      order.sort((x, y) => district[x]! - district[y]! || have[x]! - have[y]! || personsOf[y]! - personsOf[x]! || codeOrder[x]! - codeOrder[y]!);
      let previous = -1;
      let n = 0;
      for (const k of order) {
        const group = district[k]! * 2 + have[k]!;
        n = group === previous ? n + 1 : 1;
        previous = group;
        rank[k] = n;
      }
    }
    const kept: number[] = [];
    const quantity: number[] = [];
    const posts = prog.posts ? units.flags[prog.posts] : null;
    for (let k = 0; k < C; k++) {
      const u = communities[k]!;
      if (prog.kind === "per_resident") kept.push(k), quantity.push(units.residents[u]!);
      else if (posts) {
        if (posts[u] === 1) kept.push(k), quantity.push(1);
      } else if (prog.kind === "unit_target") {
        if (!have[k]) kept.push(k), quantity.push(1);
      } else if (personsOf[k]! > 0) kept.push(k), quantity.push(personsOf[k]!);
    }
    return {
      id: prog.id,
      kind: prog.kind,
      grows: grows(prog),
      rows: kept.length,
      quantity: Float64Array.from(quantity),
      achieved: Float64Array.from(kept, (k) => achievedOf[k]!),
      persons: Float64Array.from(kept, (k) => personsOf[k]!),
      districtUnits: Int32Array.from(kept, (k) => districtUnits[district[k]!]!),
      districtHave: Int32Array.from(kept, (k) => districtHave[district[k]!]!),
      rank: Int32Array.from(kept, (k) => rank[k]!),
      district: Int32Array.from(kept, (k) => district[k]!),
    };
  });
  for (const b of programmes) {
    if (b.kind === "person_target") b.ratios = shareSteps(b);
    if (b.kind === "unit_target") b.districts = districtSteps(b, districtOf.size);
  }
  // Linear kinds need no per-community rows: their totals are linear in each row's quantity with levers
  // every community shares, so one summed row per programme gives the same sums (as the engine's
  // scenario_bases_city does).
  for (const b of programmes) {
    if (!linearKinds.includes(b.kind)) continue;
    const sum = (xs: Float64Array) => Float64Array.of(xs.reduce((s, x) => s + x, 0));
    Object.assign(b, {rows: b.rows ? 1 : 0, quantity: sum(b.quantity), achieved: sum(b.achieved), persons: sum(b.persons), districtUnits: new Int32Array(1), districtHave: new Int32Array(1), rank: new Int32Array(1)});
  }
  const baseRows = programmes.reduce((s, p) => s + p.rows, 0);
  return {
    cube: {residents, persons: counted, communities: communities.length, cubeRows: 0, baseRows, orphanPersons: persons.count - counted},
    programmes,
  };
}

/** Communities summed by the share already covered (a/q), ascending, with running sums before each share. */
function shareSteps(b: ProgrammeBases): NonNullable<ProgrammeBases["ratios"]> {
  const order = Array.from({length: b.rows}, (_, i) => i).map((i) => ({r: b.achieved[i]! / b.quantity[i]!, i}));
  order.sort((x, y) => x.r - y.r);
  const r: number[] = [];
  const q: number[] = [];
  const a: number[] = [];
  for (const {r: share, i} of order) {
    if (r.length && r.at(-1) === share) (q[q.length - 1]! += b.quantity[i]!), (a[a.length - 1]! += b.achieved[i]!);
    else r.push(share), q.push(b.quantity[i]!), a.push(b.achieved[i]!);
  }
  const qBefore = new Float64Array(r.length + 1);
  const aBefore = new Float64Array(r.length + 1);
  for (let k = 0; k < r.length; k++) (qBefore[k + 1] = qBefore[k]! + q[k]!), (aBefore[k + 1] = aBefore[k]! + a[k]!);
  return {r: Float64Array.from(r), qBefore, aBefore};
}

/** Per district: its communities, how many are equipped, how many lack the facility, persons in the first n by rank. */
function districtSteps(b: ProgrammeBases, districts: number): NonNullable<ProgrammeBases["districts"]> {
  const units = new Int32Array(districts);
  const have = new Int32Array(districts);
  const lacking = new Int32Array(districts);
  const byRank: number[][] = Array.from({length: districts}, () => []);
  for (let i = 0; i < b.rows; i++) {
    const d = b.district[i]!;
    units[d] = b.districtUnits[i]!;
    have[d] = b.districtHave[i]!;
    lacking[d]++;
    byRank[d]![b.rank[i]! - 1] = b.persons[i]!;
  }
  const personsFirst = byRank.map((persons) => {
    const first = new Float64Array(persons.length + 1);
    persons.forEach((x, n) => (first[n + 1] = first[n]! + x));
    return first;
  });
  return {units, have, lacking, personsFirst};
}

/** Persons a rate k leaves uncovered: k·Σq − Σa over the communities whose covered share is below k. */
function uncovered(steps: NonNullable<ProgrammeBases["ratios"]>, k: number): number {
  let lo = 0;
  let hi = steps.r.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps.r[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return k * steps.qBefore[lo]! - steps.aBefore[lo]!;
}

/** Programme kinds whose recompute is linear in a base row's quantity (see the engine's cube.ts). */
export const linearKinds: readonly Programme["kind"][] = ["per_resident", "cash", "one_off"];

/** Round half away from zero to 9 digits, as DuckDB's round(x, 9). */
const round9 = (x: number) => Math.sign(x) * Math.round(Math.abs(x) * 1e9) / 1e9;

interface YearValues {
  pvol: number;
  pvolPrev: number;
  rvol: number;
  ramp: number;
  rampPrev: number;
}

interface ProgrammeValues {
  price: number;
  running: number;
  share: number;
  target: number;
}

/**
 * Adds one programme-year's rows to `sum`, under the scenario's levers (l, y) and the comparison's
 * (l0, y0): runScenario.ts's row formulas with the programme kind decided once, outside the loop.
 */
function addRows(b: ProgrammeBases, l: ProgrammeValues, y: YearValues, l0: ProgrammeValues, y0: YearValues, sum: LeverSums): void {
  const {quantity, achieved, persons} = b;
  const n = b.rows;
  const vol = b.grows === "residents" ? y.rvol : b.grows === "persons" ? y.pvol : 1;
  const vol0 = b.grows === "residents" ? y0.rvol : b.grows === "persons" ? y0.pvol : 1;
  let cost = 0, cost0 = 0, ben = 0, ben0 = 0, covered = 0, counted = 0, units = 0;
  switch (b.kind) {
    case "per_resident":
      for (let i = 0; i < n; i++) {
        const q = quantity[i]!;
        cost += q * vol * l.price;
        cost0 += q * vol0 * l0.price;
        ben += persons[i]! * y.pvol;
        ben0 += persons[i]! * y0.pvol;
        counted += q * vol;
      }
      break;
    case "cash":
    case "one_off":
      for (let i = 0; i < n; i++) {
        const q = quantity[i]!;
        const receiving = q * vol * l.share;
        const receiving0 = q * vol0 * l0.share;
        cost += receiving * l.price;
        cost0 += receiving0 * l0.price;
        ben += receiving;
        ben0 += receiving0;
        covered += Math.max(0, receiving - receiving0);
        counted += q * vol;
      }
      break;
    case "person_target": {
      // City totals from the share steps, as the engine's scenario_person_ratios query.
      const steps = b.ratios!;
      const q = steps.qBefore[steps.r.length]!;
      const now = uncovered(steps, l.target * y.pvol) * y.ramp;
      const step = Math.max(0, now - uncovered(steps, l.target * y.pvolPrev) * y.rampPrev);
      const now0 = uncovered(steps, l0.target * y0.pvol) * y0.ramp;
      const step0 = Math.max(0, now0 - uncovered(steps, l0.target * y0.pvolPrev) * y0.rampPrev);
      cost = step * l.price + now * l.running;
      cost0 = step0 * l0.price + now0 * l0.running;
      ben = l.running > 0 ? now : step;
      ben0 = l0.running > 0 ? now0 : step0;
      covered = Math.max(0, now - now0);
      counted = q * y.pvol;
      break;
    }
    case "unit_target": {
      // Per district: the communities to equip, ceil(target × communities) − equipped within 0…lacking.
      const d = b.districts!;
      let coveredS = 0;
      let covered0 = 0;
      for (let k = 0; k < d.units.length; k++) {
        if (d.lacking[k] === 0) continue;
        const n = Math.min(d.lacking[k]!, Math.max(0, Math.ceil(round9(l.target * d.units[k]!)) - d.have[k]!));
        const n0 = Math.min(d.lacking[k]!, Math.max(0, Math.ceil(round9(l0.target * d.units[k]!)) - d.have[k]!));
        const personsNow = d.personsFirst[k]![n]! * y.pvol;
        const personsNow0 = d.personsFirst[k]![n0]! * y0.pvol;
        cost += n * (y.ramp - y.rampPrev) * l.price + n * y.ramp * l.running;
        cost0 += n0 * (y0.ramp - y0.rampPrev) * l0.price + n0 * y0.ramp * l0.running;
        ben += (l.running > 0 ? y.ramp : y.ramp - y.rampPrev) * personsNow;
        ben0 += (l0.running > 0 ? y0.ramp : y0.ramp - y0.rampPrev) * personsNow0;
        coveredS += y.ramp * personsNow;
        covered0 += y0.ramp * personsNow0;
        counted += n;
        units += n * y.ramp;
      }
      covered = Math.max(0, coveredS - covered0);
      break;
    }
  }
  sum.cost += cost;
  sum.base_cost += cost0;
  sum.beneficiaries += ben;
  sum.base_beneficiaries += ben0;
  sum.newly_covered += covered;
  sum.counted += counted;
  sum.units += units;
}

/** Base rows × lever sets 1…n against set 0 → sums per set, year and programme (the cube stage). */
export function typedSums(bases: TypedBases, sets: readonly Levers[]): LeverSums[] {
  const out: LeverSums[] = [];
  const base = sets[0]!;
  const yearOf = (levers: Levers, year: number): YearValues => {
    const y = levers.years.find((x) => x.year === year)!;
    return {pvol: y.personVolume, pvolPrev: y.personVolumePrev, rvol: y.residentVolume, ramp: y.ramp, rampPrev: y.rampPrev};
  };
  const programmeOf = (levers: Levers, id: string, year: number): ProgrammeValues | undefined => {
    const p = levers.programmes.find((x) => x.programme === id && x.year === year);
    return p && {price: p.price, running: p.running, share: p.share, target: p.target};
  };
  for (let set = 1; set < sets.length; set++) {
    const levers = sets[set]!;
    for (const y of levers.years) {
      const ys = yearOf(levers, y.year);
      const y0 = yearOf(base, y.year);
      for (const b of bases.programmes) {
        const l = programmeOf(levers, b.id, y.year);
        const l0 = programmeOf(base, b.id, y.year);
        if (b.rows === 0 || !l || !l0) continue;
        const sum: LeverSums = {set, year: y.year, programme: b.id, cost: 0, base_cost: 0, beneficiaries: 0, base_beneficiaries: 0, newly_covered: 0, counted: 0, units: 0};
        addRows(b, l, ys, l0, y0, sum);
        out.push(sum);
      }
    }
  }
  return out.sort((x, y) => x.set - y.set || x.year - y.year || (x.programme < y.programme ? -1 : x.programme > y.programme ? 1 : 0));
}
