import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {join, relative, resolve} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {NodeDuckDB} from "../../loaders/duckdbNode.js";
import type {Manifest} from "../../loaders/publish/downloads.js";
import {readZip} from "../../loaders/publish/zip.js";
import type {BriefingData} from "../../src/schemas/briefingData.js";
import {personsSummaryCounts} from "../../src/schemas/personsSummary.js";
import {hostileNames, injectedElements, openSite, pagePath, sitePages, visit, type Site} from "./harness.js";
import {buildSiteFrom, type SiteBuild} from "./siteBuild.js";

/**
 * Privacy and hostile data in a build from a planner's real data: the whole site is built from a
 * non-synthetic fixture city (tests/fixtures/bad/hostile.csv: 9 units whose names are markup, a script
 * link, a formula and SQL; tests/fixtures/city/persons.csv: 24 persons) into its own folder, with its
 * own Framework cache. Every data file it would publish is read back (no person-level row, no count of
 * persons from 1 to T − 1 below city level), and every page is opened in Chromium: the hostile names
 * show as text and do nothing.
 */

const T = 5;
const root = resolve(".");
const cityFiles = [join(root, "tests", "fixtures", "bad", "hostile.csv"), join(root, "tests", "fixtures", "city", "persons.csv")];

/** Every count column of a person-level aggregate a table could carry. */
const countColumns = new Set<string>([...personsSummaryCounts, "eligible", "achieved_count", "missing", "gap_count"]);

type Row = Record<string, unknown>;
interface Table {
  file: string;
  columns: string[];
  rows: Row[];
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: "utf-8"}).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

/** The tables of a data file: Parquet, Arrow, CSV and JSON (arrays of rows, and briefing gap rows). */
async function tablesOf(file: string, db: NodeDuckDB): Promise<Table[]> {
  const sql = (path: string) => path.replaceAll("'", "''");
  if (file.endsWith(".parquet") || file.endsWith(".csv")) {
    const reader = file.endsWith(".csv") ? `read_csv('${sql(file)}', header = true, all_varchar = false)` : `read_parquet('${sql(file)}')`;
    const columns = (await db.query<{column_name: string}>(`DESCRIBE SELECT * FROM ${reader}`)).map((c) => c.column_name);
    return [{file, columns, rows: await db.query(`SELECT * FROM ${reader}`)}];
  }
  if (file.endsWith(".arrow")) {
    const table = tableFromIPC(readFileSync(file));
    return [{file, columns: table.schema.fields.map((f) => f.name), rows: table.toArray().map((r) => r.toJSON() as Row)}];
  }
  if (file.endsWith(".json")) {
    const data = JSON.parse(readFileSync(file, "utf-8")) as unknown;
    if (Array.isArray(data) && data.length && typeof data[0] === "object") return [{file, columns: Object.keys(data[0] as Row), rows: data as Row[]}];
    const briefing = data as Partial<BriefingData>;
    if (Array.isArray(briefing.gaps)) return briefing.gaps.filter((g) => g.level !== "city").map((g) => ({file: `${file} ${g.id}`, columns: Object.keys(g.rows[0] ?? {}), rows: g.rows as unknown as Row[]}));
  }
  return [];
}

let manifest: Manifest;
const tables: Table[] = [];
const published: string[] = [];

// One build for every describe below (a full site build is the slow part).
let build: SiteBuild;
let out = "";
beforeAll(async () => {
  build = await buildSiteFrom("real-city-build", {workbook: cityFiles, referenceDate: "2025-01-01"}, T);
  out = build.out;
  manifest = JSON.parse(readFileSync(join(out, "data", "downloads", "manifest.json"), "utf-8")) as Manifest;
  const db = await NodeDuckDB.open();
  try {
    for (const file of filesBelow(out).filter((f) => /\.(parquet|arrow|csv|json)$/.test(f))) {
      published.push(relative(out, file));
      tables.push(...(await tablesOf(file, db)));
    }
  } finally {
    db.close();
  }
}, 900_000);

