/**
 * The person dimensions the cube counts by (persons_cube, src/schemas/personsCube.ts) and the programmes
 * select on (src/engine/programmes.ts): age bands and person flags. Here, beside the schemas, so a schema
 * does not import the engine.
 */

/** Age bands of the cube: pre-school, compulsory schooling (6–15), upper secondary, college age, working age, old age. */
export const ageBands = ["0-5", "6-15", "16-17", "18-22", "23-59", "60+"] as const;
export type AgeBand = (typeof ageBands)[number];
/** Lower bound of each age band, in years, in the order above. */
export const ageBandStarts: Record<AgeBand, number> = {"0-5": 0, "6-15": 6, "16-17": 16, "18-22": 18, "23-59": 23, "60+": 60};

/** Person flags the cube counts (true only; null and false both count as "not"). */
export const personFlags = [
  "dibao_eligible",
  "dibao_recipient",
  "wubao_recipient",
  "poor_subsidy_recipient",
  "severe_subsidy_recipient",
  "rehab_need",
  "screened",
  "archived",
  "enrolled",
] as const;
export type PersonFlag = (typeof personFlags)[number];
