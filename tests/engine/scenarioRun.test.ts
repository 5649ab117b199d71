import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {difference, prepareModel, runScenario, totalsByYear, type ScenarioResult, type ScenarioRow} from "../../src/engine/runScenario.js";
import {baselineScenario, type Scenario} from "../../src/engine/scenario.js";
import {fixtureDb} from "./fixtureDb.js";
import {person, smallCityDb, smallCityParameters, smallCityUnits} from "./fixtures/scenarioCity.js";

const row = (result: ScenarioResult, programme: string, year: number, level: ScenarioRow["level"] = "total"): ScenarioRow => {
  const found = result.rows.find((r) => r.programme === programme && r.year === year && r.level === level);
  if (!found) throw new Error(`no row ${programme} ${year} ${level}`);
  return found;
};

describe("five-guarantee raise over 1333 recipients (the source's own figures)", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    const units = smallCityUnits;
    const persons = Array.from({length: 1333}, (_, i) => person({person_id: i + 1, community_code: "K03", category: "physical", grade: 3, age: 70, wubao_recipient: true}));
    db = await fixtureDb({units, persons, parameters: smallCityParameters({"subsidy.wubao.monthly": 350})});
  });
  afterAll(() => db.close());

  it("raising the standard from 350 to 480 yuan a month costs 2,079,480 yuan more a year", async () => {
    const result = await runScenario(db, {...baselineScenario(), overrides: {"subsidy.wubao.monthly": 480}});
    for (const year of [2026, 2027, 2028, 2029, 2030]) {
      const wubao = row(result, "wubao", year);
      expect(wubao.baseline_cost_yuan).toBeCloseTo(1333 * 350 * 12, 6);
      expect(wubao.cost_yuan).toBeCloseTo(1333 * 480 * 12, 6);
      expect(wubao.delta_yuan).toBeCloseTo(2_079_480, 6);
      expect(wubao.beneficiaries).toBe(1333);
      expect(wubao.newly_covered).toBe(0);
      expect(wubao.cost_per_newly_covered).toBeNull();
    }
  });

  it("the wubao-480 preset gives the same figure", async () => {
    const result = await runScenario(db, {...baselineScenario(), presets: ["wubao-480"]});
    expect(row(result, "wubao", 2026).delta_yuan).toBeCloseTo(2_079_480, 6);
  });

  it("a raise on 1 July 2027 counts half in 2027 and fully from 2028", async () => {
    const result = await runScenario(db, {...baselineScenario(), overrides: {"subsidy.wubao.monthly": [{date: "2027-07-01", value: 480}]}});
    expect(row(result, "wubao", 2026).delta_yuan).toBeCloseTo(0, 6);
    expect(row(result, "wubao", 2027).delta_yuan).toBeCloseTo(2_079_480 / 2, 6);
    expect(row(result, "wubao", 2028).delta_yuan).toBeCloseTo(2_079_480, 6);
  });
});

