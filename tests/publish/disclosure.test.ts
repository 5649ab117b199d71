import {writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, test} from "vitest";
import {loadCityConfig} from "../../loaders/city/config.js";
import {importWorkbook, type City} from "../../loaders/city/loadCity.js";
import {buildCountsCube} from "../../loaders/city/countsCube.js";
import {buildPersonsCube, dimensionsOf} from "../../loaders/city/personsCube.js";
import {communityCountsRow, type CommunityCountsRow} from "../../src/schemas/communityCounts.js";
import {assertNoDisclosure, DisclosureError, findDisclosures, publishedIn} from "../../loaders/publish/disclosureAudit.js";
import {modelOf, personRowDomain, protectPersonsPublication, summaryColumnCells} from "../../loaders/publish/disclosureControl.js";
import {propagateBounds} from "../../loaders/publish/linearBounds.js";
import {personsSummaryRows} from "../../loaders/publish/personsSummary.js";
import {cubeDimensions, sliceDimensions, type CubeDimension} from "../../src/engine/personCounts.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import type {PersonsCubeRow} from "../../src/schemas/personsCube.js";
import type {PersonsSummaryCount, PersonsSummaryRow} from "../../src/schemas/personsSummary.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {writeRealShapedCity} from "./realShapedCity.js";

const T = 5;

/** A published cell as a reader sees it: its community, its table (dimensions) and values. */
interface SeenCell {
  community: string;
  table: string;
  dims: CubeDimension[];
  values: Record<string, unknown>;
  persons: number;
}

/**
 * The differencing attack of issue 18, written apart from the audit: every published cell of both
 * datasets grouped into tables (a cube slice; the summary's columns by what they split), then for
 * every community, every pair of nested tables and every published coarse cell (and every community
 * total), the coarse figure minus the published finer cells inside it. Returns each remainder of
 * 1 … T − 1 persons found, named.
 */
function differencingAttack(cube: readonly PersonsCubeRow[], summary: readonly PersonsSummaryRow[], cityCode: string): string[] {
  const cells: SeenCell[] = [];
  const totals = new Map<string, number>();
  for (const r of cube) {
    if (r.community_code === cityCode) continue;
    if (r.slice === cube[0]!.slice) totals.set(r.community_code, (totals.get(r.community_code) ?? 0) + r.persons);
    if (r.suppressed) continue;
    const dims = sliceDimensions(r.slice);
    cells.push({community: r.community_code, table: `cube ${r.slice}`, dims, values: Object.fromEntries(dims.map((d) => [d, r[d]])), persons: r.persons});
  }
  for (const r of summary)
    for (const [column, extra] of Object.entries(summaryColumnCells)) {
      const persons = r[column as PersonsSummaryCount];
      if (persons === null) continue;
      const values: Record<string, unknown> = {category: r.category, grade: r.grade, ...extra};
      const dims = cubeDimensions.filter((d) => d in values);
      cells.push({community: r.community_code, table: `summary ${dims.join("+")}`, dims, values, persons});
    }
  const byCommunity = new Map<string, Map<string, SeenCell[]>>();
  for (const c of cells) {
    const tables = byCommunity.get(c.community) ?? new Map<string, SeenCell[]>();
    byCommunity.set(c.community, tables);
    tables.set(c.table, [...(tables.get(c.table) ?? []), c]);
  }
  const found: string[] = [];
  const note = (what: string, n: number) => {
    if (n >= 1 && n < T) found.push(`${what} = ${n}`);
  };
  for (const [community, tables] of byCommunity) {
    const total = totals.get(community);
    for (const [name, fine] of tables) {
      if (total !== undefined) note(`${community} total − ${name}`, total - fine.reduce((s, c) => s + c.persons, 0));
      for (const [coarseName, coarse] of tables) {
        const coarseDims = coarse[0]!.dims;
        if (coarseName === name || !coarseDims.every((d) => fine[0]!.dims.includes(d)) || coarseDims.length === fine[0]!.dims.length) continue;
        for (const a of coarse) {
          const inside = fine.filter((b) => coarseDims.every((d) => b.values[d] === a.values[d]));
          note(`${community} ${coarseName} ${JSON.stringify(a.values)} − ${name}`, a.persons - inside.reduce((s, b) => s + b.persons, 0));
        }
      }
    }
  }
  return found;
}

function configFor(files: string[]): ReturnType<typeof loadCityConfig> {
  const path = join(tmpdir(), `dpf-disclosure-${process.pid}.json`);
  writeFileSync(path, JSON.stringify({city: {workbook: files, referenceDate: "2025-01-01"}, publish: {small_cell_threshold: T}}));
  return loadCityConfig({DPF_CONFIG: path});
}

