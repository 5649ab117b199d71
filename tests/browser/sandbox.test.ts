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
import type {UnitRow} from "../../src/schemas/units.js";

let site: Site;
let db: NodeDuckDB;
let model: Model;
let units: UnitRow[];
const visits: (Visit & {path: string})[] = [];
const scratch = join(import.meta.dirname, "..", "..", "tmp", "browser-sandbox");

beforeAll(async () => {
  mkdirSync(scratch, {recursive: true});
  const [city] = await Promise.all([generateDemoCity(), openSite().then((s) => (site = s))]);
  units = city.units;
  db = await fixtureDb({units: city.units, persons: city.persons, parameters: loadParameters()});
  model = await prepareModel(db);
});
afterAll(async () => {
  // No page of the run logged an error or asked anything of another host.
  expect(visits.flatMap((v) => v.consoleErrors.map((e) => `${v.path}: ${e}`))).toEqual([]);
  expect(visits.flatMap((v) => v.externalRequests)).toEqual([]);
  db?.close();
  await site?.close();
  rmSync(scratch, {recursive: true, force: true});
});

/** Waits until every recompute and analysis of the edits so far is on the page. */
const idle = (page: Page) => page.evaluate(() => window.__dpfSandbox!.idle());

async function open(path = "sandbox"): Promise<Page> {
  // As on 覆盖缺口 and in the benchmark: the page marks its first result once it is drawn.
  const v = await visit(site, path, {waitFor: "[data-first-result] tbody tr", timeout: 120_000});
  visits.push({...v, path: `${expect.getState().currentTestName} (${path.slice(0, 60)})`});
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
    // The cap covers all programme costs, the committed baseline first: 60万 above the largest committed year.
    const uncapped = await budgetCap(db, baselineScenario("方案 1"), {capYuan: Number.MAX_VALUE, model});
    const wan = Math.ceil(Math.max(...uncapped.map((y) => y.committed_yuan)) / 10_000) + 60;
    const page = await open();
    await page.fill("[data-testid=cap-input]", String(wan));
    await idle(page);
    expect(new URL(page.url()).searchParams.get("cap")).toBe(String(wan * 10_000));
    const expected = await budgetCap(db, {...baselineScenario("方案 1"), cap: {yuanPerYear: wan * 10_000}}, {model});
    for (const year of [2026, 2030]) {
      await page.selectOption("[data-testid=cap-year]", String(year));
      const summary = page.locator(`[data-testid=cap-summary][data-year="${year}"]`);
      const funded = Number(await summary.getAttribute("data-funded"));
      const unfunded = Number(await summary.getAttribute("data-unfunded"));
      const want = expected.find((y) => y.year === year)!;
      expect(funded).toBeGreaterThan(0);
      expect(funded).toBeLessThanOrEqual(want.room_yuan);
      expect(want.committed_yuan + funded).toBeLessThanOrEqual(wan * 10_000);
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

  test("while a parameter is edited the first and last year's totals stay in view, as the totals table has them", async () => {
    const page = await open();
    await page.setViewportSize({width: 1366, height: 768});
    await openGroup(page, "wubao");
    await page.locator(fieldOf(wubao)).scrollIntoViewIfNeeded();
    await page.fill(fieldOf(wubao), "600");
    await idle(page);
    const bar = page.locator("[data-testid=summary-bar]");
    await bar.waitFor({state: "visible"});
    // In the window, at its foot, while the field being edited is in view too.
    const box = (await bar.boundingBox())!;
    const field = (await page.locator(fieldOf(wubao)).boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(768 + 1);
    expect(field.y + field.height).toBeLessThanOrEqual(box.y);
    const shown = await bar.locator("[data-year]").evaluateAll((spans) => spans.map((s) => ({year: Number((s as HTMLElement).dataset.year), cost: Number((s as HTMLElement).dataset.value), delta: Number((s as HTMLElement).dataset.delta)})));
    const totals = await shownTotals(page);
    expect(shown).toEqual([totals[0], totals.at(-1)].map((t) => ({year: t!.year, cost: t!.cost, delta: t!.delta})));
    expect(shown[0]!.delta).toBeGreaterThan(0);
    expect(await bar.textContent()).toMatch(/2026 年 ¥[\d.,]+[万亿]?（比基线 \+¥/);
    // At the totals table itself the bar steps aside.
    await page.click("[data-testid=summary-bar-jump]");
    await bar.waitFor({state: "hidden"});
    await page.close();
  });

  test("a preset that replaces a value the planner typed says so, and undo brings the typed value back", async () => {
    const page = await open();
    await openGroup(page, "wubao");
    await page.fill(fieldOf(wubao), "512.5");
    await idle(page);
    const typed = await shownTotals(page);
    await page.click("[data-preset=wubao-480]");
    await idle(page);
    const note = page.locator("[data-testid=preset-replaced]");
    expect(await note.textContent()).toMatch(/^已套用「.+」：您为农村五保供养标准（2026年起 512\.5 元\/人·月）填写的值已由预设值替换。撤销/);
    expect(await page.inputValue(fieldOf(wubao))).not.toBe("512.5");
    await page.click("[data-testid=preset-undo]");
    await idle(page);
    expect(await page.inputValue(fieldOf(wubao))).toBe("512.5");
    expect(await page.getAttribute("[data-preset=wubao-480]", "aria-pressed")).toBe("false");
    expectSameNumbers(await shownTotals(page), typed, 1e-12);
    expect(await note.textContent()).toBe("");
    // A preset that replaces nothing says nothing.
    await page.click("[data-preset=care-points-60]");
    await idle(page);
    expect(await note.textContent()).toBe("");
    await page.close();
  });

  test("copies the share link with one click", async () => {
    await site.context.grantPermissions(["clipboard-read", "clipboard-write"], {origin: new URL(site.url).origin});
    const page = await open();
    await page.fill("[data-testid=slot-name]", "复制的方案");
    await idle(page);
    await page.click("[data-testid=scenario-link-copy]");
    await expect.poll(() => page.textContent("[data-testid=scenario-link-status]")).toBe("已复制。");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.inputValue("[data-testid=scenario-link]"));
    // One scenario: no second link for "only the edited one".
    expect(await page.locator("[data-testid=scenario-link-one]").isVisible()).toBe(false);
    await page.close();
  });

  test("a broken link opens the baseline and says why in Chinese", async () => {
    const page = await open("sandbox?v=1&b=2025&y=2026-2030&subsidy.wubao.monthly=abc");
    expect(await page.textContent("[data-testid=scenario-notes]")).toContain("网址中的方案无法读取");
    expect(await page.textContent("[data-testid=scenario-notes]")).toContain("不是数字");
    expect(await page.textContent("[data-testid=delta-none]")).toContain("与基线相同");
    await page.close();
  });

  test("refuses a value outside its parameter's bounds in Chinese, typed, linked or uploaded, and computes nothing with it", async () => {
    // A link: ¥1e308 a month for 五保 and a target year of 99999.
    const linked = await open("sandbox?v=1&b=2025&y=2026-2030&subsidy.wubao.monthly=1e308&assumption.coverage.target_year=99999");
    const notes = await linked.textContent("[data-testid=scenario-notes]");
    expect(notes).toContain("网址中的方案无法读取");
    expect(notes).toContain("参数「农村五保供养标准」的值 1e+308 元/人·月 超出允许范围");
    expect(notes).toContain("参数「目标达成年份」的值 99999 年 超出允许范围（2026 年 至 2035 年的整数）");
    expect(await linked.textContent("[data-testid=delta-none]")).toContain("与基线相同");
    await linked.close();

    const page = await open();
    const totals = await shownTotals(page);
    // Typed: a negative take-up rate is refused beside its field; the scenario and the URL keep the value in force.
    await openGroup(page, "dibao_urban");
    await page.fill(fieldOf("assumption.takeup.dibao_urban"), "-50");
    await idle(page);
    expect(await page.textContent('[data-param-error="assumption.takeup.dibao_urban"]')).toBe("参数「城市低保应保对象享受比例」的值 −50% 超出允许范围（0% 至 100%），未采用。");
    expect(await page.getAttribute(fieldOf("assumption.takeup.dibao_urban"), "aria-invalid")).toBe("true");
    expect(new URL(page.url()).searchParams.has("assumption.takeup.dibao_urban")).toBe(false);
    expectSameNumbers(await shownTotals(page), totals, 1e-12);
    // A value within the bounds clears the reason and is computed.
    await page.fill(fieldOf("assumption.takeup.dibao_urban"), "90");
    await idle(page);
    expect(await page.textContent('[data-param-error="assumption.takeup.dibao_urban"]')).toBe("");
    expect(new URL(page.url()).searchParams.get("assumption.takeup.dibao_urban")).toBe("0.9");
    // A budget cap above ¥1万亿 (in 万元).
    await page.fill("[data-testid=cap-input]", "200000000");
    expect(await page.textContent("[data-testid=cap-error]")).toContain("预算上限的值");
    expect(new URL(page.url()).searchParams.has("cap")).toBe(false);
    // Uploaded: a file with a negative price index.
    writeFileSync(join(scratch, "negative-price.json"), scenarioToJson({...baselineScenario("负价格"), overrides: {"assumption.price.index_rate": -2}}));
    await page.setInputFiles("[data-testid=scenario-upload]", join(scratch, "negative-price.json"));
    await expect.poll(() => page.textContent("[data-testid=file-messages]")).toContain("参数「价格指数年增长率」的值 −200%/年 超出允许范围（−50%/年 至 100%/年），未采用。");
    expect(await page.textContent("[data-testid=file-error]")).toContain("当前方案未改变");
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
    expect(explainText).toContain("来源《社区民政残联工作计划范例（6 篇）》");
    expect(explainText).toContain("各级金额 = 方案成本 × 分担比例");
    await screenshot(page, "sandbox-explain");
    await page.close();
  });

  test("marks its first result (the totals table) with data-first-result, once", async () => {
    const page = await open();
    const marked = await page.$$eval("[data-first-result]", (els) => els.map((e) => e.querySelector("[data-testid=totals-table]") !== null));
    expect(marked).toEqual([true]);
    await page.close();
  });

  test("reports nobody newly covered where a scenario changes no coverage, as the Node engine does (no rounding noise)", async () => {
    const page = await open();
    // Presets one after another, as a planner clicks them: the sequence that left 1e-14 people newly covered.
    for (const preset of ["care-points-60", "rehab-funding-0-50", "wubao-480"]) {
      await page.click(`[data-preset=${preset}]`);
      await idle(page);
    }
    await page.selectOption("#programme-year", "2026");
    const scenario = {...baselineScenario("方案 1"), presets: ["care-points-60", "rehab-funding-0-50", "wubao-480"]};
    const node = (await runScenario(db, scenario, {model})).rows.filter((r) => r.level === "total" && r.year === 2026);
    const shown = await page.$$eval("[data-testid=programme-table] tbody tr", (rows) =>
      rows.map((r) => ({
        programme: (r as HTMLElement).dataset.programme!,
        newly: Number((r.querySelector("[data-field=newly_covered]") as HTMLElement).dataset.value),
        perNewly: (r.querySelector("[data-field=cost_per_newly_covered]") as HTMLElement).textContent,
      })),
    );
    expect(shown.map((r) => r.programme)).toEqual(node.map((r) => r.programme));
    for (const row of shown) {
      const want = node.find((r) => r.programme === row.programme)!;
      expect(row.newly, row.programme).toBeCloseTo(want.newly_covered, 6);
      // A programme with nobody newly covered shows exactly 0 and no cost per person newly covered.
      if (want.newly_covered === 0) {
        expect(row.newly, row.programme).toBe(0);
        expect(row.perNewly, row.programme).toBe("—");
      }
    }
    // The 五保 raise covers no one new; the care points preset does.
    expect(shown.find((r) => r.programme === "wubao")!.newly).toBe(0);
    expect(node.some((r) => r.newly_covered > 0)).toBe(true);
    await page.close();
  });

  test("keeps every slot, and which one is edited, in the URL: reload and a new tab show the same comparison", async () => {
    const page = await open();
    await page.click("[data-testid=slot-duplicate]");
    await page.fill("[data-testid=slot-name]", "提高五保");
    await page.click("[data-preset=wubao-480]");
    await idle(page);
    await page.click("[data-testid=slot-duplicate]");
    await page.fill("[data-testid=slot-name]", "城市低保");
    await page.click("[data-preset=wubao-480]");
    await page.click("[data-preset=dibao-urban-450]");
    await idle(page);
    await page.check("[data-slot='1']");
    await idle(page);
    const q = new URL(page.url()).searchParams;
    expect(q.get("slot")).toBe("2");
    expect(q.get("n")).toBe("提高五保");
    expect(new URLSearchParams(q.get("s1")!).get("n")).toBe("方案 1");
    expect(new URLSearchParams(q.get("s3")!).get("p")).toBe("dibao-urban-450");
    const compare = (p: Page) =>
      p.$$eval("[data-testid=compare-table] tbody tr", (rows) =>
        rows.map((r) => Object.fromEntries([0, 1, 2].map((i) => [`delta${i}`, Number((r.querySelector(`[data-field=delta-${i}]`) as HTMLElement).dataset.value)]))),
      );
    const before = await compare(page);
    const expected = await Promise.all(
      [baselineScenario("方案 1"), {...baselineScenario("提高五保"), presets: ["wubao-480"]}, {...baselineScenario("城市低保"), presets: ["dibao-urban-450"]}].map(nodeTotals),
    );
    expectSameNumbers(
      before,
      expected[0]!.map((_, y) => ({delta0: expected[0]![y]!.delta, delta1: expected[1]![y]!.delta, delta2: expected[2]![y]!.delta})),
    );
    const url = page.url();
    await page.reload();
    await page.waitForSelector("[data-first-result] tbody tr");
    await idle(page);
    expect(page.url()).toBe(url);
    expect(await page.$$eval("[data-slot]", (s) => s.map((x) => x.nextElementSibling!.textContent))).toEqual(["1. 方案 1", "2. 提高五保", "3. 城市低保"]);
    expect(await page.isChecked("[data-slot='1']")).toBe(true);
    expect(await page.getAttribute("[data-preset=wubao-480]", "aria-pressed")).toBe("true");
    expect(await page.getAttribute("[data-preset=dibao-urban-450]", "aria-pressed")).toBe("false");
    expectSameNumbers(await compare(page), before, 1e-12);
    await screenshot(page, "sandbox-three-slots");
    await page.close();
    const fresh = await open(url.slice(site.url.length));
    expect(await fresh.$$eval("[data-slot]", (s) => s.length)).toBe(3);
    expect(await fresh.isChecked("[data-slot='1']")).toBe(true);
    expectSameNumbers(await compare(fresh), before, 1e-12);
    await fresh.close();
  });

  test("opens a link made before slots were in the URL as one slot", async () => {
    // A one-scenario link as pages shared it before: the scenario's own keys and nothing else.
    const page = await open("sandbox?v=1&n=%E6%97%A7%E9%93%BE%E6%8E%A5&b=2025&y=2026-2030&p=wubao-480&subsidy.wubao.monthly=2027-01-01*500");
    expect(await page.$$eval("[data-slot]", (s) => s.length)).toBe(1);
    expect(await page.inputValue("[data-testid=slot-name]")).toBe("旧链接");
    expect(await page.textContent("[data-testid=scenario-notes]")).not.toContain("无法读取");
    expectSameNumbers(await shownTotals(page), await nodeTotals({...baselineScenario("旧链接"), presets: ["wubao-480"], overrides: {[wubao]: [{date: "2027-01-01", value: 500}]}}));
    await page.close();
  });

  test("downloads every slot as one JSON file and uploads it back in place of the slots", async () => {
    const page = await open();
    await page.click("[data-testid=slot-duplicate]");
    await page.fill("[data-testid=slot-name]", "照护服务点");
    await page.click("[data-preset=care-points-60]");
    await idle(page);
    const url = page.url();
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=slots-download]")]);
    expect(download.suggestedFilename()).toBe("预算方案-全部-方案 1、照护服务点.json");
    const file = join(scratch, "slots.json");
    await download.saveAs(file);
    const saved = JSON.parse(readFileSync(file, "utf8")) as {format: string; active: number; scenarios: unknown[]};
    expect(saved.format).toBe("dpf-sandbox-scenarios");
    expect(saved.active).toBe(1);
    // Each scenario in it is a scenario file as the CLI reads it.
    expect(saved.scenarios.map((s) => scenarioFromJson(JSON.stringify(s)).scenario)).toEqual([baselineScenario("方案 1"), {...baselineScenario("照护服务点"), presets: ["care-points-60"]}]);
    await page.click("[data-testid=slot-remove]");
    await idle(page);
    expect(await page.$$eval("[data-slot]", (s) => s.length)).toBe(1);
    await page.setInputFiles("[data-testid=scenario-upload]", file);
    await page.waitForSelector("[data-testid=file-loaded]");
    await idle(page);
    expect(await page.textContent("[data-testid=file-loaded]")).toContain("2 个方案替换了页面上的全部方案");
    expect(page.url()).toBe(url);
    expect(await page.$$eval("[data-slot]", (s) => s.length)).toBe(2);
    await page.close();
  });

  test("sets a parameter's value from a chosen year: 五保 520 from 2028, in the 出处 panel, the formula, the URL and a reload", async () => {
    const page = await open();
    await openGroup(page, "wubao");
    const row = page.locator(`.param[data-param="${wubao}"]`);
    await row.locator(".param-source > summary").click();
    await row.locator(`[data-dated-year="${wubao}"]`).selectOption("2028-01-01");
    await row.locator(`[data-dated-new="${wubao}"]`).fill("520");
    await row.locator(`[data-dated-add="${wubao}"]`).click();
    await idle(page);
    expect(new URL(page.url()).searchParams.get(wubao)).toBe("2028-01-01*520");
    const scenario = {...baselineScenario("方案 1"), overrides: {[wubao]: [{date: "2028-01-01", value: 520}]}};
    const expected = await nodeTotals(scenario);
    // Before 2028 the standard in force (480) holds; from 2028 on 40 yuan a month more.
    expect(expected.map((t) => t.delta > 0)).toEqual([false, false, true, true, true]);
    expectSameNumbers(await shownTotals(page), expected);
    expect(await row.locator(".param-status").textContent()).toBe("分段设定：2028 年起 520 元/人·月");
    expect(await page.inputValue(fieldOf(wubao))).toBe("480");
    const sources = await row.locator(".param-sources").textContent();
    expect(sources).toContain("2028-01-01 起：520 元/人·月");
    expect(sources).toContain("本方案设定");
    expect(sources).toContain("農村五保供養標準再次提高");
    await screenshot(page, "sandbox-dated");

    // The formula of 2028 uses 520 and says it is the scenario's; 2027 keeps the standard in force.
    await page.selectOption("#programme-year", "2028");
    await page.click("[data-testid=programme-table] [data-explain=wubao]");
    await page.waitForSelector("[data-testid=explain-text]");
    await idle(page);
    expect(await page.textContent("[data-testid=explain-text]")).toContain("月标准 520 元");
    const term = page.locator(`[data-testid=explain] tr[data-param="${wubao}"]`).first();
    expect(await term.textContent()).toContain("2028-01-01 起 520 元/人·月：本方案设定");
    expect(await term.getAttribute("class")).toBe("changed");

    // A second dated value, an edit and a removal, each recomputed as the Node engine does.
    await row.locator(`[data-dated-year="${wubao}"]`).selectOption("2030-01-01");
    await row.locator(`[data-dated-new="${wubao}"]`).fill("600");
    await row.locator(`[data-dated-add="${wubao}"]`).click();
    await idle(page);
    await row.locator('[data-dated-value="2028-01-01"]').fill("510");
    await row.locator('[data-dated-value="2028-01-01"]').press("Enter");
    await row.locator('[data-dated-value="2028-01-01"]').blur();
    await idle(page);
    expect(new URL(page.url()).searchParams.get(wubao)).toBe("2028-01-01*510*2030-01-01*600");
    const two = {...baselineScenario("方案 1"), overrides: {[wubao]: [{date: "2028-01-01", value: 510}, {date: "2030-01-01", value: 600}]}};
    expectSameNumbers(await shownTotals(page), await nodeTotals(two));

    await page.reload();
    await page.waitForSelector("[data-first-result] tbody tr");
    await idle(page);
    expectSameNumbers(await shownTotals(page), await nodeTotals(two));
    await openGroup(page, "wubao");
    expect(await page.locator(`.param[data-param="${wubao}"] [data-dated-value]`).evaluateAll((els) => els.map((e) => [e.getAttribute("data-dated-value"), (e as HTMLInputElement).value]))).toEqual([
      ["2028-01-01", "510"],
      ["2030-01-01", "600"],
    ]);
    // The JSON download carries the dated values too.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=scenario-download]")]);
    const file = join(scratch, "dated.json");
    await download.saveAs(file);
    expect(scenarioFromJson(readFileSync(file, "utf8")).scenario).toEqual(two);

    const again = page.locator(`.param[data-param="${wubao}"]`);
    await again.locator(".param-source > summary").click();
    await again.locator('[data-dated-remove="2028-01-01"]').click();
    await idle(page);
    await again.locator('[data-dated-remove="2030-01-01"]').click();
    await idle(page);
    expect(new URL(page.url()).searchParams.has(wubao)).toBe(false);
    expect(await page.textContent("[data-testid=delta-none]")).toContain("与基线相同");
    await page.close();
  });

  test("names the budget cap's communities, streets and districts as the units table does, codes beside", async () => {
    const page = await open();
    await page.fill("[data-testid=cap-input]", "60");
    await idle(page);
    const names = new Map(units.map((u) => [u.unit_code, u.unit_name]));
    const rows = await page.$$eval("[data-testid=cap-units] tbody tr", (trs) =>
      trs.map((r) => {
        const cell = (f: string) => r.querySelector(`[data-field=${f}]`) as HTMLElement;
        return {
          code: (r as HTMLElement).dataset.unit!,
          unit: cell("unit").textContent,
          street: cell("street").textContent,
          district: cell("district").textContent,
          districtTitle: cell("district").querySelector("span")!.title,
          codeCell: cell("code").textContent,
        };
      }),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const unit = units.find((u) => u.unit_code === r.code)!;
      expect(r.unit).toBe(unit.unit_name);
      expect(r.street).toBe(names.get(unit.street_code!));
      const district = units.find((u) => u.level === "district" && r.code.startsWith(u.unit_code))!;
      expect(r.district).toBe(district.unit_name);
      expect(r.districtTitle).toBe(`区县代码 ${district.unit_code}`);
      expect(r.codeCell).toBe(r.code);
      expect(r.district).not.toMatch(/^[0-9A-Za-z]+$/);
    }
    await screenshot(page, "sandbox-cap-names");
    await page.close();
  });
});
