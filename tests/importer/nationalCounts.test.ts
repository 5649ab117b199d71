import {readFileSync} from "node:fs";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {useCommunityCounts, writeCommunityCounts} from "../../src/engine/communityCountsCube.js";
import {gapQuery, gapSummary, type GapResult} from "../../src/engine/gapQuery.js";
import {bytesSource, formatProblem, importFiles, rowsOf, type ImportResult} from "../../src/importer/index.js";
import {fixtureDb} from "../engine/fixtureDb.js";

/**
 * A count-only city (an office's statistics form, no person rows) with the columns real forms use for
 * the national plan's indicators: imported, then read by the gap engine. Every figure worked by hand.
 */

const referenceDate = "2026-06-30";

const header = "区县,街道,社区,常住人口,持证残疾人数,已筛查人数,有康复需求人数,已接受基本康复服务人数,有辅助器具适配需求人数,辅助器具适配人数,符合困难残疾人生活补贴条件人数,享受困难残疾人生活补贴人数,应享受重度残疾人护理补贴人数,享受重度残疾人护理补贴人数";
const rows = [
  "甲区,东街道,一社区,3000,60,40,20,15,6,5,12,10,20,18",
  "甲区,东街道,二社区,2500,50,30,10,10,4,2,8,8,15,12",
  "乙县,西镇,三村,2000,40,20,10,4,2,2,10,6,10,10",
];
const csv = (head: string, lines: readonly string[]) => new TextEncoder().encode([head, ...lines].join("\r\n") + "\r\n");

async function importForm(bytes: Uint8Array): Promise<{imported: ImportResult; db: NodeDuckDB}> {
  const imported = await importFiles([bytesSource("统计表.csv", bytes)], {referenceDate});
  const db = await fixtureDb({units: imported.units, parameters: loadParameters()});
  await writeCommunityCounts(db, imported.communityCounts);
  await useCommunityCounts(db);
  return {imported, db};
}

/** status, eligible, achieved, gap per unit name. */
const byName = (result: GapResult) => Object.fromEntries(result.rows.map((r) => [r.unit_name, [r.status, r.eligible, r.achieved_count, r.gap_count]]));

describe("a statistics form with the national plan's columns", () => {
  let imported: ImportResult;
  let db: NodeDuckDB;
  beforeAll(async () => {
    ({imported, db} = await importForm(csv(header, rows)));
  });
  afterAll(() => db?.close());

  test("each header is read as its count, stored per community", () => {
    expect(imported.errors).toBe(0);
    expect(imported.office?.countFields).toEqual(expect.arrayContaining(["rehab_served", "device_need", "device_fitted", "poor_subsidy_eligible", "poor_subsidy_recipient", "severe_subsidy_eligible", "severe_subsidy_recipient"]));
    const one = imported.communityCounts.find((c) => imported.units.find((u) => u.unit_code === c.community_code)?.unit_name === "一社区")!;
    expect(one).toMatchObject({persons: 60, rehab_need: 20, rehab_served: 15, device_need: 6, device_fitted: 5, poor_subsidy_eligible: 12, poor_subsidy_recipient: 10, severe_subsidy_eligible: 20, severe_subsidy_recipient: 18});
  });

  test("basic rehab service coverage and device fitting against 85 %, per community and district", async () => {
    const rehab = await gapQuery(db, {indicator: "rehab_service", level: "community", year: 2026});
    // 15/20 = 0.75 → ⌈20 × 0.10⌉ = 2; 10/10 → 0; 4/10 = 0.4 → ⌈10 × 0.45⌉ = 5.
    expect(byName(rehab)).toEqual({一社区: ["ok", 20, 15, 2], 二社区: ["ok", 10, 10, 0], 三村: ["ok", 10, 4, 5]});
    const districts = await gapQuery(db, {indicator: "rehab_service", level: "district", year: 2026});
    // 甲区: 25/30 → ⌈30 × (0.85 − 0.8333)⌉ = ⌈0.5⌉ = 1 (本级); its one street, 东街道, has the same counts and gap.
    expect(byName(districts)["甲区"]).toEqual(["ok", 30, 25, 1]);
    expect(districts.rows.find((r) => r.unit_name === "甲区")!.children_gap_count).toBe(1);
    const device = await gapQuery(db, {indicator: "device_fitting", level: "community", year: 2026});
    // 5/6 → ⌈6 × 0.0167⌉ = 1; 2/4 → ⌈4 × 0.35⌉ = 2; 2/2 → 0.
    expect(byName(device)).toEqual({一社区: ["ok", 6, 5, 1], 二社区: ["ok", 4, 2, 2], 三村: ["ok", 2, 2, 0]});
  });

  test("the two subsidies' coverage against 100 %", async () => {
    const poor = await gapQuery(db, {indicator: "poor_subsidy", level: "community", year: 2026});
    expect(byName(poor)).toEqual({一社区: ["ok", 12, 10, 2], 二社区: ["ok", 8, 8, 0], 三村: ["ok", 10, 6, 4]});
    const severe = await gapSummary(db, {indicator: "severe_subsidy", year: 2026});
    // 18/20, 12/15, 10/10: 40 of 45 → gap 5 city-wide.
    expect([severe.total.eligible, severe.total.achieved_count, severe.total.gap_count]).toEqual([45, 40, 5]);
  });
});

