import {findPreset, presetOverride} from "./presets.js";
import {fundingLevels, parameterIds, programmes as allProgrammes, type FundingLevel, type Programme} from "./programmes.js";
import {boundsProblems} from "./parameterBounds.js";
import {kindOf, parameterRoles, type RoleValues} from "./programmeKinds/index.js";
import {withProvince, type ProvinceStandard} from "./provinceStandards.js";
import {ScenarioError, type Scenario, type ScenarioProblem} from "./scenario.js";
import {overrideTimeline, valueOn, yearValue, type ParameterSet, type ParameterTimeline} from "./scenarioParameters.js";

/**
 * From a scenario to levers: the parameters it sets laid over the baseline, then for each simulated
 * year and programme the few numbers the cube recompute multiplies by (price, take-up, volume, target,
 * ramp). Pure TypeScript: the SQL never sees a parameter id, only these bound numbers.
 */

/**
 * The parameters a scenario runs with: baseline (with the scenario's province's standards, when it names
 * one and `provinces` holds them), then its presets in order, then its overrides. Throws a ScenarioError
 * when an override lies outside its parameter's bounds.
 */
export function scenarioParameters(base: ParameterSet, scenario: Scenario, provinces: readonly ProvinceStandard[] = []): {parameters: ParameterSet; problems: ScenarioProblem[]} {
  // A value outside its parameter's bounds is refused, not computed with (parameterBounds.ts).
  const refused = boundsProblems(scenario, base);
  if (refused.length) throw new ScenarioError(refused);
  const province = scenario.province ? withProvince(base, provinces, scenario.province, `${scenario.years[0]}-01-01`) : {parameters: base, problems: []};
  const out = new Map(province.parameters);
  const problems: ScenarioProblem[] = [...province.problems];
  const apply = (id: string, override: Parameters<typeof overrideTimeline>[1], path: string) => {
    const timeline = out.get(id);
    if (!timeline) problems.push({path, message: `unknown parameter ${id}: its override is ignored`});
    else out.set(id, overrideTimeline(timeline, override));
  };
  scenario.presets.forEach((presetId, i) => {
    const preset = findPreset(presetId);
    if (!preset) problems.push({path: `presets.${i}`, message: `unknown preset ${presetId}: ignored`});
    else
      for (const [id, change] of Object.entries(preset.changes)) {
        const timeline = out.get(id);
        const override = timeline && presetOverride(change, timeline, scenario.years[0]!);
        if (!timeline) problems.push({path: `presets.${i}`, message: `preset ${presetId}: unknown parameter ${id} is left as it is`});
        else if (override === undefined) problems.push({path: `presets.${i}`, message: `preset ${presetId}: ${id} has no value in force in ${scenario.years[0]} to raise`});
        else out.set(id, overrideTimeline(timeline, override));
      }
  });
  for (const [id, override] of Object.entries(scenario.overrides)) apply(id, override, `overrides.${id}`);
  return {parameters: out, problems};
}

/** The scenario's baseline: same years and province, no presets, no overrides. */
export function baselineOf(scenario: Scenario): Scenario {
  const base: Scenario = {version: scenario.version, name: "基线", baseYear: scenario.baseYear, years: [...scenario.years], overrides: {}, presets: []};
  return scenario.province ? {...base, province: scenario.province} : base;
}

/** Per year: how persons, residents and prices have grown since the base year, and the coverage ramp. */
export interface YearLevers {
  year: number;
  /** Disabled persons relative to the base year: Π (1 + population growth)(1 + prevalence change). */
  personVolume: number;
  personVolumePrev: number;
  /** Residents relative to the base year: Π (1 + population growth). */
  residentVolume: number;
  /** Prices relative to the base year: Π (1 + price index rate); applies to unit costs only. */
  priceFactor: number;
  /** Share of a coverage gap closed by the end of the year (linear to the target year), and the year before. */
  ramp: number;
  rampPrev: number;
  targetYear: number;
  /** Funding shares by level (sum 1). */
  fundingShares: Record<FundingLevel, number>;
}

