import * as Plot from "npm:@observablehq/plot";
import type {RateDistribution} from "../../engine/distribution.js";
import {sortGapRows, type GapResult, type GapRow} from "../../engine/gapQuery.js";
import {formatCount, formatNumber, formatPercent, formatYuan} from "../shared/format.js";
import {h} from "../shared/dom.js";
import {costLabel, countUnit, gapLabel, levelPlural, rowTooltip, statusLabels} from "./gapText.js";

/**
 * The coverage-gap charts (覆盖缺口图表), each `Name(result, {width, …})` → a <figure> holding the Plot, a
 * caption and a text alternative: the dot plot of achieved against target, the gap bars (people, cost)
 * and the distribution of rates. Colours are Okabe & Ito's (safe with every common colour-vision
 * deficiency) and meeting/missing the target is also told by the symbol's shape. Clicking a unit's dot
 * or bar calls `onSelect` (drill-down); the table's links do the same by keyboard.
 */

/** Okabe & Ito's colour-blind-safe colours. */
export const gapColours = {pass: "#0072B2", fail: "#D55E00", unjudged: "#8C8C8C", ink: "#222222"} as const;

/** How a unit stands against its target, as the charts' legends say it. */
export const standing = {pass: "达标", fail: "未达标", unjudged: "未评价"} as const;
const standingDomain = [standing.pass, standing.fail, standing.unjudged];
const standingColour = {domain: standingDomain, range: [gapColours.pass, gapColours.fail, gapColours.unjudged]};
const standingSymbol = {domain: standingDomain, range: ["circle", "triangle", "square"]};

export function standingOf(row: Pick<GapRow, "meets_target">): string {
  return row.meets_target === true ? standing.pass : row.meets_target === false ? standing.fail : standing.unjudged;
}

export interface ChartOptions {
  width: number;
  /** Called with the unit a planner clicked (drill-down); charts are not clickable without it. */
  onSelect?: (row: GapRow) => void;
}

/** Rows up to this many get one labelled line each in the dot plot; more are drawn as a swarm. */
export const DOT_PLOT_MAX_LABELLED = 40;
/** Bars shown in each gap chart: the largest gaps; the table lists every unit. */
export const GAP_BARS_TOP = 15;
const ROW_HEIGHT = 22;
const SWARM_RADIUS = 4;
const SWARM_HEIGHT = 240;
/** The golden ratio's fraction: i × φ mod 1 spreads dots evenly over the strip's height, the same on every draw. */
const PHI_FRACTION = 0.6180339887498949;
/** A dot's height in the strip (0–1): deterministic, even, and cheap (a swarm layout costs ~40 ms at 600 dots). */
const spread = (i: number) => (i * PHI_FRACTION) % 1;
const MIN_CHART_WIDTH = 320;

function figure(name: string, chart: Element | null, caption: string, ...extra: (Node | null)[]): HTMLElement {
  return h("figure", {class: "gap-figure", "data-chart": name}, chart, h("figcaption", {}, caption), ...extra);
}

/**
 * Makes a mark's dots or bars clickable: each SVG element d3 drew carries its datum's index (Plot
 * binds the mark's index), so a click finds its row. Pointer only; the table is the keyboard route.
 */
function clickable<T>(data: readonly T[], onSelect: ((d: T) => void) | undefined): Plot.RenderFunction | undefined {
  if (!onSelect) return undefined;
  return (index, scales, values, dimensions, context, next) => {
    const g = next!(index, scales, values, dimensions, context);
    for (const node of g?.children ?? []) {
      const i = (node as unknown as {__data__?: number}).__data__;
      if (typeof i !== "number" || !data[i]) continue;
      node.classList.add("gap-clickable");
      node.addEventListener("click", () => onSelect(data[i]!));
    }
    return g;
  };
}

function unitsNotDrawn(result: GapResult): string {
  const missing = result.rows.filter((r) => r.status === "all_missing").length;
  const none = result.rows.filter((r) => r.status === "no_eligible").length;
  const unreported = result.rows.filter((r) => r.status === "not_reported").length;
  const parts = [];
  if (unreported) parts.push(`${unreported} 个单位未填报`);
  if (missing) parts.push(`${missing} 个单位全部状态未知`);
  if (none) parts.push(`${none} 个单位无应覆盖对象`);
  return parts.length ? `未画出：${parts.join("，")}（见明细表，显示为“—”）。` : "";
}

/**
 * Each unit's achieved rate (dot) against the target (dashed line): one labelled line per unit, worst
 * first, with a line from the dot to the target; above DOT_PLOT_MAX_LABELLED units, a swarm along the
 * rate axis. Units without a rate are counted in the caption, never drawn at 0.
 */
