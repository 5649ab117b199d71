import {presets, type Preset} from "../../engine/presets.js";
import {fundingLevels, parameterIds, programmeParameterIds, programmes} from "../../engine/programmes.js";
import {baselineOf, scenarioParameters} from "../../engine/scenarioLevers.js";
import {staleNoteZh, staleStandards} from "../../engine/staleStandards.js";
import {SCENARIO_SOURCE, yearValue, type ParameterSet, type ParameterTimeline, type TimelineValue} from "../../engine/scenarioParameters.js";
import {h} from "../shared/dom.js";
import {quoteLang, sourceTitle} from "../shared/sourceTitle.js";
import {editBounds, formatParameterValue, fromEditValue, refusedValueZh, sliderRange, toEditValue, unitZh, type ParameterLabels} from "./scenarioFormat.js";
import {datedValues, duplicateActive, MAX_SCENARIOS, removeDatedValue, removeSlot, renameSlot, resetScenario, selectSlot, setDatedValue, setOverride, togglePreset, yearStart} from "./scenarioState.js";
import type {Scenario} from "../../engine/scenario.js";
import {noteKey, type ParameterNotes, type SandboxActions, type SandboxState, type SandboxView} from "./scenarioView.js";
import {simplifiedReadingText} from "../shared/simplifiedReading.js";

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
    return [
      h("span", {class: "source-kind"}, "测算假设（无文件出处）"),
      // Chinese for the planner; the English note only where no translation exists (a city's own file).
      note?.note_zh ? h("span", {class: "source-note"}, ` ${note.note_zh}`) : note?.note ? h("span", {class: "source-note", lang: "en"}, ` ${note.note}`) : null,
    ].filter((x): x is HTMLElement => x !== null);
  return [h("span", {class: "source-doc", title: value.source}, `来源${sourceTitle(value.source)}`), value.quote ? h("q", {class: "source-quote", lang: quoteLang(value.quote)}, value.quote) : h("span", {}, ""), h("span", {class: "quote-reading"}, simplifiedReadingText(value.quote))];
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

/**
 * A parameter's values by year in the scenario (分段设定): each dated value the scenario sets, editable and
 * removable, and a row to add one from a chosen simulated year on. Values are in edit units (percent for
 * shares). Redrawn only when the scenario's own override of the parameter changes, so a field keeps focus.
 */
