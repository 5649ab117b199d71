import type {Preset} from "../engine/presets.js";
import {baselineScenario, migrateScenario, scenarioSchema, scenarioToQuery, type Scenario, type ScenarioOverride} from "../engine/scenario.js";

/**
 * The sandbox's scenario slots (方案栏): up to three named scenarios, one of them being edited, and the
 * edits a planner makes to a scenario (a parameter, a preset, the budget cap). Every function returns a
 * new value and never changes its argument, so the page can compare, cache and undo. Pure: no DOM.
 */

/** How many scenarios the page compares side by side. */
export const MAX_SCENARIOS = 3;

export interface Slots {
  scenarios: readonly Scenario[];
  /** Index of the scenario being edited (and shown in the URL). */
  active: number;
}

/** One slot holding the given scenario (the baseline unless given). */
export function initialSlots(first: Scenario = baselineScenario()): Slots {
  return {scenarios: [first], active: 0};
}

export const activeScenario = (slots: Slots): Scenario => slots.scenarios[slots.active]!;

/** A stable text key of a scenario (its URL form): equal keys give equal results. */
export const scenarioKey = (scenario: Scenario): string => scenarioToQuery(scenario);

/** A name not yet used by another slot: "方案 2", or the given name with "（副本）", "（副本 2）" … */
function freeName(slots: Slots, wanted: string): string {
  const names = new Set(slots.scenarios.map((s) => s.name));
  if (!names.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!names.has(`${wanted} ${i}`)) return `${wanted} ${i}`;
}

/** Adds a copy of the active scenario after the last slot and edits it; unchanged when all slots are used. */
export function duplicateActive(slots: Slots): Slots {
  if (slots.scenarios.length >= MAX_SCENARIOS) return slots;
  const source = activeScenario(slots);
  const copy: Scenario = structuredClone({...source, name: freeName(slots, `${source.name || "方案"}（副本）`)});
  return {scenarios: [...slots.scenarios, copy], active: slots.scenarios.length};
}

/** Renames a slot's scenario (names are free text, at most 200 characters as the format allows). */
export function renameSlot(slots: Slots, index: number, name: string): Slots {
  const scenarios = slots.scenarios.map((s, i) => (i === index ? {...s, name: name.slice(0, 200)} : s));
  return {...slots, scenarios};
}

/** Removes a slot; the last remaining one cannot be removed. The active slot moves to a neighbour. */
export function removeSlot(slots: Slots, index: number): Slots {
  if (slots.scenarios.length <= 1 || index < 0 || index >= slots.scenarios.length) return slots;
  const scenarios = slots.scenarios.filter((_, i) => i !== index);
  const active = slots.active > index || slots.active === scenarios.length ? slots.active - 1 : slots.active;
  return {scenarios, active: Math.max(0, active)};
}

export function selectSlot(slots: Slots, index: number): Slots {
  return index >= 0 && index < slots.scenarios.length ? {...slots, active: index} : slots;
}

/** Puts a scenario in the active slot (an edit, an uploaded file, a URL). */
export function replaceActive(slots: Slots, scenario: Scenario): Slots {
  return {...slots, scenarios: slots.scenarios.map((s, i) => (i === slots.active ? scenario : s))};
}

/** Sets a parameter's override (undefined removes it, back to the presets' or the baseline's value). */
export function setOverride(scenario: Scenario, id: string, value: ScenarioOverride | undefined): Scenario {
  const overrides = {...scenario.overrides};
  if (value === undefined) delete overrides[id];
  else overrides[id] = typeof value === "number" && Object.is(value, -0) ? 0 : value;
  return {...scenario, overrides};
}

/**
 * Turns a preset on (appended to the scenario's presets) or off. Turning it on drops the scenario's own
 * overrides of the parameters it changes: an override wins over a preset, so keeping one would make the
 * button look pressed while changing nothing.
 */
export function togglePreset(scenario: Scenario, preset: Pick<Preset, "id" | "changes">): Scenario {
  if (scenario.presets.includes(preset.id)) return {...scenario, presets: scenario.presets.filter((id) => id !== preset.id)};
  const overrides = Object.fromEntries(Object.entries(scenario.overrides).filter(([id]) => !Object.hasOwn(preset.changes, id)));
  return {...scenario, presets: [...scenario.presets, preset.id], overrides};
}

/** Sets the yearly budget cap in yuan (undefined, or not a non-negative finite number, removes it). */
export function setCap(scenario: Scenario, yuanPerYear: number | undefined): Scenario {
  const {cap: _cap, ...rest} = scenario;
  return yuanPerYear === undefined || !Number.isFinite(yuanPerYear) || yuanPerYear < 0 ? rest : {...rest, cap: {yuanPerYear}};
}

/** The scenario back at the baseline: no presets, overrides or cap; name and years kept. */
export function resetScenario(scenario: Scenario): Scenario {
  return {version: scenario.version, name: scenario.name, baseYear: scenario.baseYear, years: [...scenario.years], overrides: {}, presets: []};
}

/** The slots as text for the browser's session storage (so a reload keeps the comparison). */
export function slotsToText(slots: Slots): string {
  return JSON.stringify({active: slots.active, scenarios: slots.scenarios.map((s) => scenarioSchema.parse(s))});
}

/** Slots read back from session storage; undefined when the text is not valid slots (then the page starts afresh). */
export function slotsFromText(text: string | null): Slots | undefined {
  if (!text) return undefined;
  try {
    const raw = JSON.parse(text) as {active?: unknown; scenarios?: unknown};
    if (!Array.isArray(raw.scenarios) || raw.scenarios.length === 0 || raw.scenarios.length > MAX_SCENARIOS) return undefined;
    const scenarios = raw.scenarios.map((s) => migrateScenario(s).scenario);
    const active = typeof raw.active === "number" && Number.isInteger(raw.active) && raw.active >= 0 && raw.active < scenarios.length ? raw.active : 0;
    return {scenarios, active};
  } catch {
    return undefined;
  }
}
