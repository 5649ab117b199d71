import * as aq from "arquero";
import type {ColumnTable} from "arquero";
import {ageBands, ageBandStarts, personFlags, type PersonSelection, type Programme} from "../../src/engine/programmes.js";
import {grows} from "../../src/engine/cube.js";
import type {LeverSums} from "../../src/engine/runScenario.js";
import type {Levers} from "../../src/engine/scenarioLevers.js";
import {ancestorIndex, benchIndicator, gapRowsFromCounts, type GapAnswerRow, type GapWorkload, type UnitCounts} from "./gapAnswer.js";
import type {ParameterValue} from "./typedCity.js";
import {linearKinds} from "./typedScenario.js";
import type {Cube} from "../../src/engine/cube.js";

/**
 * The Arquero contender: the same two workloads written with Arquero verbs (filter, join, groupby,
 * rollup, derive) over tables read from the same Arrow IPC files. Expressions are strings Arquero
 * compiles (with `new Function`): that is why the benchmark page carries no CSP and the site's pages
 * cannot use Arquero's expression compiler.
 */

const {op} = aq;

export interface ArqueroCity {
  units: ColumnTable;
  persons: ColumnTable;
  parameters: ParameterValue[];
}

export function arqueroCity(bytes: {units: Uint8Array; persons: Uint8Array}, parameters: ParameterValue[]): ArqueroCity {
  return {units: aq.fromArrow(bytes.units), persons: aq.fromArrow(bytes.persons), parameters};
}

const lit = (v: unknown) => JSON.stringify(v);
const col = (name: string) => `d[${lit(name)}]`;

/** The gap query with Arquero verbs: eligible persons joined to their unit at the level, counted per unit. */
export function arqueroGap(city: ArqueroCity, workload: GapWorkload): GapAnswerRow[] {
  const indicator = benchIndicator(workload.indicator);
  // Community → unit at the level, from the units table (small: one row per unit).
  const units = city.units.objects() as {unit_code: string; unit_name: string; level: string; parent_code: string | null; district_code: string | null; street_code: string | null; urban_rural: string}[];
  const index = new Map(units.map((u, i) => [u.unit_code, i]));
  const ancestors = ancestorIndex(
    {code: units.map((u) => u.unit_code), level: units.map((u) => u.level), parent: units.map((u) => u.parent_code), district: units.map((u) => u.district_code), street: units.map((u) => u.street_code), index},
    workload.level,
  );
  const scope = aq.from(
    units.flatMap((u, i) => (ancestors[i]! >= 0 ? [{community_code: u.unit_code, urban: u.urban_rural === "urban" ? 1 : 0, unit_key: units[ancestors[i]!]!.unit_code}] : [])),
  );
  const eligible = indicator.eligible.map((c) => ("is" in c ? `${col(c.column)} === ${lit(c.is)}` : `(${col(c.column)} >= ${c.between[0]} && ${col(c.column)} <= ${c.between[1]})`));
  const measure = col(indicator.achieved.column);
  // Per community, before the eligibility filter: is some person's eligibility known (else 未填报, as the engine says)?
  const knownExpr = indicator.eligible.flatMap((c) => ("is" in c ? [`${col(c.column)} != null`] : [])).join(" && ") || "true";
  const reported = city.persons
    .groupby("community_code")
    .rollup({known: `op.max((${knownExpr}) ? 1 : 0)`})
    .join(scope, "community_code")
    .groupby("unit_key")
    .rollup({communities: op.count(), unknown: "op.sum(d.known === 1 ? 0 : 1)"});
  const reportedByUnit = new Map((reported.objects() as {unit_key: string; communities: number; unknown: number}[]).map((r) => [r.unit_key, r]));
  let persons = city.persons;
  if (eligible.length) persons = persons.filter(eligible.join(" && "));
  // Aggregate a million persons to communities first, then join the few thousand rows to their unit:
  // joining persons to units directly takes Arquero seconds.
  const counts = persons
    .groupby("community_code")
    .rollup({eligible: op.count(), achieved: `op.sum(${measure} === true ? 1 : 0)`, missing: `op.sum(${measure} == null ? 1 : 0)`})
    .join(scope, "community_code")
    .groupby("unit_key")
    .rollup({eligible: "op.sum(d.eligible)", eligible_urban: "op.sum(d.urban ? d.eligible : 0)", achieved: "op.sum(d.achieved)", missing: "op.sum(d.missing)"});
  const byUnit = new Map((counts.objects() as {unit_key: string; eligible: number; eligible_urban: number; achieved: number; missing: number}[]).map((c) => [c.unit_key, c]));
  const rows: UnitCounts[] = units
    .filter((u) => u.level === workload.level)
    .map((u) => {
      const c = byUnit.get(u.unit_code);
      const r = reportedByUnit.get(u.unit_code);
      return {unit_code: u.unit_code, unit_name: u.unit_name, eligible: c?.eligible ?? 0, eligible_urban: c?.eligible_urban ?? 0, achieved: c?.achieved ?? 0, missing: c?.missing ?? 0, communities: r?.communities ?? 0, communities_eligibility_unknown: r?.unknown ?? 0};
    });
  return gapRowsFromCounts(workload, city.parameters, rows);
}

