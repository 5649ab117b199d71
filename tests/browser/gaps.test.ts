import {readFileSync} from "node:fs";
import ExcelJS from "exceljs";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {columnsFor, gapColumns, gapTableExport, searchGapRows, sortTableRows} from "../../src/components/gaps/gapColumns.js";
import {scorecardCounts} from "../../src/components/gaps/scorecardMatrix.js";
import {formatCount, formatYuan} from "../../src/components/shared/format.js";
import {defaultGapView, gapViewQuery, type GapView} from "../../src/components/gaps/viewState.js";
import {breadcrumb, gapQuery, type GapResult} from "../../src/engine/gapQuery.js";
import {indicators} from "../../src/engine/indicators.js";
import {nationalCriteria, scorecard, type Criterion} from "../../src/engine/scorecard.js";
import {fixtureDb} from "../engine/fixtureDb.js";
import {openSite, screenshot, visit, type Site} from "./harness.js";

// The coverage-gap page (覆盖缺口) on the demo city: every view the page shows is checked against the
// Node engine's answer over the same data (the demo city generator and the committed parameters), so
// DuckDB-WASM in the browser and @duckdb/node-api must agree on every row the planner sees.

let site: Site;
let db: NodeDuckDB;
beforeAll(async () => {
  const city = await generateDemoCity();
  db = await fixtureDb({units: city.units, persons: city.persons, parameters: loadParameters()});
  site = await openSite();
});
afterAll(async () => {
  db?.close();
  await site?.close();
});

/** The Node engine's rows for a view, in the order the page's table shows them. */
async function expected(view: GapView): Promise<{result: GapResult; rows: GapResult["rows"]}> {
  const result = await gapQuery(db, {indicator: view.indicator, level: view.level, parent: view.unit, year: view.year, categories: view.categories, grades: view.grades});
  return {result, rows: sortTableRows(searchGapRows(result.rows, view.q), view.sort, view.order)};
}

/** What the table shows: each row's unit code and its cells' text, by column. */
async function shownTable(page: Page): Promise<{unit: string; cells: Record<string, string>}[]> {
  return page.$$eval(".gap-table tbody tr", (trs) =>
    trs.map((tr) => ({
      unit: tr.getAttribute("data-unit")!,
      cells: Object.fromEntries([...tr.querySelectorAll("[data-col]")].map((c) => [c.getAttribute("data-col")!, c.textContent!])),
    })),
  );
}

/** The engine's rows as the table would print them (first `limit` rows). */
function printed(result: GapResult, rows: GapResult["rows"], limit = 100) {
  return rows.slice(0, limit).map((row) => ({unit: row.unit_code, cells: Object.fromEntries(columnsFor(result, {page: true}).map((c) => [c.key, c.text(row, result)]))}));
}

const changes = (page: Page) => page.evaluate(() => window.__dpfGaps?.changes ?? 0);

/** Runs an action and waits until the page has drawn the view it leads to. */
async function after(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await changes(page);
  await action();
  await page.waitForFunction((n) => (window.__dpfGaps?.changes ?? 0) > n, before, {timeout: 30_000});
}

async function open(path: string) {
  const visited = await visit(site, path, {waitFor: "[data-first-result] tbody tr", timeout: 60_000});
  await visited.page.waitForFunction(() => (window.__dpfGaps?.changes ?? 0) >= 1);
  return visited;
}

const viewOf = (page: Page) => new URL(page.url()).search;

