import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import * as XLSX from "@e965/xlsx";
import {bytesSource, formatProblem, importFiles, rowsOf, rules, type ImportResult} from "../../src/importer/index.js";
import {readXls} from "../../src/importer/xls.js";
import {readXlsx, type Sheet} from "../../src/importer/xlsx.js";
import {CellFlag} from "../../src/importer/convert.js";
import {badDir, fixturesDir} from "./corpus.js";
import {specsFromSheets as asXlsSpecs, writeXls, writeXlsBiff5, type XlsSheetSpec, type XlsValue} from "../fixtures/xlsWriter.js";

const referenceDate = "2025-01-01";
const run = (files: [string, Uint8Array][]) => importFiles(files.map(([name, bytes]) => bytesSource(name, bytes)), {referenceDate});

/** A workbook with what old office files hold: two sheets, hidden ones, merges, a date, formulas, Chinese. */
const sample: XlsSheetSpec[] = [
  {
    name: "单位",
    rows: [
      ["示例市残联 2024 年统计", null, null, null],
      ["单位代码", "单位名称", "填报日期", "常住人口"],
      ["C01", "示例市", new Date(Date.UTC(2024, 4, 6)), 120000],
      ["D01", "东城区", new Date(Date.UTC(2023, 11, 31)), {formula: "D5+D6", value: 5000}],
      ["S01", "朝阳街道", null, 3000],
      ["S02", {formula: '"和平"', value: "和平街道"}, true, 2000],
    ],
    merges: ["A1:D1"],
    hiddenRows: [5],
    hiddenColumns: [3],
  },
  {name: "旧数据", rows: [["不应读取"]], state: "hidden"},
  {name: "配置", rows: [["深度隐藏"]], state: "veryHidden"},
  {name: "人员", rows: [["人员序号", "年龄"], [1, 34], [2, 61.5]]},
];