function selectionExpr(selection: PersonSelection): string {
  const parts: string[] = [];
  if (selection.urbanRural) parts.push(`d.urban_rural === ${lit(selection.urbanRural)}`);
  if (selection.categories) parts.push(`(${selection.categories.map((c) => `d.category === ${lit(c)}`).join(" || ")})`);
  if (selection.grades) parts.push(`(${selection.grades.map((g) => `d.grade === ${g}`).join(" || ")})`);
  if (selection.ageBands) parts.push(`(${selection.ageBands.map((b) => `d.age_band === ${lit(b)}`).join(" || ")})`);
  for (const f of selection.flags ?? []) parts.push(col(f));
  return parts.length ? parts.join(" && ") : "true";
}

export interface ArqueroBases {
  cube: Cube;
  bases: ColumnTable;
}

/** Persons → the person cube → every programme's base rows (the raw stage), as the engine's cube.ts does in SQL. */
export function arqueroBases(city: ArqueroCity, progs: readonly Programme[]): ArqueroBases {
  const communities = city.units
    .filter(`d.level === "community"`)
    .select("unit_code", "district_code", "urban_rural", "residents", "has_rehab_room", "has_coordinator", "has_care_point");
  const band = ageBands
    .slice(1)
    .map((b, i) => `d.age < ${ageBandStarts[b]} ? ${lit(ageBands[i])} : `)
    .join("") + lit(ageBands.at(-1));
  const flagValues = Object.fromEntries(personFlags.map((f) => [f, `${col(f)} === true`]));
  // Group persons first, then join the grouped rows to their community (much faster than joining persons).
  const cube = city.persons
    .derive({age_band: band, ...flagValues})
    .groupby("community_code", "category", "grade", "age_band", ...personFlags)
    .count({as: "persons"})
    .join(communities, ["community_code", "unit_code"], [["community_code", "category", "grade", "age_band", "persons", ...personFlags], ["district_code", "urban_rural"]]);
  const perCommunity = communities
    .groupby("district_code")
    .derive({district_units: op.count()})
    .ungroup();
  const tables = progs.map((prog) => {
    const selection = selectionExpr(prog.persons ?? {});
    const achieved = prog.kind === "person_target" && prog.achieved ? `(${selection}) && ${col(prog.achieved)}` : "false";
    const sel = cube
      .filter(selection)
      .groupby("community_code")
      .rollup({q: `op.sum(d.persons)`, a: `op.sum(${achieved} ? d.persons : 0)`});
    const have = prog.kind === "unit_target" && prog.achieved ? `${col(prog.achieved)} === true` : "false";
    const keep =
      prog.kind === "per_resident" ? "true" : prog.posts ? `${col(prog.posts)} === true` : prog.kind === "unit_target" ? "!d.have" : "d.q > 0";
    const quantity = prog.kind === "per_resident" ? "d.residents" : prog.posts || prog.kind === "unit_target" ? "1" : "d.q";
    let rows = perCommunity
      .join_left(sel, ["unit_code", "community_code"])
      .derive({q: "d.q == null ? 0 : d.q", a: "d.a == null ? 0 : d.a", have})
      .groupby("district_code")
      .derive({district_have: "op.sum(d.have ? 1 : 0)"})
      .ungroup();
    rows = prog.kind === "unit_target" ? rows.groupby("district_code", "have").orderby(aq.desc("q"), "unit_code").derive({rank: op.row_number()}).ungroup().unorder() : rows.derive({rank: "0"});
    return rows
      .filter(keep)
      .derive({
        programme: `${lit(prog.id)}`,
        kind: `${lit(prog.kind)}`,
        grows: `${lit(grows(prog))}`,
        quantity,
        achieved: "d.a",
        persons: "d.q",
      })
      .select("programme", "kind", "grows", "quantity", "achieved", "persons", "district_units", "district_have", "rank");
  });
  const perCommunityBases = tables[0]!.concat(...tables.slice(1));
  // Linear kinds collapse to one row per programme (as the engine's scenario_bases_city does).
  const linear = `${linearKinds.map((k) => `d.kind === ${lit(k)}`).join(" || ")}`;
  const bases = perCommunityBases
    .filter(`!(${linear})`)
    .concat(
      perCommunityBases
        .filter(linear)
        .groupby("programme", "kind", "grows")
        .rollup({quantity: op.sum("quantity"), achieved: op.sum("achieved"), persons: op.sum("persons"), district_units: "0", district_have: "0", rank: "0"}),
    );
  const totals = communities.rollup({residents: op.sum("residents"), communities: op.count()}).object() as {residents: number; communities: number};
  const persons = cube.rollup({n: op.sum("persons")}).object() as {n: number};
  return {
    cube: {
      residents: totals.residents ?? 0,
      persons: persons.n ?? 0,
      communities: totals.communities,
      cubeRows: cube.numRows(),
      baseRows: bases.numRows(),
      orphanPersons: city.persons.numRows() - (persons.n ?? 0),
    },
    bases,
  };
}

