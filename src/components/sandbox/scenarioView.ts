import type {Model, ScenarioResult} from "../../engine/runScenario.js";
import type {Scenario} from "../../engine/scenario.js";
import type {ParameterSet} from "../../engine/scenarioParameters.js";
import type {Slots} from "./scenarioState.js";

/**
 * What every view of the budget sandbox is given: the state after a recompute, and the actions it may
 * take. Views are built once and updated in place (inputs keep focus while a slider is dragged).
 */

export interface SandboxState {
  model: Model;
  slots: Slots;
  /** The scenario being edited. */
  scenario: Scenario;
  /** Its parameters (baseline, then presets, then overrides). */
  parameters: ParameterSet;
  /** Its result against the baseline. */
  result: ScenarioResult;
  /** The result of each slot, in slot order (undefined while one is still being computed). */
  results: readonly (ScenarioResult | undefined)[];
}

export interface SandboxActions {
  /** Changes the scenario being edited; the page recomputes and updates the URL. */
  edit(change: (scenario: Scenario) => Scenario): void;
  /** Changes the slots (duplicate, rename, remove, select). */
  slots(change: (slots: Slots) => Slots): void;
  /** Shows the formula of a programme's cost in a year. */
  explain(programme: string, year: number): void;
}

export interface SandboxView {
  element: HTMLElement;
  update(state: SandboxState): void;
}

/** Notes on a parameter value from the `parameters` table, by `id|effective_date` (assumptions' reasons). */
export type ParameterNotes = ReadonlyMap<string, {note: string | null; note_zh?: string | null; date_note: string | null; description?: string}>;

export const noteKey = (id: string, date: string) => `${id}|${date}`;
