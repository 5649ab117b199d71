import {z} from "zod";
import {column, dataset} from "./column.js";
import {isIsoDate} from "./isoDate.js";

export {isIsoDate} from "./isoDate.js";

/**
 * Policy parameters (政策参数) as dated data, in the style of OpenFisca/PolicyEngine: one YAML file per
 * parameter (data/parameters/<folder>/<rest of id>.yaml), values keyed by effective date, a reference
 * per value date. This module holds the file schema, the rules a file must follow that need nothing but
 * the file itself, and the row schema of the compiled `parameters` dataset. Rules that need the file
 * system (file name, unique ids, source exists, quote found) live in loaders/parameters/.
 */

export const parameterKinds = ["standard", "target", "assumption"] as const;
export type ParameterKind = (typeof parameterKinds)[number];

/** How often an amount is paid or counted; `none` for rates, shares, areas and counts. */
export const parameterPeriods = ["month", "year", "one_off", "none"] as const;
export type ParameterPeriod = (typeof parameterPeriods)[number];

/**
 * How firm a plan target is (指标属性): binding (约束性, the government commits to it) or expected (预期性,
 * a direction to work towards), as the five-year plans' indicator tables mark each one.
 */
export const targetAttributes = ["binding", "expected"] as const;
export type TargetAttribute = (typeof targetAttributes)[number];

/**
 * What a dated value of a plan indicator is: the level reached in a plan's base year (`baseline`, e.g. the
 * 2020 column of the 14th plan's table) or the level to reach by `target_year` (`target`).
 */
export const valueRoles = ["baseline", "target"] as const;
export type ValueRole = (typeof valueRoles)[number];

/** The source of a reference that no document supports; such a reference must say how the value was chosen. */
export const ASSUMPTION_SOURCE = "assumption";

const isoDate = z.string().refine(isIsoDate, {message: "rule iso-date: not a calendar date written YYYY-MM-DD"});

export const parameterReference = z
  .object({
    /** A file name in data/sources/ or data/reference/, or "assumption". */
    source: z.string().min(1),
    /** Exact text of the source (original script); pinyin annotations like `(lián)` may be left out. */
    quote: z.string().min(1).optional(),
    /** How the effective date was chosen when the source gives no exact date. */
    date_note: z.string().min(1).optional(),
    /** How an assumed or derived value was chosen. */
    note: z.string().min(1).optional(),
    /** The note in Chinese, as the pages show it (the English note stays for researchers). */
    note_zh: z.string().min(1).optional(),
    /** Plan indicators: whether the value is the plan's base-year level or its target. */
    role: z.enum(valueRoles).optional(),
    /** Plan indicators: the year the value describes (baseline) or is to be reached by (target). */
    target_year: z.number().int().min(2000).max(2100).optional(),
  })
  .strict();
export type ParameterReference = z.infer<typeof parameterReference>;

const parameterId = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, {message: "rule id-format: a dotted path of lower-case snake_case parts, e.g. subsidy.dibao.urban_monthly"});

/** One parameter file as written in YAML, before the rules that relate its fields. */
export const parameterFileShape = z
  .object({
    id: parameterId,
    kind: z.enum(parameterKinds),
    label: z.object({zh: z.string().regex(/\p{Script=Han}/u, {message: "rule label-zh: the Chinese label has no Chinese characters"}), en: z.string().min(1)}).strict(),
    unit: z.string().min(1),
    period: z.enum(parameterPeriods),
    /** Plan indicators only: binding (约束性) or expected (预期性). */
    attribute: z.enum(targetAttributes).optional(),
    description: z.string().min(1),
    last_checked: isoDate,
    values: z.record(isoDate, z.number()),
    references: z.record(isoDate, parameterReference),
  })
  .strict();

/** A rule a parameter file broke: which key, which rule, and what a person should fix. */
export interface ParameterRuleProblem {
  /** Dotted path inside the file, e.g. `references.2013-01-01.quote`; `(file)` for the whole file. */
  key: string;
  rule: string;
  message: string;
}

