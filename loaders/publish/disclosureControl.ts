/**
 * Disclosure control over everything a build publishes about a real city's persons (小数保护，统一机制):
 * persons_cube (from person rows or from counts) and persons_summary are protected together, because a
 * reader holds them together. The briefings, scenario results and pages count persons from the cube
 * alone (cityDatabase.ts), so they publish sums of its figures and nothing more.
 *
 * The rule, with threshold T:
 * 1. Primary: each table's own rules (personsCube.ts: a community below T only in the city-level row,
 *    cells below T pooled, a pooled row at least T; personsSummary.ts: counts below T suppressed, with
 *    their denominators' remainders and district/community totals).
 * 2. Complementary, across tables: the audit (disclosureAudit.ts) treats the published set as one
 *    system of sum relations — every nested pair of tables (category ⊂ category+dibao_eligible ⊂ …,
 *    the summary's category × grade rows inside the cube's category and grade slices), community totals,
 *    the city-level row, "a summary row holds at least one person" — and bounds every count not
 *    published. Where a cell, or the remainder whole − Σ published parts of a relation, is pinned to
 *    1 … T − 1, the smallest published figure of the relation that pins it is hidden too (a cube cell
 *    joins its pooled row, a summary count becomes null); then the audit runs again, to a fixed point.
 * 3. The build fails when a disclosed count remains (nothing left to hide would protect it).
 */
import {ageBands} from "../../src/engine/programmes.js";
import {cubeDimensions, sliceDimensions, sliceRestrictions, type CubeDimension} from "../../src/engine/personCounts.js";
import {disabilityCategories} from "../../src/schemas/disabilityCategories.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import type {PersonsCubeRow} from "../../src/schemas/personsCube.js";
import type {PersonsSummaryCount, PersonsSummaryRow} from "../../src/schemas/personsSummary.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {assertNoDisclosure, findDisclosures, publishedIn, readerBounds, type Disclosure, type PublishedTest} from "./disclosureAudit.js";
import {buildDisclosureModel, type DimensionValue, type DisclosureModel, type Figure, type TruthRecord, type Values} from "./disclosureModel.js";
import type {Bounds} from "./linearBounds.js";
import {buildPersonsCube, dimensionsOf, type CubeResult} from "../city/personsCube.js";
import {completeCells, protectSummary, summarisePersons} from "./personsSummary.js";

/** Each summary column as a cell of a table finer than category × grade. */
export const summaryColumnCells: Record<PersonsSummaryCount, Values> = {
  persons: {},
  screened: {screened: true},
  screened_unknown: {screened: null},
  rehab_need: {rehab_need: true},
  archived: {rehab_need: true, archived: true},
  archived_unknown: {rehab_need: true, archived: null},
  // The summary's school ages (6–15) are the cube's age band "6-15".
  school_age: {age_band: "6-15"},
  enrolled: {age_band: "6-15", enrolled: true},
  enrolled_unknown: {age_band: "6-15", enrolled: null},
  dibao_eligible: {dibao_eligible: true},
  dibao_recipient: {dibao_eligible: true, dibao_recipient: true},
  dibao_recipient_unknown: {dibao_eligible: true, dibao_recipient: null},
  wubao_recipient: {wubao_recipient: true},
  poor_subsidy_recipient: {poor_subsidy_recipient: true},
  severe_subsidy_recipient: {severe_subsidy_recipient: true},
};

const summaryTables = Object.values(summaryColumnCells).map((extra) => cubeDimensions.filter((d) => d === "category" || d === "grade" || d in extra));

const flagValues: readonly DimensionValue[] = [true, false, null];

/** What the codebook allows: person rows always have a category, grade and age. */
export function personRowDomain(dimension: CubeDimension): readonly DimensionValue[] {
  if (dimension === "category") return disabilityCategories;
  if (dimension === "grade") return [1, 2, 3, 4];
  if (dimension === "age_band") return ageBands;
  return flagValues;
}

