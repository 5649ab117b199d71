import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {provinceStandardRows} from "../../loaders/reference/provinceStandards.js";
import {provinceChoices} from "../../src/engine/provinceStandards.js";
import {prepareModel, runScenario, type Model} from "../../src/engine/runScenario.js";
import {baselineScenario, scenarioFromJson, scenarioFromQuery, scenarioToJson, scenarioToQuery} from "../../src/engine/scenario.js";
import {baselineOf, scenarioParameters} from "../../src/engine/scenarioLevers.js";
import {parameterSetFromRows, yearValue} from "../../src/engine/scenarioParameters.js";
import {smallCityDb} from "./fixtures/scenarioCity.js";

const standards = provinceStandardRows();
const committed = parameterSetFromRows(loadParameters());
const guangdong = {...baselineScenario("广东"), province: "440000"};

describe("the provinces' own standards (本省现行标准)", () => {
  it("are the single provincial amounts of the two-subsidies table, never a tiered cell", () => {
    expect(standards.filter((s) => s.province === "湖南省").map((s) => [s.parameter_id, s.value, s.effective_date])).toEqual([
      ["subsidy.poor_disabled.monthly", 110, "2026-01-01"],
      ["subsidy.severe_disabled.monthly", 110, "2026-01-01"],
    ]);
    // 北京市 publishes amounts by category and household, no single amount: it is not offered.
    expect(provinceChoices(standards).map((p) => p.name)).not.toContain("北京市");
    expect(standards.every((s) => s.source === "two_subsidies_standards_by_province.csv" && s.quote.length > 0 && /SECONDARY/.test(s.reliability))).toBe(true);
  });

  it("replace the baseline's two subsidies from the province's date, with the table's quote as their source", () => {
    const {parameters, problems} = scenarioParameters(committed, guangdong, standards);
    expect(problems).toEqual([]);
    const poor = parameters.get("subsidy.poor_disabled.monthly")!;
    expect(yearValue(poor, 2026)).toBe(217);
    expect(yearValue(parameters.get("subsidy.severe_disabled.monthly")!, 2030)).toBe(290);
    expect(poor.values.at(-1)).toMatchObject({effective_date: "2026-01-01", source: "two_subsidies_standards_by_province.csv", quote: expect.stringContaining("217元")});
    // The baseline of the scenario is the province's too: a province is today's policy, not a change.
    expect(baselineOf(guangdong).province).toBe("440000");
    expect(yearValue(scenarioParameters(committed, baselineScenario(), standards).parameters.get("subsidy.poor_disabled.monthly")!, 2026)).toBe(110);
  });

  it("say so when a province has none, and leave the baseline as it is", () => {
    const {parameters, problems} = scenarioParameters(committed, {...baselineScenario(), province: "110000"}, standards);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^no standards known for province 110000/)]);
    expect(parameters.get("subsidy.poor_disabled.monthly")).toBe(committed.get("subsidy.poor_disabled.monthly"));
  });

  it("travel with the scenario in its URL and its file", () => {
    expect(scenarioToQuery(guangdong)).toContain("prov=440000");
    expect(scenarioFromQuery(scenarioToQuery(guangdong)).scenario.province).toBe("440000");
    expect(scenarioFromJson(scenarioToJson(guangdong)).scenario.province).toBe("440000");
    expect(() => scenarioFromQuery("v=1&b=2025&y=2026-2030&prov=44")).toThrow(/province/);
  });
});

describe("a scenario run with the planner's province", () => {
  let db: NodeDuckDB;
  let model: Model;
  beforeAll(async () => {
    db = await smallCityDb();
    model = {...(await prepareModel(db)), provinces: standards};
  });
  afterAll(() => db.close());

  it("costs the living subsidy at the province's standard in the scenario and its baseline alike", async () => {
    const cost = (rows: Awaited<ReturnType<typeof runScenario>>["rows"]) => rows.filter((r) => r.programme === "poor_disabled_subsidy" && r.level === "total" && r.year === 2026)[0]!;
    const plain = cost((await runScenario(db, baselineScenario(), {model})).rows);
    const withProvince = cost((await runScenario(db, guangdong, {model})).rows);
    // The small city prices the subsidy at 100 yuan; Guangdong's standard is 217 from 2026-01-01.
    expect(withProvince.cost_yuan).toBeCloseTo((plain.cost_yuan * 217) / 100, 6);
    expect(withProvince.baseline_cost_yuan).toBeCloseTo(withProvince.cost_yuan, 6);
    expect(withProvince.delta_yuan).toBeCloseTo(0, 6);
  });
});
