import {gapQuery, gapSummary, topUnit, type BreadcrumbItem, type GapOptions, type GapResult, type GapSummary} from "../engine/gapQuery.js";
import {indicatorIds, type IndicatorId} from "../engine/indicators.js";
import {planYears} from "../engine/planPeriod.js";
import {presets} from "../engine/presets.js";
import type {Queryable} from "../engine/queryable.js";
import {prepareModel, runScenario, type ScenarioResult} from "../engine/runScenario.js";
import {baselineScenario, type Scenario} from "../engine/scenario.js";
import {nationalCriteria, scorecard, type ScorecardOptions, type ScorecardResult} from "../engine/scorecard.js";
import type {Cube} from "../engine/cube.js";
import {togglePreset} from "./scenarioState.js";

/**
 * The opening views (首屏数字) of 覆盖缺口 and 预算沙盘, computed at build time by the Node engines on the
 * published city (src/data/opening_gaps.json, opening_sandbox.json): what each page shows before DuckDB-WASM is in, and its
 * most likely next views — every indicator at district level for the plan's first year, the sandbox's
 * baseline and each preset. The page answers these from the file and everything else from DuckDB once
 * it has loaded; the figures are the same either way (tests/browser/publishedFirst.test.ts). Pure: no DOM.
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
