import {describe, expect, it} from "vitest";
import {readScenarioFile, readSlotsQuery, readUploadedFile, scenarioFileName, slotsFileName} from "../../../src/components/sandbox/scenarioFile.js";
import {slotsToJson, slotsToQuery, type Slots} from "../../../src/components/sandbox/scenarioState.js";
import {loadParameters} from "../../../loaders/parameters/loadParameters.js";
import {baselineScenario, scenarioToJson, scenarioToQuery} from "../../../src/engine/scenario.js";
import {parameterSetFromRows} from "../../../src/engine/scenarioParameters.js";

const parameters = parameterSetFromRows(loadParameters());
const known = {parameterIds: ["subsidy.wubao.monthly", "assumption.takeup.wubao"], presetIds: ["wubao-480"], parameters};
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
    ["a non-numeric override", JSON.stringify({...scenario, overrides: {"subsidy.wubao.monthly": "480元"}}), "参数「农村五保供养标准」"],
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

const dated = {...baselineScenario("五保分段"), overrides: {"subsidy.wubao.monthly": [{date: "2028-01-01", value: 520}]}};
const three: Slots = {scenarios: [baselineScenario("方案 1"), scenario, dated], active: 1};

describe("reading a URL", () => {
  it("has no scenario in an empty query, and reads back the page's own query", () => {
    expect(readSlotsQuery("", known)).toBeUndefined();
    expect(readSlotsQuery("?", known)).toBeUndefined();
    expect(readSlotsQuery(`?${slotsToQuery(three)}`, known)).toEqual({ok: true, slots: three, notes: []});
  });

  it("opens a link made before the slots were in the URL (one scenario's keys) as one slot", () => {
    // The form of the links shared so far, written out rather than made by this version's code.
    const old = "?v=1&n=%E6%8F%90%E9%AB%98%E4%BA%94%E4%BF%9D&b=2025&y=2026-2030&p=wubao-480&assumption.takeup.wubao=0.95&cap=5000000";
    expect(readSlotsQuery(old, known)).toEqual({ok: true, slots: {scenarios: [scenario], active: 0}, notes: []});
  });

  it("explains a broken link in Chinese", () => {
    const reading = readSlotsQuery("?v=1&b=2025&y=2026-2030&subsidy.wubao.monthly=abc&utm_source=x", known);
    expect(reading).toEqual({ok: false, errors: ["参数「农村五保供养标准」 的值 \"abc\" 不是数字。", "网址中有本页不认识的参数「utm_source」。"]});
  });

  it.each([
    ["a slot number beyond three", "&slot=4", "应为 1 到 3 之间的方案序号"],
    ["a gap in the slots", "&s3=v%3D1%26b%3D2025%26y%3D2026-2030", "网址中缺少网址中的方案 2（s2）"],
    ["another slot in the edited one's place", "&slot=2&s2=v%3D1%26b%3D2025%26y%3D2026-2030", "与正在编辑的方案重复"],
  ])("refuses %s in Chinese", (_, extra, reason) => {
    const reading = readSlotsQuery(`?${slotsToQuery({scenarios: [scenario], active: 0})}${extra}`, known);
    expect(reading?.ok).toBe(false);
    if (reading && !reading.ok) expect(reading.errors.join("\n")).toContain(reason);
  });

  it("keeps the slots it can read when another cannot be, and says which one was left out", () => {
    const query = new URLSearchParams(slotsToQuery(three));
    query.set("s3", "v=1&b=2025&y=2026-2030&subsidy.wubao.monthly=abc");
    const reading = readSlotsQuery(query.toString(), known);
    expect(reading).toEqual({
      ok: true,
      slots: {scenarios: [three.scenarios[0], scenario], active: 1},
      notes: ["有 1 个方案无法读取，已略去：", "方案 3：参数「农村五保供养标准」 的值 \"abc\" 不是数字。"],
    });
  });
});

