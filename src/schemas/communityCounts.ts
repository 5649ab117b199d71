import {z} from "zod";
import {column, dataset} from "./column.js";
import {categoryCountColumn, gradeCountColumns, type CategoryCountColumn, type GradeCountColumn} from "./countColumnNames.js";
import {disabilityCategories, disabilityCategoryLabels} from "./disabilityCategories.js";

export {categoryCountColumn, gradeCountColumns, type CategoryCountColumn, type GradeCountColumn} from "./countColumnNames.js";

/**
 * community_counts (社区残疾人数汇总): what most federation offices keep instead of person rows — one row
 * per community/village with counts (registered persons, by category, by grade, screened, archived,
 * receiving subsidies …), as typed into their own statistics forms. It is a first-class city input: the
 * engines read it through `person_counts` (src/engine/personCounts.ts), as they read persons_cube.
 *
 * Every count is null when the form does not report it ("not reported", never zero). A planner may give
 * person rows, counts, or both; with both, the counts are checked against the rows.
 */

const count = (zh: string, en: string, description: string) => column(z.number().int().nonnegative().nullable(), {zh, en, unit: "persons", description});

const categoryCounts = Object.fromEntries(
  disabilityCategories.map((c) => [categoryCountColumn(c), count(`${disabilityCategoryLabels[c]}残疾人数`, `Persons with ${c} disability`, `Registered disabled persons of category ${c} (${disabilityCategoryLabels[c]}).`)]),
) as Record<CategoryCountColumn, ReturnType<typeof count>>;

const gradeLabels = ["一级", "二级", "三级", "四级"] as const;
const gradeCounts = Object.fromEntries(
  gradeCountColumns.map((g, i) => [g, count(`${gradeLabels[i]}残疾人数`, `Persons of grade ${i + 1}`, `Registered disabled persons of grade ${i + 1} (${gradeLabels[i]}); grades 1–2 are 重度 (severe).`)]),
) as Record<GradeCountColumn, ReturnType<typeof count>>;

export const communityCountsRow = z.object({
  community_code: column(z.string().min(2), {zh: "所属社区代码", en: "Community code", description: "unit_code of the community/village (generated from names when the form gives none)."}),
  persons: column(z.number().int().nonnegative(), {zh: "持证残疾人数", en: "Registered disabled persons", unit: "persons", description: "Registered disabled persons (持证残疾人) living in the community."}),
  ...categoryCounts,
  ...gradeCounts,
  screened: count("已筛查人数", "Rehab needs screened", "Persons whose rehab needs were screened (康复需求筛查)."),
  rehab_need: count("有康复需求人数", "With a rehab need", "Persons the screening found in need of rehab."),
  archived: count("已建档人数", "Rehab archive opened", "Persons in need with a rehab service archive (康复服务档案)."),
  school_age: count("义务教育阶段（6–15岁）人数", "Aged 6–15", "Registered disabled children of compulsory-education age (6–15)."),
  enrolled: count("义务教育在学人数", "Enrolled in compulsory education", "Children aged 6–15 enrolled in compulsory education."),
  dibao_eligible: count("符合低保条件人数", "Eligible for subsistence allowance", "Persons whose household income is below the local subsistence line."),
  dibao_recipient: count("享受低保人数", "Receiving subsistence allowance", "Persons receiving the subsistence allowance (最低生活保障)."),
  wubao_recipient: count("特困供养人数", "Receiving five-guarantee support", "Persons receiving five-guarantee (五保) / extreme-poverty support."),
  poor_subsidy_recipient: count("享受困难残疾人生活补贴人数", "Receiving living subsidy", "Persons receiving the living subsidy for disabled persons in need."),
  severe_subsidy_recipient: count("享受重度残疾人护理补贴人数", "Receiving nursing subsidy", "Persons receiving the nursing subsidy for severely disabled persons."),
  rehab_served: count("已接受基本康复服务人数", "Received basic rehab services", "Persons in need of rehab who received basic rehabilitation services (基本康复服务)."),
  device_need: count("有辅助器具适配需求人数", "Needing an assistive device", "Persons found to need an assistive device (辅助器具适配需求)."),
  device_fitted: count("辅助器具适配人数", "Assistive device fitted", "Persons in need of an assistive device who were fitted with one (辅助器具适配)."),
  poor_subsidy_eligible: count("符合困难残疾人生活补贴条件人数", "Eligible for living subsidy", "Persons eligible for the living subsidy for disabled persons in need (应享受人数)."),
  severe_subsidy_eligible: count("符合重度残疾人护理补贴条件人数", "Eligible for nursing subsidy", "Persons eligible for the nursing subsidy for severely disabled persons (应享受人数)."),
});
export type CommunityCountsRow = z.infer<typeof communityCountsRow>;

/** The count columns (everything but the community code), in schema order. */
export const countColumns = Object.keys(communityCountsRow.shape).filter((k) => k !== "community_code") as Exclude<keyof CommunityCountsRow, "community_code">[];
export type CountColumn = (typeof countColumns)[number];

export const communityCounts = dataset({
  name: "community_counts",
  title: {zh: "社区残疾人数汇总（按社区计数）", en: "Disabled persons counted per community"},
  description: "One row per community/village with counts of registered disabled persons: in total, by category, by grade and by service status, as an office's statistics form reports them.",
  row: communityCountsRow,
  sortKey: ["community_code"],
});