export function GapDotPlot(result: GapResult, options: ChartOptions): HTMLElement {
  const width = Math.max(MIN_CHART_WIDTH, options.width);
  const rows = result.rows.filter((r) => r.achieved_rate !== null);
  const target = result.target_value;
  const noun = countUnit(result.indicator);
  const title = (d: GapRow) => rowTooltip(d, result);
  const click = clickable(rows, options.onSelect);
  const labelled = rows.length <= DOT_PLOT_MAX_LABELLED;
  const names = new Map(rows.map((r) => [r.unit_code, r.unit_name]));
  const order = sortGapRows(rows, "achieved").map((r) => r.unit_code);
  const below = rows.filter((r) => r.meets_target === false).length;
  const description =
    `${levelPlural[result.level]}${result.indicator.label.zh}：画出 ${rows.length} 个单位，` +
    (target === null ? "无可比较的目标。" : `目标 ${formatPercent(target)}，${below} 个低于目标。`) +
    `最低 ${order.slice(0, 3).map((c) => `${names.get(c)} ${formatPercent(rows.find((r) => r.unit_code === c)!.achieved_rate)}`).join("、")}。`;
  const targetMarks =
    target === null
      ? []
      : [
          Plot.ruleX([target], {stroke: gapColours.ink, strokeDasharray: "4,3", strokeWidth: 1.5}),
          Plot.text([target], {x: (d: number) => d, frameAnchor: "top", dy: -10, text: () => `目标 ${formatPercent(target)}`, fill: gapColours.ink, fontWeight: 600}),
        ];
  const common = {fill: standingOf, symbol: standingOf, title, render: click, stroke: "white", strokeWidth: 0.8};
  const chart = Plot.plot({
    width,
    height: labelled ? Math.max(140, rows.length * ROW_HEIGHT + 60) : SWARM_HEIGHT,
    marginLeft: labelled ? 110 : 20,
    marginTop: 30,
    ariaLabel: `${result.indicator.label.zh}：各单位达成率与目标`,
    ariaDescription: description,
    x: {domain: [0, 1], label: "达成率 →", tickFormat: (v: number) => formatPercent(v, 0), grid: true},
    y: labelled ? {domain: order, label: null, tickFormat: (code: string) => names.get(code) ?? code} : {axis: null, domain: [0, 1], inset: SWARM_RADIUS * 2},
    color: {...standingColour, legend: true},
    symbol: standingSymbol,
    marks: labelled
      ? [
          ...targetMarks,
          target === null ? null : Plot.ruleY(rows, {y: "unit_code", x1: "achieved_rate", x2: () => target, stroke: standingOf, strokeOpacity: 0.5}),
          Plot.dot(rows, {x: "achieved_rate", y: "unit_code", r: 6, ...common}),
        ]
      : [...targetMarks, Plot.dot(rows, {x: "achieved_rate", y: (_: GapRow, i: number) => spread(i), r: SWARM_RADIUS, ...common})],
  });
  const caption =
    `图：${levelPlural[result.level]}${result.indicator.label.zh}（点）与目标（虚线）。` +
    (labelled ? "最低的在最上方；点到虚线的连线是与目标的差距。" : `每个点是一个单位（共 ${rows.length} 个），左右位置是达成率，上下位置只为把点错开。`) +
    `形状与颜色都表示是否达标。${unitsNotDrawn(result)}${options.onSelect ? "点击某个单位可查看其下一级。" : ""}数据见下方明细表（单位：${noun}）。`;
  return figure("dot-plot", chart, caption);
}

/**
 * The largest gaps, in people (or communities) or in cost to close: horizontal bars, largest first,
 * GAP_BARS_TOP at most, each labelled with its value.
 */
export function GapBars(result: GapResult, options: ChartOptions & {measure: "gap_count" | "gap_cost_yuan"}): HTMLElement {
  const width = Math.max(MIN_CHART_WIDTH, options.width);
  const {measure} = options;
  const isCost = measure === "gap_cost_yuan";
  const label = isCost ? costLabel(result) : gapLabel(result.indicator);
  const noun = countUnit(result.indicator);
  const format = (v: number | null) => (isCost ? formatYuan(v) : `${formatCount(v)}`);
  const withGap = sortGapRows(
    result.rows.filter((r) => (r[measure] ?? 0) > 0),
    isCost ? "gap_cost" : "gap",
  );
  const shown = withGap.slice(0, GAP_BARS_TOP);
  const unknown = result.rows.filter((r) => r[measure] === null).length;
  const names = new Map(shown.map((r) => [r.unit_code, r.unit_name]));
  const notes = [
    withGap.length > shown.length ? `共 ${withGap.length} 个单位有缺口，图中是最大的 ${shown.length} 个` : `${withGap.length} 个单位有缺口`,
    unknown ? `${unknown} 个单位${isCost ? "成本" : "缺口"}未知（见明细表“—”）` : "",
  ].filter(Boolean);
  const caption = `图：${levelPlural[result.level]}${label}${isCost ? "" : `（${noun}）`}，从大到小。${notes.join("；")}。`;
  if (!shown.length) return figure(`bars-${measure}`, h("p", {class: "gap-empty"}, `没有${label}大于 0 的单位。`), caption);
  const description = shown.slice(0, 5).map((r) => `${r.unit_name} ${format(r[measure])}`).join("；");
  const chart = Plot.plot({
    width,
    height: shown.length * ROW_HEIGHT + 50,
    marginLeft: 110,
    marginRight: 70,
    ariaLabel: `${result.indicator.label.zh}：${label}最大的单位`,
    ariaDescription: description,
    x: {label: `${label} →`, tickFormat: (v: number) => (isCost ? formatYuan(v) : formatCount(v)), grid: true, nice: true},
    y: {domain: shown.map((r) => r.unit_code), label: null, tickFormat: (code: string) => names.get(code) ?? code},
    marks: [
      Plot.barX(shown, {x: measure, y: "unit_code", fill: isCost ? gapColours.fail : gapColours.pass, title: (d: GapRow) => rowTooltip(d, result), render: clickable(shown, options.onSelect)}),
      Plot.text(shown, {x: measure, y: "unit_code", text: (d: GapRow) => format(d[measure]), textAnchor: "start", dx: 4, fill: gapColours.ink}),
      Plot.ruleX([0]),
    ],
  });
  return figure(`bars-${measure}`, chart, caption);
}

