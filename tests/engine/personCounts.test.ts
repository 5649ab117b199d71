import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {buildPersonsCube} from "../../loaders/city/personsCube.js";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {programmes} from "../../src/engine/programmes.js";
import {programmeDimensions} from "../../src/engine/cube.js";
import {gapLevels, gapQuery, indicatorDimensions, type GapOptions} from "../../src/engine/gapQuery.js";
import {indicators} from "../../src/engine/indicators.js";
import {ageBandsWithin, chooseSlice, cubeSlices, sliceName, usePersonsCube} from "../../src/engine/personCounts.js";
import type {Queryable} from "../../src/engine/queryable.js";
import {prepareModel, runScenario, totalsByYear} from "../../src/engine/runScenario.js";
import {baselineScenario} from "../../src/engine/scenario.js";
import {scorecard} from "../../src/engine/scorecard.js";
import {columnTypes} from "../../src/schemas/columnTypes.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import {personsCube} from "../../src/schemas/personsCube.js";
import type {Dataset} from "../../src/schemas/column.js";
import {parameters as parametersDataset} from "../../src/schemas/parameters.js";
import {persons as personsDataset} from "../../src/schemas/persons.js";
import {units as unitsDataset} from "../../src/schemas/units.js";
import {toArrowIPC} from "../../loaders/writeDataset.js";
import {createTable, fixtureDb, type FixtureTables} from "./fixtureDb.js";
import {gapParameters, gapPersons, gapUnits} from "./fixtures/gapCity.js";
import {WasmFixtureDb} from "./fixtures/wasmDb.js";

/**
 * A real city's build has no person rows, only persons_cube (small cells pooled): the engines must give
 * the person rows' answers wherever nothing was pooled, and lower bounds where something was — the
 * same SQL over person rows (weight 1) and over the cube, in Node and in DuckDB-WASM.
 */

type Db = Queryable & {close(): void};

/** The city's units and parameters, with its persons only as the cube a real city's build publishes. */
async function cubeDb(tables: FixtureTables & {persons: readonly PersonRow[]}, minCellSize: number, host: "node" | "wasm" = "node"): Promise<Db> {
  const {persons, ...rest} = tables;
  const rows = buildPersonsCube(persons, minCellSize, tables.units ?? []).rows;
  let db: Db;
  if (host === "node") {
    db = await fixtureDb(rest);
    await createTable(db, "persons_cube", columnTypes(personsCube.row), rows);
  } else {
    // As the page loads it: Arrow IPC (tens of thousands of rows bound 500 at a time stall the blocking WASM build).
    const ipc = (dataset: unknown, data: readonly object[] = []) => toArrowIPC(dataset as Dataset, data as Record<string, unknown>[]);
    db = await WasmFixtureDb.openIPC({units: ipc(unitsDataset, rest.units), persons: ipc(personsDataset), parameters: ipc(parametersDataset, rest.parameters), persons_cube: ipc(personsCube, rows)});
  }
  await usePersonsCube(db);
  return db;
}

const filterSets = [{}, {categories: ["physical", "visual"], grades: [1, 2]}, {categories: ["psychiatric"]}, {grades: [3, 4]}];

describe("slices", () => {
  test("a question reads the covering slice with the fewest pooled persons, then the fewest dimensions", () => {
    const slices = [
      {slice: "category+grade+screened", pooled: 10},
      {slice: "screened", pooled: 3},
      {slice: "grade", pooled: 0},
    ];
    expect(chooseSlice(slices, ["screened"])?.slice).toBe("screened");
    expect(chooseSlice(slices, ["category", "screened"])?.slice).toBe("category+grade+screened");
    expect(chooseSlice(slices, [])?.slice).toBe("grade");
    expect(chooseSlice(slices, ["enrolled"])).toBeNull();
    expect(chooseSlice([{slice: "*", pooled: 0}], ["category", "grade", "age_band", "enrolled"])?.slice).toBe("*");
  });

  test("every indicator and programme has a slice of the published cube to read", () => {
    const published = cubeSlices.map((dims) => ({slice: sliceName(dims), pooled: 0}));
    for (const i of indicators.filter((x) => x.counts === "people"))
      for (const filters of filterSets) expect(chooseSlice(published, indicatorDimensions(i, {categories: [], grades: [], ...filters})), i.id).not.toBeNull();
    for (const p of programmes) expect(chooseSlice(published, programmeDimensions(p)), p.id).not.toBeNull();
  });

  test("an age range is counted by the age bands it spans, and must fall on their edges", () => {
    expect(ageBandsWithin(6, 15)).toEqual(["6-15"]);
    expect(ageBandsWithin(16, 22)).toEqual(["16-17", "18-22"]);
    expect(ageBandsWithin(0, 17)).toEqual(["0-5", "6-15", "16-17"]);
    expect(() => ageBandsWithin(6, 14)).toThrow(/age bands/);
  });
});

