import fc from "fast-check";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {encodeDataset} from "../../loaders/emit.js";
import {loadReference} from "../../loaders/reference/loadReference.js";
import {apportion, estimateProvinces, loadProvinceEstimates, readProvinceTiles} from "../../loaders/reference/provinceEstimates.js";
import type {Dataset} from "../../src/schemas/column.js";
import {disabilityCategories} from "../../src/schemas/persons.js";
import {provinceEstimates} from "../../src/schemas/provinceEstimates.js";

const rows = loadProvinceEstimates();
const totals = rows.filter((r) => r.category === "all");
const PREVALENCE_2006 = 0.0634;

describe("province estimates", () => {
  it("gives the 31 provinces a total and seven categories each", () => {
    expect(totals).toHaveLength(31);
    expect(rows).toHaveLength(31 * 8);
  });

  it("sum to the national estimate: the provinces' population × 6.34%", () => {
    const population = totals.reduce((sum, r) => sum + r.population_2020, 0);
    const national = totals.reduce((sum, r) => sum + r.estimated_persons, 0);
    // Each province's total is rounded once: at most half a person each away from the exact product.
    expect(Math.abs(national - population * PREVALENCE_2006)).toBeLessThanOrEqual(31 * 0.5);
    expect(national).toBe(89_379_971);
  });

  it("sum by category to the national estimate times the survey's category share", () => {
    const population = totals.reduce((sum, r) => sum + r.population_2020, 0);
    for (const category of disabilityCategories) {
      const inCategory = rows.filter((r) => r.category === category);
      const sum = inCategory.reduce((total, r) => total + r.estimated_persons, 0);
      expect(Math.abs(sum - population * PREVALENCE_2006 * inCategory[0].category_share), category).toBeLessThanOrEqual(31);
    }
  });

  it("add up to each province's total across the seven categories", () => {
    for (const total of totals) {
      const parts = rows.filter((r) => r.province_code === total.province_code && r.category !== "all");
      expect(parts.reduce((sum, r) => sum + r.estimated_persons, 0), total.province_name).toBe(total.estimated_persons);
    }
  });

  it("are labelled as estimates, with the method and the rows they use", () => {
    for (const row of rows) {
      expect(row.is_estimate).toBe(true);
      expect(row.method).toMatch(/^Estimate, not a count: 2020 census population × 6\.34%/);
      expect(row.sources).toMatch(/^population_province_census2020\.csv row \d+; second_disability_survey_2006\.csv rows/);
    }
    const beijing = totals.find((r) => r.province_code === "110000")!;
    expect(beijing).toMatchObject({province_name: "北京市", short_name: "北京", population_2020: 21_893_095, estimated_persons: Math.round(21_893_095 * PREVALENCE_2006)});
  });

  it("place every province on its own tile of the grid", () => {
    const cells = new Set(totals.map((r) => `${r.tile_row},${r.tile_col}`));
    expect(cells.size).toBe(31);
    expect(totals.find((r) => r.short_name === "海南")!.tile_row).toBe(Math.max(...totals.map((r) => r.tile_row)));
  });

  it("refuse a tile grid with two provinces on one cell, naming file and row", () => {
    expect(() => readProvinceTiles(join(import.meta.dirname, "fixtures", "overlapping-tiles"))).toThrow("province_tiles.csv row 2: two tiles on row 1, col 5");
  });

  it("refuse a tile grid that leaves a province out", () => {
    const tiles = readProvinceTiles().filter((t) => t.short_name !== "西藏");
    expect(() => estimateProvinces(loadReference(), tiles)).toThrow(/provinces without a tile: 西藏自治区/);
  });

  it("read back from Parquet with typed columns and the same national total", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dpf-estimates-"));
    const file = join(dir, "province_estimates.parquet");
    writeFileSync(file, await encodeDataset(provinceEstimates as unknown as Dataset, rows, "parquet"));
    const db = await NodeDuckDB.open();
    try {
      const [result] = await db.query<{total: number; estimate: string; population: string}>(
        `SELECT sum(estimated_persons) AS total, any_value(typeof(is_estimate)) AS estimate, any_value(typeof(population_2020)) AS population
           FROM read_parquet(?) WHERE category = 'all'`,
        [file],
      );
      expect(result).toEqual({total: 89_379_971, estimate: "BOOLEAN", population: "INTEGER"});
    } finally {
      db.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it("write byte-identical Parquet from the same tables", async () => {
    const dataset = provinceEstimates as unknown as Dataset;
    const [a, b] = [await encodeDataset(dataset, loadProvinceEstimates(), "parquet"), await encodeDataset(dataset, loadProvinceEstimates(), "parquet")];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe("apportion", () => {
  it("splits a total into whole parts that add up to it, each within one of its exact share", () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 10_000_000}), fc.array(fc.integer({min: 1, max: 10_000}), {minLength: 1, maxLength: 8}), (total, weights) => {
        const parts = apportion(total, weights);
        const sum = weights.reduce((a, b) => a + b, 0);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((part, i) => expect(Math.abs(part - (total * weights[i]) / sum)).toBeLessThan(1));
      }),
    );
  });

  it("gives the leftover person to the largest remainder, ties to the first", () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(2, [0.25, 0.5, 0.25])).toEqual([1, 1, 0]);
  });

  it("refuses shares that sum to zero or go negative rather than return NaN", () => {
    expect(() => apportion(5, [0, 0])).toThrow(/positive sum/);
    expect(() => apportion(5, [2, -1])).toThrow(/non-negative/);
  });
});