describe("readXls", () => {
  test("reads sheets, states, merges, dates, cached formula results, hidden rows and columns, Chinese text", async () => {
    const sheets = await readXls(writeXls(sample), "统计.xls");
    expect(sheets.map((s) => [s.name, s.state])).toEqual([
      ["单位", "visible"],
      ["旧数据", "hidden"],
      ["配置", "veryHidden"],
      ["人员", "visible"],
    ]);
    const units = sheets[0]!;
    // A merged range reads its value in every cell, as readXlsx gives it.
    expect(units.rows[0]).toEqual(["示例市残联 2024 年统计", "示例市残联 2024 年统计", "示例市残联 2024 年统计", "示例市残联 2024 年统计"]);
    expect(units.merges).toEqual(["A1:D1"]);
    expect(units.rows[2]).toEqual(["C01", "示例市", new Date(Date.UTC(2024, 4, 6)), 120000]);
    expect(units.rows[3]![2]).toBeInstanceOf(Date);
    expect((units.rows[3]![2] as Date).toISOString()).toBe("2023-12-31T00:00:00.000Z");
    expect(units.rows[3]![3]).toBe(5000);
    expect(units.rows[5]).toEqual(["S02", "和平街道", true, 2000]);
    expect(units.formulas).toBe(2);
    expect(units.formulasWithoutResult).toBe(0);
    expect(units.hiddenRows).toEqual([5]);
    expect(units.hiddenColumns).toEqual([3]);
    // Hidden sheets are listed, not read.
    expect(sheets[1]!.rows).toEqual([]);
    expect(sheets[3]!.rows).toEqual([["人员序号", "年龄"], [1, 34], [2, 61.5]]);
  });

  test("dates in the formats Chinese Excel uses (yyyy年m月d日, with a time) are Dates; numbers stay numbers", async () => {
    const when = new Date(Date.UTC(2024, 2, 5));
    const sheets = await readXls(writeXls([{name: "S", rows: [["日期", "数"], [when, 45356]], dateFormat: 'yyyy"年"m"月"d"日"'}]));
    expect(sheets[0]!.rows[1]).toEqual([when, 45356]);
    const timed = await readXls(writeXls([{name: "S", rows: [[new Date(Date.UTC(2024, 2, 5, 12, 30))]], dateFormat: "yyyy-mm-dd hh:mm"}]));
    expect(timed[0]!.rows[0]![0]).toEqual(new Date(Date.UTC(2024, 2, 5, 12, 30)));
  });

  test("an Excel error value is a cell problem, not a value", async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, {"!ref": "A1:B1", A1: {t: "s", v: "x"}, B1: {t: "e", v: 0x07}}, "S");
    const sheets = await readXls(new Uint8Array(XLSX.write(wb, {type: "array", bookType: "xls"}) as ArrayBuffer));
    expect(sheets[0]!.rows[0]![1]).toBeInstanceOf(CellFlag);
    expect(String(sheets[0]!.rows[0]![1])).toBe("#DIV/0!");
  });

  test("reads Excel 5.0/95 (BIFF5) workbooks", async () => {
    const sheets = await readXls(writeXlsBiff5([{name: "Units", rows: [["code", "residents"], ["C01", 120000]]}, {name: "Old", rows: [["x"]], state: "hidden"}]));
    expect(sheets.map((s) => [s.name, s.state])).toEqual([["Units", "visible"], ["Old", "hidden"]]);
    expect(sheets[0]!.rows).toEqual([["code", "residents"], ["C01", 120000]]);
  });

  test("an encrypted .xls, a damaged one and one too large are named, not misread", async () => {
    await expect(readXls(writeXls(sample, {encrypted: true}), "密.xls")).rejects.toMatchObject({rule: "encrypted_workbook"});
    await expect(readXls(readFileSync(join(badDir, "old.xls")), "old.xls")).rejects.toMatchObject({rule: "xls_unsupported"});
    await expect(readXls(new Uint8Array(61 * 1024 * 1024), "big.xls")).rejects.toMatchObject({rule: "file_too_large"});
  });

  test(`parses 10,000 rows × 15 columns`, async () => {
    const rows: XlsValue[][] = [Array.from({length: 15}, (_, c) => `列${c + 1}`)];
    for (let r = 0; r < 10_000; r++) rows.push(Array.from({length: 15}, (_, c) => (c % 3 === 0 ? `社区${r}-${c}` : c % 3 === 1 ? r * 15 + c : (r % 100) / 7)));
    const bytes = writeXls([{name: "人员", rows}]);
    const started = performance.now();
    const sheets = await readXls(bytes, "big.xls");
    const ms = performance.now() - started;
    console.log(`readXls: 10,000 rows × 15 columns (${(bytes.length / 1024).toFixed(0)} KiB) in ${ms.toFixed(0)} ms`);
    expect(sheets[0]!.rows.length).toBe(10_001);
    expect(sheets[0]!.rows[10_000]![0]).toBe("社区9999-0");
    expect(sheets[0]!.rows[10_000]![1]).toBe(9999 * 15 + 1);
    expect(ms).toBeLessThan(15_000);
  }, 180_000);
});

const summary = (r: ImportResult) => ({
  units: r.units,
  persons: rowsOf(r.persons),
  counts: r.counts,
  problems: r.problems.map((p) => `${p.rule}@${p.sheet}:${p.row ?? ""}:${p.column ?? ""}`).sort(),
  sheets: r.files.flatMap((f) => f.sheets.map((s) => ({sheet: s.sheet, table: s.table, headerRows: s.headerRows, rowsIn: s.rowsIn, accepted: s.accepted, rejected: s.rejected, notes: s.notes.filter((n) => !n.includes("公式"))}))),
  pii: r.pii.map(({file: _, ...p}) => p),
});

