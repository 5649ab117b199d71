import type {Table} from "npm:apache-arrow";

// Types only: the city a page opens, shared by cityDb.ts (which opens it) and importStore.ts and
// storedCityRecord.ts (which keep it in the browser), so that none of them imports another for a type.

/**
 * Whose data a page shows: the bundled synthetic demo city, a planner's own imported workbook, or a
 * site built from a planner's workbook ("published": persons only as persons_cube counts).
 */
export interface CitySource {
  kind: "demo" | "imported" | "published";
  /** Badge text, e.g. "示例市（合成数据）" or "本机导入：某某区残联 2026.xlsx". */
  label: string;
  /** When the imported data was stored (ISO), for the badge's tooltip. */
  importedAt?: string;
  /** A published real city: persons counted, and the fewest and most pooled in the slices the engines read. */
  cube?: {persons: number; pooledMin: number; pooledMax: number};
  /** A city given as counts per community (no person rows): persons counted and the slices its counts give. */
  counts?: {persons: number; slices: string[]};
  /** An imported city kept only in the import page's memory (仅在本标签页使用), not in IndexedDB. */
  session?: boolean;
  /** Why a city stored in this browser was not used (old or damaged record), shown with the badge. */
  notice?: string;
}

/** An imported city kept in the browser (IndexedDB), as Arrow tables with the demo city's schemas. */
export interface ImportedCity {
  source: CitySource;
  units: Table;
  /** Person rows; may be empty when the city is given as counts. */
  persons: Table;
  /** Counts per community (src/schemas/communityCounts.ts): used when present and there are no person rows. */
  communityCounts?: Table;
}
