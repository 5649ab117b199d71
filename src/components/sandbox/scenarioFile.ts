import {boundsProblems} from "../../engine/parameterBounds.js";
import {checkScenario, migrateScenario, ScenarioError, scenarioFromJson, scenarioFromQuery, type MigrationOptions, type Scenario} from "../../engine/scenario.js";
import type {ParameterSet} from "../../engine/scenarioParameters.js";
import {problemZh, type ParameterLabels} from "./scenarioFormat.js";
import {isSlotsFile, splitSlotsFile, splitSlotsQuery, type Slots} from "./scenarioState.js";

/**
 * Reading a scenario a planner brings in — a JSON file (上传方案) or a shared URL — into what the page
 * shows: the scenario and the notes on it (migrations, ids this version does not know), or the reasons
 * it cannot be read, all in Chinese. Pure: no DOM.
 */

/**
 * What the page knows: ids, to report a scenario's unknown parameters and presets; the parameters, to
 * refuse a value outside its bounds (parameterBounds.ts) and name parameters by their labels.
 */
export interface KnownIds {
  parameterIds: Iterable<string>;
  presetIds: Iterable<string>;
  parameters: ParameterSet;
}

export type ScenarioReading = {ok: true; scenario: Scenario; notes: string[]} | {ok: false; errors: string[]};

/** Runs a reading step; a ScenarioError (or anything else thrown) becomes its problems in Chinese. */
function attempt<T>(step: () => T, labels?: ParameterLabels): {ok: true; value: T} | {ok: false; errors: string[]} {
  try {
    return {ok: true, value: step()};
  } catch (error) {
    if (error instanceof ScenarioError) return {ok: false, errors: error.problems.map((p) => problemZh(p, labels))};
    return {ok: false, errors: [`无法读取方案：${(error as Error).message}`]};
  }
}

/** Parses, then refuses a value out of bounds; unknown ids are notes (kept, not computed with). */
function read(parse: () => {scenario: Scenario; notes: {path: string; message: string}[]}, known: KnownIds): ScenarioReading {
  const labels = known.parameters;
  const parsed = attempt(parse, labels);
  if (!parsed.ok) return parsed;
  const {scenario, notes} = parsed.value;
  const refused = boundsProblems(scenario, known.parameters);
  if (refused.length) return {ok: false, errors: refused.map((p) => problemZh(p, labels))};
  return {ok: true, scenario, notes: [...notes, ...checkScenario(scenario, known)].map((p) => problemZh(p, labels))};
}

/** All slots read from a URL or a slots file, with notes in Chinese (「方案 2：…」 when there are several). */
export type SlotsReading = {ok: true; slots: Slots; notes: string[]} | {ok: false; errors: string[]};

/**
 * Reads each slot's scenario on its own. A slot that cannot be read is left out and the notes say
 * why, so one broken scenario does not lose the others; the edited slot moves to the first one read
 * when its own cannot be. No slot read is a failure.
 */
function readSlots(parts: readonly (() => {scenario: Scenario; notes: {path: string; message: string}[]})[], active: number, known: KnownIds): SlotsReading {
  const label = (i: number) => (parts.length > 1 ? `方案 ${i + 1}：` : "");
  const scenarios: Scenario[] = [];
  const notes: string[] = [];
  const errors: string[] = [];
  let edited = 0;
  parts.forEach((part, i) => {
    const reading = read(part, known);
    if (reading.ok) {
      if (i === active) edited = scenarios.length;
      scenarios.push(reading.scenario);
      notes.push(...reading.notes.map((n) => label(i) + n));
    } else errors.push(...reading.errors.map((e) => label(i) + e));
  });
  if (scenarios.length === 0) return {ok: false, errors};
  const dropped = errors.length ? [`有 ${parts.length - scenarios.length} 个方案无法读取，已略去：`, ...errors] : [];
  return {ok: true, slots: {scenarios, active: edited}, notes: [...dropped, ...notes]};
}

/** A page URL's query string with every slot (`?v=1&…&slot=2&s1=…`); an empty query is no scenario (undefined). */
export function readSlotsQuery(query: string, known: KnownIds, options: MigrationOptions = {}): SlotsReading | undefined {
  if (query.replace(/^\?/, "") === "") return undefined;
  const split = attempt(() => splitSlotsQuery(query));
  if (!split.ok) return split;
  return readSlots(
    split.value.queries.map((q) => () => scenarioFromQuery(q, options)),
    split.value.active,
    known,
  );
}

/**
 * An uploaded file's text: one scenario (上传的方案替换正在编辑的方案) or a slots file of several
 * (替换全部方案), told apart by the slots file's `format`.
 */
export function readUploadedFile(text: string, known: KnownIds, options: MigrationOptions = {}): ({kind: "scenario"} & ScenarioReading) | ({kind: "slots"} & SlotsReading) {
  if (text.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: the one-scenario reader says so in Chinese.
    }
    if (isSlotsFile(parsed)) {
      const split = attempt(() => splitSlotsFile(parsed));
      if (!split.ok) return {kind: "slots", ...split};
      return {kind: "slots", ...readSlots(split.value.scenarios.map((raw) => () => migrateScenario(raw, options)), split.value.active, known)};
    }
  }
  return {kind: "scenario", ...readScenarioFile(text, known, options)};
}

/** A scenario file's text (上传的 .json 文件). */
export function readScenarioFile(text: string, known: KnownIds, options: MigrationOptions = {}): ScenarioReading {
  if (text.trim() === "") return {ok: false, errors: ["文件是空的，没有方案内容。"]};
  return read(() => scenarioFromJson(text, options), known);
}

/** A file name for a scenario's download: its name without characters file systems refuse. */
export function scenarioFileName(scenario: Scenario): string {
  const name = scenario.name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_").trim().slice(0, 60);
  return `预算方案-${name || "未命名"}.json`;
}

/** A file name for all slots' download: 「预算方案-全部-<names>.json」. */
export function slotsFileName(slots: Slots): string {
  const names = slots.scenarios.map((s) => s.name || "未命名").join("、");
  return scenarioFileName({...slots.scenarios[0]!, name: `全部-${names}`});
}
