import {checkScenario, ScenarioError, scenarioFromJson, scenarioFromQuery, type MigrationOptions, type Scenario} from "../engine/scenario.js";
import {problemZh} from "./scenarioFormat.js";

/**
 * Reading a scenario a planner brings in — a JSON file (上传方案) or a shared URL — into what the page
 * shows: the scenario and the notes on it (migrations, ids this version does not know), or the reasons
 * it cannot be read, all in Chinese. Pure: no DOM.
 */

/** Ids the page knows, to report a scenario's unknown parameters and presets. */
export interface KnownIds {
  parameterIds: Iterable<string>;
  presetIds: Iterable<string>;
}

export type ScenarioReading = {ok: true; scenario: Scenario; notes: string[]} | {ok: false; errors: string[]};

function read(parse: () => {scenario: Scenario; notes: {path: string; message: string}[]}, known: KnownIds): ScenarioReading {
  try {
    const {scenario, notes} = parse();
    return {ok: true, scenario, notes: [...notes, ...checkScenario(scenario, known)].map(problemZh)};
  } catch (error) {
    if (error instanceof ScenarioError) return {ok: false, errors: error.problems.map(problemZh)};
    return {ok: false, errors: [`无法读取方案：${(error as Error).message}`]};
  }
}

/** A scenario file's text (上传的 .json 文件). */
export function readScenarioFile(text: string, known: KnownIds, options: MigrationOptions = {}): ScenarioReading {
  if (text.trim() === "") return {ok: false, errors: ["文件是空的，没有方案内容。"]};
  return read(() => scenarioFromJson(text, options), known);
}

/** A page URL's query string (`?v=1&…`); an empty query is no scenario (undefined). */
export function readScenarioQuery(query: string, known: KnownIds, options: MigrationOptions = {}): ScenarioReading | undefined {
  if (query.replace(/^\?/, "") === "") return undefined;
  return read(() => scenarioFromQuery(query, options), known);
}

/** A file name for a scenario's download: its name without characters file systems refuse. */
export function scenarioFileName(scenario: Scenario): string {
  const name = scenario.name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_").trim().slice(0, 60);
  return `预算方案-${name || "未命名"}.json`;
}
