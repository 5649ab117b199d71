/**
 * persons_cube of a city given as counts per community (community_counts, no person rows): the cells
 * the engines derive from the counts (src/engine/communityCountsCube.ts, the same SQL the browser runs),
 * pooled by the same small-cell rules as person rows (personsCube.ts: communities below T counted at
 * city level, cells below T pooled per community), then protected across slices by the disclosure
 * control (loaders/publish/disclosureControl.ts), so a build can publish a count-only city.
 */
import {deriveCommunityCountsCube, writeCommunityCounts} from "../../src/engine/communityCountsCube.js";
import {sliceDimensions, type CubeDimension} from "../../src/engine/personCounts.js";
import type {CommunityCountsRow} from "../../src/schemas/communityCounts.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {NodeDuckDB} from "../duckdbNode.js";
import {countsDomain, protectTogether} from "../publish/disclosureControl.js";
import {poolCube, type Cell, type CubeResult, type Dimensions, type PersonsCubeRow} from "./personsCube.js";

const CELLS_TABLE = "counts_cells";

/** The counts' slices and every community's cells in each, before any pooling. */
export async function countsCells(counts: readonly CommunityCountsRow[]): Promise<{slices: string[]; cells: Map<string, Cell[]>; sizes: Map<string, number>}> {
  const db = await NodeDuckDB.open({threads: 1});
  try {
    await writeCommunityCounts(db, counts);
    const slices = await deriveCommunityCountsCube(db, "community_counts", CELLS_TABLE);
    const cells = new Map<string, Cell[]>();
    for (const r of await db.query<PersonsCubeRow>(`SELECT * FROM "${CELLS_TABLE}"`)) {
      const {slice, community_code, suppressed: _s, persons, ...row} = r;
      const key = `${slice}\u0000${community_code}`;
      const cell = {row: row as Dimensions, persons: Number(persons)};
      const list = cells.get(key);
      if (list) list.push(cell);
      else cells.set(key, [cell]);
    }
    const sizes = new Map<string, number>();
    for (const c of counts) sizes.set(c.community_code, (sizes.get(c.community_code) ?? 0) + c.persons);
    return {slices, cells, sizes};
  } finally {
    db.close();
  }
}

/** The counts' persons_cube, small cells pooled at `minCellSize` and protected across slices. */
export async function buildCountsCube(counts: readonly CommunityCountsRow[], minCellSize: number, units: readonly UnitRow[] = []): Promise<CubeResult> {
  const {slices, cells, sizes} = await countsCells(counts);
  const cellsOf = (slice: string, code: string) => cells.get(`${slice}\u0000${code}`) ?? [];
  const cube = poolCube(slices, sizes, cellsOf, minCellSize, units);
  const sliceOf = new Map(slices.map((s) => [sliceDimensions(s).join("+"), s]));
  const records = (code: string, clique: readonly CubeDimension[]) => {
    const slice = sliceOf.get(clique.join("+"));
    return slice === undefined ? [] : cellsOf(slice, code).map((c) => ({values: c.row, weight: c.persons}));
  };
  return protectTogether({cube, summary: [], units, records, domain: countsDomain(slices), communities: [...sizes.keys()].sort()}).cube;
}
