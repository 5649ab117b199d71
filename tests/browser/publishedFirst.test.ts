/**
 * First figures before the engine: 覆盖缺口 and 预算沙盘 show the published city's opening views (computed
 * at build time, src/data/opening_*.json) while DuckDB-WASM is still downloading — here its .wasm is held
 * back by the test until the first figures are on screen — and, once the engine is in, DuckDB gives the
 * same figures in the same words. An imported city never gets the published figures.
 */
import {join} from "node:path";
import type {Page, Route} from "playwright-core";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {fixturesDir} from "../importer/corpus.js";
import {openSite, visit, type Site} from "./harness.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
});

/** Holds every request for DuckDB's WebAssembly (the page's and its worker's) until `release`. */
async function holdEngine(): Promise<{requested: () => boolean; finished: () => boolean; release: () => Promise<void>}> {
  const held: Route[] = [];
  let released = false;
  let finished = false;
  const pattern = /duckdb[^/]*\.wasm$/;
  await site.context.route(pattern, (route) => (released ? route.continue() : void held.push(route)));
  const onFinished = (request: {url(): string}) => {
    if (pattern.test(request.url())) finished = true;
  };
  site.context.on("requestfinished", onFinished);
  return {
    requested: () => held.length > 0,
    finished: () => finished,
    async release() {
      released = true;
      for (const route of held.splice(0)) await route.continue();
      await site.context.unroute(pattern);
    },
  };
}

/** What 覆盖缺口 shows of the view: the summary cards and the table's text. */
async function gapFigures(page: Page): Promise<{cards: (string | null)[]; table: string}> {
  const cards = await page.$$eval("[data-testid^=gap-card]", (els) => els.flatMap((e) => [e.getAttribute("data-own"), e.getAttribute("data-children"), e.textContent]));
  return {cards, table: (await page.textContent("[data-first-result] table"))!};
}

describe("覆盖缺口", () => {
  test("shows the published opening view before the engine's .wasm has arrived, and DuckDB gives the same figures after", async () => {
    const engine = await holdEngine();
    const page = await site.context.newPage();
    try {
      await page.goto(new URL("gaps", site.url).href);
      await page.waitForSelector("[data-testid=gap-card-cost]", {timeout: 60_000});
      expect(engine.finished()).toBe(false);
      expect(await page.getAttribute(".gap-engine", "data-engine")).toBe("published");
      expect(await page.textContent(".gap-engine")).toContain("构建时按示例市（合成数据）计算");
      expect(await page.evaluate(() => window.__dpfGaps?.engine)).toBe("published");
      const published = await gapFigures(page);
      expect(published.table.length).toBeGreaterThan(0);

      // A view the build did not publish waits for the engine, and says so; the choice is kept.
      await page.selectOption("#gap-level", "street");
      await page.waitForSelector(".gap-controls-box[aria-busy]");
      expect(await page.textContent(".gap-engine")).toContain("正在加载计算引擎");
      expect(engine.requested() || !engine.finished()).toBe(true);

      await engine.release();
      await page.waitForFunction(() => window.__dpfGaps?.engine === "duckdb" && window.__dpfGaps.view.includes("level=street"), null, {timeout: 90_000});
      expect(await page.inputValue("#gap-level")).toBe("street");
      expect(await page.isHidden(".gap-engine")).toBe(true);

      // Back to the opening view, now from DuckDB-WASM: the same figures, the same words.
      const before = await page.evaluate(() => window.__dpfGaps!.changes);
      await page.selectOption("#gap-level", "district");
      await page.waitForFunction((n) => window.__dpfGaps!.changes > n, before, {timeout: 30_000});
      expect(await page.evaluate(() => window.__dpfGaps?.engine)).toBe("duckdb");
      expect(await gapFigures(page)).toEqual(published);
    } finally {
      await page.close();
    }
  });
});

