import type {ScenarioRow} from "../../engine/runScenario.js";
import {formatCount, formatNumber, formatYuan} from "../shared/format.js";
import {chartWidth, dataTable, palette, type Column} from "./scenarioDom.js";
import {h} from "../shared/dom.js";
import {compareYears, costSeries, fundingByYear, programmeRows, programmeYears, yearTotals, type FundingYear, type ProgrammeYears, type YearTotal} from "./scenarioTables.js";
import type {SandboxActions, SandboxState, SandboxView} from "./scenarioView.js";

/**
 * The sandbox's results: totals per year and programme, the difference from the baseline, per-resident
 * and per-beneficiary figures with people newly covered, the split by funding level, and the scenarios
 * side by side. Every chart has its table right below it (the same numbers, as text), colours from the
 * Okabe–Ito palette, and an ARIA description.
 */

/** What a view's draw returns for its chart while Plot is still loading: a marker compared by identity, never inserted. */
const PLOT_PENDING = Object.freeze({}) as Element;

const seriesColours = [palette.blue, palette.orange, palette.green, palette.vermillion, palette.sky, palette.purple, palette.grey];
const levelColours = [palette.blue, palette.orange, palette.green, palette.purple];
const yuan = (v: number | null) => formatYuan(v);
const people = (v: number | null) => (v === null ? "—" : formatCount(Math.round(v)));
const perUnit = (v: number | null) => formatYuan(v, {perUnit: Math.abs(v ?? 0) < 1e5});
const tenThousand = (v: number) => formatNumber(v / 1e4);

type PlotModule = typeof import("npm:@observablehq/plot");
/**
 * Plot (and d3, some 40 modules) is imported on the first chart drawn, not before the page's first
 * figures: until it is in, a view shows its tables, with the chart's place kept (CHART_PLACE_PX).
 */
let plotModule: PlotModule | null = null;
let plotLoading: Promise<PlotModule> | null = null;
const loadPlot = () => (plotLoading ??= import("npm:@observablehq/plot").then((m) => (plotModule = m)));
/** The height a chart's place keeps while Plot loads: the charts' 300 px and their legend. */
const CHART_PLACE_PX = 330;

/** A view made of a chart that redraws at the container's width and the content below it. */
function chartView(className: string, draw: (state: SandboxState, width: number, Plot: PlotModule | null) => {chart: Element | null; content: Node[]}): SandboxView {
  const chart = h("div", {class: "sandbox-chart"});
  const content = h("div", {class: "sandbox-content"});
  const element = h("div", {class: `sandbox-view ${className}`}, chart, content);
  let last: SandboxState | undefined;
  let lastWidth = 0;
  const render = (state: SandboxState) => {
    last = state;
    lastWidth = chartWidth(element);
    const drawn = draw(state, lastWidth, plotModule);
    if (!plotModule && drawn.chart === PLOT_PENDING) {
      chart.style.minHeight = `${CHART_PLACE_PX}px`;
      void loadPlot().then(() => last && render(last));
    } else chart.style.minHeight = "";
    chart.replaceChildren(...(drawn.chart && drawn.chart !== PLOT_PENDING ? [drawn.chart] : []));
    content.replaceChildren(...drawn.content);
  };
  // Redraw on a real width change only (the page's layout, the sidebar opening), not on every update.
  new ResizeObserver(() => {
    if (last && Math.abs(chartWidth(element) - lastWidth) > 8) render(last);
  }).observe(element);
  return {element, update: render};
}

const yearColumns = (years: readonly number[], format: (v: number | null) => string): Column<ProgrammeYears>[] => [
  {key: "programme", label: "项目", value: (r) => r.programme_zh, header: true},
  ...years.map((y) => ({key: String(y), label: `${y} 年`, value: (r: ProgrammeYears) => r.values[y] ?? null, format})),
  {key: "sum", label: "合计", value: (r) => r.sum, format},
];

/**
 * Programmes the data cannot cost (a city given as counts per community), each with why: shown where
 * their costs would be, so a missing programme is never read as costing nothing.
 */
