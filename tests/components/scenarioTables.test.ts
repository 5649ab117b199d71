import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {compareYears, costSeries, fundingByYear, programmeRows, programmeYears, yearTotals} from "../../src/components/scenarioTables.js";
import {programmes} from "../../src/engine/programmes.js";
import {runScenario, totalsByYear, type ScenarioResult} from "../../src/engine/runScenario.js";
import {baselineScenario} from "../../src/engine/scenario.js";
import {smallCityDb} from "../engine/fixtures/scenarioCity.js";

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
