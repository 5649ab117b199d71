import type {BriefingData, BriefingGap} from "../../schemas/briefingData.js";
import {formatCount, formatPercent, formatYuan} from "../shared/format.js";
import {esc} from "./briefingProse.js";

/**
 * The findings of a briefing (主要结论), the few numbers a leader reads on its first page: the main
 * scenario's cost and increase over the baseline, the people it newly covers, what the budget cap leaves
 * unfunded (or the second scenario's increase), and the gaps furthest from their targets. Each says
 * what it rests on: the city's data (source and vintage) and the parameter appendix, or the target's
 * source figure as a footnote. Pure: the page, the single file and the composer render the same list.
 */

export interface Finding {
  /** What the number is, e.g. "五年合计测算成本". */
  label_zh: string;
  value_text: string;
  /** One sentence around the number. */
  detail_zh: string;
  /** What the number rests on, in words. */
  basis_zh: string;
  /** The catalogue figure of the target it is measured against, footnoted. */
  figure: string | null;
}

/** How far a gap view's city rate is below its target (0 when met or unknown). */
const shortfall = (g: BriefingGap) => (g.target_value === null || g.total.achieved_rate === null ? 0 : Math.max(0, g.target_value - g.total.achieved_rate));

/** At most five findings, in reading order. */
export function briefingFindings(data: BriefingData): Finding[] {
  const cityData = `${data.city.source_zh}，数据截至 ${data.city.vintage_zh}`;
  const found: Finding[] = [];
  const [main, ...others] = data.scenarios;
  if (main) {
    const span = `${main.years[0]}—${main.years.at(-1)} 年`;
    const basis = `${cityData}；测算参数及来源见附录一`;
    found.push({label_zh: `${span}合计测算成本`, value_text: formatYuan(main.sum.cost_yuan), detail_zh: `按“${main.name}”方案，${span}合计需要 ${formatYuan(main.sum.cost_yuan)}，比维持现行标准的基线多 ${formatYuan(main.sum.delta_yuan)}。`, basis_zh: basis, figure: null});
    found.push({label_zh: `${main.years.at(-1)} 年新增覆盖`, value_text: `${formatCount(Math.round(main.sum.final_year_newly_covered))} 人`, detail_zh: `到 ${main.years.at(-1)} 年，方案比基线多覆盖约 ${formatCount(Math.round(main.sum.final_year_newly_covered))} 人。`, basis_zh: basis, figure: null});
    const unfunded = main.cap?.reduce((s, y) => s + y.unfunded_yuan, 0);
    if (main.cap && main.cap_yuan_per_year !== null && unfunded !== undefined)
      found.push({label_zh: "预算上限下未安排的缺口资金", value_text: formatYuan(unfunded), detail_zh: `年度预算上限 ${formatYuan(main.cap_yuan_per_year)} 下，${span}合计有 ${formatYuan(unfunded)} 的缺口资金安排不到。`, basis_zh: basis, figure: null});
  }
  for (const s of others.slice(0, found.length < 3 ? 1 : 0))
    found.push({label_zh: `“${s.name}”比基线增加`, value_text: formatYuan(s.sum.delta_yuan), detail_zh: `“${s.name}”方案 ${s.years[0]}—${s.years.at(-1)} 年合计比基线增加 ${formatYuan(s.sum.delta_yuan)}。`, basis_zh: `${cityData}；测算参数及来源见附录一`, figure: null});
  const gaps = data.gaps.filter((g) => !g.cannot_answer_zh && g.total.achieved_rate !== null).sort((a, b) => shortfall(b) - shortfall(a));
  for (const g of gaps.slice(0, Math.max(0, 5 - found.length))) {
    const target = g.target_value === null ? "该年度没有有效目标" : `目标 ${formatPercent(g.target_value, 0)}`;
    const gross = g.total.gross_gap_count === null ? "" : `，各单位缺口合计 ${formatCount(g.total.gross_gap_count)} ${g.counts === "people" ? "人" : "个社区"}`;
    found.push({label_zh: `${g.label_zh}（${g.year} 年）`, value_text: formatPercent(g.total.achieved_rate), detail_zh: `${g.label_zh}全市为 ${formatPercent(g.total.achieved_rate)}，${target}${gross}。`, basis_zh: cityData, figure: g.target?.figure ?? null});
  }
  return found;
}

/** The findings as an HTML list; `cite` writes a figure's footnote mark. */
export function findingsHtml(findings: readonly Finding[], cite: (id: string) => string): string {
  const items = findings.map(
    (f) => `<li class="finding"><span class="finding-value">${esc(f.value_text)}</span><span class="finding-label">${esc(f.label_zh)}</span><span class="finding-detail">${esc(f.detail_zh)}${f.figure ? cite(f.figure) : ""}</span><span class="finding-basis">依据：${esc(f.basis_zh)}</span></li>`,
  );
  return `<ol class="briefing-findings">${items.join("")}</ol>`;
}
