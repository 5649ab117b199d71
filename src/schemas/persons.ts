import {z} from "zod";
import {column, dataset} from "./column.js";
import {disabilityCategories} from "./disabilityCategories.js";

export {disabilityCategories, disabilityCategoryLabels, type DisabilityCategory} from "./disabilityCategories.js";

/**
 * One row per registered disabled person (持证残疾人) of the synthetic demo city. No names, no ID numbers:
 * a planner's real person-level data never reaches `dist/`, only small-cell-protected aggregates.
 * Status flags are null when the status is unknown, which the gap explorer shows as missing.
 */
export const personRow = z.object({
  person_id: column(z.number().int().nonnegative(), {zh: "人员序号", en: "Person number", description: "Row number within the dataset; not an identifier of a real person."}),
  community_code: column(z.string().min(2), {zh: "所属社区代码", en: "Community code", description: "unit_code of the community/village the person lives in."}),
  category: column(z.enum(disabilityCategories), {zh: "残疾类别", en: "Disability category", description: "视力 visual, 听力 hearing, 言语 speech, 肢体 physical, 智力 intellectual, 精神 psychiatric, 多重 multiple."}),
  grade: column(z.number().int().min(1).max(4), {zh: "残疾等级", en: "Disability grade", description: "1 (most severe) to 4; grades 1–2 are 重度 (severe)."}),
  age: column(z.number().int().min(0).max(120), {zh: "年龄", en: "Age", unit: "years", description: "Age in completed years on the reference date."}),
  rehab_need: column(z.boolean().nullable(), {zh: "有康复需求", en: "Has a rehab need", description: "Screening found a rehab need; null when not screened."}),
  screened: column(z.boolean().nullable(), {zh: "已做康复需求筛查", en: "Rehab needs screened", description: "Person's rehab needs were screened (康复需求筛查)."}),
  archived: column(z.boolean().nullable(), {zh: "已建康复档案", en: "Rehab archive opened", description: "A rehab service archive (康复服务档案) was opened for the person."}),
  enrolled: column(z.boolean().nullable(), {zh: "义务教育在学", en: "Enrolled in compulsory education", description: "For ages 6–15: enrolled in compulsory education; null otherwise."}),
  dibao_eligible: column(z.boolean().nullable(), {zh: "符合低保条件", en: "Eligible for subsistence allowance", description: "Household income below the local subsistence (低保) line; null when not reported (a certificate-system export has no such column)."}),
  dibao_recipient: column(z.boolean().nullable(), {zh: "享受低保", en: "Receives subsistence allowance", description: "Receives the subsistence allowance (最低生活保障)."}),
  wubao_recipient: column(z.boolean().nullable(), {zh: "五保/特困供养", en: "Receives five-guarantee support", description: "Receives five-guarantee (五保) / extreme-poverty support."}),
  poor_subsidy_recipient: column(z.boolean().nullable(), {zh: "享受困难残疾人生活补贴", en: "Receives living subsidy for poor disabled persons", description: "Receives the living subsidy for disabled persons in need (困难残疾人生活补贴)."}),
  severe_subsidy_recipient: column(z.boolean().nullable(), {zh: "享受重度残疾人护理补贴", en: "Receives nursing subsidy for severely disabled", description: "Receives the nursing subsidy for severely disabled persons (重度残疾人护理补贴)."}),
  rehab_served: column(z.boolean().nullable(), {zh: "已接受基本康复服务", en: "Received basic rehab services", description: "Received basic rehabilitation services (基本康复服务) this year; null when unknown or the person has no known rehab need."}),
  device_need: column(z.boolean().nullable(), {zh: "有辅助器具适配需求", en: "Needs an assistive device", description: "Screening found a need for an assistive device (辅助器具适配需求); null when not screened."}),
  device_fitted: column(z.boolean().nullable(), {zh: "已适配辅助器具", en: "Assistive device fitted", description: "An assistive device was fitted (辅助器具适配); null when unknown or the person has no known device need."}),
  poor_subsidy_eligible: column(z.boolean().nullable(), {zh: "符合困难残疾人生活补贴条件", en: "Eligible for the living subsidy", description: "Eligible for the living subsidy for disabled persons in need (in a 低保 or 特困 household, or as the province extends it); null when not reported."}),
  severe_subsidy_eligible: column(z.boolean().nullable(), {zh: "符合重度残疾人护理补贴条件", en: "Eligible for the nursing subsidy", description: "Eligible for the nursing subsidy for severely disabled persons (grade 1–2, or as the province extends it); null when not reported."}),
});
export type PersonRow = z.infer<typeof personRow>;

export const persons = dataset({
  name: "persons",
  title: {zh: "持证残疾人（合成示例）", en: "Registered disabled persons (synthetic demo)"},
  description: "One row per registered disabled person of the synthetic demo city, with service status.",
  row: personRow,
  sortKey: ["community_code", "person_id"],
});
