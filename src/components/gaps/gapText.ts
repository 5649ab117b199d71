import type {ParameterInForce} from "../../engine/gapParameters.js";
import {sourceTitle} from "../shared/sourceTitle.js";
import {childLevel, type GapLevel, type GapResult, type GapRow, type GapStatus} from "../../engine/gapQuery.js";
import type {Indicator} from "../../engine/indicators.js";
import {disabilityCategoryLabels, type DisabilityCategory} from "../../schemas/disabilityCategories.js";
import {formatCount, formatNumber, formatPercent, formatPoints, formatYuan, missingText} from "../shared/format.js";
import {simplifiedReadingText} from "../shared/simplifiedReading.js";

/**
 * The words of the coverage-gap page (覆盖缺口): level, grade and status labels, and the sentences that
 * say how a figure is computed (tooltips, the methods list, file names). Pure text, no DOM, so the
 * tests can read exactly what a planner reads.
 */

export const levelLabels: Record<GapLevel, string> = {city: "市", district: "区/县", street: "街道/乡镇", community: "社区/村"};
/** "各街道/乡镇": the units at a level, as a chart or table title says it. */
export const levelPlural: Record<GapLevel, string> = {city: "全市", district: "各区/县", street: "各街道/乡镇", community: "各社区/村"};
export const gradeLabels: Record<number, string> = {1: "一级", 2: "二级", 3: "三级", 4: "四级"};

export const statusLabels: Record<GapStatus, string> = {
  ok: "",
  all_missing: "全部状态未知",
  no_eligible: "无应覆盖对象",
  no_target: "该年度无有效目标",
  area_target: "目标按街道及以上评价",
  cannot_answer: "无法计算",
  not_reported: "未填报",
};

/** What a row counts: persons (人) or communities (个社区). */
export function countUnit(indicator: Indicator): string {
  return indicator.counts === "people" ? "人" : "个社区";
}

export function eligibleLabel(indicator: Indicator): string {
  return indicator.counts === "people" ? "应覆盖人数" : "应达标社区数";
}

export function gapLabel(indicator: Indicator): string {
  return indicator.counts === "people" ? "缺口人数" : "缺口社区数";
}

/** The cost column's name, saying whether the cost recurs every year or is paid once. */
export function costLabel(result: Pick<GapResult, "cost">): string {
  if (result.cost.period === "year") return "每年补缺成本";
  if (result.cost.period === "one_off") return "补缺成本（一次性）";
  return "补缺成本";
}

/** A row's standing against its target: 达标, 未达标, or why it cannot be judged. */
export function rowStatusText(row: Pick<GapRow, "status" | "meets_target">): string {
  if (row.status !== "ok") return statusLabels[row.status];
  return row.meets_target ? "达标" : "未达标";
}

const periodSuffix: Record<string, string> = {month: "/月", year: "/年", one_off: "（一次性）", none: ""};

/** A parameter's value in its own unit: 60%, 30 m², ¥450/月, ¥0.30/年. */
export function parameterValueText(p: Pick<ParameterInForce, "value" | "unit" | "period">): string {
  if (p.unit.startsWith("share")) return formatPercent(p.value);
  if (p.unit.startsWith("CNY")) return `${formatYuan(p.value, {perUnit: true})}${periodSuffix[p.period] ?? ""}`;
  if (p.unit === "m²") return `${formatNumber(p.value, p.value % 1 ? 1 : 0)} 平方米`;
  return `${formatNumber(p.value, p.value % 1 ? 2 : 0)} ${p.unit}`;
}

/** A parameter in force with where it comes from: 残疾人康复需求筛出率 60%（2026-01-01 起；出处《社区民政残联工作计划范例（6 篇）》：“…”）. */
export function parameterText(p: ParameterInForce): string {
  const source = p.source === "assumption" ? "测算假设" : `出处${sourceTitle(p.source)}`;
  return `${p.label_zh} ${parameterValueText(p)}（${p.effective_date} 起；${source}${p.quote ? `：“${p.quote}”${simplifiedReadingText(p.quote)}` : ""}）`;
}

