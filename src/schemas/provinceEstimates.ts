import {z} from "zod";
import {column, dataset} from "./column.js";
import {disabilityCategories, disabilityCategoryLabels} from "./persons.js";

/**
 * Estimated disabled persons by province and category (分省残疾人数估算): the 2020 census population
 * times the prevalence and category shares of the 2006 national sample survey. An estimate, never a
 * count: every row says so and carries its method, and the tile position for the overview page.
 */

/** The seven categories and `all` (every category together, the province's estimated total). */
export const estimateCategories = [...disabilityCategories, "all"] as const;
export type EstimateCategory = (typeof estimateCategories)[number];
export const estimateCategoryLabels: Record<EstimateCategory, string> = {...disabilityCategoryLabels, all: "合计"};

export const provinceEstimateRow = z.object({
  province_code: column(z.string().regex(/^\d{2}0000$/), {zh: "省份代码", en: "Province code", description: "Six-digit administrative code of the province, e.g. 110000 for Beijing."}),
  province_name: column(z.string().min(2), {zh: "省份", en: "Province", description: "Full name of the province, autonomous region or municipality, e.g. 北京市."}),
  short_name: column(z.string().min(2), {zh: "简称", en: "Short name", description: "Name without 省/市/自治区, as the census table writes it, e.g. 北京; used on tiles."}),
  tile_row: column(z.number().int().nonnegative(), {zh: "方格行", en: "Tile row", description: "Row of the province's tile in the tile-grid overview (0 at the top); a layout drawn by us, not a map."}),
  tile_col: column(z.number().int().nonnegative(), {zh: "方格列", en: "Tile column", description: "Column of the province's tile in the tile-grid overview (0 at the left)."}),
  category: column(z.enum(estimateCategories), {zh: "残疾类别", en: "Disability category", description: "One of the seven categories, or all for every category together."}),
  category_zh: column(z.string().min(2), {zh: "残疾类别（中文）", en: "Category label", description: "视力, 听力, 言语, 肢体, 智力, 精神, 多重 or 合计."}),
  population_2020: column(z.number().int().positive(), {zh: "2020年常住人口", en: "Population 2020", unit: "persons", description: "Resident population on 2020-11-01 from the 7th census (table 3-1)."}),
  prevalence: column(z.number().min(0).max(1), {zh: "残疾现患率", en: "Prevalence", unit: "share 0–1", description: "Share of the population with a disability in the 2006 national sample survey (6.34%), applied to every province."}),
  category_share: column(z.number().min(0).max(1), {zh: "类别占比", en: "Category share", unit: "share 0–1", description: "Share of the category among all disabled persons in the 2006 survey; 1 for all."}),
  estimated_persons: column(z.number().int().nonnegative(), {zh: "估算残疾人数", en: "Estimated disabled persons", unit: "persons", description: "population_2020 × prevalence, split across categories by share and rounded so the categories add up to the province's total."}),
  is_estimate: column(z.boolean().refine((v) => v, {message: "province estimates are always estimates"}), {zh: "估算值", en: "Estimate", description: "Always true: these are modelled estimates, not registered or surveyed counts."}),
  method: column(z.string().min(1), {zh: "估算方法", en: "Method", description: "How the estimate was made and what it assumes."}),
  sources: column(z.string().min(1), {zh: "数据来源", en: "Sources", description: "The reference tables and rows the estimate uses."}),
});
export type ProvinceEstimateRow = z.infer<typeof provinceEstimateRow>;

export const provinceEstimates = dataset({
  name: "province_estimates",
  title: {zh: "分省残疾人数估算（按类别）", en: "Estimated disabled persons by province and category"},
  description: "2020 census population × 2006 survey prevalence (6.34%) and category shares, per province; estimates, with method and tile-grid position.",
  row: provinceEstimateRow,
  sortKey: ["province_code", "category"],
});
