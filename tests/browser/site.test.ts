import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {formatCount} from "../../src/components/format.js";
import {defaultGapView} from "../../src/components/viewState.js";
import {gapQuery} from "../../src/engine/gapQuery.js";
import {fixtureDb} from "../engine/fixtureDb.js";
import {openSite, pagePath, screenshot, sitePages, visit, type Site} from "./harness.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => site?.close());

describe("every page", () => {
  for (const {name, path} of sitePages) {
    test(`${name} (${path}) loads in Chinese with no console error and no request off the site`, async () => {
      const {page, consoleErrors, externalRequests} = await visit(site, pagePath(path), {waitFor: "#observablehq-main h1"});
      await page.waitForLoadState("networkidle");
      expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
      expect(await page.textContent("#observablehq-main h1")).toBeTruthy();
      await screenshot(page, `page-${pagePath(path)}`);
      expect(consoleErrors).toEqual([]);
      expect(externalRequests).toEqual([]);
      await page.close();
    });
  }
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
