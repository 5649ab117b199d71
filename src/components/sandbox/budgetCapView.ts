import type {CapItem, CapUnit, CapYear} from "../../engine/budgetCap.js";
import {capDefinition_zh, capYearText} from "./budgetCapText.js";
import {formatCount, formatNumber, formatYuan} from "../shared/format.js";
import {dataTable, type Column} from "./scenarioDom.js";
import {h} from "../shared/dom.js";
import {setCap} from "./scenarioState.js";
import {refusedValueZh} from "./scenarioFormat.js";
import {CAP_UNIT, capBounds} from "../../engine/parameterBounds.js";
import type {SandboxActions, SandboxState, SandboxView} from "./scenarioView.js";

/**
 * The budget cap (预算上限): a yearly budget in 万元 for all programme costs of the scenario, and for a
 * chosen year what the engine's budgetCap charges first (the committed baseline) and then funds within
 * the room left (most people covered per yuan first), and who is left uncovered — a summary, the
 * programmes, and every community with a gap. The cap is part of the scenario (URL and file).
 */

export interface BudgetCapView extends SandboxView {
  /** Shows the engine's result (undefined: no cap set; "pending": being computed). */
  show(years: readonly CapYear[] | undefined | "pending", state: SandboxState): void;
}

const YUAN_PER_WAN = 10_000;
const UNITS_SHOWN = 20;
const people = (v: number | null) => (v === null ? "—" : formatCount(Math.round(v)));
const yuan = (v: number | null) => formatYuan(v);

/** Funded and unfunded gaps per programme. */
function byProgramme(items: readonly CapItem[]) {
  const out = new Map<string, {programme_zh: string; funded_yuan: number; unfunded_yuan: number; people_covered: number; people_uncovered: number; items: number}>();
  for (const i of items) {
    const row = out.get(i.programme) ?? {programme_zh: i.programme_zh, funded_yuan: 0, unfunded_yuan: 0, people_covered: 0, people_uncovered: 0, items: 0};
    if (i.funded) {
      row.funded_yuan += i.cost_yuan;
      row.people_covered += i.people;
    } else {
      row.unfunded_yuan += i.cost_yuan;
      row.people_uncovered += i.people;
    }
    row.items++;
    out.set(i.programme, row);
  }
  return [...out.values()].sort((a, b) => b.funded_yuan + b.unfunded_yuan - (a.funded_yuan + a.unfunded_yuan));
}

