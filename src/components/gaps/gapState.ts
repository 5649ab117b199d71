import {childLevel, gapLevels, type BreadcrumbItem, type GapLevel, type GapResult, type GapRow, type GapSummary} from "../../engine/gapQuery.js";
import type {ScorecardResult} from "../../engine/scorecard.js";
import {searchGapRows, sortTableRows} from "./gapColumns.js";
import {gapViewQuery, viewLevels, type GapView, type ViewLevel} from "./viewState.js";

/**
 * What every view of the coverage-gap explorer (覆盖缺口) is given: the state after the engine answered,
 * and the actions it may take. Views are built once and updated in place, as the budget sandbox's are
 * (see scenarioView.ts); the explorer decides which views a change redraws (a search redraws the table,
 * not the charts).
 */

export interface GapState {
  /** The view shown; it lives in the URL. */
  view: GapView;
  /** The units drilled into, the city first; the view's `unit` is the last one (null for the city). */
  scope: readonly BreadcrumbItem[];
  /** The engine's rows for the view (null until the first answer, and while a new query runs). */
  result: GapResult | null;
  /** The totals above the charts (null until they are computed). */
  summary: GapSummary | null;
  /** The scorecard of the scope's communities (null until it is computed). */
  card: ScorecardResult | null;
  /** The same scorecard on the national 14th plan's targets (nationalCriteria). */
  nationalCard: ScorecardResult | null;
  /** What the page says about the view (an unknown unit replaced, a level the scope has not). */
  said: readonly string[];
  /** Every table row drawn, not only the first TABLE_FIRST_ROWS. */
  showAll: boolean;
}

export interface GapActions {
  /** Shows a view: a drill-down pushes a history entry, any other change replaces it. */
  show(view: GapView, how: "push" | "replace"): void;
  /** Drills into a unit (its level below); a unit with no level below does nothing. */
  drill(unitCode: string, level: GapLevel): void;
  /** The link of a unit's drill-down view; null for a unit with no level below. */
  drillHref(unitCode: string, level: GapLevel): string | null;
  /** Draws every row of the table. */
  showAll(): void;
}

export interface GapPart {
  element: HTMLElement;
  update(state: GapState): void;
}

/** Table rows drawn before "show all": enough for any district or street, quick for 600 communities. */
export const TABLE_FIRST_ROWS = 100;

/** The unit of the scope (null for the city). */
export const scopeUnit = (scope: readonly BreadcrumbItem[]) => (scope.length > 1 ? scope.at(-1)!.unit_code : null);
/** The scope's name, as the page's sentences say it. */
export const scopeName = (state: Pick<GapState, "scope">) => state.scope.at(-1)?.unit_name ?? "全市";
/** The levels the scope can list (the levels below it). */
export function levelsBelow(scope: readonly BreadcrumbItem[]): ViewLevel[] {
  const level = scope.at(-1)?.level ?? "city";
  return viewLevels.filter((l) => gapLevels.indexOf(l) > gapLevels.indexOf(level));
}

/** The view of a unit's drill-down (its level below, search cleared); null for a unit with no level below. */
export function drillView(view: GapView, unitCode: string, level: GapLevel): GapView | null {
  const below = childLevel(level);
  return below === null || below === "city" ? null : {...view, unit: level === "city" ? null : unitCode, level: below as ViewLevel, q: ""};
}

export const drillHref = (view: GapView, unitCode: string, level: GapLevel) => {
  const next = drillView(view, unitCode, level);
  return next ? gapViewQuery(next) : null;
};

/** True when two views ask the engine the same question (search, sort and order are the page's own). */
export function sameQuery(a: GapView, b: GapView): boolean {
  return a.indicator === b.indicator && a.level === b.level && a.unit === b.unit && a.year === b.year && a.categories.join() === b.categories.join() && a.grades.join() === b.grades.join();
}

let lastRows: {result: GapResult; q: string; sort: string; order: string; rows: GapRow[]} | null = null;
/** The table's rows as shown: searched and sorted (kept for the last view, which the table, its count and the downloads share). */
export function tableRows(state: Pick<GapState, "result" | "view">): GapRow[] {
  const {result, view} = state;
  if (!result) return [];
  if (lastRows && lastRows.result === result && lastRows.q === view.q && lastRows.sort === view.sort && lastRows.order === view.order) return lastRows.rows;
  const rows = sortTableRows(searchGapRows(result.rows, view.q), view.sort, view.order);
  lastRows = {result, q: view.q, sort: view.sort, order: view.order, rows};
  return rows;
}

/** Runs a drawing step and records its time under the timings' `parts` (see GapTimings). */
export type Timed = (part: string, draw: () => void) => void;
