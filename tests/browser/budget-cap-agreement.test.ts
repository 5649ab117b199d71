/**
 * One scenario, one set of budget-cap figures: data/scenarios/demonstration-2030.json (cap 5000万) run
 * through the engine (budgetCap on the demo city in Node), `npm run simulate`, the built briefing's JSON
 * and text, and the sandbox page in Chromium. Each shows the cap as a cap on all programme costs —
 * scenario cost, committed baseline charged first, room for gaps, funded, unfunded, cost beyond the cap —
 * and the numbers agree everywhere (issue 14: the page said ¥0 unfunded while the briefing said the cost
 * exceeds the cap by ¥1,276.6万).
 */
import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test, vi} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {main as simulate} from "../../scripts/simulate.js";
import type {BriefingData} from "../../src/schemas/briefingData.js";
import {capYearText, ScenarioSummary} from "../../src/components/sandbox/budgetCapText.js";
import {formatYuan} from "../../src/components/shared/format.js";
import {budgetCap, capTotals, type CapTotals} from "../../src/engine/budgetCap.js";
import {runScenario, totalsByYear} from "../../src/engine/runScenario.js";
import {scenarioFromJson, scenarioToQuery, type Scenario} from "../../src/engine/scenario.js";
import {fixtureDb} from "../engine/fixtureDb.js";
import {openSite, visit, type Site} from "./harness.js";

const file = join(import.meta.dirname, "..", "..", "data", "scenarios", "demonstration-2030.json");
const figures = ["cap_yuan", "total_yuan", "committed_yuan", "gap_yuan", "room_yuan", "funded_yuan", "unfunded_yuan", "planned_yuan", "over_cap_yuan", "committed_over_cap_yuan"] as const;

let site: Site;
let db: NodeDuckDB;
let scenario: Scenario;
let engine: CapTotals[];
beforeAll(async () => {
  scenario = scenarioFromJson(readFileSync(file, "utf8")).scenario;
  const [city] = await Promise.all([generateDemoCity(), openSite().then((s) => (site = s))]);
  db = await fixtureDb({units: city.units, persons: city.persons, parameters: loadParameters()});
  engine = capTotals(await budgetCap(db, scenario));
}, 300_000);
afterAll(async () => {
  db?.close();
  await site?.close();
});

/** Equal to the fen (the CLI prints fen), or to a millionth where both hold full precision. */
function expectSameFigures(shown: Record<string, unknown>, want: CapTotals, tolerance: number, where: string) {
  for (const key of figures) expect(Math.abs(Number(shown[key]) - want[key]), `${where}: ${key} ${shown[key]} vs ${want[key]}`).toBeLessThanOrEqual(tolerance * Math.max(1, tolerance < 1e-3 ? Math.abs(want[key]) : 1));
}