describe("小城 baseline, computed by hand (no growth, no inflation, target year 2030, base year 2025)", () => {
  let db: NodeDuckDB;
  let base: ScenarioResult;
  beforeAll(async () => {
    db = await smallCityDb();
    base = await runScenario(db, baselineScenario());
  });
  afterAll(() => db.close());

  const expected2026: [string, number, number][] = [
    // programme, cost in yuan, beneficiaries
    ["community_rehab", 10000 * 0.3, 10],
    ["dibao_urban", 3 * 450 * 12 * 0.5, 3],
    ["dibao_rural", 2 * 360 * 12 * 0.5, 2],
    ["wubao", 2 * 480 * 12, 2],
    ["psychiatric_allowance", 2 * 50 * 12, 2],
    ["poor_disabled_subsidy", 5 * 100 * 12, 5],
    ["severe_disabled_subsidy", 5 * 80 * 12, 5],
    ["committee_stipend", 2 * 70 * 12, 2],
    ["study_grant", 2 * 0.5 * 3000, 1],
    ["housing_repair", 2 * 0.1 * 20000, 0.2],
    ["assistive_devices", 3 * 0.5 * 1000, 1.5],
    // screening gap: K01 0.6×4−2 = 0.4, K02 1.8, K03 0.8 → 3 persons, a fifth a year
    ["rehab_screening", (3 / 5) * 100, 3 / 5],
    // archive gap among the three with a rehab need: K01 0.9×2−1 = 0.8, K03 0.9 → 1.7 persons; a fifth
    // opened (200 yuan each) and kept (20 yuan a year each)
    ["rehab_archive", (1.7 / 5) * 200 + (1.7 / 5) * 20, 1.7 / 5],
    // the one child out of school: 90% target → 0.9 pupils, a fifth supported at 6000 yuan a year
    ["education_support", (0.9 / 5) * 6000, 0.9 / 5],
    // rooms: 80% of 3 communities → 3, one has → K02 and K03 built, a fifth a year; covers K03's one
    // person with a rehab need (K02 has none)
    ["rehab_rooms", (2 / 5) * 50000, (1 / 5) * 1],
    // coordinators: 3 needed, two have → K02: a fifth trained (1000) and paid (30000 a year)
    ["rehab_coordinators", (1 / 5) * 1000 + (1 / 5) * 30000, (1 / 5) * 3],
    // care points: 30% of 3 → 1, K03 has one → nothing to do
    ["care_points", 0, 0],
  ];

  it.each(expected2026)("%s costs %d yuan in 2026", (programme, cost, beneficiaries) => {
    const r = row(base, programme, 2026);
    expect(r.cost_yuan).toBeCloseTo(cost, 6);
    expect(r.beneficiaries).toBeCloseTo(beneficiaries, 9);
    expect(r.delta_yuan).toBeCloseTo(0, 6);
  });

  it("the 2026 total is 76,534.8 yuan; running costs of what the ramp has reached add 7,086.8 a year to 2030", () => {
    const totals = totalsByYear(base);
    expect(totals.map((t) => Math.round(t.cost_yuan * 10) / 10)).toEqual([76534.8, 83621.6, 90708.4, 97795.2, 104882]);
  });

  it("splits every cost across the four funding levels by the funding shares", () => {
    const total = row(base, "wubao", 2026);
    expect(row(base, "wubao", 2026, "central").cost_yuan).toBeCloseTo(total.cost_yuan * 0.5, 6);
    expect(row(base, "wubao", 2026, "provincial").cost_yuan).toBeCloseTo(total.cost_yuan * 0.2, 6);
    expect(row(base, "wubao", 2026, "city").cost_yuan).toBeCloseTo(total.cost_yuan * 0.2, 6);
    expect(row(base, "wubao", 2026, "district").cost_yuan).toBeCloseTo(total.cost_yuan * 0.1, 6);
    expect(row(base, "wubao", 2026, "district").beneficiaries).toBe(2);
  });

  it("per-resident and per-beneficiary figures divide by the city's residents and the programme's beneficiaries", () => {
    const wubao = row(base, "wubao", 2026);
    expect(wubao.per_resident_yuan).toBeCloseTo(11520 / 10000, 9);
    expect(wubao.per_beneficiary_yuan).toBeCloseTo(5760, 6);
    expect(row(base, "care_points", 2026).per_beneficiary_yuan).toBeNull();
  });

  it("care points for 60% of communities open one in K02 (most intellectual, psychiatric and multiple disabilities), set up and run as the ramp reaches it", async () => {
    const result = await runScenario(db, {...baselineScenario(), presets: ["care-points-60"]});
    for (const [i, year] of [2026, 2027, 2028, 2029, 2030].entries()) {
      const r = row(result, "care_points", year);
      expect(r.cost_yuan).toBeCloseTo((1 / 5) * 80000 + ((i + 1) / 5) * 20000, 6);
      expect(r.newly_covered).toBeCloseTo(((i + 1) / 5) * 2, 9);
    }
    expect(row(result, "care_points", 2030).cost_per_newly_covered).toBeCloseTo((16000 + 20000) / 2, 6);
  });

  it("raising the take-up of the urban subsistence allowance to 100% from 50% newly covers the difference", async () => {
    const db2 = await smallCityDb({"assumption.takeup.dibao_urban": 0.5});
    try {
      const result = await runScenario(db2, {...baselineScenario(), overrides: {"assumption.takeup.dibao_urban": 1}});
      const r = row(result, "dibao_urban", 2026);
      expect(r.newly_covered).toBeCloseTo(1.5, 9);
      expect(r.delta_yuan).toBeCloseTo(1.5 * 450 * 12 * 0.5, 6);
      expect(r.cost_per_newly_covered).toBeCloseTo(450 * 12 * 0.5, 6);
    } finally {
      db2.close();
    }
  });

  it("population growth and prevalence change compound from the base year; prices raise unit costs only", async () => {
    const db2 = await smallCityDb({"assumption.population.growth_rate": 0.1, "assumption.population.prevalence_change": 0.1, "assumption.price.index_rate": 0.1});
    try {
      const result = await runScenario(db2, baselineScenario());
      expect(row(result, "community_rehab", 2027).cost_yuan).toBeCloseTo(3000 * 1.1 ** 2, 6);
      expect(row(result, "wubao", 2027).cost_yuan).toBeCloseTo(11520 * 1.21 ** 2, 6);
      expect(row(result, "assistive_devices", 2026).cost_yuan).toBeCloseTo(1.5 * 1.21 * 1000 * 1.1, 6);
      expect(row(result, "study_grant", 2026).cost_yuan).toBeCloseTo(1 * 1.21 * 3000, 6);
      expect(result.residents[2026]).toBeCloseTo(11000, 6);
    } finally {
      db2.close();
    }
  });

  it("reports an unknown parameter in the scenario instead of dropping it silently", async () => {
    const scenario: Scenario = {...baselineScenario(), overrides: {"subsidy.unicorn.monthly": 1}};
    const result = await runScenario(db, scenario);
    expect(result.problems).toEqual([{path: "overrides.subsidy.unicorn.monthly", message: "unknown parameter subsidy.unicorn.monthly: its override is ignored"}]);
    expect(totalsByYear(result)[0]!.delta_yuan).toBe(0);
  });

  it("a model prepared once serves any number of scenarios", async () => {
    const model = await prepareModel(db);
    expect(model.cube).toMatchObject({residents: 10000, persons: 10, communities: 3, orphanPersons: 0});
    const again = await runScenario(db, baselineScenario(), {model});
    expect(totalsByYear(again)[0]!.cost_yuan).toBeCloseTo(76534.8, 6);
  });
});

describe("differences of sums", () => {
  it("are exactly 0 when two sums differ by rounding only, and kept when they differ by a fraction of a person", () => {
    // 0.1 + 0.2 is 0.30000000000000004: the same people added in another order.
    expect(difference(0.1 + 0.2, 0.3)).toBe(0);
    expect(difference(25_920 + 1e-11, 25_920)).toBe(0);
    expect(difference(25_920.25, 25_920)).toBe(0.25);
    expect(difference(0.3, 0)).toBe(0.3);
    expect(difference(0, 0)).toBe(0);
    expect(difference(-2, 1)).toBe(-3);
  });
});
