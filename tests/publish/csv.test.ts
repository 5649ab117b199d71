import {describe, expect, test} from "vitest";
import {csvCell, csvText, neutraliseFormula, toCsv} from "../../loaders/publish/csv.js";
import {units, type UnitRow} from "../../src/schemas/units.js";

describe("CSV cells", () => {
  test("text a spreadsheet would run as a formula gets a leading apostrophe", () => {
    expect(neutraliseFormula('=HYPERLINK("http://evil.example","点击")')).toBe('\'=HYPERLINK("http://evil.example","点击")');
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(neutraliseFormula(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(neutraliseFormula("城市低保 = 450")).toBe("城市低保 = 450");
    expect(neutraliseFormula("'already")).toBe("'already");
  });

  test("numbers stay numbers, including negative ones; -0 is written 0", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(csvCell(-0)).toBe("0");
    expect(() => csvCell(Number.NaN)).toThrow(/NaN/);
  });

  test("null is an empty cell; booleans are true/false", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(false)).toBe("false");
  });

  test("commas, quotes and line breaks are quoted as RFC 4180 says, after neutralising", () => {
    expect(csvCell('他说"好",然后')).toBe('"他说""好"",然后"');
    expect(csvCell("两行\n文本")).toBe('"两行\n文本"');
    expect(csvCell("=1,2")).toBe(`"'=1,2"`);
  });
});

describe("CSV files", () => {
  test("start with a UTF-8 byte-order mark so Excel reads Chinese correctly, and end lines with CRLF", () => {
    const bytes = new TextEncoder().encode(csvText(["a", "b"], [{a: "示例", b: 1}]));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", {ignoreBOM: true}).decode(bytes)).toBe("\uFEFFa,b\r\n示例,1\r\n");
  });

  test("a dataset's CSV has its columns in schema order and rows in sort-key order", () => {
    const unit = (code: string, name: string): UnitRow => ({
      unit_code: code, unit_name: name, level: "community", level_label: "社区", parent_code: "9901", district_code: "990101", street_code: "990101001",
      urban_rural: "urban", residents: 100, has_rehab_room: null, rehab_room_area_m2: null, has_coordinator: true, coordinator_trained: false,
      has_care_point: null, rehab_funding_yuan: 30.5, satisfaction_rate: 0.9, synthetic: true,
    });
    const text = new TextDecoder("utf-8", {ignoreBOM: true}).decode(toCsv(units, [unit("B2", "=cmd|' /C calc'!A0"), unit("A1", "东湖社区")]));
    expect(text.startsWith("\uFEFFunit_code,")).toBe(true);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]!.split(",").slice(0, 3)).toEqual(["unit_code", "unit_name", "level"]);
    expect(lines[1]!.startsWith("A1,东湖社区,community")).toBe(true);
    expect(lines[2]!.startsWith("B2,'=cmd|' /C calc'!A0,community")).toBe(true);
    expect(lines[1]).toContain(",,"); // nulls are empty
  });
});
