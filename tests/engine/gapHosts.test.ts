import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {rateDistribution} from "../../src/engine/distribution.js";
import {breadcrumb, gapLevels, gapQuery, gapSummary} from "../../src/engine/gapQuery.js";
import {indicators} from "../../src/engine/indicators.js";
import {scorecard} from "../../src/engine/scorecard.js";
import {fixtureDb} from "./fixtureDb.js";
import {gapParameters, gapPersons, gapUnits} from "./fixtures/gapCity.js";
import {WasmFixtureDb} from "./fixtures/wasmDb.js";

// The page runs the engine on DuckDB-WASM, the tests on @duckdb/node-api: both must give the same answers.

let node: NodeDuckDB;
let wasm: WasmFixtureDb;
beforeAll(async () => {
  const tables = {units: gapUnits, persons: gapPersons, parameters: gapParameters};
  node = await fixtureDb(tables);
  wasm = await WasmFixtureDb.open(tables);
});
afterAll(() => {
  node.close();
  wasm.close();
});

test("every indicator at every level, filtered or not, gives the same rows in DuckDB-WASM as in Node", async () => {
  for (const indicator of indicators)
    for (const level of gapLevels)
      for (const filters of [{}, {categories: ["physical", "visual"], grades: [1, 2]}]) {
        const options = {indicator: indicator.id, level, year: 2021, ...filters};
        const [n, w] = [await gapQuery(node, options), await gapQuery(wasm, options)];
        expect(w).toEqual(n);
        expect(rateDistribution(w.rows)).toEqual(rateDistribution(n.rows));
      }
});

test("drill-down, summary, breadcrumb and scorecard agree between the hosts", async () => {
  const options = {indicator: "screening", level: "community" as const, parent: "3501", year: 2021};
  expect(await gapQuery(wasm, options)).toEqual(await gapQuery(node, options));
  expect(await gapSummary(wasm, {indicator: "station_area", year: 2021})).toEqual(await gapSummary(node, {indicator: "station_area", year: 2021}));
  expect(await breadcrumb(wasm, "350201002")).toEqual(await breadcrumb(node, "350201002"));
  for (const level of gapLevels) expect(await scorecard(wasm, {level, year: 2021})).toEqual(await scorecard(node, {level, year: 2021}));
});

describe("on the demo city 示例市", () => {
  let demoNode: NodeDuckDB;
  let demoWasm: WasmFixtureDb;
  beforeAll(async () => {
    const city = await generateDemoCity();
    const tables = {units: city.units, persons: city.persons, parameters: loadParameters()};
    demoNode = await fixtureDb(tables);
    demoWasm = await WasmFixtureDb.open(tables);
  });
  afterAll(() => {
    demoNode.close();
    demoWasm.close();
  });

  test("gap rows, summaries and the scorecard agree between the hosts", async () => {
    for (const indicator of ["screening", "subsistence", "station_area", "rehab_funding", "care_point"])
      for (const level of gapLevels) {
        const options = {indicator, level, year: 2026, sort: "gap_cost" as const};
        expect(await gapQuery(demoWasm, options)).toEqual(await gapQuery(demoNode, options));
      }
    expect(await gapSummary(demoWasm, {indicator: "archive", year: 2026, grades: [1, 2]})).toEqual(await gapSummary(demoNode, {indicator: "archive", year: 2026, grades: [1, 2]}));
    expect(await scorecard(demoWasm, {level: "street", year: 2026})).toEqual(await scorecard(demoNode, {level: "street", year: 2026}));
  });
});
