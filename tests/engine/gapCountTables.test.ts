import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {buildPersonsCube} from "../../loaders/city/personsCube.js";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {gapQuery, gapSummary, indicatorDimensions, type GapOptions} from "../../src/engine/gapQuery.js";
import {indicatorById, indicators} from "../../src/engine/indicators.js";
import {chooseSlice, usePersonsCube, type SliceInfo} from "../../src/engine/personCounts.js";
import {columnTypes} from "../../src/schemas/columnTypes.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import {personsCube, type PersonsCubeRow} from "../../src/schemas/personsCube.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {createTable, fixtureDb} from "./fixtureDb.js";

/**
 * A category or grade filter (the explorer's 类别/等级) reads the kept per-community counts split by
 * category and grade (gapQuery.ts, cellCounts), not the persons. The oracle: the same city holding only
 * the persons that pass the filter, asked without it — the engine's filter never enters — must give the
 * same rows, including communities that did not report (未填报) who is eligible or their status.
 */

const YEAR = 2026;
const personIndicators = indicators.filter((i) => i.counts === "people").map((i) => i.id);
const filterSets: {categories?: string[]; grades?: number[]}[] = [
  {categories: ["physical"]},
  {grades: [1, 2]},
  {categories: ["psychiatric", "intellectual"], grades: [3]},
  {categories: ["visual", "hearing", "speech", "physical", "intellectual", "psychiatric", "multiple"], grades: [1, 2, 3, 4]},
  {categories: ["no such category"]},
];

const passes = (filters: {categories?: string[]; grades?: number[]}) => (p: {category: string | null; grade: number | null}) =>
  (!filters.categories?.length || (p.category !== null && filters.categories.includes(p.category))) && (!filters.grades?.length || (p.grade !== null && filters.grades.includes(p.grade)));

/**
 * The demo city with what offices leave blank: some communities report nobody's rehabilitation need,
 * some nobody's screening, some no 低保 eligibility for one category only, some half their archiving.
 */
function withUnreported(persons: readonly PersonRow[], units: readonly UnitRow[]): PersonRow[] {
  const communities = units.filter((u) => u.level === "community").map((u) => u.unit_code);
  const kind = new Map(communities.map((c, i) => [c, i % 7]));
  return persons.map((p, i) => {
    switch (kind.get(p.community_code)) {
      case 1:
        return {...p, rehab_need: null, archived: null, rehab_served: null};
      case 2:
        return {...p, screened: null};
      case 3:
        return p.category === "physical" ? {...p, dibao_eligible: null, dibao_recipient: null} : p;
      case 4:
        return i % 2 ? {...p, archived: null, severe_subsidy_eligible: null} : p;
      default:
        return p;
    }
  });
}

/** The result without what says which filter was asked and the count columns it reads (the oracle is asked without one). */
const withoutFilters = <T extends {filters: unknown; answer: unknown}>({filters: _filters, answer: _answer, ...rest}: T) => rest;

