import {describe, expect, test} from "vitest";
import {ImportError} from "../../src/importer/rules.js";
import {assertInflatedWithin, MAX_XLSX_CELLS} from "../../src/importer/zipInflateLimit.js";
import {bytesSource, importFiles} from "../../src/importer/index.js";
import {oneParentUnits, personsWorkbook, sharedCodeUnits, unitsWithNul, zipBomb} from "../fixtures/hostileFiles.js";

// Speed and memory of these cases are measured in bench/hostileImport.ts; here, what they produce.

test("20,000 unit rows sharing one code: every row rejected, each message naming 10 rows and the count", async () => {
  const result = await importFiles([bytesSource("units.csv", sharedCodeUnits(20_000))], {referenceDate: "2025-12-31"});
  expect(result.counts.units.rejected).toBe(20_000);
  const duplicates = result.problems.filter((p) => p.rule === "duplicate_unit_code");
  expect(duplicates.length).toBeGreaterThan(0);
  for (const p of duplicates) {
    expect(p.message).toMatch(/^单位代码「D1」重复（第 3 行、第 4 行、.*第 12 行 等 20000 行）$/);
    expect(p.message!.match(/第 \d+ 行/g)).toHaveLength(10);
  }
});

test("40,000 communities under one street are all accepted, with the street's residents their sum", async () => {
  const result = await importFiles([bytesSource("units.csv", oneParentUnits(40_000))], {referenceDate: "2025-12-31"});
  expect(result.units.filter((u) => u.level === "community")).toHaveLength(40_000);
  const expected = Array.from({length: 40_000}, (_, i) => 1000 + (i % 500)).reduce((a, b) => a + b, 0);
  expect(result.units.find((u) => u.unit_code === "S1")!.residents).toBe(expected);
});

test("a NUL character anywhere in a CSV refuses the file, naming the line — also past the first 256 kB sniffed", async () => {
  for (const [bytes, row] of [[4_000, 20], [600_000, 15_000]] as const) {
    const file = unitsWithNul(bytes, row);
    const result = await importFiles([bytesSource("units.csv", file)], {referenceDate: "2025-12-31", chunkBytes: 64 * 1024});
    const error = result.files[0]!.error;
    expect(error?.rule).toBe("binary_file");
    if (row > 1000) {
      expect(file.length).toBeGreaterThan(256 * 1024);
      expect(error?.message).toContain(`第 ${row} 行`);
    }
    expect(error?.message).toContain("零字节");
    // A file error fails the build route (loadCity) and the import page names the file as unreadable.
    expect(result.errors).toBeGreaterThan(0);
  }
});

describe("an .xlsx ZIP bomb is refused before exceljs inflates it", () => {
  test("sheet parts declared larger than the limit: file_too_large in Chinese, naming the part, the file named", async () => {
    // 40 MB of sheet XML deflates to about 100 kB; the directory says it is 4 GB − 1.
    const bomb = zipBomb(40 * 1024 * 1024, () => 0xffffffff);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const result = await importFiles([bytesSource("报表.xlsx", bomb)], {referenceDate: "2025-12-31"});
    const error = result.files[0]!.error;
    expect(error?.rule).toBe("file_too_large");
    expect(error?.message).toMatch(/解压后超过 512 MB（如「xl\/worksheets\/sheet1\.xml」）.*另存为「CSV UTF-8（逗号分隔）」/);
  });

  test("a directory that lies (declares 100 bytes) is caught while inflating, past the limit and no further", async () => {
    const bomb = zipBomb(8 * 1024 * 1024, () => 100);
    await expect(assertInflatedWithin(bomb, "报表.xlsx", 2 * 1024 * 1024)).rejects.toThrow(ImportError);
    await expect(assertInflatedWithin(bomb, "报表.xlsx", 2 * 1024 * 1024)).rejects.toMatchObject({rule: "file_too_large"});
    // Within the limit the same file passes this check (what is in it is exceljs's to read).
    await expect(assertInflatedWithin(bomb, "报表.xlsx", 16 * 1024 * 1024)).resolves.toBeUndefined();
  });
});

describe("a workbook with too many cells is refused while its sheet streams by, as too large — never as damaged", () => {
  test("the limit counts every row and cell of the XML as it inflates, naming the sheet, its rows and cells, and CSV as the way", async () => {
    const workbook = await personsWorkbook(20_000, 12);
    const refusal = assertInflatedWithin(workbook, "人员名单.xlsx", undefined, 100_000);
    await expect(refusal).rejects.toMatchObject({rule: "file_too_large", file: "人员名单.xlsx"});
    const detail = await refusal.catch((e: ImportError) => e.detail);
    // 20,000 persons and the header row, 12 columns each: counted exactly across the inflater's chunks.
    expect(detail).toContain("工作表「人员」有 20,001 行、240,012 个单元格");
    expect(detail).toContain("共 100,000 个单元格");
    expect(detail).toContain("没有损坏");
    expect(detail).toContain("CSV UTF-8");
    expect(detail).not.toMatch(/损坏或|文件损坏/);
    // Under the limit the same workbook passes the check, and imports whole.
    await expect(assertInflatedWithin(workbook, "人员名单.xlsx", undefined, 300_000)).resolves.toBeUndefined();
    const result = await importFiles([bytesSource("人员名单.xlsx", workbook)], {referenceDate: "2025-12-31"});
    expect(result.files[0]!.error).toBeUndefined();
    expect(result.counts.persons).toMatchObject({rowsIn: 20_000, accepted: 20_000, rejected: 0});
  }, 60_000);

  test("the import names the limit in words a planner reads (file_too_large, 文件过大, rows and cells)", async () => {
    // A sheet of 6 million repeated cells in about 300 kB: past the real limit, read by the real import.
    const bomb = zipBomb((MAX_XLSX_CELLS + 1000) * '<c r="A1"><v>1</v></c>'.length);
    const result = await importFiles([bytesSource("报表.xlsx", bomb)], {referenceDate: "2025-12-31"});
    const error = result.files[0]!.error!;
    expect(error.rule).toBe("file_too_large");
    expect(error.message).toMatch(/^文件过大（工作表「xl\/worksheets\/sheet1\.xml」有 0 行、6,001,000 个单元格，超过本页读取 Excel 文件的上限（全部工作表共 6,000,000 个单元格/);
    expect(error.message).not.toContain("无法读取 Excel 文件");
  }, 60_000);
});
