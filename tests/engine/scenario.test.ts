import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {presets} from "../../src/engine/presets.js";
import {
  baselineScenario,
  checkScenario,
  migrateScenario,
  ScenarioError,
  scenarioFromJson,
  scenarioFromQuery,
  scenarioSchema,
  scenarioToJson,
  scenarioToQuery,
  type Scenario,
} from "../../src/engine/scenario.js";

const raiseWubao: Scenario = {
  version: 1,
  name: "提高五保",
  baseYear: 2025,
  years: [2026, 2027, 2028, 2029, 2030],
  overrides: {"subsidy.wubao.monthly": [{date: "2027-01-01", value: 480}, {date: "2028-07-01", value: 500.5}], "assumption.takeup.dibao_urban": 0.95},
  presets: ["care-points-60"],
  cap: {yuanPerYear: 5_000_000},
};

describe("scenario format", () => {
  it("writes a readable URL query: short keys, one key per override, dated values as date*value pairs", () => {
    expect(scenarioToQuery(raiseWubao)).toBe(
      "v=1&n=%E6%8F%90%E9%AB%98%E4%BA%94%E4%BF%9D&b=2025&y=2026-2030&p=care-points-60" +
        "&subsidy.wubao.monthly=2027-01-01*480*2028-07-01*500.5&assumption.takeup.dibao_urban=0.95&cap=5000000",
    );
  });

  it("restores the scenario from its URL and from its JSON file exactly", () => {
    expect(scenarioFromQuery(scenarioToQuery(raiseWubao)).scenario).toEqual(raiseWubao);
    expect(scenarioFromQuery(`?${scenarioToQuery(raiseWubao)}`).scenario).toEqual(raiseWubao);
    expect(scenarioFromJson(scenarioToJson(raiseWubao)).scenario).toEqual(raiseWubao);
  });

  it("lists non-consecutive years one by one", () => {
    const s = {...baselineScenario(), years: [2026, 2028, 2030]};
    expect(scenarioToQuery(s)).toContain("y=2026*2028*2030");
    expect(scenarioFromQuery(scenarioToQuery(s)).scenario.years).toEqual([2026, 2028, 2030]);
  });

  it("refuses a URL with an unknown key, a repeated key or a value that is not a number, saying which", () => {
    const base = scenarioToQuery(baselineScenario());
    expect(() => scenarioFromQuery(`${base}&foo=1`)).toThrow(/foo: unknown URL key/);
    expect(() => scenarioFromQuery(`${base}&b=2024`)).toThrow(/b: appears twice/);
    expect(() => scenarioFromQuery(`${base}&subsidy.wubao.monthly=12abc`)).toThrow(/subsidy.wubao.monthly: not a number/);
    expect(() => scenarioFromQuery(`${base}&subsidy.wubao.monthly=2027-01-01*480*2028-01-01`)).toThrow(/date\*value pairs/);
    expect(() => scenarioFromQuery(`${base}&subsidy.wubao.monthly=`)).toThrow(/not a number/);
  });

  it("refuses invalid scenarios with the field and the rule", () => {
    const bad = (patch: Record<string, unknown>) => () => migrateScenario({...baselineScenario(), ...patch});
    expect(bad({years: [2027, 2026]})).toThrow(/years: years must ascend/);
    expect(bad({years: [2025, 2026]})).toThrow(/every simulated year must come after the base year/);
    expect(bad({overrides: {"subsidy.wubao.monthly": Number.NaN}})).toThrow(ScenarioError);
    expect(bad({overrides: {"subsidy.wubao.monthly": [{date: "2027-02-30", value: 1}]}})).toThrow(/calendar date/);
    expect(bad({overrides: {Wubao: 1}})).toThrow(/not a parameter id/);
    expect(bad({overrides: JSON.parse('{"__proto__": 1}')})).toThrow(/overrides.__proto__: not a parameter id/);
    expect(bad({cap: {yuanPerYear: -1}})).toThrow(ScenarioError);
    expect(bad({extra: true})).toThrow(ScenarioError);
    expect(() => scenarioFromJson("{not json")).toThrow(/not JSON/);
  });

  it("refuses a scenario from a newer version instead of misreading it", () => {
    expect(() => migrateScenario({...baselineScenario(), version: 2})).toThrow(/made by a newer DPF Sandbox/);
    expect(() => migrateScenario({name: "x"})).toThrow(/version: missing or invalid version/);
  });

  it("brings an older version up through the migration ladder and says so", () => {
    // A hypothetical version 0 that called the overrides `params`: the ladder turns it into version 1.
    const migrations = {0: ({params, ...rest}: Record<string, unknown>) => ({...rest, overrides: params, version: 1})};
    const {scenario, notes} = migrateScenario({...baselineScenario(), version: 0, overrides: undefined, params: {"subsidy.wubao.monthly": 480}}, {migrations});
    expect(scenario.overrides).toEqual({"subsidy.wubao.monthly": 480});
    expect(notes).toEqual([{path: "version", message: "migrated from version 0 to 1"}]);
  });

  it("carries an override of a renamed parameter over to its new id and reports it", () => {
    const {scenario, notes} = migrateScenario(
      {...baselineScenario(), overrides: {"assumption.price.index_growth": 0.02}},
      {renamed: {"assumption.price.index_growth": "assumption.price.index_rate"}},
    );
    expect(scenario.overrides).toEqual({"assumption.price.index_rate": 0.02});
    expect(notes[0]!.message).toMatch(/now called assumption.price.index_rate/);
  });

  it("a v1 scenario still loads after a parameter is added, and unknown ids are reported, not dropped", () => {
    const saved = scenarioToJson({...baselineScenario(), overrides: {"subsidy.wubao.monthly": 480, "subsidy.retired.monthly": 10}, presets: ["wubao-480", "gone-preset"]});
    const {scenario} = scenarioFromJson(saved);
    const known = {parameterIds: ["subsidy.wubao.monthly", "subsidy.brand_new.monthly"], presetIds: presets.map((p) => p.id)};
    expect(checkScenario(scenario, known)).toEqual([
      {path: "overrides.subsidy.retired.monthly", message: "unknown parameter subsidy.retired.monthly: its override is ignored"},
      {path: "presets.1", message: "unknown preset gone-preset: ignored"},
    ]);
    expect(scenario.overrides).toHaveProperty("subsidy.retired.monthly", 10);
    expect(scenarioFromJson(scenarioToJson(scenario)).scenario).toEqual(scenario);
  });

  it("turns -0 into 0 so a round-trip restores it", () => {
    const {scenario} = migrateScenario({...baselineScenario(), overrides: {"assumption.price.index_rate": -0}});
    expect(Object.is(scenario.overrides["assumption.price.index_rate"], 0)).toBe(true);
  });
});

