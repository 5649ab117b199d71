import {z} from "zod";
import {column, dataset} from "./column.js";
import {isIsoDate} from "./isoDate.js";

/**
 * Provinces' own standards (本省现行标准) the sandbox's province choice puts in force: one row per
 * province and parameter, for the provinces whose table row gives one provincial amount (not tiers),
 * from data/reference/two_subsidies_standards_by_province.csv, with its quote and reliability.
 */
export const provinceStandardRow = z.object({
  province_code: column(z.string().regex(/^\d{6}$/), {zh: "省份代码", en: "Province code", description: "Six-digit administrative code of the province."}),
  province: column(z.string().min(1), {zh: "省份", en: "Province", description: "The province's name as the table writes it."}),
  parameter_id: column(z.string().min(1), {zh: "参数编号", en: "Parameter id", description: "The parameter the value replaces in the baseline, e.g. subsidy.poor_disabled.monthly."}),
  value: column(z.number().nonnegative(), {zh: "数值", en: "Value", unit: "CNY per person per month", description: "The province's standard."}),
  effective_date: column(z.string().refine(isIsoDate).nullable(), {zh: "生效日期", en: "Effective date", description: "ISO date the standard took effect (a year alone is read as 1 January); null where the table names none."}),
  source: column(z.string().min(1), {zh: "来源", en: "Source", description: "The reference table the value comes from."}),
  quote: column(z.string().min(1), {zh: "原文摘录", en: "Quote", description: "The table's quote of the province's document."}),
  reliability: column(z.string().min(1), {zh: "可靠性说明", en: "Reliability", description: "How far the value can be trusted (the table is a secondary compilation)."}),
});
export type ProvinceStandardRow = z.infer<typeof provinceStandardRow>;

export const provinceStandards = dataset({
  name: "province_standards",
  title: {zh: "各省现行标准（两项补贴）", en: "Provinces' current standards (two disability subsidies)"},
  description: "Each province's single provincial amount of the two disability subsidies, with its effective date, quote and reliability.",
  row: provinceStandardRow,
  sortKey: ["province_code", "parameter_id"],
});
