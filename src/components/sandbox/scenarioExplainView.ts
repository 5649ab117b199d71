import {fundingLevelLabels, fundingLevels, parameterIds} from "../../engine/programmes.js";
import type {ScenarioRow} from "../../engine/runScenario.js";
import type {ExplainTerm, Explanation} from "../../engine/scenarioExplain.js";
import {formatCount, formatNumber, formatYuan} from "../shared/format.js";
import {sourceText} from "./scenarioControls.js";
import {h} from "../shared/dom.js";
import {formatParameterValue} from "./scenarioFormat.js";
import type {ParameterNotes} from "./scenarioView.js";

/**
 * Why a figure is what it is (公式与出处): the engine's explanation of a programme's cost in a year —
 * the formula with the values filled in, every parameter with its dated values and sources — and how the
 * page's derived figures (per resident, per beneficiary, per person newly covered, funding levels) follow.
 */

function termRows(terms: readonly ExplainTerm[], notes?: ParameterNotes): HTMLElement {
  return h(
    "table",
    {class: "sandbox-table wide explain-terms"},
    h("thead", {}, h("tr", {}, ["参数", "本年取值", "来源（生效日期、文件与原文）"].map((t) => h("th", {scope: "col"}, t)))),
    h(
      "tbody",
      {},
      terms.map((t) =>
        h(
          "tr",
          {"data-param": t.id, class: t.overridden ? "changed" : null},
          h("th", {scope: "row"}, t.label_zh, t.overridden ? h("span", {class: "badge"}, "方案修改") : null),
          h("td", {class: "num", "data-value": t.value}, formatParameterValue(t.value, t.unit)),
          h("td", {}, h("ul", {class: "source-list"}, t.values.map((v) => h("li", {}, `${v.effective_date === "0001-01-01" ? "各年" : `${v.effective_date} 起`} ${formatParameterValue(v.value, t.unit)}：`, ...sourceText(v, notes))))),
        ),
      ),
    ),
  );
}

export interface ExplainView {
  element: HTMLElement;
  /** Shows an explanation; `rows` are the result's rows of the same programme and year (total and each level). */
  show(explanation: Explanation, rows: readonly ScenarioRow[]): void;
  /** Says the explanation is being computed or failed. */
  message(text: string): void;
}

export function ExplainPanel(options: {notes?: ParameterNotes} = {}): ExplainView {
  const body = h("div", {class: "explain-body"}, h("p", {class: "sandbox-empty"}, "在「各项目」表中点「公式」，这里显示该项目当年成本的计算公式、各参数取值及其出处。"));
  const element = h("section", {class: "sandbox-view explain-view", "data-testid": "explain", tabindex: -1, "aria-live": "polite", "aria-label": "公式与出处"}, body);
  return {
    element,
    message(text) {
      body.replaceChildren(h("p", {class: "sandbox-empty"}, text));
    },
    show(e, rows) {
      const y = e.projection;
      const row = rows.find((r) => r.level === "total");
      const figures: [string, string, string][] = [
        ["方案成本", formatYuan(e.cost_yuan), `按上式计算，计数 ${formatNumber(e.counted, e.counted % 1 ? 1 : 0)}（已含人数增长）`],
        ["基线成本", formatYuan(e.baseline_cost_yuan), "同一公式、全部参数取现行值"],
        ["比基线增加", formatYuan(e.cost_yuan - e.baseline_cost_yuan), "方案成本 − 基线成本"],
        ["受益人数", formatCount(Math.round(e.beneficiaries)), "当年支出惠及的人数"],
        ["新增覆盖人数", formatCount(Math.round(e.newly_covered)), "方案覆盖而基线未覆盖的人数"],
      ];
      if (row) {
        figures.push(
          ["人均（常住人口）", formatYuan(row.per_resident_yuan, {perUnit: true}), "方案成本 ÷ 当年预测常住人口"],
          ["每受益人", formatYuan(row.per_beneficiary_yuan, {perUnit: true}), "方案成本 ÷ 受益人数"],
          ["每新增覆盖一人", formatYuan(row.cost_per_newly_covered, {perUnit: true}), "比基线增加 ÷ 新增覆盖人数（无新增覆盖时为 —）"],
        );
      }
      const shares = fundingLevels.map((level) => e.funding.find((t) => t.id === parameterIds.fundingShare(level)));
      body.replaceChildren(
        h("h3", {}, `${e.label_zh}：${e.year} 年`),
        h("p", {class: "explain-formula"}, h("strong", {}, "公式："), e.formula_zh.replace(/\{([a-z0-9_.]+)\}/g, (_, id: string) => `〔${e.terms.find((t) => t.id === id)?.label_zh ?? id}〕`)),
        h("p", {class: "explain-formula", "data-testid": "explain-text"}, h("strong", {}, "代入："), e.text_zh),
        h(
          "p",
          {class: "muted"},
          `测算系数（${e.year} 年相对基准年）：残疾人数 × ${formatNumber(y.personVolume, 4)}，常住人口 × ${formatNumber(y.residentVolume, 4)}，物价 × ${formatNumber(y.priceFactor, 4)}；覆盖目标按 ${y.targetYear} 年达到线性推进，当年完成 ${formatNumber(y.ramp * 100, 1)}%。`,
        ),
        h(
          "dl",
          {class: "explain-figures", "data-testid": "explain-figures", "data-cost": e.cost_yuan},
          figures.flatMap(([name, value, how]) => [h("dt", {}, name), h("dd", {}, h("span", {class: "num"}, value), h("span", {class: "muted"}, `　${how}`))]),
        ),
        h("h4", {}, "参数取值与出处"),
        termRows(e.terms, options.notes),
        h("h4", {}, "测算假设"),
        termRows(y.terms, options.notes),
        h("h4", {}, "各级分担"),
        h(
          "p",
          {},
          shares
            .map((t, i) => {
              const level = fundingLevels[i]!;
              const cost = rows.find((r) => r.level === level)?.cost_yuan;
              return t && cost !== undefined ? `${fundingLevelLabels[level]} ${formatYuan(cost)}（${formatParameterValue(t.value, t.unit)}）` : "";
            })
            .filter(Boolean)
            .join("；") + "。各级金额 = 方案成本 × 分担比例。",
        ),
        termRows(shares.filter((t): t is ExplainTerm => t !== undefined), options.notes),
      );
    },
  };
}