/** The target a view compares with, and where it comes from. */
export function targetText(result: Pick<GapResult, "indicator" | "target" | "target_value" | "target_applies" | "standard" | "as_of">): string {
  const {indicator} = result;
  if (!result.target_applies) return `目标是社区覆盖率，按街道/乡镇及以上评价；单个社区只显示有或无。${result.target ? parameterText(result.target) : ""}`;
  if (indicator.target.kind === "every") {
    return result.standard ? `每个单位都应达到标准：${parameterText(result.standard)}` : `${result.as_of} 无有效标准，无法评价`;
  }
  return result.target ? `目标 ${formatPercent(result.target_value)}：${parameterText(result.target)}` : `${result.as_of} 无有效目标参数（${indicator.target.parameter}），无法计算缺口`;
}

/** How the cost is priced, with the parameters in force (or which are missing). */
export function costText(result: Pick<GapResult, "cost" | "as_of">): string {
  const parts = [`${result.cost.note_zh}。`];
  if (result.cost.parameters.length) parts.push(`参数：${result.cost.parameters.map(parameterText).join("；")}。`);
  if (result.cost.missing.length) parts.push(`缺少 ${result.as_of} 有效的成本参数：${result.cost.missing.join("、")}，成本显示为“${missingText}”。`);
  return parts.join("");
}

/** The filters in words: "视力、听力类 · 一级、二级", or "" when none is set. */
export function filterText(categories: readonly string[], grades: readonly number[]): string {
  const parts: string[] = [];
  if (categories.length) parts.push(`${categories.map((c) => disabilityCategoryLabels[c as DisabilityCategory] ?? c).join("、")}类`);
  if (grades.length) parts.push(grades.map((g) => gradeLabels[g] ?? `${g}级`).join("、"));
  return parts.join(" · ");
}

/** A unit's figures in one tooltip: the rate with its numerator and denominator, target, gap, cost, and how it is computed. */
export function rowTooltip(row: GapRow, result: GapResult): string {
  const noun = countUnit(result.indicator);
  const lines = [`${row.unit_name}（${row.unit_code}）`];
  if (row.status === "no_eligible") lines.push(`${eligibleLabel(result.indicator)} 0：无应覆盖对象`);
  else if (row.status === "not_reported") lines.push(`未填报：${row.communities_not_reported} 个社区没有填报确定应覆盖对象所需的数（空白或无此列），不计入达成率，也不算作缺口`);
  else {
    lines.push(
      `达成率 ${formatPercent(row.achieved_rate)} = 已达成 ${formatNumber(row.achieved_count)} ÷ 状态已知 ${formatNumber(row.reported)}（${eligibleLabel(result.indicator)} ${formatNumber(row.eligible)}，状态未知 ${formatNumber(row.missing)}）`,
    );
    if (row.status === "ok") {
      lines.push(`目标 ${formatPercent(row.target)} · 与目标差距 ${row.gap_rate === null ? missingText : formatPoints(-row.gap_rate)}`);
      lines.push(`${childLevel(result.level) !== null ? "本级" : ""}${gapLabel(result.indicator)} ${formatCount(row.gap_count)} ${noun} · ${costLabel(result)} ${formatYuan(row.gap_cost_yuan)}`);
    } else lines.push(statusLabels[row.status]);
  }
  // The children's sum where the unit has children (null at community level): not offset, unlike the own gap.
  if (row.children_gap_count !== null || row.children_gap_cost_yuan !== null)
    lines.push(`下级缺口合计 ${formatCount(row.children_gap_count)} ${noun} · ${formatYuan(row.children_gap_cost_yuan)}（各下级自身缺口之和，不相互抵消）`);
  if (row.gap_cost_reason) lines.push(`成本：${row.gap_cost_reason}`);
  lines.push(`计算：${result.indicator.howComputed_zh}`);
  return lines.join("\n");
}
