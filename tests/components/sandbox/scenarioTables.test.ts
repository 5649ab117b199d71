import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {NodeDuckDB} from "../../../loaders/duckdbNode.js";
import {compareYears, costSeries, fundingByYear, programmeRows, programmeYears, yearTotals} from "../../../src/components/sandbox/scenarioTables.js";
import {programmes} from "../../../src/engine/programmes.js";
import {runScenario, totalsByYear, type ScenarioResult, type ScenarioRow} from "../../../src/engine/runScenario.js";
import {baselineScenario} from "../../../src/engine/scenario.js";
import {smallCityDb} from "../../engine/fixtures/scenarioCity.js";

// The sandbox's tables only select and sum the engine's rows: their totals must be the engine's.

let db: NodeDuckDB;
let raised: ScenarioResult;
let baseline: ScenarioResult;
beforeAll(async () => {
  db = await smallCityDb();
  baseline = await runScenario(db, baselineScenario());
  raised = await runScenario(db, {...baselineScenario(), presets: ["wubao-480", "care-points-60"]});
});
afterAll(() => db.close());

/** A result written by hand: two programmes, two years, 10,000 residents, every figure worked on paper. */
function handResult(): ScenarioResult {
  const row = (year: number, programme: string, level: ScenarioRow["level"], cost: number, baseline: number, beneficiaries: number, newly: number): ScenarioRow => ({
    year, programme, programme_zh: programme, level, cost_yuan: cost, baseline_cost_yuan: baseline, delta_yuan: cost - baseline, beneficiaries, newly_covered: newly,
    per_resident_yuan: cost / 10_000, per_beneficiary_yuan: beneficiaries ? cost / beneficiaries : null, cost_per_newly_covered: newly ? (cost - baseline) / newly : null,
  });
  return {
    ...baseline,
    scenario: {...baseline.scenario, years: [2026, 2027]},
    residents: {2026: 10_000, 2027: 10_000},
    rows: [
      row(2026, "wubao", "total", 48_000, 35_000, 10, 0),
      row(2026, "wubao", "district", 24_000, 17_500, 10, 0),
      row(2026, "care_points", "total", 60_000, 30_000, 40, 20),
      row(2027, "wubao", "total", 48_000, 35_000, 10, 0),
      row(2027, "care_points", "total", 30_000, 30_000, 20, 0),
    ],
  };
}

describe("the sandbox's tables on a result worked by hand", () => {
  it("total each year over the programmes' total rows only (a level's share is not counted twice)", () => {
    expect(yearTotals(handResult()).map((t) => ({...t}))).toEqual([
      // 48,000 + 60,000; baseline 35,000 + 30,000; 43,000 more for 20 newly covered = 2,150 each; ¥10.8 per resident.
      {year: 2026, cost_yuan: 108_000, baseline_cost_yuan: 65_000, delta_yuan: 43_000, newly_covered: 20, residents: 10_000, per_resident_yuan: 10.8, cost_per_newly_covered: 2_150},
      // Nobody newly covered: no cost per person (null, shown —), though the cost rose by 13,000.
      {year: 2027, cost_yuan: 78_000, baseline_cost_yuan: 65_000, delta_yuan: 13_000, newly_covered: 0, residents: 10_000, per_resident_yuan: 7.8, cost_per_newly_covered: null},
    ]);
  });

  it("give each programme's years and their sum, and split nothing it was not given", () => {
    const wubao = programmeYears(handResult(), "delta_yuan").find((r) => r.programme === "wubao")!;
    expect(wubao.values).toEqual({2026: 13_000, 2027: 13_000});
    expect(wubao.sum).toBe(26_000);
    const care = programmeYears(handResult(), "cost_yuan").find((r) => r.programme === "care_points")!;
    expect(care).toMatchObject({values: {2026: 60_000, 2027: 30_000}, sum: 90_000});
  });
});

describe("the sandbox's tables", () => {
  it("total each year as the engine does, with per-resident cost and cost per person newly covered", () => {
    const totals = yearTotals(raised);
    expect(totals.map(({year, cost_yuan, baseline_cost_yuan, delta_yuan, newly_covered}) => ({year, cost_yuan, baseline_cost_yuan, delta_yuan, newly_covered}))).toEqual(totalsByYear(raised));
    for (const t of totals) {
      expect(t.per_resident_yuan).toBeCloseTo(t.cost_yuan / raised.residents[t.year]!, 9);
      if (t.newly_covered > 0) expect(t.cost_per_newly_covered).toBeCloseTo(t.delta_yuan / t.newly_covered, 6);
    }
  });

  it("say nobody is newly covered (—, not a cost per person) where the scenario covers no one new", () => {
    expect(yearTotals(baseline).every((t) => t.cost_per_newly_covered === null && t.delta_yuan === 0 && t.newly_covered === 0)).toBe(true);
  });

  it("list a year's programmes in the programmes' order, one row each", () => {
    expect(programmeRows(raised, 2030).map((r) => r.programme)).toEqual(programmes.map((p) => p.id));
  });

  it("give each programme's years and their sum", () => {
    const rows = programmeYears(raised, "delta_yuan");
    const wubao = rows.find((r) => r.programme === "wubao")!;
    expect(Object.keys(wubao.values).map(Number)).toEqual(raised.scenario.years);
    expect(wubao.sum).toBeCloseTo(Object.values(wubao.values).reduce((s, v) => s + v, 0), 9);
    expect(wubao.values[2026]).toBeGreaterThan(0);
  });

  it("stack the largest programmes and the rest so that each year's bars add up to its total", () => {
    const {series, data} = costSeries(raised, 3);
    expect(series).toHaveLength(4);
    expect(series.at(-1)).toBe("其他项目");
    for (const t of yearTotals(raised)) expect(data.filter((d) => d.year === t.year).reduce((s, d) => s + d.cost_yuan, 0)).toBeCloseTo(t.cost_yuan, 6);
  });

  it("split each year by funding level into parts that add up to the total", () => {
    const levels = fundingByYear(raised);
    for (const t of yearTotals(raised)) {
      const parts = levels.filter((l) => l.year === t.year);
      expect(parts.map((p) => p.level_zh)).toEqual(["中央", "省级", "市级", "区县级"]);
      expect(parts.reduce((s, p) => s + p.cost_yuan, 0)).toBeCloseTo(t.cost_yuan, 6);
      expect(parts.reduce((s, p) => s + p.delta_yuan, 0)).toBeCloseTo(t.delta_yuan, 6);
    }
  });

  it("put scenarios side by side, a missing one as null", () => {
    const rows = compareYears([baseline, undefined, raised]);
    expect(rows.map((r) => r.year)).toEqual(baseline.scenario.years);
    const first = rows[0]!;
    expect(first.cost[1]).toBeNull();
    expect(first.cost[0]).toBe(totalsByYear(baseline)[0]!.cost_yuan);
    expect(first.delta[2]).toBe(totalsByYear(raised)[0]!.delta_yuan);
    expect(compareYears([])).toEqual([]);
  });
});
