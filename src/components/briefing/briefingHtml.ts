import type {BriefingData, BriefingGap, BriefingScenario} from "../../schemas/briefingData.js";
import {briefingFindings, findingsHtml} from "./briefingFindings.js";
import {esc, proseHtml} from "./briefingProse.js";
import {briefingSources, sourcesHtml} from "./briefingSources.js";
import {ScenarioSummary} from "../sandbox/budgetCapText.js";
import {formatCount, formatNumber, formatPercent, formatYuan} from "../shared/format.js";
import {sourceTitle} from "../shared/sourceTitle.js";
import {simplifiedReadingText} from "../shared/simplifiedReading.js";

/**
 * The single-file version of a briefing (单文件版): one HTML file with its text, tables, charts as inline
 * SVG, styles and the figures' sources inside it, and nothing else — no script, no font, no link to any
 * file, so that copied alone to a USB stick or mailed it opens by double-click from file://. Rendered from
 * the same precomputed JSON as the briefing page, with strings: pure, so the build (Node) writes it and
 * the composer page (browser) previews and exports the very same file.
 */

export {esc};

const okabe = {blue: "#0072B2", orange: "#E69F00", grey: "#8C8C8C"};


const levelNames: Record<string, string> = {city: "市", district: "区县", street: "街道/镇", community: "社区/村"};
const noun = (gap: BriefingGap) => (gap.counts === "people" ? "人" : "个社区");

/** A footnote mark to the n-th cited figure. */
function citer(data: BriefingData): (id: string | null) => string {
  const n = new Map(data.figures.map((f, i) => [f.id, i + 1]));
  return (id) => (id && n.has(id) ? `<sup class="cite"><a href="#fn-${esc(id)}">[${n.get(id)}]</a></sup>` : "");
}

/** Horizontal bars of achieved rate per unit with the target as a dashed line. */
function gapSvg(gap: BriefingGap): string {
  const rows = gap.rows.filter((r) => r.achieved_rate !== null).sort((a, b) => (a.achieved_rate ?? 0) - (b.achieved_rate ?? 0));
  const left = 96, right = 56, width = 640, bar = 20, step = 26, top = 24;
  const plot = width - left - right;
  const height = top + step * rows.length + 28;
  const x = (v: number) => left + plot * Math.max(0, Math.min(1, v));
  const parts = [0, 0.2, 0.4, 0.6, 0.8, 1].map(
    (t) => `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 4}" y2="${height - 24}" stroke="#ddd"/><text x="${x(t)}" y="${height - 8}" text-anchor="middle">${formatPercent(t, 0)}</text>`,
  );
  rows.forEach((r, i) => {
    const y = top + i * step;
    const fill = r.meets_target ? okabe.blue : okabe.orange;
    parts.push(
      `<text x="${left - 6}" y="${y + bar / 2 + 4}" text-anchor="end">${esc(r.unit_name)}</text><rect x="${left}" y="${y}" width="${(x(r.achieved_rate!) - left).toFixed(1)}" height="${bar}" fill="${fill}"><title>${esc(r.unit_name)} ${formatPercent(r.achieved_rate)}</title></rect><text x="${(x(r.achieved_rate!) + 4).toFixed(1)}" y="${y + bar / 2 + 4}">${formatPercent(r.achieved_rate)}</text>`,
    );
  });
  if (gap.target_value !== null) parts.push(`<line x1="${x(gap.target_value)}" x2="${x(gap.target_value)}" y1="${top - 8}" y2="${height - 24}" stroke="#000" stroke-width="1.5" stroke-dasharray="4,3"/>`);
  const label = `${gap.label_zh}：各单位达成率与目标`;
  const description = rows.map((r) => `${r.unit_name} ${formatPercent(r.achieved_rate)}`).join("；") + (gap.target_value === null ? "" : `；目标 ${formatPercent(gap.target_value)}`);
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(label)}" aria-description="${esc(description)}" font-size="12" font-family="sans-serif">${legend([["达到目标", okabe.blue], ["低于目标", okabe.orange]], left)}${parts.join("")}</svg>`;
}