describe("filtered gap queries read the split count tables and answer as the persons would", () => {
  let units: UnitRow[];
  let persons: PersonRow[];
  let db: NodeDuckDB;
  let districts: string[];
  const parameters = loadParameters();
  beforeAll(async () => {
    const city = await generateDemoCity();
    units = city.units;
    persons = withUnreported(city.persons, units);
    db = await fixtureDb({units, persons, parameters});
    districts = units.filter((u) => u.level === "district").map((u) => u.unit_code);
  }, 120_000);
  afterAll(() => db?.close());

  test("the blanks make communities 未填报 under the filters", async () => {
    const archive = await gapSummary(db, {indicator: "archive", year: YEAR, categories: ["physical"]});
    const subsistence = await gapSummary(db, {indicator: "subsistence", year: YEAR, categories: ["physical"]});
    const screening = await gapSummary(db, {indicator: "screening", year: YEAR, grades: [1, 2]});
    for (const s of [archive, subsistence, screening]) expect(s.communities_not_reported).toBeGreaterThan(0);
  });

  test.each(filterSets.map((f) => [JSON.stringify(f), f] as const))("%s: every person indicator, city-wide and within a district, equals the filtered persons asked unfiltered", async (_name, filters) => {
    const oracle = await fixtureDb({units, persons: persons.filter(passes(filters)), parameters});
    try {
      for (const indicator of personIndicators) {
        const asks: GapOptions[] = [
          {indicator, level: "district", year: YEAR},
          {indicator, level: "street", parent: districts[1], year: YEAR},
          {indicator, level: "community", year: YEAR, sort: "name"},
        ];
        for (const options of asks) {
          const filtered = await gapQuery(db, {...options, ...filters});
          expect(filtered.answer.answerable, indicator).toBe(true);
          expect(withoutFilters(filtered), `${indicator} ${options.level}`).toEqual(withoutFilters(await gapQuery(oracle, options)));
        }
        expect(withoutFilters(await gapSummary(db, {indicator, year: YEAR, ...filters}))).toEqual(withoutFilters(await gapSummary(oracle, {indicator, year: YEAR})));
      }
    } finally {
      oracle.close();
    }
  }, 120_000);

  test("once made, a filtered query reads the count tables, not the persons", async () => {
    const own = await fixtureDb({units, persons, parameters});
    try {
      const options: GapOptions = {indicator: "archive", level: "street", year: YEAR, categories: ["physical", "visual"], grades: [1, 2]};
      const first = await gapQuery(own, options);
      const tables = await own.query<{table_name: string}>("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'gap_counts_archive_cells_%'");
      expect(tables).toHaveLength(1);
      // Other filters of the same indicator add other cells of the same table.
      const other = await gapQuery(own, {...options, categories: ["psychiatric"], grades: []});
      await own.query("DELETE FROM persons");
      expect(await gapQuery(own, options)).toEqual(first);
      expect(await gapQuery(own, {...options, categories: ["psychiatric"], grades: []})).toEqual(other);
    } finally {
      own.close();
    }
  });
});

describe("over a published cube (cells pooled below 5), the count table of the slice with category and grade", () => {
  let db: NodeDuckDB;
  let units: UnitRow[];
  let cube: PersonsCubeRow[];
  let slices: SliceInfo[];
  const parameters = loadParameters();
  beforeAll(async () => {
    const city = await generateDemoCity();
    units = city.units;
    cube = buildPersonsCube(withUnreported(city.persons, units), 5, units).rows;
    db = await fixtureDb({units, parameters});
    await createTable(db, "persons_cube", columnTypes(personsCube.row), cube);
    slices = await usePersonsCube(db);
  }, 120_000);
  afterAll(() => db?.close());

  test.each(["screening", "archive", "subsistence", "severe_subsidy"])("%s: filtered, equals a cube of that slice's rows passing the filter, asked unfiltered", async (indicator) => {
    for (const filters of filterSets.slice(0, 3)) {
      const filtered = await gapQuery(db, {indicator, level: "street", year: YEAR, ...filters});
      expect(filtered.answer.answerable).toBe(true);
      // The slice the filtered question read (with category and grade), as the engine chooses it.
      const slice = chooseSlice(slices, indicatorDimensions(indicatorById(indicator), {categories: [], grades: [], ...filters}))!.slice;
      expect(slice).toMatch(/^category\+grade\+/);
      const oracle = await fixtureDb({units, parameters});
      try {
        await createTable(oracle, "persons_cube", columnTypes(personsCube.row), cube.filter((r) => r.slice === slice && passes(filters)(r)));
        await usePersonsCube(oracle);
        const unfiltered = await gapQuery(oracle, {indicator, level: "street", year: YEAR});
        expect(filtered.rows, `${indicator} ${JSON.stringify(filters)}`).toEqual(unfiltered.rows);
      } finally {
        oracle.close();
      }
    }
  }, 120_000);
});