export function cannotCostList(result: SandboxState["result"]): HTMLElement[] {
  if (!result.unanswerable.length) return [];
  return [h(
    "div",
    {class: "sandbox-cannot-answer", "data-testid": "cannot-answer"},
    h("p", {}, `以下 ${result.unanswerable.length} 个项目无法用导入的数据计算，未计入合计：`),
    h("ul", {}, ...result.unanswerable.map((u) => h("li", {"data-programme": u.programme}, h("strong", {}, `${u.programme_zh}：`), u.reason_zh))),
  )];
}

/** Totals per year and programme: stacked bars (largest programmes, the rest summed) and two tables. */
export function TotalsView(): SandboxView {
  return chartView("totals-view", (state, width, Plot) => {
    const {series, data} = costSeries(state.result);
    const totals = yearTotals(state.result);
    const years = state.result.scenario.years;
    const chart = !Plot ? PLOT_PENDING : Plot.plot({
      width,
      height: 300,
      marginLeft: 70,
      ariaLabel: "各年度测算成本（按项目堆叠）",
      ariaDescription: totals.map((t) => `${t.year} 年合计 ${formatYuan(t.cost_yuan)}`).join("；"),
      x: {label: null, tickFormat: (y: number) => `${y}年`, type: "band"},
      y: {label: "万元", grid: true, tickFormat: tenThousand},
      color: {domain: series, range: seriesColours, legend: true},
      marks: [
        Plot.barY(data, {x: "year", y: "cost_yuan", fill: "series", order: series, title: (d: {year: number; series: string; cost_yuan: number}) => `${d.year} 年 ${d.series}：${formatYuan(d.cost_yuan)}`}),
        Plot.ruleY([0]),
      ],
    });
    const totalColumns: Column<YearTotal>[] = [
      {key: "year", label: "年度", value: (r) => `${r.year} 年`, header: true},
      {key: "cost", label: "方案合计", value: (r) => r.cost_yuan, format: yuan},
      {key: "baseline", label: "基线合计", value: (r) => r.baseline_cost_yuan, format: yuan},
      {key: "delta", label: "比基线增加", value: (r) => r.delta_yuan, format: yuan},
      {key: "newly_covered", label: "新增覆盖人数", value: (r) => r.newly_covered, format: people},
      {key: "per_resident", label: "人均（常住人口）", value: (r) => r.per_resident_yuan, format: perUnit},
      {key: "cost_per_newly_covered", label: "每新增覆盖一人", value: (r) => r.cost_per_newly_covered, format: perUnit},
    ];
    return {
      chart,
      content: [
        h("p", {class: "chart-note muted"}, `图：各年度测算成本，按项目堆叠（成本最大的 ${Math.min(6, series.length)} 个项目单列，其余合为「其他项目」），万元。数据见下表。`),
        dataTable(totals, totalColumns, {caption: "各年度合计", testid: "totals-table", rowAttributes: (r) => ({"data-year": r.year})}),
        ...cannotCostList(state.result),
        h(
          "details",
          {class: "table-details"},
          h("summary", {}, "各项目分年度成本表"),
          dataTable(programmeYears(state.result, "cost_yuan"), yearColumns(years, yuan), {caption: "各项目分年度方案成本", testid: "programme-years", rowAttributes: (r) => ({"data-programme": r.programme})}),
        ),
      ],
    };
  });
}

/** The difference from the baseline: bars per year, and the changed programmes per year. */
export function DeltaView(): SandboxView {
  return chartView("delta-view", (state, width, Plot) => {
    const totals = yearTotals(state.result);
    const changed = programmeYears(state.result, "delta_yuan").filter((r) => Object.values(r.values).some((v) => Math.abs(v) > 0.005));
    if (changed.length === 0)
      return {chart: null, content: [h("p", {class: "sandbox-empty", "data-testid": "delta-none"}, "当前方案与基线相同：没有调整任何参数或预设方案。")]};
    const chart = !Plot ? PLOT_PENDING : Plot.plot({
      width,
      height: 220,
      marginLeft: 70,
      ariaLabel: "各年度比基线增加的成本",
      ariaDescription: totals.map((t) => `${t.year} 年 ${formatYuan(t.delta_yuan)}`).join("；"),
      x: {label: null, tickFormat: (y: number) => `${y}年`, type: "band"},
      y: {label: "比基线增加（万元）", grid: true, tickFormat: tenThousand},
      color: {domain: ["增加", "减少"], range: [palette.blue, palette.vermillion], legend: true},
      marks: [
        Plot.barY(totals, {x: "year", y: "delta_yuan", fill: (d: YearTotal) => (d.delta_yuan >= 0 ? "增加" : "减少"), title: (d: YearTotal) => `${d.year} 年：${formatYuan(d.delta_yuan)}`}),
        Plot.ruleY([0]),
      ],
    });
    return {
      chart,
      content: [
        h("p", {class: "chart-note muted"}, "图：方案比基线增加（蓝）或减少（橙红）的年度成本，万元。各项目的差额见下表。"),
        dataTable(changed, yearColumns(state.result.scenario.years, yuan), {caption: "比基线增加的成本（只列有变化的项目）", testid: "delta-table", rowAttributes: (r) => ({"data-programme": r.programme})}),
      ],
    };
  });
}

