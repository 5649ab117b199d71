import {sourceTitle} from "../../src/components/shared/sourceTitle.js";
import {execFileSync} from "node:child_process";
import {createHash} from "node:crypto";
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {pathToFileURL} from "node:url";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {loadFigureRows} from "../../loaders/figures/checkCatalogue.js";
import type {BriefingData} from "../../src/schemas/briefingData.js";
import {formatPercent, formatYuan} from "../../src/components/shared/format.js";
import {engineParameterIds} from "../../src/engine/programmes.js";
import {briefingFindings} from "../../src/components/briefing/briefingFindings.js";
import {openSite, screenshot, visit, type Site, type Visit} from "./harness.js";
import {expectReadablePrint} from "./pdfChecks.js";

const outputDir = join(import.meta.dirname, "output");
const figures = new Map(loadFigureRows().map((f) => [f.id, f]));
/** Okabe & Ito's colour-blind-safe palette (and grey), the only fills a briefing chart may use. */
const okabeIto = ["#0072B2", "#E69F00", "#D55E00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#8C8C8C"];

let site: Site;
let view: Visit;
let page: Page;
let briefing: BriefingData;
beforeAll(async () => {
  site = await openSite();
  view = await visit(site, "briefings/example", {waitFor: "ol.footnotes li"});
  page = view.page;
  await page.waitForLoadState("networkidle");
  const json = view.requests.find((url) => /\/_file\/briefings\/example\.[0-9a-f]+\.json$/.test(url));
  if (!json) throw new Error("the briefing did not load its precomputed JSON");
  briefing = JSON.parse(readFileSync(join("dist", new URL(json).pathname), "utf-8")) as BriefingData;
});
afterAll(async () => site?.close());

const mainText = () => page.textContent("#observablehq-main") as Promise<string>;