/** The period a unit implies: "… per month" → month, "… per year" → year, anything else → one_off or none. */
export function periodOfUnit(unit: string): "month" | "year" | null {
  if (/\bper month$/.test(unit.trim())) return "month";
  if (/\bper year$/.test(unit.trim())) return "year";
  return null;
}

/** True for units holding a share 0–1 (60% is written 0.6). */
export function isShareUnit(unit: string): boolean {
  return /^share 0[–-]1\b/.test(unit.trim());
}

/**
 * The rules that relate a file's fields to each other. Each problem names its key and rule, so an error
 * message can say "references.2013-01-01: rule reference-per-date".
 */
export function parameterFileRules(file: z.infer<typeof parameterFileShape>): ParameterRuleProblem[] {
  const problems: ParameterRuleProblem[] = [];
  const valueDates = Object.keys(file.values);
  const referenceDates = Object.keys(file.references);

  if (valueDates.length === 0) problems.push({key: "values", rule: "values-present", message: "a parameter needs at least one dated value"});
  for (const [key, dates] of [["values", valueDates], ["references", referenceDates]] as const)
    for (let i = 1; i < dates.length; i++)
      if (dates[i] <= dates[i - 1])
        problems.push({key: `${key}.${dates[i]}`, rule: "dates-ascending", message: `${dates[i]} follows ${dates[i - 1]}: effective dates must be ISO dates in ascending order`});

  for (const date of valueDates)
    if (!(date in file.references)) problems.push({key: `references.${date}`, rule: "reference-per-date", message: `the value dated ${date} has no reference (source and quote)`});
  for (const date of referenceDates)
    if (!(date in file.values)) problems.push({key: `references.${date}`, rule: "reference-per-date", message: `the reference dated ${date} has no value of the same date`});

  const implied = periodOfUnit(file.unit);
  if (implied && file.period !== implied)
    problems.push({key: "period", rule: "period-unit", message: `unit "${file.unit}" is an amount per ${implied} but period is ${file.period}`});
  if (!implied && (file.period === "month" || file.period === "year"))
    problems.push({key: "period", rule: "period-unit", message: `period ${file.period} needs a unit ending "per ${file.period}", got "${file.unit}"`});
  if (isShareUnit(file.unit) && file.period !== "none")
    problems.push({key: "period", rule: "period-unit", message: `a share has period none, got ${file.period}`});

  if (isShareUnit(file.unit))
    for (const [date, value] of Object.entries(file.values))
      if (value < 0 || value > 1) problems.push({key: `values.${date}`, rule: "share-range", message: `${value} is not a share 0–1 (write 60% as 0.6)`});

  if (file.attribute && file.kind !== "target") problems.push({key: "attribute", rule: "attribute-kind", message: `only a target has an attribute (binding/expected); this is a ${file.kind}`});
  for (const [date, ref] of Object.entries(file.references)) {
    const key = `references.${date}`;
    if ((ref.role === undefined) !== (ref.target_year === undefined))
      problems.push({key: `${key}.role`, rule: "role-year", message: "role and target_year go together: a plan value says both what it is (baseline/target) and its year"});
    if (ref.role && file.kind !== "target") problems.push({key: `${key}.role`, rule: "attribute-kind", message: `only a target's values have a role (baseline/target); this is a ${file.kind}`});
    if (ref.source === ASSUMPTION_SOURCE) {
      if (file.kind !== "assumption") problems.push({key: `${key}.source`, rule: "assumption-kind", message: `only kind assumption may cite source "assumption"; this is a ${file.kind}`});
      if (!ref.note) problems.push({key: `${key}.note`, rule: "assumption-note", message: "a value with source \"assumption\" needs a note saying how it was chosen"});
      if (!ref.note_zh) problems.push({key: `${key}.note_zh`, rule: "assumption-note-zh", message: "a value with source \"assumption\" needs its note in Chinese (note_zh): the pages show it to planners"});
    } else if (!ref.quote) {
      problems.push({key: `${key}.quote`, rule: "quote-required", message: `a reference to ${ref.source} needs the exact quote that supports the value`});
    }
  }
  return problems;
}