/** One year's programmes: cost, baseline, per resident, per beneficiary, people newly covered, cost per person newly covered, formula. */
export function ProgrammeView(actions: SandboxActions): SandboxView {
  const select = h("select", {id: "programme-year", "data-testid": "programme-year"});
  let year: number | undefined;
  let last: SandboxState | undefined;
  const content = h("div", {});
  const render = (state: SandboxState) => {
    last = state;
    const years = state.result.scenario.years;
    if (year === undefined || !years.includes(year)) year = years.at(-1)!;
    if (select.options.length !== years.length || [...select.options].some((o, i) => Number(o.value) !== years[i]))
      select.replaceChildren(...years.map((y) => h("option", {value: y}, `${y} 年`)));
    select.value = String(year);
    const y = year;
    const rows = programmeRows(state.result, y);
    const formula = (r: ScenarioRow) => {
      const button = h("button", {type: "button", class: "explain-button", "data-explain": r.programme, "aria-label": `${r.programme_zh} ${y} 年的公式与出处`}, "公式");
      button.addEventListener("click", () => actions.explain(r.programme, y));
      return button;
    };
    const columns: Column<ScenarioRow>[] = [
      {key: "programme", label: "项目", value: (r) => r.programme_zh, header: true},
      {key: "cost", label: "方案成本", value: (r) => r.cost_yuan, format: yuan},
      {key: "baseline", label: "基线成本", value: (r) => r.baseline_cost_yuan, format: yuan},
      {key: "delta", label: "比基线增加", value: (r) => r.delta_yuan, format: yuan},
      {key: "per_resident", label: "人均（常住人口）", value: (r) => r.per_resident_yuan, format: perUnit},
      {key: "beneficiaries", label: "受益人数", value: (r) => r.beneficiaries, format: people},
      {key: "per_beneficiary", label: "每受益人", value: (r) => r.per_beneficiary_yuan, format: perUnit},
      {key: "newly_covered", label: "新增覆盖人数", value: (r) => r.newly_covered, format: people},
      {key: "cost_per_newly_covered", label: "每新增覆盖一人", value: (r) => r.cost_per_newly_covered, format: perUnit},
      {key: "formula", label: "公式与出处", value: formula},
    ];
    content.replaceChildren(dataTable(rows, columns, {caption: `${y} 年各项目`, testid: "programme-table", className: "wide", rowAttributes: (r) => ({"data-programme": r.programme})}));
  };
  select.addEventListener("change", () => {
    year = Number(select.value);
    if (last) render(last);
  });
  return {element: h("div", {class: "sandbox-view programme-view"}, h("label", {for: "programme-year"}, "年度 "), select, content), update: render};
}

