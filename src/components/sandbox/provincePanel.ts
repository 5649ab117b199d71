import {parameterIds} from "../../engine/programmes.js";
import {provinceChoices, type ProvinceStandard} from "../../engine/provinceStandards.js";
import type {Scenario} from "../../engine/scenario.js";
import {formatParameterValue} from "./scenarioFormat.js";
import {h} from "../shared/dom.js";
import {quoteLang, sourceTitle} from "../shared/sourceTitle.js";
import type {SandboxActions, SandboxView} from "./scenarioView.js";
import {simplifiedReadingText} from "../shared/simplifiedReading.js";

/**
 * The planner's province (本省现行标准): a drop-down that puts the province's own standards in the
 * baseline (the scenario's `province`, kept in the URL and the scenario file), with each value's source
 * and quote beneath; "示例市默认" keeps the demo city's documented default. The last choice is
 * remembered in this browser and used when the sandbox opens without a shared scenario.
 */

const REMEMBER_KEY = "dpf-sandbox-province";

/** The province this browser chose last, if any (storage may be off). */
export function rememberedProvince(): string | undefined {
  try {
    return localStorage.getItem(REMEMBER_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function remember(code: string | undefined) {
  try {
    if (code) localStorage.setItem(REMEMBER_KEY, code);
    else localStorage.removeItem(REMEMBER_KEY);
  } catch {
    // Storage may be off (private mode): the URL still holds the choice.
  }
}

/** Sets or clears a scenario's province. */
export function withProvinceChoice(scenario: Scenario, code: string | undefined): Scenario {
  const {province: _old, ...rest} = scenario;
  return code ? {...rest, province: code} : rest;
}

const labels: Readonly<Record<string, string>> = {
  [parameterIds.poorDisabled]: "困难残疾人生活补贴",
  [parameterIds.severeDisabled]: "重度残疾人护理补贴",
};

export function ProvincePanel(standards: readonly ProvinceStandard[], actions: SandboxActions): SandboxView {
  const select = h(
    "select",
    {id: "province-choice", "data-testid": "province-choice"},
    h("option", {value: ""}, "示例市默认（湖南省指导标准）"),
    provinceChoices(standards).map((p) => h("option", {value: p.code}, p.name)),
  );
  select.addEventListener("change", () => {
    const code = select.value || undefined;
    remember(code);
    actions.edit((s) => withProvinceChoice(s, code));
  });
  const sources = h("ul", {class: "source-list province-sources", "data-testid": "province-sources"});
  let drawn: string | undefined = "(none)";
  return {
    element: h(
      "div",
      {class: "province-panel"},
      h("label", {for: "province-choice"}, "本省现行标准："),
      select,
      sources,
      h("p", {class: "muted"}, "选择省份后，基线中的两项补贴改为该省现行标准（只收录全省统一的一个金额；按类别分档的省份未收录，请在「参数」中填写）。来源为第三方汇编，未与官方页面核对。"),
    ),
    update(state) {
      const code = state.scenario.province;
      if (document.activeElement !== select) select.value = code ?? "";
      if (code === drawn) return;
      drawn = code;
      const own = standards.filter((s) => s.province_code === code);
      sources.replaceChildren(
        ...(code && !own.length ? [h("li", {class: "muted"}, "未找到该省的标准，基线仍用示例市默认值。")] : []),
        ...own.map((s) =>
          h(
            "li",
            {"data-province-standard": s.parameter_id},
            `${labels[s.parameter_id] ?? s.parameter_id}：${formatParameterValue(s.value, "CNY per person per month")}${s.effective_date ? `（${s.effective_date} 起）` : "（生效日期未注明）"}　`,
            h("span", {class: "source-doc", title: s.source}, `来源${sourceTitle(s.source)}`),
            h("q", {class: "source-quote", lang: quoteLang(s.quote)}, s.quote),
            h("span", {class: "quote-reading"}, simplifiedReadingText(s.quote)),
          ),
        ),
      );
    },
  };
}
