import {readFileSync} from "node:fs";
import {join} from "node:path";
import {disabilityCategories, disabilityCategoryLabels, type DisabilityCategory} from "../../src/schemas/persons.js";
import {estimateCategoryLabels, type ProvinceEstimateRow} from "../../src/schemas/provinceEstimates.js";
import type {ReferenceRow} from "../../src/schemas/reference.js";
import {loadReference, referenceDir} from "./loadReference.js";
import {CsvFormatError, parseCsv} from "./readCsv.js";

/** A province's tile in the overview grid (drawn by us: a layout, not a map). */
export interface ProvinceTile {
  province_code: string;
  province: string;
  /** The tile's label, e.g. 北京. */
  short_name: string;
  row: number;
  col: number;
}

const TILES_FILE = "province_tiles.csv";

/** Reads the tile grid: one tile per province, whole-number positions, no two tiles on one cell. */
export function readProvinceTiles(dir = referenceDir): ProvinceTile[] {
  const {columns, rows} = parseCsv(readFileSync(join(dir, TILES_FILE), "utf8"), TILES_FILE);
  if (columns.join(",") !== "province_code,province,short_name,row,col") throw new CsvFormatError(TILES_FILE, 0, "header must be province_code,province,short_name,row,col");
  const cells = new Set<string>();
  return rows.map(({row, cells: c}) => {
    if (!/^\d{2}0000$/.test(c.province_code)) throw new CsvFormatError(TILES_FILE, row, `province_code ${c.province_code} is not a province code`);
    for (const key of ["row", "col"] as const)
      if (!/^\d+$/.test(c[key])) throw new CsvFormatError(TILES_FILE, row, `${key} ${JSON.stringify(c[key])} is not a whole number`);
    const cell = `${c.row},${c.col}`;
    if (cells.has(cell)) throw new CsvFormatError(TILES_FILE, row, `two tiles on row ${c.row}, col ${c.col}`);
    cells.add(cell);
    return {province_code: c.province_code, province: c.province, short_name: c.short_name, row: Number(c.row), col: Number(c.col)};
  });
}

/** Splits a whole total across shares so the parts are whole and add up to it (largest remainder; ties in category order). */
export function apportion(total: number, shares: readonly number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  if (!(sum > 0) || shares.some((share) => share < 0)) throw new Error(`apportion: shares must be non-negative with a positive sum, got ${shares.join(", ")}`);
  const exact = shares.map((share) => (total * share) / sum);
  const parts = exact.map(Math.floor);
  const order = exact.map((x, i) => ({i, remainder: x - parts[i]})).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  const leftover = total - parts.reduce((a, b) => a + b, 0);
  for (let k = 0; k < leftover; k++) parts[order[k].i] += 1;
  return parts;
}

/** A percentage as a share 0–1, without the binary noise of dividing by 100 (14.86 → 0.1486). */
const shareOfPercent = (percent: number): number => Number((percent / 100).toPrecision(12));

const categoryOfLabel = new Map(disabilityCategories.map((category) => [disabilityCategoryLabels[category], category] as const));

/** The survey inputs of the estimate: national prevalence and category shares, with the rows they come from. */
function surveyInputs(reference: readonly ReferenceRow[]) {
  const survey = reference.filter((r) => r.table === "second_disability_survey_2006" && r.region === "全国" && r.source_column === "share_pct");
  const total = survey.filter((r) => r.indicator_zh === "残疾人总数（比例）");
  if (total.length !== 1 || total[0].value === null) throw new Error("second_disability_survey_2006.csv: expected one national 残疾人总数 row with share_pct (the prevalence)");
  const shares = new Map<DisabilityCategory, {share: number; row: number}>();
  for (const r of survey.filter((r) => r.indicator_zh === "各类残疾人数（比例）")) {
    const category = r.category === null ? undefined : categoryOfLabel.get(r.category);
    if (!category || r.value === null) throw new Error(`second_disability_survey_2006.csv row ${r.source_row}: category ${r.category} has no share`);
    shares.set(category, {share: shareOfPercent(r.value), row: r.source_row});
  }
  const missing = disabilityCategories.filter((c) => !shares.has(c));
  if (missing.length) throw new Error(`second_disability_survey_2006.csv: no national share for ${missing.join(", ")}`);
  const sum = [...shares.values()].reduce((a, s) => a + s.share, 0);
  if (Math.abs(sum - 1) > 0.0005) throw new Error(`second_disability_survey_2006.csv: national category shares sum to ${(sum * 100).toFixed(2)}%, not 100%`);
  return {prevalence: shareOfPercent(total[0].value), prevalenceRow: total[0].source_row, shares};
}

