import {rateDistribution} from "../engine/distribution.js";
import {childLevel, gapLevels, type BreadcrumbItem, type GapResult, type GapRow, type GapSummary} from "../engine/gapQuery.js";
import {indicatorById} from "../engine/indicators.js";
import {planYears} from "../engine/planPeriod.js";
import type {ScorecardResult, ScorecardUnit} from "../engine/scorecard.js";
import type {CitySource} from "./cityDb.js";
import {formatCount, formatPercent, formatYuan} from "./format.js";
import {childrenSumLabel, columnsFor, gapTableExport, searchGapRows, sortTableRows, type GapColumnKey, type SortOrder} from "./gapColumns.js";
import {GapControls} from "./gapControls.js";
import type {GapEngine} from "./gapEngine.js";
import {onEngineProgress, progressNote} from "./engineProgress.js";
import {h, isPlainClick, replace} from "./gapDom.js";
import {addGapStyles} from "./gapStyles.js";
import {GapTable} from "./gapTable.js";
import {costLabel, costText, countUnit, eligibleLabel, filterText, gapLabel, levelPlural, targetText} from "./gapText.js";
import {MissesOneTable, ScorecardLegend, ScorecardMatrix, scorecardCounts} from "./scorecardMatrix.js";
import {csvBytes, csvMime, downloadFileName, saveFile, xlsxBytes, xlsxMime} from "./tableDownload.js";
import {gapViewQuery, parseGapView, readableUrl, viewLevels, type GapView, type ViewLevel} from "./viewState.js";

/**
 * The coverage-gap explorer (覆盖缺口): the page's controls, breadcrumb, summary, charts, table and
 * scorecard, kept in step with one view that lives in the URL. A control change runs the engine
 * (gapQuery, then gapSummary and, when the scope or year changed, scorecard) on the page's one
 * database — prepared statements are reused, nothing is reloaded — and redraws in place. Drill-down
 * (a chart, a table link, the breadcrumb) pushes a history entry; other changes replace it; Back and
 * Forward restore the view without a reload.
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
  methods: HTMLElement;
  /** The current view. */
  view(): GapView;
}

/** Table rows drawn before "show all": enough for any district or street, quick for 600 communities. */
export const TABLE_FIRST_ROWS = 100;
/** Chart width before the page has laid the section out. */
const FALLBACK_WIDTH = 640;
/** A width change below this many pixels does not redraw the charts. */
const RESIZE_STEP_PX = 8;

/** What the pooled cells of a real city's persons_cube mean for the indicator shown (its slice's pooled persons). */
function pooledNote(result: GapResult): HTMLElement {
  const filtered = result.filters.categories.length > 0 || result.filters.grades.length > 0;
  return h(
    "p",
    {class: "gap-note", "data-pooled": result.persons_pooled},
    `本指标${filtered ? "按所选类别、等级" : ""}所用的汇总口径中，全市有 ${result.persons_pooled.toLocaleString("zh-CN")} 人因所在小格人数不足发布阈值而合并：` +
      "他们只计入所在社区的合计，类别、等级、年龄段和服务状态按未知处理，因此小群体的人数、达成人数和缺口是下限。",
  );
}

/** The charts' module (Plot, d3), imported on the first chart drawn: the first table does not wait for it. */
let charts: typeof import("./gapCharts.js") | null = null;
const chartModule = () => import("./gapCharts.js").then((m) => (charts = m));

/**
 * What the page shows where the data cannot answer the question (a city given as counts per community
 * with no screening by category): the reason, in every place a figure would be, never an empty chart or 0.
 */
function cannotAnswer(reason_zh: string): HTMLElement {
  return h("p", {class: "gap-note gap-cannot-answer", "data-cannot-answer": ""}, h("strong", {}, "无法计算："), reason_zh);
}

