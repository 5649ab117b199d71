/**
 * A city given as counts per community, with no person rows, in Chromium against the built site: stored
 * in this browser as the import page stores a city (IndexedDB), with its counts beside the tables (the
 * record's `tables.community_counts`, as importStore.ts decodes it). The gap page shows the screening figures the Node
 * engine computes from the same counts, and a cannot-answer reason where the counts do not split
 * (screening by category); the sandbox names the programmes it cannot cost.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {Bool, Float64, Int32, Table, tableToIPC, Utf8, vectorFromArray, type DataType} from "apache-arrow";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, expect, test} from "vitest";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {gapColumns} from "../../src/components/gaps/gapColumns.js";
import {useCommunityCounts} from "../../src/engine/communityCountsCube.js";
import {gapQuery, sortGapRows} from "../../src/engine/gapQuery.js";
import {bytesSource, importFiles, rowsOf} from "../../src/importer/index.js";
import {columnTypes, type ColumnType} from "../../src/schemas/columnTypes.js";
import {communityCounts, type CommunityCountsRow} from "../../src/schemas/communityCounts.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import {persons as personsDataset} from "../../src/schemas/persons.js";
import {fixtureDb} from "../engine/fixtureDb.js";
import {countsFromPersons, createCountsTable} from "../engine/fixtures/countsCity.js";
import {fixturesDir} from "../importer/corpus.js";
import {openSite, screenshot, visit, type Site, type Visit} from "./harness.js";

let site: Site;
let counts: CommunityCountsRow[];
const visits: Visit[] = [];
const files = [join(fixturesDir, "city", "units.csv"), join(fixturesDir, "city", "persons.csv")];
const YEAR = 2026;

const arrowTypes: Record<ColumnType, () => DataType> = {VARCHAR: () => new Utf8(), INTEGER: () => new Int32(), DOUBLE: () => new Float64(), BOOLEAN: () => new Bool()};

/** Rows as Arrow IPC file bytes, column types from a schema. */
function arrowBytes(columns: readonly {name: string; type: ColumnType}[], rows: readonly object[]): number[] {
  const vectors = Object.fromEntries(columns.map((c) => [c.name, vectorFromArray(rows.map((r) => (r as Record<string, unknown>)[c.name] ?? null), arrowTypes[c.type]())]));
  return [...tableToIPC(new Table(vectors), "file")];
}

beforeAll(async () => {
  const imported = await importFiles(files.map((f) => bytesSource(f.split("/").pop()!, readFileSync(f))), {referenceDate: new Date().toISOString().slice(0, 10)});
  counts = countsFromPersons(rowsOf<PersonRow>(imported.persons));
  site = await openSite();
  // Store the city as the import page does, then make it a counts city: no person rows, counts beside.
  const v = await visit(site, "import", {waitFor: "[data-testid=file-input]"});
  visits.push(v);
  await v.page.setInputFiles("[data-testid=file-input]", files);
  await v.page.waitForSelector("[data-testid=result]", {timeout: 120_000});
  await v.page.click("[data-testid=use]");
  await v.page.waitForSelector("[data-testid=saved]");
  const emptyPersons = arrowBytes(columnTypes(personsDataset.row), []);
  const countBytes = arrowBytes(columnTypes(communityCounts.row), counts);
  await v.page.evaluate(
    ([persons, communityCounts]) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open("dpf-sandbox:/");
        req.onsuccess = () => {
          const store = req.result.transaction("imported-city", "readwrite").objectStore("imported-city");
          const get = store.get("current");
          get.onsuccess = () => {
            const record = get.result;
            const put = store.put({...record, tables: {...record.tables, persons: Uint8Array.from(persons!), community_counts: Uint8Array.from(communityCounts!)}, summary: {...record.summary, persons: 0}}, "current");
            put.onsuccess = () => resolve();
            put.onerror = () => reject(put.error);
          };
        };
        req.onerror = () => reject(req.error);
      }),
    [emptyPersons, countBytes],
  );
  await v.page.close();
}, 240_000);

