import {breadcrumb, gapQuery, gapSummary, topUnit, type BreadcrumbItem, type GapOptions, type GapResult, type GapSummary} from "../../engine/gapQuery.js";
import type {Queryable} from "../../engine/queryable.js";
import {nationalCriteria, scorecard, type ScorecardOptions, type ScorecardResult} from "../../engine/scorecard.js";
import {wantEngine} from "../shared/engineProgress.js";
import {isOpeningGap, type OpeningGaps} from "../shared/openingViews.js";

/**
 * The engine calls of the gap explorer, behind one interface so the page can answer its opening views
 * from the build's published figures (openingViews.ts) while DuckDB-WASM loads, and every other view —
 * and every view once the engine is in — from DuckDB. A question asked before the engine is in waits
 * for it: the explorer keeps only the latest view asked for, so no input is lost.
 */
export interface GapEngine {
  topUnit(): Promise<BreadcrumbItem | null>;
  breadcrumb(unitCode: string): Promise<BreadcrumbItem[]>;
  gapQuery(options: GapOptions): Promise<GapResult>;
  gapSummary(options: GapOptions): Promise<GapSummary>;
  scorecard(options: ScorecardOptions): Promise<ScorecardResult>;
  /** "published" while answers come from the build, "duckdb" once the engine is in. */
  readonly state: "published" | "duckdb";
  /** Resolves when DuckDB-WASM answers (at once for a database already open). */
  readonly ready: Promise<void>;
}

/** The explorer's calls on an open database. */
export function duckdbGapEngine(db: Queryable): GapEngine {
  return {
    topUnit: () => topUnit(db),
    breadcrumb: (code) => breadcrumb(db, code),
    gapQuery: (o) => gapQuery(db, o),
    gapSummary: (o) => gapSummary(db, o),
    scorecard: (o) => scorecard(db, o),
    state: "duckdb",
    ready: Promise.resolve(),
  };
}

/**
 * The published city's opening views first, DuckDB once `db` resolves. Only for the city the build
 * published: an imported city must never be shown the published city's figures (cityDb.ts decides).
 */
export function publishedFirstGapEngine(opening: OpeningGaps, db: Promise<Queryable>): GapEngine {
  let engine: GapEngine | null = null;
  const ready = db.then((d) => void (engine = duckdbGapEngine(d)));
  // A view the published figures do not hold starts the engine now (cityDb.ts waits for the first figures).
  const later = () => (wantEngine(), ready.then(() => engine!));
  const view = (o: GapOptions) => (engine === null && isOpeningGap(o, opening.year) ? opening.views.find((v) => v.indicator === o.indicator) : undefined);
  return {
    topUnit: async () => (engine ? engine.topUnit() : opening.top),
    breadcrumb: async (code) => (await later()).breadcrumb(code),
    gapQuery: async (o) => view(o)?.result ?? (await later()).gapQuery(o),
    gapSummary: async (o) => view(o)?.summary ?? (await later()).gapSummary(o),
    // The published opening scorecards: the demonstration standard's and the national targets'; other criteria wait for the engine.
    scorecard: async (o) => {
      const published = !o.criteria ? opening.scorecard : o.criteria === nationalCriteria ? opening.nationalScorecard : undefined;
      return engine === null && published && isOpeningGap(o, opening.year) ? published : (await later()).scorecard(o);
    },
    get state() {
      return engine ? "duckdb" : "published";
    },
    ready,
  };
}