function legend(items: [string, string][], x0: number): string {
  return items.map(([t, c], i) => `<rect x="${x0 + i * 96}" y="2" width="12" height="12" fill="${c}"/><text x="${x0 + i * 96 + 16}" y="12">${t}</text>`).join("");
}

/** Grouped bars of scenario and baseline cost per year, with the budget cap as a dashed line. */
function costSvg(s: BriefingScenario): string {
  const width = 640, height = 260, left = 72, top = 24, bottom = 28;
  const cap = s.cap_yuan_per_year;
  const max = Math.max(...s.totals.flatMap((t) => [t.cost_yuan, t.baseline_cost_yuan]), cap ?? 0) * 1.08 || 1;
  const plotH = height - top - bottom;
  const y = (v: number) => top + plotH * (1 - v / max);
  const group = (width - left - 8) / s.totals.length;
  const bw = Math.min(36, group / 3);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max / 4) * i;
    parts.push(`<line x1="${left}" x2="${width - 8}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatNumber(v / 1e4)}</text>`);
  }
  parts.push(`<text x="4" y="${top - 8}">万元</text>`);
  s.totals.forEach((t, i) => {
    const gx = left + i * group + group / 2;
    for (const [j, value, fill, name] of [[-1, t.baseline_cost_yuan, okabe.grey, "基线"], [0, t.cost_yuan, okabe.blue, "方案"]] as const)
      parts.push(`<rect x="${(gx + j * bw).toFixed(1)}" y="${y(value).toFixed(1)}" width="${bw.toFixed(1)}" height="${(y(0) - y(value)).toFixed(1)}" fill="${fill}"><title>${t.year}年${name} ${formatYuan(value)}</title></rect>`);
    parts.push(`<text x="${gx.toFixed(1)}" y="${height - 8}" text-anchor="middle">${t.year}年</text>`);
  });
  if (cap !== null) parts.push(`<line x1="${left}" x2="${width - 8}" y1="${y(cap).toFixed(1)}" y2="${y(cap).toFixed(1)}" stroke="#000" stroke-dasharray="4,3"/><text x="${width - 10}" y="${(y(cap) - 4).toFixed(1)}" text-anchor="end">预算上限</text>`);
  const description = s.totals.map((t) => `${t.year} 年方案 ${formatYuan(t.cost_yuan)}，基线 ${formatYuan(t.baseline_cost_yuan)}`).join("；") + (cap === null ? "" : `；年度预算上限 ${formatYuan(cap)}`);
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(`${s.name}：各年度测算成本与基线`)}" aria-description="${esc(description)}" font-size="12" font-family="sans-serif">${legend([["基线", okabe.grey], ["方案", okabe.blue]], left)}${parts.join("")}</svg>`;
}

/** The baseline standards set before 2020 that the costs use, each with its mark (empty when none). */
function staleParagraph(s: BriefingScenario): string {
  const stale = s.parameters.filter((p) => p.stale_zh && !p.overridden);
  return stale.length ? `<p class="param-stale" data-stale-list="">测算所用的旧标准：${stale.map((p) => `「${esc(p.label_zh)}」${esc(p.stale_zh!)}`).join("；")}。</p>` : "";
}

