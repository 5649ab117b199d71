import type {BreadcrumbItem, GapOptions, GapResult, GapSummary} from "../../engine/gapQuery.js";
import type {IndicatorId} from "../../engine/indicators.js";
import type {ScenarioResult} from "../../engine/runScenario.js";
import type {ScorecardOptions, ScorecardResult} from "../../engine/scorecard.js";
import type {Cube} from "../../engine/cube.js";

/**
 * The opening views (首屏数字) of 覆盖缺口 and 预算沙盘, computed at build time by the Node engines on the
 * published city (src/data/opening_gaps.json, opening_sandbox.json): what each page shows before DuckDB-WASM is in, and its
 * most likely next views — every indicator at district level for the plan's first year, the sandbox's
 * baseline and each preset (computed by loaders/publish/openingViews.ts). The page answers these from the
 * file and everything else from DuckDB once it has loaded; the figures are the same either way
 * (tests/browser/publishedFirst.test.ts). Types and pure checks only, no engine code: the page's first
 * figures wait for as few modules as possible.
 */

/** The first scenario slot of a fresh sandbox (initialSlots in scenarioSandbox.ts). */
export const FIRST_SLOT_NAME = "方案 1";

/** The city the build published (the badge's words, as openCityDb would say them). */
export interface PublishedSource {
  kind: "demo" | "published";
  label: string;
  cube?: {persons: number; pooledMin: number; pooledMax: number};
}

export interface OpeningGaps {
  source: PublishedSource;
  year: number;
  top: BreadcrumbItem | null;
  views: {indicator: IndicatorId; result: GapResult; summary: GapSummary}[];
  scorecard: ScorecardResult;
  /** The same scorecard on the national plan's targets (nationalCriteria). */
  nationalScorecard: ScorecardResult;
}

export interface OpeningSandbox {
  source: PublishedSource;
  cube: Cube;
  /** The parameters table's rows, as the engine's loadParameters reads them. */
  parameterRows: Record<string, unknown>[];
  /** The baseline, then the baseline with each preset on. */
  results: ScenarioResult[];
}

/** The gap question of an indicator's opening view. */
export function openingGapOptions(indicator: IndicatorId, year: number): GapOptions {
  return {indicator, level: "district", parent: null, year, categories: [], grades: []};
}

/** True when a gap question is one of the opening views (the whole city by district, no filter, the first year). */
export function isOpeningGap(options: GapOptions | ScorecardOptions, year: number): boolean {
  const o = options as Partial<GapOptions>;
  return o.level === "district" && (o.parent ?? null) === null && o.year === year && !o.categories?.length && !o.grades?.length;
}
