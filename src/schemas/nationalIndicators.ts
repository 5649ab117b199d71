import {z} from "zod";
import {column, dataset} from "./column.js";
import {targetAttributes} from "./parameters.js";

/**
 * The national plan's main indicators as the overview shows them (全国“十四五”主要指标): one row per
 * indicator with its 2020 baseline, 2025 target and the latest national outturn, each with the page it
 * is quoted from. Joined from data/reference/national_plan_14th.csv, national_outturns.csv and the
 * `target.national.*` parameters by loaders/reference/nationalIndicators.ts.
 */
const text = (zh: string, en: string, description: string) => column(z.string().min(1), {zh, en, description});
const optionalText = (zh: string, en: string, description: string) => column(z.string().min(1).nullable(), {zh, en, description});

export const nationalIndicatorRow = z.object({
  no: column(z.number().int().min(1), {zh: "序号", en: "No.", description: "The indicator's number in the plan's table (1–11)."}),
  indicator_zh: text("指标", "Indicator", "The indicator as the plan's table names it."),
  attribute: column(z.enum(targetAttributes), {zh: "指标属性", en: "Attribute", description: "binding (约束性) or expected (预期性)."}),
  attribute_zh: text("属性", "Attribute (Chinese)", "约束性 or 预期性."),
  baseline_text: text("2020年基线", "2020 baseline", "The 2020 value as written with its unit, or — where no national value was found."),
  target_text: text("2025年目标", "2025 target", "The 2025 target as written with its unit (>85% is a lower bound), or a note that none was found."),
  plan_source: text("指标来源网址", "Plan source URL", "The page the plan's row is quoted from."),
  plan_source_title: text("指标来源", "Plan source", "That page's title in Chinese."),
  plan_quote: text("指标原文", "Plan quote", "The row of the plan's table as the page gives it (cells joined by spaces)."),
  plan_note: optionalText("指标说明", "Plan note", "Caveats on the row: local values in a city's copy, what was not found."),
  parameter_id: optionalText("参数编号", "Parameter id", "The target.national.* parameter holding the values; null where the target is no number."),
  later_years_zh: optionalText("2026–2030年", "2026–2030", "What the engine reads for 2026–2030: the 2025 target continued, named as an assumption; null without a parameter."),
  outturn_text: text("最新进展", "Latest outturn", "The latest national figure as written with its unit."),
  outturn_period: text("进展时期", "Outturn period", "The date or period the outturn refers to, as written."),
  outturn_source: text("进展来源网址", "Outturn source URL", "The page the outturn is quoted from."),
  outturn_source_title: text("进展来源", "Outturn source", "That page's title in Chinese."),
  outturn_quote: text("进展原文", "Outturn quote", "The sentence the outturn is read from."),
  outturn_note: optionalText("进展说明", "Outturn note", "Caveats on the outturn (a lower bound, a count rather than a rate)."),
});
export type NationalIndicatorRow = z.infer<typeof nationalIndicatorRow>;

export const nationalIndicators = dataset({
  name: "national_indicators",
  title: {zh: "全国“十四五”残疾人保障和发展主要指标", en: "National 14th five-year plan indicators for disabled persons"},
  description: "The 11 main indicators of 国发〔2021〕10号: 2020 baseline, 2025 target, attribute, latest outturn, each with its source.",
  row: nationalIndicatorRow,
  sortKey: ["no"],
});
