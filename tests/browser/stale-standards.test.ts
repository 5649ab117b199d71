/**
 * Standards last set before 2020 (可能已过时的标准) on the pages that use them: the sandbox marks each
 * beside its field and in its notes, and one click puts the cursor in the field for the planner's own
 * value, after which the mark goes; the briefing's appendix marks them too. The list is the Node
 * engine's (staleStandards over the committed parameters).
 */
import type {Page} from "playwright-core";
import {afterAll, beforeAll, expect, test} from "vitest";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {staleNoteZh, staleStandards} from "../../src/engine/staleStandards.js";
import {parameterSetFromRows} from "../../src/engine/scenarioParameters.js";
import {openSite, screenshot, visit, type Site, type Visit} from "./harness.js";

let site: Site;
const visits: Visit[] = [];
const expected = staleStandards(parameterSetFromRows(loadParameters()), "2026-01-01");

beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => {
  expect(visits.flatMap((v) => v.consoleErrors)).toEqual([]);
  expect(visits.flatMap((v) => v.externalRequests)).toEqual([]);
  await site?.close();
});

const idle = (page: Page) => page.evaluate(() => window.__dpfSandbox!.idle());

test("the sandbox marks each old standard beside its field and in its notes; one click readies the field, and the planner's value removes the mark", async () => {
  expect(expected.length).toBeGreaterThan(0);
  const v = await visit(site, "sandbox", {waitFor: "[data-first-result] tbody tr", timeout: 120_000});
  visits.push(v);
  const {page} = v;
  await idle(page);
  const marks = await page.$$eval(".param-stale[data-stale]", (els) => els.map((el) => [el.getAttribute("data-stale"), el.textContent]));
  // A parameter may appear under more than one programme; each appearance is marked.
  expect([...new Set(marks.map(([id]) => id))].sort()).toEqual(expected.map((s) => s.id).sort());
  for (const s of expected) for (const [id, text] of marks.filter(([id]) => id === s.id)) expect(text, id!).toContain(staleNoteZh(s.year));
  const notes = await page.textContent("[data-testid=scenario-notes]");
  for (const s of expected) expect(notes).toContain(`「${s.label_zh}」${staleNoteZh(s.year)}`);

  const wubao = "subsidy.wubao.monthly";
  const row = page.locator(`.param[data-param="${wubao}"]`).first();
  await row.locator("xpath=ancestor::details[contains(@class,'param-group')]").evaluate((d) => ((d as HTMLDetailsElement).open = true));
  await row.locator(`[data-stale-fill="${wubao}"]`).click();
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.dataset.param)).toBe(wubao);
  await page.keyboard.type("620");
  await idle(page);
  expect(await row.locator(`.param-stale[data-stale="${wubao}"]`).isHidden()).toBe(true);
  expect(await page.textContent("[data-testid=scenario-notes]")).not.toContain("农村五保供养标准」标准为");
  await screenshot(page, "sandbox-stale-standards");
  await page.close();
});

test("the briefing's appendix marks the old standards its baseline uses", async () => {
  const v = await visit(site, "briefings/example", {waitFor: "[data-table=parameters] tbody tr"});
  visits.push(v);
  const marked = await v.page.$$eval("[data-table=parameters] .param-stale[data-stale]", (els) => els.map((el) => [el.getAttribute("data-stale"), el.textContent]));
  // The first appendix is the baseline-like scenario's; each of its old standards is marked there.
  for (const s of expected) expect(marked, s.id).toContainEqual([s.id, staleNoteZh(s.year)]);
  await v.page.close();
});