/** A parameter file that passed the shape and the rules above. */
export const parameterFile = parameterFileShape.superRefine((file, ctx) => {
  for (const problem of parameterFileRules(file))
    ctx.addIssue({code: "custom", path: problem.key.split("."), message: `rule ${problem.rule}: ${problem.message}`});
});
export type ParameterFile = z.infer<typeof parameterFile>;

/** One row per parameter and effective date: the `parameters` dataset. */
export const parameterRow = z.object({
  id: column(parameterId, {zh: "参数编号", en: "Parameter id", description: "Dotted path naming the parameter, e.g. subsidy.dibao.urban_monthly; the engine reads values by this id."}),
  kind: column(z.enum(parameterKinds), {zh: "参数类型", en: "Kind", description: "standard (a benefit or funding standard in force), target (a plan target) or assumption (a modelling choice)."}),
  label_zh: column(z.string().min(1), {zh: "中文名称", en: "Label (Chinese)", description: "Name of the parameter in Chinese, as shown in the UI."}),
  label_en: column(z.string().min(1), {zh: "英文名称", en: "Label (English)", description: "Name of the parameter in English."}),
  unit: column(z.string().min(1), {zh: "单位", en: "Unit", description: "Unit of the value, e.g. \"CNY per person per month\", \"share 0–1\" (60% is 0.6), \"m²\"."}),
  period: column(z.enum(parameterPeriods), {zh: "周期", en: "Period", description: "month, year, one_off, or none for rates, shares, areas and counts; agrees with the unit."}),
  effective_date: column(isoDate, {zh: "生效日期", en: "Effective date", description: "ISO date from which the value is in force, until the parameter's next effective date."}),
  value: column(z.number(), {zh: "数值", en: "Value", description: "The value in the parameter's unit; shares are 0–1."}),
  source: column(z.string().min(1), {zh: "来源", en: "Source", description: "File in data/sources/ or data/reference/ supporting the value, or \"assumption\"."}),
  quote: column(z.string().nullable(), {zh: "原文摘录", en: "Quote", description: "Exact text of the source supporting the value (pinyin annotations removed); null for assumptions without a source."}),
  date_note: column(z.string().nullable(), {zh: "日期说明", en: "Date note", description: "How the effective date was chosen where the source gives no exact date; null when the source dates the value."}),
  note: column(z.string().nullable(), {zh: "说明（英文）", en: "Note", description: "How an assumed or derived value was chosen, or a caveat on the source."}),
  note_zh: column(z.string().nullable(), {zh: "说明", en: "Note (Chinese)", description: "The note in Chinese, as the pages show it; required for assumed values."}),
  attribute: column(z.enum(targetAttributes).nullable(), {zh: "指标属性", en: "Attribute", description: "Plan indicators: binding (约束性) or expected (预期性), as the plan's table marks it; null for other parameters."}),
  role: column(z.enum(valueRoles).nullable(), {zh: "基线或目标", en: "Role", description: "Plan indicators: baseline (the level in the plan's base year) or target (the level to reach by target_year); null for other parameters."}),
  target_year: column(z.number().int().nullable(), {zh: "目标年份", en: "Target year", description: "Plan indicators: the year a baseline describes or a target is to be reached by (2025 for the 14th plan); null for other parameters. A target used for a later year is an assumption that it continues."}),
  description: column(z.string().min(1), {zh: "参数说明", en: "Description", description: "What the parameter means, from its YAML file."}),
  last_checked: column(isoDate, {zh: "核对日期", en: "Last checked", description: "ISO date on which the parameter was last checked against its sources."}),
  file: column(z.string().min(1), {zh: "参数文件", en: "Parameter file", description: "Path of the YAML file the row comes from, relative to the repository, e.g. data/parameters/subsidy/dibao.urban_monthly.yaml."}),
});
export type ParameterRow = z.infer<typeof parameterRow>;

export const parameters = dataset({
  name: "parameters",
  title: {zh: "政策参数（标准、目标与假设）", en: "Policy parameters (standards, targets and assumptions)"},
  description: "One row per parameter and effective date, compiled from data/parameters/**/*.yaml, each value with its source and quote.",
  row: parameterRow,
  sortKey: ["id", "effective_date"],
});
