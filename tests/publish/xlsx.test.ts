import ExcelJS from "exceljs";
import {afterEach, describe, expect, test, vi} from "vitest";
import {codebook} from "../../loaders/publish/codebook.js";
import {toXlsx} from "../../loaders/publish/xlsx.js";
import {audit, type AuditRow} from "../../src/schemas/audit.js";

const finding = (id: string, message: string): AuditRow => ({
  id, document: "004_f20733b96c2a913c.txt", kind: "sum", severity: "error", message_zh: message, message_en: "parts exceed the total",
  expected: 12.5, reported: -3, unit: "persons", figure_a: "004-001", quote_a: "=HYPERLINK(\"http://evil.example\")", figure_b: null, quote_b: null,
});

async function read(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

afterEach(() => vi.useRealTimers());

describe("XLSX downloads", () => {
  const rows = [finding("004-b", "合计不符"), finding("004-a", "+1 比原文多")];
  const book = codebook(audit, ["一条附注"]);

  test("hold a data sheet in sort-key order, the codebook sheet and the about sheet", async () => {
    const workbook = await read(await toXlsx(audit, rows, book, [["版本 version", "0.1.0+abc"]]));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["数据", "字段说明", "说明"]);
    const data = workbook.getWorksheet("数据")!;
    expect(data.getRow(1).values).toEqual([undefined, ...book.columns.map((c) => c.column)]);
    expect(data.rowCount).toBe(3);
    expect(data.getCell("A2").value).toBe("004-a");
    expect(data.getCell("A1").note).toContain("编号");
    expect(workbook.getWorksheet("字段说明")!.rowCount).toBe(book.columns.length + 1);
    expect(workbook.getWorksheet("说明")!.getCell("B2").value).toBe("0.1.0+abc");
  });

  test("keep numbers as numbers, nulls empty, and never write a formula: formula-like text gets an apostrophe", async () => {
    const workbook = await read(await toXlsx(audit, rows, book, []));
    const data = workbook.getWorksheet("数据")!;
    const header = data.getRow(1).values as unknown[];
    const cell = (row: number, column: string) => data.getRow(row).getCell(header.indexOf(column));
    expect(cell(2, "expected").value).toBe(12.5);
    expect(cell(2, "reported").value).toBe(-3);
    expect(cell(2, "figure_b").value).toBeNull();
    expect(cell(2, "quote_a").value).toBe("'=HYPERLINK(\"http://evil.example\")");
    expect(cell(2, "message_zh").value).toBe("'+1 比原文多");
    data.eachRow((row) => row.eachCell((c) => expect(c.formula).toBeUndefined()));
  });

  test("are byte-identical whenever they are written (no build time inside)", async () => {
    vi.useFakeTimers({toFake: ["Date"]});
    vi.setSystemTime(new Date("2026-03-01T08:00:00Z"));
    const first = await toXlsx(audit, rows, book, []);
    vi.setSystemTime(new Date("2031-11-30T23:59:58Z"));
    const second = await toXlsx(audit, rows, book, []);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });
});
