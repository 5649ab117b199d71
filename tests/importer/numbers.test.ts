import fc from "fast-check";
import {describe, expect, test} from "vitest";
import {ageOn, parseBoolean, parseDate, parseNumber} from "../../src/importer/index.js";

const toFullWidth = (s: string) => s.replace(/[0-9%.,]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const grouped = (n: number) => n.toLocaleString("en-US", {maximumFractionDigits: 20});

describe("parseNumber reads numbers as Chinese tables write them", () => {
  test.each([
    ["1.2万", 12000],
    ["12,345", 12345],
    ["85%", 0.85],
    ["６０％", 0.6],
    ["1.5亿", 150_000_000],
    ["¥3.5万", 35000],
    ["1,200元", 1200],
    ["40平方米", 40],
    ["1.2万人", 12000],
    ["-5", -5],
    ["−5", -5],
    ["７５．５％", 0.755],
    ["1.15万", 11500],
    ["0.1%", 0.001],
    ["5‰", 0.005],
    ["'0123", 123],
    ["1e3", 1000],
    [" 8 520 ", 8520],
  ])("%s → %d", (text, value) => {
    expect(parseNumber(text)?.value).toBe(value);
  });

  test.each(["", "很多", "12,34", "1,2345", "1.2.3", "万", "%", "12万亿亿", "--5", "1,234.5.6", "NaN", "Infinity"])("「%s」 is not a number", (text) => {
    expect(parseNumber(text)).toBeNull();
  });

  test("says when a value was written as a percent", () => {
    expect(parseNumber("85%")).toEqual({value: 0.85, percent: true});
    expect(parseNumber("0.85")).toEqual({value: 0.85, percent: false});
  });

  test("an integer reads back from its plain, grouped and full-width forms", () => {
    fc.assert(
      fc.property(fc.integer({min: -1e12, max: 1e12}), (n) => {
        expect(parseNumber(String(n))?.value).toBe(n);
        expect(parseNumber(grouped(n))?.value).toBe(n);
        expect(parseNumber(toFullWidth(String(n)))?.value).toBe(n);
      }),
      {numRuns: 500},
    );
  });

  test("x万 and x亿 are exactly x × 10⁴ and x × 10⁸ for decimals written with up to four places", () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 99_999_999}), fc.integer({min: 0, max: 4}), (digits, places) => {
        const text = (digits / 10 ** places).toFixed(places);
        expect(parseNumber(`${text}万`)?.value).toBe(Number(`${text}e4`));
        expect(parseNumber(`${text}亿`)?.value).toBe(Number(`${text}e8`));
      }),
      {numRuns: 500},
    );
  });

  test("p% is p/100 without binary rounding, for percents with up to two decimals, half- or full-width", () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 100_00}), (hundredths) => {
        const text = (hundredths / 100).toFixed(2);
        expect(parseNumber(`${text}%`)?.value).toBe(Number(`${text}e-2`));
        expect(parseNumber(toFullWidth(`${text}%`))?.value).toBe(Number(`${text}e-2`));
      }),
      {numRuns: 500},
    );
  });

  test("never throws and never returns a non-finite number, whatever the text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({unit: fc.constantFrom(..."0123456789,.%万亿千百十-+e¥元人％０１２３４５６７８９．，")})), (text) => {
        const r = parseNumber(text);
        expect(r === null || Number.isFinite(r.value)).toBe(true);
      }),
      {numRuns: 1000},
    );
  });
});

describe("parseBoolean reads yes and no", () => {
  test.each(["是", "有", "√", "✓", "Y", "yes", "TRUE", "1", "已筛查", "已配备", "有康复室"])("%s → true", (t) => expect(parseBoolean(t)).toBe(true));
  test.each(["否", "无", "×", "N", "no", "FALSE", "0", "未筛查", "未配备", "没有", "不合格"])("%s → false", (t) => expect(parseBoolean(t)).toBe(false));
  test.each(["也许", "", "2", "待定"])("「%s」 is neither", (t) => expect(parseBoolean(t)).toBeNull());
});

describe("parseDate reads Chinese date formats", () => {
  test.each([
    ["2024年3月5日", "2024-03-05"],
    ["2024年03月05日", "2024-03-05"],
    ["2024年3月5号", "2024-03-05"],
    ["二〇二四年三月五日", "2024-03-05"],
    ["二〇一五年十二月三十一日", "2015-12-31"],
    ["2024-3-5", "2024-03-05"],
    ["2024/03/05", "2024-03-05"],
    ["2024.3.5", "2024-03-05"],
    ["20240305", "2024-03-05"],
    ["２０２４年３月５日", "2024-03-05"],
    ["2024年3月", "2024-03-01"],
    ["2024-03", "2024-03-01"],
    ["45356", "2024-03-05"],
  ])("%s → %s", (text, iso) => expect(parseDate(text)).toBe(iso));

  test.each(["2023年2月29日", "2024-13-01", "2024/02/30", "昨天", "1800-01-01", "3月5日"])("「%s」 is not a date", (t) => expect(parseDate(t)).toBeNull());

  test("an Excel serial day number and a Date cell read as the same day", () => {
    expect(parseDate(45356)).toBe("2024-03-05");
    expect(parseDate(new Date(Date.UTC(2024, 2, 5)))).toBe("2024-03-05");
  });

  test("every calendar day round-trips through 年月日 and through its serial number", () => {
    fc.assert(
      fc.property(fc.date({min: new Date(Date.UTC(1901, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true}), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split("-").map(Number);
        expect(parseDate(`${y}年${m}月${day}日`)).toBe(iso);
        const serial = Math.floor((Date.UTC(y!, m! - 1, day!) - Date.UTC(1899, 11, 30)) / 86_400_000);
        expect(parseDate(serial)).toBe(iso);
      }),
      {numRuns: 300},
    );
  });

  test("age is counted in completed years, a birthday on the reference date included", () => {
    expect(ageOn("1965-03-08", "2025-03-07")).toBe(59);
    expect(ageOn("1965-03-08", "2025-03-08")).toBe(60);
    expect(ageOn("2024-02-29", "2025-02-28")).toBe(0);
  });
});
