import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {baselineScenario} from "../../src/engine/scenario.js";
import {explain, formatValue} from "../../src/engine/scenarioExplain.js";
import {smallCityDb} from "./fixtures/scenarioCity.js";

let db: NodeDuckDB;
beforeAll(async () => {
  db = await smallCityDb();
});
afterAll(() => db.close());

describe("explain", () => {
  it("writes a programme's formula with each parameter's value and unit", async () => {
    const e = await explain(db, baselineScenario(), "wubao", 2026);
    expect(e.text_zh).toBe("五保/特困供养对象 × 人数增长 × 享受率 100% × 月标准 480 元 × 12");
    expect(e).toMatchObject({label_zh: "五保/特困供养", counted: 2, cost_yuan: 11520, baseline_cost_yuan: 11520, beneficiaries: 2});
  });

  it("gives every parameter's dated values with their source and quote, and marks what the scenario sets", async () => {
    const e = await explain(db, {...baselineScenario(), overrides: {"subsidy.wubao.monthly": [{date: "2027-07-01", value: 610}]}}, "wubao", 2027);
    const standard = e.terms.find((t) => t.id === "subsidy.wubao.monthly")!;
    expect(standard.overridden).toBe(true);
    expect(standard.value).toBe(545);
    expect(standard.values.map((v) => [v.effective_date, v.value, v.source])).toEqual([
      ["2000-01-01", 480, "fixture"],
      ["2027-07-01", 610, "scenario"],
    ]);
    expect(e.terms.find((t) => t.id === "assumption.takeup.wubao")).toMatchObject({overridden: false, values: [{quote: "fixture"}]});
    expect(e.cost_yuan - e.baseline_cost_yuan).toBeCloseTo(2 * 65 * 12, 6);
  });

  it("marks a parameter changed only in the years a scenario's dated value is in force", async () => {
    const scenario = {...baselineScenario(), overrides: {"subsidy.wubao.monthly": [{date: "2028-01-01", value: 520}]}};
    const before = (await explain(db, scenario, "wubao", 2027)).terms.find((t) => t.id === "subsidy.wubao.monthly")!;
    expect(before).toMatchObject({value: 480, overridden: false});
    expect(before.values.map((v) => v.source)).toEqual(["fixture"]);
    const after = await explain(db, scenario, "wubao", 2028);
    expect(after.terms.find((t) => t.id === "subsidy.wubao.monthly")).toMatchObject({value: 520, overridden: true, values: [{effective_date: "2028-01-01", source: "scenario"}]});
    expect(after.text_zh).toContain("月标准 520 元");
  });

  it("shows the projection behind a coverage target: ramp, target year and growth", async () => {
    const e = await explain(db, baselineScenario(), "rehab_coordinators", 2028);
    expect(e.projection).toMatchObject({ramp: 0.6, targetYear: 2030, personVolume: 1, priceFactor: 1});
    expect(e.projection.terms.map((t) => t.id)).toEqual([
      "assumption.population.growth_rate",
      "assumption.population.prevalence_change",
      "assumption.price.index_rate",
      "assumption.coverage.target_year",
    ]);
    expect(e.text_zh).toContain("协调员配备率 80%");
    expect(e.cost_yuan).toBeCloseTo(0.2 * 1000 + 0.6 * 30000, 6);
  });

  it("gives the funding shares that split the year's cost by level, with their sources", async () => {
    const e = await explain(db, {...baselineScenario(), overrides: {"assumption.funding_share.city": 0.4}}, "wubao", 2026);
    expect(e.funding.map((t) => t.id)).toEqual(["central", "provincial", "city", "district"].map((l) => `assumption.funding_share.${l}`));
    expect(e.funding.find((t) => t.id === "assumption.funding_share.city")).toMatchObject({value: 0.4, overridden: true, values: [{source: "scenario"}]});
    expect(e.funding.find((t) => t.id === "assumption.funding_share.central")).toMatchObject({overridden: false, values: [{source: "fixture"}]});
  });

  it("refuses a year the scenario does not simulate", async () => {
    await expect(explain(db, baselineScenario(), "wubao", 2040)).rejects.toThrow(/not simulated/);
  });
});

describe("formatValue", () => {
  it("shows shares as percentages, amounts with 元, years as years and rates of change per year", () => {
    expect(formatValue(0.6, "share 0–1")).toBe("60%");
    expect(formatValue(1234.5, "CNY per person per month")).toBe("1,234.5 元");
    expect(formatValue(2030, "year")).toBe("2030");
    expect(formatValue(-0.001, "relative change per year")).toBe("-0.001（-0.1%/年）");
  });
});