describe("the example briefing (测算简报)", () => {
  test("renders from its small precomputed file: no DuckDB, no WebAssembly, no error, nothing off the site", async () => {
    expect(view.requests.filter((url) => /duckdb|\.wasm/.test(url))).toEqual([]);
    expect(view.consoleErrors).toEqual([]);
    expect(view.externalRequests).toEqual([]);
    const bytes = readFileSync(join("dist", new URL(view.requests.find((u) => u.includes("/_file/briefings/"))!).pathname)).length;
    expect(bytes).toBeLessThan(200_000);
    await screenshot(page, "publish-briefing");
  });

  test("states the main scenario's totals and the gaps as the engine computed them", async () => {
    const [main, wubao] = briefing.scenarios;
    const text = await mainText();
    expect(text).toContain("十五五残疾人事业发展规划测算简报");
    expect(text).toContain(main!.name);
    expect(text).toContain(formatYuan(main!.sum.cost_yuan));
    expect(text).toContain(formatYuan(main!.sum.delta_yuan));
    expect(text).toContain(formatYuan(wubao!.sum.delta_yuan));
    for (const gap of briefing.gaps) expect(await page.textContent(`p.gap-summary[data-indicator="${gap.indicator}"]`)).toContain(formatPercent(gap.total.achieved_rate));
    expect(text).toContain("示例市为虚构的合成示例城市");
  });

  test("every citation mark links to a footnote giving the catalogue entry's id, document and exact quote", async () => {
    const marks = await page.$$eval("sup.cite", (sups) => sups.map((s) => ({id: s.getAttribute("data-figure")!, href: s.querySelector("a")!.getAttribute("href")!})));
    expect(marks.length).toBeGreaterThanOrEqual(12);
    const footnotes = await page.$$eval("ol.footnotes li", (items) => items.map((li) => ({id: li.id, figure: li.getAttribute("data-figure")!, text: li.textContent!})));
    expect(footnotes.map((f) => f.figure)).toEqual(briefing.figures.map((f) => f.id));
    for (const mark of marks) expect(footnotes.some((f) => `#${f.id}` === mark.href), mark.href).toBe(true);
    for (const note of footnotes) {
      const entry = figures.get(note.figure)!;
      expect(note.text).toContain(`摘录 ${entry.id}`);
      // The document by its title (sourceTitle.ts), not by its hash file name.
      expect(note.text).toContain(sourceTitle(entry.document));
      expect(note.text).not.toContain(entry.document);
      expect(note.text).toContain(entry.quote);
    }
  });

  test("every chart is a figure with a caption, an ARIA description and the table of its numbers, in the Okabe–Ito palette", async () => {
    const charts = await page.$$eval("figure.briefing-figure", (fs) =>
      fs.map((f) => ({
        caption: f.querySelector("figcaption")?.textContent ?? "",
        label: f.querySelector("svg[aria-label]")?.getAttribute("aria-label") ?? "",
        description: f.querySelector("svg[aria-label]")?.getAttribute("aria-description") ?? "",
        rows: f.querySelectorAll("table tbody tr").length,
        fills: [...new Set([...f.querySelectorAll("svg rect[fill], svg g[fill]")].map((r) => r.getAttribute("fill")!.toUpperCase()))],
      })),
    );
    expect(charts.length).toBe(briefing.gaps.length + briefing.scenarios.length);
    const palette = new Set([...okabeIto, "NONE", "CURRENTCOLOR", "WHITE"].map((c) => c.toUpperCase()));
    for (const chart of charts) {
      expect(chart.caption).toMatch(/^图：/);
      expect(chart.label.length).toBeGreaterThan(4);
      expect(chart.description.length).toBeGreaterThan(10);
      expect(chart.rows).toBeGreaterThan(0);
      for (const fill of chart.fills) expect(palette.has(fill), fill).toBe(true);
    }
  });

  test("the appendix lists every parameter the engine reads, with values and sources", async () => {
    const rows = await page.$$eval(`table[data-table="parameters"][data-scenario="${briefing.scenarios[0]!.id}"] tbody tr`, (trs) => trs.map((tr) => tr.getAttribute("data-parameter")));
    expect([...rows].sort()).toEqual(engineParameterIds());
    expect(await page.textContent(`table[data-scenario="raise-wubao"] tr[data-parameter="subsidy.wubao.monthly"]`)).toContain("610 元");
  });

  test("a footnote mark works from the keyboard: Enter on it moves to its footnote", async () => {
    const first = page.locator("sup.cite a").first();
    await first.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#fn-${briefing.figures[0]!.id}`);
  });

  test("prints to a readable A4 document: findings on page 1, numbered pages, no heading at a foot, no mostly empty page, sources by title, no code names", async () => {
    await page.emulateMedia({media: "print"});
    // No displayHeaderFooter: the footer is the page's own CSS (page-margin boxes), as Ctrl+P prints it.
    const pdf = await page.pdf({format: "A4", preferCSSPageSize: true, printBackground: true});
    mkdirSync(outputDir, {recursive: true});
    const file = join(outputDir, "briefing-example.pdf");
    writeFileSync(file, pdf);
    const info = execFileSync("pdfinfo", [file], {encoding: "utf-8"});
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    const headings = await page.$$eval("#observablehq-main h2, #observablehq-main h3", (hs) => hs.map((h) => h.textContent!.trim()));
    const {pages, text} = expectReadablePrint(file, headings);
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(pages).toBeLessThanOrEqual(12);
    const flat = text.join("").replace(/\s+/g, "");
    const first = text[0]!.replace(/\s+/g, "");
    // Page 1 states the findings, each number with what it rests on.
    expect(first).toContain("主要结论");
    const findings = briefingFindings(briefing);
    expect(findings.length).toBeGreaterThanOrEqual(4);
    for (const f of findings) {
      expect(first).toContain(f.value_text.replace(/\s+/g, ""));
      expect(first).toContain(`依据：${f.basis_zh}`.replace(/\s+/g, ""));
    }
    // The footer: the data's vintage and the briefing's date on every page.
    for (const t of text) expect(t.replace(/\s+/g, "")).toContain(`数据截至${briefing.city.vintage_zh}·${briefing.date}`.replace(/\s+/g, ""));
    for (const expected of ["十五五残疾人事业发展规划测算简报", "一、政策依据", "二、覆盖现状与缺口", "三、测算方案", "四、结论与建议", "附录一：测算参数与来源", "附录二：来源文件", "注释"])
      expect(flat).toContain(expected);
    // The sources appendix names every document by its title.
    for (const f of briefing.figures) expect(flat).toContain(sourceTitle(f.document).replace(/\s+/g, ""));
    const [main] = briefing.scenarios;
    expect(flat).toContain(formatYuan(main!.sum.delta_yuan));
    for (const t of main!.totals) expect(flat).toContain(formatYuan(t.cost_yuan));
    expect(flat).toContain(figures.get("004-013")!.quote.replace(/\s+/g, ""));
    for (const absent of ["打印/另存为PDF", "导入数据", "Alt-K", "下载单文件版"]) expect(flat).not.toContain(absent);
    console.log(`example briefing printed: ${pages} A4 pages`);
    await page.emulateMedia({media: "screen"});
  });
});