function scenarioSection(s: BriefingScenario, title: string): string {
  const totals = s.totals
    .map((t) => `<tr><th scope="row">${t.year}</th><td>${formatYuan(t.cost_yuan)}</td><td>${formatYuan(t.baseline_cost_yuan)}</td><td>${formatYuan(t.delta_yuan)}</td><td>${formatCount(Math.round(t.newly_covered))}</td></tr>`)
    .join("");
  const capText = s.cap_yuan_per_year === null ? "" : `，虚线为年度预算上限 ${formatYuan(s.cap_yuan_per_year)}`;
  const programmes = s.programmes
    .slice(0, 8)
    .map((p) => `<tr><th scope="row">${esc(p.programme_zh)}</th><td>${formatYuan(p.cost_yuan)}</td><td>${formatYuan(p.baseline_cost_yuan)}</td><td>${formatYuan(p.delta_yuan)}</td><td>${formatCount(Math.round(p.final_year_beneficiaries))}</td></tr>`)
    .join("");
  const last = s.years.at(-1);
  return `<section class="keep"><h3>${esc(title)}：${esc(s.name)}</h3>
${s.presets.length ? `<ul>${s.presets.map((p) => `<li><strong>${esc(p.label_zh)}</strong>：${esc(p.description_zh)}</li>`).join("")}</ul>` : ""}
<p class="cap-summary">${esc(ScenarioSummary(s))}</p>
${staleParagraph(s)}
<figure class="briefing-figure" id="chart-${esc(s.id)}">${costSvg(s)}<figcaption>图：${esc(s.name)}——${s.years[0]}—${last} 年各年度测算成本（蓝）与基线（灰），万元${capText}；数据见下表。</figcaption>
<table data-table="totals"><thead><tr><th>年度</th><th>方案成本</th><th>基线成本</th><th>比基线增加</th><th>新增覆盖人数</th></tr></thead><tbody>${totals}
<tr class="total"><th scope="row">合计</th><td>${formatYuan(s.sum.cost_yuan)}</td><td>${formatYuan(s.sum.baseline_cost_yuan)}</td><td>${formatYuan(s.sum.delta_yuan)}</td><td>${formatCount(Math.round(s.sum.final_year_newly_covered))}（末年）</td></tr></tbody></table></figure></section>
<table data-table="programmes"><caption>分项目测算（${s.years[0]}—${last} 年合计，按比基线增加额排序）</caption><thead><tr><th>项目</th><th>方案成本</th><th>基线成本</th><th>比基线增加</th><th>${last} 年受益人数</th></tr></thead><tbody>${programmes}</tbody></table>`;
}

function gapSection(g: BriefingGap, cite: (id: string | null) => string): string {
  if (g.cannot_answer_zh) return `<section class="keep"><h3>${esc(g.label_zh)}</h3><p class="gap-summary cannot-answer" data-indicator="${esc(g.indicator)}" data-cannot-answer="">${esc(g.label_zh)}无法计算：${esc(g.cannot_answer_zh)}。</p></section>`;
  const t = g.total;
  const n = noun(g);
  const level = levelNames[g.level] ?? g.level;
  const target = g.target_value === null ? "该年度没有有效目标" : `目标 ${formatPercent(g.target_value)}`;
  const rows = g.rows
    .slice(0, g.top)
    .map((r) => `<tr><th scope="row">${esc(r.unit_name)}</th><td>${formatCount(r.eligible)}</td><td>${formatCount(r.achieved_count)}</td><td>${formatCount(r.missing)}</td><td>${formatPercent(r.achieved_rate)}</td><td>${formatCount(r.gap_count)}</td><td>${formatYuan(r.gap_cost_yuan)}</td></tr>`)
    .join("");
  return `<section class="keep"><h3>${esc(g.label_zh)}</h3>
<p class="gap-summary" data-indicator="${esc(g.indicator)}">全市应覆盖 ${formatCount(t.eligible)} ${n}，已达成 ${formatCount(t.achieved_count)} ${n}（状态未知 ${formatCount(t.missing)}），达成率 <strong>${formatPercent(t.achieved_rate)}</strong>，${target}${cite(g.target?.figure ?? null)}。${formatCount(g.rows.length)} 个${level}中 ${formatCount(g.rows.filter((r) => r.meets_target === false).length)} 个低于目标；各${level}缺口合计 ${formatCount(t.gross_gap_count)} ${n}，补齐约需 ${formatYuan(t.gross_gap_cost_yuan)}${g.cost_note_zh ? `（${esc(g.cost_note_zh)}）` : ""}。</p>
<figure class="briefing-figure" id="gap-${esc(g.id)}">${gapSvg(g)}<figcaption>图：${esc(g.label_zh)}（${g.year} 年目标${g.target_value === null ? "：无有效目标" : ` ${formatPercent(g.target_value)}，虚线`}）——蓝色为达到目标、橙色为低于目标；表中列出缺口最大的 ${Math.min(g.top, g.rows.length)} 个单位。</figcaption>
<table data-table="gap"><thead><tr><th>单位</th><th>应覆盖</th><th>已达成</th><th>状态未知</th><th>达成率</th><th>缺口（${n}）</th><th>补齐成本</th></tr></thead><tbody>${rows}
<tr class="total"><th scope="row">全市（本级）</th><td>${formatCount(t.eligible)}</td><td>${formatCount(t.achieved_count)}</td><td>${formatCount(t.missing)}</td><td>${formatPercent(t.achieved_rate)}</td><td>${formatCount(t.gap_count)}</td><td>${formatYuan(t.gap_cost_yuan)}</td></tr>
<tr class="total"><th scope="row">各${level}缺口合计</th><td></td><td></td><td></td><td></td><td>${formatCount(t.gross_gap_count)}</td><td>${formatYuan(t.gross_gap_cost_yuan)}</td></tr></tbody></table></figure></section>`;
}