/**
 * How many units fall in each 10-point band of achieved rate, split into those below the target and
 * the rest, with the target line; the units without a rate are said beside it, and a table gives the
 * numbers.
 */
export function RateHistogram(distribution: RateDistribution, result: GapResult, options: {width: number}): HTMLElement {
  const width = Math.max(MIN_CHART_WIDTH, options.width);
  const band = (b: {x0: number; x1: number}) => `${formatPercent(b.x0, 0)}–${formatPercent(b.x1, 0)}`;
  const data = distribution.bins.flatMap((b) => [
    {x0: b.x0, x1: b.x1, units: b.below_target, series: standing.fail},
    {x0: b.x0, x1: b.x1, units: b.units - b.below_target, series: distribution.target === null ? standing.unjudged : standing.pass},
  ]);
  const drawn = distribution.bins.reduce((s, b) => s + b.units, 0);
  const notDrawn = [
    distribution.not_reported ? `${distribution.not_reported} 个单位未填报` : "",
    distribution.all_missing ? `${distribution.all_missing} 个单位全部状态未知` : "",
    distribution.no_eligible ? `${distribution.no_eligible} 个单位无应覆盖对象` : "",
  ].filter(Boolean);
  const description = distribution.bins.filter((b) => b.units).map((b) => `${band(b)}：${b.units} 个`).join("；");
  const chart = Plot.plot({
    width,
    height: 220,
    marginTop: 30,
    ariaLabel: `${result.indicator.label.zh}：各单位达成率分布`,
    ariaDescription: description,
    x: {domain: [0, 1], label: "达成率 →", tickFormat: (v: number) => formatPercent(v, 0)},
    y: {label: "↑ 单位数", grid: true, tickFormat: (v: number) => (Number.isInteger(v) ? formatNumber(v) : "")},
    color: {...standingColour, legend: true},
    marks: [
      Plot.rectY(data, {x1: "x0", x2: "x1", y: "units", fill: "series", insetLeft: 1, insetRight: 1, title: (d: (typeof data)[number]) => `${band(d)}：${d.series} ${d.units} 个单位`}),
      Plot.ruleY([0]),
      distribution.target === null ? null : Plot.ruleX([distribution.target], {stroke: gapColours.ink, strokeDasharray: "4,3", strokeWidth: 1.5}),
    ],
  });
  const table = h(
    "table",
    {class: "gap-small-table", "data-table": "distribution"},
    h("caption", {}, "各达成率区间的单位数"),
    h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "达成率区间"), h("th", {scope: "col"}, "单位数"), h("th", {scope: "col"}, "其中低于目标"), h("th", {scope: "col"}, `应覆盖（${countUnit(result.indicator)}）`))),
    h(
      "tbody",
      {},
      ...distribution.bins.map((b) => h("tr", {}, h("th", {scope: "row"}, band(b)), h("td", {}, formatNumber(b.units)), h("td", {}, formatNumber(b.below_target)), h("td", {}, formatNumber(b.eligible)))),
      h("tr", {}, h("th", {scope: "row"}, statusLabels.all_missing), h("td", {}, formatNumber(distribution.all_missing)), h("td", {}, "—"), h("td", {}, "—")),
      h("tr", {}, h("th", {scope: "row"}, statusLabels.no_eligible), h("td", {}, formatNumber(distribution.no_eligible)), h("td", {}, "—"), h("td", {}, "—")),
      ...(distribution.not_reported ? [h("tr", {}, h("th", {scope: "row"}, statusLabels.not_reported), h("td", {}, formatNumber(distribution.not_reported)), h("td", {}, "—"), h("td", {}, "—"))] : []),
    ),
  );
  const caption = `图：${levelPlural[result.level]}达成率分布，每格 10 个百分点，共画出 ${drawn} 个单位${distribution.target === null ? "" : `；虚线为目标 ${formatPercent(distribution.target)}`}。${notDrawn.length ? `未画出：${notDrawn.join("，")}。` : ""}`;
  return figure("distribution", chart, caption, h("details", {}, h("summary", {}, "数据表：达成率分布"), table));
}