describe("a real-shaped city imported by the build route", () => {
  let city: City;
  let cityCode: string;
  beforeAll(async () => {
    const {files} = await writeRealShapedCity(40);
    city = await importWorkbook(configFor(files), () => {});
    cityCode = city.units.find((u) => u.level === "city")!.unit_code;
  }, 120_000);

  test("the per-table rules alone (each slice pooled on its own, the summary beside it) leak small counts to subtraction", () => {
    const cube = buildPersonsCube(city.persons, T, city.units).rows;
    const summary = personsSummaryRows(city.persons, city.units, T);
    expect(differencingAttack(cube, summary, cityCode).length).toBeGreaterThan(0);
  });

  test("what the build publishes: a differencing attack on persons_cube and persons_summary together recovers nothing below T", () => {
    expect(city.cube!.rows.length).toBeGreaterThan(0);
    expect(city.summary!.length).toBeGreaterThan(0);
    expect(differencingAttack(city.cube!.rows, city.summary!, cityCode)).toEqual([]);
    // Every published cell is T or more (pooled rows too); the totals stay exact.
    for (const r of city.cube!.rows) expect(r.persons).toBeGreaterThanOrEqual(T);
    for (const r of city.summary!) for (const c of Object.keys(summaryColumnCells) as PersonsSummaryCount[]) if (r[c] !== null && r[c]! > 0) expect(r[c]).toBeGreaterThanOrEqual(T);
    const total = (slice: string) => city.cube!.rows.filter((r) => r.slice === slice).reduce((s, r) => s + r.persons, 0);
    for (const slice of new Set(city.cube!.rows.map((r) => r.slice))) expect(total(slice)).toBe(city.persons.length);
  });

  test("the audit of the published set finds no count pinned to 1 … T − 1, and does find them in the per-table publication", () => {
    const options = {records: recordsOf(city.persons), domain: personRowDomain, communities: [...new Set(city.persons.map((p) => p.community_code))].sort()};
    const published = modelOf(city.cube!, city.summary!, cityCode, options);
    expect(findDisclosures(published, T, publishedIn(published))).toEqual([]);
    const leaky = modelOf(buildPersonsCube(city.persons, T, city.units), personsSummaryRows(city.persons, city.units, T), cityCode, options);
    expect(findDisclosures(leaky, T, publishedIn(leaky)).length).toBeGreaterThan(0);
    expect(() => assertNoDisclosure(leaky, T, publishedIn(leaky))).toThrow(DisclosureError);
    expect(() => assertNoDisclosure(leaky, T, publishedIn(leaky))).toThrow(/小数保护审计未通过：\d+ 个未公布的人数/);
  });
});

describe("a counts city (statistics forms, no person rows) built from the same real-shaped city", () => {
  // A counts city's slices are families that do not nest (category, grade, screened …), so pooling each
  // alone already leaves only the total to subtract from; the joint control must keep it so.
  test("its cube, protected across slices, gives no remainder of 1 … T − 1 to subtraction", async () => {
    const {files} = await writeRealShapedCity(30);
    const city = await importWorkbook(configFor(files), () => {});
    const counts = countsOf(city.persons);
    const cityCode = city.units.find((u) => u.level === "city")!.unit_code;
    const cube = await buildCountsCube(counts, T, city.units);
    expect(differencingAttack(cube.rows, [], cityCode)).toEqual([]);
    for (const r of cube.rows) expect(r.persons).toBeGreaterThanOrEqual(T);
    const total = (slice: string) => cube.rows.filter((r) => r.slice === slice).reduce((n, r) => n + r.persons, 0);
    for (const slice of new Set(cube.rows.map((r) => r.slice))) expect(total(slice)).toBe(city.persons.length);
  }, 120_000);
});

/** Person rows counted per community as an office's statistics form gives them. */
function countsOf(persons: readonly PersonRow[]): CommunityCountsRow[] {
  const by = new Map<string, CommunityCountsRow>();
  for (const p of persons) {
    let row = by.get(p.community_code);
    if (!row) {
      row = Object.fromEntries(Object.keys(communityCountsRow.shape).map((k) => [k, 0])) as unknown as CommunityCountsRow;
      row.community_code = p.community_code;
      by.set(p.community_code, row);
    }
    const r = row as unknown as Record<string, number>;
    r.persons!++;
    r[`category_${p.category}`]!++;
    r[`grade_${p.grade}`]!++;
    if (p.screened) r.screened!++;
    if (p.screened && p.rehab_need) r.rehab_need!++;
    if (p.screened && p.rehab_need && p.archived) r.archived!++;
    if (p.age >= 6 && p.age <= 15) r.school_age!++;
    if (p.age >= 6 && p.age <= 15 && p.enrolled) r.enrolled!++;
    if (p.dibao_eligible) r.dibao_eligible!++;
    if (p.dibao_eligible && p.dibao_recipient) r.dibao_recipient!++;
    for (const flag of ["wubao_recipient", "poor_subsidy_recipient", "severe_subsidy_recipient"] as const) if (p[flag]) r[flag]!++;
  }
  return [...by.values()];
}

