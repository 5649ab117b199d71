import {z} from "zod";
import {column, dataset} from "./column.js";

/**
 * National and provincial reference figures (全国及分省参考数据) from data/reference/*.csv in one long
 * table: one row per figure (a cell of a source table), with the source, its type and its reliability
 * kept, so the UI can show where each number comes from and how far to trust it.
 */

/** The reference tables, by file name without `.csv`. */
export const referenceTables = [
  "cdpf_national_stats",
  "second_disability_survey_2006",
  "population_province_census2020",
  "two_subsidies_standards_by_province",
  "national_plan_14th",
  "national_outturns",
] as const;
export type ReferenceTable = (typeof referenceTables)[number];

/**
 * How the value is written: a plain number (`exact`), `约`/`近` (approximate), `>`/`>=`/`over`
 * (lower_bound), words or several amounts that are no single number (`text`), or nothing: an empty cell
 * or a remark such as `(not found)` (`missing`).
 */
export const valueQualifiers = ["exact", "approximate", "lower_bound", "text", "missing"] as const;
export type ValueQualifier = (typeof valueQualifiers)[number];

/** official: the publisher's own release; secondary: a repost, mirror or compilation; low: flagged doubtful. */
export const reliabilityLevels = ["official", "secondary", "low"] as const;
export type ReliabilityLevel = (typeof reliabilityLevels)[number];

export const referenceRow = z.object({
  table: column(z.enum(referenceTables), {zh: "来源表", en: "Table", description: "The CSV file in data/reference/ the figure comes from, without .csv."}),
  source_row: column(z.number().int().positive(), {zh: "来源行号", en: "Source row", description: "1-based data row of the CSV file (header not counted)."}),
  source_column: column(z.string().min(1), {zh: "来源列", en: "Source column", description: "Column of the CSV file holding the value, e.g. value, share_pct, population_2020."}),
  indicator_zh: column(z.string().min(1), {zh: "指标", en: "Indicator (Chinese)", description: "What is counted, in Chinese, as the table names it."}),
  indicator_en: column(z.string().nullable(), {zh: "指标（英文）", en: "Indicator (English)", description: "What is counted, in English, where the table gives it; null otherwise."}),
  category: column(z.string().nullable(), {zh: "类别", en: "Category", description: "Disability category or group the figure is about (视力, 60+, 农村, …) where the table gives one."}),
  region: column(z.string().min(1), {zh: "地区", en: "Region", description: "Region as written: 全国, a province, or 现役军人 (servicemen, not allocated to provinces)."}),
  region_code: column(z.string().regex(/^\d{6}$/).nullable(), {zh: "地区代码", en: "Region code", description: "Six-digit administrative code of the province (000000 for the nation); null where the table gives none."}),
  year: column(z.number().int().min(1900).max(2100).nullable(), {zh: "年份", en: "Year", description: "Year the figure refers to or takes effect, read from the period; null where the period names no year."}),
  period: column(z.string().nullable(), {zh: "时期（原文）", en: "Period as written", description: "Date or period exactly as the table writes it, e.g. 2018-03, 2021-Q2, unknown (post-2019)."}),
  value: column(z.number().nullable(), {zh: "数值", en: "Value", description: "The number in the unit; for approximate and lower-bound figures the number written; null where the cell is no single number."}),
  value_text: column(z.string(), {zh: "数值（原文）", en: "Value as written", description: "The cell exactly as written, e.g. >900, 约1030, 110 (省级指导标准)."}),
  value_qualifier: column(z.enum(valueQualifiers), {zh: "数值性质", en: "Value qualifier", description: "exact, approximate (约/近), lower_bound (>, >=), text (no single number) or missing."}),
  unit: column(z.string().min(1).nullable(), {zh: "单位", en: "Unit", description: "Unit as the table gives it: 万人, 个, 人, %, 元/人/月, …; null where the table gives none for a missing value."}),
  source: column(z.string().min(1).nullable(), {zh: "来源", en: "Source", description: "Where the table's row was taken from (usually a URL); null where the table found no figure to cite."}),
  source_quote: column(z.string().nullable(), {zh: "来源原文", en: "Source quote", description: "The text of the source the figure was read from."}),
  source_type: column(z.string().nullable(), {zh: "来源类型", en: "Source type", description: "What kind of publication the source is (official release, repost, mirror, compilation)."}),
  document: column(z.string().nullable(), {zh: "政策文件", en: "Policy document", description: "Number or title of the policy document a standard comes from (two-subsidies table), or the Chinese title of the page a national figure is quoted from (national plan and outturn tables)."}),
  cited_url: column(z.string().nullable(), {zh: "引用的官方网址", en: "Official URL cited", description: "Official page a secondary compilation cites for the figure (not checked)."}),
  reliability_level: column(z.enum(reliabilityLevels), {zh: "可靠性等级", en: "Reliability level", description: "official (publisher's own release), secondary (repost, mirror, compilation) or low (flagged doubtful)."}),
  reliability: column(z.string().min(1), {zh: "可靠性说明", en: "Reliability", description: "Reliability note: the table's own where it has one, else how the table was sourced and any flag on the row."}),
  note: column(z.string().nullable(), {zh: "备注", en: "Note", description: "The table's note on the row (conversions, caveats, what a share is a share of)."}),
});
export type ReferenceRow = z.infer<typeof referenceRow>;

export const reference = dataset({
  name: "reference",
  title: {zh: "全国及分省参考数据", en: "National and provincial reference figures"},
  description: "CDPF statistics 2014–2022, the 2006 disability survey, the 2020 census by province, provincial standards of the two disability subsidies, the 14th five-year plan's national indicators (2020 baseline, 2025 target) and the latest national outturns (2024 bulletin, 2025-07-22 briefing), one row per figure with source and reliability.",
  row: referenceRow,
  sortKey: ["table", "source_row", "source_column"],
});
