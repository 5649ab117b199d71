import type {Preset} from "../../engine/presets.js";
import {baselineScenario, migrateScenario, ScenarioError, scenarioSchema, scenarioToQuery, type ScenarioProblem, type Scenario, type ScenarioOverride} from "../../engine/scenario.js";

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

/** A dated value of an override: in force from `date` (YYYY-MM-DD). */
export type DatedValue = {date: string; value: number};

/** The first day of a year, the date a planner's "from year N" (自 N 年起) means. */
export const yearStart = (year: number) => `${String(year).padStart(4, "0")}-01-01`;

/**
 * An override as dated values: none for no override, a constant c as "c from the first simulated year"
 * (the same thing over the simulated years), dated values as they are.
 */
export function datedValues(override: ScenarioOverride | undefined, firstYear: number): DatedValue[] {
  if (override === undefined) return [];
  return typeof override === "number" ? [{date: yearStart(firstYear), value: override}] : override.map((d) => ({...d}));
}

/**
 * Sets a parameter's value from a date on (e.g. 五保 480 from 2028-01-01), keeping its other dated
 * values; a value already set for that date is replaced. The baseline stays in force before the first
 * date, so a value from a later year leaves the earlier years as they are.
 */
export function setDatedValue(scenario: Scenario, id: string, date: string, value: number): Scenario {
  const list = datedValues(scenario.overrides[id], scenario.years[0]!).filter((d) => d.date !== date);
  list.push({date, value: Object.is(value, -0) ? 0 : value});
  list.sort((a, b) => (a.date < b.date ? -1 : 1));
  return setOverride(scenario, id, list);
}