/** A counts city's slices: null is "not reported"; a restricted slice splits out its values only. */
export function countsDomain(slices: readonly string[]): (dimension: CubeDimension, clique: readonly CubeDimension[]) => readonly DimensionValue[] {
  return (dimension, clique) => {
    const slice = slices.find((s) => sliceDimensions(s).join("+") === cubeDimensions.filter((d) => clique.includes(d)).join("+"));
    const restricted = slice ? sliceRestrictions(slice)[dimension] : undefined;
    if (restricted) return [...restricted, null];
    return dimension === "category" || dimension === "grade" || dimension === "age_band" ? [...personRowDomain(dimension), null] : flagValues;
  };
}

/** The cube's published cells (not pooled rows, not the city-level row) as figures. */
export function cubeFigures(rows: readonly PersonsCubeRow[], cityCode: string | null): Figure[] {
  const figures: Figure[] = [];
  rows.forEach((r, row) => {
    if (r.suppressed || r.community_code === cityCode) return;
    const dims = sliceDimensions(r.slice);
    figures.push({community: r.community_code, dims, values: Object.fromEntries(dims.map((d) => [d, r[d]])), persons: r.persons, ref: {dataset: "persons_cube", row}});
  });
  return figures;
}

/**
 * The summary's published counts as figures, and what its rows tell of existence: where a community
 * lacks some category × grade rows, its rows are cells with someone in them and the missing ones are
 * empty; a community listing all of them (a real city's summary) tells nothing that way.
 */
export function summaryFigures(rows: readonly PersonsSummaryRow[]): {figures: Figure[]; known: Map<string, Values[]>} {
  const figures: Figure[] = [];
  const known = new Map<string, Values[]>();
  rows.forEach((r, row) => {
    const s = {category: r.category, grade: r.grade};
    known.set(r.community_code, [...(known.get(r.community_code) ?? []), s]);
    for (const [column, extra] of Object.entries(summaryColumnCells) as [PersonsSummaryCount, Values][]) {
      const persons = r[column];
      if (persons === null) continue;
      const values = {...s, ...extra};
      figures.push({community: r.community_code, dims: cubeDimensions.filter((d) => d in values), values, persons, ref: {dataset: "persons_summary", row, column}});
    }
  });
  const all = disabilityCategories.length * 4;
  for (const [code, cells] of known) if (cells.length === all) known.delete(code);
  return {figures, known};
}

/** The figure of a relation to hide so that a disclosed count is no longer pinned (null: none helps). */
function remedy(model: DisclosureModel, d: Disclosure, bounds: Bounds, published: PublishedTest, relationsOf: number[][]): number | null {
  const hideable = (v: number) => published(v) && model.fixed[v] !== 1 && model.refs[v]!.length > 0;
  // The smallest non-zero figure first: it adds the least detail lost and widens the interval most per person.
  const smallest = (vs: number[]) => vs.sort((a, b) => Number(model.truth[a] === 0) - Number(model.truth[b] === 0) || model.truth[a]! - model.truth[b]! || a - b)[0] ?? null;
  if (d.kind === "remainder") {
    const {whole, parts} = model.relations[d.at]!;
    return smallest(parts.filter(hideable)) ?? (hideable(whole) ? whole : null);
  }
  const v = d.at;
  const {lo, hi} = bounds;
  const implied = relationsOf[v]!.map((r) => {
    const {whole, parts} = model.relations[r]!;
    if (whole === v) return {r, hi: parts.reduce((s, p) => s + hi[p]!, 0)};
    return {r, hi: hi[whole]! - parts.reduce((s, p) => s + (p === v ? 0 : lo[p]!), 0)};
  });
  // The relations that cap it below T first, tightest first: hiding a sibling there raises the cap.
  for (const {r} of implied.sort((a, b) => a.hi - b.hi || a.r - b.r)) {
    const {whole, parts} = model.relations[r]!;
    const candidate = smallest(parts.filter((p) => p !== v && hideable(p))) ?? (whole !== v && hideable(whole) ? whole : null);
    if (candidate !== null) return candidate;
  }
  return null;
}