afterAll(async () => {
  expect(visits.flatMap((v) => v.externalRequests)).toEqual([]);
  expect(visits.flatMap((v) => v.consoleErrors)).toEqual([]);
  const v = visits[0];
  if (v) {
    const page = await site.context.newPage();
    await page.goto(new URL("import", site.url).href);
    await page.evaluate(() => new Promise((resolve) => (indexedDB.deleteDatabase("dpf-sandbox:/").onsuccess = resolve)));
    await page.close();
  }
  await site?.close();
});

async function open(path: string, ready: string): Promise<Page> {
  const v = await visit(site, path, {waitFor: ready, timeout: 60_000});
  visits.push(v);
  return v.page;
}

test("the gap page shows the counts' screening figures, exactly the Node engine's, and says it counts from counts", async () => {
  const db = await fixtureDb({units: (await importFiles(files.map((f) => bytesSource(f.split("/").pop()!, readFileSync(f))), {referenceDate: new Date().toISOString().slice(0, 10)})).units, parameters: loadParameters()});
  try {
    await createCountsTable(db, counts);
    await useCommunityCounts(db);
    const result = await gapQuery(db, {indicator: "screening", level: "district", year: YEAR});
    expect(result.answer.answerable).toBe(true);
    const page = await open(`gaps?indicator=screening&level=district&year=${YEAR}`, "[data-first-result] .gap-table tbody tr");
    expect(await page.getAttribute("[data-source]", "data-source")).toBe("imported");
    expect(Number(await page.getAttribute(".counts-note", "data-counts-persons"))).toBe(counts.reduce((n, c) => n + c.persons, 0));
    const shown = await page.$$eval(".gap-table tbody tr", (trs) =>
      trs.map((tr) => ({unit: tr.getAttribute("data-unit")!, cells: Object.fromEntries([...tr.querySelectorAll("[data-col]")].map((c) => [c.getAttribute("data-col")!, c.textContent!]))})),
    );
    const rows = sortGapRows(result.rows, "gap");
    const printed = rows.map((row) => ({unit: row.unit_code, cells: Object.fromEntries(gapColumns.filter((c) => c.onPage).map((c) => [c.key, c.text(row, result)]))}));
    expect(new Set(shown.map((r) => r.unit))).toEqual(new Set(printed.map((r) => r.unit)));
    for (const r of printed) expect(shown.find((s) => s.unit === r.unit)?.cells, r.unit).toEqual(r.cells);
    expect(await page.$$("[data-cannot-answer]")).toHaveLength(0);
    await screenshot(page, "counts-city-gaps");
    await page.close();
  } finally {
    db.close();
  }
});

test("screening by category: the reason, where the summary, charts and table would be, and no 0", async () => {
  const page = await open(`gaps?indicator=screening&level=district&year=${YEAR}&category=visual`, "[data-cannot-answer]");
  const reason = "导入的数据只有筛查总数，没有按残疾类别分的筛查人数，不能按残疾类别筛选";
  await page.waitForSelector(".gap-summary [data-cannot-answer]");
  const texts = await page.$$eval("[data-cannot-answer]", (els) => els.map((e) => e.textContent ?? ""));
  expect(texts.length).toBeGreaterThanOrEqual(4);
  for (const t of texts) expect(t).toContain(reason);
  expect(await page.$$(".gap-table tbody tr")).toHaveLength(0);
  expect(await page.textContent(".gap-summary")).toContain("无法计算");
  await screenshot(page, "counts-city-cannot-answer");
  await page.close();
});

test("the sandbox names the programmes the counts cannot cost, each with its reason", async () => {
  const page = await open("sandbox", "[data-testid=cannot-answer] li");
  const items = await page.$$eval("[data-testid=cannot-answer] li", (lis) => lis.map((li) => [li.getAttribute("data-programme"), li.textContent]));
  expect(items.map(([p]) => p).sort()).toEqual(["psychiatric_allowance", "study_grant"]);
  expect(items.find(([p]) => p === "study_grant")![1]).toContain("没有 18–22 岁的人数");
  await page.close();
});