describe("a value outside its parameter's bounds is refused in Chinese, by file and by link", () => {
  it.each([
    ["¥1e308 a month", {"subsidy.wubao.monthly": 1e308}, "参数「农村五保供养标准」的值 1e+308 元/人·月 超出允许范围（0 元/人·月 至 1,000,000,000 元/人·月），未采用。"],
    ["a negative take-up rate", {"assumption.takeup.wubao": -0.5}, "参数「五保供养对象实际领取比例」的值 −50% 超出允许范围（0% 至 100%），未采用。"],
    ["a target year of 99999", {"assumption.coverage.target_year": 99999}, "参数「目标达成年份」的值 99999 年 超出允许范围（2026 年 至 2035 年的整数），未采用。"],
    ["a price index falling by 300% a year", {"assumption.price.index_rate": -3}, "参数「价格指数年增长率」的值 −300%/年 超出允许范围（−50%/年 至 100%/年），未采用。"],
    ["a negative dated standard", {"subsidy.wubao.monthly": [{date: "2027-01-01", value: 480}, {date: "2028-01-01", value: -1}]}, "参数「农村五保供养标准」自 2028-01-01 起的值 −1 元/人·月 超出允许范围"],
  ])("%s", (_, overrides, reason) => {
    const bad = {...baselineScenario("越界"), overrides};
    const ids = {...known, parameterIds: [...parameters.keys()]};
    const file = readScenarioFile(JSON.stringify(bad), ids);
    expect(file.ok).toBe(false);
    if (!file.ok) expect(file.errors.join("\n")).toContain(reason);
    const link = readSlotsQuery(scenarioToQuery(bad), ids);
    expect(link?.ok).toBe(false);
    if (link && !link.ok) expect(link.errors.join("\n")).toContain(reason);
  });

  it("refuses a budget cap above ¥1 trillion or below zero, and a year outside 2000–2100", () => {
    const cap = readScenarioFile(JSON.stringify({...scenario, cap: {yuanPerYear: 1e13}}), known);
    expect(!cap.ok && cap.errors).toEqual(["预算上限的值 10,000,000,000,000 元/年 超出允许范围（0 元/年 至 1,000,000,000,000 元/年），未采用。"]);
    const years = readSlotsQuery("?v=1&b=2025&y=2026*99999", known);
    expect(years?.ok === false && years.errors).toEqual(["第 2 个测算年度 应为 2000 至 2100 年之间的整数年份。"]);
  });

  it("keeps a value on its bound: 0%, 100%, 2035 and ¥0 are allowed", () => {
    const edge = {...baselineScenario("边界"), overrides: {"assumption.takeup.wubao": 1, "assumption.coverage.target_year": 2035, "subsidy.wubao.monthly": 0, "assumption.takeup.dibao_urban": 0}};
    expect(readScenarioFile(JSON.stringify(edge), {...known, parameterIds: [...parameters.keys()]})).toEqual({ok: true, scenario: edge, notes: []});
  });
});

describe("reading an uploaded file", () => {
  it("tells one scenario from all slots, and reads back both downloads exactly", () => {
    expect(readUploadedFile(scenarioToJson(scenario), known)).toEqual({kind: "scenario", ok: true, scenario, notes: []});
    expect(readUploadedFile(slotsToJson(three), known)).toEqual({kind: "slots", ok: true, slots: three, notes: []});
  });

  it("migrates each scenario of a slots file on its own, noting which", () => {
    const file = JSON.parse(slotsToJson(three)) as {scenarios: {version: number}[]};
    file.scenarios[2]!.version = 0;
    const reading = readUploadedFile(JSON.stringify(file), known, {migrations: {0: (v) => ({...v, version: 1})}});
    expect(reading).toEqual({kind: "slots", ok: true, slots: three, notes: ["方案 3：方案已由格式版本 0 自动升级到版本 1。"]});
  });

  it.each([
    ["a slots file from a newer sandbox", {version: 2}, "更新版本的沙盘"],
    ["a slots file with no scenario", {scenarios: []}, "应有 1 到 3 个方案"],
    ["a slots file with four scenarios", {scenarios: [scenario, scenario, scenario, scenario]}, "应有 1 到 3 个方案"],
  ])("refuses %s with a Chinese reason", (_, change, reason) => {
    const reading = readUploadedFile(JSON.stringify({...JSON.parse(slotsToJson(three)), ...change}), known);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.errors.join("\n")).toContain(reason);
  });
});

describe("file names", () => {
  it("names the download after the scenario, without characters file systems refuse", () => {
    expect(scenarioFileName({...scenario, name: "五保/低保: 方案?"})).toBe("预算方案-五保_低保_ 方案_.json");
    expect(scenarioFileName({...scenario, name: ""})).toBe("预算方案-未命名.json");
    expect(slotsFileName(three)).toBe("预算方案-全部-方案 1、提高五保、五保分段.json");
  });
});
