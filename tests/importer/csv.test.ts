import fc from "fast-check";
import {describe, expect, test} from "vitest";
import {CsvParser, decodeBytes, detectDelimiter, parseCsv, sniffEncoding, neutraliseCell, toCsv} from "../../src/importer/index.js";

describe("the CSV parser", () => {
  test("reads quotes, doubled quotes, delimiters and line breaks inside quotes, and CRLF/LF/CR", () => {
    const records = parseCsv('a,b\r\n"x,1","say ""hi"""\n"two\nlines",3\rlast,4');
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ["a", "b"]],
      [2, ["x,1", 'say "hi"']],
      [3, ["two\nlines", "3"]],
      [5, ["last", "4"]],
    ]);
  });

  test("picks tab or comma from the first line", () => {
    expect(detectDelimiter("a\tb\tc,d\n")).toBe("\t");
    expect(detectDelimiter('"a\tb",c\n')).toBe(",");
  });

  test("an unclosed quote rejects its line and the rest is read on", () => {
    const records = parseCsv('a,b\n"oops,1\nc,2\nd,3\n');
    expect(records.map((r) => [r.line, r.unclosedQuote ?? false, r.fields])).toEqual([
      [1, false, ["a", "b"]],
      [2, true, ['"oops', "1"]],
      [3, false, ["c", "2"]],
      [4, false, ["d", "3"]],
    ]);
  });

  test("gives the same records however the text is cut into chunks", () => {
    const field = fc.oneof(fc.string({unit: fc.constantFrom(..."ab,\"\n\r\t 中文")}), fc.constant(""));
    fc.assert(
      fc.property(fc.array(fc.array(field, {minLength: 1, maxLength: 4}), {minLength: 1, maxLength: 6}), fc.array(fc.integer({min: 1, max: 7}), {maxLength: 20}), (rows, cuts) => {
        const text = rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(",")).join("\r\n");
        const whole = parseCsv(text, ",");
        const parser = new CsvParser(",");
        const pieces: string[] = [];
        let at = 0;
        for (const c of cuts) {
          pieces.push(text.slice(at, at + c));
          at += c;
        }
        pieces.push(text.slice(at));
        const chunked = [...pieces.flatMap((p) => parser.push(p)), ...parser.finish()];
        expect(chunked).toEqual(whole);
        expect(whole.map((r) => r.fields)).toEqual(rows);
      }),
      {numRuns: 300},
    );
  });
});

describe("decoding", () => {
  test("says which encoding it used", () => {
    expect(sniffEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).label).toBe("UTF-8（带 BOM）");
    expect(sniffEncoding(new Uint8Array([0xd6, 0xd0, 0xce, 0xc4]), true).encoding).toBe("gb18030"); // 中文 in GBK
    expect(decodeBytes(new Uint8Array([0xd6, 0xd0, 0xce, 0xc4])).text).toBe("中文");
  });
  test("a file with NUL bytes that is not UTF-16 is binary", () => {
    expect(() => decodeBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3, 4, 5, 6]))).toThrow(/binary_file/);
  });
});

describe("exports neutralise formulas", () => {
  test.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["＝1+1", "'＝1+1"],
    ["<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"],
    ["东湖社区", "东湖社区"],
  ])("%s → %s", (value, out) => expect(neutraliseCell(value)).toBe(out));

  test("CSV exports start with a BOM and quote what needs quoting", () => {
    expect(toCsv(["名称", "备注"], [["a,b", '=1+"2"']])).toBe('\uFEFF名称,备注\r\n"a,b","\'=1+""2"""\r\n');
  });
});
