import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {encodeDataset} from "../../loaders/emit.js";
import {loadReference, parseFigure, readReferenceTables, yearOf} from "../../loaders/reference/loadReference.js";
import {CsvFormatError, parseCsv} from "../../loaders/reference/readCsv.js";
import type {Dataset} from "../../src/schemas/column.js";
import {reference} from "../../src/schemas/reference.js";

const fixture = (name: string) => join(import.meta.dirname, "fixtures", name);
const rows = loadReference();
const find = (table: string, predicate: (r: (typeof rows)[number]) => boolean) => rows.filter((r) => r.table === table && predicate(r));

describe("the reference dataset", () => {
  it("keeps every CSV row: one figure per value column, none dropped", () => {
    const tables = readReferenceTables();
    const rowsIn = Object.fromEntries(tables.map((t) => [t.table, t.rows.length]));
    expect(rowsIn).toEqual({cdpf_national_stats: 186, second_disability_survey_2006: 32, population_province_census2020: 33, two_subsidies_standards_by_province: 33, national_plan_14th: 11, national_outturns: 18});
    // cdpf: value; survey: value, share_pct; census: population and two shares; subsidies: two standards;
    // national plan: 2020 baseline and 2025 target; outturns: value.
    expect(rows).toHaveLength(186 + 32 * 2 + 33 * 3 + 33 * 2 + 11 * 2 + 18);
    expect(new Set(rows.map((r) => `${r.table}#${r.source_row}#${r.source_column}`)).size).toBe(rows.length);
  });

  it("keeps the source and reliability of every figure, and the source type where the table has one", () => {
    for (const row of rows) {
      expect(row.reliability.length, `${row.table} row ${row.source_row}`).toBeGreaterThan(0);
      if (row.value !== null) expect(row.source, `${row.table} row ${row.source_row}`).toBeTruthy();
      if (row.table !== "two_subsidies_standards_by_province") expect(row.source_type, `${row.table} row ${row.source_row}`).toBeTruthy();
    }
    const shanghai = find("two_subsidies_standards_by_province", (r) => r.region === "上海市")[0];
    expect(shanghai.reliability).toMatch(/^SECONDARY: third-party compilation/);
    expect(shanghai.cited_url).toMatch(/^https:\/\/www\.shanghai\.gov\.cn\//);
  });

  it("marks the flagged 2016 typo and the low-reliability survey rows as low", () => {
    const typo = find("cdpf_national_stats", (r) => r.indicator_zh === "60岁以下参保重度残疾人得到政府参保扶助" && r.year === 2016)[0];
    expect(typo).toMatchObject({value: 4445.7, reliability_level: "low"});
    expect(find("second_disability_survey_2006", (r) => r.category === "重度" || r.category === "中轻度").every((r) => r.reliability_level === "low")).toBe(true);
    expect(find("cdpf_national_stats", (r) => r.reliability_level === "official").map((r) => r.source_type)).toContain("CDPF official English Statistical Communique 2014");
  });

  it("reads approximate and lower-bound figures as written and never invents a number", () => {
    expect(find("cdpf_national_stats", (r) => r.value_text === ">900")[0]).toMatchObject({value: 900, value_qualifier: "lower_bound", year: 2018, period: "2018-03"});
    expect(find("cdpf_national_stats", (r) => r.value_text === "约1030")[0]).toMatchObject({value: 1030, value_qualifier: "approximate"});
    const beijing = find("two_subsidies_standards_by_province", (r) => r.region === "北京市" && r.source_column === "living_allowance_yuan_month")[0];
    expect(beijing).toMatchObject({value: null, value_qualifier: "text", year: null, period: "以窗口审核为准"});
    expect(find("two_subsidies_standards_by_province", (r) => r.region === "湖南省").map((r) => [r.value, r.value_qualifier])).toEqual([[110, "exact"], [110, "exact"]]);
    expect(find("two_subsidies_standards_by_province", (r) => r.region === "甘肃省").every((r) => r.value === null && r.value_qualifier === "missing")).toBe(true);
  });

  it("has 31 census provinces that sum to 1,409,778,724, and with servicemen to the national total", () => {
    const population = find("population_province_census2020", (r) => r.source_column === "population_2020");
    const provinces = population.filter((r) => r.region_code !== null && r.region_code !== "000000");
    expect(provinces).toHaveLength(31);
    const sum = provinces.reduce((total, r) => total + r.value!, 0);
    expect(sum).toBe(1_409_778_724);
    const national = population.find((r) => r.region_code === "000000")!.value!;
    const servicemen = population.find((r) => r.region === "现役军人")!.value!;
    expect(sum + servicemen).toBe(national);
  });

  it("gives a province the census code in every table, so tables join on region_code", () => {
    expect(new Set(find("cdpf_national_stats", (r) => r.region === "福建省").map((r) => r.region_code))).toEqual(new Set(["350000"]));
    expect(new Set(find("second_disability_survey_2006", (r) => r.region === "全国").map((r) => r.region_code))).toEqual(new Set(["000000"]));
    expect(find("two_subsidies_standards_by_province", (r) => r.region !== "全国").every((r) => /^\d{2}0000$/.test(r.region_code ?? ""))).toBe(true);
  });

  it("writes byte-identical Parquet from the same tables", async () => {
    const dataset = reference as unknown as Dataset;
    const [a, b] = [await encodeDataset(dataset, loadReference(), "parquet"), await encodeDataset(dataset, loadReference(), "parquet")];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe("parseFigure", () => {
  it.each([
    ["1233", 1233, "exact"],
    ["40.0", 40, "exact"],
    ["约1030", 1030, "approximate"],
    ["近1500", 1500, "approximate"],
    [">900", 900, "lower_bound"],
    [">=90 (起始标准)", 90, "lower_bound"],
    ["110 (省级指导标准)", 110, "exact"],
    ["110 (一级) / 100 (二级)", null, "text"],
    ["= 当地低保标准 × 30%", null, "text"],
    ["(not found)", null, "missing"],
    ["", null, "missing"],
  ] as const)("reads %j as %j (%s)", (text, value, qualifier) => {
    expect(parseFigure(text)).toEqual({value, qualifier});
  });

  it("takes the year from a period and nothing from a period without one", () => {
    expect([yearOf("2018-03"), yearOf("2021-Q2"), yearOf("2024-10 (问答口径)"), yearOf("unknown (post-2019)"), yearOf("20261")]).toEqual([2018, 2021, 2024, null, null]);
  });
});

describe("a malformed reference table", () => {
  it("stops at a row with a stray comma, naming file and row, instead of shifting columns", () => {
    expect(() => readReferenceTables(fixture("shifted-column"))).toThrow("population_province_census2020.csv row 2: 13 cells where the header has 11");
  });

  it("stops at a table no reader knows", () => {
    expect(() => readReferenceTables(fixture("unknown-table"))).toThrow(/village_stats\.csv row 0: no reader for table village_stats/);
  });

  it("parses quoted cells with commas, doubled quotes and line breaks", () => {
    const {rows} = parseCsv('a,b\n"1,2","say ""hi""\nthere"\r\n', "x.csv");
    expect(rows).toEqual([{row: 1, cells: {a: "1,2", b: 'say "hi"\nthere'}}]);
  });

  it("rejects an unclosed quote and a repeated header column", () => {
    expect(() => parseCsv('a,b\n"1,2\n', "x.csv")).toThrow(CsvFormatError);
    expect(() => parseCsv("a,a\n1,2\n", "x.csv")).toThrow(/header column "a" is empty or repeated/);
  });
});
