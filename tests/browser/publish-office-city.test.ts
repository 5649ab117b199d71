import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, expect, test} from "vitest";
import {NodeDuckDB} from "../../loaders/duckdbNode.js";
import type {Manifest} from "../../loaders/publish/downloads.js";
import {gapQuery} from "../../src/engine/gapQuery.js";
import {usePersonsCube} from "../../src/engine/personCounts.js";
import {officeCorpus, type OfficeCase} from "../fixtures/office/corpus.js";
import {openSite, visit, type Site, type Visit} from "./harness.js";
import {buildSiteFrom, type SiteBuild} from "./siteBuild.js";

/**
 * The build route end to end on three kinds of office workbook, each as it came from the office, each
 * built into its own site (the three builds run at once). First the statistics form (tests/fixtures/office, case a: title and
 * 填报单位 lines, a two-row merged header, streets merged down, 小计/合计 rows, a footer): dpf.config.yaml
 * names the .xlsx as it came from the office, `observable build` publishes a counts city, and the pages
 * show its figures — the Node engine's over the published downloads — and say what its columns cannot
 * answer (the form has 已筛查 and 已建档 but no 有康复需求) instead of showing 0. Then one sheet per street
 * (case c: the street only in the sheet name, a 合计 per sheet, a 汇总 and a hidden sheet that must not
 * count) and a county office (case h: 乡/镇 and 村, no city, full-width digits, traditional headers): their
 * pages show their communities, streets and persons.
 */

const T = 5;
const YEAR = 2026;
let form: OfficeCase;
let build: SiteBuild;
let site: Site;
let db: NodeDuckDB;
const visits: Visit[] = [];
/** The other two kinds: case letter → its truth, build, site and published tables. */
const others = new Map<string, {office: OfficeCase; build: SiteBuild; site: Site; db: NodeDuckDB}>();

/** Builds a site from one corpus case's files, named in dpf.config.yaml as the office gave them. */
async function buildCase(office: OfficeCase): Promise<SiteBuild> {
  const inputs = join(process.cwd(), "tmp", `office-${office.id}-${process.pid}`);
  mkdirSync(inputs, {recursive: true});
  const workbook = office.files.map((f) => {
    writeFileSync(join(inputs, f.name), f.bytes);
    return join(inputs, f.name);
  });
  return buildSiteFrom(`office-city-build-${office.id}`, {workbook, referenceDate: "2025-12-31"}, T);
}

/** The published downloads of a build, in Node's DuckDB, persons counted from the cube. */
async function publishedDb(out: string): Promise<NodeDuckDB> {
  const published = await NodeDuckDB.open();
  for (const name of ["units", "persons_cube", "parameters"]) {
    const file = join(out, "data", "downloads", `${name}.parquet`).replaceAll("'", "''");
    await published.run(`CREATE TABLE "${name}" AS SELECT * FROM read_parquet('${file}')`);
  }
  await usePersonsCube(published);
  return published;
}

beforeAll(async () => {
  const corpus = await officeCorpus();
  form = corpus.find((c) => c.id.startsWith("a-"))!;
  const more = ["c", "h"].map((letter) => corpus.find((c) => c.id.startsWith(`${letter}-`))!);
  // The three builds at once: each is its own folder and Framework cache.
  const [first, ...rest] = await Promise.all([form, ...more].map(buildCase));
  build = first!;
  db = await publishedDb(build.out);
  site = await openSite({dir: build.out});
  for (const [i, office] of more.entries()) {
    const b = rest[i]!;
    others.set(office.id[0]!, {office, build: b, db: await publishedDb(b.out), site: await openSite({dir: b.out})});
  }
}, 1_200_000);

afterAll(async () => {
  expect(visits.flatMap((v) => v.consoleErrors)).toEqual([]);
  expect(visits.flatMap((v) => v.externalRequests)).toEqual([]);
  db?.close();
  await site?.close();
  build?.remove();
  for (const o of others.values()) {
    o.db.close();
    await o.site.close();
    o.build.remove();
  }
});

test("publishes the form's communities and persons as a pooled cube, with no person-level dataset", async () => {
  const manifest = JSON.parse(readFileSync(join(build.out, "data", "downloads", "manifest.json"), "utf-8")) as Manifest;
  const names = manifest.datasets.map((d) => d.name);
  expect(names).toContain("persons_cube");
  expect(names).not.toContain("persons");
  const [{n}] = await db.query<{n: number}>("SELECT CAST(count(*) AS INTEGER) AS n FROM units WHERE level = 'community'");
  expect(n).toBe(form.truth.communities);
  // Each slice counts every person of the form once, and no published cell below the city holds 1..T−1.
  const sums = await db.query<{slice: string; n: number}>("SELECT slice, CAST(sum(persons) AS INTEGER) AS n FROM persons_cube GROUP BY slice");
  expect(sums.length).toBeGreaterThan(2);
  for (const s of sums) expect(s.n, s.slice).toBe(form.truth.persons.total);
  const [{small}] = await db.query<{small: number}>(`SELECT CAST(count(*) AS INTEGER) AS small FROM persons_cube WHERE persons BETWEEN 1 AND ${T - 1}`);
  expect(small).toBe(0);
});