/** The findings list's look, shared with the page (style.css has the same rules under .briefing). */
export const findingsCss = `ol.briefing-findings{list-style:none;padding:0;margin:.6rem 0;display:grid;gap:.5rem}
.finding{display:grid;grid-template-columns:9.5em 1fr;column-gap:.8em;border-left:4px solid #0072B2;padding:.2rem .6rem;break-inside:avoid}
.finding-value{grid-row:span 3;font-size:1.25em;font-weight:700;font-variant-numeric:tabular-nums}.finding-label{font-weight:600}
.finding-basis{font-size:.8em;color:#555}`;


/** A CSS string literal. */
const cssString = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, " ")}"`;

/**
 * The printed page's footer (页脚) as CSS page-margin boxes, which Chromium prints since version 131 —
 * in Ctrl+P as in a headless page.pdf() — and Firefox ignores (it prints the page without them): the
 * briefing, the city's data vintage and the briefing's date on the left, 第 n 页，共 m 页 on the right.
 */
export function printFooterCss(data: BriefingData): string {
  const left = `${data.title} · ${data.city.name}数据截至 ${data.city.vintage_zh} · ${data.date}`;
  const box = "font-size:8pt;color:#555;font-family:system-ui,\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif";
  return `@page{size:A4;margin:16mm 14mm 18mm;@bottom-left{content:${cssString(left)};${box}}@bottom-right{content:"第 " counter(page) " 页，共 " counter(pages) " 页";${box}}}`;
}

const style = `body{font-family:system-ui,"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1b1e23}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}.meta,.muted{color:#555}
.badge{background:#fff3cd;border:1px solid #e0c060;padding:0 .4em;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.85rem}th,td{border-bottom:1px solid #ddd;padding:2px 6px;text-align:right}
th:first-child,caption{text-align:left}tr.total{font-weight:bold}figure{margin:1rem 0}figcaption{font-size:.85rem;color:#444}
.sources-table td,.sources-table th{text-align:left;vertical-align:top}
svg text{fill:#1b1e23}sup.cite a{text-decoration:none}ol.footnotes{font-size:.85rem}
${findingsCss}
@media print{body{margin:0;max-width:none}
/* As the page prints (style.css): a long table may break between rows, a chart stays whole with its caption,
   and a heading with the summary and the chart after it; a whole section that avoided breaks left pages half blank. */
tr,li,svg,figcaption,.gap-summary,.cap-summary{break-inside:avoid}h2,h3,.gap-summary,figure>svg{break-after:avoid}
.footnote-id,.no-print{display:none}}`;