/** The figures to hide beyond the primary rules so that nothing is disclosed (rule 2). */
export function complementaryHidden(model: DisclosureModel, threshold: number): Uint8Array {
  const relationsOf: number[][] = Array.from({length: model.size}, () => []);
  model.relations.forEach((r, i) => {
    relationsOf[r.whole]!.push(i);
    for (const p of r.parts) relationsOf[p]!.push(i);
  });
  let hidden = new Uint8Array(model.size);
  for (;;) {
    const published = publishedIn(model, hidden);
    const bounds = readerBounds(model, published);
    const found = findDisclosures(model, threshold, published, bounds);
    const next = hidden.slice();
    let progress = false;
    for (const d of found) {
      const v = remedy(model, d, bounds, published, relationsOf);
      if (v !== null && !next[v]) (next[v] = 1), (progress = true);
    }
    if (!progress) return hidden;
    hidden = next;
  }
}

/** The cube with hidden cells joined to their community's pooled row of that slice. */
export function repoolCube(cube: CubeResult, hiddenRows: ReadonlySet<number>, cityCode: string | null): CubeResult {
  const rows: PersonsCubeRow[] = [];
  const totals = new Map<string, {slice: string; community: string; persons: number; kept: number}>();
  cube.rows.forEach((r, i) => {
    if (r.community_code === cityCode) return void rows.push(r);
    const key = `${r.slice}\u0000${r.community_code}`;
    const total = totals.get(key) ?? {slice: r.slice, community: r.community_code, persons: 0, kept: 0};
    totals.set(key, total);
    total.persons += r.persons;
    if (!r.suppressed && !hiddenRows.has(i)) (total.kept += r.persons), rows.push(r);
  });
  const pooledDims = Object.fromEntries(cubeDimensions.map((d) => [d, null])) as Pick<PersonsCubeRow, CubeDimension>;
  for (const t of totals.values()) if (t.persons > t.kept) rows.push({slice: t.slice, community_code: t.community, ...pooledDims, suppressed: true, persons: t.persons - t.kept});
  const pooledBySlice = new Map<string, number>();
  for (const r of rows) if (r.suppressed) pooledBySlice.set(r.slice, (pooledBySlice.get(r.slice) ?? 0) + r.persons);
  return {...cube, rows, suppressedPersons: Math.max(0, ...pooledBySlice.values())};
}

export interface ProtectedPublication {
  cube: CubeResult;
  summary: PersonsSummaryRow[];
  /** Figures hidden by rule 2 beyond each table's own rules. */
  complementary: number;
}

/** Rules 2 and 3 over a cube and a summary already protected by their own rules. */
export function protectTogether(options: {
  cube: CubeResult;
  summary: readonly PersonsSummaryRow[];
  units: readonly UnitRow[];
  records: (community: string, clique: readonly CubeDimension[]) => Iterable<TruthRecord>;
  domain: (dimension: CubeDimension, clique: readonly CubeDimension[]) => readonly DimensionValue[];
  communities: readonly string[];
}): ProtectedPublication {
  const {cube, summary, units} = options;
  const threshold = cube.minCellSize;
  const cityCode = units.find((u) => u.level === "city")?.unit_code ?? null;
  const model = modelOf(cube, summary, cityCode, options);
  const hidden = complementaryHidden(model, threshold);
  const hiddenCube = new Set<number>();
  const hiddenSummary = new Map<number, Set<string>>();
  let complementary = 0;
  hidden.forEach((h, v) => {
    if (!h) return;
    complementary++;
    for (const ref of model.refs[v]!)
      if (ref.dataset === "persons_cube") hiddenCube.add(ref.row);
      else hiddenSummary.set(ref.row, (hiddenSummary.get(ref.row) ?? new Set()).add(ref.column));
  });
  const protectedCube = repoolCube(cube, hiddenCube, cityCode);
  const protectedSummary = summary.map((r, i) => {
    const columns = hiddenSummary.get(i);
    if (!columns) return r;
    const row = {...r, suppressed: true};
    for (const c of columns) (row as Record<string, unknown>)[c] = null;
    return row;
  });
  // Rule 3: the audit of what is actually published, from the rows themselves.
  const published = modelOf(protectedCube, protectedSummary, cityCode, options);
  assertNoDisclosure(published, threshold, publishedIn(published));
  return {cube: protectedCube, summary: protectedSummary, complementary};
}

