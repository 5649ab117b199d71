/**
 * Issue 15 §2: a planner with an imported city composes a briefing on 撰写简报 and exports the single
 * file, the PDF and the briefing file. The city is tests/fixtures/city (a real city of 24 persons, so the
 * small-cell rule applies), imported on the import page and kept in IndexedDB. The preview's figures are
 * checked against the Node engines run on the same rows, and the exported YAML is read back with the
 * build's schema and computed by the build route's own function.
 */
import {mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import type {Page} from "playwright-core";
import {parse} from "yaml";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {loadFigureRows} from "../../loaders/figures/checkCatalogue.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {readBriefingFile, resolveScenarios} from "../../loaders/publish/briefing.js";
import {briefingFindings} from "../../src/components/briefing/briefingFindings.js";
import {offlineBriefingHtml} from "../../src/components/briefing/briefingHtml.js";
import type {BriefingData} from "../../src/schemas/briefingData.js";
import {formatYuan} from "../../src/components/shared/format.js";
import {computeBriefingData} from "../../src/engine/briefingData.js";
import {usePersonRows} from "../../src/engine/personCounts.js";
import {bytesSource, importFiles, rowsOf} from "../../src/importer/index.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import {briefingFile, DEFAULT_SMALL_CELL_THRESHOLD} from "../../src/schemas/briefing.js";
import {fixtureDb} from "../engine/fixtureDb.js";
import {openSite, visit, type Site, type Visit} from "./harness.js";
import {expectReadablePrint, footerPattern, pageText} from "./pdfChecks.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "city");
const files = [join(fixtures, "units.csv"), join(fixtures, "persons.csv")];
const scratch = join(import.meta.dirname, "output", "compose");
const visits: Visit[] = [];

let site: Site;
let page: Page;
/** The preview's single file, the exported files, and the Node engines' briefing from the exported definition. */
let previewHtml = "";
let exportedHtml = "";
let yamlText = "";
let node: BriefingData;

async function frameText(selector: string): Promise<string[]> {
  const frame = page.frameLocator("[data-testid=preview-frame]");
  return frame.locator(selector).allTextContents();
}

beforeAll(async () => {
  mkdirSync(scratch, {recursive: true});
  site = await openSite();
  // Import the fixture city and keep it in this browser (IndexedDB), as a planner does.
  const imp = await visit(site, "import", {waitFor: "[data-testid=file-input]"});
  visits.push(imp);
  await imp.page.setInputFiles("[data-testid=file-input]", files);
  await imp.page.waitForSelector("[data-testid=result]", {timeout: 120_000});
  await imp.page.check("[data-testid=store-local]");
  await imp.page.click("[data-testid=use]");
  await imp.page.waitForSelector("[data-testid=saved][data-storage=local]");
  await imp.page.close();

  // A scenario edited in the sandbox of this tab (kept in its sessionStorage) is offered by the composer.
  const v = await visit(site, "sandbox", {waitFor: "[data-first-result] tbody tr", timeout: 120_000});
  visits.push(v);
  page = v.page;
  await page.fill("[data-testid=slot-name]", "沙盘方案甲");
  await page.click("[data-preset=wubao-480]");
  await page.goto(new URL("compose", site.url).href);
  await page.waitForSelector("[data-testid=composer]", {timeout: 120_000});
  expect(await page.textContent("[data-testid=scenario-choices] li:first-child")).toContain("预算沙盘的方案 1：沙盘方案甲");
  expect(await page.isChecked("[data-testid=scenario-choice][value=sandbox-1]")).toBe(true);
  // An incomplete form is told in Chinese, and nothing is offered for export.
  await page.fill("[data-testid=field-title]", "");
  await page.click("[data-testid=compose-preview]");
  await page.waitForFunction(() => document.querySelector("[data-testid=compose-status]")!.textContent!.includes("请填写标题"));
  expect(await page.isDisabled("[data-testid=export-html]")).toBe(true);
  await page.fill("[data-testid=field-title]", "示例小城测算简报");
  await page.fill("[data-testid=field-id]", "xiaocheng-2026");
  await page.fill("[data-testid=field-date]", "2026-03-01");
  await page.fill("[data-testid=field-lead]", "本简报测算示例小城的康复需求筛查缺口[004-006]。");
  await page.fill("[data-testid=field-section-policy]", "社区康复室设置率目标为 80%[004-002]。");
  await page.fill("[data-testid=field-section-conclusions]", "1. 先补齐筛查缺口。\n2. 分年度安排托养服务点。");
  // Scenarios: the site's demonstration-2030 (by name) and a saved scenario file (written in place).
  await page.uncheck("[data-testid=scenario-choice][value=baseline]");
  await page.check("[data-testid=scenario-choice][value=demonstration-2030]");
  await page.setInputFiles("[data-testid=scenario-upload]", join(import.meta.dirname, "..", "..", "data", "scenarios", "raise-wubao.json"));
  await page.waitForSelector("[data-testid=scenario-choice][value^=upload-]");
  await page.fill("[data-testid=field-cap]", "3000");
  await page.click("[data-testid=compose-preview]");
  await page.waitForSelector("[data-testid=compose-status][data-ready]", {timeout: 120_000});
  previewHtml = await page.$eval("[data-testid=preview-frame]", (f) => (f as HTMLIFrameElement).srcdoc);

  const save = async (testid: string) => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`[data-testid=${testid}]`)]);
    const path = join(scratch, download.suggestedFilename());
    await download.saveAs(path);
    return {name: download.suggestedFilename(), text: readFileSync(path, "utf-8"), path};
  };
  const html = await save("export-html");
  expect(html.name).toBe("xiaocheng-2026.offline.html");
  exportedHtml = html.text;
  const yaml = await save("export-yaml");
  expect(yaml.name).toBe("xiaocheng-2026.yaml");
  yamlText = yaml.text;

  // The Node engines on the same rows, from the exported definition resolved as the build resolves it.
  const imported = await importFiles(files.map((f) => bytesSource(f.split("/").pop()!, readFileSync(f))), {referenceDate: "2026-03-01"});
  const db = await fixtureDb({units: imported.units, persons: rowsOf<PersonRow>(imported.persons), parameters: loadParameters()});
  await usePersonRows(db);
  const definition = briefingFile.parse(parse(yamlText));
  node = await computeBriefingData("xiaocheng-2026", definition, {
    db,
    city: {name: "示例小城", synthetic: false},
    figures: loadFigureRows(),
    scenarios: resolveScenarios(definition),
    citedInPage: [],
    threshold: DEFAULT_SMALL_CELL_THRESHOLD,
    today: "2026-03-01",
    source: "xiaocheng-2026.yaml",
  });
  db.close();
}, 400_000);

