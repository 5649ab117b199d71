import type {ScenarioProblem} from "./scenario.js";
import type {ParameterSet} from "./scenarioParameters.js";

/**
 * The planner's province (本省现行标准): a province's own standards, from the reference tables, in
 * place of the baseline's default (the demo city's documented default, 湖南省's guidance standard for
 * the two subsidies). Each value keeps its source and quote, so the sandbox shows where it comes from;
 * it is in force from the province's effective date (or the plan's first day where the table names none).
 */

/** One province's value of one parameter: a row of the `province_standards` dataset. */
export interface ProvinceStandard {
  province_code: string;
  province: string;
  parameter_id: string;
  value: number;
  /** ISO date the province's standard took effect; null where the table gives none. */
  effective_date: string | null;
  source: string;
  quote: string;
  reliability: string;
}

/** The provinces that have at least one standard, by code, each with its name. */
export function provinceChoices(standards: readonly ProvinceStandard[]): {code: string; name: string}[] {
  const names = new Map<string, string>();
  for (const s of standards) names.set(s.province_code, s.province);
  return [...names].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, name]) => ({code, name}));
}

/**
 * The parameters with a province's standards in force: each of its values replaces the parameter's values
 * from its effective date on (values before stay, for earlier years). An unknown province, or one whose
 * standard names a parameter the set does not hold, is a problem, and the baseline stays as it is.
 */
export function withProvince(base: ParameterSet, standards: readonly ProvinceStandard[], code: string, firstDay: string): {parameters: ParameterSet; problems: ScenarioProblem[]} {
  const own = standards.filter((s) => s.province_code === code);
  if (!own.length) return {parameters: base, problems: [{path: "province", message: `no standards known for province ${code}: the baseline's default standards are used`}]};
  const out = new Map(base);
  const problems: ScenarioProblem[] = [];
  for (const s of own) {
    const timeline = out.get(s.parameter_id);
    if (!timeline) {
      problems.push({path: "province", message: `province ${code}: unknown parameter ${s.parameter_id} is left as it is`});
      continue;
    }
    const date = s.effective_date ?? firstDay;
    const before = timeline.values.filter((v) => v.effective_date < date);
    out.set(s.parameter_id, {...timeline, values: [...before, {id: s.parameter_id, effective_date: date, value: s.value, source: s.source, quote: s.quote}]});
  }
  return {parameters: out, problems};
}
