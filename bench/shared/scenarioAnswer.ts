import type {Table} from "apache-arrow";
import {programmes, type Programme} from "../../src/engine/programmes.js";
import {resultRows, scenarioLevers, type LeverSums, type Model, type ScenarioRow} from "../../src/engine/runScenario.js";
import {baselineScenario, type Scenario} from "../../src/engine/scenario.js";
import type {Levers} from "../../src/engine/scenarioLevers.js";
import {parameterSetFromRows, type ParameterSet} from "../../src/engine/scenarioParameters.js";
import type {Cube} from "../../src/engine/cube.js";
import {plainColumn} from "./arrowColumns.js";

/**
 * The scenario workload as every contender runs it: the engine's own TypeScript turns a scenario into
 * levers and sums into result rows (scenarioLevers, resultRows); only the data-heavy middle — base
 * rows × levers → sums per year and programme — differs between contenders.
 */

export interface ScenarioWorkload {
  /** The one parameter a planner changes (a slider). */
  parameter: string;
  /** Its value in the checked run; warm repetitions move it by `step` each time, as a slider drag does. */
  value: number;
  step: number;
}

/** Baseline 2026–2030 with one parameter overridden. */
export function benchScenario(workload: ScenarioWorkload, repetition = 0): Scenario {
  return {...baselineScenario("bench"), overrides: {[workload.parameter]: workload.value + repetition * workload.step}};
}

/** The parameters table (Arrow) as the engine's timelines, as loadParameters reads it from DuckDB. */
export function parameterSetFromArrow(table: Table): ParameterSet {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => plainColumn(table.getChild(n)!));
  const rows = Array.from({length: table.numRows}, (_, i) => {
    const row: Record<string, unknown> = {};
    names.forEach((n, j) => (row[n] = columns[j]![i]));
    return {...row, effective_date: String(row.effective_date).slice(0, 10), value: Number(row.value), quote: (row.quote as string | null) ?? null};
  });
  return parameterSetFromRows(rows as never);
}

export function benchModel(cube: Cube, parameters: ParameterSet, progs: readonly Programme[] = programmes): Model {
  return {cube, parameters, programmes: progs};
}

/** A scenario run with a contender's sums: levers (engine) → sums (contender) → rows (engine). */
export function scenarioWithSums(model: Model, scenario: Scenario, sums: (sets: readonly Levers[]) => LeverSums[]): {sums: LeverSums[]; rows: ScenarioRow[]} {
  const {levers, baselineLevers} = scenarioLevers(model, scenario);
  const s = sums([baselineLevers, levers]);
  return {sums: s, rows: resultRows(model, levers, s).rows};
}

/** What is compared across contenders: the cube's totals and the result rows a page shows. */
export interface ScenarioAnswer {
  cube: Pick<Cube, "residents" | "persons" | "communities" | "orphanPersons">;
  rows: Pick<ScenarioRow, "year" | "programme" | "level" | "cost_yuan" | "baseline_cost_yuan" | "beneficiaries" | "newly_covered" | "per_resident_yuan">[];
}

export function scenarioAnswer(cube: Cube, rows: readonly ScenarioRow[]): ScenarioAnswer {
  const key = (r: ScenarioRow) => `${r.year}|${r.programme}|${r.level}`;
  return {
    cube: {residents: cube.residents, persons: cube.persons, communities: cube.communities, orphanPersons: cube.orphanPersons},
    rows: [...rows]
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
      .map((r) => ({
        year: r.year,
        programme: r.programme,
        level: r.level,
        cost_yuan: r.cost_yuan,
        baseline_cost_yuan: r.baseline_cost_yuan,
        beneficiaries: r.beneficiaries,
        newly_covered: r.newly_covered,
        per_resident_yuan: r.per_resident_yuan,
      })),
  };
}