test("a unit's 本级 and 下级 gaps read the same in its parent's table and on its own page, city to street", async () => {
  const {page, consoleErrors} = await open("gaps");
  const cards = async () =>
    Object.fromEntries(
      await Promise.all(
        (["gap-card-count", "gap-card-cost"] as const).map(async (id) => {
          const card = page.locator(`[data-testid=${id}]`);
          return [id, {own: await card.getAttribute("data-own"), children: await card.getAttribute("data-children"), text: (await card.textContent())!}] as const;
        }),
      ),
    );
  // The city's own page: its own gap and its districts' sum, both named.
  const [city] = (await gapQuery(db, {indicator: defaultGapView.indicator, level: "city", year: defaultGapView.year})).rows;
  let shown = await cards();
  expect(shown["gap-card-count"]!.text).toContain(`本级 ${formatCount(city!.gap_count)}`);
  expect(shown["gap-card-count"]!.text).toContain(`各区/县缺口合计 ${formatCount(city!.children_gap_count)}`);
  expect(shown["gap-card-cost"]!.text).toContain(`本级 ${formatYuan(city!.gap_cost_yuan)}`);
  expect(shown["gap-card-cost"]!.text).toContain(formatYuan(city!.children_gap_cost_yuan));
  let parentRows = (await expected(defaultGapView)).rows;
  for (const level of ["district", "street"] as const) {
    // The unit with the largest children-sum, as its parent's table shows it, then drilled into.
    const unit = [...parentRows].sort((a, b) => (b.children_gap_count ?? 0) - (a.children_gap_count ?? 0))[0]!;
    const row = (await shownTable(page)).find((r) => r.unit === unit.unit_code)!;
    expect(row.cells.gap_count).toBe(formatCount(unit.gap_count));
    expect(row.cells.children_gap_count).toBe(formatCount(unit.children_gap_count));
    expect(row.cells.children_gap_cost_yuan).toBe(formatYuan(unit.children_gap_cost_yuan));
    await after(page, () => page.click(`.gap-table a.gap-drill[data-unit="${unit.unit_code}"]`));
    shown = await cards();
    expect(Number(shown["gap-card-count"]!.own), `${level} ${unit.unit_code} own count`).toBe(unit.gap_count);
    expect(Number(shown["gap-card-count"]!.children), `${level} ${unit.unit_code} children count`).toBe(unit.children_gap_count);
    expect(Math.abs(Number(shown["gap-card-cost"]!.own) - unit.gap_cost_yuan!)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(Number(shown["gap-card-cost"]!.children) - unit.children_gap_cost_yuan!)).toBeLessThanOrEqual(0.01);
    expect(shown["gap-card-cost"]!.text).toContain(`本级 ${formatYuan(unit.gap_cost_yuan)}`);
    parentRows = (await gapQuery(db, {indicator: defaultGapView.indicator, level: level === "district" ? "street" : "community", parent: unit.unit_code, year: defaultGapView.year})).rows;
  }
  expect(consoleErrors).toEqual([]);
  await page.close();
});

test("the default view lists the districts in the Node engine's ranking, with its URL", async () => {
  const {page, consoleErrors, externalRequests} = await open("gaps");
  expect(viewOf(page)).toBe(gapViewQuery(defaultGapView));
  const {result, rows} = await expected(defaultGapView);
  expect(await shownTable(page)).toEqual(printed(result, rows));
  expect(await page.locator(".gap-breadcrumb [aria-current]").textContent()).toBe("示例市");
  const timings = await page.evaluate(() => window.__dpfGaps!);
  // The opening view may be answered by the build's published figures (no query), or by DuckDB-WASM.
  expect(["published", "duckdb"]).toContain(timings.engine);
  for (const key of ["renderMs", "resultMs", "totalMs"] as const) expect(timings[key]).toBeGreaterThan(0);
  if (timings.engine === "duckdb") for (const key of ["queryMs", "summaryMs", "scorecardMs"] as const) expect(timings[key]).toBeGreaterThan(0);
  await screenshot(page, "gaps-default");
  expect(consoleErrors).toEqual([]);
  expect(externalRequests).toEqual([]);
  await page.close();
});

test("at 1366×768 and 1920×1080 the table's 说明 (达标/未达标) is in view without scrolling sideways", async () => {
  for (const [width, height] of [[1366, 768], [1920, 1080]] as const) {
    for (const path of ["gaps", "gaps?level=community&indicator=screening"]) {
      const {page} = await open(path);
      await page.setViewportSize({width, height});
      const seen = await page.evaluate(() => {
        const wrap = document.querySelector(".gap-table-wrap")!.getBoundingClientRect();
        const status = document.querySelector(".gap-table tbody tr td[data-col=status]")!.getBoundingClientRect();
        const name = document.querySelector(".gap-table tbody tr th")!.getBoundingClientRect();
        return {inWrap: status.right <= wrap.right + 1 && status.left >= wrap.left, inWindow: status.right <= window.innerWidth, nameFirst: name.left < status.left};
      });
      expect(seen, `${path} at ${width}`).toEqual({inWrap: true, inWindow: true, nameFirst: true});
      await page.close();
    }
  }
});

