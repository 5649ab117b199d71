import {z} from "zod";
import {column, dataset} from "./column.js";
import {disabilityCategories} from "./persons.js";

/**
 * Registered disabled persons counted per community × disability category × grade (持证残疾人分组汇总):
 * the published form of person-level data. For a planner's real city, small counts are suppressed
 * (loaders/publish/personsSummary.ts states the rule); the synthetic demo city is published in full.
 * A count column holds null where it was suppressed, and `suppressed` is true on that row.
 */

const count = (meta: {zh: string; en: string; description: string}) =>
  column(z.number().int().nonnegative().nullable(), {...meta, unit: "persons", description: `${meta.description} Null where suppressed.`});

export const personsSummaryRow = z.object({
  community_code: column(z.string().min(2), {zh: "社区代码", en: "Community code", description: "unit_code of the community/village (join with the units dataset for names and levels)."}),
  street_code: column(z.string().nullable(), {zh: "所属街道代码", en: "Street code", description: "Code of the street/town the community lies in; null if the community is not in units."}),
  district_code: column(z.string().nullable(), {zh: "所属区县代码", en: "District code", description: "Code of the district/county the community lies in; null if the community is not in units."}),
  category: column(z.enum(disabilityCategories), {zh: "残疾类别", en: "Disability category", description: "视力 visual, 听力 hearing, 言语 speech, 肢体 physical, 智力 intellectual, 精神 psychiatric, 多重 multiple."}),
  grade: column(z.number().int().min(1).max(4), {zh: "残疾等级", en: "Disability grade", description: "1 (most severe) to 4; grades 1–2 are 重度 (severe)."}),
  persons: count({zh: "持证残疾人数", en: "Registered disabled persons", description: "Persons of this category and grade in the community."}),
  screened: count({zh: "已筛查人数", en: "Screened", description: "Persons whose rehab needs were screened (screened = true)."}),
  screened_unknown: count({zh: "筛查状态未知人数", en: "Screening status unknown", description: "Persons whose screening status is unknown (screened = null); the screening rate leaves them out of its denominator."}),
  rehab_need: count({zh: "有康复需求人数", en: "With a rehab need", description: "Persons whose screening found a rehab need (rehab_need = true)."}),
  archived: count({zh: "已建档人数（有需求者中）", en: "Archived, among those with a need", description: "Persons with a rehab need for whom a rehab archive was opened (rehab_need and archived = true)."}),
  archived_unknown: count({zh: "建档状态未知人数（有需求者中）", en: "Archive status unknown, among those with a need", description: "Persons with a rehab need whose archive status is unknown (archived = null)."}),
  school_age: count({zh: "6–15 周岁人数", en: "Aged 6–15", description: "Persons of compulsory-education age, 6 to 15 years inclusive."}),
  enrolled: count({zh: "义务教育在学人数", en: "Enrolled, aged 6–15", description: "Persons aged 6–15 enrolled in compulsory education (enrolled = true)."}),
  enrolled_unknown: count({zh: "在学状态未知人数", en: "Enrolment unknown, aged 6–15", description: "Persons aged 6–15 whose enrolment is unknown (enrolled = null)."}),
  dibao_eligible: count({zh: "符合低保条件人数", en: "Eligible for subsistence allowance", description: "Persons in households below the subsistence (低保) line."}),
  dibao_recipient: count({zh: "享受低保人数（符合条件者中）", en: "Receiving subsistence allowance, among the eligible", description: "Eligible persons receiving the subsistence allowance (dibao_eligible and dibao_recipient = true)."}),
  dibao_recipient_unknown: count({zh: "低保状态未知人数（符合条件者中）", en: "Allowance status unknown, among the eligible", description: "Eligible persons whose allowance status is unknown (dibao_recipient = null)."}),
  wubao_recipient: count({zh: "五保/特困供养人数", en: "Receiving five-guarantee support", description: "Persons receiving five-guarantee (五保) / extreme-poverty support."}),
  poor_subsidy_recipient: count({zh: "享受困难残疾人生活补贴人数", en: "Receiving living subsidy", description: "Persons receiving the living subsidy for disabled persons in need."}),
  severe_subsidy_recipient: count({zh: "享受重度残疾人护理补贴人数", en: "Receiving nursing subsidy", description: "Persons receiving the nursing subsidy for severely disabled persons."}),
  suppressed: column(z.boolean(), {zh: "含抑制值", en: "Suppressed", description: "true when at least one count of this row was suppressed by the small-cell rule (always false for the synthetic demo city)."}),
  synthetic: column(z.boolean(), {zh: "合成数据", en: "Synthetic", description: "true for the fictional demo city (示例市); false for a planner's real data."}),
});
export type PersonsSummaryRow = z.infer<typeof personsSummaryRow>;

/** The count columns of the summary, in schema order. */
export const personsSummaryCounts = [
  "persons", "screened", "screened_unknown", "rehab_need", "archived", "archived_unknown", "school_age", "enrolled", "enrolled_unknown",
  "dibao_eligible", "dibao_recipient", "dibao_recipient_unknown", "wubao_recipient", "poor_subsidy_recipient", "severe_subsidy_recipient",
] as const satisfies readonly (keyof PersonsSummaryRow)[];
export type PersonsSummaryCount = (typeof personsSummaryCounts)[number];

export const personsSummary = dataset({
  name: "persons_summary",
  title: {zh: "持证残疾人分组汇总（社区 × 类别 × 等级）", en: "Registered disabled persons by community, category and grade"},
  description: "Counts of persons, screening, archives, schooling, subsistence allowance and subsidies per community × category × grade; small counts of a real city suppressed.",
  row: personsSummaryRow,
  sortKey: ["community_code", "category", "grade"],
});
