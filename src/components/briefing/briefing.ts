import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import type {Citations} from "./cite.js";
export {ScenarioSummary} from "../sandbox/budgetCapText.js";
import {briefingFindings, findingsHtml} from "./briefingFindings.js";
import {findingsCss, printFooterCss} from "./briefingHtml.js";
import {proseHtml} from "./briefingProse.js";
import {briefingSources, sourcesHtml} from "./briefingSources.js";
import type {BriefingData, BriefingGap, BriefingParameter, BriefingScenario} from "../../schemas/briefingData.js";
import {formatCount, formatNumber, formatPercent, formatYuan, missingText} from "../shared/format.js";
import {quoteLang, sourceTitle} from "../shared/sourceTitle.js";
import {simplifiedReadingText} from "../shared/simplifiedReading.js";

/**
 * The charts and tables of a briefing page (测算简报), from its precomputed JSON: every chart is a
 * <figure> with a caption, an ARIA description and the table of the numbers it draws right beside it,
 * in the Okabe–Ito palette (told apart with every common colour-vision deficiency, and in greyscale
 * print by lightness).
 */

/** Okabe & Ito's colour-blind-safe palette. */
export const okabeIto = {blue: "#0072B2", orange: "#E69F00", vermillion: "#D55E00", green: "#009E73", sky: "#56B4E9", purple: "#CC79A7", yellow: "#F0E442", grey: "#8C8C8C"} as const;

/** Chart width within 360–720 px: readable on a phone, A4 print width at most (the page may report 0 before layout). */
const chartWidth = (width: number | undefined) => Math.max(360, Math.min(width || 640, 720));

function figure(id: string, caption: string, chart: Element, table: Element): HTMLElement {
  return html`<figure class="briefing-figure" id=${id}>${chart}<figcaption>${caption}</figcaption>${table}</figure>` as HTMLElement;
}

/** Scenario and baseline cost per year: a grouped bar chart and its table. */
export function ScenarioCostChart(scenario: BriefingScenario, options: {width?: number; id?: string} = {}): HTMLElement {
  const data = scenario.totals.flatMap((t) => [
    {year: String(t.year), series: "基线", cost: t.baseline_cost_yuan},
    {year: String(t.year), series: "方案", cost: t.cost_yuan},
  ]);
  const cap = scenario.cap_yuan_per_year;
  const description = scenario.totals.map((t) => `${t.year} 年方案 ${formatYuan(t.cost_yuan)}，基线 ${formatYuan(t.baseline_cost_yuan)}`).join("；") + (cap === null ? "" : `；年度预算上限 ${formatYuan(cap)}`);
  const chart = Plot.plot({
    width: chartWidth(options.width),
    height: 260,
    marginLeft: 64,
    ariaLabel: `${scenario.name}：各年度测算成本与基线`,
    ariaDescription: description,
    fx: {label: null, tickFormat: (y: string) => `${y}年`},
    x: {axis: null, domain: ["基线", "方案"]},
    y: {label: "万元", grid: true, tickFormat: (v: number) => formatNumber(v / 1e4)},
    color: {domain: ["基线", "方案"], range: [okabeIto.grey, okabeIto.blue], legend: true},
    marks: [
      Plot.barY(data, {fx: "year", x: "series", y: "cost", fill: "series", title: (d: {series: string; cost: number}) => `${d.series} ${formatYuan(d.cost)}`}),
      Plot.ruleY([0]),
      ...(cap === null ? [] : [Plot.ruleY([cap], {stroke: "currentColor", strokeDasharray: "4,3"}), Plot.text([{cap, year: String(scenario.totals.at(-1)!.year), series: "方案"}], {y: "cap", fx: "year", x: "series", text: () => "预算上限", dy: -8, frameAnchor: "right"})]),
    ],
  });
  const table = html`<table class="briefing-table" data-table="totals">
    <thead><tr><th scope="col">年度</th><th scope="col">方案成本</th><th scope="col">基线成本</th><th scope="col">比基线增加</th><th scope="col">新增覆盖人数</th></tr></thead>
    <tbody>${scenario.totals.map(
      (t) => html`<tr><th scope="row">${t.year}</th><td>${formatYuan(t.cost_yuan)}</td><td>${formatYuan(t.baseline_cost_yuan)}</td><td>${formatYuan(t.delta_yuan)}</td><td>${formatCount(Math.round(t.newly_covered))}</td></tr>`,
    )}
    <tr class="total"><th scope="row">合计</th><td>${formatYuan(scenario.sum.cost_yuan)}</td><td>${formatYuan(scenario.sum.baseline_cost_yuan)}</td><td>${formatYuan(scenario.sum.delta_yuan)}</td><td>${formatCount(Math.round(scenario.sum.final_year_newly_covered))}（末年）</td></tr>
    </tbody></table>`;
  const capText = cap === null ? "" : `，虚线为年度预算上限 ${formatYuan(cap)}`;
  return figure(options.id ?? `chart-${scenario.id}`, `图：${scenario.name}——${scenario.years[0]}—${scenario.years.at(-1)} 年各年度测算成本（蓝）与基线（灰），万元${capText}；数据见下表。`, chart, table as Element);
}