/**
 * Estimated disabled persons per province and category: 2020 population × 2006 national prevalence,
 * split by the 2006 national category shares. Integers throughout: each province's total is rounded
 * once and its categories apportioned to add up to it, so every sum a page shows is consistent.
 */
export function estimateProvinces(reference: readonly ReferenceRow[], tiles: readonly ProvinceTile[]): ProvinceEstimateRow[] {
  const {prevalence, prevalenceRow, shares} = surveyInputs(reference);
  const provinces = reference.filter(
    (r) => r.table === "population_province_census2020" && r.source_column === "population_2020" && r.region_code !== null && /^\d{2}0000$/.test(r.region_code) && r.region_code !== "000000",
  );
  const tileOf = new Map(tiles.map((t) => [t.province_code, t]));
  const codes = new Set(provinces.map((p) => p.region_code));
  const untiled = provinces.filter((p) => !tileOf.has(p.region_code!)).map((p) => p.region);
  const unknown = tiles.filter((t) => !codes.has(t.province_code) || provinces.find((p) => p.region_code === t.province_code)?.region !== t.province).map((t) => t.province);
  if (untiled.length || unknown.length) throw new Error(`${TILES_FILE}: provinces without a tile: ${untiled.join(", ") || "none"}; tiles whose code and name match no census province: ${unknown.join(", ") || "none"}`);

  const shareRows = disabilityCategories.map((c) => shares.get(c)!.row);
  // The one province the survey table also gives, to show in the method how far a province can differ.
  const fujianRow = reference.find((r) => r.table === "second_disability_survey_2006" && r.region === "福建省" && r.indicator_zh === "残疾人总数（比例）");
  const fujian = fujianRow?.value == null ? null : shareOfPercent(fujianRow.value);
  const pct = (x: number) => `${Number((x * 100).toFixed(2))}%`;
  const method =
    `Estimate, not a count: 2020 census population × ${pct(prevalence)} (national prevalence of the 2006 second national sample survey on disability), ` +
    `split by the survey's national category shares (${disabilityCategories.map((c) => `${disabilityCategoryLabels[c]} ${pct(shares.get(c)!.share)}`).join(", ")}), ` +
    "rounded to whole persons so the categories add up to the province's total. Assumes every province has the 2006 national prevalence and category mix; " +
    `ageing since 2006 and provincial differences${fujian ? ` (Fujian ${pct(fujian)} in the same survey)` : ""} are not modelled.`;

  return provinces.flatMap((p) => {
    const population = p.value!;
    const tile = tileOf.get(p.region_code!)!;
    const total = Math.round(population * prevalence);
    const parts = apportion(total, disabilityCategories.map((c) => shares.get(c)!.share));
    const sources = `population_province_census2020.csv row ${p.source_row}; second_disability_survey_2006.csv rows ${prevalenceRow}, ${shareRows.join(", ")} (全国)`;
    const base = {province_code: p.region_code!, province_name: p.region, short_name: tile.short_name, tile_row: tile.row, tile_col: tile.col, population_2020: population, prevalence, is_estimate: true as const, method, sources};
    return [
      ...disabilityCategories.map((category, i) => ({...base, category, category_zh: estimateCategoryLabels[category], category_share: shares.get(category)!.share, estimated_persons: parts[i]})),
      {...base, category: "all" as const, category_zh: estimateCategoryLabels.all, category_share: 1, estimated_persons: total},
    ];
  });
}

/** Reads data/reference/ and returns the `province_estimates` rows. */
export function loadProvinceEstimates(dir = referenceDir): ProvinceEstimateRow[] {
  return estimateProvinces(loadReference(dir), readProvinceTiles(dir));
}