afterAll(() => build?.remove());

describe("a site built from a real (non-synthetic) workbook", () => {
  test("is marked real in the manifest, with the small-cell rule applied and no person-level dataset", () => {
    expect(manifest.city.synthetic).toBe(false);
    expect(manifest.small_cell).toMatchObject({threshold: T, applied: true});
    expect(manifest.small_cell.rule.zh).toContain(`统一小数保护（阈值 T = ${T}）`);
    expect(manifest.datasets.map((d) => d.name)).not.toContain("persons");
    expect(existsSync(join(out, "data", "downloads", "persons.csv"))).toBe(false);
    const summary = manifest.datasets.find((d) => d.name === "persons_summary")!;
    expect(summary.synthetic).toBe(false);
    expect(summary.suppressed_rows).toBeGreaterThan(0);
    expect(summary.notes.join(" ")).toContain(`阈值 T = ${T}`);
  });

  test("publishes no person-level row in any data file (Parquet, Arrow, CSV, JSON) or in the downloads archive", () => {
    expect(published.length).toBeGreaterThan(10);
    const personLevel = tables.filter((t) => t.columns.includes("person_id") && t.rows.length > 0).map((t) => `${relative(out, t.file)}: ${t.rows.length} rows`);
    expect(personLevel).toEqual([]);
    const archive = readZip(readFileSync(join(out, "data", "downloads.zip")));
    expect([...archive.keys()].filter((name) => name.startsWith("persons."))).toEqual([]);
  });

  test("publishes no count of persons from 1 to T − 1 below city level", () => {
    const checked = tables.filter((t) => t.columns.some((c) => countColumns.has(c)) && (t.columns.includes("community_code") || t.columns.includes("unit_code")));
    const names = checked.map((t) => relative(out, t.file));
    for (const expected of ["data/downloads/persons_summary.parquet", "data/downloads/persons_summary.csv"]) expect(names).toContain(expected);
    expect(names.some((n) => /^_file\/briefings\/example\.[0-9a-f]+\.json /.test(n))).toBe(true);
    const small: string[] = [];
    for (const t of checked)
      for (const row of t.rows)
        for (const column of t.columns.filter((c) => countColumns.has(c))) {
          const value = row[column];
          if (typeof value === "number" && value > 0 && value < T) small.push(`${relative(out, t.file)} ${String(row.community_code ?? row.unit_code)} ${column}=${value}`);
        }
    expect(small).toEqual([]);
  });

  test("still publishes what is not about persons in full: figures, parameters and the units", () => {
    expect(manifest.datasets.find((d) => d.name === "figures")!.rows).toBeGreaterThan(100);
    expect(manifest.datasets.find((d) => d.name === "units")!.rows).toBe(9);
  });
});

