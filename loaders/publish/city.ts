import type {PersonRow} from "../../src/schemas/persons.js";
import type {PersonsCubeRow} from "../../src/schemas/personsCube.js";
import type {PersonsSummaryRow} from "../../src/schemas/personsSummary.js";
import type {UnitRow} from "../../src/schemas/units.js";

/**
 * The city every published city dataset is built from: the synthetic demo city 示例市, or the planner's
 * workbook when dpf.config.yaml (or DPF_CITY_WORKBOOK) names one — the same city loaders/city/loadCity.ts
 * gives the units and persons loaders.
 */
export interface PublishedCity {
  name: string;
  units: UnitRow[];
  persons: PersonRow[];
  /** True only when every unit is marked synthetic: then person-level rows may be published. */
  synthetic: boolean;
  /** The persons_cube the build publishes for a real city (from person rows or, for a counts city, from its counts). */
  cube?: readonly PersonsCubeRow[];
  /** The persons_summary a real city of person rows publishes, protected together with its cube. */
  summary?: readonly PersonsSummaryRow[];
}

let memo: Promise<PublishedCity> | null = null;

/** Loads the city once per process (several datasets of one loader run share it). */
export function publishedCity(): Promise<PublishedCity> {
  memo ??= (async () => {
    const {loadCity} = await import("../city/loadCity.js");
    const city = await loadCity();
    return {...cityOf(city.units, city.persons), ...(city.cube ? {cube: city.cube.rows} : {}), ...(city.summary ? {summary: city.summary} : {})};
  })();
  return memo;
}

/** A city's name (its city-level unit) and whether it is synthetic, from its rows. */
export function cityOf(units: UnitRow[], persons: PersonRow[]): PublishedCity {
  const city = units.find((u) => u.level === "city");
  return {name: city?.unit_name ?? "（未命名）", units, persons, synthetic: units.length > 0 && units.every((u) => u.synthetic)};
}
