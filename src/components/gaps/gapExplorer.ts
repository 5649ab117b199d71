import type {GapLevel} from "../../engine/gapQuery.js";
import {planYears} from "../../engine/planPeriod.js";
import {nationalCriteria} from "../../engine/scorecard.js";
import type {CitySource} from "../shared/cityDb.js";
import {GapControls} from "./gapControls.js";
import {h} from "../shared/dom.js";
import type {GapEngine} from "./gapEngine.js";
import {addGapStyles} from "./gapStyles.js";
import {levelPlural} from "./gapText.js";
import {GapBreadcrumbView} from "./gapBreadcrumbView.js";
import {GapChartsView} from "./gapChartsView.js";
import {GapEngineStatus} from "./gapEngineStatus.js";
import {GapMethodsView, GapMethodView} from "./gapMethodView.js";
import {GapNotesView} from "./gapNotesView.js";
import {GapScorecardView} from "./gapScorecardView.js";
import {drillHref, drillView, levelsBelow, sameQuery, scopeUnit, type GapActions, type GapState} from "./gapState.js";
import {GapSummaryView} from "./gapSummaryView.js";
import {GapTableTools} from "./gapTableTools.js";
import {GapTableView} from "./gapTableView.js";
import {gapViewQuery, parseGapView, type GapView} from "./viewState.js";

/**
 * The coverage-gap explorer (覆盖缺口): the page's controls, breadcrumb, summary, charts, table and
 * scorecard, kept in step with one view that lives in the URL. A control change runs the engine
 * (gapQuery, then gapSummary and, when the scope or year changed, scorecard) on the page's one
 * database — prepared statements are reused, nothing is reloaded — and redraws in place. Drill-down
 * (a chart, a table link, the breadcrumb) pushes a history entry; other changes replace it; Back and
 * Forward restore the view without a reload.
 *
 * The explorer holds the state (gaps/gapState.ts) and the order of work; each section is a view in
 * gaps/ with `update(state)`, as the budget sandbox's are. A change redraws what it changed: a new
 * question (indicator, level, scope, year, filters) the charts, method and table, then the summary and,
 * for a new scope or year, the scorecard; a search or sort the table alone.
 *
 * For the benchmark, `window.__dpfGaps` holds the last change's timings (see GapTimings) and the
 * performance timeline gets `dpf:gaps-query` and `dpf:gaps-render` measures.
 */

/** Timings of the last view change, in ms from the control's event (see the report and bench/README.md). */
export interface GapTimings {
  /** Changes fully rendered so far (the first view counts); wait for it to grow after a change. */
  changes: number;
  /** The view shown, as its query string. */
  view: string;
  /** gapQuery alone: the engine's round trip to DuckDB-WASM for the new rows. */
  queryMs: number | null;
  /** From the rows to the table and charts in the DOM (synchronous DOM work). */
  renderMs: number | null;
  /** From the control's event to the table and charts in the DOM (scope check + query + render). */
  resultMs: number | null;
  /** gapSummary (the totals above the charts), after the charts are drawn. */
  summaryMs: number | null;
  /** scorecard (only when the scope, level or year changed; null when reused). */
  scorecardMs: number | null;
  /** From the control's event to everything drawn. */
  totalMs: number | null;
  /** ms of each drawing step of the last render: table, dotPlot, gapBars, distribution, summary, scorecard. */
  parts: Record<string, number>;
  /** Who answered the last view: the build's published figures, or DuckDB-WASM. */
  engine: GapEngine["state"];
}

declare global {
  interface Window {
    __dpfGaps?: GapTimings;
  }
}

export interface GapExplorer {
  controls: HTMLElement;
  notes: HTMLElement;
  breadcrumb: HTMLElement;
  method: HTMLElement;
  summary: HTMLElement;
  dotPlot: HTMLElement;
  gapBars: HTMLElement;
  distribution: HTMLElement;
  tableTools: HTMLElement;
  table: HTMLElement;
  scorecard: HTMLElement;
  /** The same scorecard on the national 14th plan's targets (nationalCriteria). */
  nationalScorecard: HTMLElement;
  methods: HTMLElement;
  /** The current view. */
  view(): GapView;
}

