import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {childLevel, gapQuery, gapRollup, gapSummary, type GapLevel, type GapRow} from "../../src/engine/gapQuery.js";
import {indicators} from "../../src/engine/indicators.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {fixtureDb} from "./fixtureDb.js";

/*
 * The gap roll-up over the demo city 示例市 (issue 14: a street's cost was ¥4,200 in its district's table
 * and ¥4,450 on its own page; the city card showed 0 people beside ¥32,000). Two figures, named apart:
 * 本级缺口 (gap_count, gap_cost_yuan: the unit's own counts against the target) and 下级缺口合计
 * (children_gap_*: the sum of its children's own gaps). For every unit of every level:
 * - its children-sum equals the sum of its children's own figures, added here by hand;
 * - its own and children-sum figures in its parent's table are those its own page shows (gapSummary of
 *   its children: total = 本级, gross = 下级缺口合计).
 */

let db: NodeDuckDB;
let units: UnitRow[];
beforeAll(async () => {
  const city = await generateDemoCity();
  units = city.units;
  db = await fixtureDb({units: city.units, persons: city.persons, parameters: loadParameters()});
}, 120_000);
afterAll(() => db.close());

/** The children's own gaps added by hand: known counts only; the cost unknown when a child with a gap has none. */
function handSum(children: readonly GapRow[]): {count: number | null; cost: number | null} {
  const known = children.filter((c) => c.gap_count !== null);
  const gapped = known.filter((c) => c.gap_count! > 0);
  let cost: number | null = 0;
  for (const c of gapped) cost = cost === null || c.gap_cost_yuan === null ? null : cost + c.gap_cost_yuan;
  return {count: known.length ? known.reduce((s, c) => s + c.gap_count!, 0) : null, cost};
}

const expectYuan = (shown: number | null, want: number | null, where: string) => {
  if (want === null) expect(shown, where).toBeNull();
  else expect(Math.abs(shown! - want), `${where}: ${shown} vs ${want}`).toBeLessThanOrEqual(0.01);
};

/** Every unit above community level, with the level it sits at and its parent. */
const parents = () => units.filter((u) => u.level !== "community");

async function checkEveryUnit(indicator: string, year: number, grades: number[]) {
  // The parents' tables, one query per (level, parent), as the page asks for them.
  const tables = new Map<string, GapRow[]>();
  const tableOf = async (level: GapLevel, parent: string | null) => {
    const key = `${level}|${parent}`;
    if (!tables.has(key)) tables.set(key, (await gapQuery(db, {indicator, level, parent, year, grades})).rows);
    return tables.get(key)!;
  };
  let checked = 0;
  for (const unit of parents()) {
    const level = unit.level as GapLevel;
    const below = childLevel(level)!;
    const where = `${indicator} ${year} ${unit.unit_code} (${level})`;
    const row = (await tableOf(level, level === "city" ? null : unit.parent_code)).find((r) => r.unit_code === unit.unit_code)!;
    expect(row, where).toBeDefined();
    // Its own page: the table of its children and the summary cards above it.
    const children = await tableOf(below, unit.unit_code);
    expect(children.every((c) => c.parent_code === unit.unit_code), where).toBe(true);
    const summary = await gapSummary(db, {indicator, level: below, parent: unit.unit_code, year, grades});
    const sum = handSum(children);
    expect(row.children_gap_count, `${where}: children-sum count`).toBe(sum.count);
    expectYuan(row.children_gap_cost_yuan, sum.cost, `${where}: children-sum cost`);
    expect(gapRollup(children).gap_count, where).toBe(sum.count);
    // Same figures in the parent's table and on the unit's own page.
    expect(summary.total.gap_count, `${where}: own count on its page`).toBe(row.gap_count);
    expectYuan(summary.total.gap_cost_yuan, row.gap_cost_yuan, `${where}: own cost on its page`);
    expect(summary.gross_gap_count, `${where}: children-sum on its page`).toBe(row.children_gap_count);
    expectYuan(summary.gross_gap_cost_yuan, row.children_gap_cost_yuan, `${where}: children-sum cost on its page`);
    checked++;
  }
  return checked;
}

describe("本级缺口 and 下级缺口合计 over the demo city", () => {
  test("every unit's children-sum is its children's own gaps added, and it reads the same in its parent's table and on its own page", async () => {
    const ids = indicators.map((i) => i.id);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ids), fc.constantFrom(2026, 2028, 2030), fc.subarray([1, 2, 3, 4]), async (indicator, year, grades) => {
        expect(await checkEveryUnit(indicator, year, grades)).toBe(parents().length);
      }),
      {numRuns: 6, seed: 14},
    );
  }, 600_000);

  test("the demo city's own gap and its districts' sum differ, so both are needed (the card showed one beside the other)", async () => {
    const [city] = (await gapQuery(db, {indicator: "screening", level: "city", year: 2026})).rows;
    const districts = (await gapQuery(db, {indicator: "screening", level: "district", year: 2026})).rows;
    expect(city!.children_gap_count).toBe(districts.reduce((s, d) => s + (d.gap_count ?? 0), 0));
    expect(city!.children_gap_count).not.toBe(city!.gap_count);
  });
});