/** The disclosure model of a publication (cube rows and summary rows) over the city's true records. */
export function modelOf(
  cube: CubeResult,
  summary: readonly PersonsSummaryRow[],
  cityCode: string | null,
  options: {records: (community: string, clique: readonly CubeDimension[]) => Iterable<TruthRecord>; domain: (dimension: CubeDimension, clique: readonly CubeDimension[]) => readonly DimensionValue[]; communities: readonly string[]},
): DisclosureModel {
  const inCube = new Set(cube.rows.map((r) => r.community_code));
  const {figures, known} = summaryFigures(summary);
  return buildDisclosureModel({
    communities: options.communities.map((code) => ({code, atCityLevel: !inCube.has(code)})),
    cityLevelPersons: cityCode !== null && cube.cityLevelPersons > 0 ? cube.cityLevelPersons : null,
    figures: [...cubeFigures(cube.rows, cityCode), ...figures],
    tables: [...new Set(cube.rows.map((r) => r.slice))].map(sliceDimensions).concat(summary.length ? summaryTables : []),
    records: options.records,
    domain: options.domain,
    knownCells: summary.length ? known : undefined,
  });
}

/** The rule as the downloads README, the manifest and the codebooks state it. */
export function disclosureRule(threshold: number): {zh: string; en: string} {
  return {
    zh:
      `统一小数保护（阈值 T = ${threshold}）：persons_cube 各口径与 persons_summary 作为一个整体保护（简报、测算结果与页面只用 persons_cube 的数）。` +
      `先按各表自身规则合并或置空 1 至 ${threshold - 1} 人的格；再把所有公布的数当作一组加减关系（嵌套口径、类别 × 等级与类别、等级口径、社区合计、市级合并行），` +
      `若某个未公布的格、或“上级数减去已公布的下级数”的余数，可被推算到 1 至 ${threshold - 1} 人，就再隐去该关系中最小的已公布数，反复直到没有这样的数。` +
      `构建时审计：仍有可推算的小数则构建失败。真实城市的 persons_summary 列出每个社区的每一类别 × 等级（含 0 人的行），行的有无不透露有人。审计覆盖由已公布数反复相加减得到的区间；不覆盖线性规划才能求出的更紧区间与公布数据以外的知识。`,
    en:
      `One disclosure control (T = ${threshold}) over persons_cube and persons_summary together (briefings, scenario results and pages count from persons_cube only). ` +
      `Each table's own rules hide counts of 1–${threshold - 1}; then all published figures are treated as one system of sum relations (nested slices, category × grade inside the category and grade slices, community totals, the city-level row) ` +
      `and wherever an unpublished cell, or a whole minus its published parts, is pinned to 1–${threshold - 1}, the smallest published figure of that relation is hidden too, to a fixed point. ` +
      `The build fails if any such count remains. A real city's persons_summary lists every category × grade of every community (empty ones too), so a row's presence says nothing. Covered: intervals from repeated additions and subtractions of published figures; not covered: tighter bounds only linear programming finds, and outside knowledge.`,
  };
}

/** A city of person rows: each table's own rules, then both protected together (what a real build publishes). */
export function protectPersonsPublication(persons: readonly PersonRow[], units: readonly UnitRow[], threshold: number): ProtectedPublication {
  const cube = buildPersonsCube(persons, threshold, units);
  const summary = protectSummary(completeCells(summarisePersons(persons, units)), {synthetic: false, threshold});
  return protectPersonRows(persons, cube, summary, units, dimensionsOf);
}

/** A city of person rows: cube and summary protected together. */
export function protectPersonRows(persons: readonly PersonRow[], cube: CubeResult, summary: readonly PersonsSummaryRow[], units: readonly UnitRow[], dimensionsOf: (p: PersonRow) => Values): ProtectedPublication {
  const byCommunity = new Map<string, TruthRecord[]>();
  for (const p of persons) {
    const list = byCommunity.get(p.community_code);
    const record = {values: dimensionsOf(p), weight: 1};
    if (list) list.push(record);
    else byCommunity.set(p.community_code, [record]);
  }
  return protectTogether({cube, summary, units, records: (c) => byCommunity.get(c) ?? [], domain: personRowDomain, communities: [...byCommunity.keys()].sort()});
}
