import {indicators, type IndicatorId} from "../../engine/indicators.js";
import {disabilityCategories, disabilityCategoryLabels, type DisabilityCategory} from "../../schemas/disabilityCategories.js";
import {h, replace} from "../shared/dom.js";
import {gradeLabels, levelLabels} from "./gapText.js";
import {viewGrades, type GapView, type ViewLevel} from "./viewState.js";

/**
 * The coverage-gap page's controls (指标、层级、年度、残疾类别和等级): native, labelled form elements, so
 * they work by keyboard and screen reader. `update` sets them to a view in place (focus stays where the
 * planner is); a change calls `onChange` with what changed.
 */

export interface GapControls {
  element: HTMLElement;
  /** Sets every control to the view; `levels` are the levels the current scope can list. */
  update(view: GapView, levels: readonly ViewLevel[], years: readonly number[]): void;
}

const indicatorGroups = [
  {label: "按人数计（持证残疾人）", counts: "people", national: false},
  {label: "按社区计（设施与经费）", counts: "communities", national: false},
  {label: "国家“十四五”主要指标（持证残疾人）", counts: "people", national: true},
] as const;

function checkedValues(fieldset: HTMLFieldSetElement): string[] {
  return [...fieldset.querySelectorAll<HTMLInputElement>("input[type=checkbox]")].filter((i) => i.checked).map((i) => i.value);
}

export function GapControls(onChange: (change: Partial<GapView>) => void): GapControls {
  const indicatorSelect = h(
    "select",
    {id: "gap-indicator", name: "indicator", on: {change: () => onChange({indicator: indicatorSelect.value as IndicatorId})}},
    ...indicatorGroups.map((g) =>
      h("optgroup", {label: g.label}, ...indicators.filter((i) => i.counts === g.counts && (i.plan === "national_14th") === g.national).map((i) => h("option", {value: i.id, title: i.howComputed_zh}, i.label.zh))),
    ),
  );
  const levelSelect = h("select", {id: "gap-level", name: "level", on: {change: () => onChange({level: levelSelect.value as ViewLevel})}});
  const yearSelect = h("select", {id: "gap-year", name: "year", on: {change: () => onChange({year: Number(yearSelect.value)})}});
  const checkbox = (name: string, value: string, label: string) =>
    h("label", {class: "gap-check"}, h("input", {type: "checkbox", name, value}), label);
  const categories: HTMLFieldSetElement = h(
    "fieldset",
    {id: "gap-categories", on: {change: () => onChange({categories: checkedValues(categories) as DisabilityCategory[]})}},
    h("legend", {}, "残疾类别（不选即全部）"),
    ...disabilityCategories.map((c) => checkbox("category", c, disabilityCategoryLabels[c])),
  );
  const grades: HTMLFieldSetElement = h(
    "fieldset",
    {id: "gap-grades", on: {change: () => onChange({grades: checkedValues(grades).map(Number)})}},
    h("legend", {}, "残疾等级（不选即全部）"),
    ...viewGrades.map((g) => checkbox("grade", String(g), gradeLabels[g])),
  );
  const filterNote = h("p", {class: "gap-filter-note muted", "aria-live": "polite"});
  const clear = h("button", {type: "button", id: "gap-clear-filters", on: {click: () => onChange({categories: [], grades: []})}}, "清除类别和等级筛选");
  const field = (label: string, control: HTMLElement) => h("label", {class: "gap-field"}, h("span", {}, label), control);
  const element = h(
    "form",
    {class: "gap-controls", "aria-label": "覆盖缺口视图设置", on: {submit: (e) => e.preventDefault()}},
    h("div", {class: "gap-selects"}, field("指标", indicatorSelect), field("层级", levelSelect), field("年度（目标与标准按年末有效值）", yearSelect)),
    h("div", {class: "gap-filters"}, categories, grades, h("div", {}, clear, filterNote)),
  );

  let shownLevels = "";
  let shownYears = "";
  return {
    element,
    update(view, levels, years) {
      indicatorSelect.value = view.indicator;
      if (levels.join() !== shownLevels) {
        replace(levelSelect, ...levels.map((l) => h("option", {value: l}, levelLabels[l])));
        shownLevels = levels.join();
      }
      levelSelect.value = view.level;
      const allYears = [...new Set([...years, view.year])].sort((a, b) => a - b);
      if (allYears.join() !== shownYears) {
        replace(yearSelect, ...allYears.map((y) => h("option", {value: y}, `${y} 年`)));
        shownYears = allYears.join();
      }
      yearSelect.value = String(view.year);
      for (const input of categories.querySelectorAll<HTMLInputElement>("input")) input.checked = view.categories.includes(input.value as DisabilityCategory);
      for (const input of grades.querySelectorAll<HTMLInputElement>("input")) input.checked = view.grades.includes(Number(input.value));
      const applies = indicators.find((i) => i.id === view.indicator)!.counts === "people";
      categories.disabled = grades.disabled = !applies;
      clear.disabled = !applies || (!view.categories.length && !view.grades.length);
      filterNote.textContent = applies ? "" : "该指标按社区计，残疾类别和等级筛选不适用（保留在链接中，换回人员指标时生效）。";
    },
  };
}