/** The programmes of a scenario, largest increase first: five-year cost, baseline, increase, final-year reach. */
export function ProgrammeTable(scenario: BriefingScenario, options: {limit?: number} = {}): HTMLElement {
  const rows = scenario.programmes.slice(0, options.limit ?? scenario.programmes.length);
  const last = scenario.years.at(-1);
  return html`<table class="briefing-table" data-table="programmes">
    <caption>分项目测算（${scenario.years[0]}—${last} 年合计，按比基线增加额排序）</caption>
    <thead><tr><th scope="col">项目</th><th scope="col">方案成本</th><th scope="col">基线成本</th><th scope="col">比基线增加</th><th scope="col">${last} 年受益人数</th><th scope="col">${last} 年新增覆盖</th></tr></thead>
    <tbody>${rows.map(
      (p) => html`<tr data-programme=${p.programme}><th scope="row">${p.programme_zh}</th><td>${formatYuan(p.cost_yuan)}</td><td>${formatYuan(p.baseline_cost_yuan)}</td><td>${formatYuan(p.delta_yuan)}</td><td>${formatCount(Math.round(p.final_year_beneficiaries))}</td><td>${formatCount(Math.round(p.final_year_newly_covered))}</td></tr>`,
    )}</tbody></table>` as HTMLElement;
}

/** Who pays: cost and increase per funding level over the simulated years. */
export function LevelsTable(scenario: BriefingScenario): HTMLElement {
  return html`<table class="briefing-table" data-table="levels">
    <caption>按出资层级分担（${scenario.years[0]}—${scenario.years.at(-1)} 年合计）</caption>
    <thead><tr><th scope="col">出资层级</th><th scope="col">方案成本</th><th scope="col">比基线增加</th><th scope="col">占比</th></tr></thead>
    <tbody>${scenario.levels.map(
      (l) => html`<tr><th scope="row">${l.level_zh}</th><td>${formatYuan(l.cost_yuan)}</td><td>${formatYuan(l.delta_yuan)}</td><td>${formatPercent(scenario.sum.cost_yuan ? l.cost_yuan / scenario.sum.cost_yuan : null)}</td></tr>`,
    )}</tbody></table>` as HTMLElement;
}

const levelNames: Record<string, string> = {city: "市", district: "区县", street: "街道/镇", community: "社区/村"};
const unitNoun = (gap: BriefingGap) => (gap.counts === "people" ? "人" : "个社区");