describe("hostile unit names in the data files", () => {
  let site: Site;
  beforeAll(async () => {
    site = await openSite({dir: out});
  });
  afterAll(async () => site?.close());

  // Where a page lists the units by name, open it at the level that shows the hostile ones.
  const pagesShowingNames: Record<string, string> = {gaps: "gaps?level=community&indicator=screening"};

  for (const {name, path} of sitePages) {
    test(`${name} (${path}) shows them as inert text: no markup, no script, no dialog, no outside request`, async () => {
      const route = pagesShowingNames[pagePath(path)] ?? pagePath(path);
      const view = await visit(site, route, {waitFor: "#observablehq-main h1"});
      await view.page.waitForLoadState("networkidle");
      if (route.startsWith("gaps")) await view.page.waitForSelector("[data-first-result] .gap-table tbody tr", {timeout: 60_000});
      const text = (await view.page.textContent("#observablehq-main")) ?? "";
      if (route.startsWith("gaps")) for (const hostile of hostileNames) expect(text, `gaps shows ${hostile} as text`).toContain(hostile);
      // Hover and click every unit name the page shows: a link or handler made from data would fire now.
      for (const cell of await view.page.$$("[data-unit]")) await cell.click({trial: false, timeout: 2_000}).catch(() => undefined);
      expect(await injectedElements(view.page)).toEqual([]);
      expect(view.dialogs).toEqual([]);
      expect(view.consoleErrors).toEqual([]);
      expect(view.externalRequests).toEqual([]);
      await view.page.close();
    });
  }

  test("the downloads carry them as text, with formulas neutralised (CSV and XLSX)", async () => {
    const csv = readFileSync(join(out, "data", "downloads", "units.csv"), "utf-8");
    expect(csv).toContain("'=HYPERLINK(");
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(csv).toContain("<img src=x onerror=alert(1)>社区");
    const sheet = readZip(readFileSync(join(out, "data", "downloads", "units.xlsx")));
    const xml = [...sheet.entries()].filter(([entry]) => entry.startsWith("xl/")).map(([, data]) => new TextDecoder().decode(data)).join("");
    expect(xml).not.toContain("<f>");
    expect(xml).toContain("&lt;img src=x onerror=alert(1)&gt;社区");
  });
});