/** Section numbers in reading order: 一、二、… */
const numeral = (i: number) => "一二三四五六七八九十"[i] ?? String(i + 1);

/** The whole single-file briefing. */
export function offlineBriefingHtml(data: BriefingData, options: {built?: string} = {}): string {
  const cite = citer(data);
  const mark = (id: string) => cite(id);
  const texts = data.texts;
  const gapsIntro = data.gaps.length ? `<p>以下为 ${data.gaps[0]!.year} 年目标下的达成情况。达成率 = 已达成 ÷（应覆盖 − 状态未知），按计数加总后相除；缺口为距目标还差的人数或社区数。</p>` : "";
  const sections: [string, string][] = [];
  if (texts.policy) sections.push(["政策依据", proseHtml(texts.policy, mark)]);
  if (data.gaps.length) sections.push(["覆盖现状与缺口", `${gapsIntro}${proseHtml(texts.gaps, mark)}${data.gaps.map((g) => gapSection(g, cite)).join("\n")}`]);
  if (data.scenarios.length) sections.push(["测算方案", `${proseHtml(texts.scenarios, mark)}${data.scenarios.map((s, i) => scenarioSection(s, `方案${numeral(i)}`)).join("\n")}`]);
  if (texts.conclusions) sections.push(["结论与建议", proseHtml(texts.conclusions, mark)]);
  const footnotes = data.figures
    .map((f) => `<li id="fn-${esc(f.id)}">${esc(sourceTitle(f.document))}${f.section ? ` ${esc(f.section)}` : ""}：“${esc(f.quote)}”${esc(simplifiedReadingText(f.quote))}<span class="footnote-id">（摘录 ${esc(f.id)}）</span></li>`)
    .join("");
  const city = data.city.synthetic ? `<span class="badge">${esc(data.city.name)}为虚构的合成示例城市</span>` : esc(data.city.name);
  const method = data.city.synthetic
    ? `${esc(data.city.name)}为虚构的合成示例城市，数字不对应任何真实地区或个人。`
    : `${esc(data.city.source_zh)}；区县以下的计数小于 ${data.small_cell.threshold} 的已隐去。`;
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(data.title)}（单文件版）</title><style>${style}
${printFooterCss(data)}</style></head>
<body><main class="briefing" data-briefing="${esc(data.id)}">
<h1>${esc(data.title)}</h1>
<p class="meta">${data.subtitle ? `${esc(data.subtitle)} · ` : ""}${city} · 数据截至 ${esc(data.city.vintage_zh)} · ${esc(data.date)}${options.built ? ` · 生成于 ${esc(options.built)}` : ""}</p>
${proseHtml(texts.lead, mark)}
<section class="findings" data-section="findings"><h2>主要结论</h2>${findingsHtml(briefingFindings(data), mark)}</section>
${sections.map(([heading, body], i) => `<h2>${numeral(i)}、${heading}</h2>${body}`).join("\n")}
<h2>附录一：来源文件</h2><p>本简报的数字取自以下文件（按文件标题列出），注释给出原文。</p>${sourcesHtml(briefingSources(data), (n) => `<a href="#fn-${esc(data.figures[n - 1]!.id)}">[${n}]</a>`)}
<h2>附录二：数据与方法</h2><p>${method}构建站点时由测算引擎算出本文件的全部数字；每个方案都与现行参数下的基线比较，金额为当年价格。</p>
<p class="muted no-print">本文件为测算简报的单文件版：图表、数据表与出处都在文件内，无需联网或安装，可直接打开或打印。</p>
<h2>注释</h2><ol class="footnotes">${footnotes}</ol>
</main></body></html>
`;
}
