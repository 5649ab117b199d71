import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {parametersInForce} from "../../src/engine/gapParameters.js";
import {gapLevels, gapQuery, gapSummary, type GapRow} from "../../src/engine/gapQuery.js";
import {indicatorParameterIds, indicators} from "../../src/engine/indicators.js";
import {demonstrationCriteria, scorecard} from "../../src/engine/scorecard.js";
import {fixtureDb} from "./fixtureDb.js";

// The gap engine over the real demo city 示例市 and the committed parameters: sanity, not hand values.
// Undated targets and assumptions are in force from 2026-01-01 (data/parameters/README.md).
const YEAR = 2026;

let db: NodeDuckDB;
let persons: number;
let communities: number;
beforeAll(async () => {
  const city = await generateDemoCity();
  persons = city.persons.length;
  communities = city.units.filter((u) => u.level === "community").length;
  db = await fixtureDb({units: city.units, persons: city.persons, parameters: loadParameters()});
});
afterAll(() => db.close());

const counts = (rows: readonly GapRow[]) => ({
  eligible: rows.reduce((s, r) => s + r.eligible, 0),
  achieved: rows.reduce((s, r) => s + (r.achieved_count ?? 0), 0),
  missing: rows.reduce((s, r) => s + (r.missing ?? 0), 0),
});

test("every parameter the catalogue and the scorecard read has a value in force", async () => {
  const ids = [...indicators.flatMap(indicatorParameterIds), ...demonstrationCriteria.flatMap((c) => (c.rule.kind === "rate" ? [c.rule.parameter] : c.rule.measure.kind === "at_least" ? [c.rule.measure.parameter] : []))];
  const found = await parametersInForce(db, ids, `${YEAR}-12-31`);
  expect(ids.filter((id) => !found.has(id))).toEqual([]);
});

describe.each(indicators.map((i) => i.id))("%s on the demo city", (indicator) => {
  test("counts add up the same at every level, and the city's eligible are all persons or communities when no one is excluded", async () => {
    const perLevel = [];
    for (const level of gapLevels) perLevel.push(counts((await gapQuery(db, {indicator, level, year: YEAR})).rows));
    for (const c of perLevel) expect(c).toEqual(perLevel[0]);
    const def = indicators.find((i) => i.id === indicator)!;
    if (def.eligible.length === 0) expect(perLevel[0].eligible).toBe(def.counts === "people" ? persons : communities);
  });

  test("each district's streets add up to the district, and the summary's total to the city", async () => {
    const districts = (await gapQuery(db, {indicator, level: "district", year: YEAR})).rows;
    for (const d of districts.slice(0, 3)) {
      const streets = (await gapQuery(db, {indicator, level: "street", parent: d.unit_code, year: YEAR})).rows;
      expect(counts(streets)).toEqual(counts([d]));
    }
    const city = (await gapQuery(db, {indicator, level: "city", year: YEAR})).rows[0];
    const summary = await gapSummary(db, {indicator, year: YEAR});
    expect(summary.total).toMatchObject({eligible: city.eligible, achieved_count: city.achieved_count, missing: city.missing, gap_count: city.gap_count, gap_cost_yuan: city.gap_cost_yuan});
  });

  test("targets and cost parameters are in force, every gap is priced and no rate leaves 0–1", async () => {
    const {rows, cost, target_value} = await gapQuery(db, {indicator, level: "street", year: YEAR});
    expect(target_value).not.toBeNull();
    expect(cost.missing).toEqual([]);
    for (const r of rows) {
      if (r.achieved_rate !== null) expect(r.achieved_rate).toBeGreaterThanOrEqual(0);
      if (r.achieved_rate !== null) expect(r.achieved_rate).toBeLessThanOrEqual(1);
      if (r.gap_count !== null) expect(r.gap_cost_yuan).not.toBeNull();
    }
  });
});

test("the scorecard judges every community on every criterion, and streets count all communities", async () => {
  const byCommunity = await scorecard(db, {level: "community", year: YEAR});
  for (const t of byCommunity.criterion_totals) expect(t.pass + t.fail + t.missing).toBe(communities);
  const byStreet = await scorecard(db, {level: "street", year: YEAR});
  expect(byStreet.units.reduce((s, u) => s + u.communities, 0)).toBe(communities);
  expect(byStreet.units.reduce((s, u) => s + u.communities_missing_one, 0)).toBe(byCommunity.misses_one.length);
  expect(byStreet.criterion_totals).toEqual(byCommunity.criterion_totals);
});