describe("importFiles with .xls", () => {
  test.each(["city/city.xlsx", "bad/hidden-sheet.xlsx", "bad/merged-header.xlsx", "bad/merged-data-cells.xlsx", "bad/xlsx-dates.xlsx", "bad/multirow-header.xlsx", "bad/xlsx-id-numbers.xlsx"])(
    "%s saved as .xls imports with the same result as the .xlsx",
    async (path) => {
      const xlsxBytes = readFileSync(join(fixturesDir, path));
      const xlsBytes = writeXls(asXlsSpecs(await readXlsx(xlsxBytes, path)));
      const fromXlsx = await run([["book.xlsx", xlsxBytes]]);
      const fromXls = await run([["book.xls", xlsBytes]]);
      expect(fromXls.files[0]!.format).toBe("xls");
      expect(fromXls.files[0]!.error, fromXls.problems.map(formatProblem).join("\n")).toBeUndefined();
      expect(summary(fromXls)).toEqual(summary(fromXlsx));
    },
  );

  test("the filled-in template as .xls: the whole city, no problem", async () => {
    const xlsBytes = writeXls(asXlsSpecs(await readXlsx(readFileSync(join(fixturesDir, "city", "city.xlsx")))));
    const r = await run([["示例市.xls", xlsBytes]]);
    expect(r.errors, r.problems.map(formatProblem).join("\n")).toBe(0);
    expect(r.counts.units).toMatchObject({rowsIn: 9, accepted: 9, rejected: 0});
    expect(r.counts.persons).toMatchObject({rowsIn: 24, accepted: 24, rejected: 0});
  });

  test("the sample workbook: hidden sheets noted, formulas counted, hidden rows noted", async () => {
    const r = await run([["统计.xls", writeXls(sample)]]);
    const notes = [...r.notes, ...r.files[0]!.sheets.flatMap((s) => s.notes)].join("\n");
    expect(notes).toContain("隐藏的工作表「旧数据」未导入");
    expect(notes).toContain("2 个公式单元格按 Excel 保存的计算结果读取");
    expect(notes).toContain("1 个隐藏行（如第 5 行）照常导入");
  });

  test("a WPS .et file and an .xls under another name are read, and the note says so", async () => {
    const bytes = writeXls(asXlsSpecs(await readXlsx(readFileSync(join(fixturesDir, "city", "city.xlsx")))));
    for (const [name, note] of [["示例市.et", "WPS 表格文件，按 .xls 格式读取"], ["示例市.ett", "WPS 表格文件"], ["示例市.xlsx", "内容是旧版 Excel 工作簿（.xls），按 .xls 读取"]]) {
      const r = await run([[name!, bytes]]);
      expect(r.files[0]!.format, name).toBe("xls");
      expect(r.counts.persons.accepted, name).toBe(24);
      expect(r.notes.join("\n"), name).toContain(note);
    }
  });

  test("an encrypted .xls and a damaged one are file errors with Chinese messages naming the format and what to do", async () => {
    const r = await run([["密.xls", writeXls(sample, {encrypted: true})], ["old.xls", readFileSync(join(badDir, "old.xls"))]]);
    expect(r.files.map((f) => f.error?.rule)).toEqual(["encrypted_workbook", "xls_unsupported"]);
    for (const f of r.files) {
      expect(f.error!.message).toMatch(/另存为 \.xlsx/);
      expect(f.error!.message).toMatch(/Excel|WPS/);
    }
  });
});

/** A ZIP with stored entries (enough for a reader of names; CRCs are left zero). */
function storedZip(entries: [string, string][]): Uint8Array {
  const enc = new TextEncoder();
  const local: number[] = [];
  const central: number[] = [];
  const u16 = (n: number) => [n & 0xff, n >> 8];
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  for (const [name, text] of entries) {
    const n = [...enc.encode(name)];
    const data = [...enc.encode(text)];
    const offset = local.length;
    local.push(...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(data.length), ...u32(data.length), ...u16(n.length), ...u16(0), ...n, ...data);
    central.push(...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(data.length), ...u32(data.length), ...u16(n.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(offset), ...n);
  }
  const end = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length), ...u32(central.length), ...u32(local.length), ...u16(0)];
  return new Uint8Array([...local, ...central, ...end]);
}

