import {expect, test} from "vitest";
import {tableFromIPC} from "apache-arrow";
import {cityTables} from "../../../src/components/import/importArrow.js";
import {emptyColumns, personsSpec, type Columns} from "../../../src/importer/index.js";

const names = personsSpec.columns.filter((c) => !c.transient).map((c) => c.name);

function persons(rows: Record<string, unknown>[]): Columns {
  const columns = emptyColumns(names);
  for (const row of rows) for (const name of names) columns.data[name]!.push((row[name] ?? null) as string | number | boolean | null);
  columns.length = rows.length;
  return columns;
}

test("the stored city's text columns read back exactly: ASCII, Chinese, mixed, emoji, empty and missing values", () => {
  const ids = ["P1", "社区甲-1", "K12b第3号", "", null, "😀x", "a".repeat(300), "混合 text 與 數字 123"];
  const city = cityTables({units: [], persons: persons(ids.map((person_id, i) => ({person_id: i + 1, community_code: person_id, category: "visual", grade: 2, age: 40 + i, rehab_need: i % 2 === 0, synthetic: false}))), communityCounts: []});
  const table = tableFromIPC(city.persons!);
  expect(table.numRows).toBe(ids.length);
  expect([...table.getChild("community_code")!]).toEqual(ids);
  expect([...table.getChild("age")!]).toEqual(ids.map((_, i) => 40 + i));
  expect([...table.getChild("rehab_need")!]).toEqual(ids.map((_, i) => i % 2 === 0));
  expect(table.getChild("dibao_recipient")!.nullCount).toBe(ids.length);
  expect(Object.keys(city)).toEqual(["units", "persons"]);
});

test("a text column that outgrows its first buffer (long non-ASCII values) keeps every byte", () => {
  const ids = Array.from({length: 2000}, (_, i) => `第${i}号`.repeat(1 + (i % 7)));
  const table = tableFromIPC(cityTables({units: [], persons: persons(ids.map((community_code) => ({community_code}))), communityCounts: []}).persons!);
  expect([...table.getChild("community_code")!]).toEqual(ids);
});
