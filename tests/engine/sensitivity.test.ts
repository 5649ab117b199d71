import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {baselineScenario} from "../../src/engine/scenario.js";
import {sensitivity, type Tornado} from "../../src/engine/sensitivity.js";
import {smallCityDb} from "./fixtures/scenarioCity.js";

let db: NodeDuckDB;
let tornado: Tornado;
beforeAll(async () => {
  db = await smallCityDb();
  tornado = await sensitivity(db, baselineScenario());
});
afterAll(() => db.close());

const bar = (id: string) => {
  const found = tornado.bars.find((b) => b.id === id);
  if (!found) throw new Error(`no bar ${id}`);
  return found;
};

describe("sensitivity (tornado)", () => {
  it("moves each parameter by ±10% and reports the change of the 2030 total (104,882 yuan)", () => {
    expect(tornado.year).toBe(2030);
    expect(tornado.total_yuan).toBeCloseTo(104882, 6);
    // The coordinator post is paid in full by 2030 for K02: ±10% of 30,000.
    expect(bar("assumption.unit_cost.coordinator_post")).toMatchObject({value: 30000, low_value: 27000, high_value: 33000});
    expect(bar("assumption.unit_cost.coordinator_post").low_delta_yuan).toBeCloseTo(-3000, 6);
    expect(bar("assumption.unit_cost.coordinator_post").high_delta_yuan).toBeCloseTo(3000, 6);
    // Two five-guarantee recipients at 480 a month: ±48 × 12 × 2.
    expect(bar("subsidy.wubao.monthly").swing_yuan).toBeCloseTo(2 * 1152, 6);
  });

  it("sorts the bars longest first: prices compounding over five years of unit costs, then the coordinator post", () => {
    expect(tornado.bars.slice(0, 2).map((b) => b.id)).toEqual(["assumption.price.index_rate", "assumption.unit_cost.coordinator_post"]);
    const swings = tornado.bars.map((b) => b.swing_yuan);
    expect(swings).toEqual([...swings].sort((a, b) => b - a));
  });

  it("keeps a share within 0–1: a take-up of 100% cannot go up", () => {
    const takeup = bar("assumption.takeup.wubao");
    expect(takeup.high_value).toBe(1);
    expect(takeup.high_delta_yuan).toBe(0);
    expect(takeup.low_delta_yuan).toBeCloseTo(-0.1 * 11520, 6);
  });

  it("moves a yearly rate of change by one percentage point, not by 10% of itself", () => {
    const growth = bar("assumption.price.index_rate");
    expect([growth.low_value, growth.value, growth.high_value]).toEqual([-0.01, 0, 0.01]);
    expect(growth.high_delta_yuan).toBeGreaterThan(0);
  });

  it("leaves out the target year and the funding shares, which do not scale a cost", () => {
    const ids = tornado.bars.map((b) => b.id);
    expect(ids).not.toContain("assumption.coverage.target_year");
    expect(ids.filter((id) => id.startsWith("assumption.funding_share."))).toEqual([]);
  });

  it("can look at another year and a wider move", async () => {
    const wide = await sensitivity(db, baselineScenario(), {year: 2026, relative: 0.5, ids: ["subsidy.wubao.monthly"]});
    expect(wide.bars).toHaveLength(1);
    expect(wide.bars[0]!.low_delta_yuan).toBeCloseTo(-0.5 * 11520, 6);
  });
});