/** The split by funding level: stacked bars per year and the table of costs and increases per level. */
export function FundingView(): SandboxView {
  return chartView("funding-view", (state, width, Plot) => {
    const data = fundingByYear(state.result);
    const levels = [...new Set(data.map((d) => d.level_zh))];
    const chart = !Plot ? PLOT_PENDING : Plot.plot({
      width,
      height: 240,
      marginLeft: 70,
      ariaLabel: "各级财政分担的年度成本",
      ariaDescription: data.map((d) => `${d.year} 年${d.level_zh} ${formatYuan(d.cost_yuan)}`).join("；"),
      x: {label: null, tickFormat: (y: number) => `${y}年`, type: "band"},
      y: {label: "万元", grid: true, tickFormat: tenThousand},
      color: {domain: levels, range: levelColours, legend: true},
      marks: [Plot.barY(data, {x: "year", y: "cost_yuan", fill: "level_zh", order: levels, title: (d: FundingYear) => `${d.year} 年${d.level_zh}：${formatYuan(d.cost_yuan)}`}), Plot.ruleY([0])],
    });
    const years = state.result.scenario.years;
    const rows = levels.map((level) => ({level, values: Object.fromEntries(data.filter((d) => d.level_zh === level).map((d) => [d.year, d])) as Record<number, FundingYear>}));
    const columns: Column<(typeof rows)[number]>[] = [
      {key: "level", label: "层级", value: (r) => r.level, header: true},
      ...years.map((y) => ({key: String(y), label: `${y} 年`, value: (r: (typeof rows)[number]) => r.values[y]?.cost_yuan ?? null, format: yuan})),
      ...years.map((y) => ({key: `delta-${y}`, label: `${y} 年增加`, value: (r: (typeof rows)[number]) => r.values[y]?.delta_yuan ?? null, format: yuan})),
    ];
    return {
      chart,
      content: [
        h("p", {class: "chart-note muted"}, "图：各年度成本按中央、省级、市级、区县级分担比例拆分（比例是参数，可在「参数」中的「各级资金分担比例」调整），万元。"),
        dataTable(rows, columns, {caption: "各级分担（方案成本与比基线增加）", testid: "funding-table", className: "wide", rowAttributes: (r) => ({"data-level": r.level})}),
      ],
    };
  });
}

/** Up to three scenarios side by side: totals per year as lines, and a table of totals, increases and people newly covered. */
export function CompareView(): SandboxView {
  return chartView("compare-view", (state, width, Plot) => {
    const names = state.slots.scenarios.map((s, i) => `${i + 1}. ${s.name || "未命名方案"}`);
    const rows = compareYears(state.results);
    const data = rows.flatMap((r) => r.cost.map((cost, i) => ({year: r.year, name: names[i]!, cost})).filter((d) => d.cost !== null));
    const chart = !Plot ? PLOT_PENDING : Plot.plot({
      width,
      height: 240,
      marginLeft: 70,
      ariaLabel: "各方案年度合计对比",
      ariaDescription: rows.map((r) => `${r.year} 年：${r.cost.map((c, i) => `${names[i]} ${formatYuan(c)}`).join("，")}`).join("；"),
      x: {label: null, tickFormat: (y: number) => `${y}年`, type: "point"},
      y: {label: "万元", grid: true, tickFormat: tenThousand},
      color: {domain: names, range: [palette.blue, palette.orange, palette.green], legend: true},
      symbol: {domain: names, range: ["circle", "square", "triangle"]},
      marks: [
        Plot.line(data, {x: "year", y: "cost", stroke: "name", strokeWidth: 2}),
        Plot.dot(data, {x: "year", y: "cost", stroke: "name", fill: "name", symbol: "name", r: 4, title: (d: {year: number; name: string; cost: number}) => `${d.name} ${d.year} 年：${formatYuan(d.cost)}`}),
      ],
    });
    type Row = (typeof rows)[number];
    const columns: Column<Row>[] = [
      {key: "year", label: "年度", value: (r) => `${r.year} 年`, header: true},
      ...names.map((n, i) => ({key: `cost-${i}`, label: `${n}：合计`, value: (r: Row) => r.cost[i] ?? null, format: yuan})),
      ...names.map((n, i) => ({key: `delta-${i}`, label: `${n}：比基线增加`, value: (r: Row) => r.delta[i] ?? null, format: yuan})),
      ...names.map((n, i) => ({key: `newly-${i}`, label: `${n}：新增覆盖`, value: (r: Row) => r.newly[i] ?? null, format: people})),
    ];
    return {
      chart: state.slots.scenarios.length > 1 ? chart : null,
      content: [
        state.slots.scenarios.length > 1
          ? h("p", {class: "chart-note muted"}, "图：各方案年度合计（万元），线型和点形区分方案。数据见下表。")
          : h("p", {class: "sandbox-empty"}, "只有一个方案。点「复制为新方案」再修改副本，即可与原方案并排比较（最多三个）。"),
        dataTable(rows, columns, {caption: "方案对比", testid: "compare-table", className: "wide", rowAttributes: (r) => ({"data-year": r.year})}),
      ],
    };
  });
}
