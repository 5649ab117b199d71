import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {budgetCap, fundGaps, type CapYear} from "../../src/engine/budgetCap.js";
import {baselineScenario} from "../../src/engine/scenario.js";
import {smallCityDb} from "./fixtures/scenarioCity.js";

/*
 * 小城's gaps in 2026 (a fifth of each coverage gap closed a year), people per yuan best first:
 *   screening  K01 8 yuan / 0.08, K03 16 / 0.16, K02 36 / 0.36        (100 yuan a person)
 *   archives   K01 35.2 / 0.16, K03 39.6 / 0.18                         (200 + 20 yuan a person)
 *   education  K01 1080 / 0.18                                           (6000 a pupil a year)
 *   coordinator K02 6200 / 0.6 (training 200 + a fifth of a 30,000 post; K02's 3 persons)
 *   rehab room K03 10,000 / 0.2 (K03's one person with a rehab need), K02 10,000 / 0 (none there)
 * 27,414.8 yuan of gaps; the rest of the 76,534.8 (cash standards, funding), 49,120, is committed.
 * The cap covers all 76,534.8: the committed 49,120 first, so a cap of 56,620 leaves 7,500 for gaps.
 */
const COMMITTED = 49_120;

let db: NodeDuckDB;
let capped: CapYear;
beforeAll(async () => {
  db = await smallCityDb();
  [capped] = await budgetCap(db, baselineScenario(), {capYuan: COMMITTED + 7500, years: [2026]});
});
afterAll(() => db.close());

describe("budget cap", () => {
  it("funds the gaps with the most people covered per yuan first, whole, until the next no longer fits", () => {
    expect(capped.items.map((i) => [i.programme, i.community_code, Math.round(i.cost_yuan * 10) / 10, i.funded])).toEqual([
      ["rehab_screening", "K01", 8, true],
      ["rehab_screening", "K03", 16, true],
      ["rehab_screening", "K02", 36, true],
      ["rehab_archive", "K01", 35.2, true],
      ["rehab_archive", "K03", 39.6, true],
      ["education_support", "K01", 1080, true],
      ["rehab_coordinators", "K02", 6200, true],
      ["rehab_rooms", "K03", 10000, false],
      ["rehab_rooms", "K02", 10000, false],
    ]);
  });

  it("reports what is funded, what is not, who is left uncovered and the committed baseline charged first", () => {
    expect(capped.funded_yuan).toBeCloseTo(7414.8, 6);
    expect(capped.unfunded_yuan).toBeCloseTo(20000, 6);
    expect(capped.committed_yuan).toBeCloseTo(COMMITTED, 6);
    expect(capped.total_yuan).toBeCloseTo(76_534.8, 6);
    expect(capped.gap_yuan).toBeCloseTo(27_414.8, 6);
    expect(capped.room_yuan).toBeCloseTo(7500, 6);
    expect(capped.planned_yuan).toBeCloseTo(COMMITTED + 7414.8, 6);
    // 76,534.8 − 56,620: the scenario's cost beyond the cap, as a briefing compares its cost chart with it.
    expect(capped.over_cap_yuan).toBeCloseTo(19_914.8, 6);
    expect(capped.committed_over_cap_yuan).toBe(0);
    expect(capped.people_covered).toBeCloseTo(1.72, 9);
    expect(capped.people_uncovered).toBeCloseTo(0.2, 9);
  });

  it("shows each community's funded and unfunded gaps and the people left uncovered there", () => {
    const units = Object.fromEntries(capped.units.map((u) => [u.community_code, u]));
    expect(units.K01).toMatchObject({unit_name: "东湖社区", unfunded_yuan: 0, people_uncovered: 0});
    // Named as a planner knows them, the street and district from the units table (codes kept beside).
    expect(units.K02).toMatchObject({unit_name: "西湖社区", street_name: "东湖街道", district_name: "中区", district_code: "D01"});
    expect(units.K03).toMatchObject({unit_name: "南山村", street_name: "南山镇", district_name: "中区"});
    expect(units.K01!.funded_yuan).toBeCloseTo(8 + 35.2 + 1080, 6);
    expect(units.K02!.funded_yuan).toBeCloseTo(36 + 6200, 6);
    expect(units.K02!.unfunded_yuan).toBeCloseTo(10000, 6);
    expect(units.K03!.people_uncovered).toBeCloseTo(0.2, 9);
  });

  it("counts a scenario's increase over the baseline as a gap, covering the people it newly reaches", async () => {
    const [year] = await budgetCap(db, {...baselineScenario(), overrides: {"subsidy.wubao.monthly": 610}}, {capYuan: 0, years: [2026]});
    const wubao = year!.items.filter((i) => i.programme === "wubao");
    expect(wubao.map((i) => [i.community_code, i.cost_yuan, i.people, i.funded])).toEqual([
      ["K01", 130 * 12, 0, false],
      ["K02", 130 * 12, 0, false],
    ]);
    expect(year!.funded_yuan).toBe(0);
  });

  it("caps all programme costs: a cap below the committed baseline funds no gap and says by how much the baseline exceeds it", async () => {
    const [year] = await budgetCap(db, baselineScenario(), {capYuan: 40_000, years: [2026]});
    expect(year!.room_yuan).toBe(0);
    expect(year!.funded_yuan).toBe(0);
    expect(year!.unfunded_yuan).toBeCloseTo(27_414.8, 6);
    expect(year!.committed_over_cap_yuan).toBeCloseTo(COMMITTED - 40_000, 6);
    expect(year!.over_cap_yuan).toBeCloseTo(76_534.8 - 40_000, 6);
  });

  it("funds every gap and reports nothing over the cap when the cap covers the whole cost", async () => {
    const [year] = await budgetCap(db, baselineScenario(), {capYuan: 80_000, years: [2026]});
    expect(year!.unfunded_yuan).toBe(0);
    expect(year!.over_cap_yuan).toBe(0);
    expect(year!.planned_yuan).toBeCloseTo(76_534.8, 6);
  });

  it("takes the cap from the scenario when none is given, and refuses to run without one", async () => {
    const [year] = await budgetCap(db, {...baselineScenario(), cap: {yuanPerYear: COMMITTED + 100}}, {years: [2026]});
    expect(year!.funded_yuan).toBeCloseTo(8 + 16 + 36 + 35.2, 6);
    await expect(budgetCap(db, baselineScenario())).rejects.toThrow(/needs a yearly cap/);
  });
});

describe("the greedy pass", () => {
  const gap = (community_code: string, cost_yuan: number, people: number) => ({community_code, programme: "p", cost_yuan, people});

  it("skips a gap that no longer fits and funds a later, cheaper one", () => {
    const order = fundGaps([gap("A", 60, 6), gap("B", 50, 4), gap("C", 10, 0.5)], 75);
    expect(order.map((o) => [o.item.community_code, o.funded])).toEqual([
      ["A", true],
      ["B", false],
      ["C", true],
    ]);
  });

  it("breaks ties by cost, then programme, then unit code, so the order never depends on input order", () => {
    const a = fundGaps([gap("K2", 20, 2), gap("K1", 20, 2), gap("K3", 10, 1)], 0).map((o) => o.item.community_code);
    const b = fundGaps([gap("K3", 10, 1), gap("K1", 20, 2), gap("K2", 20, 2)], 0).map((o) => o.item.community_code);
    expect(a).toEqual(["K3", "K1", "K2"]);
    expect(b).toEqual(a);
  });
});