test("a form without the eligible counts says, in Chinese, which count is missing, and gives no figure", async () => {
  const without = header.split(",").filter((h) => !/符合|应享受|辅助器具/.test(h));
  const keep = header.split(",").map((h) => without.includes(h));
  const lines = rows.map((r) => r.split(",").filter((_, i) => keep[i]).join(","));
  const {db} = await importForm(csv(without.join(","), lines));
  try {
    const poor = await gapQuery(db, {indicator: "poor_subsidy", level: "district", year: 2026});
    expect(poor.answer).toMatchObject({answerable: false, reason_zh: "导入的数据没有符合困难残疾人生活补贴条件人数，不能计算困难残疾人生活补贴覆盖率"});
    expect(poor.rows).toEqual([]);
    const severe = await gapQuery(db, {indicator: "severe_subsidy", level: "district", year: 2026});
    expect(severe.answer).toMatchObject({answerable: false, reason_zh: "导入的数据没有符合重度残疾人护理补贴条件人数，不能计算重度残疾人护理补贴覆盖率"});
    const device = await gapQuery(db, {indicator: "device_fitting", level: "district", year: 2026});
    expect(device.answer).toMatchObject({answerable: false, reason_zh: "导入的数据没有有辅助器具适配需求人数、辅助器具适配人数，不能计算残疾人辅助器具适配率"});
    // The served count is there: basic rehab service coverage still answers.
    expect((await gapQuery(db, {indicator: "rehab_service", level: "district", year: 2026})).answer.answerable).toBe(true);
  } finally {
    db.close();
  }
});

test("person rows with the national plan's yes/no columns import as flags the gap engine counts", async () => {
  const dir = new URL("../fixtures/city/", import.meta.url);
  const persons = [
    "所属社区代码,残疾类别,残疾等级,年龄,已做康复需求筛查,有康复需求,已接受基本康复服务,有辅助器具适配需求,已适配辅助器具,符合生活补贴条件,享受困难残疾人生活补贴,符合护理补贴条件,享受重度残疾人护理补贴",
    "K01,肢体,1,60,是,是,是,是,是,是,是,是,是",
    "K01,肢体,2,61,是,是,否,是,否,是,否,是,否",
    "K02,视力,3,40,是,否,,否,,否,否,否,否",
  ];
  const r = await importFiles([bytesSource("units.csv", readFileSync(new URL("units.csv", dir))), bytesSource("persons.csv", csv(persons[0]!, persons.slice(1)))], {referenceDate});
  expect(r.errors, r.problems.map(formatProblem).join("\n")).toBe(0);
  const rows = rowsOf<Record<string, unknown>>(r.persons);
  expect(rows.map((p) => [p.rehab_served, p.device_need, p.device_fitted, p.poor_subsidy_eligible, p.poor_subsidy_recipient, p.severe_subsidy_eligible, p.severe_subsidy_recipient])).toEqual([
    [true, true, true, true, true, true, true],
    [false, true, false, true, false, true, false],
    [null, false, null, false, false, false, false],
  ]);
  const db = await fixtureDb({units: r.units, persons: rows as never, parameters: loadParameters()});
  try {
    // Two in need, one served: 0.5 against 0.85 → ⌈2 × 0.35⌉ = 1.
    const served = await gapSummary(db, {indicator: "rehab_service", year: 2026});
    expect([served.total.eligible, served.total.achieved_count, served.total.gap_count]).toEqual([2, 1, 1]);
    // Two eligible, one recipient, against 100% → 1.
    const poor = await gapSummary(db, {indicator: "poor_subsidy", year: 2026});
    expect([poor.total.eligible, poor.total.achieved_count, poor.total.gap_count]).toEqual([2, 1, 1]);
  } finally {
    db.close();
  }
});