test("drills down district → street → community by the table, the chart and the breadcrumb, and back, without a reload", async () => {
  const {page, consoleErrors, externalRequests} = await open("gaps");
  await page.evaluate(() => ((window as unknown as {__sameDocument: boolean}).__sameDocument = true));
  const districts = await expected(defaultGapView);
  const district = districts.rows[0]!;

  // Table: the district's name is a link to its view (keyboard: focus and Enter).
  await after(page, async () => {
    await page.focus(`.gap-table a.gap-drill[data-unit="${district.unit_code}"]`);
    await page.keyboard.press("Enter");
  });
  const streetView: GapView = {...defaultGapView, unit: district.unit_code, level: "street"};
  expect(viewOf(page)).toBe(gapViewQuery(streetView));
  const streets = await expected(streetView);
  expect(await shownTable(page)).toEqual(printed(streets.result, streets.rows));
  expect(await page.$$eval(".gap-breadcrumb li", (lis) => lis.map((li) => li.textContent))).toEqual(["示例市", district.unit_name, "各街道/乡镇"]);
  await screenshot(page, "gaps-district");

  // Chart: click the dot of the street with the largest gap.
  const street = streets.rows[0]!;
  await after(page, () => page.locator('[data-chart="dot-plot"] .gap-clickable', {has: page.locator("title", {hasText: `（${street.unit_code}）`})}).click());
  const communityView: GapView = {...streetView, unit: street.unit_code, level: "community"};
  expect(viewOf(page)).toBe(gapViewQuery(communityView));
  const communities = await expected(communityView);
  expect(await shownTable(page)).toEqual(printed(communities.result, communities.rows));
  expect(await page.$$eval(".gap-breadcrumb li", (lis) => lis.map((li) => li.textContent))).toEqual((await breadcrumb(db, street.unit_code)).map((b) => b.unit_name).concat("各社区/村"));
  // Communities have no level below: no drill links.
  expect(await page.locator(".gap-table a.gap-drill").count()).toBe(0);
  await screenshot(page, "gaps-street");

  // Breadcrumb: back up to the district, then the city.
  await after(page, () => page.click(`.gap-breadcrumb a[data-unit="${district.unit_code}"]`));
  expect(viewOf(page)).toBe(gapViewQuery(streetView));
  expect(await shownTable(page)).toEqual(printed(streets.result, streets.rows));
  await after(page, () => page.click(".gap-breadcrumb a >> text=示例市"));
  expect(viewOf(page)).toBe(gapViewQuery(defaultGapView));
  expect(await shownTable(page)).toEqual(printed(districts.result, districts.rows));

  // Browser Back returns to the previous drill-down, in the same document (no reload).
  await after(page, () => page.goBack());
  expect(viewOf(page)).toBe(gapViewQuery(streetView));
  expect(await shownTable(page)).toEqual(printed(streets.result, streets.rows));
  expect(await page.evaluate(() => (window as unknown as {__sameDocument?: boolean}).__sameDocument)).toBe(true);
  expect(consoleErrors).toEqual([]);
  expect(externalRequests).toEqual([]);
  await page.close();
});

test("ranks by gap, by cost and by name as the engine does, and a control change replaces the URL", async () => {
  const {page, consoleErrors} = await open("gaps?indicator=subsistence&level=street&year=2026");
  const view: GapView = {...defaultGapView, indicator: "subsistence", level: "street"};
  const {result, rows} = await expected(view);
  expect(await shownTable(page)).toEqual(printed(result, rows));
  expect((await shownTable(page)).map((r) => r.cells.rank)).toEqual(rows.map((r) => (r.rank === null ? "—" : r.rank.toLocaleString("zh-CN"))));

  await after(page, () => page.click('.gap-table th[data-col="gap_cost_yuan"] button'));
  const byCost = {...view, sort: "gap_cost_yuan" as const, order: "desc" as const};
  expect(viewOf(page)).toBe(gapViewQuery(byCost));
  expect(await page.getAttribute('.gap-table th[data-col="gap_cost_yuan"]', "aria-sort")).toBe("descending");
  expect(await shownTable(page)).toEqual(printed(result, (await expected(byCost)).rows));

  await after(page, () => page.click('.gap-table th[data-col="unit_name"] button'));
  expect(await shownTable(page)).toEqual(printed(result, (await expected({...view, sort: "unit_name", order: "asc"})).rows));

  const entries = await page.evaluate(() => history.length);
  await after(page, () => page.selectOption("#gap-indicator", "archive"));
  const archive = {...view, indicator: "archive" as const, sort: "unit_name" as const, order: "asc" as const};
  expect(viewOf(page)).toBe(gapViewQuery(archive));
  expect(await page.evaluate(() => history.length)).toBe(entries);
  const archived = await expected(archive);
  expect(await shownTable(page)).toEqual(printed(archived.result, archived.rows));
  expect(consoleErrors).toEqual([]);
  await page.close();
});

