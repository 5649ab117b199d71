import {columnsFor} from "./gapColumns.js";
import {h, replace} from "../shared/dom.js";
import {costText, filterText, targetText} from "./gapText.js";
import type {GapPart} from "./gapState.js";

/** How the indicator shown is computed, above the summary: its definition, target, cost and filters. */
export function GapMethodView(): GapPart {
  const element = h("div", {class: "gap-method"});
  return {
    element,
    update({result, view}) {
      if (!result) return;
      const {indicator} = result;
      const filters = filterText(view.categories, view.grades);
      replace(
        element,
        h("p", {class: "gap-how"}, h("strong", {}, `${indicator.label.zh}：`), indicator.howComputed_zh),
        h("p", {class: "gap-target"}, targetText(result)),
        h("p", {class: "muted"}, `成本：${costText(result)}`),
        filters && result.filters.applies ? h("p", {class: "muted"}, `只计：${filters}。`) : null,
      );
    },
  };
}

/** The 计算方法 section: each column of the table and how it is computed, and how levels roll up. */
export function GapMethodsView(): GapPart {
  const element = h("div", {class: "gap-methods"});
  return {
    element,
    update({result}) {
      if (!result) return;
      replace(
        element,
        h(
          "dl",
          {},
          ...columnsFor(result).flatMap((c) => [h("dt", {}, c.header(result)), h("dd", {}, c.note(result))]),
          h("dt", {}, "逐级汇总：本级缺口与下级缺口合计"),
          h(
            "dd",
            {},
            "街道、区县和全市的数字由所辖社区的人数（或社区数）相加后再相除（按人数加权），不对各单位的比率取平均。每个单位有两个缺口数：“本级缺口”按本单位合计人数对照目标计算，下级超出目标的部分会抵消其他下级的不足；“下级缺口合计”是各下级单位自身缺口之和，不抵消，是逐一补齐各下级要做的量。两者不同时都列出；一个单位在上级表格中的两个数与其本单位页面上的两个数相同。",
          ),
        ),
      );
    },
  };
}