function DatedEditor(id: string, unit: string, label: string, actions: SandboxActions, labels: ParameterLabels): {element: HTMLElement; update(scenario: Scenario): void} {
  const list = h("ul", {class: "dated-list"});
  const error = h("p", {class: "param-error", role: "alert", "data-dated-error": id});
  /** True when the typed value lies within the parameter's bounds; else the row says why it is not used. */
  const accept = (field: HTMLInputElement, date: string) => {
    const refused = refusedValueZh(`overrides.${id}@${date}`, fromEditValue(field.valueAsNumber, unit), unit, labels);
    error.textContent = refused ?? "";
    field.setAttribute("aria-invalid", String(refused !== undefined));
    return refused === undefined;
  };
  const year = h("select", {"aria-label": `${label}：自哪一年起`, "data-dated-year": id});
  const value = h("input", {type: "number", step: "any", "aria-label": `${label}：该年起的数值（${unitZh(unit)}）`, "data-dated-new": id});
  const add = h("button", {type: "button", "data-dated-add": id}, "添加");
  const addValue = () => {
    const v = value.valueAsNumber;
    if (value.value.trim() === "" || !Number.isFinite(v) || !accept(value, year.value)) return value.focus();
    actions.edit((s) => setDatedValue(s, id, year.value, fromEditValue(v, unit)));
    value.value = "";
  };
  add.addEventListener("click", addValue);
  value.addEventListener("keydown", (e) => {
    if (e.key === "Enter") addValue();
  });
  let drawn = "";
  return {
    element: h(
      "div",
      {class: "param-dated", "data-dated": id},
      h("p", {class: "dated-title"}, "分段设定（本方案）：某年起改为新数值，此前沿用现行值。"),
      list,
      h("div", {class: "dated-add"}, "自 ", year, " 1 月 1 日起为 ", value, ` ${unitZh(unit)} `, add),
      error,
      h("p", {class: "muted dated-help"}, "拖动上方滑块或在上方输入数值，会改为各年统一的数值并替换分段设定。"),
    ),
    update(scenario) {
      const years = scenario.years;
      const dated = datedValues(scenario.overrides[id], years[0]!);
      const key = JSON.stringify([dated, years]);
      if (key === drawn) return;
      drawn = key;
      if (year.options.length !== years.length || [...year.options].some((o, i) => o.value !== yearStart(years[i]!))) {
        const chosen = year.value;
        year.replaceChildren(...years.map((y) => h("option", {value: yearStart(y)}, `${y} 年`)));
        if (chosen) year.value = chosen;
      }
      list.replaceChildren(
        ...dated.map((d) => {
          const field = h("input", {type: "number", step: "any", value: toEditValue(d.value, unit), "aria-label": `${label}：${d.date} 起的数值（${unitZh(unit)}）`, "data-dated-value": d.date});
          field.addEventListener("change", () => {
            const v = field.valueAsNumber;
            if (field.value.trim() !== "" && Number.isFinite(v) && accept(field, d.date)) actions.edit((s) => setDatedValue(s, id, d.date, fromEditValue(v, unit)));
          });
          const remove = h("button", {type: "button", "data-dated-remove": d.date, "aria-label": `删除 ${d.date} 起的设定`}, "删除");
          remove.addEventListener("click", () => actions.edit((s) => removeDatedValue(s, id, d.date)));
          const from = d.date.endsWith("-01-01") ? `${d.date.slice(0, 4)} 年起` : `${d.date} 起`;
          return h("li", {"data-date": d.date}, h("span", {class: "source-date"}, from), "：", field, ` ${unitZh(unit)} `, remove);
        }),
      );
      if (!dated.length) list.append(h("li", {class: "muted"}, "（无：各年沿用现行值或上方的统一数值）"));
    },
  };
}

