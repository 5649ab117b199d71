import {presets, type Preset} from "../engine/presets.js";
import {fundingLevels, parameterIds, programmeParameterIds, programmes} from "../engine/programmes.js";
import {SCENARIO_SOURCE, yearValue, type ParameterSet, type ParameterTimeline, type TimelineValue} from "../engine/scenarioParameters.js";
import {h} from "./scenarioDom.js";
import {formatParameterValue, fromEditValue, sliderRange, toEditValue, unitZh} from "./scenarioFormat.js";
import {duplicateActive, MAX_SCENARIOS, removeSlot, renameSlot, resetScenario, selectSlot, setOverride, togglePreset} from "./scenarioState.js";
import {noteKey, type ParameterNotes, type SandboxActions, type SandboxState, type SandboxView} from "./scenarioView.js";

/**
 * The sandbox's controls: the scenario slots (方案), the presets from the sources (预设方案), and every
 * parameter the engine reads, grouped by programme, as a slider and a number field with its unit, the
 * value in force and its sources (document and quote). Built once; `update` writes the values back.
 */

/** Parameter groups: each programme's own parameters, then the projection and the funding shares. */
export function parameterGroups(): {id: string; label: string; ids: string[]}[] {
  const p = parameterIds;
  return [
    ...programmes.map((prog) => ({id: prog.id, label: prog.label.zh, ids: programmeParameterIds(prog)})),
    {id: "projection", label: "人口、物价与目标年（测算假设）", ids: [p.populationGrowth, p.prevalenceChange, p.priceIndex, p.targetYear]},
    {id: "funding", label: "各级资金分担比例", ids: fundingLevels.map(p.fundingShare)},
  ];
}

const domId = (id: string) => `param-${id.replaceAll(".", "-").replaceAll("_", "-")}`;

/** Where a dated value comes from, in Chinese: the document and its quote, an assumption's note, or the planner. */
export function sourceText(value: TimelineValue, notes?: ParameterNotes): Node[] {
  const note = notes?.get(noteKey(value.id, value.effective_date));
  if (value.source === SCENARIO_SOURCE) return [h("span", {class: "source-kind"}, "本方案设定")];
  if (value.source === "assumption")
    return [h("span", {class: "source-kind"}, "测算假设（无文件出处）"), note?.note ? h("span", {class: "source-note", lang: "en"}, ` ${note.note}`) : null].filter((x): x is HTMLElement => x !== null);
  return [h("span", {class: "source-doc"}, `来源文件 ${value.source}`), value.quote ? h("q", {class: "source-quote"}, value.quote) : h("span", {}, "")];
}

/** The dated values of a parameter with their sources, as a definition list. */
export function sourceList(timeline: ParameterTimeline, notes?: ParameterNotes): HTMLElement {
  return h(
    "ul",
    {class: "source-list"},
    timeline.values.map((v) =>
      h("li", {}, h("span", {class: "source-date"}, v.effective_date === "0001-01-01" ? "各年" : `${v.effective_date} 起`), `：${formatParameterValue(v.value, timeline.unit)}　`, ...sourceText(v, notes)),
    ),
  );
}

function safeYearValue(timeline: ParameterTimeline | undefined, year: number): number {
  if (!timeline) return Number.NaN;
  try {
    return yearValue(timeline, year);
  } catch {
    return Number.NaN;
  }
}