export function BudgetCapPanel(actions: SandboxActions): BudgetCapView {
  const input = h("input", {type: "number", id: "cap-input", min: 0, step: "any", placeholder: "不设上限", "data-testid": "cap-input"});
  const clear = h("button", {type: "button", "data-testid": "cap-clear"}, "不设上限");
  const yearSelect = h("select", {id: "cap-year", "data-testid": "cap-year"});
  const output = h("div", {class: "cap-output", "aria-live": "polite"});
  let showAll = false;
  let year: number | undefined;
  let lastShown: [readonly CapYear[] | undefined | "pending", SandboxState] | undefined;
  const error = h("p", {class: "param-error", role: "alert", "data-testid": "cap-error"});
  const apply = () => {
    const wan = input.valueAsNumber;
    // A cap outside ¥0…¥1万亿 is refused with the reason, as a link or a file would be (parameterBounds.ts).
    const refused = input.value.trim() === "" || !Number.isFinite(wan) ? undefined : refusedValueZh("cap.yuanPerYear", Number(`${wan}e4`), CAP_UNIT, undefined, capBounds);
    error.textContent = refused ?? "";
    input.setAttribute("aria-invalid", String(refused !== undefined));
    if (refused) return;
    if (input.value.trim() === "") actions.edit((s) => setCap(s, undefined));
    else if (Number.isFinite(wan)) actions.edit((s) => setCap(s, Number(`${wan}e4`)));
  };
  input.addEventListener("input", apply);
  clear.addEventListener("click", () => {
    input.value = "";
    apply();
  });
  yearSelect.addEventListener("change", () => {
    year = Number(yearSelect.value);
    if (lastShown) view.show(...lastShown);
  });

  const unitColumns: Column<CapUnit>[] = [
    // Names as a planner knows them; the codes stay in a tooltip and a column of their own (to look a unit up elsewhere).
    {key: "unit", label: "社区", value: (u) => h("span", {title: `社区代码 ${u.community_code}`}, u.unit_name), header: true},
    {key: "street", label: "街道（镇）", value: (u) => u.street_name},
    {key: "district", label: "区县", value: (u) => h("span", {title: `区县代码 ${u.district_code}`}, u.district_name)},
    {key: "funded", label: "已安排资金", value: (u) => u.funded_yuan, format: yuan},
    {key: "unfunded", label: "未安排资金", value: (u) => u.unfunded_yuan, format: yuan},
    {key: "covered", label: "覆盖人数", value: (u) => u.people_covered, format: people},
    {key: "uncovered", label: "未覆盖人数", value: (u) => u.people_uncovered, format: people},
    {key: "code", label: "社区代码", value: (u) => h("code", {class: "unit-code"}, u.community_code)},
  ];
  type ProgrammeRow = ReturnType<typeof byProgramme>[number];
  const programmeColumns: Column<ProgrammeRow>[] = [
    {key: "programme", label: "项目", value: (p) => p.programme_zh, header: true},
    {key: "items", label: "缺口（社区）数", value: (p) => p.items, format: (v) => formatNumber(v)},
    {key: "funded", label: "已安排资金", value: (p) => p.funded_yuan, format: yuan},
    {key: "unfunded", label: "未安排资金", value: (p) => p.unfunded_yuan, format: yuan},
    {key: "covered", label: "覆盖人数", value: (p) => p.people_covered, format: people},
    {key: "uncovered", label: "未覆盖人数", value: (p) => p.people_uncovered, format: people},
  ];

  const view: BudgetCapView = {
    element: h(
      "div",
      {class: "sandbox-view cap-view", "data-testid": "cap"},
      h("div", {class: "cap-inputs"}, h("label", {for: "cap-input"}, "每年预算上限（万元）"), input, clear, h("label", {for: "cap-year"}, "年度"), yearSelect),
      error,
      output,
    ),
    update(state) {
      const cap = state.scenario.cap?.yuanPerYear;
      if (document.activeElement !== input && error.textContent === "") input.value = cap === undefined ? "" : String(Number(`${cap}e-4`));
      const years = state.scenario.years;
      if (yearSelect.options.length !== years.length || [...yearSelect.options].some((o, i) => Number(o.value) !== years[i]))
        yearSelect.replaceChildren(...years.map((y) => h("option", {value: y}, `${y} 年`)));
      if (year === undefined || !years.includes(year)) year = years.at(-1)!;
      yearSelect.value = String(year);
    },
    show(result, state) {
      lastShown = [result, state];
      if (result === undefined) {
        output.replaceChildren(h("p", {class: "sandbox-empty"}, "输入每年预算上限后，按「每万元覆盖人数」从高到低安排各社区的缺口资金，列出安排到的和未覆盖的人员。"));
        return;
      }
      if (result === "pending") {
        output.setAttribute("aria-busy", "true");
        return;
      }
      output.removeAttribute("aria-busy");
      const capYear = result.find((r) => r.year === year) ?? result[0];
      if (!capYear) return;
      const units = capYear.units
        .filter((u) => u.unfunded_yuan > 0 || u.funded_yuan > 0)
        .sort((a, b) => b.people_uncovered - a.people_uncovered || b.unfunded_yuan - a.unfunded_yuan || b.people_covered - a.people_covered || b.funded_yuan - a.funded_yuan || (a.community_code < b.community_code ? -1 : 1));
      const shown = showAll ? units : units.slice(0, UNITS_SHOWN);
      const more = h("button", {type: "button", class: "cap-more", "data-testid": "cap-more"}, showAll ? "只显示前 20 个社区" : `显示全部 ${units.length} 个社区`);
      more.addEventListener("click", () => {
        showAll = !showAll;
        view.show(result, state);
      });
      output.replaceChildren(
        h(
          "dl",
          {
            class: "cap-summary",
            "data-testid": "cap-summary",
            "data-year": capYear.year,
            "data-cap": capYear.cap_yuan,
            "data-total": capYear.total_yuan,
            "data-committed": capYear.committed_yuan,
            "data-room": capYear.room_yuan,
            "data-funded": capYear.funded_yuan,
            "data-unfunded": capYear.unfunded_yuan,
            "data-over-cap": capYear.over_cap_yuan,
          },
          h("dt", {}, "预算上限（全部项目支出）"),
          h("dd", {"data-field": "cap"}, `${formatYuan(capYear.cap_yuan)}／年`),
          h("dt", {}, "方案测算成本"),
          h("dd", {"data-field": "total"}, capYear.over_cap_yuan > 0 ? `${formatYuan(capYear.total_yuan)}（超出上限 ${formatYuan(capYear.over_cap_yuan)}）` : `${formatYuan(capYear.total_yuan)}（在上限之内）`),
          h("dt", {}, "既有保障支出（先计入上限）"),
          h("dd", {"data-field": "committed"}, `${formatYuan(capYear.committed_yuan)}（基线已有的低保、补贴等应保支出，不削减${capYear.committed_over_cap_yuan > 0 ? `；已超出上限 ${formatYuan(capYear.committed_over_cap_yuan)}` : ""}）`),
          h("dt", {}, "可用于缺口的额度"),
          h("dd", {"data-field": "room"}, `${formatYuan(capYear.room_yuan)}（上限 − 既有保障支出）`),
          h("dt", {}, "已安排缺口资金"),
          h("dd", {"data-field": "funded"}, `${formatYuan(capYear.funded_yuan)}（${people(capYear.people_covered)} 人得到覆盖）`),
          h("dt", {}, "未安排缺口资金"),
          h("dd", {"data-field": "unfunded"}, `${formatYuan(capYear.unfunded_yuan)}（${people(capYear.people_uncovered)} 人未覆盖）`),
        ),
        h("p", {"data-testid": "cap-sentence"}, capYearText(capYear)),
        h("p", {class: "muted", "data-testid": "cap-definition"}, `说明：${capDefinition_zh}`),
        dataTable(byProgramme(capYear.items), programmeColumns, {caption: `${capYear.year} 年各项目的缺口安排`, testid: "cap-programmes", className: "wide"}),
        dataTable(shown, unitColumns, {caption: `${capYear.year} 年各社区：已安排与未覆盖（按未覆盖人数排序）`, testid: "cap-units", className: "wide", rowAttributes: (u) => ({"data-unit": u.community_code})}),
        units.length > UNITS_SHOWN ? more : h("span", {}),
      );
    },
  };
  return view;
}
