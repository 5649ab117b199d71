import {describe, expect, it} from "vitest";
import {readScenarioFile, readScenarioQuery, scenarioFileName} from "../../src/components/scenarioFile.js";
import {baselineScenario, scenarioToJson, scenarioToQuery} from "../../src/engine/scenario.js";

const known = {parameterIds: ["subsidy.wubao.monthly", "assumption.takeup.wubao"], presetIds: ["wubao-480"]};
const scenario = {...baselineScenario("提高五保"), presets: ["wubao-480"], overrides: {"assumption.takeup.wubao": 0.95}, cap: {yuanPerYear: 5e6}};

describe("reading a scenario file", () => {
  it("reads back exactly what the page downloads", () => {
    expect(readScenarioFile(scenarioToJson(scenario), known)).toEqual({ok: true, scenario, notes: []});
  });

  it.each([
    ["an empty file", "", "文件是空的"],
    ["text that is not JSON", "五保 480", "文件不是有效的 JSON"],
    ["a JSON list", "[1, 2]", "文件内容不是一个方案"],
    ["a file without a version", JSON.stringify({...scenario, version: undefined}), "缺少方案格式版本号"],
    ["a file from a newer sandbox", JSON.stringify({...scenario, version: 2}), "更新版本的沙盘"],
    ["a file older than any migration", JSON.stringify({...scenario, version: 0}), "过旧，无法自动升级"],
    ["a non-numeric override", JSON.stringify({...scenario, overrides: {"subsidy.wubao.monthly": "480元"}}), "参数 subsidy.wubao.monthly"],
  ])("refuses %s with a Chinese reason", (_, text, reason) => {
    const reading = readScenarioFile(text, known);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.errors.join("\n")).toContain(reason);
  });

  it("migrates an old file and says so, carrying a renamed parameter over", () => {
    const old = JSON.stringify({version: 0, name: "旧方案", baseYear: 2025, years: [2026], presets: [], overrides: {"subsidy.wubao.standard": 500}});
    const reading = readScenarioFile(old, known, {migrations: {0: (v) => ({...v, version: 1})}, renamed: {"subsidy.wubao.standard": "subsidy.wubao.monthly"}});
    expect(reading).toEqual({
      ok: true,
      scenario: {version: 1, name: "旧方案", baseYear: 2025, years: [2026], presets: [], overrides: {"subsidy.wubao.monthly": 500}},
      notes: ["方案已由格式版本 0 自动升级到版本 1。", "参数 subsidy.wubao.standard 已更名为 subsidy.wubao.monthly，原设定已沿用。"],
    });
  });

  it("opens a file naming ids this page does not know, and lists them", () => {
    const reading = readScenarioFile(JSON.stringify({...scenario, presets: ["gone-preset"], overrides: {"subsidy.gone.monthly": 1}}), known);
    expect(reading.ok && reading.notes).toEqual(["本页不认识参数 subsidy.gone.monthly：其设定不参与测算（仍保留在方案中）。", "本页不认识预设方案 gone-preset：已忽略（仍保留在方案中）。"]);
  });
});

describe("reading a URL", () => {
  it("has no scenario in an empty query, and reads back the page's own query", () => {
    expect(readScenarioQuery("", known)).toBeUndefined();
    expect(readScenarioQuery("?", known)).toBeUndefined();
    expect(readScenarioQuery(`?${scenarioToQuery(scenario)}`, known)).toEqual({ok: true, scenario, notes: []});
  });

  it("explains a broken link in Chinese", () => {
    const reading = readScenarioQuery("?v=1&b=2025&y=2026-2030&subsidy.wubao.monthly=abc&utm_source=x", known);
    expect(reading).toEqual({ok: false, errors: ["参数 subsidy.wubao.monthly 的值 \"abc\" 不是数字。", "网址中有本页不认识的参数「utm_source」。"]});
  });
});

describe("file names", () => {
  it("names the download after the scenario, without characters file systems refuse", () => {
    expect(scenarioFileName({...scenario, name: "五保/低保: 方案?"})).toBe("预算方案-五保_低保_ 方案_.json");
    expect(scenarioFileName({...scenario, name: ""})).toBe("预算方案-未命名.json");
  });
});