describe("with no pooling (threshold 1) the cube gives exactly the person rows' answers", () => {
  const tables = {units: gapUnits, persons: gapPersons, parameters: gapParameters};
  let rows: Db;
  let cube: Db;
  beforeAll(async () => {
    rows = await fixtureDb(tables);
    cube = await cubeDb(tables, 1);
  });
  afterAll(() => {
    rows.close();
    cube.close();
  });

  test("every indicator at every level, filtered or not, and the scorecard", async () => {
    for (const indicator of indicators)
      for (const level of gapLevels)
        for (const filters of filterSets) {
          const options: GapOptions = {indicator: indicator.id, level, year: 2021, ...filters};
          expect(await gapQuery(cube, options), `${indicator.id} ${level} ${JSON.stringify(filters)}`).toEqual(await gapQuery(rows, options));
        }
    for (const level of gapLevels) expect(await scorecard(cube, {level, year: 2021})).toEqual(await scorecard(rows, {level, year: 2021}));
  });
});

describe("on the demo city 示例市 pooled at threshold 5", () => {
  let rows: Db;
  let cube: Db;
  let wasm: Db;
  const T = 5;
  beforeAll(async () => {
    const city = await generateDemoCity();
    const tables = {units: city.units, persons: city.persons, parameters: loadParameters()};
    [rows, cube, wasm] = await Promise.all([fixtureDb(tables), cubeDb(tables, T), cubeDb(tables, T, "wasm")]);
  }, 120_000);
  afterAll(() => {
    for (const db of [rows, cube, wasm]) db?.close();
  });

  /** Communities with pooled persons in the slice a question reads (personCounts.ts chooses it the same way). */
  async function pooledCommunities(slice: string): Promise<Set<string>> {
    const pooled = await cube.query<{community_code: string}>("SELECT community_code FROM persons_cube WHERE suppressed AND slice = ?", [slice]);
    return new Set(pooled.map((p) => p.community_code));
  }

  test("every person indicator's counts are the persons' where the slice pooled nobody, lower bounds where it did; screening's eligible is exact", async () => {
    const slices = await usePersonsCube(cube);
    let exact = 0;
    let bounded = 0;
    for (const indicator of indicators.filter((i) => i.counts === "people"))
      for (const filters of filterSets) {
        const options: GapOptions = {indicator: indicator.id, level: "community", year: 2025, ...filters};
        const [truth, counted] = [await gapQuery(rows, options), await gapQuery(cube, options)];
        const pooled = await pooledCommunities(chooseSlice(slices, indicatorDimensions(indicator, {categories: [], grades: [], ...filters}))!.slice);
        const byCode = new Map(counted.rows.map((r) => [r.unit_code, r]));
        for (const t of truth.rows) {
          const c = byCode.get(t.unit_code)!;
          if (!pooled.has(t.unit_code)) {
            expect([c.eligible, c.achieved_count, c.missing], `${indicator.id} ${t.unit_code}`).toEqual([t.eligible, t.achieved_count, t.missing]);
            exact++;
          } else {
            expect(c.eligible).toBeLessThanOrEqual(t.eligible);
            expect(c.achieved_count!).toBeLessThanOrEqual(t.achieved_count!);
            bounded++;
          }
          // Screening counts every person: pooled ones are eligible, with their status unknown.
          if (indicator.id === "screening" && !("categories" in filters) && !("grades" in filters)) expect(c.eligible).toBe(t.eligible);
        }
      }
    expect(exact).toBeGreaterThan(0);
    expect(bounded).toBeGreaterThan(0);
  });

  test("each programme's persons and persons already covered per community: the persons' where nothing was pooled, lower bounds where it was", async () => {
    const [truth, counted] = [await prepareModel(rows), await prepareModel(cube)];
    expect(counted.cube).toMatchObject({persons: truth.cube.persons, residents: truth.cube.residents, orphanPersons: 0, unplacedPersons: 0});
    expect(counted.cube.pooledPersons).toBeGreaterThan(0);
    const bases = (db: Db) => db.query<{programme: string; community_code: string; persons: number; achieved: number}>("SELECT programme, community_code, persons, achieved FROM scenario_bases WHERE kind <> 'per_resident'");
    const truthBases = new Map((await bases(rows)).map((b) => [`${b.programme} ${b.community_code}`, b]));
    const slices = await usePersonsCube(cube);
    let exact = 0;
    for (const prog of programmes.filter((p) => p.persons)) {
      const pooled = await pooledCommunities(chooseSlice(slices, programmeDimensions(prog))!.slice);
      for (const b of (await bases(cube)).filter((x) => x.programme === prog.id)) {
        const t = truthBases.get(`${b.programme} ${b.community_code}`) ?? {persons: 0, achieved: 0};
        if (pooled.has(b.community_code)) {
          expect(b.persons, `${prog.id} ${b.community_code}`).toBeLessThanOrEqual(t.persons);
          expect(b.achieved).toBeLessThanOrEqual(t.achieved);
        } else {
          expect([b.persons, b.achieved], `${prog.id} ${b.community_code}`).toEqual([t.persons, t.achieved]);
          exact++;
        }
      }
    }
    expect(exact).toBeGreaterThan(100);
    // Programmes counting persons by a selection cost no more than with every person known.
    const [a, b] = [await runScenario(rows, baselineScenario(), {model: truth}), await runScenario(cube, baselineScenario(), {model: counted})];
    const cost = (r: typeof a, id: string) => r.rows.filter((x) => x.programme === id && x.level === "total").reduce((s, x) => s + x.cost_yuan, 0);
    for (const prog of programmes.filter((p) => p.kind === "cash" || p.kind === "one_off")) expect(cost(b, prog.id), prog.id).toBeLessThanOrEqual(cost(a, prog.id) + 0.01);
    expect(cost(b, "community_rehab")).toBeCloseTo(cost(a, "community_rehab"), 2);
  });

  test("DuckDB-WASM gives the same answers from the cube as Node", async () => {
    for (const indicator of indicators.filter((i) => i.counts === "people"))
      for (const filters of filterSets.slice(0, 2)) {
        const options: GapOptions = {indicator: indicator.id, level: "street", year: 2025, ...filters};
        expect(await gapQuery(wasm, options)).toEqual(await gapQuery(cube, options));
      }
    const [n, w] = [await prepareModel(cube), await prepareModel(wasm)];
    expect(w.cube).toEqual(n.cube);
    const totals = async (db: Db, model: typeof n) => totalsByYear(await runScenario(db, baselineScenario(), {model})).map((t) => Math.round(t.cost_yuan));
    expect(await totals(wasm, w)).toEqual(await totals(cube, n));
  });
});

