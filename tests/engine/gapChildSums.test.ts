import {afterAll, beforeAll, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {gapQuery, gapRollup, type GapOptions, type GapRollup} from "../../src/engine/gapQuery.js";
import {usePersonRows} from "../../src/engine/personCounts.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {fixtureDb} from "./fixtureDb.js";

/**
 * 下级缺口合计 (children_gap_count / _cost) is kept per question once computed (gapQuery.ts,
 * childrenRollup). The oracle is its definition: the same question asked one level down, its rows' own
 * gaps summed per parent (gapRollup). Asked many questions in turn — other indicators, years, filters,
 * scopes, each twice — a database must give every one the sums of its own children, so a key that left
 * a filter or the year out would hand one question another's sums; and new person counts must not be
 * answered from the old ones' sums.
 */

let units: UnitRow[];
let persons: PersonRow[];
let db: NodeDuckDB;
const parameters = loadParameters();
beforeAll(async () => {
  const city = await generateDemoCity();
  units = city.units;
  persons = city.persons;
  db = await fixtureDb({units, persons, parameters});
}, 120_000);
afterAll(() => db?.close());

const sums = (r: Awaited<ReturnType<typeof gapQuery>>) => r.rows.map((row) => [row.unit_code, row.children_gap_count, row.children_gap_cost_yuan]);

/** The sums by definition: the children's own rows, summed per parent. */
async function childSumsOf(options: GapOptions, level: "street" | "community"): Promise<Map<string, GapRollup>> {
  const children = (await gapQuery(db, {...options, level})).rows;
  const byParent = new Map<string, typeof children>();
  for (const child of children) byParent.set(child.parent_code!, [...(byParent.get(child.parent_code!) ?? []), child]);
  return new Map([...byParent].map(([code, rows]) => [code, gapRollup(rows)]));
}

test("a database asked many questions in turn gives each the sums of its own children", async () => {
  const district = units.find((u) => u.level === "district")!.unit_code;
  const asks: GapOptions[] = [];
  for (const indicator of ["screening", "archive", "rehab_service"]) {
    for (const year of [2026, 2030]) {
      asks.push({indicator, level: "district", year});
      asks.push({indicator, level: "street", year});
      asks.push({indicator, level: "street", year, categories: ["physical"]});
      asks.push({indicator, level: "street", year, grades: [1, 2]});
      asks.push({indicator, level: "street", year, parent: district, grades: [1, 2]});
    }
  }
  const seen = new Set<string>();
  for (const round of [1, 2]) {
    for (const options of round === 1 ? asks : [...asks].reverse()) {
      const result = await gapQuery(db, options);
      const expected = await childSumsOf(options, options.level === "district" ? "street" : "community");
      const none = gapRollup([]);
      const want = result.rows.map((row) => [row.unit_code, (expected.get(row.unit_code) ?? none).gap_count, (expected.get(row.unit_code) ?? none).gap_cost_yuan]);
      expect(sums(result), `${JSON.stringify(options)} round ${round}`).toEqual(want);
      seen.add(JSON.stringify(sums(result)));
    }
  }
  // The questions' sums differ (filters and scopes change them), so handing one another's would show.
  expect(seen.size).toBeGreaterThanOrEqual(12);
}, 300_000);

test("new person counts are summed afresh", async () => {
  const options: GapOptions = {indicator: "screening", level: "district", year: 2026};
  const before = sums(await gapQuery(db, options));
  // Half the persons leave; the view over persons is registered again, as a page does after a change.
  await db.query("DELETE FROM persons WHERE hash(person_id) % 2 = 0");
  await usePersonRows(db);
  const after = sums(await gapQuery(db, options));
  expect(after).not.toEqual(before);
  const kept = new Set((await db.query<{person_id: number}>("SELECT person_id FROM persons")).map((r) => Number(r.person_id)));
  const other = await fixtureDb({units, persons: persons.filter((p) => kept.has(Number(p.person_id))), parameters});
  try {
    expect(after).toEqual(sums(await gapQuery(other, options)));
  } finally {
    other.close();
  }
}, 120_000);