/** Per year and programme: the numbers the SQL multiplies a base row by. */
export interface ProgrammeLevers {
  year: number;
  programme: string;
  /** Yuan per counted unit and year (cash: monthly × 12 × top-up; one-off: amount; targets: set-up cost). */
  price: number;
  /** unit_target: yuan per covered community per year. */
  running: number;
  /** cash and one_off: share of the counted who receive it. */
  share: number;
  /** person_target and unit_target: the rate to reach. */
  target: number;
  /** The year values behind `price`, `running`, `share` and `target`, by parameter id. */
  values: Record<string, number>;
}

export interface Levers {
  years: YearLevers[];
  programmes: ProgrammeLevers[];
}

function need(parameters: ParameterSet, id: string): ParameterTimeline {
  const timeline = parameters.get(id);
  if (!timeline) throw new Error(`the engine needs parameter ${id}, which the parameters table does not have`);
  return timeline;
}

/** Computes the levers of a scenario over its parameters (already resolved with scenarioParameters). */
export function computeLevers(parameters: ParameterSet, scenario: Scenario, progs: readonly Programme[] = allProgrammes): Levers {
  const value = (id: string, year: number) => yearValue(need(parameters, id), year);
  const firstYear = scenario.years[0]!;
  const targetYearValue = valueOn(need(parameters, parameterIds.targetYear), `${firstYear}-01-01`);
  if (!targetYearValue) throw new Error(`parameter ${parameterIds.targetYear} has no value in force on ${firstYear}-01-01`);
  const targetYear = Math.round(targetYearValue.value);
  const ramp = (year: number) => (targetYear <= scenario.baseYear ? 1 : Math.min(1, Math.max(0, (year - scenario.baseYear) / (targetYear - scenario.baseYear))));

  // Compound growth year by year from the base year, so a rate that changes over time is honoured.
  const lastYear = scenario.years.at(-1)!;
  const person = new Map<number, number>([[scenario.baseYear, 1]]);
  const resident = new Map<number, number>([[scenario.baseYear, 1]]);
  const price = new Map<number, number>([[scenario.baseYear, 1]]);
  for (let y = scenario.baseYear + 1; y <= lastYear; y++) {
    const growth = 1 + value(parameterIds.populationGrowth, y);
    resident.set(y, resident.get(y - 1)! * growth);
    person.set(y, person.get(y - 1)! * growth * (1 + value(parameterIds.prevalenceChange, y)));
    price.set(y, price.get(y - 1)! * (1 + value(parameterIds.priceIndex, y)));
  }

  const years: YearLevers[] = scenario.years.map((year) => ({
    year,
    personVolume: person.get(year)!,
    personVolumePrev: person.get(year - 1)!,
    residentVolume: resident.get(year)!,
    priceFactor: price.get(year)!,
    ramp: ramp(year),
    rampPrev: ramp(year - 1),
    targetYear,
    fundingShares: Object.fromEntries(fundingLevels.map((level) => [level, value(parameterIds.fundingShare(level), year)])) as Record<FundingLevel, number>,
  }));

  const programmeLevers: ProgrammeLevers[] = [];
  for (const y of years)
    for (const prog of progs) {
      const ids = prog.parameters;
      const values: Record<string, number> = {};
      const get = (id: string | undefined, year = y.year) => {
        if (id === undefined) return undefined;
        const v = value(id, year);
        values[id] = v;
        return v;
      };
      // Every role the programme names is read in one order (so `values` lists them alike), a target at
      // the target year while the ramp runs, then at the year itself; its kind turns them into levers.
      const read: RoleValues = {};
      for (const role of parameterRoles) {
        const v = get(ids[role], role === "target" ? Math.max(y.year, targetYear) : y.year);
        if (v !== undefined) read[role] = v;
      }
      const kindLevers = kindOf(prog).levers(read, y);
      programmeLevers.push({
        year: y.year,
        programme: prog.id,
        ...kindLevers,
        values,
      });
    }
  return {years, programmes: programmeLevers};
}