/** Achieved rate per unit against the target: a bar chart (every unit) and a table (the largest gaps). */
export function GapChart(gap: BriefingGap, options: {width?: number} = {}): HTMLElement {
  if (gap.cannot_answer_zh) return cannotAnswer(gap);
  const rows = gap.rows.filter((r) => r.achieved_rate !== null);
  const target = gap.target_value;
  const chart = Plot.plot({
    width: chartWidth(options.width),
    height: Math.max(120, 26 * rows.length + 50),
    marginLeft: 96,
    marginRight: 48,
    ariaLabel: `${gap.label_zh}：各单位达成率与目标`,
    ariaDescription: rows.map((r) => `${r.unit_name} ${formatPercent(r.achieved_rate)}`).join("；") + (target === null ? "" : `；目标 ${formatPercent(target)}`),
    x: {label: "达成率 →", domain: [0, 1], tickFormat: (v: number) => formatPercent(v, 0), grid: true},
    y: {label: null, domain: [...rows].sort((a, b) => (a.achieved_rate ?? 0) - (b.achieved_rate ?? 0)).map((r) => r.unit_name)},
    color: {domain: ["达到目标", "低于目标"], range: [okabeIto.blue, okabeIto.orange], legend: true},
    marks: [
      Plot.barX(rows, {y: "unit_name", x: "achieved_rate", fill: (r: {meets_target: boolean | null}) => (r.meets_target ? "达到目标" : "低于目标")}),
      Plot.text(rows, {y: "unit_name", x: "achieved_rate", text: (r: {achieved_rate: number}) => formatPercent(r.achieved_rate), dx: 4, textAnchor: "start"}),
      ...(target === null ? [] : [Plot.ruleX([target], {stroke: "currentColor", strokeWidth: 1.5, strokeDasharray: "4,3"})]),
    ],
  });
  const shown = gap.rows.slice(0, gap.top);
  const table = html`<table class="briefing-table" data-table="gap" data-indicator=${gap.indicator}>
    <thead><tr><th scope="col">单位</th><th scope="col">应覆盖</th><th scope="col">已达成</th><th scope="col">状态未知</th><th scope="col">达成率</th><th scope="col">缺口（${unitNoun(gap)}）</th><th scope="col">补齐成本</th></tr></thead>
    <tbody>${shown.map(
      (r) => html`<tr class=${r.suppressed ? "suppressed" : ""}><th scope="row">${r.unit_name}</th><td>${formatCount(r.eligible)}</td><td>${formatCount(r.achieved_count)}</td><td>${formatCount(r.missing)}</td><td>${formatPercent(r.achieved_rate)}</td><td>${formatCount(r.gap_count)}</td><td>${formatYuan(r.gap_cost_yuan)}</td></tr>`,
    )}
    <tr class="total"><th scope="row">全市（本级）</th><td>${formatCount(gap.total.eligible)}</td><td>${formatCount(gap.total.achieved_count)}</td><td>${formatCount(gap.total.missing)}</td><td>${formatPercent(gap.total.achieved_rate)}</td><td>${formatCount(gap.total.gap_count)}</td><td>${formatYuan(gap.total.gap_cost_yuan)}</td></tr>
    <tr class="total"><th scope="row">各${levelNames[gap.level] ?? "单位"}缺口合计</th><td></td><td></td><td></td><td></td><td>${formatCount(gap.total.gross_gap_count)}</td><td>${formatYuan(gap.total.gross_gap_cost_yuan)}</td></tr>
    </tbody></table>`;
  const caption = `图：${gap.label_zh}（${gap.year} 年目标${target === null ? "：无有效目标" : ` ${formatPercent(target)}，虚线`}）——蓝色为达到目标、橙色为低于目标；表中列出缺口最大的 ${shown.length} 个单位。“全市（本级）”行按全市合计人数对照目标（各${levelNames[gap.level] ?? "单位"}之间相互抵消），“各${levelNames[gap.level] ?? "单位"}缺口合计”行是各单位自身缺口之和（不抵消）。`;
  return figure(`gap-${gap.id}`, caption, chart, table as Element);
}

/** A parameter's value over the simulated years: one value, or each year's where they differ. */
function yearValues(texts: readonly string[], years: readonly number[]): string {
  if (texts.every((t) => t === texts[0])) return texts[0] ?? missingText;
  return texts.map((t, i) => `${years[i]}：${t}`).join("；");
}

const sourceLabel = (source: string) => (source === "assumption" ? "假设" : source === "scenario" ? "本方案设定" : sourceTitle(source));

/**
 * The parameters of a scenario (附录): value under the baseline and the scenario, each dated value's
 * source and quote, and a footnote to the figures catalogue where the quote is a catalogued figure.
 */