describe("the example briefing's single file (单文件版)", () => {
  test("is linked from the page, and copied alone into an empty folder opens from file:// with every chart and figure, requesting nothing else", async () => {
    const href = await page.getAttribute("a.offline-link", "href");
    expect(href).toBe("example.offline.html");
    const built = join("dist", "briefings", "example.offline.html");
    const bytes = statSync(built).size;
    expect(bytes).toBeLessThan(1_000_000);
    // The downloads manifest lists it with the checksum of the served file.
    const manifest = JSON.parse(readFileSync(join("dist", "data", "downloads", "manifest.json"), "utf-8")) as {briefings: {id: string; path: string; bytes: number; sha256: string}[]};
    const listed = manifest.briefings.find((b) => b.id === "example")!;
    expect(listed.path).toBe("../../briefings/example.offline.html");
    expect(listed.bytes).toBe(bytes);
    expect(listed.sha256).toBe(createHash("sha256").update(readFileSync(built)).digest("hex"));
    const folder = mkdtempSync(join(tmpdir(), "dpf-offline-"));
    try {
      const file = join(folder, "简报.html");
      copyFileSync(built, file);
      const offline = await site.context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      offline.on("request", (r) => requests.push(r.url()));
      offline.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      offline.on("pageerror", (e) => errors.push(String(e)));
      const url = pathToFileURL(file).href;
      await offline.goto(url, {waitUntil: "load"});
      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);
      expect(await offline.locator("svg[aria-label]").count()).toBe(briefing.gaps.length + briefing.scenarios.length);
      const text = (await offline.textContent("main"))!;
      const pageText = await mainText();
      for (const s of briefing.scenarios) {
        for (const figure of [formatYuan(s.sum.cost_yuan), formatYuan(s.sum.delta_yuan)]) {
          expect(text).toContain(figure);
          expect(pageText).toContain(figure);
        }
      }
      for (const gap of briefing.gaps)
        expect(await offline.textContent(`p.gap-summary[data-indicator="${gap.indicator}"]`)).toBe(await page.textContent(`p.gap-summary[data-indicator="${gap.indicator}"]`));
      expect(await offline.locator("ol.footnotes li").count()).toBe(briefing.figures.length);
      // Printed, it reads as the page prints: findings on page 1, numbered pages, sources by title.
      await offline.emulateMedia({media: "print"});
      const pdfFile = join(outputDir, "briefing-example-offline.pdf");
      writeFileSync(pdfFile, await offline.pdf({format: "A4", preferCSSPageSize: true, printBackground: true}));
      const headings = await offline.$$eval("main h2, main h3", (hs) => hs.map((h) => h.textContent!.trim()));
      const printed = expectReadablePrint(pdfFile, headings);
      const first = printed.text[0]!.replace(/\s+/g, "");
      for (const f of briefingFindings(briefing)) expect(first).toContain(f.value_text.replace(/\s+/g, ""));
      expect(printed.text.join("").replace(/\s+/g, "")).toContain("附录一：来源文件");
      // The planner's texts of the briefing file are in the single file as on the page.
      for (const words of ["社区康复按《残疾人社区康复示范区工作标准》推进", "托养服务点建设是最大的增量项目"]) {
        expect(text).toContain(words);
        expect(pageText).toContain(words);
      }
      console.log(`example.offline.html: ${bytes} bytes, printed ${printed.pages} A4 pages`);
      await offline.close();
    } finally {
      rmSync(folder, {recursive: true, force: true});
    }
  });
});