describe("预算沙盘", () => {
  test("shows the published baseline before the engine's .wasm has arrived, and DuckDB gives the same totals after", async () => {
    const engine = await holdEngine();
    const page = await site.context.newPage();
    // The totals' tables (the chart beside them arrives with Plot, which loads after the first figures).
    const totals = () => page.$$eval("[data-first-result] table", (tables) => tables.map((t) => t.textContent).join("\n"));
    try {
      await page.goto(new URL("sandbox", site.url).href);
      await page.waitForSelector("[data-first-result] table", {timeout: 60_000});
      expect(engine.finished()).toBe(false);
      expect(await page.evaluate(() => window.__dpfSandbox?.engine)).toBe("published");
      expect(await page.textContent(".sandbox-engine")).toContain("构建时按示例市（合成数据）计算");
      const baseline = await totals();

      // A preset is one of the published results: shown at once, still without the engine.
      await page.click("[data-preset=wubao-480]");
      await page.waitForFunction((b) => [...document.querySelectorAll("[data-first-result] table")].map((t) => t.textContent).join("\n") !== b, baseline);
      const withPreset = await totals();
      expect(engine.finished()).toBe(false);

      await engine.release();
      await page.waitForFunction(() => window.__dpfSandbox?.engine === "duckdb", null, {timeout: 90_000});
      // Off and on again, now recomputed by DuckDB-WASM: the same totals as published.
      await page.click("[data-preset=wubao-480]");
      await page.evaluate(() => window.__dpfSandbox!.idle());
      expect(await totals()).toBe(baseline);
      const recomputes = await page.evaluate(() => window.__dpfSandbox!.recomputes);
      expect(recomputes).toBeGreaterThan(0);
      await page.click("[data-preset=wubao-480]");
      await page.evaluate(() => window.__dpfSandbox!.idle());
      expect(await totals()).toBe(withPreset);
    } finally {
      await page.close();
    }
  });
});

describe("the engine's download", () => {
  // Left alone (no click, no key), a page fetches nothing of DuckDB-WASM — its module, worker or .wasm —
  // before its first figures are drawn, so the engine's 5 MB never share an office PC's link with them.
  // Who answers, as the office-PC benchmark reads it (bench/lib/officeProfile.ts); a function, as the CSP forbids evaluating strings.
  const engineIn = (p: string) => (p === "gaps" ? document.querySelector<HTMLElement>(".gap-engine")?.dataset.engine : window.__dpfSandbox?.engine) === "duckdb";
  for (const path of ["gaps", "sandbox"] as const) {
    test(`${path}: starts only after the first result is on screen`, async () => {
      const page = await site.context.newPage();
      const engineRequests: {url: string; at: number}[] = [];
      const onRequest = (request: {url(): string}) => {
        if (/duckdb/i.test(request.url())) engineRequests.push({url: request.url(), at: Date.now()});
      };
      site.context.on("request", onRequest);
      try {
        await page.addInitScript(() => {
          const mark = () => {
            if (!(window as {__firstAt?: number}).__firstAt && document.querySelector("[data-first-result]")) (window as {__firstAt?: number}).__firstAt = Date.now();
          };
          new MutationObserver(mark).observe(document, {childList: true, subtree: true, attributes: true});
        });
        await page.goto(new URL(path, site.url).href);
        await page.waitForFunction(engineIn, path, {timeout: 90_000});
        const firstAt = await page.evaluate(() => (window as {__firstAt?: number}).__firstAt);
        expect(firstAt).toBeGreaterThan(0);
        expect(engineRequests.length).toBeGreaterThan(0);
        expect(engineRequests.filter((r) => r.at < firstAt!).map((r) => r.url)).toEqual([]);
      } finally {
        site.context.off("request", onRequest);
        await page.close();
      }
    });
  }
});

describe("an imported city", () => {
  test("is never shown the published city's figures: the pages wait for its own", async () => {
    const importPage = (await visit(site, "import", {waitFor: "[data-testid=status] [data-source]"})).page;
    await importPage.setInputFiles("[data-testid=file-input]", [join(fixturesDir, "city", "units.csv"), join(fixturesDir, "city", "persons.csv")]);
    await importPage.waitForSelector("[data-testid=result]", {timeout: 120_000});
    await importPage.check("[data-testid=store-local]");
    await importPage.click("[data-testid=use]");
    await importPage.waitForSelector("[data-testid=saved][data-storage=local]");
    await importPage.close();
    for (const path of ["gaps", "sandbox"]) {
      const {page, consoleErrors} = await visit(site, path);
      await page.waitForSelector("[data-first-result]", {timeout: 90_000}).catch((e) => {
        throw new Error(`${path}: ${e}\n${consoleErrors.join("\n")}`);
      });
      expect(await page.getAttribute("#observablehq-main [data-source]", "data-source"), path).toBe("imported");
      const engine = await page.evaluate((p) => (p === "gaps" ? window.__dpfGaps?.engine : window.__dpfSandbox?.engine), path);
      expect(engine, path).toBe("duckdb");
      await page.close();
    }
  });
});