export function ParameterAppendix(scenario: BriefingScenario, notes: Citations, options: {only?: "changed"} = {}): HTMLElement {
  const parameters: BriefingParameter[] = [...scenario.parameters]
    .filter((p) => options.only !== "changed" || p.overridden)
    .sort((a, b) => Number(b.overridden) - Number(a.overridden) || (a.id < b.id ? -1 : 1));
  return html`<table class="briefing-table appendix-table" data-table="parameters" data-scenario=${scenario.id}>
    <caption>${scenario.name}：${options.only === "changed" ? "本方案调整的参数" : "测算所用参数"}（${parameters.length} 项；方案调整的在前）</caption>
    <thead><tr><th scope="col">参数</th><th scope="col">基线取值</th><th scope="col">方案取值</th><th scope="col">来源与原文</th></tr></thead>
    <tbody>${parameters.map(
      (p) => html`<tr data-parameter=${p.id} class=${p.overridden ? "overridden" : ""}>
        <th scope="row">${p.label_zh}<div class="muted no-print"><code lang="en">${p.id}</code></div>${p.stale_zh ? html`<div class="param-stale" data-stale=${p.id}>${p.stale_zh}</div>` : ""}</th>
        <td>${yearValues(p.baseline_text, scenario.years)}</td>
        <td>${p.overridden ? html`<strong>${yearValues(p.scenario_text, scenario.years)}</strong>` : "同基线"}</td>
        <td>${p.sources.map(
          (s) => html`<div>${s.effective_date.startsWith("0001") ? "" : `${s.effective_date} 起 `}${s.value_text}：${sourceLabel(s.source)}${s.quote ? html` <q lang=${quoteLang(s.quote)}>${s.quote}</q><span class="quote-reading">${simplifiedReadingText(s.quote)}</span>` : ""}${s.figure ? notes.cite(s.figure) : ""}</div>`,
        )}</td>
      </tr>`,
    )}</tbody></table>` as HTMLElement;
}

/** A view the city's data cannot answer: the reason, where the figures would be (never an empty chart or 0). */
function cannotAnswer(gap: BriefingGap): HTMLElement {
  return html`<p class="gap-summary cannot-answer" data-indicator=${gap.indicator} data-cannot-answer="">${gap.label_zh}无法计算：${gap.cannot_answer_zh}。</p>` as HTMLElement;
}

/** The city totals of a gap view in one paragraph, with a footnote to the target's source figure. */
export function GapSummary(gap: BriefingGap, notes?: Citations): HTMLElement {
  if (gap.cannot_answer_zh) return cannotAnswer(gap);
  const t = gap.total;
  const noun = unitNoun(gap);
  const target = gap.target_value === null ? "该年度没有有效目标" : `目标 ${formatPercent(gap.target_value)}`;
  const mark = gap.target?.figure && notes ? notes.cite(gap.target.figure) : "";
  return html`<p class="gap-summary" data-indicator=${gap.indicator}>全市应覆盖 ${formatCount(t.eligible)} ${noun}，已达成 ${formatCount(t.achieved_count)} ${noun}（状态未知 ${formatCount(t.missing)}），达成率 <strong>${formatPercent(t.achieved_rate)}</strong>，${target}${mark}。${formatCount(gap.rows.length)} 个${levelNames[gap.level] ?? gap.level}中 ${formatCount(gap.rows.filter((r) => r.meets_target === false).length)} 个低于目标；各${levelNames[gap.level] ?? "单位"}缺口合计 ${formatCount(t.gross_gap_count)} ${noun}，补齐约需 ${formatYuan(t.gross_gap_cost_yuan)}${gap.cost_note_zh ? `（${gap.cost_note_zh}）` : ""}。</p>` as HTMLElement;
}

/** HTML from the briefing's pure string renderers (escaped there) as one element. */
function fromHtml(tag: "div" | "style", markup: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (tag === "style") node.textContent = markup;
  // Parsed in an inert document (no script runs there; the page's CSP forbids inline handlers), then moved in.
  else node.append(...new DOMParser().parseFromString(`<body>${markup}</body>`, "text/html").body.childNodes);
  return node;
}

/** A footnote mark as HTML, from the page's Citations (so numbers and back-links are the page's). */
const markHtml = (notes: Citations) => (id: string) => notes.cite(id).outerHTML;

/** The findings (主要结论): the same list the single file and the composer show (briefingFindings). */
export function Findings(data: BriefingData, notes: Citations): HTMLElement {
  return fromHtml("div", findingsHtml(briefingFindings(data), markHtml(notes)), "findings");
}

/** A planner's text (the briefing file's lead or a section's text), `[004-013]` as footnote marks. */
export function Prose(text: string | null, notes: Citations): HTMLElement {
  return fromHtml("div", proseHtml(text, markHtml(notes)), "briefing-prose");
}

/** The sources by document title (附录：来源文件). */
export function SourcesAppendix(data: BriefingData): HTMLElement {
  return fromHtml("div", sourcesHtml(briefingSources(data), (n) => `<a href="#fn-${data.figures[n - 1]!.id}">[${n}]</a>`));
}

/** The findings' look and the printed footer (page numbers, the data's vintage, the date) as CSS page-margin boxes, for Ctrl+P. */
export function BriefingStyle(data: BriefingData): HTMLElement {
  return fromHtml("style", `${findingsCss}\n${printFooterCss(data)}`);
}