describe("communities with fewer persons than the threshold", () => {
  test("are counted only at city level: out of every community figure and programme, and reported", async () => {
    // 小城 at threshold 5: 柳岸社区 (4 persons) and 石桥村 (2) publish nothing of their own.
    const tables = {units: gapUnits, persons: gapPersons, parameters: gapParameters};
    const db = await cubeDb(tables, 5);
    try {
      const cityRow = await db.query<{community_code: string; persons: number}>("SELECT DISTINCT community_code, persons FROM persons_cube WHERE community_code = '35'");
      expect(cityRow).toEqual([{community_code: "35", persons: 6}]);
      const {rows} = await gapQuery(db, {indicator: "screening", level: "community", year: 2021});
      const eligible = Object.fromEntries(rows.map((r) => [r.unit_code, r.eligible]));
      expect(eligible).toEqual({"350101001": 10, "350101002": 0, "350102001": 6, "350201001": 8, "350201002": 0});
      const model = await prepareModel(db);
      expect(model.cube).toMatchObject({persons: 24, unplacedPersons: 6, orphanPersons: 0});
    } finally {
      db.close();
    }
  });

  test("join further communities at city level until the city row is no small count", () => {
    // 湖滨社区 (10), one person of 柳岸社区, 石桥村 (2): the two small ones hold 3 < 5, so 湖滨社区 joins them.
    const persons = [...gapPersons.filter((p) => ["350101001", "350201002"].includes(p.community_code)), gapPersons.find((p) => p.community_code === "350101002")!];
    const cube = buildPersonsCube(persons, 5, gapUnits);
    expect(cube.cityLevelPersons).toBe(13);
    expect(new Set(cube.rows.map((r) => `${r.community_code} ${r.persons}`))).toEqual(new Set(["35 13"]));
  });
});
