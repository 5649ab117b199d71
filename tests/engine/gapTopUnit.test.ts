import {afterAll, beforeAll, expect, test} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {breadcrumb, topUnit} from "../../src/engine/gapQuery.js";
import {fixtureDb} from "./fixtureDb.js";
import {gapParameters, gapPersons, gapUnits} from "./fixtures/gapCity.js";
import {WasmFixtureDb} from "./fixtures/wasmDb.js";

// The gap page names its whole scope (the city) before any drill-down: the first breadcrumb step.

let db: NodeDuckDB;
beforeAll(async () => {
  db = await fixtureDb({units: gapUnits, persons: gapPersons, parameters: gapParameters});
});
afterAll(() => db.close());

test("the top unit is the city, the first step of every unit's breadcrumb", async () => {
  expect(await topUnit(db)).toEqual({unit_code: "35", unit_name: "小城", level: "city"});
  expect((await breadcrumb(db, "350201002"))[0]).toEqual(await topUnit(db));
});

test("a units table without a city row has no top unit", async () => {
  const empty = await fixtureDb({units: gapUnits.filter((u) => u.level !== "city")});
  try {
    expect(await topUnit(empty)).toBeNull();
  } finally {
    empty.close();
  }
});

test("DuckDB-WASM gives the same top unit", async () => {
  const wasm = await WasmFixtureDb.open({units: gapUnits, persons: gapPersons, parameters: gapParameters});
  try {
    expect(await topUnit(wasm)).toEqual(await topUnit(db));
  } finally {
    wasm.close();
  }
});