export async function GapExplorer(engine: GapEngine, options: {source?: CitySource; search?: string} = {}): Promise<GapExplorer> {
  addGapStyles();
  const city = await engine.topUnit();
  const parsed = parseGapView(options.search ?? location.search);
  let view = parsed.view;
  let scope: BreadcrumbItem[] = city ? [city] : [];
  let result: GapResult | null = null;
  let summary: GapSummary | null = null;
  let card: ScorecardResult | null = null;
  let cardKey = "";
  let showAll = false;
  let version = 0;
  const timings: GapTimings = {changes: 0, view: "", queryMs: null, renderMs: null, resultMs: null, summaryMs: null, scorecardMs: null, totalMs: null, parts: {}, engine: engine.state};
  window.__dpfGaps = timings;

  const notes = h("div", {class: "gap-notes", role: "status", "aria-live": "polite"});
  const crumbs = h("nav", {class: "gap-breadcrumb", "aria-label": "层级导航"});
  const method = h("div", {class: "gap-method"});
  const summaryBox = h("div", {class: "gap-summary"});
  const dotPlot = h("div", {class: "gap-chart", "data-section": "dot-plot"});
  const gapBars = h("div", {class: "gap-chart grid grid-cols-2", "data-section": "gap-bars"});
  const distribution = h("div", {class: "gap-chart", "data-section": "distribution"});
  const tableBox = h("div", {class: "gap-table-section", "aria-live": "off"});
  const cardBox = h("div", {class: "gap-scorecard"});
  const methods = h("div", {class: "gap-methods"});
  const searchInput = h("input", {type: "search", id: "gap-search", placeholder: "按名称或代码搜索", "aria-label": "搜索单位（名称或代码）"});
  const rowCount = h("span", {class: "gap-row-count muted", "aria-live": "polite"});
  const linkOut = h("a", {class: "gap-view-link", id: "gap-view-link"});
  const copyStatus = h("span", {class: "muted", "aria-live": "polite"});
  const csvButton = h("button", {type: "button", id: "gap-download-csv"}, "下载 CSV");
  const xlsxButton = h("button", {type: "button", id: "gap-download-xlsx"}, "下载 Excel（XLSX）");
  const copyButton = h("button", {type: "button", id: "gap-copy-link"}, "复制本视图链接");
  const tableTools = h(
    "div",
    {class: "gap-table-tools"},
    h("div", {}, h("label", {class: "gap-field"}, h("span", {}, "搜索"), searchInput), rowCount),
    h(
      "div",
      {},
      csvButton,
      " ",
      xlsxButton,
      h("p", {class: "muted gap-download-note"}, "下载的列名、正负号和百分比的小数位与表格一致。用 Excel 打开请选 XLSX：其中代码是文本单元格；CSV 供统计软件读取，Excel 直接打开 CSV 会把 12 位代码显示成科学计数法。"),
    ),
    h("div", {class: "gap-link-row"}, h("span", {}, "本视图链接："), linkOut, " ", copyButton, " ", copyStatus),
  );
  const controls = GapControls((change) => void apply({...view, ...change}, "replace"));
  const engineStatus = h("p", {class: "gap-engine muted", role: "status", "aria-live": "polite", "data-engine": engine.state});
  const controlsBox = h("div", {class: "gap-controls-box"}, controls.element, engineStatus);

  // While the published figures are shown, say so; a view they do not hold waits for the engine, and
  // the controls say that too, with the download's progress. Once DuckDB is in, the note goes.
  let waiting = 0;
  let progressText = "";
  const stopProgress = onEngineProgress((progress) => {
    progressText = progressNote(progress);
    showEngineState();
  });
  function showEngineState() {
    engineStatus.dataset.engine = engine.state;
    if (engine.state === "duckdb") {
      engineStatus.hidden = true;
      controlsBox.removeAttribute("aria-busy");
      return;
    }
    const whose = options.source?.label ?? "本站发布的城市";
    engineStatus.textContent = waiting
      ? `正在加载计算引擎${progressText}，完成后显示所选视图……`
      : `当前显示的是构建时按${whose}计算的数字；计算引擎正在后台加载${progressText}，加载后可查看任意视图。`;
    controlsBox.toggleAttribute("aria-busy", waiting > 0);
  }
  void engine.ready.then(() => {
    stopProgress();
    showEngineState();
  });
  showEngineState();
  /** Awaits an engine answer, marking the controls busy when it has to wait for DuckDB-WASM (not for a published one). */
  async function whenEngine<T>(answer: Promise<T>): Promise<T> {
    let marked = false;
    const timer = engine.state === "published" ? setTimeout(() => ((marked = true), waiting++, showEngineState()), 0) : undefined;
    try {
      return await answer;
    } finally {
      clearTimeout(timer);
      if (marked) waiting--;
      timings.engine = engine.state;
      showEngineState();
    }
  }

  const scopeUnit = () => (scope.length > 1 ? scope.at(-1)!.unit_code : null);
  const scopeLevel = () => scope.at(-1)?.level ?? "city";
  const levelsBelow = (): ViewLevel[] => viewLevels.filter((l) => gapLevels.indexOf(l) > gapLevels.indexOf(scopeLevel()));
  const hrefOf = (v: GapView) => gapViewQuery(v);
  const drillView = (unitCode: string, level: GapView["level"] | "city"): GapView | null => {
    const below = childLevel(level);
    return below === null || below === "city" ? null : {...view, unit: level === "city" ? null : unitCode, level: below as ViewLevel, q: ""};
  };
  const drill = (unitCode: string, level: GapView["level"] | "city") => {
    const next = drillView(unitCode, level);
    if (next) void apply(next, "push");
  };
  const rowHref = (row: GapRow | ScorecardUnit) => {
    const next = drillView(row.unit_code, row.level);
    return next ? hrefOf(next) : null;
  };

  /** Reads the scope (the unit drilled into) from the units table; an unknown or leaf unit is said and replaced. */
  async function resolveScope(unit: string | null, said: string[]): Promise<BreadcrumbItem[]> {
    if (unit === null) return city ? [city] : [];
    if (unit === scopeUnit()) return scope;
    let path = await whenEngine(engine.breadcrumb(unit));
    if (!path.length) {
      said.push(`没有代码为“${unit}”的单位，已显示全市。`);
      return city ? [city] : [];
    }
    if (path.at(-1)!.level === "community") {
      said.push(`${path.at(-1)!.unit_name}是社区/村，没有下一级，已显示它所在的${path.at(-2)?.unit_name ?? "上级"}。`);
      path = path.slice(0, -1);
    }
    return path;
  }

  /** Puts the view in the address bar: a new history entry for a drill-down, else the current one replaced. */
  function writeUrl(how: "push" | "replace") {
    const query = gapViewQuery(view);
    const url = `${location.pathname}${query}${location.hash}`;
    if (location.search !== query) history[how === "push" ? "pushState" : "replaceState"]({gapView: query}, "", url);
    linkOut.href = location.href;
    linkOut.textContent = readableUrl(location.href);
  }

  function sameQuery(a: GapView, b: GapView) {
    return a.indicator === b.indicator && a.level === b.level && a.unit === b.unit && a.year === b.year && a.categories.join() === b.categories.join() && a.grades.join() === b.grades.join();
  }

  /** Shows a view: checks its scope, writes the URL, runs what changed in the engine and redraws. */
  async function apply(requested: GapView, how: "push" | "replace", started = performance.now(), said: string[] = []): Promise<void> {
    const mine = ++version;
    const previous = view;
    try {
      const path = await resolveScope(requested.unit, said);
      if (mine !== version) return;
      scope = path;
      const levels = levelsBelow();
      let next: GapView = {...requested, unit: scopeUnit()};
      if (!levels.includes(next.level)) {
        // Only a link can ask for this (the level list offers only levels below the scope).
        said.push(`${scope.at(-1)?.unit_name ?? "全市"}下没有${levelPlural[next.level]}，已显示${levelPlural[levels[0]!]}。`);
        next = {...next, level: levels[0]!};
      }
      const requery = result === null || !sameQuery(next, previous);
      if (requery || next.q !== previous.q) showAll = false;
      view = next;
      writeUrl(how);
      controls.update(view, levels, planYears);
      searchInput.value = view.q;
      replace(notes, ...said.map((s) => h("p", {class: "gap-note"}, s)));
      drawBreadcrumb();

      if (requery) {
        const queryStart = performance.now();
        const fresh = await whenEngine(engine.gapQuery({indicator: view.indicator, level: view.level, parent: view.unit, year: view.year, categories: view.categories, grades: view.grades}));
        const queryEnd = performance.now();
        if (mine !== version) return;
        result = fresh;
        timings.queryMs = queryEnd - queryStart;
        performance.measure("dpf:gaps-query", {start: queryStart, end: queryEnd});
      } else timings.queryMs = null;
      // A real city's build counts persons from persons_cube: say what its pooled cells leave out.
      if (result && result.persons_pooled > 0) notes.append(pooledNote(result));
      if (result && !result.answer.answerable) notes.append(cannotAnswer(result.answer.reason_zh));
      const renderStart = performance.now();
      if (requery) {
        drawCharts();
        drawMethod();
      }
      timed("table", drawTable);
      const renderEnd = performance.now();
      performance.measure("dpf:gaps-render", {start: renderStart, end: renderEnd});
      timings.renderMs = renderEnd - renderStart;
      timings.resultMs = renderEnd - started;
      if (!tableBox.hasAttribute("data-first-result")) tableBox.setAttribute("data-first-result", "");

      if (requery) {
        const t = performance.now();
        const totals = await whenEngine(engine.gapSummary({indicator: view.indicator, level: view.level, parent: view.unit, year: view.year, categories: view.categories, grades: view.grades}));
        if (mine !== version) return;
        summary = totals;
        timings.summaryMs = performance.now() - t;
        timed("summary", drawSummary);
      } else timings.summaryMs = null;

      const key = `${view.level}|${view.unit}|${view.year}`;
      if (key !== cardKey) {
        const t = performance.now();
        const fresh = await whenEngine(engine.scorecard({level: view.level, parent: view.unit, year: view.year}));
        if (mine !== version) return;
        card = fresh;
        cardKey = key;
        timings.scorecardMs = performance.now() - t;
        timed("scorecard", drawScorecard);
      } else timings.scorecardMs = null;

      timings.totalMs = performance.now() - started;
      timings.view = gapViewQuery(view);
      timings.changes++;
      tableBox.dataset.view = timings.view;
    } catch (error) {
      if (mine !== version) return;
      console.error(error);
      replace(notes, h("p", {class: "gap-note gap-error"}, `无法显示该视图：${error instanceof Error ? error.message : String(error)}`));
    }
  }

  function drawBreadcrumb() {
    const items = scope.map((item, i) => {
      const last = i === scope.length - 1;
      if (last) return h("li", {}, h("span", {"aria-current": "page"}, item.unit_name));
      const next = drillView(item.unit_code, item.level);
      return h(
        "li",
        {},
        h(
          "a",
          {
            href: next ? hrefOf(next) : "?",
            "data-unit": item.unit_code,
            on: {
              click: (event) => {
                if (!isPlainClick(event as MouseEvent)) return;
                event.preventDefault();
                drill(item.unit_code, item.level);
              },
            },
          },
          item.unit_name,
        ),
      );
    });
    replace(crumbs, h("ol", {}, ...items, h("li", {class: "gap-breadcrumb-level"}, levelPlural[view.level])));
  }

  const chartWidth = (box: HTMLElement, columns = 1) => Math.floor((box.clientWidth || FALLBACK_WIDTH) / columns) - (columns > 1 ? 16 : 0);
  const onSelect = (row: GapRow) => drill(row.unit_code, row.level);

  /** Runs a drawing step and records its time under `parts`. */
  function timed(part: string, draw: () => void) {
    const t = performance.now();
    draw();
    timings.parts[part] = performance.now() - t;
  }

  function drawCharts() {
    if (!result) return;
    const shown = result;
    if (!shown.answer.answerable) {
      for (const box of [dotPlot, gapBars, distribution]) replace(box, cannotAnswer(shown.answer.reason_zh));
      return;
    }
    // Plot and d3 (some 40 modules) load after the first table is drawn, not before it: see chartModule.
    if (!charts) {
      void chartModule().then(() => result === shown && drawCharts());
      return;
    }
    const {GapBars, GapDotPlot, RateHistogram} = charts;
    const select = childLevel(shown.level) !== null ? onSelect : undefined;
    timed("dotPlot", () => replace(dotPlot, GapDotPlot(shown, {width: chartWidth(dotPlot), onSelect: select})));
    const half = chartWidth(gapBars, 2);
    timed("gapBars", () =>
      replace(gapBars, GapBars(shown, {width: half, measure: "gap_count", onSelect: select}), GapBars(shown, {width: half, measure: "gap_cost_yuan", onSelect: select})),
    );
    timed("distribution", () => replace(distribution, RateHistogram(rateDistribution(shown.rows, {target: shown.target_value}), shown, {width: chartWidth(distribution)})));
  }

  function tableRows(): GapRow[] {
    return result ? sortTableRows(searchGapRows(result.rows, view.q), view.sort, view.order) : [];
  }

  function drawTable() {
    if (!result) return;
    if (!result.answer.answerable) {
      rowCount.textContent = "无法计算";
      replace(tableBox, cannotAnswer(result.answer.reason_zh));
      return;
    }
    const rows = tableRows();
    rowCount.textContent = view.q ? `搜索“${view.q}”：${rows.length} / ${result.rows.length} 个单位` : `共 ${rows.length} 个单位`;
    replace(
      tableBox,
      GapTable(rows, result, {
        sort: view.sort,
        order: view.order,
        onSort: (key: GapColumnKey, order: SortOrder) => void apply({...view, sort: key, order}, "replace"),
        hrefFor: rowHref,
        onSelect,
        limit: showAll ? undefined : TABLE_FIRST_ROWS,
        onShowAll: () => {
          showAll = true;
          drawTable();
        },
      }),
    );
  }

  function drawMethod() {
    if (!result) return;
    const {indicator} = result;
    const filters = filterText(view.categories, view.grades);
    replace(
      method,
      h("p", {class: "gap-how"}, h("strong", {}, `${indicator.label.zh}：`), indicator.howComputed_zh),
      h("p", {class: "gap-target"}, targetText(result)),
      h("p", {class: "muted"}, `成本：${costText(result)}`),
      filters && result.filters.applies ? h("p", {class: "muted"}, `只计：${filters}。`) : null,
    );
    replace(
      methods,
      h(
        "dl",
        {},
        ...columnsFor(result).flatMap((c) => [h("dt", {}, c.header(result!)), h("dd", {}, c.note(result!))]),
        h("dt", {}, "逐级汇总：本级缺口与下级缺口合计"),
        h(
          "dd",
          {},
          "街道、区县和全市的数字由所辖社区的人数（或社区数）相加后再相除（按人数加权），不对各单位的比率取平均。每个单位有两个缺口数：“本级缺口”按本单位合计人数对照目标计算，下级超出目标的部分会抵消其他下级的不足；“下级缺口合计”是各下级单位自身缺口之和，不抵消，是逐一补齐各下级要做的量。两者不同时都列出；一个单位在上级表格中的两个数与其本单位页面上的两个数相同。",
        ),
      ),
    );
  }

  function card_(label: string, value: string, detail: string, title: string, attributes: Record<string, string | number> = {}): HTMLElement {
    return h("div", {class: "card gap-card", title, ...attributes}, h("h3", {}, label), h("div", {class: "gap-big"}, value), h("div", {class: "muted"}, detail));
  }

  function drawSummary() {
    if (!summary || !result) return;
    const {total} = summary;
    if (!summary.answer.answerable) {
      replace(summaryBox, card_(result.indicator.label.zh, "无法计算", summary.answer.reason_zh, summary.answer.reason_zh));
      summaryBox.firstElementChild?.setAttribute("data-cannot-answer", "");
      return;
    }
    const noun = countUnit(result.indicator);
    const scopeName = scope.at(-1)?.unit_name ?? "全市";
    replace(
      summaryBox,
      h(
        "div",
        {class: "grid grid-cols-4"},
        card_(eligibleLabel(result.indicator), `${formatCount(total.eligible)} ${noun}`, `${scopeName}合计；状态未知 ${formatCount(total.missing)} ${noun}`, "符合条件者，含状态未知者"),
        card_("达成率", formatPercent(total.achieved_rate), `目标 ${formatPercent(total.target)}（${summary.as_of} 有效）`, result.indicator.howComputed_zh),
        card_(
          gapLabel(result.indicator),
          `本级 ${formatCount(total.gap_count)} ${noun}`,
          `${levelPlural[view.level]}缺口合计 ${formatCount(summary.gross_gap_count)} ${noun}`,
          `本级：${scopeName}按合计人数对照目标计算（下级之间相互抵消）；${levelPlural[view.level]}缺口合计：各单位自身缺口相加（不抵消），是逐一补齐要做的量。`,
          {"data-own": total.gap_count ?? "", "data-children": summary.gross_gap_count ?? "", "data-testid": "gap-card-count"},
        ),
        card_(
          costLabel(result),
          `本级 ${formatYuan(total.gap_cost_yuan)}`,
          `${childrenSumLabel(costLabel(result)).replace(/^下级/, levelPlural[view.level])} ${formatYuan(summary.gross_gap_cost_yuan)}；${summary.units_below_target} 个单位低于目标，${summary.units_meeting_target} 个达标${summary.units_all_missing ? `，${summary.units_all_missing} 个全部状态未知` : ""}`,
          costText(result),
          {"data-own": total.gap_cost_yuan ?? "", "data-children": summary.gross_gap_cost_yuan ?? "", "data-testid": "gap-card-cost"},
        ),
      ),
    );
  }

  function drawScorecard() {
    if (!card) return;
    const counts = scorecardCounts(card);
    const units = (u: ScorecardUnit) => drill(u.unit_code, u.level);
    replace(
      cardBox,
      h(
        "p",
        {class: "sc-counts", "data-communities": counts.communities, "data-meeting-all": counts.meetingAll, "data-missing-one": counts.missingOne},
        `${scope.at(-1)?.unit_name ?? "全市"}共 ${formatCount(counts.communities)} 个社区/村：全部 ${card.criteria.length} 项达标 ${formatCount(counts.meetingAll)} 个，仅差一项 ${formatCount(counts.missingOne)} 个，有缺失数据 ${formatCount(counts.withMissing)} 个。`,
      ),
      ScorecardLegend(card.level === "community"),
      ScorecardMatrix(card, {hrefFor: rowHref, onSelect: units}),
      MissesOneTable(card),
    );
  }

  // Downloads: the table as shown (searched and sorted), every row, not only those drawn.
  function fileParts(): string[] {
    return [
      "覆盖缺口",
      indicatorById(view.indicator).label.zh,
      scope.map((s) => s.unit_name).join("-"),
      levelPlural[view.level],
      `${view.year}年`,
      result?.filters.applies ? filterText(view.categories, view.grades).replaceAll(" · ", "_") : "",
      view.q ? `搜索${view.q}` : "",
    ];
  }
  csvButton.addEventListener("click", () => {
    if (!result) return;
    const table = gapTableExport(tableRows(), result);
    saveFile(downloadFileName(fileParts(), "csv"), csvBytes(table.headers, table.rows), csvMime);
  });
  xlsxButton.addEventListener("click", async () => {
    if (!result) return;
    const shown = result;
    const table = gapTableExport(tableRows(), shown);
    xlsxButton.disabled = true;
    try {
      const about: [string, string][] = [
        ["指标", shown.indicator.label.zh],
        ["计算方法", shown.indicator.howComputed_zh],
        ["目标", targetText(shown)],
        ["成本", costText(shown)],
        ["范围", scope.map((s) => s.unit_name).join(" › ")],
        ["层级", levelPlural[view.level]],
        ["年度", `${view.year} 年（目标与标准取 ${shown.as_of} 有效值）`],
        ["筛选", (shown.filters.applies && filterText(view.categories, view.grades)) || "全部"],
        ["搜索", view.q || "无"],
        ["数据", options.source?.label ?? ""],
        ["视图链接", location.href],
        ["缺失值", "“—”表示缺失（状态未知或无法计算），不是 0。"],
      ];
      const bytes = await xlsxBytes(
        [
          {name: "覆盖缺口", headers: table.headers, rows: table.rows},
          {name: "说明", headers: ["项目", "内容"], rows: about},
        ],
        {title: fileParts().filter(Boolean).join(" ")},
      );
      saveFile(downloadFileName(fileParts(), "xlsx"), bytes, xlsxMime);
    } catch (error) {
      console.error(error);
      copyStatus.textContent = `无法生成 Excel 文件：${error instanceof Error ? error.message : String(error)}`;
    } finally {
      xlsxButton.disabled = false;
    }
  });
  copyButton.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      copyStatus.textContent = "已复制。";
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): select the link text instead.
      const range = document.createRange();
      range.selectNodeContents(linkOut);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      copyStatus.textContent = "请按 Ctrl+C 复制已选中的链接。";
    }
  });
  searchInput.addEventListener("input", () => void apply({...view, q: searchInput.value.trim()}, "replace"));
  window.addEventListener("popstate", () => {
    const back = parseGapView(location.search);
    void apply(back.view, "replace", performance.now(), back.notes);
  });

  // Charts follow the width of their section (the page lays it out after this function returns).
  let lastWidth = 0;
  new ResizeObserver(() => {
    const width = dotPlot.clientWidth;
    if (Math.abs(width - lastWidth) < RESIZE_STEP_PX) return;
    lastWidth = width;
    drawCharts();
  }).observe(dotPlot);

  await apply(view, "replace", performance.now(), parsed.notes);
  return {
    controls: controlsBox,
    notes,
    breadcrumb: crumbs,
    method,
    summary: summaryBox,
    dotPlot,
    gapBars,
    distribution,
    tableTools,
    table: tableBox,
    scorecard: cardBox,
    methods,
    view: () => view,
  };
}
