import {afterAll, beforeAll, expect, test} from "vitest";
import {nationalIndicatorRows} from "../../loaders/reference/nationalIndicators.js";
import {openSite, screenshot, visit, type Site} from "./harness.js";

let site: Site;
beforeAll(async () => {
  site = await openSite();
});
afterAll(async () => site?.close());

test("the overview shows each national indicator as 2020 baseline → 2025 target → latest outturn, as the loader joins them, with its sources", async () => {
  const expected = nationalIndicatorRows();
  const {page, consoleErrors, externalRequests} = await visit(site, "", {waitFor: "[data-testid=national-indicators] tbody tr"});
  const shown = await page.$$eval("[data-testid=national-indicators] tbody tr", (trs) =>
    trs.map((tr) => {
      const cell = (field: string) => tr.querySelector(`[data-field="${field}"]`)?.textContent?.trim() ?? "";
      return {
        no: Number(cell("no")),
        indicator: cell("indicator_zh"),
        attribute: cell("attribute_zh"),
        baseline: cell("baseline_text"),
        target: cell("target_text"),
        outturn: cell("outturn_text"),
        later: cell("later_years_zh"),
        links: [...tr.querySelectorAll<HTMLAnchorElement>(".national-source a")].map((a) => ({href: a.href, text: a.textContent})),
        quotes: [...tr.querySelectorAll(".national-source q")].map((q) => q.textContent),
      };
    }),
  );
  expect(shown.map((r) => r.no)).toEqual(expected.map((r) => r.no));
  for (const [i, row] of expected.entries()) {
    const s = shown[i]!;
    expect({indicator: s.indicator, attribute: s.attribute, baseline: s.baseline, target: s.target}).toEqual({indicator: row.indicator_zh, attribute: row.attribute_zh, baseline: row.baseline_text, target: row.target_text});
    expect(s.outturn).toBe(`${row.outturn_text}（${row.outturn_period}）`);
    expect(s.links).toEqual([{href: row.plan_source, text: row.plan_source_title}, {href: row.outturn_source, text: row.outturn_source_title}]);
    expect(s.quotes).toEqual([row.plan_quote, row.outturn_quote]);
    // 2026–2030 reads the 2025 target: the cell names it as an assumption wherever there is a number.
    if (row.parameter_id) expect(s.later).toContain("假设");
  }
  expect(shown.find((r) => r.no === 9)).toMatchObject({attribute: "约束性", baseline: "80%", target: ">85%"});
  expect(await page.textContent("[data-testid=continued-targets]")).toMatch(/2026–2030 年为测算假设/);
  await screenshot(page, "overview-national");
  expect(consoleErrors).toEqual([]);
  expect(externalRequests).toEqual([]);
  await page.close();
});