/** Every parameter as a slider and a number field, grouped by programme. */
export function ParameterPanel(baseline: ParameterSet, actions: SandboxActions, options: {notes?: ParameterNotes; firstYear: number; baseYear: number}): SandboxView {
  const rows = new Map<string, {slider: HTMLInputElement; field: HTMLInputElement; status: HTMLElement; reset: HTMLButtonElement; row: HTMLElement; unit: string}[]>();
  const groups = parameterGroups().map((group) => {
    const items = group.ids
      .filter((id) => baseline.has(id))
      .map((id) => {
        const timeline = baseline.get(id)!;
        const inForce = safeYearValue(timeline, options.firstYear);
        const range = sliderRange(inForce, timeline.unit, options.baseYear);
        const edit = toEditValue(inForce, timeline.unit);
        const fieldId = domId(id);
        const slider = h("input", {type: "range", min: range.min, max: range.max, step: range.step, value: edit, "aria-label": `${timeline.label_zh}（滑块，${unitZh(timeline.unit)}）`, "data-param": id});
        const field = h("input", {type: "number", id: fieldId, step: "any", value: edit, min: range.min < 0 ? null : 0, max: timeline.unit.startsWith("share") ? 100 : null, "data-param": id, "data-testid": "param-field"});
        const reset = h("button", {type: "button", class: "param-reset", "aria-label": `${timeline.label_zh}恢复现行值`, title: "恢复现行值"}, "↺ 恢复");
        const status = h("span", {class: "param-status", "aria-live": "off"});
        const set = (edited: number) => actions.edit((s) => setOverride(s, id, fromEditValue(edited, timeline.unit)));
        slider.addEventListener("input", () => {
          field.value = slider.value;
          set(Number(slider.value));
        });
        field.addEventListener("input", () => {
          const v = field.valueAsNumber;
          if (field.value.trim() !== "" && Number.isFinite(v) && field.checkValidity()) {
            slider.value = String(v);
            set(v);
          }
        });
        reset.addEventListener("click", () => actions.edit((s) => setOverride(s, id, undefined)));
        const row = h(
          "div",
          {class: "param", "data-param": id},
          h("label", {for: fieldId, class: "param-label"}, timeline.label_zh),
          h("div", {class: "param-inputs"}, slider, field, h("span", {class: "param-unit"}, unitZh(timeline.unit)), reset),
          h(
            "div",
            {class: "param-meta"},
            h("span", {class: "param-in-force"}, `现行值 ${formatParameterValue(inForce, timeline.unit)}`),
            status,
            h("details", {class: "param-source"}, h("summary", {}, "出处"), sourceList(timeline, options.notes)),
          ),
        );
        const list = rows.get(id) ?? [];
        list.push({slider, field, status, reset, row, unit: timeline.unit});
        rows.set(id, list);
        return row;
      });
    return h("details", {class: "param-group", "data-group": group.id}, h("summary", {}, group.label, h("span", {class: "group-changed"})), items);
  });
  const element = h("div", {class: "param-panel", "data-testid": "parameters"}, groups);
  return {
    element,
    update(state) {
      const touched = new Set<string>();
      for (const presetId of state.scenario.presets) for (const id of Object.keys(presets.find((x) => x.id === presetId)?.changes ?? {})) touched.add(id);
      for (const [id, list] of rows) {
        const value = safeYearValue(state.parameters.get(id), options.firstYear);
        const own = Object.hasOwn(state.scenario.overrides, id);
        const byPreset = !own && touched.has(id);
        for (const r of list) {
          const edit = toEditValue(value, r.unit);
          if (document.activeElement !== r.field && r.field.valueAsNumber !== edit) r.field.value = String(edit);
          if (document.activeElement !== r.slider) r.slider.value = String(edit);
          r.row.classList.toggle("changed", own || byPreset);
          r.reset.disabled = !own;
          r.status.textContent = own ? `方案值 ${formatParameterValue(value, r.unit)}` : byPreset ? `预设方案设定 ${formatParameterValue(value, r.unit)}` : "";
        }
      }
      for (const group of element.querySelectorAll<HTMLElement>(".param-group")) {
        const changed = group.querySelectorAll(".param.changed").length;
        group.querySelector(".group-changed")!.textContent = changed ? `（已调整 ${changed} 项）` : "";
      }
    },
  };
}

