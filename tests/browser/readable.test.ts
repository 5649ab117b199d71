/**
 * What a planner reads is whole and in Chinese (issue 14): every page of the built site, the coverage
 * gaps in a few views, the sandbox with presets and a cap, the briefing and its single-file version, read
 * after the figures have rendered and with every <details> opened. No page shows a broken token
 * (undefined, NaN, null, Infinity, [object Object]) in its text or its SVG, and no Latin word outside an
 * element marked `lang="en"` beyond the names of file formats (pageText.ts).
 */
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import {openSite, pagePath, sitePages, visit, type Site} from "./harness.js";
import {traditionalChars} from "../../src/components/shared/simplifiedReadingTable.js";
import {hasBrokenToken, openAllDetails, settle, shownTexts, unmarkedLatinWords, type ShownText} from "./pageText.js";

let site: Site;
let district = "";
let street = "";
beforeAll(async () => {
  const [city] = await Promise.all([generateDemoCity(), openSite().then((s) => (site = s))]);
  district = city.units.find((u) => u.level === "district")!.unit_code;
  street = city.units.find((u) => u.level === "street")!.unit_code;
});
afterAll(async () => site?.close());

/** A route, what shows that its figures are drawn, and a name for the test. */
interface Route {
  name: string;
  path: () => string;
  ready: string;
}

const readyOf: Record<string, string> = {
  "/gaps": "[data-first-result] tbody tr",
  "/sandbox": "[data-first-result] tbody tr",
  "/briefings/example": "ol.footnotes li",
  "/data": "table.downloads-table",
  "/import": "[data-testid=file-input]",
  "/compose": "[data-testid=composer]",
};

const routes: Route[] = [
  ...sitePages.map(({name, path}) => ({name, path: () => pagePath(path), ready: readyOf[path] ?? "#observablehq-main h1"})),
  {name: "覆盖缺口：社区康复室，各社区", path: () => "gaps?indicator=rehab_room&level=community&year=2030", ready: readyOf["/gaps"]!},
  {name: "覆盖缺口：一个区县的街道，筛查，按类别和等级", path: () => `gaps?indicator=screening&level=street&unit=${district}&year=2028&category=visual,physical&grade=1,2`, ready: readyOf["/gaps"]!},
  {name: "覆盖缺口：一个街道的社区，托养服务点", path: () => `gaps?indicator=care_point&level=community&unit=${street}&year=2026`, ready: readyOf["/gaps"]!},
  {name: "覆盖缺口：每万人社区康复经费", path: () => "gaps?indicator=rehab_funding&level=district&year=2030", ready: readyOf["/gaps"]!},
  {
    name: "预算沙盘：三个预设与预算上限",
    path: () => "sandbox?v=1&n=%E7%A4%BA%E8%8C%83&b=2025&y=2026-2030&p=rehab-funding-1-00*rehab-demonstration-2030*care-points-60&cap=50000000",
    ready: readyOf["/sandbox"]!,
  },
  // As a planner opens it: the file itself, double-clicked (file://), not from the site.
  {name: "测算简报（单文件版）", path: () => pathToFileURL(join(process.cwd(), "dist/briefings/example.offline.html")).href, ready: "ol.footnotes li"},
];

/** One line per finding, with where it is, for the failure message. */
const report = (found: ShownText[]) => found.map((t) => `${t.where}: ${JSON.stringify(t.text.slice(0, 160))}`);

describe.each(routes)("$name", (route) => {
  let texts: ShownText[] = [];
  let assumptionNotes = {chinese: 0, english: 0};
  let nativeFileButtons: string[] = [];
  let cutCells: string[] = [];
  let unreadQuotes: string[] = [];
  beforeAll(async () => {
    const {page, consoleErrors} = await visit(site, route.path(), {waitFor: route.ready, timeout: 120_000});
    // An office PC's screen.
    await page.setViewportSize({width: 1366, height: 768});
    await settle(page);
    await openAllDetails(page);
    // Every <details> is open, so what a reader could unfold is read too.
    expect(await page.$$eval("details:not([open])", (closed) => closed.length)).toBe(0);
    texts = await shownTexts(page);
    // A table cell whose text is cut with "…" (Inputs.table does so to a header wider than its column).
    cutCells = await page.$$eval("th, td", (cells) =>
      cells.filter((c) => c.scrollWidth > c.clientWidth + 1 && getComputedStyle(c).textOverflow === "ellipsis").map((c) => `${c.tagName.toLowerCase()}: ${c.textContent}`));
    // A quote in traditional script (a character the table reads as another) with no simplified reading after it.
    unreadQuotes = await page.$$eval("q", (quotes, chars) =>
      quotes.filter((q) => [...(q.textContent ?? "")].some((c) => chars.includes(c)))
        .filter((q) => !(q.nextElementSibling?.classList.contains("quote-reading") && q.nextElementSibling.textContent?.startsWith("（简体：")))
        .map((q) => q.textContent ?? ""), traditionalChars);
    // A file input the browser draws names itself in the browser's UI language ("Choose Files").
    nativeFileButtons = await page.$$eval("input[type=file]", (inputs) =>
      inputs.filter((i) => {
        const box = i.getBoundingClientRect();
        return box.width > 1 && box.height > 1 && getComputedStyle(i).visibility !== "hidden";
      }).map((i) => i.getAttribute("data-testid") ?? i.outerHTML.slice(0, 80)));
    assumptionNotes = await page.$$eval(".source-note", (notes) => ({chinese: notes.filter((n) => !n.closest("[lang=en]")).length, english: notes.filter((n) => n.closest("[lang=en]")).length}));
    await page.close();
    expect(consoleErrors).toEqual([]);
    // The read saw the page: some Chinese at least.
    expect(texts.some((t) => /[\u4e00-\u9fff]/.test(t.text))).toBe(true);
  }, 240_000);

  test("shows no undefined, NaN, null, Infinity or [object Object], in text or in a figure", () => {
    expect(report(texts.filter(hasBrokenToken))).toEqual([]);
  });

  // The sandbox explains each assumed value (how it was chosen) to the planner in Chinese.
  if (route.name.startsWith("预算沙盘"))
    test("explains every assumed value in Chinese, none only in English", () => {
      expect(assumptionNotes.english).toBe(0);
      expect(assumptionNotes.chinese).toBeGreaterThanOrEqual(10);
    });

  test("cuts no table header or cell short with an ellipsis at 1366 px", () => {
    expect(cutCells).toEqual([]);
  });

  test("gives every quote in traditional script its simplified reading beside it", () => {
    expect(unreadQuotes).toEqual([]);
  });

  test("draws no file button of the browser's own (its words follow the browser's language, not the page's)", () => {
    expect(nativeFileButtons).toEqual([]);
  });

  test("shows no Latin word outside an element marked lang=\"en\" but the names of file formats", () => {
    const found = texts.filter((t) => !t.english && !t.pinyin && unmarkedLatinWords(t.text).length > 0);
    expect(report(found).map((line) => `${line}  ← ${unmarkedLatinWords(found[report(found).indexOf(line)]!.text).join(", ")}`)).toEqual([]);
  });
});