describe("the budget cap of demonstration-2030 (cap 5000万)", () => {
  test("caps all programme costs in the engine: cost = committed + gaps, planned within the cap, the excess equals cost − cap", async () => {
    const totals = totalsByYear(await runScenario(db, scenario));
    expect(engine.map((y) => y.year)).toEqual(scenario.years);
    for (const y of engine) {
      const t = totals.find((x) => x.year === y.year)!;
      expect(y.total_yuan).toBeCloseTo(t.cost_yuan, 2);
      expect(y.committed_yuan + y.gap_yuan).toBeCloseTo(y.total_yuan, 2);
      expect(y.funded_yuan + y.unfunded_yuan).toBeCloseTo(y.gap_yuan, 2);
      expect(y.funded_yuan).toBeLessThanOrEqual(y.room_yuan + 1e-6);
      expect(y.over_cap_yuan).toBeCloseTo(Math.max(0, t.cost_yuan - y.cap_yuan), 2);
      // Cost beyond the cap is unfunded gaps, except where committed spending alone exceeds the cap
      // (with the 2021 subsistence standards it does in 2029–2030): that part is no gap to leave unfunded.
      expect(y.unfunded_yuan).toBeGreaterThanOrEqual(y.over_cap_yuan - y.committed_over_cap_yuan - 1e-6);
    }
    // The contradiction of issue 14: 2030 costs more than the cap, so gaps are left unfunded.
    const y2030 = engine.find((y) => y.year === 2030)!;
    expect(y2030.over_cap_yuan).toBeGreaterThan(0);
    expect(y2030.unfunded_yuan).toBeGreaterThan(0);
  });

  test("npm run simulate prints the engine's figures", async () => {
    let out = "";
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await simulate([file])).toBe(0);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const printed = (JSON.parse(out) as {budget_cap: Record<string, unknown>[]}).budget_cap;
    expect(printed.map((y) => y.year)).toEqual(scenario.years);
    printed.forEach((y, i) => expectSameFigures(y, engine[i]!, 0.01, `CLI ${y.year}`));
  }, 300_000);

  test("the built briefing holds the engine's figures and says the same excess", async () => {
    const dir = join("dist", "_file", "briefings");
    const name = readdirSync(dir).find((f) => /^example\.[0-9a-f]+\.json$/.test(f));
    expect(name).toBeDefined();
    const briefing = JSON.parse(readFileSync(join(dir, name!), "utf-8")) as BriefingData;
    const main = briefing.scenarios.find((s) => s.id === "demonstration-2030")!;
    expect(main.cap).not.toBeNull();
    main.cap!.forEach((y, i) => expectSameFigures(y, engine[i]!, 1e-9, `briefing ${y.year}`));
    const worst = engine.reduce((a, b) => (b.over_cap_yuan > a.over_cap_yuan ? b : a));
    const v = await visit(site, "briefings/example", {waitFor: "ol.footnotes li"});
    const text = (await v.page.textContent("#observablehq-main"))!;
    expect(text).toContain(ScenarioSummary({cap_yuan_per_year: main.cap_yuan_per_year, cap: engine}));
    expect(text).toContain(`最多超出 ${formatYuan(worst.over_cap_yuan)}`);
    expect(text).toContain(capYearText(worst));
    await v.page.close();
  }, 120_000);

  test("the sandbox page shows the engine's figures, in its summary and in words", async () => {
    const v = await visit(site, `sandbox?${scenarioToQuery(scenario)}`, {waitFor: "[data-first-result] tbody tr", timeout: 120_000});
    const page = v.page;
    await page.evaluate(() => window.__dpfSandbox!.idle());
    for (const year of [2026, 2030]) {
      await page.selectOption("[data-testid=cap-year]", String(year));
      const want = engine.find((y) => y.year === year)!;
      const summary = page.locator(`[data-testid=cap-summary][data-year="${year}"]`);
      const shown = Object.fromEntries(
        await Promise.all(
          (["cap", "total", "committed", "room", "funded", "unfunded", "over-cap"] as const).map(async (k) => [k, Number(await summary.getAttribute(`data-${k}`))]),
        ),
      );
      // DuckDB-WASM and DuckDB in Node may add doubles in another order: equal to a millionth.
      expectSameFigures(
        {...want, cap_yuan: shown.cap, total_yuan: shown.total, committed_yuan: shown.committed, room_yuan: shown.room, funded_yuan: shown.funded, unfunded_yuan: shown.unfunded, over_cap_yuan: shown["over-cap"]},
        want,
        1e-6,
        `page ${year}`,
      );
      const text = (await summary.textContent())!;
      for (const key of ["cap_yuan", "total_yuan", "committed_yuan", "room_yuan", "funded_yuan", "unfunded_yuan"] as const) expect(text).toContain(formatYuan(want[key]));
      if (want.over_cap_yuan > 0) expect(text).toContain(`超出上限 ${formatYuan(want.over_cap_yuan)}`);
      expect(await page.textContent("[data-testid=cap-sentence]")).toBe(capYearText(want));
    }
    expect(await page.textContent("[data-testid=cap-definition]")).toContain("预算上限是当年全部项目支出的上限");
    expect(v.consoleErrors).toEqual([]);
    await page.close();
  }, 300_000);
});