/** The demonstration standard's scorecard section (the national one follows it). */
const DEMONSTRATION = '.gap-section[data-section="scorecard"]';
const NATIONAL = '.gap-section[data-section="national-scorecard"]';

/** A scorecard section's counts and per-criterion totals, as shown, beside the Node engine's. */
async function expectScorecard(page: Page, section: string, options: {level: GapView["level"]; parent?: string | null; criteria?: readonly Criterion[]}) {
  const card = await scorecard(db, {level: options.level, parent: options.parent ?? null, year: defaultGapView.year, criteria: options.criteria});
  const counts = scorecardCounts(card);
  const shown = await page.$eval(`${section} .sc-counts`, (p) => ({communities: Number(p.getAttribute("data-communities")), meetingAll: Number(p.getAttribute("data-meeting-all")), missingOne: Number(p.getAttribute("data-missing-one"))}));
  expect(shown).toEqual({communities: counts.communities, meetingAll: counts.meetingAll, missingOne: counts.missingOne});
  for (const status of ["pass", "fail", "missing"] as const) {
    const totals = await page.$$eval(`${section} .sc-matrix tfoot tr[data-total="${status}"] td[data-criterion]`, (tds) => tds.map((td) => [td.getAttribute("data-criterion"), Number(td.textContent!.replaceAll(",", ""))]));
    expect(totals).toEqual(card.criterion_totals.map((t) => [t.criterion, t[status]]));
  }
  return card;
}

