import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {encodeDataset} from "../../loaders/emit.js";
import {main} from "../../scripts/simulate.js";
import {scenarioToJson, baselineScenario} from "../../src/engine/scenario.js";
import {parameters} from "../../src/schemas/parameters.js";
import {persons} from "../../src/schemas/persons.js";
import {units} from "../../src/schemas/units.js";
import {person, smallCityParameters, smallCityUnits} from "./fixtures/scenarioCity.js";

/** The CLI over a data folder holding 小城 with 1333 five-guarantee recipients, as the loaders write it. */

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dpf-simulate-test-"));
  const people = Array.from({length: 1333}, (_, i) => person({person_id: i + 1, community_code: "K03", category: "physical", grade: 3, age: 70, wubao_recipient: true}));
  const rows = smallCityParameters({"subsidy.wubao.monthly": 350}).map((r) => ({
    ...r,
    date_note: null,
    note: null,
    description: r.id,
    last_checked: "2026-11-23",
    file: `data/parameters/${r.id}.yaml`,
    label_zh: `参数${r.id}`,
  }));
  writeFileSync(join(dir, "units.parquet"), await encodeDataset(units, smallCityUnits, "parquet"));
  writeFileSync(join(dir, "persons.parquet"), await encodeDataset(persons, people, "parquet"));
  writeFileSync(join(dir, "parameters.parquet"), await encodeDataset(parameters, rows, "parquet"));
  writeFileSync(join(dir, "raise.json"), scenarioToJson({...baselineScenario("提高五保"), overrides: {"subsidy.wubao.monthly": 480, "subsidy.gone.monthly": 1}}));
  writeFileSync(join(dir, "capped.json"), scenarioToJson({...baselineScenario("有上限"), cap: {yuanPerYear: 100}}));
  writeFileSync(join(dir, "bad.json"), JSON.stringify({...baselineScenario(), years: [2030, 2026]}));
  writeFileSync(join(dir, "huge.json"), scenarioToJson({...baselineScenario("越界"), overrides: {"subsidy.wubao.monthly": 1e308}}));
  writeFileSync(join(dir, "negative.json"), scenarioToJson({...baselineScenario("负领取率"), overrides: {"assumption.takeup.wubao": -0.2}}));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

async function run(args: string[]): Promise<{code: number; out: string; err: string}> {
  let out = "";
  let err = "";
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return {code: await main(args), out, err};
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe("npm run simulate", () => {
  it("prints per year and programme, as JSON, that the raise costs 2,079,480 yuan more a year", async () => {
    const {code, out, err} = await run([join(dir, "raise.json"), "--data", dir]);
    expect(code).toBe(0);
    const printed = JSON.parse(out) as {scenario: string; rows: {year: number; programme: string; delta_yuan: number; cost_yuan: number}[]};
    expect(printed.scenario).toBe("提高五保");
    const wubao = printed.rows.filter((r) => r.programme === "wubao");
    expect(wubao.map((r) => [r.year, r.delta_yuan])).toEqual([2026, 2027, 2028, 2029, 2030].map((y) => [y, 2_079_480]));
    expect(printed.rows.filter((r) => r.programme === "total").map((r) => r.delta_yuan)).toEqual(Array(5).fill(2_079_480));
    expect(err).toContain("raise.json：本页不认识参数 subsidy.gone.monthly：其设定不参与测算（仍保留在方案中）。（overrides.subsidy.gone.monthly）");
  });

  it("prints CSV with a header, one line per year and programme and a 合计 line per year", async () => {
    const {code, out} = await run([join(dir, "raise.json"), "--data", dir, "--format", "csv"]);
    expect(code).toBe(0);
    const lines = out.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe("year,programme,programme_zh,level,cost_yuan,baseline_cost_yuan,delta_yuan,beneficiaries,newly_covered,per_resident_yuan,per_beneficiary_yuan,cost_per_newly_covered");
    expect(lines).toContain("2026,wubao,五保/特困供养,total,7678080,5598600,2079480,1333,0,767.81,5760,");
    expect(lines.filter((l) => l.includes(",total,合计,")).length).toBe(5);
  });

  it("adds the funding-level split with --levels", async () => {
    const {out} = await run([join(dir, "raise.json"), "--data", dir, "--levels"]);
    const rows = (JSON.parse(out) as {rows: {year: number; programme: string; level: string; cost_yuan: number}[]}).rows.filter((r) => r.year === 2026 && r.programme === "wubao");
    expect(rows.map((r) => [r.level, r.cost_yuan])).toEqual([["total", 7678080], ["central", 3839040], ["provincial", 1535616], ["city", 1535616], ["district", 767808]]);
  });

  it("adds the budget cap's yearly summary when the scenario has a cap, never above it", async () => {
    const {out} = await run([join(dir, "capped.json"), "--data", dir]);
    type Cap = {year: number; cap_yuan: number; total_yuan: number; committed_yuan: number; room_yuan: number; funded_yuan: number; over_cap_yuan: number; committed_over_cap_yuan: number};
    const caps = (JSON.parse(out) as {budget_cap: Cap[]}).budget_cap;
    expect(caps.map((c) => c.year)).toEqual([2026, 2027, 2028, 2029, 2030]);
    // The cap of 100 yuan covers all programme costs: 小城's committed baseline alone exceeds it, so no gap is funded.
    for (const c of caps) {
      expect(c.room_yuan).toBe(0);
      expect(c.funded_yuan).toBe(0);
      expect(c.committed_over_cap_yuan).toBeCloseTo(c.committed_yuan - 100, 2);
      expect(c.over_cap_yuan).toBeCloseTo(c.total_yuan - 100, 2);
    }
  });

  it("refuses an invalid scenario file with the field and the rule, and a wrong format with the usage", async () => {
    const bad = await run([join(dir, "bad.json"), "--data", dir]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("测算年度应从早到晚且不重复。（years）");
    const usage = await run([join(dir, "raise.json"), "--format", "xml"]);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^用法：npm run simulate/);
  });

  it("refuses, in Chinese and without output, a standard of ¥1e308 and a negative take-up rate", async () => {
    const huge = await run([join(dir, "huge.json"), "--data", dir]);
    expect(huge.code).toBe(1);
    expect(huge.out).toBe("");
    expect(huge.err).toContain("方案未测算");
    expect(huge.err).toContain("参数「参数subsidy.wubao.monthly」的值 1e+308 元/人·月 超出允许范围（0 元/人·月 至 1,000,000,000 元/人·月），未采用。（overrides.subsidy.wubao.monthly）");
    const negative = await run([join(dir, "negative.json"), "--data", dir]);
    expect(negative.code).toBe(1);
    expect(negative.out).toBe("");
    expect(negative.err).toContain("的值 −20% 超出允许范围（0% 至 100%）");
  });
});