describe("person indicators and programme costs of a real city, counted from persons_cube", () => {
  // Imported here so this block adds nothing above it: the Node engine over the published downloads.
  let site: Site;
  let db: NodeDuckDB;
  let engine: {
    gap: typeof import("../../src/engine/gapQuery.js");
    counts: typeof import("../../src/engine/personCounts.js");
    scenario: typeof import("../../src/engine/runScenario.js");
    baseline: typeof import("../../src/engine/scenario.js")["baselineScenario"];
  };
  let slices: {slice: string; pooled: number}[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    engine = {
      gap: await import("../../src/engine/gapQuery.js"),
      counts: await import("../../src/engine/personCounts.js"),
      scenario: await import("../../src/engine/runScenario.js"),
      baseline: (await import("../../src/engine/scenario.js")).baselineScenario,
    };
    db = await NodeDuckDB.open();
    for (const name of ["units", "persons_cube", "parameters"]) {
      const file = join(out, "data", "downloads", `${name}.parquet`).replaceAll("'", "''");
      await db.run(`CREATE TABLE "${name}" AS SELECT * FROM read_parquet('${file}')`);
    }
    // A real city's build has no person rows: the engines count from the cube, as the pages do.
    slices = await engine.counts.usePersonsCube(db);
    site = await openSite({dir: out});
  });
  afterAll(async () => {
    expect(pageErrors).toEqual([]);
    db?.close();
    await site?.close();
  });

  test("persons_cube is published with its codebook and every slice counts all 24 persons", async () => {
    expect(manifest.datasets.map((d) => d.name)).toContain("persons_cube");
    expect(existsSync(join(out, "data", "downloads", "persons_cube.csv"))).toBe(true);
    const sums = await db.query<{slice: string; n: number}>(`SELECT slice, CAST(sum(persons) AS INTEGER) AS n FROM persons_cube GROUP BY slice ORDER BY slice`);
    expect(sums.length).toBe(engine.counts.cubeSlices.length);
    expect(new Set(sums.map((s) => s.n))).toEqual(new Set([24]));
  });

  test("the gap page shows every community's screening rate from the cube, as the Node engine computes it, and says how many persons were pooled", async () => {
    const expected = await engine.gap.gapQuery(db, {indicator: "screening", level: "community", year: 2025});
    expect(expected.rows.map((r) => r.eligible)).toEqual([6, 6, 6, 6]);
    expect(expected.rows.every((r) => r.achieved_rate === 1)).toBe(true);
    const view = await visit(site, "gaps?level=community&indicator=screening", {waitFor: "[data-first-result] .gap-table tbody tr", timeout: 120_000});
    const shown = await view.page.$$eval(".gap-table tbody tr", (rows) =>
      rows.map((r) => ({unit: (r as HTMLElement).dataset.unit, eligible: r.querySelector("[data-col=eligible]")?.textContent, rate: r.querySelector("[data-col=achieved_rate]")?.textContent})),
    );
    expect(shown.map((r) => [r.unit, r.eligible]).sort()).toEqual(expected.rows.map((r) => [r.unit_code, String(r.eligible)]).sort());
    for (const row of shown) expect(row.rate, `${row.unit} shows its rate`).toMatch(/100(\.0)?%/);
    const note = view.page.locator(".cube-note");
    expect(await note.isVisible()).toBe(true);
    expect(await note.getAttribute("data-pooled")).toBe(String(Math.max(...slices.map((s) => s.pooled))));
    expect(await note.textContent()).toContain("下限");
    // Screening's slice pooled nobody in this city: no note about the indicator's pooled persons.
    expect(expected.persons_pooled).toBe(0);
    expect(await view.page.locator(".gap-note[data-pooled]").count()).toBe(0);
    pageErrors.push(...view.consoleErrors, ...view.externalRequests);
    await view.page.close();
  });

  test("where an indicator's slice pooled persons (低保: every cell of this city is below T), the gap page says how many", async () => {
    const expected = await engine.gap.gapQuery(db, {indicator: "subsistence", level: "community", year: 2025});
    expect(expected.persons_pooled).toBe(24);
    const view = await visit(site, "gaps?level=community&indicator=subsistence", {waitFor: "[data-first-result] .gap-table tbody tr", timeout: 120_000});
    const note = view.page.locator(".gap-note[data-pooled]");
    expect(await note.getAttribute("data-pooled")).toBe("24");
    expect(await note.textContent()).toContain("24 人");
    pageErrors.push(...view.consoleErrors, ...view.externalRequests);
    await view.page.close();
  });

  test("the budget sandbox prices person programmes from the cube: the Node engine's baseline, with non-zero costs for persons counted by grade and by rehab need", async () => {
    const model = await engine.scenario.prepareModel(db);
    expect(model.cube.persons).toBe(24);
    const result = await engine.scenario.runScenario(db, engine.baseline(), {model});
    const costOf = (programme: string) => result.rows.filter((r) => r.programme === programme && r.level === "total").reduce((s, r) => s + r.cost_yuan, 0);
    for (const programme of ["severe_disabled_subsidy", "assistive_devices"]) expect(costOf(programme), programme).toBeGreaterThan(0);
    const view = await visit(site, "sandbox", {waitFor: "[data-testid=totals-table]", timeout: 120_000});
    await view.page.evaluate(() => window.__dpfSandbox!.idle());
    expect(await view.page.evaluate(() => window.__dpfSandbox!.cube.persons)).toBe(24);
    const shownTotal = await view.page.$$eval("[data-testid=totals-table] tbody tr [data-field=cost]", (cells) => cells.reduce((s, c) => s + Number((c as HTMLElement).dataset.value), 0));
    const nodeTotal = engine.scenario.totalsByYear(result).reduce((s, t) => s + t.cost_yuan, 0);
    expect(Math.abs(shownTotal - nodeTotal)).toBeLessThanOrEqual(1e-6 * nodeTotal);
    for (const programme of ["severe_disabled_subsidy", "assistive_devices"]) {
      const cells = await view.page.$$eval(`[data-testid=programme-years] tr[data-programme=${programme}] [data-value]`, (c) => c.map((x) => Number((x as HTMLElement).dataset.value)));
      expect(cells.reduce((s, v) => s + v, 0), `${programme} on the page`).toBeGreaterThan(0);
    }
    expect(await view.page.locator(".cube-note").isVisible()).toBe(true);
    pageErrors.push(...view.consoleErrors, ...view.externalRequests);
    await view.page.close();
  });
});