function recordsOf(persons: readonly PersonRow[]) {
  const by = new Map<string, {values: ReturnType<typeof dimensionsOf>; weight: number}[]>();
  for (const p of persons) by.set(p.community_code, [...(by.get(p.community_code) ?? []), {values: dimensionsOf(p), weight: 1}]);
  return (c: string) => by.get(c) ?? [];
}

const units: UnitRow[] = [
  {unit_code: "C", unit_name: "市", level: "city", level_label: "市", parent_code: null, district_code: null, street_code: null, urban_rural: "urban", residents: 0, synthetic: false} as unknown as UnitRow,
];

function person(id: number, community: string, category: PersonRow["category"], dibao: boolean): PersonRow {
  return {person_id: id, community_code: community, category, grade: 4, age: 40, rehab_need: false, screened: true, archived: null, enrolled: null, dibao_eligible: dibao, dibao_recipient: false, wubao_recipient: false, poor_subsidy_recipient: false, severe_subsidy_recipient: false, rehab_served: null, device_need: null, device_fitted: null, poor_subsidy_eligible: null, severe_subsidy_eligible: null};
}

describe("the issue's example: 7 视力 in the category slice, 6 of them with dibao_eligible = false", () => {
  // One community: 7 visual (1 eligible), 12 physical (4 eligible: the pooled row holds 5); a second to stand alone.
  const persons = [
    ...Array.from({length: 6}, (_, i) => person(i, "K1", "visual", false)),
    person(6, "K1", "visual", true),
    ...Array.from({length: 12}, (_, i) => person(10 + i, "K1", "physical", i < 4)),
    ...Array.from({length: 20}, (_, i) => person(40 + i, "K2", "hearing", i % 2 === 0)),
  ];
  const options = {records: recordsOf(persons), domain: personRowDomain, communities: ["K1", "K2"]};

  test("slices pooled each on their own publish 7 and 6: the audit names the remainder of 1 person", () => {
    const cube = buildPersonsCube(persons, T, units);
    const visual = (slice: string, dibao?: boolean) => cube.rows.find((r) => r.community_code === "K1" && r.slice === slice && r.category === "visual" && !r.suppressed && (dibao === undefined || r.dibao_eligible === dibao))?.persons;
    expect([visual("category"), visual("category+dibao_eligible", false)]).toEqual([7, 6]);
    const model = modelOf(cube, [], "C", options);
    const found = findDisclosures(model, T, publishedIn(model));
    expect(found.some((d) => d.kind === "remainder" && d.label.includes("category=visual") && d.lo === 1 && d.hi === 1)).toBe(true);
  });

  test("protected together, the remainder is no longer published and no subtraction gives 1 … 4", () => {
    const {cube, summary, complementary} = protectPersonsPublication(persons, units, T);
    expect(complementary).toBeGreaterThan(0);
    expect(differencingAttack(cube.rows, summary, "C")).toEqual([]);
    const model = modelOf(cube, summary, "C", options);
    expect(findDisclosures(model, T, publishedIn(model))).toEqual([]);
  });
});

describe("bounds propagation", () => {
  test("a whole and all but one part pin the last part; two unknown parts are bounded only by the whole", () => {
    // 0 = 7 (whole), 1 = 6, 2 and 3 unknown: 2 + 3 = 1.
    const bounds = {lo: Float64Array.from([7, 6, 0, 0]), hi: Float64Array.from([7, 6, Infinity, Infinity])};
    propagateBounds(bounds, [{whole: 0, parts: [1, 2, 3]}]);
    expect([bounds.lo[2], bounds.hi[2], bounds.lo[3], bounds.hi[3]]).toEqual([0, 1, 0, 1]);
    // A second relation, 2 = 4 + 5 with 4 ≥ 1 known: then 2 is exactly 1.
    const chained = {lo: Float64Array.from([7, 6, 0, 0, 1, 0]), hi: Float64Array.from([7, 6, Infinity, Infinity, Infinity, Infinity])};
    propagateBounds(chained, [{whole: 0, parts: [1, 2, 3]}, {whole: 2, parts: [4, 5]}]);
    expect([chained.lo[2], chained.hi[2], chained.hi[3]]).toEqual([1, 1, 0]);
  });

  test("contradicting relations throw instead of giving an empty interval", () => {
    expect(() => propagateBounds({lo: Float64Array.from([3, 5]), hi: Float64Array.from([3, 5])}, [{whole: 0, parts: [1]}])).toThrow(/contradict/);
  });
});
