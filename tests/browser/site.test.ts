import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {formatCount} from "../../src/components/shared/format.js";
import {defaultGapView} from "../../src/components/gaps/viewState.js";
import {gapQuery} from "../../src/engine/gapQuery.js";
import {fixtureDb} from "../engine/fixtureDb.js";
import {hostileNames, injectedElements, openSite, pagePath, screenshot, sitePages, visit, type Site} from "./harness.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => site?.close());

describe("every page", () => {
  for (const {name, path} of sitePages) {
    test(`${name} (${path}) loads in Chinese with no console error and no request off the site`, async () => {
      const {page, consoleErrors, externalRequests, dialogs} = await visit(site, pagePath(path), {waitFor: "#observablehq-main h1"});
      await page.waitForLoadState("networkidle");
      expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
      expect(await page.textContent("#observablehq-main h1")).toBeTruthy();
      await screenshot(page, `page-${pagePath(path)}`);
      expect(consoleErrors).toEqual([]);
      expect(externalRequests).toEqual([]);
      expect(dialogs).toEqual([]);
      await page.close();
    });
  }
});

test("the request scan sees what workers fetch: DuckDB's WebAssembly, fetched inside its worker, from the site", async () => {
  // The first figures are the published ones (before the engine): wait until DuckDB-WASM answers the page.
  const {page, requests, externalRequests} = await visit(site, "gaps", {waitFor: "[data-first-result] tbody tr"});
  await page.waitForSelector(".gap-engine[data-engine=duckdb]", {state: "attached", timeout: 90_000});
  const origin = new URL(site.url).origin;
  const worker = requests.filter((url) => /duckdb-browser-[a-z]+\.worker(\.[0-9a-f]+)?\.js$/.test(url));
  const wasm = requests.filter((url) => /duckdb-[a-z]+\.wasm$/.test(url));
  expect(worker.length).toBeGreaterThan(0);
  expect(wasm.length).toBeGreaterThan(0);
  for (const url of [...worker, ...wasm]) expect(url.startsWith(origin)).toBe(true);
  expect(externalRequests).toEqual([]);
  await page.close();
});

test("the gap page shows DuckDB-WASM's answer over the loaders' Arrow files, the same as the Node engine's", async () => {
  const city = await generateDemoCity();
  const db = await fixtureDb({units: city.units, persons: city.persons, parameters: loadParameters()});
  const expected = await gapQuery(db, {indicator: defaultGapView.indicator, level: defaultGapView.level, year: defaultGapView.year});
  db.close();
  const {page, consoleErrors} = await visit(site, "gaps", {waitFor: "[data-first-result] tbody tr"});
  const shown = await page.$$eval(".gap-table tbody tr", (trs) => trs.map((tr) => [tr.getAttribute("data-unit"), tr.querySelector('[data-col="gap_count"]')?.textContent]));
  expect(shown).toEqual(expected.rows.map((r) => [r.unit_code, formatCount(r.gap_count)]));
  expect(consoleErrors).toEqual([]);
  await page.close();
});

test("markup that did get into a page is found by the hostile-input probe, and the CSP still stops its script", async () => {
  const {page, dialogs, consoleErrors} = await visit(site, "index", {waitFor: "#observablehq-main h1"});
  // What a page that used innerHTML on data would do with the hostile names.
  await page.evaluate((names) => {
    const div = document.createElement("div");
    div.innerHTML = `${names[0]}<a href="javascript:alert(2)">x</a><a href="http://example.invalid/">y</a>`;
    document.querySelector("#observablehq-main")!.append(div);
  }, hostileNames);
  await page.click("a[href^=javascript]");
  await page.waitForTimeout(200);
  expect((await injectedElements(page)).sort()).toEqual(["<a href=http://example.invalid/>", "<a href=javascript:alert(2)>", "<img onerror>", "<img src=x>"]);
  // The policy has no 'unsafe-inline': the injected handler and the script link never run.
  expect(dialogs).toEqual([]);
  expect(consoleErrors.some((e) => /Content Security Policy/.test(e))).toBe(true);
  await page.close();
});