/** An OLE compound file with the named streams. */
function compoundFile(streams: string[]): Uint8Array {
  const cfb = XLSX.CFB.utils.cfb_new();
  for (const s of streams) XLSX.CFB.utils.cfb_add(cfb, `/${s}`, new Uint8Array(600).fill(7));
  return new Uint8Array(XLSX.CFB.write(cfb, {type: "array"}) as ArrayLike<number>);
}

const ascii = (s: string) => new TextEncoder().encode(s);

describe("files that are not a table the importer reads are named, with what to do", () => {
  const cases: [string, string, string, Uint8Array][] = [
    ["报表.pdf", "pdf_file", "PDF", ascii("%PDF-1.7\n%âãÏÓ\n1 0 obj\n")],
    ["扫描件.png", "image_file", "PNG", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ["照片.jpg", "image_file", "JPEG", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46])],
    ["照片.heic", "image_file", "HEIC", new Uint8Array([0, 0, 0, 24, ...ascii("ftypheic"), 0, 0, 0, 0])],
    ["资料.rar", "rar_archive", "RAR", new Uint8Array([...ascii("Rar!"), 0x1a, 0x07, 0x01, 0x00])],
    ["资料.7z", "rar_archive", "7z", new Uint8Array([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])],
    ["资料.zip", "zip_archive", "ZIP", storedZip([["单位.xlsx", "x"], ["人员.csv", "y"]])],
    ["说明.docx", "word_document", "Word", storedZip([["[Content_Types].xml", "<Types/>"], ["word/document.xml", "<w:document/>"]])],
    ["说明.doc", "word_document", "Word", compoundFile(["WordDocument", "1Table"])],
    ["汇报.pptx", "presentation_file", "PowerPoint", storedZip([["[Content_Types].xml", "<Types/>"], ["ppt/presentation.xml", "<p/>"]])],
    ["汇报.ppt", "presentation_file", "PowerPoint", compoundFile(["PowerPoint Document"])],
    ["统计.ods", "ods_file", ".ods", storedZip([["mimetype", "application/vnd.oasis.opendocument.spreadsheet"], ["content.xml", "<office/>"]])],
    ["统计.numbers", "numbers_file", "Numbers", storedZip([["Index/Document.iwa", "x"], ["Metadata/Properties.plist", "y"]])],
    ["统计.xlsb", "unreadable_xlsx", ".xlsb", storedZip([["[Content_Types].xml", "<Types/>"], ["xl/workbook.bin", "x"]])],
    ["导出.xls", "html_file", "HTML", ascii("<html><head><meta charset=utf-8></head><body><table><tr><td>单位代码</td></tr></table></body></html>")],
    ["导出.xml", "xml_spreadsheet", "XML", ascii('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">')],
    ["加密.xlsx", "encrypted_workbook", "密码", compoundFile(["EncryptionInfo", "EncryptedPackage"])],
    ["其他.xls", "xls_unsupported", "另存为 .xlsx", compoundFile(["Contents"])],
  ];
  test.each(cases)("%s → %s", async (name, rule, format, bytes) => {
    const r = await run([[name, bytes]]);
    const error = r.files[0]!.error!;
    expect(error?.rule, r.problems.map(formatProblem).join("\n")).toBe(rule);
    expect(error.message).toContain(format);
    expect(error.message).toMatch(/另存为|解压|导出为|原始的 Excel/);
    expect(rules[error.rule].severity).toBe("error");
    // Only the file's own error: no "no units" on top of an unreadable file.
    expect(r.problems.filter((p) => p.file === name).map((p) => p.rule)).toEqual([rule]);
  });

  test("text saved under an .xls name is read as text, and the note says so", async () => {
    const r = await run([["units.xls", readFileSync(join(badDir, "tab-separated.tsv"))], ["persons.csv", readFileSync(join(fixturesDir, "city", "persons.csv"))]]);
    expect(r.files[0]!.format).toBe("csv");
    expect(r.counts.units.accepted).toBe(9);
    expect(r.notes.join("\n")).toContain("扩展名是 Excel，内容却是文本");
  });
});
