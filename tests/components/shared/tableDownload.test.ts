import ExcelJS from "exceljs";
import {describe, expect, test} from "vitest";
import {csvBytes, downloadFileName, xlsxBytes} from "../../../src/components/shared/tableDownload.js";

// The gap page's downloads, as Excel and WPS on a planner's machine read them.

const headers = ["单位名称", "缺口人数", "说明"];
const rows = [
  ["东湖街道", 12, "未达标"],
  ["=HYPERLINK(\"http://x\")", 0, "+1"],
  ["-2", null, "@SUM(A1)"],
  ["石桥村", "—", "全部状态未知"],
  ["990106001001", -30.2, "未达标"],
];

describe("CSV", () => {
  const bytes = csvBytes(headers, rows);
  // ignoreBOM: keep the mark in the text (a decoder drops it by default).
  const text = new TextDecoder("utf-8", {ignoreBOM: true}).decode(bytes);

  test("starts with the UTF-8 byte-order mark and ends lines with CRLF, so Excel opens Chinese correctly", () => {
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text[0]).toBe("\uFEFF");
    expect(text.slice(1).split("\r\n")).toEqual(["单位名称,缺口人数,说明", "东湖街道,12,未达标", `"'=HYPERLINK(""http://x"")",0,'+1`, "'-2,,'@SUM(A1)", "石桥村,—,全部状态未知", "990106001001,-30.2,未达标", ""]);
  });
});

describe("XLSX", () => {
  test("holds each sheet with its header, numbers as numbers, formula-like text neutralised and — kept", async () => {
    const bytes = await xlsxBytes([
      {name: "覆盖缺口", headers, rows},
      {name: "说明", headers: ["项目", "内容"], rows: [["指标", "康复需求筛查率"]]},
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["覆盖缺口", "说明"]);
    const sheet = workbook.getWorksheet("覆盖缺口")!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(headers);
    expect(values(2)).toEqual(["东湖街道", 12, "未达标"]);
    expect(values(3)).toEqual(["'=HYPERLINK(\"http://x\")", 0, "'+1"]);
    expect(values(4)).toEqual(["'-2", undefined, "'@SUM(A1)"]);
    expect(values(5)).toEqual(["石桥村", "—", "全部状态未知"]);
    expect(values(6)).toEqual(["990106001001", -30.2, "未达标"]);
    for (let r = 1; r <= 6; r++) sheet.getRow(r).eachCell((cell) => expect(cell.formula).toBeFalsy());
  });

  test("a 12-digit code opens as a text cell (format @), not as the number 9.90106E+11; numbers stay numbers", async () => {
    const bytes = await xlsxBytes([{name: "覆盖缺口", headers: ["代码", "差距（百分点）"], rows: [["990106001001", -30.2], ["010203", 0]]}]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("覆盖缺口")!;
    for (const [r, code] of [[2, "990106001001"], [3, "010203"]] as const) {
      const cell = sheet.getCell(r, 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(code);
      expect(cell.numFmt).toBe("@");
    }
    expect(sheet.getCell(2, 2).type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell(2, 2).value).toBe(-30.2);
  });

  test("the same table gives the same bytes on every download", async () => {
    const spec = [{name: "表", headers, rows}];
    expect(await xlsxBytes(spec)).toEqual(await xlsxBytes(spec));
  });
});

describe("file names", () => {
  test("name the view in Chinese and drop characters no file system allows", () => {
    expect(downloadFileName(["覆盖缺口", "康复需求筛查率", "示例市-己县", "各街道/乡镇", "2026年", "", "视力、听力类"], "csv")).toBe("覆盖缺口_康复需求筛查率_示例市-己县_各街道乡镇_2026年_视力、听力类.csv");
    expect(downloadFileName(['a:b*c?"d"<e>|f\\g'], "xlsx")).toBe("abcdefg.xlsx");
    expect(downloadFileName(["", "  "], "csv")).toBe("表格.csv");
  });
});