/** runScenario.ts's row formulas as Arquero expressions over base row `d` with lever columns prefixed `p` ("" or "b_"). */
function formulas(p: string) {
  const L = (name: string) => `d.${p}${name}`;
  const vol = `(d.grows === "residents" ? ${L("rvol")} : d.grows === "persons" ? ${L("pvol")} : 1)`;
  const counted = `(d.quantity * ${vol})`;
  const receiving = `(${counted} * ${L("share")})`;
  const now = `(op.greatest(0, ${L("target")} * d.quantity * ${L("pvol")} - d.achieved) * ${L("ramp")})`;
  const before = `(op.greatest(0, ${L("target")} * d.quantity * ${L("pvol_prev")} - d.achieved) * ${L("ramp_prev")})`;
  const step = `op.greatest(0, ${now} - ${before})`;
  const funded = `(d.rank <= op.ceil(op.round(${L("target")} * d.district_units * 1e9) / 1e9) - d.district_have ? 1 : 0)`;
  const stock = `(${funded} * ${L("ramp")})`;
  const unitStep = `(${funded} * (${L("ramp")} - ${L("ramp_prev")}))`;
  const personsNow = `(d.persons * ${L("pvol")})`;
  const kind = (parts: Record<Programme["kind"], string>) =>
    `(${Object.entries(parts)
      .map(([k, v]) => `d.kind === ${lit(k)} ? ${v} : `)
      .join("")}0)`;
  return {
    cost: kind({
      per_resident: `${counted} * ${L("price")}`,
      cash: `${receiving} * ${L("price")}`,
      one_off: `${receiving} * ${L("price")}`,
      person_target: `${step} * ${L("price")} + ${now} * ${L("running")}`,
      unit_target: `${unitStep} * ${L("price")} + ${stock} * ${L("running")}`,
    }),
    beneficiaries: kind({
      per_resident: personsNow,
      cash: receiving,
      one_off: receiving,
      person_target: `(${L("running")} > 0 ? ${now} : ${step})`,
      unit_target: `(${L("running")} > 0 ? ${stock} : ${unitStep}) * ${personsNow}`,
    }),
    covered: kind({per_resident: "0", cash: receiving, one_off: receiving, person_target: now, unit_target: `${stock} * ${personsNow}`}),
    counted: kind({per_resident: counted, cash: counted, one_off: counted, person_target: counted, unit_target: funded}),
    units: kind({per_resident: "0", cash: "0", one_off: "0", person_target: "0", unit_target: stock}),
  };
}

const set1 = formulas("");
const set0 = formulas("b_");

/** Base rows × the scenario's and the baseline's levers → sums per year and programme (the cube stage). */
export function arqueroSums(bases: ArqueroBases, sets: readonly Levers[]): LeverSums[] {
  const [base, levers] = [sets[0]!, sets[1]!];
  const leverRows = levers.programmes.map((l) => {
    const l0 = base.programmes.find((x) => x.programme === l.programme && x.year === l.year)!;
    const y = levers.years.find((x) => x.year === l.year)!;
    const y0 = base.years.find((x) => x.year === l.year)!;
    return {
      programme: l.programme,
      year: l.year,
      price: l.price,
      running: l.running,
      share: l.share,
      target: l.target,
      pvol: y.personVolume,
      pvol_prev: y.personVolumePrev,
      rvol: y.residentVolume,
      ramp: y.ramp,
      ramp_prev: y.rampPrev,
      b_price: l0.price,
      b_running: l0.running,
      b_share: l0.share,
      b_target: l0.target,
      b_pvol: y0.personVolume,
      b_pvol_prev: y0.personVolumePrev,
      b_rvol: y0.residentVolume,
      b_ramp: y0.ramp,
      b_ramp_prev: y0.rampPrev,
    };
  });
  const sums = bases.bases
    .join(aq.from(leverRows), "programme")
    .derive({
      cost: set1.cost,
      base_cost: set0.cost,
      beneficiaries: set1.beneficiaries,
      base_beneficiaries: set0.beneficiaries,
      newly_covered: `op.greatest(0, ${set1.covered} - ${set0.covered})`,
      counted: set1.counted,
      units: set1.units,
    })
    .groupby("year", "programme")
    .rollup({
      cost: op.sum("cost"),
      base_cost: op.sum("base_cost"),
      beneficiaries: op.sum("beneficiaries"),
      base_beneficiaries: op.sum("base_beneficiaries"),
      newly_covered: op.sum("newly_covered"),
      counted: op.sum("counted"),
      units: op.sum("units"),
    })
    .orderby("year", "programme");
  return (sums.objects() as Omit<LeverSums, "set">[]).map((s) => ({set: 1, ...s}));
}
