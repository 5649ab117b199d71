import {describe, expect, it} from "vitest";
import {formatParameterValue, fromEditValue, problemZh, sliderRange, toEditValue, unitZh} from "../../../src/components/sandbox/scenarioFormat.js";

describe("units in Chinese", () => {
  it.each([
    ["CNY per person per month", "元/人·月"],
    ["CNY per resident per year", "元/常住人口·年"],
    ["CNY per care point per year", "元/个服务点·年"],
    ["CNY per person screened", "元/人（筛查）"],
    ["CNY per year", "元/年"],
    ["CNY per m²", "元/平方米"],
    ["share 0–1", "%"],
    ["relative change per year", "%/年"],
    ["year", "年"],
    ["persons", "人"],
    ["activities per year", "次/年"],
  ])("%s → %s", (unit, zh) => expect(unitZh(unit)).toBe(zh));
});

describe("edit values", () => {
  it("edits shares and yearly rates in percent and stores exactly the decimal typed", () => {
    expect(toEditValue(0.6, "share 0–1")).toBe(60);
    expect(fromEditValue(14.3, "share 0–1")).toBe(0.143);
    expect(fromEditValue(-0.1, "relative change per year")).toBe(-0.001);
    expect(toEditValue(0.0137, "relative change per year")).toBe(1.37);
    expect(fromEditValue(480, "CNY per person per month")).toBe(480);
  });

  it("round-trips every percent typed with up to two decimals", () => {
    for (let i = 0; i <= 10_000; i++) {
      const typed = i / 100;
      expect(toEditValue(fromEditValue(typed, "share 0–1"), "share 0–1")).toBe(typed);
    }
  });

  it("gives sliders a range around the value in force", () => {
    expect(sliderRange(480, "CNY per person per month", 2025)).toEqual({min: 0, max: 1440, step: 10});
    expect(sliderRange(0.3, "CNY per resident per year", 2025)).toEqual({min: 0, max: 1, step: 0.01});
    expect(sliderRange(0.9, "share 0–1", 2025)).toEqual({min: 0, max: 100, step: 1});
    expect(sliderRange(2030, "year", 2025)).toEqual({min: 2026, max: 2035, step: 1});
    expect(sliderRange(-0.001, "relative change per year", 2025)).toEqual({min: -5, max: 10, step: 0.1});
  });
});

describe("parameter values as text", () => {
  it.each([
    [480, "CNY per person per month", "480 元/人·月"],
    [0.3, "CNY per resident per year", "0.3 元/常住人口·年"],
    [12345.5, "CNY per room", "12,345.5 元/间"],
    [0.9, "share 0–1", "90%"],
    [0.143, "share 0–1", "14.3%"],
    [-0.001, "relative change per year", "−0.1%/年"],
    [2030, "year", "2030 年"],
    [Number.NaN, "share 0–1", "—"],
  ])("%s %s → %s", (value, unit, text) => expect(formatParameterValue(value, unit)).toBe(text));
});

describe("problems in Chinese", () => {
  it.each([
    [{path: "(file)", message: "not JSON: Unexpected token"}, "文件不是有效的 JSON"],
    [{path: "version", message: "version 2 was made by a newer DPF Sandbox (this one reads up to 1)"}, "此方案由更新版本的沙盘保存（格式版本 2），本页只能读取版本 1 及以前的方案。"],
    [{path: "version", message: "no migration from version 0"}, "此方案的格式版本 0 过旧，无法自动升级。"],
    [{path: "version", message: "migrated from version 0 to 1"}, "方案已由格式版本 0 自动升级到版本 1。"],
    [{path: "overrides.a.b", message: "parameter a.b is now called a.c; the override was carried over"}, "参数 a.b 已更名为 a.c，原设定已沿用。"],
    [{path: "overrides.x.y", message: "unknown parameter x.y: its override is ignored"}, "本页不认识参数 x.y"],
    [{path: "presets.0", message: "unknown preset old-one: ignored"}, "本页不认识预设方案 old-one"],
    [{path: "cap", message: "not a number: \"abc\""}, "预算上限 的值 \"abc\" 不是数字。"],
    [{path: "zz", message: "unknown URL key"}, "网址中有本页不认识的参数「zz」。"],
    [{path: "overrides.a.b", message: "must be a finite number"}, "参数 a.b 必须是有限的数字。"],
    [{path: "assumption.funding_share", message: "funding shares of 2027 do not add up to 1"}, "2027 年中央、省、市、区县四级资金分担比例之和不等于 100%"],
  ])("%j", (problem, zh) => expect(problemZh(problem)).toContain(zh));

  it("keeps a message it does not know in brackets after the field's Chinese name", () => {
    expect(problemZh({path: "name", message: "Too big"})).toBe("方案名称 有误（Too big）。");
  });
});
