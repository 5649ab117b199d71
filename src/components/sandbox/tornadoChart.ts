import * as Plot from "npm:@observablehq/plot";
import type {Tornado, TornadoBar} from "../../engine/sensitivity.js";
import {formatYuan} from "../shared/format.js";
import {dataTable, palette, type Column} from "./scenarioDom.js";
import {h} from "../shared/dom.js";
import {formatParameterValue} from "./scenarioFormat.js";

/**
 * Tornado chart (敏感性龙卷风图) of a sensitivity result: one row per parameter, longest swing on top,
 * a bar from the year's total to the total with the parameter moved down (blue) and up (orange), and
 * the table of the same numbers below it.
 */

export interface TornadoOptions {
  width?: number;
  /** Bars drawn (the table lists every parameter). */
  top?: number;
}

export function TornadoChart(tornado: Tornado, options: TornadoOptions = {}): HTMLElement {
  const bars = tornado.bars.filter((b) => b.swing_yuan > 0);
  const shown = bars.slice(0, options.top ?? 12);
  const labels = shown.map((b) => b.label_zh);
  const data = shown.flatMap((b) => [
    {label: b.label_zh, move: "下调", delta: b.low_delta_yuan, value: b.low_value, unit: b.unit},
    {label: b.label_zh, move: "上调", delta: b.high_delta_yuan, value: b.high_value, unit: b.unit},
  ]);
  const width = Math.max(360, options.width ?? 720);
  const chart = Plot.plot({
    width,
    height: 50 + 28 * shown.length,
    style: {fontSize: "12px"},
    marginLeft: Math.min(260, width * 0.4),
    ariaLabel: `${tornado.year} 年合计对各参数的敏感性`,
    ariaDescription: shown.map((b) => `${b.label_zh}：下调 ${formatYuan(b.low_delta_yuan)}，上调 ${formatYuan(b.high_delta_yuan)}`).join("；"),
    x: {label: `${tornado.year} 年合计的变化（万元）`, grid: true, tickFormat: (v: number) => (v / 1e4).toLocaleString("zh-CN")},
    y: {label: null, domain: labels},
    color: {domain: ["下调", "上调"], range: [palette.blue, palette.orange], legend: true},
    marks: [
      Plot.barX(data, {y: "label", x1: 0, x2: "delta", fill: "move", title: (d: (typeof data)[number]) => `${d.label}${d.move}到 ${formatParameterValue(d.value, d.unit)}：${formatYuan(d.delta)}`}),
      Plot.ruleX([0]),
    ],
  });
  const rowAttributes = (b: TornadoBar) => ({"data-param": b.id, "data-swing": b.swing_yuan});
  const columns: Column<TornadoBar>[] = [
    {key: "label", label: "参数", value: (b) => b.label_zh, header: true},
    {key: "value", label: "现值", value: (b) => formatParameterValue(b.value, b.unit)},
    {key: "low", label: "下调后", value: (b) => formatParameterValue(b.low_value, b.unit)},
    {key: "low_delta", label: "合计变化（下调）", value: (b) => b.low_delta_yuan, format: (v) => formatYuan(v)},
    {key: "high", label: "上调后", value: (b) => formatParameterValue(b.high_value, b.unit)},
    {key: "high_delta", label: "合计变化（上调）", value: (b) => b.high_delta_yuan, format: (v) => formatYuan(v)},
    {key: "swing", label: "摆幅", value: (b) => b.swing_yuan, format: (v) => formatYuan(v)},
  ];
  return h(
    "figure",
    {class: "tornado", "data-testid": "tornado"},
    chart,
    h(
      "figcaption",
      {class: "muted"},
      `图：${tornado.year} 年合计 ${formatYuan(tornado.total_yuan)} 对各参数的敏感性。每个参数单独下调（蓝）和上调（橙）10%（比例不超过 0–100%；年增长率类参数改为 ±1 个百分点），其他参数不变；按摆幅从大到小排列，图中列出前 ${shown.length} 个，数据见下表。`,
    ),
    dataTable(shown, columns, {caption: `${tornado.year} 年合计的敏感性（图中的参数）`, testid: "tornado-table", className: "wide", rowAttributes}),
    bars.length > shown.length
      ? h(
          "details",
          {class: "table-details"},
          h("summary", {}, `其余 ${bars.length - shown.length} 个参数`),
          dataTable(bars.slice(shown.length), columns, {caption: `${tornado.year} 年合计的敏感性（其余参数）`, testid: "tornado-table-rest", className: "wide", rowAttributes}),
        )
      : null,
  );
}