/** A preset's citation in Chinese: the document and its quote, or that the figure is a planner's variant. */
function presetCitation(preset: Preset): HTMLElement {
  return h(
    "ul",
    {class: "preset-cites"},
    preset.cites.map((c) =>
      h("li", {}, c.source ? [h("span", {class: "source-doc"}, `来源文件 ${c.source}`), c.quote ? h("q", {class: "source-quote"}, c.quote) : null] : h("span", {class: "source-kind"}, "测算用变体：来源只规定了下限，此数字不出自来源文件")),
    ),
  );
}

/** The presets from the sources as toggle buttons, each with its citation. */
export function PresetPanel(actions: SandboxActions): SandboxView {
  const buttons = presets.map((preset) => {
    const button = h("button", {type: "button", class: "preset-button", "aria-pressed": "false", "data-preset": preset.id}, preset.label.zh);
    button.addEventListener("click", () => actions.edit((s) => togglePreset(s, preset)));
    return {preset, button, card: h("div", {class: "preset", "data-preset-card": preset.id}, button, h("p", {class: "preset-description"}, preset.description_zh), presetCitation(preset))};
  });
  return {
    element: h("div", {class: "preset-panel", "data-testid": "presets"}, buttons.map((b) => b.card)),
    update(state) {
      for (const {preset, button, card} of buttons) {
        const on = state.scenario.presets.includes(preset.id);
        button.setAttribute("aria-pressed", String(on));
        card.classList.toggle("active", on);
      }
    },
  };
}

/** The scenario slots: pick the one to edit, rename it, copy it to a new slot, remove it, reset it to the baseline. */
export function SlotBar(actions: SandboxActions): SandboxView {
  const list = h("div", {class: "slot-list", role: "radiogroup", "aria-label": "选择要编辑的方案"});
  const name = h("input", {type: "text", id: "slot-name", maxlength: 200, "data-testid": "slot-name"});
  const duplicate = h("button", {type: "button", "data-testid": "slot-duplicate"}, "复制为新方案");
  const remove = h("button", {type: "button", "data-testid": "slot-remove"}, "删除此方案");
  const reset = h("button", {type: "button", "data-testid": "slot-reset"}, "恢复基线");
  let active = 0;
  name.addEventListener("input", () => actions.slots((s) => renameSlot(s, active, name.value)));
  duplicate.addEventListener("click", () => actions.slots(duplicateActive));
  remove.addEventListener("click", () => actions.slots((s) => removeSlot(s, active)));
  reset.addEventListener("click", () => actions.edit(resetScenario));
  let drawn = "";
  return {
    element: h(
      "div",
      {class: "slot-bar", "data-testid": "slots"},
      list,
      h("div", {class: "slot-edit"}, h("label", {for: "slot-name"}, "方案名称"), name, duplicate, remove, reset),
      h("p", {class: "muted slot-help"}, `最多同时保留 ${MAX_SCENARIOS} 个方案并排比较；全部方案（及正在编辑的是哪一个）都写在网址中，复制网址即可分享，刷新后原样恢复。`),
    ),
    update(state) {
      active = state.slots.active;
      const names = state.slots.scenarios.map((s) => s.name || "未命名方案");
      const key = JSON.stringify([names, active]);
      if (key !== drawn) {
        drawn = key;
        list.replaceChildren(
          ...names.map((n, i) => {
            const id = `slot-${i}`;
            const radio = h("input", {type: "radio", name: "sandbox-slot", id, value: i, checked: i === active, "data-slot": i});
            radio.addEventListener("change", () => actions.slots((s) => selectSlot(s, i)));
            return h("span", {class: `slot${i === active ? " active" : ""}`}, radio, h("label", {for: id}, `${i + 1}. ${n}`));
          }),
        );
      }
      if (document.activeElement !== name) name.value = state.scenario.name;
      duplicate.disabled = state.slots.scenarios.length >= MAX_SCENARIOS;
      remove.disabled = state.slots.scenarios.length <= 1;
    },
  };
}
