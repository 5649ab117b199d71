import {FIRST_SLOT_NAME, openingGapOptions, type OpeningGaps, type OpeningSandbox, type PublishedSource} from "../../src/components/shared/openingViews.js";
import {togglePreset} from "../../src/components/sandbox/scenarioState.js";
import {gapQuery, gapSummary, topUnit} from "../../src/engine/gapQuery.js";
import {indicatorIds} from "../../src/engine/indicators.js";
import {personCountTotals} from "../../src/engine/personCounts.js";
import {planYears} from "../../src/engine/planPeriod.js";
import {presets} from "../../src/engine/presets.js";
import type {Queryable} from "../../src/engine/queryable.js";
import {prepareModel, runScenario, type ScenarioResult} from "../../src/engine/runScenario.js";
import {baselineScenario, type Scenario} from "../../src/engine/scenario.js";
import {nationalCriteria, scorecard} from "../../src/engine/scorecard.js";
import {openCityDatabase} from "./cityDatabase.js";
import {publishedCity} from "./city.js";

/**
 * The opening views of the published city (src/components/shared/openingViews.ts), computed by the Node engines
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

/** The scenarios the sandbox opens with or is one click from: the baseline and each preset. */
export function openingScenarios(): Scenario[] {
  const first = baselineScenario(FIRST_SLOT_NAME);
  return [first, ...presets.map((p) => togglePreset(first, p))];
}

/** The parameters table as plain rows (ISO dates, numbers), as loadParameters reads it. */
async function parameterRows(db: Queryable): Promise<Record<string, unknown>[]> {
  const rows = await db.query("SELECT * FROM parameters ORDER BY id, effective_date");
  return rows.map((r) => ({...r, effective_date: String(r.effective_date).slice(0, 10), value: Number(r.value), quote: r.quote ?? null}));
}

/** 覆盖缺口's opening views on a database holding the published city (the Node engines at build time). */
export async function computeOpeningGaps(db: Queryable, source: PublishedSource): Promise<OpeningGaps> {
  const year = planYears[0]!;
  const views: OpeningGaps["views"] = [];
  for (const indicator of indicatorIds) {
    const options = openingGapOptions(indicator, year);
    views.push({indicator, result: await gapQuery(db, options), summary: await gapSummary(db, options)});
  }
  const card = (criteria?: typeof nationalCriteria) => scorecard(db, {level: "district", parent: null, year, criteria});
  return {source, year, top: await topUnit(db), views, scorecard: await card(), nationalScorecard: await card(nationalCriteria)};
}

/** 预算沙盘's opening results: the baseline and each preset, on the model the page would prepare. */
export async function computeOpeningSandbox(db: Queryable, source: PublishedSource): Promise<OpeningSandbox> {
  const model = await prepareModel(db);
  const results: ScenarioResult[] = [];
  for (const scenario of openingScenarios()) results.push(await runScenario(db, scenario, {model}));
  return {source, cube: model.cube, parameterRows: await parameterRows(db), results};
}
