import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {boundsOf, boundsProblems, withinBounds} from "../../src/engine/parameterBounds.js";
import {difference, runScenario} from "../../src/engine/runScenario.js";
import {baselineScenario, ScenarioError} from "../../src/engine/scenario.js";
import {parameterSetFromRows} from "../../src/engine/scenarioParameters.js";
import {smallCityDb} from "./fixtures/scenarioCity.js";

const committed = parameterSetFromRows(loadParameters());

describe("bounds from a parameter's unit", () => {
  it.each([
    ["share 0–1", {min: 0, max: 1, integer: false}],
    ["relative change per year", {min: -0.5, max: 1, integer: false}],
    ["year", {min: 2026, max: 2035, integer: true}],
    ["CNY per person per month", {min: 0, max: 1e9, integer: false}],
    ["CNY per m²", {min: 0, max: 1e9, integer: false}],
    ["households", {min: 0, max: 1e9, integer: false}],
  ])("%s → %j", (unit, bounds) => expect(boundsOf(unit)).toEqual(bounds));

  it("hold every value the committed parameters take (the bounds refuse typos, never a standard)", () => {
    const outside = [...committed.values()].flatMap((t) => t.values.filter((v) => !withinBounds(v.value, boundsOf(t.unit))).map((v) => `${t.id} ${v.effective_date} ${v.value} ${t.unit}`));
    expect(outside).toEqual([]);
    expect(committed.size).toBeGreaterThan(60);
  });

  it("include the bounds themselves and refuse what lies past them, NaN, ±Infinity and a year with a fraction", () => {
    const share = boundsOf("share 0–1");
    expect([0, 1, 0.5].map((v) => withinBounds(v, share))).toEqual([true, true, true]);
    expect([-0.0001, 1.0001, Number.NaN, Infinity, -Infinity].map((v) => withinBounds(v, share))).toEqual([false, false, false, false, false]);
    expect([2026, 2035, 2030.5, 2025, 99999].map((v) => withinBounds(v, boundsOf("year")))).toEqual([true, true, false, false, false]);
  });

  it("are checked for each constant and each dated value a scenario sets, and not for ids nobody knows", () => {
    const scenario = {
      ...baselineScenario(),
      overrides: {"subsidy.wubao.monthly": [{date: "2027-01-01", value: 480}, {date: "2028-01-01", value: -5}], "assumption.takeup.wubao": 1.2, "subsidy.gone.monthly": -1},
    };
    expect(boundsProblems(scenario, committed).map((p) => p.path)).toEqual(["overrides.subsidy.wubao.monthly@2028-01-01", "overrides.assumption.takeup.wubao"]);
  });
});

describe("the engine refuses a value out of bounds instead of computing with it", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    db = await smallCityDb();
  });
  afterAll(() => db.close());

  it.each([
    ["¥1e308 a month", {"subsidy.wubao.monthly": 1e308}],
    ["a negative take-up rate", {"assumption.takeup.wubao": -0.5}],
    ["a negative target", {"target.rehab.screening_rate": -0.6}],
    ["a price index falling 200% a year", {"assumption.price.index_rate": -2}],
    ["a target year of 99999", {"assumption.coverage.target_year": 99999}],
  ])("%s", async (_, overrides) => {
    const run = runScenario(db, {...baselineScenario(), overrides});
    await expect(run).rejects.toBeInstanceOf(ScenarioError);
    await expect(run).rejects.toThrow(/out of range/);
  });

  it("still runs a scenario on its bounds: take-up 100%, target year 2035", async () => {
    const result = await runScenario(db, {...baselineScenario(), overrides: {"assumption.takeup.wubao": 1, "assumption.coverage.target_year": 2035}});
    expect(result.rows.every((r) => Number.isFinite(r.cost_yuan) && r.cost_yuan >= 0)).toBe(true);
  });
});

describe("difference of two sums", () => {
  it("is never called rounding when one side is not finite: ¥Infinity is not the baseline", () => {
    expect(difference(Infinity, 5)).toBe(Infinity);
    expect(difference(5, Infinity)).toBe(-Infinity);
    expect(difference(Infinity, Infinity)).toBeNaN();
    expect(difference(Number.NaN, 1)).toBeNaN();
    expect(difference(1e308 * 10, 1e9)).toBe(Infinity);
  });
});
