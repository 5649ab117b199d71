import {formatCount, formatPercent, formatYuan} from "../shared/format.js";
import {childrenSumLabel} from "./gapColumns.js";
import {h, replace} from "../shared/dom.js";
import {costLabel, costText, countUnit, eligibleLabel, gapLabel, levelPlural} from "./gapText.js";
import {scopeName, type GapPart} from "./gapState.js";

/**
 * The summary cards above the charts (应覆盖、达成率、缺口、补缺成本) for the scope: each gap twice where
 * the two differ, the scope's own gap against the target and the sum of the listed units' own gaps.
 */

function card(label: string, value: string, detail: string, title: string, attributes: Record<string, string | number> = {}): HTMLElement {
  return h("div", {class: "card gap-card", title, ...attributes}, h("h3", {}, label), h("div", {class: "gap-big"}, value), h("div", {class: "muted"}, detail));
}

export function GapSummaryView(): GapPart {
  const element = h("div", {class: "gap-summary"});
  return {
    element,
    update(state) {
      const {summary, result, view} = state;
      if (!summary || !result) return;
      const {total} = summary;
      if (!summary.answer.answerable) {
        replace(element, card(result.indicator.label.zh, "无法计算", summary.answer.reason_zh, summary.answer.reason_zh));
        element.firstElementChild?.setAttribute("data-cannot-answer", "");
        return;
      }
      const noun = countUnit(result.indicator);
      const name = scopeName(state);
      const listed = levelPlural[view.level];
      replace(
        element,
        h(
          "div",
          {class: "grid grid-cols-4"},
          card(eligibleLabel(result.indicator), `${formatCount(total.eligible)} ${noun}`, `${name}合计；状态未知 ${formatCount(total.missing)} ${noun}`, "符合条件者，含状态未知者"),
          card("达成率", formatPercent(total.achieved_rate), `目标 ${formatPercent(total.target)}（${summary.as_of} 有效）`, result.indicator.howComputed_zh),
          card(
            gapLabel(result.indicator),
            `本级 ${formatCount(total.gap_count)} ${noun}`,
            `${listed}缺口合计 ${formatCount(summary.gross_gap_count)} ${noun}`,
            `本级：${name}按合计人数对照目标计算（下级之间相互抵消）；${listed}缺口合计：各单位自身缺口相加（不抵消），是逐一补齐要做的量。`,
            {"data-own": total.gap_count ?? "", "data-children": summary.gross_gap_count ?? "", "data-testid": "gap-card-count"},
          ),
          card(
            costLabel(result),
            `本级 ${formatYuan(total.gap_cost_yuan)}`,
            `${childrenSumLabel(costLabel(result)).replace(/^下级/, listed)} ${formatYuan(summary.gross_gap_cost_yuan)}；${summary.units_below_target} 个单位低于目标，${summary.units_meeting_target} 个达标${summary.units_all_missing ? `，${summary.units_all_missing} 个全部状态未知` : ""}${summary.communities_not_reported ? `；${summary.communities_not_reported} 个社区未填报，不计入达成率和缺口` : ""}`,
            costText(result),
            {"data-own": total.gap_cost_yuan ?? "", "data-children": summary.gross_gap_cost_yuan ?? "", "data-testid": "gap-card-cost", "data-not-reported": summary.communities_not_reported},
          ),
        ),
      );
    },
  };
}