/** Removes one dated value of a parameter; removing the last one removes the override. */
export function removeDatedValue(scenario: Scenario, id: string, date: string): Scenario {
  const list = datedValues(scenario.overrides[id], scenario.years[0]!).filter((d) => d.date !== date);
  return setOverride(scenario, id, list.length ? list : undefined);
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

/*
 * All slots in one text, for the page's URL, the slots file (下载全部方案) and session storage. Each
 * scenario keeps its own format and version (so each migrates on its own); only the frame is new.
 *
 * URL: the edited scenario's own keys, exactly as a one-scenario link (so every older link still opens,
 * as one slot), plus `slot` — the edited scenario's place (1–3) — and `s1`…`s3`, each other slot's
 * scenario as its own query string:  ?v=1&n=提高五保&…&slot=2&s1=v%3D1%26n%3D方案%201…
 * File: {"format": "dpf-sandbox-scenarios", "version": 1, "active": 0, "scenarios": [{…}, …]}.
 */

/** URL key of the edited scenario's place among the slots (1-based, as the page numbers them). */
export const SLOT_KEY = "slot";
/** URL key of the scenario in slot `i` (0-based index) when it is not the edited one. */
export const slotKey = (i: number) => `s${i + 1}`;
const slotKeyPattern = /^s[0-9]+$/;

/** The slots as a URL query string (no leading `?`); one slot gives exactly its scenario's query. */
export function slotsToQuery(slots: Slots): string {
  const q = new URLSearchParams(scenarioToQuery(activeScenario(slots)));
  if (slots.scenarios.length > 1) {
    q.set(SLOT_KEY, String(slots.active + 1));
    slots.scenarios.forEach((s, i) => {
      if (i !== slots.active) q.set(slotKey(i), scenarioToQuery(s));
    });
  }
  return q.toString();
}

/**
 * A URL query split into each slot's scenario query, in slot order, and the edited slot's index; the
 * scenarios are not read here (each is read and migrated on its own). Problems with the slot keys
 * themselves (a place out of range, a gap, a key twice) are thrown as a ScenarioError.
 */
export function splitSlotsQuery(query: string): {queries: string[]; active: number} {
  const q = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const own = new URLSearchParams();
  const others = new Map<number, string>();
  const problems: ScenarioProblem[] = [];
  let place: number | undefined;
  for (const [key, value] of q) {
    if (key === SLOT_KEY) {
      if (place !== undefined) problems.push({path: key, message: "appears twice in the URL"});
      else if (!/^[1-9][0-9]*$/.test(value) || Number(value) > MAX_SCENARIOS) problems.push({path: key, message: `not a slot number 1–${MAX_SCENARIOS}`});
      else place = Number(value);
    } else if (slotKeyPattern.test(key)) {
      const i = Number(key.slice(1)) - 1;
      if (i < 0 || i >= MAX_SCENARIOS) problems.push({path: key, message: `not a slot number 1–${MAX_SCENARIOS}`});
      else if (others.has(i)) problems.push({path: key, message: "appears twice in the URL"});
      else others.set(i, value);
    } else own.append(key, value);
  }
  const active = (place ?? 1) - 1;
  if (others.has(active)) problems.push({path: slotKey(active), message: "names the edited slot, whose scenario is the URL's own keys"});
  const count = others.size + 1;
  for (let i = 0; i < count; i++) if (i !== active && !others.has(i)) problems.push({path: slotKey(i), message: "missing: slots are numbered without gaps"});
  if (problems.length) throw new ScenarioError(problems);
  return {queries: Array.from({length: count}, (_, i) => (i === active ? own.toString() : others.get(i)!)), active};
}

/** Marks a slots file (the frame around its scenarios) apart from a one-scenario file. */
export const SLOTS_FORMAT = "dpf-sandbox-scenarios";
/** Version of the slots file's frame (each scenario inside has its own). */
export const SLOTS_VERSION = 1;

/** The slots as a JSON file (下载全部方案): the frame and each scenario as a one-scenario file has it. */
export function slotsToJson(slots: Slots): string {
  const file = {format: SLOTS_FORMAT, version: SLOTS_VERSION, active: slots.active, scenarios: slots.scenarios.map((s) => scenarioSchema.parse(s))};
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** True for a parsed JSON value that is a slots file rather than one scenario. */
export function isSlotsFile(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as Record<string, unknown>).format === SLOTS_FORMAT;
}

/**
 * A parsed slots file split into its scenarios (not yet read) and the edited slot's index; a frame this
 * version cannot read is thrown as a ScenarioError.
 */
export function splitSlotsFile(file: Record<string, unknown>): {scenarios: unknown[]; active: number} {
  const {version, active, scenarios} = file;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) throw new ScenarioError([{path: "version", message: "missing or invalid version number"}]);
  if (version > SLOTS_VERSION) throw new ScenarioError([{path: "version", message: `version ${version} was made by a newer DPF Sandbox (this one reads up to ${SLOTS_VERSION})`}]);
  if (!Array.isArray(scenarios) || scenarios.length === 0 || scenarios.length > MAX_SCENARIOS)
    throw new ScenarioError([{path: "scenarios", message: `a slots file holds 1–${MAX_SCENARIOS} scenarios`}]);
  const index = typeof active === "number" && Number.isInteger(active) && active >= 0 && active < scenarios.length ? active : 0;
  return {scenarios, active: index};
}

/** The slots as text for the browser's session storage (so a reload keeps the comparison): the slots file. */
export const slotsToText = slotsToJson;

/** Slots read back from session storage; undefined when the text is not valid slots (then the page starts afresh). */
export function slotsFromText(text: string | null): Slots | undefined {
  if (!text) return undefined;
  try {
    const raw: unknown = JSON.parse(text);
    if (!isSlotsFile(raw)) return undefined;
    const {scenarios, active} = splitSlotsFile(raw);
    return {scenarios: scenarios.map((s) => migrateScenario(s).scenario), active};
  } catch {
    return undefined;
  }
}

/** Where the sandbox keeps this tab's slots (sessionStorage: per tab, gone with it). */
export const SANDBOX_STORAGE_KEY = "dpf-sandbox-slots";

/** The slots text the sandbox kept for this tab (the briefing composer offers its scenarios), or null. */
export function readSandboxSlots(): string | null {
  try {
    return sessionStorage.getItem(SANDBOX_STORAGE_KEY);
  } catch {
    return null;
  }
}
