/**
 * Office workbooks (tests/fixtures/office: the forms a district or county office keeps) on the built site's
 * import page in Chromium: each imports with the same true totals as in Node, the mapping step lists every
 * column with its suggested field, a changed mapping re-reads the file and is remembered for the next upload,
 * and a count-only city, once used, is what the gap page shows. No request leaves the page.
 */
import {mkdirSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {officeCorpus, type OfficeCase} from "../fixtures/office/corpus.js";
import {openSite, screenshot, visit, type Site, type Visit} from "./harness.js";

let site: Site;
let corpus: OfficeCase[];
const visits: Visit[] = [];
const scratch = join(import.meta.dirname, "..", "..", "tmp", "browser-office");

beforeAll(async () => {
  site = await openSite();
  corpus = await officeCorpus();
  mkdirSync(scratch, {recursive: true});
}, 120_000);
afterAll(async () => {
  expect(visits.flatMap((v) => v.externalRequests)).toEqual([]);
  expect(visits.flatMap((v) => v.consoleErrors)).toEqual([]);
  await site?.close();
  rmSync(scratch, {recursive: true, force: true});
});

function filesOf(c: OfficeCase): string[] {
  const dir = join(scratch, c.id);
  mkdirSync(dir, {recursive: true});
  return c.files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.bytes);
    return path;
  });
}

async function open(): Promise<Page> {
  const v = await visit(site, "import", {waitFor: "[data-testid=file-input]"});
  visits.push(v);
  return v.page;
}

async function shown(page: Page): Promise<{communities: number; residents: number; persons: number}> {
  const summary = await page.waitForSelector("[data-testid=office-summary]", {timeout: 60_000});
  const n = async (k: string) => Number(await summary.getAttribute(`data-${k}`));
  return {communities: await n("communities"), residents: await n("residents"), persons: await n("persons")};
}

