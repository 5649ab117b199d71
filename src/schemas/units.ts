import {z} from "zod";
import {column, dataset} from "./column.js";

/** Administrative levels, top to bottom. 区/县 are districts; 街道/镇 streets; 社区/村 communities. */
export const unitLevels = ["city", "district", "street", "community"] as const;
export type UnitLevel = (typeof unitLevels)[number];
export const unitLevelLabels: Record<UnitLevel, string> = {city: "市", district: "区县", street: "街道/镇", community: "社区/村"};

const share = z.number().min(0).max(1);

/**
 * One row per administrative unit at every level. Service-status columns describe a community
 * (社区/村) and are null above it; null there means "not reported", never zero.
 */
export const unitRow = z.object({
  unit_code: column(z.string().regex(/^[0-9A-Za-z]{2,24}$/), {zh: "单位代码", en: "Unit code", description: "Unique code of the unit; codes the system makes (the demo city, codes generated from names) start with their parent's."}),
  unit_name: column(z.string().min(1).max(100), {zh: "单位名称", en: "Unit name", description: "Name as written, e.g. 东湖街道."}),
  level: column(z.enum(unitLevels), {zh: "层级", en: "Level", description: "city, district (区/县), street (街道/镇) or community (社区/村)."}),
  level_label: column(z.enum(["市", "区", "县", "街道", "镇", "社区", "村"]), {zh: "层级名称", en: "Level as written", description: "The unit's own kind as written: 区, 县, 街道, 镇, 社区 or 村."}),
  parent_code: column(z.string().nullable(), {zh: "上级单位代码", en: "Parent unit code", description: "Code of the unit one level up; null for the city."}),
  district_code: column(z.string().nullable(), {zh: "所属区县代码", en: "District code", description: "Code of the district the unit lies in (itself for a district); null for the city."}),
  street_code: column(z.string().nullable(), {zh: "所属街道代码", en: "Street code", description: "Code of the street/town the unit lies in (itself for a street); null above street level."}),
  urban_rural: column(z.enum(["urban", "rural"]), {zh: "城乡", en: "Urban or rural", description: "urban for 社区/街道/区, rural for 村/镇/县; decides which subsistence standard applies."}),
  residents: column(z.number().int().nonnegative(), {zh: "常住人口", en: "Residents", unit: "persons", description: "Resident population; for units above community level the sum of their communities."}),
  has_rehab_room: column(z.boolean().nullable(), {zh: "设有社区康复室", en: "Has a community rehab room", description: "Community has a rehab room (社区康复室); null when not reported."}),
  rehab_room_area_m2: column(z.number().nonnegative().nullable(), {zh: "康复站面积", en: "Rehab station area", unit: "m²", description: "Floor area of the community rehab station; null when there is none or not reported."}),
  has_coordinator: column(z.boolean().nullable(), {zh: "配备康复协调员", en: "Has a rehab coordinator", description: "Community has a rehab coordinator (社区康复协调员)."}),
  coordinator_trained: column(z.boolean().nullable(), {zh: "协调员培训合格", en: "Coordinator passed training", description: "The coordinator passed training; null when there is no coordinator."}),
  has_care_point: column(z.boolean().nullable(), {zh: "设有托养服务点", en: "Has a care point", description: "Community has a day/residential care point (托养服务点)."}),
  rehab_funding_yuan: column(z.number().nonnegative().nullable(), {zh: "社区康复经费", en: "Community rehab funding", unit: "CNY per year", description: "Yearly community rehab funding spent in the community."}),
  satisfaction_rate: column(share.nullable(), {zh: "康复服务满意率", en: "Rehab service satisfaction", unit: "share 0–1", description: "Share of surveyed disabled persons and relatives satisfied with rehab services."}),
  synthetic: column(z.boolean(), {zh: "合成数据", en: "Synthetic", description: "true for the fictional demo city (示例市); false for a planner's real data."}),
});
export type UnitRow = z.infer<typeof unitRow>;

export const units = dataset({
  name: "units",
  title: {zh: "行政单位与社区服务状况", en: "Administrative units and community service status"},
  description: "City → districts → streets/towns → communities/villages, with residents and the service status of each community.",
  row: unitRow,
  sortKey: ["unit_code"],
});
