/**
 * The budget sandbox (预算沙盘) in Chromium against the built site: what the page shows after a preset,
 * an edited parameter and a budget cap is compared with the Node engine's answer for the same scenario
 * over the same demo city (@duckdb/node-api); sensitivity, comparison, formula view, keyboard use, URL and
 * JSON round-trips, bad files — and no console error, no request off the site. Recompute and render
 * times seen in `window.__dpfSandbox` are printed for the benchmark notes.
 */
import {mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {budgetCap} from "../../src/engine/budgetCap.js";
import {prepareModel, runScenario, totalsByYear, type Model} from "../../src/engine/runScenario.js";
import {baselineScenario, scenarioFromJson, scenarioToJson, type Scenario} from "../../src/engine/scenario.js";
import {fixtureDb} from "../engine/fixtureDb.js";
import {openSite, screenshot, visit, type Site, type Visit} from "./harness.js";

let site: Site;
let db: NodeDuckDB;
let model: Model;
const visits: Visit[] = [];
const scratch = join(import.meta.dirname, "..", "..", "tmp", "browser-sandbox");

beforeAll(async () => {
  mkdirSync(scratch, {recursive: true});
  const [city] = await Promise.all([generateDemoCity(), openSite().then((s) => (site = s))]);
  db = await fixtureDb({units: city.units, persons: city.persons, parameters: loadParameters()});
  model = await prepareModel(db);
});
afterAll(async () => {
  // No page of the run logged an error or asked anything of another host.
  expect(visits.flatMap((v) => v.consoleErrors)).toEqual([]);
  expect(visits.flatMap((v) => v.externalRequests)).toEqual([]);
  db?.close();
  await site?.close();
  rmSync(scratch, {recursive: true, force: true});
});

/** Waits until every recompute and analysis of the edits so far is on the page. */
const idle = (page: Page) => page.evaluate(() => window.__dpfSandbox!.idle());

async function open(path = "sandbox"): Promise<Page> {
  const v = await visit(site, path, {waitFor: "[data-testid=totals-table]", timeout: 120_000});
  visits.push(v);
  await idle(v.page);
  return v.page;
}

/** The totals table as the page shows it: exact values from each cell's data-value. */
async function shownTotals(page: Page): Promise<{year: number; cost: number; baseline: number; delta: number}[]> {
  return page.$$eval("[data-testid=totals-table] tbody tr", (rows) =>
    rows.map((r) => {
      const v = (f: string) => Number((r.querySelector(`[data-field=${f}]`) as HTMLElement).dataset.value);
      return {year: Number((r as HTMLElement).dataset.year), cost: v("cost"), baseline: v("baseline"), delta: v("delta")};
    }),
  );
}

/** The Node engine's totals for a scenario, in the page's shape. */
async function nodeTotals(scenario: Scenario) {
  return totalsByYear(await runScenario(db, scenario, {model})).map((t) => ({year: t.year, cost: t.cost_yuan, baseline: t.baseline_cost_yuan, delta: t.delta_yuan}));
}

/**
 * Equal up to the last digits a double sum may differ in: between DuckDB-WASM and DuckDB in Node, and
 * between two runs of the same query (DuckDB does not fix the order in which it adds doubles).
 */
function expectSameNumbers(shown: Record<string, number>[], expected: Record<string, number>[], relative = 1e-6) {
  expect(shown.map((r) => Object.keys(r))).toEqual(expected.map((r) => Object.keys(r)));
  shown.forEach((row, i) => {
    for (const [key, value] of Object.entries(row)) {
      const want = expected[i]![key]!;
      expect(Math.abs(value - want), `${key} of row ${i}: ${value} vs ${want}`).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(want)));
    }
  });
}

const fieldOf = (id: string) => `input[type=number][data-param="${id}"]`;
const sliderOf = (id: string) => `input[type=range][data-param="${id}"]`;
const wubao = "subsidy.wubao.monthly";

async function openGroup(page: Page, group: string) {
  await page.$eval(`[data-group=${group}]`, (d) => ((d as HTMLDetailsElement).open = true));
}

