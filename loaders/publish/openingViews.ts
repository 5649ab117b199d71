import {computeOpeningGaps, computeOpeningSandbox, type OpeningGaps, type OpeningSandbox, type PublishedSource} from "../../src/components/openingViews.js";
import type {Queryable} from "../../src/engine/queryable.js";
import {personCountTotals} from "../../src/engine/personCounts.js";
import {openCityDatabase} from "./cityDatabase.js";
import {publishedCity} from "./city.js";

/**
 * The opening views of the published city (src/components/openingViews.ts), computed by the Node engines
 * on the same tables the briefings read (openCityDatabase), with the badge the pages would show for it.
 */
async function withPublishedCity<T>(compute: (db: Queryable, source: PublishedSource) => Promise<T>): Promise<T> {
  const city = await publishedCity();
  const db = await openCityDatabase(city);
  try {
    let source: PublishedSource = {kind: "demo", label: "示例市（合成数据）"};
    if (!city.synthetic) {
      // As cityDb.ts words a real city's badge, from the cube its pages count from.
      const {persons, slices} = await personCountTotals(db);
      const pooled = slices.map((s) => s.pooled);
      source = {kind: "published", label: `${city.name}（构建时导入，人员只发布汇总数）`, cube: {persons, pooledMin: Math.min(...pooled), pooledMax: Math.max(...pooled)}};
    }
    return await compute(db, source);
  } finally {
    db.close();
  }
}

export const loadOpeningGaps = (): Promise<OpeningGaps> => withPublishedCity(computeOpeningGaps);
export const loadOpeningSandbox = (): Promise<OpeningSandbox> => withPublishedCity(computeOpeningSandbox);
