import {rateDistribution} from "../../engine/distribution.js";
import {childLevel, type GapRow} from "../../engine/gapQuery.js";
import {h, replace} from "../shared/dom.js";
import {cannotAnswer} from "./gapNotesView.js";
import type {GapActions, GapPart, GapState, Timed} from "./gapState.js";

/**
 * The three charts of the view (达成率与目标, 缺口排名, 达成率分布), each in its own section and as wide
 * as it: a click on a unit drills into it. Where the data cannot answer, each says why instead.
 */

export interface GapChartsView {
  dotPlot: HTMLElement;
  gapBars: HTMLElement;
  distribution: HTMLElement;
  /** Redraws the charts for the state's rows (the explorer calls it when the rows changed). */
  update(state: GapState): void;
}

/** Chart width before the page has laid the section out. */
const FALLBACK_WIDTH = 640;
/** A width change below this many pixels does not redraw the charts. */
const RESIZE_STEP_PX = 8;

/** The charts' module (Plot, d3: some 40 modules), imported on the first chart drawn: the first table does not wait for it. */
let charts: typeof import("./gapCharts.js") | null = null;
const chartModule = () => import("./gapCharts.js").then((m) => (charts = m));

const chartWidth = (box: HTMLElement, columns = 1) => Math.floor((box.clientWidth || FALLBACK_WIDTH) / columns) - (columns > 1 ? 16 : 0);

export function GapChartsView(actions: GapActions, timed: Timed): GapChartsView {
  const dotPlot = h("div", {class: "gap-chart", "data-section": "dot-plot"});
  const gapBars = h("div", {class: "gap-chart grid grid-cols-2", "data-section": "gap-bars"});
  const distribution = h("div", {class: "gap-chart", "data-section": "distribution"});
  const onSelect = (row: GapRow) => actions.drill(row.unit_code, row.level);
  let shown: GapState | null = null;

  function update(state: GapState) {
    shown = state;
    const {result} = state;
    if (!result) return;
    if (!result.answer.answerable) {
      for (const box of [dotPlot, gapBars, distribution]) replace(box, cannotAnswer(result.answer.reason_zh));
      return;
    }
    if (!charts) {
      void chartModule().then(() => shown === state && update(state));
      return;
    }
    const {GapBars, GapDotPlot, RateHistogram} = charts;
    const select = childLevel(result.level) !== null ? onSelect : undefined;
    timed("dotPlot", () => replace(dotPlot, GapDotPlot(result, {width: chartWidth(dotPlot), onSelect: select})));
    const half = chartWidth(gapBars, 2);
    timed("gapBars", () =>
      replace(gapBars, GapBars(result, {width: half, measure: "gap_count", onSelect: select}), GapBars(result, {width: half, measure: "gap_cost_yuan", onSelect: select})),
    );
    timed("distribution", () => replace(distribution, RateHistogram(rateDistribution(result.rows, {target: result.target_value}), result, {width: chartWidth(distribution)})));
  }

  // Charts follow the width of their section (the page lays it out after the explorer is built).
  let lastWidth = 0;
  new ResizeObserver(() => {
    const width = dotPlot.clientWidth;
    if (Math.abs(width - lastWidth) < RESIZE_STEP_PX) return;
    lastWidth = width;
    if (shown) update(shown);
  }).observe(dotPlot);

  return {dotPlot, gapBars, distribution, update};
}