describe("the budget sandbox", () => {
  test("starts from the baseline on the demo city, with each parameter's unit, value in force and sources", async () => {
    const page = await open();
    expect(await page.getAttribute("[data-source]", "data-source")).toBe("demo");
    expect(await page.evaluate(() => window.__dpfSandbox!.cube.persons)).toBe(model.cube.persons);
    expectSameNumbers(await shownTotals(page), await nodeTotals(baselineScenario()));
    expect(await page.textContent("[data-testid=delta-none]")).toContain("与基线相同");
    await openGroup(page, "wubao");
    const row = page.locator(`.param[data-param="${wubao}"]`);
    expect(await row.locator(".param-unit").textContent()).toBe("元/人·月");
    expect(await row.locator(".param-in-force").textContent()).toBe("现行值 480 元/人·月");
    expect(await row.locator(".param-source").textContent()).toContain("農村五保供養標準再次提高");
    expect(await page.inputValue(fieldOf(wubao))).toBe("480");
    await screenshot(page, "sandbox-baseline");
    await page.close();
  });

  test("the five-guarantee preset 350→480 gives the Node engine's difference from the baseline, with its citation", async () => {
    const page = await open();
    const preset = page.locator("[data-preset=wubao-480]");
    await preset.click();
    await idle(page);
    expect(await preset.getAttribute("aria-pressed")).toBe("true");
    expect(await page.textContent("[data-preset-card=wubao-480]")).toContain("由每人每月350元,提高到每人每月480元");
    const scenario = {...baselineScenario("方案 1"), presets: ["wubao-480"]};
    const expected = await nodeTotals(scenario);
    expect(expected.every((t) => t.delta > 0)).toBe(true);
    expectSameNumbers(await shownTotals(page), expected);
    // The difference sits in the five-guarantee programme only.
    const deltaRows = await page.$$eval("[data-testid=delta-table] tbody tr", (rows) => rows.map((r) => (r as HTMLElement).dataset.programme));
    expect(deltaRows).toEqual(["wubao"]);
    expect(new URL(page.url()).searchParams.get("p")).toBe("wubao-480");
    await screenshot(page, "sandbox-preset-wubao");
    await page.close();
  });

  test("editing a parameter recomputes, marks it changed, and resets to the value in force", async () => {
    const page = await open();
    await openGroup(page, "wubao");
    await page.fill(fieldOf(wubao), "500");
    await idle(page);
    expect(await page.inputValue(sliderOf(wubao))).toBe("500");
    expect(await page.getAttribute(`.param[data-param="${wubao}"]`, "class")).toContain("changed");
    expect(new URL(page.url()).searchParams.get(wubao)).toBe("500");
    expectSameNumbers(await shownTotals(page), await nodeTotals({...baselineScenario("方案 1"), overrides: {[wubao]: 500}}));
    // A share is edited in percent and stored as a share.
    await openGroup(page, "dibao_urban");
    await page.fill(fieldOf("assumption.takeup.dibao_urban"), "95");
    await idle(page);
    expect(new URL(page.url()).searchParams.get("assumption.takeup.dibao_urban")).toBe("0.95");
    expectSameNumbers(await shownTotals(page), await nodeTotals({...baselineScenario("方案 1"), overrides: {[wubao]: 500, "assumption.takeup.dibao_urban": 0.95}}));
    await page.click(`.param[data-param="${wubao}"] .param-reset`);
    await page.click(`.param[data-param="assumption.takeup.dibao_urban"] .param-reset`);
    await idle(page);
    expect(await page.inputValue(fieldOf(wubao))).toBe("480");
    expect(await page.textContent("[data-testid=delta-none]")).toContain("与基线相同");
    await page.close();
  });

  test("a slider works from the keyboard, and every recompute is timed", async () => {
    const page = await open();
    await openGroup(page, "wubao");
    await page.focus(sliderOf(wubao));
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press("ArrowRight");
      await idle(page);
    }
    expect(Number(await page.inputValue(fieldOf(wubao)))).toBe(480 + 30 * 10);
    expectSameNumbers(await shownTotals(page), await nodeTotals({...baselineScenario("方案 1"), overrides: {[wubao]: 780}}));
    const t = await page.evaluate(() => ({recompute: window.__dpfSandbox!.recomputeMs, render: window.__dpfSandbox!.renderMs, views: window.__dpfSandbox!.viewMs}));
    expect(t.recompute.length).toBeGreaterThanOrEqual(30);
    const p = (list: number[], q: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))]!;
    const steps = t.recompute.slice(-30);
    const renders = t.render.slice(-30);
    console.log(
      `sandbox timings over 30 slider steps: recompute median ${p(steps, 0.5).toFixed(1)} ms, p95 ${p(steps, 0.95).toFixed(1)} ms; render median ${p(renders, 0.5).toFixed(1)} ms, p95 ${p(renders, 0.95).toFixed(1)} ms; views ${JSON.stringify(Object.fromEntries(Object.entries(t.views).map(([k, v]) => [k, Math.round(v * 10) / 10])))}`,
    );
    await page.close();
  });

  test("the budget cap funds no more than the cap each year, as the Node engine does, with the communities left uncovered", async () => {
    const page = await open();
    await page.fill("[data-testid=cap-input]", "60");
    await idle(page);
    expect(new URL(page.url()).searchParams.get("cap")).toBe("600000");
    const expected = await budgetCap(db, {...baselineScenario("方案 1"), cap: {yuanPerYear: 600_000}}, {model});
    for (const year of [2026, 2030]) {
      await page.selectOption("[data-testid=cap-year]", String(year));
      const summary = page.locator(`[data-testid=cap-summary][data-year="${year}"]`);
      const funded = Number(await summary.getAttribute("data-funded"));
      const unfunded = Number(await summary.getAttribute("data-unfunded"));
      const want = expected.find((y) => y.year === year)!;
      expect(funded).toBeLessThanOrEqual(600_000);
      expect(funded).toBeCloseTo(want.funded_yuan, 3);
      expect(unfunded).toBeCloseTo(want.unfunded_yuan, 3);
    }
    expect(expected.find((y) => y.year === 2030)!.unfunded_yuan).toBeGreaterThan(0);
    // Communities left uncovered come first, with the people the cap leaves out.
    const first = await page.$eval("[data-testid=cap-units] tbody tr", (r) => Number((r.querySelector("[data-field=uncovered]") as HTMLElement).dataset.value));
    expect(first).toBeGreaterThan(0);
    await screenshot(page, "sandbox-cap");
    await page.close();
  });

  test("sensitivity draws the 2030 total's tornado, longest bar first, with its table", async () => {
    const page = await open();
    await page.waitForSelector("[data-testid=tornado] svg");
    const swings = await page.$$eval("[data-testid=tornado-table] tbody tr", (rows) => rows.map((r) => Number((r as HTMLElement).dataset.swing)));
    expect(swings.length).toBeGreaterThanOrEqual(8);
    expect(swings).toEqual([...swings].sort((a, b) => b - a));
    expect(swings[0]).toBeGreaterThan(0);
    expect(await page.$$eval("[data-testid=tornado] svg rect", (r) => r.length)).toBeGreaterThanOrEqual(2 * swings.length);
    expect(await page.textContent("[data-testid=tornado] figcaption")).toContain("2030 年合计");
    await page.close();
  });

  test("compares two scenarios side by side: duplicate, rename, change the copy", async () => {
    const page = await open();
    await page.click("[data-testid=slot-duplicate]");
    await page.fill("[data-testid=slot-name]", "提高五保");
    await page.click("[data-preset=wubao-480]");
    await idle(page);
    const header = await page.$$eval("[data-testid=compare-table] thead th", (ths) => ths.map((t) => t.textContent));
    expect(header).toContain("1. 方案 1：合计");
    expect(header).toContain("2. 提高五保：合计");
    const rows = await page.$$eval("[data-testid=compare-table] tbody tr", (rows) =>
      rows.map((r) => [0, 1].map((i) => Number((r.querySelector(`[data-field=delta-${i}]`) as HTMLElement).dataset.value))),
    );
    const expected = await nodeTotals({...baselineScenario("提高五保"), presets: ["wubao-480"]});
    rows.forEach(([first, second], i) => {
      expect(first).toBe(0);
      expect(second).toBeCloseTo(expected[i]!.delta, 3);
    });
    // Back on the first slot, the page shows the first scenario again; the copy can be removed.
    await page.check("[data-slot='0']");
    await idle(page);
    expect(await page.getAttribute("[data-preset=wubao-480]", "aria-pressed")).toBe("false");
    await page.check("[data-slot='1']");
    await page.click("[data-testid=slot-remove]");
    await idle(page);
    expect(await page.$$eval("[data-slot]", (s) => s.length)).toBe(1);
    await page.close();
  });

  test("the URL restores the scenario exactly on reload and in a new tab", async () => {
    const page = await open();
    await page.click("[data-preset=care-points-60]");
    await openGroup(page, "wubao");
    await page.fill(fieldOf(wubao), "512.5");
    await page.fill("[data-testid=cap-input]", "80");
    await page.fill("[data-testid=slot-name]", "分享的方案");
    await idle(page);
    const url = page.url();
    const scenario = await page.evaluate(() => window.location.search);
    const before = await shownTotals(page);
    await page.reload();
    await page.waitForSelector("[data-testid=totals-table]");
    await idle(page);
    expect(page.url()).toBe(url);
    expect(await page.evaluate(() => window.location.search)).toBe(scenario);
    expectSameNumbers(await shownTotals(page), before, 1e-12);
    expect(await page.getAttribute("[data-preset=care-points-60]", "aria-pressed")).toBe("true");
    expect(await page.inputValue(fieldOf(wubao))).toBe("512.5");
    expect(await page.inputValue("[data-testid=cap-input]")).toBe("80");
    expect(await page.inputValue("[data-testid=slot-name]")).toBe("分享的方案");
    await page.close();
    const fresh = await open(url.slice(site.url.length));
    expectSameNumbers(await shownTotals(fresh), before, 1e-12);
    expectSameNumbers(before, await nodeTotals({...baselineScenario("分享的方案"), presets: ["care-points-60"], overrides: {[wubao]: 512.5}, cap: {yuanPerYear: 800_000}}));
    await fresh.close();
  });

  test("a broken link opens the baseline and says why in Chinese", async () => {
    const page = await open("sandbox?v=1&b=2025&y=2026-2030&subsidy.wubao.monthly=abc");
    expect(await page.textContent("[data-testid=scenario-notes]")).toContain("网址中的方案无法读取");
    expect(await page.textContent("[data-testid=scenario-notes]")).toContain("不是数字");
    expect(await page.textContent("[data-testid=delta-none]")).toContain("与基线相同");
    await page.close();
  });

  test("downloads the scenario as JSON and uploads it back; bad and old files get a Chinese message", async () => {
    const page = await open();
    await page.click("[data-preset=dibao-urban-450]");
    await page.fill("[data-testid=slot-name]", "城市低保提高");
    await idle(page);
    const totals = await shownTotals(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=scenario-download]")]);
    expect(download.suggestedFilename()).toBe("预算方案-城市低保提高.json");
    const file = join(scratch, "scenario.json");
    await download.saveAs(file);
    const {scenario} = scenarioFromJson(readFileSync(file, "utf8"));
    expect(scenario).toEqual({...baselineScenario("城市低保提高"), presets: ["dibao-urban-450"]});

    await page.click("[data-testid=slot-reset]");
    await idle(page);
    expect(await page.textContent("[data-testid=delta-none]")).toContain("与基线相同");
    await page.setInputFiles("[data-testid=scenario-upload]", file);
    await page.waitForSelector("[data-testid=file-loaded]");
    await idle(page);
    expectSameNumbers(await shownTotals(page), totals, 1e-12);
    expect(await page.getAttribute("[data-preset=dibao-urban-450]", "aria-pressed")).toBe("true");

    const bad: [string, string, string][] = [
      ["not-json.json", "这不是方案", "文件不是有效的 JSON"],
      ["newer.json", scenarioToJson(scenario).replace('"version": 1', '"version": 2'), "更新版本的沙盘"],
      ["old.json", scenarioToJson(scenario).replace('"version": 1', '"version": 0'), "过旧，无法自动升级"],
    ];
    for (const [name, text, message] of bad) {
      writeFileSync(join(scratch, name), text);
      await page.setInputFiles("[data-testid=scenario-upload]", join(scratch, name));
      await expect.poll(() => page.textContent("[data-testid=file-messages]")).toContain(message);
      expect(await page.textContent("[data-testid=file-error]")).toContain("当前方案未改变");
      expectSameNumbers(await shownTotals(page), totals, 1e-12);
    }
    // A file naming a parameter this version does not know opens, and the note says so.
    writeFileSync(join(scratch, "unknown.json"), JSON.stringify({...scenario, overrides: {"subsidy.gone.monthly": 1}}));
    await page.setInputFiles("[data-testid=scenario-upload]", join(scratch, "unknown.json"));
    await page.waitForSelector("[data-testid=file-notes]");
    expect(await page.textContent("[data-testid=file-notes]")).toContain("本页不认识参数 subsidy.gone.monthly");
    await screenshot(page, "sandbox-file");
    await page.close();
  });

  test("shows a programme's formula with the parameter values and their sources", async () => {
    const page = await open("sandbox?v=1&n=x&b=2025&y=2026-2030&p=wubao-480");
    await page.click("[data-testid=programme-table] [data-explain=wubao]");
    await page.waitForSelector("[data-testid=explain-text]");
    await idle(page);
    expect(await page.textContent("[data-testid=explain-text]")).toContain("月标准 610 元");
    const cost = Number(await page.getAttribute("[data-testid=explain-figures]", "data-cost"));
    const row = Number(await page.getAttribute("[data-testid=programme-table] tr[data-programme=wubao] [data-field=cost]", "data-value"));
    expect(cost).toBeCloseTo(row, 6);
    const explainText = await page.textContent("[data-testid=explain]");
    expect(explainText).toContain("本方案设定");
    expect(explainText).toContain("来源文件");
    expect(explainText).toContain("各级金额 = 方案成本 × 分担比例");
    await screenshot(page, "sandbox-explain");
    await page.close();
  });
});
