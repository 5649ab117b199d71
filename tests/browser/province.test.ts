/**
 * The planner's province (本省现行标准) on the sandbox: choosing it puts the province's two subsidies in
 * the baseline with their sources shown, the totals equal the Node engine's for the same scenario over
 * the same demo city, the choice is in the URL, and a fresh visit in the same browser starts from it.
 */
import type {Page} from "playwright-core";
import {afterAll, beforeAll, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {provinceStandardRows} from "../../loaders/reference/provinceStandards.js";
import {prepareModel, runScenario, totalsByYear, type Model} from "../../src/engine/runScenario.js";
import {baselineScenario} from "../../src/engine/scenario.js";
import {fixtureDb} from "../engine/fixtureDb.js";
import {openSite, screenshot, visit, type Site, type Visit} from "./harness.js";

let site: Site;
let db: NodeDuckDB;
let model: Model;
const visits: Visit[] = [];

beforeAll(async () => {
  const [city] = await Promise.all([generateDemoCity(), openSite().then((s) => (site = s))]);
  db = await fixtureDb({units: city.units, persons: city.persons, parameters: loadParameters()});
  model = {...(await prepareModel(db)), provinces: provinceStandardRows()};
});
afterAll(async () => {
  expect(visits.flatMap((v) => v.consoleErrors)).toEqual([]);
  expect(visits.flatMap((v) => v.externalRequests)).toEqual([]);
  db?.close();
  await site?.close();
});

const idle = (page: Page) => page.evaluate(() => window.__dpfSandbox!.idle());
const shownTotals = (page: Page) =>
  page.$$eval("[data-testid=totals-table] tbody tr", (rows) => rows.map((r) => Number((r.querySelector("[data-field=cost]") as HTMLElement).dataset.value)));

async function open(path: string): Promise<Page> {
  const v = await visit(site, path, {waitFor: "[data-first-result] tbody tr", timeout: 120_000});
  visits.push(v);
  await idle(v.page);
  return v.page;
}

test("choosing 广东省 costs the baseline at its standards, with sources, in the URL, and is remembered", async () => {
  const page = await open("sandbox");
  expect(await page.inputValue("[data-testid=province-choice]")).toBe("");
  await page.selectOption("[data-testid=province-choice]", "440000");
  await idle(page);
  expect(decodeURIComponent(page.url())).toContain("prov=440000");
  const sources = await page.$$eval("[data-testid=province-sources] li", (lis) => lis.map((li) => [li.getAttribute("data-province-standard"), li.textContent]));
  expect(sources.map(([id]) => id)).toEqual(["subsidy.poor_disabled.monthly", "subsidy.severe_disabled.monthly"]);
  expect(sources[0]![1]).toMatch(/217.*2026-01-01 起.*各省残疾人两项补贴标准（第三方汇编）.*217元/);

  // The parameter's 现行值 is now the province's standard.
  expect(await page.locator('.param[data-param="subsidy.poor_disabled.monthly"] .param-in-force').first().textContent()).toMatch(/^现行值 217\b/);

  const expected = totalsByYear(await runScenario(db, {...baselineScenario("方案 1"), province: "440000"}, {model})).map((t) => t.cost_yuan);
  const plain = totalsByYear(await runScenario(db, baselineScenario("方案 1"), {model})).map((t) => t.cost_yuan);
  const shown = await shownTotals(page);
  // Equal up to the last digits a double sum may differ in between DuckDB-WASM and DuckDB in Node.
  shown.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-6 * expected[i]!));
  expect(expected[0]!).toBeGreaterThan(plain[0]!);
  await screenshot(page, "sandbox-province");
  await page.close();

  // A fresh visit in the same browser (a new tab, no shared link) starts from the remembered province.
  const again = await open("sandbox");
  expect(await again.inputValue("[data-testid=province-choice]")).toBe("440000");
  const shownAgain = await shownTotals(again);
  shownAgain.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-6 * expected[i]!));
  await again.close();
});