export async function GapExplorer(engine: GapEngine, options: {source?: CitySource; search?: string} = {}): Promise<GapExplorer> {
  addGapStyles();
  const city = await engine.topUnit();
  const parsed = parseGapView(options.search ?? location.search);
  const cityScope = city ? [city] : [];
  let state: GapState = {view: parsed.view, scope: cityScope, result: null, summary: null, card: null, nationalCard: null, said: [], showAll: false};
  let cardKey = "";
  let version = 0;
  const timings: GapTimings = {changes: 0, view: "", queryMs: null, renderMs: null, resultMs: null, summaryMs: null, scorecardMs: null, totalMs: null, parts: {}, engine: engine.state};
  window.__dpfGaps = timings;
  /** Runs a drawing step and records its time under `parts`. */
  const timed = (part: string, draw: () => void) => {
    const t = performance.now();
    draw();
    timings.parts[part] = performance.now() - t;
  };

  const actions: GapActions = {
    show: (view, how) => void apply(view, how),
    drill(unitCode: string, level: GapLevel) {
      const next = drillView(state.view, unitCode, level);
      if (next) void apply(next, "push");
    },
    drillHref: (unitCode, level) => drillHref(state.view, unitCode, level),
    showAll() {
      state = {...state, showAll: true};
      table.update(state);
    },
  };

  const controls = GapControls((change) => void apply({...state.view, ...change}, "replace"));
  const controlsBox = h("div", {class: "gap-controls-box"}, controls.element);
  const engineStatus = GapEngineStatus(engine, {busy: controlsBox, sourceLabel: options.source?.label, onAnswer: () => (timings.engine = engine.state)});
  controlsBox.append(engineStatus.element);
  const {whenEngine} = engineStatus;
  const notes = GapNotesView();
  const breadcrumb = GapBreadcrumbView(actions);
  const method = GapMethodView();
  const methods = GapMethodsView();
  const summary = GapSummaryView();
  const charts = GapChartsView(actions, timed);
  const tableTools = GapTableTools(actions, {sourceLabel: options.source?.label ?? ""});
  const table = GapTableView(actions);
  const scorecard = GapScorecardView(actions);
  const nationalScorecard = GapScorecardView(actions, {criteria: "national"});

  /** Reads the scope (the unit drilled into) from the units table; an unknown or leaf unit is said and replaced. */
  async function resolveScope(unit: string | null, said: string[]): Promise<GapState["scope"]> {
    if (unit === null) return cityScope;
    if (unit === scopeUnit(state.scope)) return state.scope;
    let path = await whenEngine(engine.breadcrumb(unit));
    if (!path.length) {
      said.push(`没有代码为“${unit}”的单位，已显示全市。`);
      return cityScope;
    }
    if (path.at(-1)!.level === "community") {
      said.push(`${path.at(-1)!.unit_name}是社区/村，没有下一级，已显示它所在的${path.at(-2)?.unit_name ?? "上级"}。`);
      path = path.slice(0, -1);
    }
    return path;
  }

  /** Puts the view in the address bar: a new history entry for a drill-down, else the current one replaced. */
  function writeUrl(view: GapView, how: "push" | "replace") {
    const query = gapViewQuery(view);
    const url = `${location.pathname}${query}${location.hash}`;
    if (location.search !== query) history[how === "push" ? "pushState" : "replaceState"]({gapView: query}, "", url);
  }

  /** Shows a view: checks its scope, writes the URL, runs what changed in the engine and redraws. */
  async function apply(requested: GapView, how: "push" | "replace", started = performance.now(), said: string[] = []): Promise<void> {
    const mine = ++version;
    const previous = state.view;
    try {
      const scope = await resolveScope(requested.unit, said);
      if (mine !== version) return;
      const levels = levelsBelow(scope);
      let view: GapView = {...requested, unit: scopeUnit(scope)};
      if (!levels.includes(view.level)) {
        // Only a link can ask for this (the level list offers only levels below the scope).
        said.push(`${scope.at(-1)?.unit_name ?? "全市"}下没有${levelPlural[view.level]}，已显示${levelPlural[levels[0]!]}。`);
        view = {...view, level: levels[0]!};
      }
      const requery = state.result === null || !sameQuery(view, previous);
      const showAll = requery || view.q !== previous.q ? false : state.showAll;
      // A new question drops the rows of the last one: nothing may draw them under the new view.
      state = {...state, view, scope, said, showAll, result: requery ? null : state.result};
      writeUrl(view, how);
      controls.update(view, levels, planYears);
      tableTools.update(state);
      notes.update(state);
      breadcrumb.update(state);

      if (requery) {
        const queryStart = performance.now();
        const fresh = await whenEngine(engine.gapQuery({indicator: view.indicator, level: view.level, parent: view.unit, year: view.year, categories: view.categories, grades: view.grades}));
        const queryEnd = performance.now();
        if (mine !== version) return;
        state = {...state, result: fresh};
        timings.queryMs = queryEnd - queryStart;
        performance.measure("dpf:gaps-query", {start: queryStart, end: queryEnd});
        // A real city's build counts persons from persons_cube: the notes say what its pooled cells leave out.
        notes.update(state);
      } else timings.queryMs = null;
      const renderStart = performance.now();
      if (requery) {
        charts.update(state);
        method.update(state);
        methods.update(state);
      }
      timed("table", () => {
        tableTools.update(state);
        table.update(state);
      });
      const renderEnd = performance.now();
      performance.measure("dpf:gaps-render", {start: renderStart, end: renderEnd});
      timings.renderMs = renderEnd - renderStart;
      timings.resultMs = renderEnd - started;

      if (requery) {
        const t = performance.now();
        const totals = await whenEngine(engine.gapSummary({indicator: view.indicator, level: view.level, parent: view.unit, year: view.year, categories: view.categories, grades: view.grades}));
        if (mine !== version) return;
        state = {...state, summary: totals};
        timings.summaryMs = performance.now() - t;
        timed("summary", () => summary.update(state));
      } else timings.summaryMs = null;

      const key = `${view.level}|${view.unit}|${view.year}`;
      if (key !== cardKey) {
        const t = performance.now();
        const fresh = await whenEngine(engine.scorecard({level: view.level, parent: view.unit, year: view.year}));
        const national = await whenEngine(engine.scorecard({level: view.level, parent: view.unit, year: view.year, criteria: nationalCriteria}));
        if (mine !== version) return;
        state = {...state, card: fresh, nationalCard: national};
        cardKey = key;
        timings.scorecardMs = performance.now() - t;
        timed("scorecard", () => {
          scorecard.update(state);
          nationalScorecard.update(state);
        });
      } else timings.scorecardMs = null;

      timings.totalMs = performance.now() - started;
      timings.view = gapViewQuery(view);
      timings.changes++;
      table.shows(timings.view);
    } catch (error) {
      if (mine !== version) return;
      console.error(error);
      notes.error(error);
    }
  }

  window.addEventListener("popstate", () => {
    const back = parseGapView(location.search);
    void apply(back.view, "replace", performance.now(), back.notes);
  });

  await apply(state.view, "replace", performance.now(), parsed.notes);
  return {
    controls: controlsBox,
    notes: notes.element,
    breadcrumb: breadcrumb.element,
    method: method.element,
    summary: summary.element,
    dotPlot: charts.dotPlot,
    gapBars: charts.gapBars,
    distribution: charts.distribution,
    tableTools: tableTools.element,
    table: table.element,
    scorecard: scorecard.element,
    nationalScorecard: nationalScorecard.element,
    methods: methods.element,
    view: () => state.view,
  };
}