afterAll(async () => {
  // Opening the exported file from the scratch folder (file://) is the test's own request, not the site's.
  const scratchUrl = pathToFileURL(scratch).href;
  expect(visits.flatMap((v) => v.externalRequests).filter((url) => !url.startsWith(scratchUrl))).toEqual([]);
  expect(visits.flatMap((v) => v.consoleErrors)).toEqual([]);
  await site?.close();
  rmSync(scratch, {recursive: true, force: true});
});

describe("composing a briefing on 撰写简报 with an imported city", () => {
  test("the page works on the imported city, and the exported single file is the preview", async () => {
    expect(await page.textContent("[data-source]")).toContain("本机导入");
    expect(exportedHtml).toBe(previewHtml);
    expect(exportedHtml).not.toMatch(/<script|<link|\bsrc=|https?:/i);
  });

  test("the preview's figures are the Node engines' on the same city: totals, gap summaries and tables", async () => {
    expect(node.scenarios.map((s) => s.id)).toEqual(["sandbox-1", "demonstration-2030", "upload-5"]);
    expect(node.scenarios[0]!.presets.map((p) => p.id)).toEqual(["wubao-480"]);
    expect(node.scenarios.every((s) => s.cap_yuan_per_year === 30_000_000)).toBe(true);
    const want = offlineBriefingHtml({...node, city: {...node.city, source_zh: "x", vintage_zh: "x"}});
    const check = await site.context.newPage();
    await check.setContent(want);
    for (const selector of ["p.gap-summary", "table[data-table=gap]", "table[data-table=totals]", "table[data-table=programmes]", "p.cap-summary"]) {
      const expected = await check.locator(selector).allTextContents();
      expect(expected.length, selector).toBeGreaterThan(0);
      expect(await frameText(selector), selector).toEqual(expected);
    }
    await check.close();
    const findings = await frameText(".finding-value");
    expect(findings).toEqual(briefingFindings(node).map((f) => f.value_text));
    expect(await frameText("main")).toEqual([expect.stringContaining(formatYuan(node.scenarios[0]!.sum.cost_yuan))]);
  });

  test("a real city's small counts stay hidden below city level, none recoverable from the total", () => {
    expect(node.small_cell.applied).toBe(true);
    for (const g of node.gaps) {
      const hidden = g.rows.filter((r) => r.suppressed);
      expect(hidden.length === 0 || hidden.length >= 2, g.id).toBe(true);
      for (const r of g.rows) if (!r.suppressed && r.eligible !== null && r.eligible > 0) expect(r.eligible, `${g.id} ${r.unit_name}`).toBeGreaterThanOrEqual(DEFAULT_SMALL_CELL_THRESHOLD);
    }
    expect(node.gaps.some((g) => g.rows.some((r) => r.suppressed))).toBe(true);
  });

  test("every figure keeps its citation: the planner's texts' footnotes, and the imported files with their import date", async () => {
    const notes = await frameText("ol.footnotes li");
    expect(notes.length).toBe(node.figures.length);
    expect(node.figures.slice(0, 3).map((f) => f.id)).toContain("004-006");
    const sources = (await frameText("table[data-table=sources]"))[0]!;
    expect(sources).toMatch(/规划员导入的数据：units\.csv、persons\.csv（\d{4}-\d{2}-\d{2} 导入）/);
    for (const basis of await frameText(".finding-basis")) expect(basis).toMatch(/规划员导入的数据：units\.csv、persons\.csv/);
    expect((await frameText("main"))[0]).toContain("先补齐筛查缺口");
  });

  test("the exported definition is a briefing file the build reads: its schema, site scenarios by name, saved ones in place, the cap, the texts", () => {
    const definition = briefingFile.parse(parse(yamlText));
    expect(definition.title).toBe("示例小城测算简报");
    expect(definition.scenarios[0]).toMatchObject({id: "sandbox-1", scenario: {name: "沙盘方案甲", presets: ["wubao-480"]}});
    expect(definition.scenarios[1]).toBe("demonstration-2030");
    expect(definition.scenarios[2]).toMatchObject({id: "upload-5", scenario: {name: JSON.parse(readFileSync("data/scenarios/raise-wubao.json", "utf-8")).name}});
    // The build's own reader takes the exported file as it is, from a briefings folder.
    expect(readBriefingFile("xiaocheng-2026", scratch)).toEqual(definition);
    expect(definition.cap_yuan_per_year).toBe(30_000_000);
    expect(definition.gaps.map((g) => `${g.indicator}/${g.level}/${g.year}`)).toEqual(["screening/district/2026", "rehab_room/district/2026"]);
    expect(definition.sections.conclusions).toContain("先补齐筛查缺口");
  });

  test("prints: 打印 asks the preview to print, and the single file prints to A4 with the findings on page 1 and numbered pages", async () => {
    await page.$eval("[data-testid=preview-frame]", (f) => {
      const w = (f as HTMLIFrameElement).contentWindow as Window & {printed?: number};
      w.print = () => void (w.printed = (w.printed ?? 0) + 1);
    });
    await page.click("[data-testid=export-pdf]");
    expect(await page.$eval("[data-testid=preview-frame]", (f) => ((f as HTMLIFrameElement).contentWindow as Window & {printed?: number}).printed)).toBe(1);
    const file = join(scratch, "xiaocheng-2026.offline.html");
    const opened = await site.context.newPage();
    await opened.goto(pathToFileURL(file).href);
    await opened.emulateMedia({media: "print"});
    const pdf = join(scratch, "xiaocheng-2026.pdf");
    writeFileSync(pdf, await opened.pdf({format: "A4", preferCSSPageSize: true}));
    const headings = await opened.$$eval("main h2, main h3", (hs) => hs.map((h) => h.textContent!.trim()));
    await opened.close();
    // The same checks as the example's print: half-full pages, no heading at a foot, no code names.
    const {pages} = expectReadablePrint(pdf, headings, {allowed: ["units.csv", "persons.csv"]});
    const first = pageText(pdf, 1).replace(/\s+/g, "");
    expect(first).toContain("主要结论");
    for (const f of briefingFindings(node)) expect(first).toContain(f.value_text.replace(/\s+/g, ""));
    for (let n = 1; n <= pages; n++) expect(footerPattern.exec(pageText(pdf, n))?.slice(1).map(Number)).toEqual([n, pages]);
  });
});
