import {expect, test} from "vitest";
import {buildCountsCube} from "../../loaders/city/countsCube.js";
import {buildPersonsCube} from "../../loaders/city/personsCube.js";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {useCommunityCounts} from "../../src/engine/communityCountsCube.js";
import {gapLevels, gapQuery} from "../../src/engine/gapQuery.js";
import {sliceName, usePersonsCube} from "../../src/engine/personCounts.js";
import {columnTypes} from "../../src/schemas/columnTypes.js";
import {personsCube} from "../../src/schemas/personsCube.js";
import {createTable, fixtureDb} from "../engine/fixtureDb.js";
import {countsFromPersons, createCountsTable, officeView} from "../engine/fixtures/countsCity.js";

// The build's counts route: a count-only city publishes persons_cube derived from its counts, pooled by
// the same small-cell rule as person rows (loaders/city/countsCube.ts).

const city = await generateDemoCity();
const persons = officeView(city.persons);
const counts = countsFromPersons(persons);
const key = (r: {slice: string; community_code: string}) => `${r.slice} ${r.community_code}`;

test("at threshold 1 nothing is pooled: the published cube answers exactly as the counts do in the browser", async () => {
  const cube = await buildCountsCube(counts, 1, city.units);
  expect(cube.rows.some((r) => r.suppressed)).toBe(false);
  const [published, browser] = [await fixtureDb({units: city.units, parameters: loadParameters()}), await fixtureDb({units: city.units, parameters: loadParameters()})];
  try {
    await createTable(published, "persons_cube", columnTypes(personsCube.row), cube.rows);
    await usePersonsCube(published);
    await createCountsTable(browser, counts);
    await useCommunityCounts(browser);
    for (const indicator of ["screening", "archive", "enrolment", "subsistence", "rehab_service", "device_fitting", "poor_subsidy", "severe_subsidy"])
      for (const level of gapLevels) expect(await gapQuery(published, {indicator, level, year: 2026})).toEqual(await gapQuery(browser, {indicator, level, year: 2026}));
  } finally {
    published.close();
    browser.close();
  }
});

test("at threshold 5: valid persons_cube rows, no row below city level under 5, every community's persons in every slice, and the same cells as the person rows' cube where the slices agree", async () => {
  const T = 5;
  const cube = await buildCountsCube(counts, T, city.units);
  for (const r of cube.rows) personsCube.row.parse(r);
  const cityCode = city.units.find((u) => u.level === "city")!.unit_code;
  expect(cube.rows.filter((r) => r.community_code !== cityCode && r.persons < T)).toEqual([]);
  const slices = [...new Set(cube.rows.map((r) => r.slice))];
  expect(slices).toContain("age_band=6-15+enrolled");
  const published = new Map<string, number>();
  for (const r of cube.rows) published.set(key(r), (published.get(key(r)) ?? 0) + r.persons);
  const small = counts.filter((c) => !cube.rows.some((r) => r.community_code === c.community_code));
  for (const slice of slices) {
    for (const c of counts) if (!small.includes(c)) expect(published.get(key({slice, community_code: c.community_code})), `${slice} ${c.community_code}`).toBe(c.persons);
    expect(published.get(key({slice, community_code: cityCode})) ?? 0).toBe(cube.cityLevelPersons);
  }
  expect(cube.persons).toBe(persons.length);
  // Slices person rows and counts both give split persons into the same cells, so they pool the same…
  const fromPersons = buildPersonsCube(persons, T, city.units);
  for (const slice of [
    "category", "grade", "screened", "dibao_eligible+dibao_recipient", "wubao_recipient",
    sliceName(["device_need", "device_fitted"]), sliceName(["poor_subsidy_eligible", "poor_subsidy_recipient"]), sliceName(["severe_subsidy_eligible", "severe_subsidy_recipient"]),
  ]) {
    const sorted = (rows: typeof cube.rows) => rows.filter((r) => r.slice === slice).map((r) => JSON.stringify(r)).sort();
    expect(sorted(cube.rows), slice).toEqual(sorted(fromPersons.rows));
  }
  // …except the two that share the persons in need (archived, served): the counts cube protects them
  // together (one's need margin minus the other's would reveal a pooled cell), so it pools at least as many.
  const pooled = (rows: typeof cube.rows, slice: string) => rows.filter((r) => r.slice === slice && r.suppressed).reduce((n, r) => n + r.persons, 0);
  for (const slice of ["rehab_need+archived", sliceName(["rehab_need", "rehab_served"])]) expect(pooled(cube.rows, slice), slice).toBeGreaterThanOrEqual(pooled(fromPersons.rows, slice));
});