/** Every parameter as a slider and a number field, grouped by programme. */
export function ParameterPanel(baseline: ParameterSet, actions: SandboxActions, options: {notes?: ParameterNotes; firstYear: number; baseYear: number}): SandboxView {
  type Row = {slider: HTMLInputElement; field: HTMLInputElement; status: HTMLElement; error: HTMLElement; reset: HTMLButtonElement; row: HTMLElement; unit: string; sources: HTMLElement; dated: ReturnType<typeof DatedEditor>; drawn: ParameterTimeline; stale: HTMLElement | null; inForce: HTMLElement};
  const rows = new Map<string, Row[]>();
  // Standards last set before 2020: marked beside their field, which takes the planner's own value.
  const stale = new Map(staleStandards(baseline, yearStart(options.firstYear)).map((s) => [s.id, s]));
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
        // The field's min and max are the parameter's bounds: a value past them is refused, not computed with.
        const bounds = editBounds(timeline.unit);
        const field = h("input", {type: "number", id: fieldId, step: "any", value: edit, min: bounds.min, max: bounds.max, "data-param": id, "data-testid": "param-field"});
        const error = h("p", {class: "param-error", role: "alert", "data-param-error": id});
        const reset = h("button", {type: "button", class: "param-reset", "aria-label": `${timeline.label_zh}恢复现行值`, title: "恢复现行值"}, "↺ 恢复");
        const status = h("span", {class: "param-status", "aria-live": "off"});
        const old = stale.get(id);
        const fill = old ? h("button", {type: "button", class: "param-stale-fill", "data-stale-fill": id}, "填写本地现行标准") : null;
        fill?.addEventListener("click", () => {
          field.focus();
          field.select();
        });
        const inForceText = h("span", {class: "param-in-force"}, `现行值 ${formatParameterValue(inForce, timeline.unit)}`);
        const staleMark = old ? h("p", {class: "param-stale", "data-stale": id}, staleNoteZh(old.year), "　", fill) : null;
        // The values in force with their sources: the scenario's own (本方案设定) among them once set.
        const sources = h("div", {class: "param-sources"}, sourceList(timeline, options.notes));
        const dated = DatedEditor(id, timeline.unit, timeline.label_zh, actions, baseline);
        const set = (edited: number) => actions.edit((s) => setOverride(s, id, fromEditValue(edited, timeline.unit)));
        slider.addEventListener("input", () => {
          field.value = slider.value;
          set(Number(slider.value));
        });
        field.addEventListener("input", () => {
          const v = field.valueAsNumber;
          if (field.value.trim() === "" || !Number.isFinite(v)) return;
          const refused = refusedValueZh(`overrides.${id}`, fromEditValue(v, timeline.unit), timeline.unit, baseline);
          error.textContent = refused ?? "";
          field.setAttribute("aria-invalid", String(refused !== undefined));
          if (refused === undefined) {
            slider.value = String(v);
            set(v);
          }
        });
        const clearError = () => {
          error.textContent = "";
          field.setAttribute("aria-invalid", "false");
        };
        slider.addEventListener("input", clearError);
        reset.addEventListener("click", () => {
          clearError();
          actions.edit((s) => setOverride(s, id, undefined));
        });
        const row = h(
          "div",
          {class: "param", "data-param": id},
          h("label", {for: fieldId, class: "param-label"}, timeline.label_zh),
          h("div", {class: "param-inputs"}, slider, field, h("span", {class: "param-unit"}, unitZh(timeline.unit)), reset),
          staleMark,
          error,
          h(
            "div",
            {class: "param-meta"},
            inForceText,
            status,
            h("details", {class: "param-source"}, h("summary", {}, "出处与分段设定"), sources, dated.element),
          ),
        );
        const list = rows.get(id) ?? [];
        list.push({slider, field, status, error, reset, row, unit: timeline.unit, sources, dated, drawn: timeline, stale: staleMark, inForce: inForceText});
        rows.set(id, list);
        return row;
      });
    return h("details", {class: "param-group", "data-group": group.id}, h("summary", {}, group.label, h("span", {class: "group-changed"})), items);
  });
  const element = h("div", {class: "param-panel", "data-testid": "parameters"}, groups);
  return {
    element,
    update(state) {
      // 现行值 is the baseline's value, which the planner's province may set (本省现行标准).
      const base = scenarioParameters(state.model.parameters, baselineOf(state.scenario), state.model.provinces).parameters;
      const touched = new Set<string>();
      for (const presetId of state.scenario.presets) for (const id of Object.keys(presets.find((x) => x.id === presetId)?.changes ?? {})) touched.add(id);
      for (const [id, list] of rows) {
        const timeline = state.parameters.get(id);
        const value = safeYearValue(timeline, options.firstYear);
        const own = Object.hasOwn(state.scenario.overrides, id);
        const override = state.scenario.overrides[id];
        const byPreset = !own && touched.has(id);
        for (const r of list) {
          // Timelines are new objects only when the scenario changes them, so this redraws on a change only.
          if (timeline && timeline !== r.drawn) {
            r.drawn = timeline;
            r.sources.replaceChildren(sourceList(timeline, options.notes));
          }
          r.dated.update(state.scenario);
          const baseTimeline = base.get(id);
          if (baseTimeline) r.inForce.textContent = `现行值 ${formatParameterValue(safeYearValue(baseTimeline, options.firstYear), r.unit)}`;
          const edit = toEditValue(value, r.unit);
          // A refused value stays in its field, beside the reason, until the planner changes it.
          if (document.activeElement !== r.field && r.field.valueAsNumber !== edit && r.error.textContent === "") r.field.value = String(edit);
          if (document.activeElement !== r.slider) r.slider.value = String(edit);
          r.row.classList.toggle("changed", own || byPreset);
          // The planner's own value replaces the old standard, so the mark goes with it.
          r.stale?.toggleAttribute("hidden", own || byPreset);
          r.reset.disabled = !own;
          r.status.textContent =
            own && Array.isArray(override)
              ? `分段设定：${override.map((d) => `${d.date.endsWith("-01-01") ? `${d.date.slice(0, 4)} 年` : d.date}起 ${formatParameterValue(d.value, r.unit)}`).join("；")}`
              : own
                ? `方案值 ${formatParameterValue(value, r.unit)}`
                : byPreset
                  ? `预设方案设定 ${formatParameterValue(value, r.unit)}`
                  : "";
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
      h("li", {}, c.source ? [h("span", {class: "source-doc", title: c.source}, `来源${sourceTitle(c.source)}`), c.quote ? h("q", {class: "source-quote", lang: quoteLang(c.quote)}, c.quote) : null, c.quote ? h("span", {class: "quote-reading"}, simplifiedReadingText(c.quote)) : null] : h("span", {class: "source-kind"}, "测算用变体：来源只规定了下限，此数字不出自来源文件")),
    ),
  );
}

/**
 * The presets from the sources as toggle buttons, each with its citation. Turning one on replaces the
 * planner's own values of the parameters it sets (togglePreset); the panel says which, with the values,
 * and offers to undo, so a typed figure is never lost silently.
 */
export function PresetPanel(actions: SandboxActions, parameters?: ParameterSet): SandboxView {
  const replaced = h("div", {class: "preset-replaced", role: "status", "data-testid": "preset-replaced"});
  let current: SandboxState | undefined;
  const label = (id: string) => parameters?.get(id)?.label_zh ?? id;
  const valueText = (id: string, value: number) => (parameters?.get(id) ? formatParameterValue(value, parameters.get(id)!.unit) : String(value));
  const buttons = presets.map((preset) => {
    const button = h("button", {type: "button", class: "preset-button", "aria-pressed": "false", "data-preset": preset.id}, preset.label.zh);
    button.addEventListener("click", () => {
      const before = current?.scenario;
      const turningOn = before !== undefined && !before.presets.includes(preset.id);
      const lost = turningOn ? Object.keys(before.overrides).filter((id) => Object.hasOwn(preset.changes, id)) : [];
      actions.edit((s) => togglePreset(s, preset));
      if (!lost.length || !before) return void replaced.replaceChildren();
      const undo = h("button", {type: "button", "data-testid": "preset-undo"}, "撤销，保留我填写的值");
      undo.addEventListener("click", () => {
        actions.edit(() => before);
        replaced.replaceChildren();
      });
      const own = (id: string) => datedValues(before.overrides[id], before.years[0]!).map((d) => `${d.date.slice(0, 4)}年起 ${valueText(id, d.value)}`).join("、");
      replaced.replaceChildren(
        h("p", {}, `已套用「${preset.label.zh}」：您为${lost.map((id) => `${label(id)}（${own(id)}）`).join("、")}填写的值已由预设值替换。`, undo),
      );
    });
    return {preset, button, card: h("div", {class: "preset", "data-preset-card": preset.id}, button, h("p", {class: "preset-description"}, preset.description_zh), presetCitation(preset))};
  });
  return {
    element: h("div", {class: "preset-block"}, replaced, h("div", {class: "preset-panel", "data-testid": "presets"}, buttons.map((b) => b.card))),
    update(state) {
      current = state;
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
  // The slot acted on is the state's active one at the time of the action, not the one last drawn:
  // a name typed straight after 复制为新方案, before the bar is redrawn, names the copy.
  name.addEventListener("input", () => actions.slots((s) => renameSlot(s, s.active, name.value)));
  duplicate.addEventListener("click", () => actions.slots(duplicateActive));
  remove.addEventListener("click", () => actions.slots((s) => removeSlot(s, s.active)));
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
      const active = state.slots.active;
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
