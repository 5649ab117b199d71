/**
 * persons_cube of a city given as counts per community (community_counts, no person rows): the cells
 * the engines derive from the counts (src/engine/communityCountsCube.ts, the same SQL the browser runs),
 * pooled by the same small-cell rules as person rows (personsCube.ts: communities below T counted at
 * city level, cells below T pooled per community), so a build can publish a count-only city.
 */
import {deriveCommunityCountsCube, writeCommunityCounts} from "../../src/engine/communityCountsCube.js";
import type {CommunityCountsRow} from "../../src/schemas/communityCounts.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {NodeDuckDB} from "../duckdbNode.js";
import {poolCube, type Cell, type CubeResult, type Dimensions, type PersonsCubeRow} from "./personsCube.js";

const CELLS_TABLE = "counts_cells";

/** The counts' persons_cube, small cells pooled at `minCellSize` (see personsCube.ts for the rules). */
export async function buildCountsCube(counts: readonly CommunityCountsRow[], minCellSize: number, units: readonly UnitRow[] = []): Promise<CubeResult> {
  const db = await NodeDuckDB.open({threads: 1});
  try {
    await writeCommunityCounts(db, counts);
    const slices = await deriveCommunityCountsCube(db, "community_counts", CELLS_TABLE);
    const cells = new Map<string, Cell[]>();
    for (const r of await db.query<PersonsCubeRow>(`SELECT * FROM "${CELLS_TABLE}"`)) {
      const {slice, community_code, suppressed: _s, persons, ...row} = r;
      const key = `${slice}\u0000${community_code}`;
      const cell = {row: row as Dimensions, persons: Number(persons)};
      cells.set(key, [...(cells.get(key) ?? []), cell]);
    }
    const sizes = new Map<string, number>();
    for (const c of counts) sizes.set(c.community_code, (sizes.get(c.community_code) ?? 0) + c.persons);
    return poolCube(slices, sizes, (slice, code) => cells.get(`${slice}\u0000${code}`) ?? [], minCellSize, units);
  } finally {
    db.close();
  }
}
