/**
 * The demo city (示例市): a synthetic, calibrated fictional city — units (city → districts →
 * streets/towns → communities/villages) and its registered disabled persons. See data/demo-city/README.md.
 */
import type {PersonRow} from "../../src/schemas/persons.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {NodeDuckDB} from "../duckdbNode.js";
import {citySize, loadDemoCityConfig, type DemoCityConfig} from "./config.js";
import {createPersonsTable} from "./persons.js";
import {generateUnits} from "./units.js";

export {citySize, loadDemoCityConfig, registeredShare, type CitySize, type DemoCityConfig} from "./config.js";
export {generateUnits, type CommunityPlan, type GeneratedUnits} from "./units.js";
export {createPersonsTable} from "./persons.js";

/** How big a city to generate: the config's city by default (see `citySize`). */
export interface SizeRequest {
  persons?: number;
  units?: number;
}

/**
 * Generates the demo city as rows: every unit and every person. For the demo size (tens of thousands
 * of persons); at benchmark scale use `writeDemoCity`, which never builds person objects.
 */
export async function generateDemoCity(config: DemoCityConfig = loadDemoCityConfig(), request: SizeRequest = {}): Promise<{units: UnitRow[]; persons: PersonRow[]}> {
  const {units, plan} = generateUnits(config, citySize(config, request));
  const db = await NodeDuckDB.open();
  try {
    await createPersonsTable(db, config, plan);
    const persons = await db.query<PersonRow>("SELECT * FROM persons ORDER BY person_id");
    return {units, persons};
  } finally {
    db.close();
  }
}

/**
 * The units a Framework data loader publishes (`src/data/units.*.ts`): today the demo city; later a
 * planner's own workbook when one is configured.
 */
export function loadUnits(config: DemoCityConfig = loadDemoCityConfig()): UnitRow[] {
  return generateUnits(config).units;
}

/** The persons a Framework data loader publishes (`src/data/persons.*.ts`): the demo city's. */
export async function loadPersons(config: DemoCityConfig = loadDemoCityConfig()): Promise<PersonRow[]> {
  return (await generateDemoCity(config)).persons;
}