test("the gap page shows each street's screening as the Node engine computes it from the published cube", async () => {
  const expected = await gapQuery(db, {indicator: "screening", level: "street", year: YEAR});
  expect(expected.answer.answerable).toBe(true);
  expect(expected.rows.reduce((n, r) => n + r.eligible, 0)).toBe(form.truth.persons.total);
  const v = await visit(site, `gaps?indicator=screening&level=street&year=${YEAR}`, {waitFor: "[data-first-result] .gap-table tbody tr", timeout: 120_000});
  visits.push(v);
  const shown = await v.page.$$eval(".gap-table tbody tr", (rows) =>
    rows.map((r) => [(r as HTMLElement).dataset.unit, r.querySelector("[data-col=eligible]")?.textContent?.replace(/[,\s]/g, ""), r.querySelector("[data-col=achieved_count]")?.textContent?.replace(/[,\s]/g, "")]),
  );
  expect(shown.sort()).toEqual(expected.rows.map((r) => [r.unit_code, String(r.eligible), String(r.achieved_count)]).sort());
  await v.page.close();
});

test("a rate the form's columns cannot give (康复建档率: no 有康复需求) says why on the gap page, the briefing and its single file", async () => {
  const v = await visit(site, `gaps?indicator=archive&level=street&year=${YEAR}`, {waitFor: "[data-cannot-answer]", timeout: 120_000});
  visits.push(v);
  const reason = await v.page.locator(".gap-cannot-answer").first().textContent();
  expect(reason).toContain("有康复需求人数");
  expect(reason).not.toContain("建档人数");
  expect(await v.page.locator(".gap-table tbody tr").count()).toBe(0);
  await v.page.close();
  const b = await visit(site, "briefings/example", {waitFor: "[data-cannot-answer]", timeout: 120_000});
  visits.push(b);
  const said = await b.page.locator(".gap-summary[data-indicator=archive][data-cannot-answer]").first().textContent();
  expect(said).toMatch(/康复建档率无法计算：.*有康复需求人数/);
  // The screening view is answered: its summary shows the form's persons, not a reason.
  expect(await b.page.locator(".gap-summary[data-indicator=screening][data-cannot-answer]").count()).toBe(0);
  await b.page.close();
  const single = readFileSync(join(build.out, "briefings", "example.offline.html"), "utf-8");
  expect(single).toMatch(/康复建档率无法计算：[^<]*有康复需求人数/);
}, 240_000);

test.each(["c", "h"])("case %s (one sheet per street; a county office in 乡镇/村): the site shows its communities, streets and persons", async (letter) => {
  const {office, db: published, site: built} = others.get(letter)!;
  const [{n}] = await published.query<{n: number}>("SELECT CAST(count(*) AS INTEGER) AS n FROM units WHERE level = 'community'");
  expect(n).toBe(office.truth.communities);
  const sums = await published.query<{slice: string; n: number}>("SELECT slice, CAST(sum(persons) AS INTEGER) AS n FROM persons_cube GROUP BY slice");
  for (const s of sums) expect(s.n, s.slice).toBe(office.truth.persons.total);
  // The gap page of a community indicator lists each street with its communities, and says the persons.
  const v = await visit(built, `gaps?indicator=rehab_room&level=street&year=${YEAR}`, {waitFor: "[data-first-result] .gap-table tbody tr", timeout: 120_000});
  visits.push(v);
  const rows = await v.page.$$eval(".gap-table tbody tr", (trs) => trs.map((r) => Number(r.querySelector("[data-col=eligible]")?.textContent?.replace(/[,\s]/g, ""))));
  expect(rows).toHaveLength(office.truth.units.by_level.street!);
  expect(rows.reduce((a, b) => a + b, 0)).toBe(office.truth.communities);
  expect(await v.page.textContent(".cube-note")).toContain(`共 ${office.truth.persons.total} 名持证残疾人`);
  // The form has no 已筛查: the screening rate says why instead of showing 0.
  await v.page.close();
  const screening = await visit(built, `gaps?indicator=screening&level=street&year=${YEAR}`, {waitFor: "[data-cannot-answer]", timeout: 120_000});
  visits.push(screening);
  expect(await screening.page.locator(".gap-cannot-answer").first().textContent()).toContain("导入的数据没有筛查人数");
  await screening.page.close();
}, 240_000);