const parameterId = fc
  .tuple(fc.constantFrom("subsidy", "assumption", "target", "grant"), fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/))
  .map(([a, b, c]) => `${a}.${b}.${c}`);
const isoDate = fc.date({min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true}).map((d) => d.toISOString().slice(0, 10));
const value = fc.double({noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12});
const override = fc.oneof(
  value,
  fc.uniqueArray(isoDate, {minLength: 1, maxLength: 4}).chain((dates) =>
    fc.tuple(...[...dates].sort().map((date) => value.map((v) => ({date, value: v})))),
  ),
);
const scenarioArb = fc
  .record({
    name: fc.string({maxLength: 40, unit: "grapheme"}),
    baseYear: fc.integer({min: 2000, max: 2060}),
    span: fc.uniqueArray(fc.integer({min: 1, max: 30}), {minLength: 1, maxLength: 6}),
    overrides: fc.dictionary(parameterId, override, {maxKeys: 5}),
    presets: fc.array(fc.constantFrom(...presets.map((p) => p.id)), {maxLength: 3}),
    cap: fc.option(fc.double({min: 0, max: 1e12, noNaN: true}), {nil: undefined}),
  })
  .map(({span, cap, ...s}) => {
    const scenario: Scenario = {version: 1, ...s, years: [...span].sort((a, b) => a - b).map((d) => s.baseYear + d)};
    if (cap !== undefined) scenario.cap = {yuanPerYear: cap};
    return scenarioSchema.parse(scenario);
  });

describe("scenario round-trips (property)", () => {
  it("the URL restores any valid scenario exactly", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        expect(scenarioFromQuery(scenarioToQuery(s)).scenario).toEqual(s);
      }),
      {numRuns: 300},
    );
  });

  it("the JSON file restores any valid scenario exactly", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        expect(scenarioFromJson(scenarioToJson(s)).scenario).toEqual(s);
      }),
      {numRuns: 300},
    );
  });
});
