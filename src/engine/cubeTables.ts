/** Tables of the scenario cube (cube.ts builds them; the programme kinds read them). */

/** community × category × grade × age band × person flags → persons. */
export const CUBE_TABLE = "scenario_cube";
/** community × programme → what the programme counts there. */
export const BASES_TABLE = "scenario_bases";
/** The linear programmes' base rows summed over communities (one row each). */
export const CITY_BASES_TABLE = "scenario_bases_city";
