/**
 * persons_cube (人员汇总立方体): what the site publishes about persons when the city is real, and what the
 * engines read for it (src/engine/personCounts.ts). Schema and slices: src/schemas/personsCube.ts.
 *
 * Small-cell protection, per slice (each counts every person once), with threshold T:
 * 1. A community with fewer than T persons publishes nothing of its own: its persons join one row at city
 *    level (community_code = the city's code, every dimension null). While that row holds one community
 *    only, or fewer than T persons, the next smallest community joins it, so it can be read neither as
 *    one community's count nor as a small count.
 * 2. In every other community, a cell of fewer than T persons is pooled into the community's one pooled
 *    row (every dimension null, `suppressed = true`).
 * 3. A pooled row of 1 … T − 1 persons would itself be a small count: the community's smallest
 *    published cells join it until it reaches T (a community has at least T persons, so it does).
 * Community totals stay exact (except in rule 1), and no row below city level counts fewer than T.
 */
import {ageBands, ageBandStarts, type AgeBand} from "../../src/engine/programmes.js";
import {cubeDimensions, cubeSlices, sliceDimensions, sliceName, type CubeDimension} from "../../src/engine/personCounts.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import type {PersonsCubeRow} from "../../src/schemas/personsCube.js";
import type {UnitRow} from "../../src/schemas/units.js";

export {personsCube, personsCubeRow, type PersonsCubeRow} from "../../src/schemas/personsCube.js";

export function ageBandOf(age: number): AgeBand {
  let band: AgeBand = ageBands[0];
  for (const b of ageBands) if (age >= ageBandStarts[b]) band = b;
  return band;
}

export interface CubeResult {
  rows: PersonsCubeRow[];
  /** Most persons in pooled rows of any slice (their detail is not published in that slice). */
  suppressedPersons: number;
  /** Persons of communities below the threshold, counted only at city level. */
  cityLevelPersons: number;
  persons: number;
  /** The threshold applied. */
  minCellSize: number;
}

export type Dimensions = Pick<PersonsCubeRow, CubeDimension>;

export function dimensionsOf(p: PersonRow): Dimensions {
  const {community_code: _c, person_id: _i, age, ...flags} = p;
  return {...flags, age_band: ageBandOf(age)};
}

const pooledDimensions = Object.fromEntries(cubeDimensions.map((d) => [d, null])) as {[K in CubeDimension]: null};

/** A cell of a slice in one community before pooling: its dimensions (null outside the slice) and persons. */
export interface Cell {
  row: Dimensions;
  persons: number;
}

/** Persons of one community counted into a slice's cells. */
function cellsOf(dims: readonly CubeDimension[], persons: readonly Dimensions[]): Cell[] {
  const cells = new Map<string, Cell>();
  for (const p of persons) {
    const row = {...pooledDimensions, ...Object.fromEntries(dims.map((d) => [d, p[d] ?? null]))} as Dimensions;
    const key = JSON.stringify(dims.map((d) => row[d]));
    const cell = cells.get(key);
    if (cell) cell.persons++;
    else cells.set(key, {row, persons: 1});
  }
  return [...cells.values()];
}

/** One slice's cells of one community, pooled by rules 2 and 3. */
function poolCells(slice: string, community: string, cells: readonly Cell[], minCellSize: number): PersonsCubeRow[] {
  const dims = sliceDimensions(slice);
  const keyed = cells.map((c) => [JSON.stringify(dims.map((d) => c.row[d])), c] as const);
  // Largest first, ties in a fixed order, so rule 3 takes the same cells every run.
  const published = keyed.sort(([ka, a], [kb, b]) => b.persons - a.persons || (ka < kb ? -1 : 1)).map(([, c]) => c);
  let pooled = 0;
  while (published.length && published.at(-1)!.persons < minCellSize) pooled += published.pop()!.persons;
  while (pooled > 0 && pooled < minCellSize && published.length) pooled += published.pop()!.persons;
  const rows: PersonsCubeRow[] = published.map((c) => ({slice, community_code: community, ...c.row, suppressed: false, persons: c.persons}));
  if (pooled > 0) rows.push({slice, community_code: community, ...pooledDimensions, suppressed: true, persons: pooled});
  return rows;
}

function checkThreshold(minCellSize: number): void {
  if (!Number.isInteger(minCellSize) || minCellSize < 1) throw new Error(`persons_cube threshold must be a positive integer, got ${minCellSize}`);
}

/**
 * The small-cell rules over cells already counted per slice and community: `sizes` gives each
 * community's persons (rule 1), `cells(slice, community)` its unpooled cells in that slice.
 */
export function poolCube(slices: readonly string[], sizes: ReadonlyMap<string, number>, cells: (slice: string, community: string) => readonly Cell[], minCellSize: number, units: readonly UnitRow[]): CubeResult {
  checkThreshold(minCellSize);
  const codes = [...sizes.keys()].sort();
  const size = (c: string) => sizes.get(c)!;
  const small = codes.filter((c) => size(c) < minCellSize);
  const others = codes.filter((c) => size(c) >= minCellSize).sort((a, b) => size(a) - size(b) || (a < b ? -1 : 1));
  // The city row must be neither one community's count nor a small count itself.
  while (small.length > 0 && (small.length === 1 || small.reduce((n, c) => n + size(c), 0) < minCellSize) && others.length) small.push(others.shift()!);
  const cityCode = units.find((u) => u.level === "city")?.unit_code ?? null;
  // Without a city to count them at, the small communities' persons are not published at all.
  const cityLevelPersons = small.reduce((n, c) => n + size(c), 0);
  const rows: PersonsCubeRow[] = [];
  let suppressedPersons = 0;
  for (const slice of slices) {
    const before = rows.length;
    for (const code of codes) if (!small.includes(code)) rows.push(...poolCells(slice, code, cells(slice, code), minCellSize));
    if (cityLevelPersons > 0 && cityCode !== null) rows.push({slice, community_code: cityCode, ...pooledDimensions, suppressed: true, persons: cityLevelPersons});
    suppressedPersons = Math.max(suppressedPersons, rows.slice(before).reduce((n, r) => n + (r.suppressed ? r.persons : 0), 0));
  }
  return {rows, suppressedPersons, cityLevelPersons, persons: codes.reduce((n, c) => n + size(c), 0), minCellSize};
}

/**
 * Counts persons into the cube's slices with the small-cell rules above. `units` names the city (for
 * rule 1); persons of a community not in `units` are counted under their own code, as written.
 */
export function buildPersonsCube(persons: readonly PersonRow[], minCellSize: number, units: readonly UnitRow[] = []): CubeResult {
  checkThreshold(minCellSize);
  const byCommunity = new Map<string, Dimensions[]>();
  for (const p of persons) {
    const list = byCommunity.get(p.community_code);
    if (list) list.push(dimensionsOf(p));
    else byCommunity.set(p.community_code, [dimensionsOf(p)]);
  }
  const sizes = new Map([...byCommunity].map(([c, list]) => [c, list.length]));
  const names = new Map(cubeSlices.map((dims) => [sliceName(dims), dims]));
  return poolCube([...names.keys()], sizes, (slice, code) => cellsOf(names.get(slice)!, byCommunity.get(code)!), minCellSize, units);
}