describe("the national plan's indicators (基本康复服务、辅助器具适配、两项补贴)", () => {
  const national = indicators.filter((i) => i.plan === "national_14th");

  test("the indicator choice offers them in a group of their own", async () => {
    const {page, consoleErrors} = await open("gaps");
    const offered = await page.$$eval('#gap-indicator optgroup[label^="国家"] option', (os) => os.map((o) => [o.getAttribute("value"), o.textContent]));
    expect(offered).toEqual(national.map((i) => [i.id, i.label.zh]));
    expect(offered.map(([id]) => id)).toEqual(["rehab_service", "device_fitting", "poor_subsidy", "severe_subsidy"]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  test.each(["rehab_service", "device_fitting", "poor_subsidy", "severe_subsidy"] as const)("%s: district → street → community, the table shows the Node engine's figures", async (indicator) => {
    const {page, consoleErrors} = await open(`gaps?indicator=${indicator}`);
    const districtView: GapView = {...defaultGapView, indicator};
    const districts = await expected(districtView);
    // The target is the national indicator's parameter, as the Node engine reads it.
    expect(districts.result.target?.source).toBe("national_plan_14th.csv");
    expect(districts.rows.some((r) => r.gap_count !== null && r.gap_count > 0)).toBe(true);
    expect(await shownTable(page)).toEqual(printed(districts.result, districts.rows));
    // Drill into the district with the largest gap, then its street with the largest gap, by the table's links.
    const district = districts.rows[0]!;
    await after(page, () => page.click(`.gap-table a.gap-drill[data-unit="${district.unit_code}"]`));
    const streetView: GapView = {...districtView, unit: district.unit_code, level: "street"};
    expect(viewOf(page)).toBe(gapViewQuery(streetView));
    const streets = await expected(streetView);
    expect(await shownTable(page)).toEqual(printed(streets.result, streets.rows));
    const street = streets.rows[0]!;
    await after(page, () => page.click(`.gap-table a.gap-drill[data-unit="${street.unit_code}"]`));
    const communityView: GapView = {...streetView, unit: street.unit_code, level: "community"};
    const communities = await expected(communityView);
    expect(await shownTable(page)).toEqual(printed(communities.result, communities.rows));
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  test("the national scorecard counts the city's and a street's communities as the engine does, beside the demonstration standard's", async () => {
    const {page, consoleErrors} = await open("gaps");
    const card = await expectScorecard(page, NATIONAL, {level: "district", criteria: nationalCriteria});
    expect(card.criteria.map((c) => c.id)).toEqual(["rehab_service", "device_fitting", "poor_subsidy", "severe_subsidy"]);
    await expectScorecard(page, DEMONSTRATION, {level: "district"});
    const street = (await expected({...defaultGapView, level: "street"})).rows[0]!;
    await page.close();
    const streetPage = await open(`gaps?indicator=rehab_service&level=community&unit=${street.unit_code}&year=2026`);
    await expectScorecard(streetPage.page, NATIONAL, {level: "community", parent: street.unit_code, criteria: nationalCriteria});
    expect([...consoleErrors, ...streetPage.consoleErrors]).toEqual([]);
    await streetPage.page.close();
  });
});

describe("the scorecard", () => {
  test("counts the city's communities as the engine does, per district and per criterion", async () => {
    const {page, consoleErrors} = await open("gaps");
    const card = await scorecard(db, {level: "district", year: defaultGapView.year});
    const counts = scorecardCounts(card);
    const shown = await page.$eval(`${DEMONSTRATION} .sc-counts`, (p) => ({communities: Number(p.getAttribute("data-communities")), meetingAll: Number(p.getAttribute("data-meeting-all")), missingOne: Number(p.getAttribute("data-missing-one"))}));
    expect(shown).toEqual({communities: counts.communities, meetingAll: counts.meetingAll, missingOne: counts.missingOne});
    expect(counts.missingOne).toBe(card.misses_one.length);
    for (const status of ["pass", "fail", "missing"] as const) {
      const totals = await page.$$eval(`${DEMONSTRATION} .sc-matrix tfoot tr[data-total="${status}"] td[data-criterion]`, (tds) => tds.map((td) => [td.getAttribute("data-criterion"), Number(td.textContent!.replaceAll(",", ""))]));
      expect(totals).toEqual(card.criterion_totals.map((t) => [t.criterion, t[status]]));
    }
    const passes = await page.$$eval(`${DEMONSTRATION} .sc-matrix tbody td[data-pass]`, (tds) => tds.map((td) => Number(td.getAttribute("data-pass"))));
    expect(passes).toEqual(card.cells.map((c) => c.pass));
    expect(await page.locator(`${DEMONSTRATION} .sc-misses-one summary`).textContent()).toContain(String(card.misses_one.length));
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  test("shows each community of a street as pass, fail or missing, in words as well as colour", async () => {
    const street = (await expected({...defaultGapView, level: "street"})).rows[0]!;
    const {page, consoleErrors} = await open(`gaps?indicator=screening&level=community&unit=${street.unit_code}&year=2026`);
    const card = await scorecard(db, {level: "community", parent: street.unit_code, year: defaultGapView.year});
    const cells = await page.$$eval(`${DEMONSTRATION} .sc-matrix tbody td[data-status]`, (tds) => tds.map((td) => [td.closest("tr")!.getAttribute("data-unit"), td.getAttribute("data-criterion"), td.getAttribute("data-status"), td.textContent]));
    const words = {pass: "✓达标", fail: "✗未达标", missing: "?缺失"};
    expect(cells).toEqual(card.cells.map((c) => [c.unit_code, c.criterion, c.status, words[c.status!]]));
    await screenshot(page, "gaps-street-scorecard");
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

const linkedView: GapView = {indicator: "archive", level: "community", unit: null, year: 2027, categories: ["visual", "physical"], grades: [1, 2], sort: "gap_cost_yuan", order: "desc", q: "社区"};
/** A link as older versions wrote it, search text included: the page still applies it but drops it from the URL. */
const linkWithSearch = (view: GapView) => `${gapViewQuery(view)}&q=${encodeURIComponent(view.q)}`;

test("a link opens its view: controls, breadcrumb and table as the link says", async () => {
  const district = (await expected(defaultGapView)).rows[1]!;
  const view = {...linkedView, unit: district.unit_code};
  const {page, consoleErrors} = await open(`gaps${linkWithSearch(view)}`);
  expect(viewOf(page)).toBe(gapViewQuery(view));
  expect(page.url()).not.toContain("q=");
  expect(await page.inputValue("#gap-indicator")).toBe("archive");
  expect(await page.inputValue("#gap-level")).toBe("community");
  expect(await page.inputValue("#gap-year")).toBe("2027");
  expect(await page.inputValue("#gap-search")).toBe("社区");
  expect(await page.$$eval("#gap-categories input:checked", (is) => is.map((i) => (i as HTMLInputElement).value))).toEqual(["visual", "physical"]);
  expect(await page.$$eval("#gap-grades input:checked", (is) => is.map((i) => (i as HTMLInputElement).value))).toEqual(["1", "2"]);
  expect(await page.$$eval("#gap-level option", (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(["street", "community"]);
  expect(await page.locator(".gap-breadcrumb [aria-current]").textContent()).toBe(district.unit_name);
  const {result, rows} = await expected(view);
  expect(rows.length).toBeLessThan(result.rows.length);
  expect(await page.getAttribute(".gap-table", "data-rows")).toBe(String(rows.length));
  expect(await shownTable(page)).toEqual(printed(result, rows));
  await screenshot(page, "gaps-linked");

  // A facility indicator counts communities: the person filters stay in the link but do not apply.
  await after(page, () => page.selectOption("#gap-indicator", "rehab_room"));
  expect(await page.locator("#gap-categories input").first().isDisabled()).toBe(true);
  expect(viewOf(page)).toContain("category=visual,physical");
  expect(consoleErrors).toEqual([]);
  await page.close();
});

test("a malformed percent-escape in the link neither breaks the page nor reaches the table", async () => {
  const {page, consoleErrors} = await open("gaps?indicator=%E4%B8&year=%zz");
  expect(await page.locator(".gap-notes").textContent()).toContain("无法识别");
  const {result, rows} = await expected(defaultGapView);
  expect(await shownTable(page)).toEqual(printed(result, rows));
  expect(consoleErrors).toEqual([]);
  await page.close();
});

test("a link the page cannot use is explained in Chinese and the page still works", async () => {
  const {page, consoleErrors} = await open("gaps?indicator=nope&unit=zz99&level=community");
  const notes = await page.locator(".gap-notes").textContent();
  expect(notes).toContain("“nope”");
  expect(notes).toContain("zz99");
  const {result, rows} = await expected({...defaultGapView, level: "community"});
  expect(await shownTable(page)).toEqual(printed(result, rows));
  expect(consoleErrors).toEqual([]);
  await page.close();
});

/** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field), rows.push(row), (row = []), (field = ""), i++;
    } else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

test("downloads the table as shown as CSV (UTF-8 with BOM) and XLSX, named after the view", async () => {
  const {page, consoleErrors} = await open(`gaps${linkWithSearch(linkedView)}`);
  const {result, rows} = await expected(linkedView);
  const table = gapTableExport(rows, result);
  expect(rows.length).toBeGreaterThan(100); // more than the table draws before "show all": the download has every row

  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.click("#gap-download-csv")]);
  expect(csvDownload.suggestedFilename()).toBe("覆盖缺口_康复建档率_示例市_各社区村_2027年_视力、肢体类_一级、二级_搜索社区.csv");
  const bytes = readFileSync((await csvDownload.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = parseCsv(bytes.subarray(3).toString("utf-8"));
  expect(csv[0]).toEqual(table.headers);
  expect(csv.slice(1)).toEqual(table.rows.map((r) => r.map(String)));

  const [xlsxDownload] = await Promise.all([page.waitForEvent("download"), page.click("#gap-download-xlsx")]);
  expect(xlsxDownload.suggestedFilename()).toBe(csvDownload.suggestedFilename().replace(/\.csv$/, ".xlsx"));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync((await xlsxDownload.path())!) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet("覆盖缺口")!;
  const values: unknown[][] = [];
  sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
  expect(values[0]).toEqual(table.headers);
  expect(values.slice(1)).toEqual(table.rows);
  const about = workbook.getWorksheet("说明")!;
  expect(about.getRow(2).values).toContain("康复建档率");
  expect(consoleErrors).toEqual([]);
  await page.close();
});
