import fc from "fast-check";
import {describe, expect, it} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {budgetCap, fundGaps} from "../../src/engine/budgetCap.js";
import {engineParameterIds, parameterIds, programmes} from "../../src/engine/programmes.js";
import {computeSums, prepareModel, runScenario, scenarioLevers, type ScenarioRow} from "../../src/engine/runScenario.js";
import {baselineScenario, type Scenario} from "../../src/engine/scenario.js";
import {fixtureDb, type ParameterFixtureRow} from "./fixtureDb.js";
import {smallCityParameters} from "./fixtures/scenarioCity.js";
import {districtOf, randomCityArb, type RandomCity} from "./fixtures/scenarioRandomCity.js";

/** Properties of the scenario engine over random small cities (issue 9): each run opens its own database. */

const runs = {numRuns: 25};

async function withCity<T>(city: RandomCity, fn: (db: NodeDuckDB) => Promise<T>, parameters: ParameterFixtureRow[] = smallCityParameters()): Promise<T> {
  const db = await fixtureDb({units: city.units, persons: city.persons, parameters});
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

const totals = (rows: readonly ScenarioRow[]) => rows.filter((r) => r.level === "total");
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
const baseValue = (id: string) => smallCityParameters().find((p) => p.id === id)!.value;

/** Parameters whose raise should never lower a cost: standards, amounts, unit costs, take-up, top-up and targets. */
const raisable = engineParameterIds().filter(
  (id) => !id.startsWith("assumption.funding_share.") && id !== parameterIds.targetYear && !["population", "price"].some((k) => id.startsWith(`assumption.${k}.`)),
);

describe("scenario engine properties", () => {
  it("raising any standard, unit cost, take-up or target never lowers any programme's cost", async () => {
    await fc.assert(
      fc.asyncProperty(randomCityArb, fc.constantFrom(...raisable), fc.double({min: 1, max: 3, noNaN: true}), async (city, id, factor) => {
        const raised = baseValue(id) * factor;
        const value = smallCityParameters().find((p) => p.id === id)!.unit.startsWith("share") ? Math.min(1, raised) : raised;
        const result = await withCity(city, (db) => runScenario(db, {...baselineScenario(), overrides: {[id]: value}}));
        for (const row of totals(result.rows)) expect(row.cost_yuan).toBeGreaterThanOrEqual(row.baseline_cost_yuan - 1e-6);
      }),
      runs,
    );
  });

  it("zero take-up gives zero cost for every programme with a take-up", async () => {
    const withTakeup = programmes.filter((p) => p.parameters.takeup);
    await fc.assert(
      fc.asyncProperty(randomCityArb, async (city) => {
        const overrides = Object.fromEntries(withTakeup.map((p) => [p.parameters.takeup!, 0]));
        const result = await withCity(city, (db) => runScenario(db, {...baselineScenario(), overrides}));
        for (const row of totals(result.rows).filter((r) => withTakeup.some((p) => p.id === r.programme))) {
          expect(row.cost_yuan).toBe(0);
          expect(row.beneficiaries).toBe(0);
        }
      }),
      runs,
    );
  });

  it("is additive across districts: the city's figures are the sums of its districts run alone", async () => {
    await fc.assert(
      fc.asyncProperty(randomCityArb, fc.constantFrom<Scenario["presets"]>([], ["care-points-60"], ["rehab-demonstration-2030", "wubao-480"]), async (city, presets) => {
        const scenario = {...baselineScenario(), presets};
        const whole = totals((await withCity(city, (db) => runScenario(db, scenario))).rows);
        const districts = city.units.filter((u) => u.level === "district").map((u) => u.unit_code);
        const parts = (await Promise.all(districts.map((d) => withCity(districtOf(city, d), (db) => runScenario(db, scenario))))).flatMap((r) => totals(r.rows));
        for (const row of whole) {
          const same = parts.filter((p) => p.year === row.year && p.programme === row.programme);
          for (const key of ["cost_yuan", "baseline_cost_yuan", "beneficiaries", "newly_covered"] as const)
            expect(close(row[key], same.reduce((s, p) => s + p[key], 0)), `${row.programme} ${row.year} ${key}`).toBe(true);
        }
      }),
      {numRuns: 15},
    );
  });

  it("per-community results add up to the city's: every coverage target's cost and every programme's change", async () => {
    const targets = new Set(programmes.filter((p) => p.kind === "person_target" || p.kind === "unit_target").map((p) => p.id));
    await fc.assert(
      fc.asyncProperty(randomCityArb, fc.constantFrom<Scenario["presets"]>([], ["care-points-60"], ["rehab-demonstration-2030", "wubao-480", "rehab-funding-1-00"]), async (city, presets) => {
        await withCity(city, async (db) => {
          const model = await prepareModel(db);
          const {levers, baselineLevers} = scenarioLevers(model, {...baselineScenario(), presets});
          const whole = await computeSums(db, model, [baselineLevers, levers]);
          const parts = await computeSums(db, model, [baselineLevers, levers], {byCommunity: true});
          for (const row of whole) {
            const same = parts.filter((p) => p.year === row.year && p.programme === row.programme);
            const delta = same.reduce((s, p) => s + p.cost - p.base_cost, 0);
            expect(close(row.cost - row.base_cost, delta), `${row.programme} ${row.year} change`).toBe(true);
            if (targets.has(row.programme)) {
              expect(close(row.cost, same.reduce((s, p) => s + p.cost, 0)), `${row.programme} ${row.year} cost`).toBe(true);
              expect(close(row.newly_covered, same.reduce((s, p) => s + p.newly_covered, 0)), `${row.programme} ${row.year} newly`).toBe(true);
            }
          }
        });
      }),
      runs,
    );
  });

  it("doubling every community's residents doubles the per-resident funding and keeps its cost per resident", async () => {
    await fc.assert(
      fc.asyncProperty(randomCityArb, async (city) => {
        const doubled = {...city, units: city.units.map((u) => ({...u, residents: u.residents * 2}))};
        const once = totals((await withCity(city, (db) => runScenario(db, baselineScenario()))).rows).filter((r) => r.programme === "community_rehab");
        const twice = totals((await withCity(doubled, (db) => runScenario(db, baselineScenario()))).rows).filter((r) => r.programme === "community_rehab");
        once.forEach((row, i) => {
          expect(close(twice[i]!.cost_yuan, 2 * row.cost_yuan)).toBe(true);
          expect(close(twice[i]!.per_resident_yuan, row.per_resident_yuan)).toBe(true);
        });
      }),
      runs,
    );
  });

  it("a budget cap on all programme costs is never exceeded beyond the committed baseline, and every gap is funded when the cap covers them all", async () => {
    await fc.assert(
      fc.asyncProperty(randomCityArb, fc.double({min: 0, max: 1.2, noNaN: true}), async (city, share) => {
        const scenario = {...baselineScenario(), presets: ["care-points-60", "rehab-demonstration-2030"]};
        await withCity(city, async (db) => {
          const all = await budgetCap(db, scenario, {capYuan: Number.MAX_VALUE});
          for (const year of all) expect(year.items.every((i) => i.funded) && year.over_cap_yuan === 0).toBe(true);
          const capYuan = Math.max(...all.map((y) => y.total_yuan)) * share;
          for (const year of await budgetCap(db, scenario, {capYuan})) {
            expect(close(year.committed_yuan + year.gap_yuan, year.total_yuan)).toBe(true);
            expect(year.funded_yuan).toBeLessThanOrEqual(year.room_yuan);
            // Within the cap, unless the committed baseline alone exceeds it (then no gap is funded).
            if (year.committed_yuan <= capYuan) expect(year.planned_yuan).toBeLessThanOrEqual(capYuan * (1 + 1e-12));
            else expect(year.funded_yuan).toBe(0);
            expect(close(year.over_cap_yuan, Math.max(0, year.total_yuan - capYuan))).toBe(true);
            expect(close(year.funded_yuan + year.unfunded_yuan, year.items.reduce((s, i) => s + i.cost_yuan, 0))).toBe(true);
          }
        });
      }),
      runs,
    );
  });

  it("the greedy pass never spends more than the cap on any list of gaps", () => {
    const gap = fc.record({cost_yuan: fc.double({min: 0.01, max: 1e7, noNaN: true}), people: fc.double({min: 0, max: 1000, noNaN: true}), programme: fc.constantFrom("a", "b"), community_code: fc.constantFrom("K1", "K2", "K3")});
    fc.assert(
      fc.property(fc.array(gap, {maxLength: 40}), fc.double({min: 0, max: 1e8, noNaN: true}), (gaps, cap) => {
        const spent = fundGaps(gaps, cap).filter((g) => g.funded).reduce((s, g) => s + g.item.cost_yuan, 0);
        expect(spent).toBeLessThanOrEqual(cap);
      }),
      {numRuns: 500},
    );
  });
});
