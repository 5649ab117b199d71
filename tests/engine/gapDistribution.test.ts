import {afterAll, beforeAll, expect, test} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {rateDistribution} from "../../src/engine/distribution.js";
import {gapQuery, type GapRow} from "../../src/engine/gapQuery.js";
import {fixtureDb} from "./fixtureDb.js";
import {gapParameters, gapPersons, gapUnits} from "./fixtures/gapCity.js";

let db: NodeDuckDB;
beforeAll(async () => {
  db = await fixtureDb({units: gapUnits, persons: gapPersons, parameters: gapParameters});
});
afterAll(() => db.close());

test("communities' screening rates fall in ten bins; the all-missing community is counted apart, not at 0%", async () => {
  const result = await gapQuery(db, {indicator: "screening", level: "community", year: 2021});
  const d = rateDistribution(result.rows, {target: result.target_value});
  // 柳岸 0.25, 青山村 0.5, 南门 0.6, 湖滨 0.8; 石桥村 all missing.
  expect(d.bins.filter((b) => b.units).map((b) => [b.x0, b.x1, b.units, b.below_target, b.eligible])).toEqual([
    [0.2, 0.3, 1, 1, 4],
    [0.5, 0.6, 1, 1, 8],
    [0.6, 0.7, 1, 0, 6],
    [0.8, 0.9, 1, 0, 10],
  ]);
  expect(d).toMatchObject({all_missing: 1, no_eligible: 0, target: 0.6});
  expect(d.bins).toHaveLength(10);
});

test("rates on a bin edge go up a bin despite floating point, and 100% lands in the last bin", () => {
  const row = (achieved_rate: number) => ({eligible: 10, achieved_rate, meets_target: true}) as GapRow;
  const d = rateDistribution([row(0.3), row(0.7), row(1), row(0)], {width: 0.1});
  expect(d.bins.map((b) => b.units)).toEqual([1, 0, 0, 1, 0, 0, 0, 1, 0, 1]);
  expect(rateDistribution([row(0.25)], {width: 0.25}).bins.map((b) => b.units)).toEqual([0, 1, 0, 0]);
});

test("a unit with no eligible person is counted apart; a width that does not divide 1 is refused", () => {
  expect(rateDistribution([{eligible: 0, achieved_rate: null, meets_target: null} as GapRow]).no_eligible).toBe(1);
  expect(() => rateDistribution([], {width: 0.3})).toThrow(/divide 1/);
  expect(() => rateDistribution([], {width: 0})).toThrow(/divide 1/);
});
