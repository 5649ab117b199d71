import {afterAll, beforeAll, describe, expect, test} from "vitest";
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

test("DuckDB-WASM answers a query over a data loader's Arrow file", async () => {
  const {page, consoleErrors} = await visit(site, "gaps", {waitFor: "#duckdb-result"});
  expect(await page.textContent("#duckdb-result")).toBe("3 / 9");
  await page.waitForSelector("#city-count");
  expect(Number(await page.textContent("#city-count"))).toBeGreaterThan(1000);
  expect(consoleErrors).toEqual([]);
  await page.close();
});
