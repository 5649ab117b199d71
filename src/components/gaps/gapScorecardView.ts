import type {ScorecardResult, ScorecardUnit} from "../../engine/scorecard.js";
import {formatCount} from "../shared/format.js";
import {h, replace} from "../shared/dom.js";
import {MissesOneTable, ScorecardLegend, ScorecardMatrix, scorecardCounts} from "./scorecardMatrix.js";
import {scopeName, type GapActions, type GapPart} from "./gapState.js";
import {rowHref} from "./gapTableView.js";

/**
 * A scorecard section — 社区康复示范标准达标评分, or the national plan's (`criteria: "national"`): the counts,
 * the legend, the matrix and the communities missing one criterion.
 */
export function GapScorecardView(actions: GapActions, options: {criteria?: "national"} = {}): GapPart {
  const element = h("div", {class: "gap-scorecard", "data-criteria": options.criteria});
  const cardOf = (state: {card: ScorecardResult | null; nationalCard: ScorecardResult | null}) => (options.criteria === "national" ? state.nationalCard : state.card);
  const hrefFor = rowHref(actions);
  const onSelect = (u: ScorecardUnit) => actions.drill(u.unit_code, u.level);
  return {
    element,
    update(state) {
      const card = cardOf(state);
      if (!card) return;
      const counts = scorecardCounts(card);
      replace(
        element,
        h(
          "p",
          {class: "sc-counts", "data-communities": counts.communities, "data-meeting-all": counts.meetingAll, "data-missing-one": counts.missingOne},
          `${scopeName(state)}共 ${formatCount(counts.communities)} 个社区/村：全部 ${card.criteria.length} 项达标 ${formatCount(counts.meetingAll)} 个，仅差一项 ${formatCount(counts.missingOne)} 个，有缺失数据 ${formatCount(counts.withMissing)} 个。`,
        ),
        ScorecardLegend(card.level === "community"),
        ScorecardMatrix(card, {hrefFor, onSelect}),
        MissesOneTable(card),
      );
    },
  };
}
