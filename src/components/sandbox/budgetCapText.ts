import type {CapTotals} from "../../engine/budgetCap.js";
import type {BriefingScenario} from "../../schemas/briefingData.js";
import {formatYuan} from "../shared/format.js";

/**
 * The words of the budget cap (预算上限), one place for the sandbox page and the briefings: what the cap
 * caps (all programme costs of a year, the committed baseline charged first) and the sentence that
 * reports a year's figures from the engine's budgetCap.
 */

/** What the cap means, for the page's 说明 and the briefing's note. */
export const capDefinition_zh =
  "预算上限是当年全部项目支出的上限（方案测算成本）：先计入既有保障支出（基线已有的低保、补贴、按人口拨付等应保支出，不削减），" +
  "上限减去既有保障支出，余下的是可用于缺口的额度；缺口资金（各社区未达覆盖目标所需的资金，以及方案在基线之外增加的支出）" +
  "按每万元覆盖人数从高到低在此额度内安排，放不下的缺口整项跳过、尝试下一项，安排不到的是未安排缺口资金。" +
  "超出上限 = 方案测算成本 − 预算上限；因缺口整项安排，未安排缺口资金不少于超出上限的金额。";

/** The figures of one year in one sentence: cost against the cap, committed, room, funded and unfunded. */
export function capYearText(year: CapTotals): string {
  const against =
    year.over_cap_yuan > 0
      ? `${year.year} 年方案测算成本 ${formatYuan(year.total_yuan)}，超出预算上限 ${formatYuan(year.cap_yuan)} 共 ${formatYuan(year.over_cap_yuan)}`
      : `${year.year} 年方案测算成本 ${formatYuan(year.total_yuan)}，在预算上限 ${formatYuan(year.cap_yuan)} 之内`;
  const committed =
    year.committed_over_cap_yuan > 0
      ? `既有保障支出 ${formatYuan(year.committed_yuan)} 已超出上限 ${formatYuan(year.committed_over_cap_yuan)}，没有可用于缺口的额度`
      : `既有保障支出 ${formatYuan(year.committed_yuan)}，可用于缺口的额度 ${formatYuan(year.room_yuan)}`;
  return `${against}：${committed}；缺口资金 ${formatYuan(year.gap_yuan)}，已安排 ${formatYuan(year.funded_yuan)}，未安排 ${formatYuan(year.unfunded_yuan)}。`;
}

/** A scenario's budget cap: what it caps, and each year over it (or all within it), from the engine's figures. */
export function ScenarioSummary(scenario: Pick<BriefingScenario, "cap_yuan_per_year" | "cap">): string {
  const cap = scenario.cap_yuan_per_year;
  if (cap === null || !scenario.cap) return "方案未设年度预算上限。";
  const over = scenario.cap.filter((y) => y.over_cap_yuan > 0);
  const head = `方案设定的年度预算上限为 ${formatYuan(cap)}，计入全部项目支出（既有保障支出先计入，余额安排缺口资金）。`;
  if (!over.length) return `${head}各年度测算成本均在上限之内，缺口资金全部安排。`;
  const worst = over.reduce((a, b) => (b.over_cap_yuan > a.over_cap_yuan ? b : a));
  return `${head}${over.map((y) => y.year).join("、")} 年的测算成本超过上限，${worst.year} 年最多超出 ${formatYuan(worst.over_cap_yuan)}。${capYearText(worst)}`;
}