describe("office workbooks on the import page", () => {
  test.each(["a", "c", "e", "h", "i", "l", "p"])("case %s imports with its true totals", async (letter) => {
    const c = corpus.find((x) => x.id.startsWith(`${letter}-`))!;
    const page = await open();
    await page.setInputFiles("[data-testid=file-input]", filesOf(c));
    expect(await shown(page)).toEqual({communities: c.truth.communities, residents: c.truth.residents, persons: c.truth.persons.total});
    // Every column is listed in the mapping step (an indicator-per-row form: every indicator row).
    const mapped = await page.$$eval("[data-testid=mapping] select", (ss) => ss.map((s) => (s as HTMLSelectElement).value));
    expect(mapped.length).toBeGreaterThan(3);
    if (letter === "a") await screenshot(page, "import-office-form");
    await page.close();
  }, 120_000);

  test("a changed mapping re-reads the file and is remembered for the next upload of the same layout", async () => {
    const c = corpus.find((x) => x.id.startsWith("b-"))!;
    const page = await open();
    await page.setInputFiles("[data-testid=file-input]", filesOf(c));
    const before = await shown(page);
    expect(before.residents).toBe(c.truth.residents);
    // The planner says 常住人口 is not to be imported: residents drop to 0, the change answers at once.
    const select = page.locator('[data-testid=mapping] select[data-header="常住人口"]');
    await select.selectOption("");
    const row = page.locator("[data-testid=mapping] tr", {has: page.locator('select[data-header="常住人口"]')});
    await expect.poll(() => row.locator("[data-testid=mapping-check]").textContent()).toContain("不导入");
    await page.click("[data-testid=apply-mapping]");
    await expect.poll(async () => (await shown(page)).residents).toBe(0);
    expect((await shown(page)).communities).toBe(before.communities);
    // Uploaded again: the remembered choice applies, marked as the planner's.
    await page.setInputFiles("[data-testid=file-input]", filesOf(c));
    await expect.poll(async () => (await shown(page)).residents).toBe(0);
    expect(await page.locator('[data-testid=mapping] tr[data-confidence="planner"]').count()).toBeGreaterThan(0);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  }, 120_000);

  test("an indicator-per-row form's indicator rows are mapped on the page, the change re-reads every form and is remembered", async () => {
    const c = corpus.find((x) => x.id.startsWith("i-"))!;
    const page = await open();
    await page.setInputFiles("[data-testid=file-input]", filesOf(c));
    expect(await shown(page)).toEqual({communities: c.truth.communities, residents: c.truth.residents, persons: c.truth.persons.total});
    // One table for the seven forms of one layout, a row per indicator with its suggested field.
    expect(await page.locator("[data-testid=mapping] table").count()).toBe(1);
    expect(await page.locator('[data-testid=mapping] select[data-header="其中已建档案人数"]').inputValue()).toBe("archived");
    const select = page.locator('[data-testid=mapping] select[data-header="有康复需求人数"]');
    expect(await select.inputValue()).toBe("rehab_need");
    // The planner says 有康复需求人数 is not to be imported: the archive rate can no longer be computed.
    await select.selectOption("");
    await page.click("[data-testid=apply-mapping]");
    await expect.poll(async () => page.$$eval("[data-testid=unanswerable] li", (ls) => ls.map((l) => (l as HTMLElement).dataset.question)), {timeout: 60_000}).toContain("indicator:archive");
    expect(await shown(page)).toEqual({communities: c.truth.communities, residents: c.truth.residents, persons: c.truth.persons.total});
    // Uploaded again: remembered, marked as the planner's.
    await page.setInputFiles("[data-testid=file-input]", filesOf(c));
    await expect.poll(() => page.locator('[data-testid=mapping] tr[data-confidence="planner"] select[data-header="有康复需求人数"]').count(), {timeout: 60_000}).toBe(1);
    expect(await page.locator('[data-testid=mapping] select[data-header="有康复需求人数"]').inputValue()).toBe("");
    expect(await page.$$eval("[data-testid=unanswerable] li", (ls) => ls.map((l) => (l as HTMLElement).dataset.question))).toContain("indicator:archive");
    await page.evaluate(() => localStorage.clear());
    await page.close();
  }, 120_000);

  test("communities that left 有康复需求人数 blank read 未填报 on the gap page, out of the rate, and are counted", async () => {
    const lines = ["所属街道,社区名称,常住人口,持证残疾人数,已筛查人数,有康复需求人数,已建档人数"];
    const blank = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const left = i % 3 === 0;
      if (left) blank.add(`社区${i + 1}`);
      lines.push(`${i < 4 ? "东街道" : "西街道"},社区${i + 1},${5000 + i * 10},${100 + i},${80 + i},${left ? "" : 40 + i},${left ? "" : 30 + i}`);
    }
    const path = join(scratch, "未填报.csv");
    writeFileSync(path, lines.join("\r\n"));
    const page = await open();
    await page.setInputFiles("[data-testid=file-input]", [path]);
    expect((await shown(page)).communities).toBe(8);
    expect(await page.textContent("[data-testid=missing]")).toMatch(/未填报（空白，不按 0 计）：.*有康复需求人数 3 个/);
    await page.click("[data-testid=use]");
    await page.waitForSelector("[data-testid=saved]");
    const gaps = await visit(site, "gaps?indicator=archive&level=community&year=2026", {waitFor: "[data-first-result] .gap-table tbody tr", timeout: 60_000});
    visits.push(gaps);
    expect(await gaps.page.getAttribute("[data-source]", "data-source")).toBe("imported");
    const rows = await gaps.page.$$eval(".gap-table tbody tr", (trs) => trs.map((r) => ({name: r.querySelector("[data-col=unit_name]")?.textContent?.trim() ?? "", eligible: r.querySelector("[data-col=eligible]")?.textContent?.trim() ?? "", status: r.querySelector("[data-col=status]")?.textContent?.trim() ?? ""})));
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      if (blank.has(r.name)) expect(r, r.name).toMatchObject({eligible: "未填报", status: "未填报"});
      else expect(r.eligible, r.name).not.toBe("未填报");
    }
    expect(await gaps.page.getAttribute("[data-testid=gap-card-cost]", "data-not-reported")).toBe(String(blank.size));
    expect(await gaps.page.textContent("[data-testid=gap-card-cost]")).toContain(`${blank.size} 个社区未填报`);
    await gaps.page.close();
    await page.evaluate(() => new Promise((resolve) => (indexedDB.deleteDatabase("dpf-sandbox:/").onsuccess = resolve)));
    await page.close();
  }, 180_000);

  test("a workbook with mistakes keeps its good rows and says what is missing before it is used", async () => {
    const c = corpus.find((x) => x.id.startsWith("f-"))!;
    const page = await open();
    await page.setInputFiles("[data-testid=file-input]", filesOf(c));
    expect((await shown(page)).communities).toBe(c.truth.communities);
    const groups = await page.$$eval("[data-testid=problem-groups] li", (ls) => ls.map((l) => (l as HTMLElement).dataset.rule));
    for (const p of c.truth.problems) expect(groups).toContain(p.rule);
    expect(await page.textContent("[data-testid=missing]")).toContain(`${c.truth.rows.rejected} 行被拒绝`);
    await page.close();
  }, 120_000);

  test("a count-only city, used, is what the gap page and the sandbox explore", async () => {
    const c = corpus.find((x) => x.id.startsWith("a-"))!;
    const page = await open();
    await page.setInputFiles("[data-testid=file-input]", filesOf(c));
    await shown(page);
    // The form gives categories, screened and archived but no need: the archive rate cannot be computed, and the page says so.
    const questions = await page.$$eval("[data-testid=unanswerable] li", (ls) => ls.map((l) => (l as HTMLElement).dataset.question));
    expect(questions).toContain("indicator:archive");
    expect(questions).not.toContain("indicator:screening");
    await page.click("[data-testid=use]");
    await page.waitForSelector("[data-testid=saved]");
    // The stored city passes the city contract in the browser's DuckDB (the demo city's and the build's rules).
    const contract = await page.waitForSelector("[data-testid=contract]", {timeout: 60_000});
    expect(await contract.getAttribute("data-violations")).toBe("0");
    const gaps = await visit(site, "gaps?indicator=screening&level=street&year=2026", {waitFor: "[data-first-result] .gap-table tbody tr", timeout: 60_000});
    visits.push(gaps);
    expect(await gaps.page.getAttribute("[data-source]", "data-source")).toBe("imported");
    expect(Number(await gaps.page.getAttribute(".counts-note", "data-counts-persons"))).toBe(c.truth.persons.total);
    // The form's three streets, each with its screening rate.
    expect(await gaps.page.$$eval(".gap-table tbody tr", (trs) => trs.length)).toBe(c.truth.units.by_level.street);
    await screenshot(gaps.page, "import-office-gaps");
    const sandbox = await visit(site, "sandbox", {waitFor: "[data-first-result]", timeout: 60_000});
    visits.push(sandbox);
    expect(await sandbox.page.getAttribute("[data-source]", "data-source")).toBe("imported");
    await gaps.page.close();
    await sandbox.page.close();
    await page.evaluate(() => new Promise((resolve) => (indexedDB.deleteDatabase("dpf-sandbox:/").onsuccess = resolve)));
    await page.close();
  }, 180_000);
});
