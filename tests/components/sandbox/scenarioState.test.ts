import {describe, expect, it} from "vitest";
import {findPreset} from "../../../src/engine/presets.js";
import {baselineScenario, scenarioToQuery, type Scenario} from "../../../src/engine/scenario.js";
import {
  activeScenario,
  duplicateActive,
  initialSlots,
  MAX_SCENARIOS,
  removeSlot,
  renameSlot,
  replaceActive,
  resetScenario,
  selectSlot,
  setCap,
  setOverride,
  setDatedValue,
  removeDatedValue,
  datedValues,
  slotsFromText,
  slotsToQuery,
  slotsToText,
  splitSlotsQuery,
  togglePreset,
} from "../../../src/components/sandbox/scenarioState.js";

const base = baselineScenario("方案 1");
const wubao = findPreset("wubao-480")!;

describe("scenario slots", () => {
  it("duplicates the edited scenario into a new slot, edits the copy, and stops at three", () => {
    let slots = initialSlots({...base, overrides: {"subsidy.wubao.monthly": 500}});
    slots = duplicateActive(slots);
    expect(slots.active).toBe(1);
    expect(activeScenario(slots)).toEqual({...base, name: "方案 1（副本）", overrides: {"subsidy.wubao.monthly": 500}});
    slots = duplicateActive(slots);
    expect(slots.scenarios.map((s) => s.name)).toEqual(["方案 1", "方案 1（副本）", "方案 1（副本）（副本）"]);
    expect(duplicateActive(slots)).toBe(slots);
    expect(slots.scenarios).toHaveLength(MAX_SCENARIOS);
  });

  it("gives a copy its own overrides: editing it leaves the original as it was", () => {
    let slots = duplicateActive(initialSlots({...base, overrides: {"subsidy.wubao.monthly": 500}}));
    slots = replaceActive(slots, setOverride(activeScenario(slots), "subsidy.wubao.monthly", 600));
    expect(slots.scenarios.map((s) => s.overrides["subsidy.wubao.monthly"])).toEqual([500, 600]);
  });

  it("numbers a copy's name when the plain copy name is taken", () => {
    let slots = duplicateActive(initialSlots(base));
    slots = duplicateActive(selectSlot(slots, 0));
    expect(slots.scenarios.map((s) => s.name)).toEqual(["方案 1", "方案 1（副本）", "方案 1（副本） 2"]);
  });

  it("renames a slot, cutting a name at the format's 200 characters", () => {
    const slots = renameSlot(initialSlots(base), 0, "提高五保".repeat(100));
    expect(activeScenario(slots).name).toHaveLength(200);
  });

  it("removes a slot and keeps editing a neighbour, but never removes the last one", () => {
    const three = duplicateActive(duplicateActive(initialSlots(base)));
    expect(removeSlot(three, 2)).toMatchObject({active: 1});
    expect(removeSlot(selectSlot(three, 1), 1)).toMatchObject({active: 1, scenarios: [three.scenarios[0], three.scenarios[2]]});
    expect(removeSlot(selectSlot(three, 2), 0)).toMatchObject({active: 1});
    expect(removeSlot(selectSlot(three, 0), 2)).toMatchObject({active: 0});
    const one = initialSlots(base);
    expect(removeSlot(one, 0)).toBe(one);
  });

  it("ignores selecting a slot that does not exist", () => {
    const slots = initialSlots(base);
    expect(selectSlot(slots, 3)).toBe(slots);
  });

  it("keeps the slots through session storage text, and starts afresh from text that is not slots", () => {
    const slots = duplicateActive(initialSlots(setCap(base, 5e6)));
    expect(slotsFromText(slotsToText(slots))).toEqual(slots);
    const frame = {format: "dpf-sandbox-scenarios", version: 1};
    for (const bad of [null, "", "{", "[]", JSON.stringify({scenarios: [base]}), JSON.stringify({...frame, scenarios: []}), JSON.stringify({...frame, scenarios: [{version: 99}]})])
      expect(slotsFromText(bad)).toBeUndefined();
    expect(slotsFromText(JSON.stringify({...frame, active: 7, scenarios: [base]}))).toEqual({active: 0, scenarios: [base]});
  });

  it("writes one slot in the URL exactly as a one-scenario link, and more slots as extra keys", () => {
    const one = initialSlots(setOverride(base, "subsidy.wubao.monthly", 500));
    expect(slotsToQuery(one)).toBe(scenarioToQuery(activeScenario(one)));
    const two = selectSlot(duplicateActive(one), 0);
    const q = new URLSearchParams(slotsToQuery(two));
    expect(q.get("slot")).toBe("1");
    expect(q.get("s2")).toBe(scenarioToQuery(two.scenarios[1]!));
    expect(q.get("s1")).toBeNull();
    expect(splitSlotsQuery(slotsToQuery(two))).toEqual({queries: two.scenarios.map(scenarioToQuery), active: 0});
    expect(splitSlotsQuery(slotsToQuery(selectSlot(two, 1)))).toEqual({queries: two.scenarios.map(scenarioToQuery), active: 1});
  });
});

describe("scenario edits", () => {
  it("sets and removes an override without touching the scenario it was given", () => {
    const edited = setOverride(base, "subsidy.wubao.monthly", 480);
    expect(base.overrides).toEqual({});
    expect(edited.overrides).toEqual({"subsidy.wubao.monthly": 480});
    expect(setOverride(edited, "subsidy.wubao.monthly", undefined).overrides).toEqual({});
    expect(Object.is(setOverride(base, "assumption.price.index_rate", -0).overrides["assumption.price.index_rate"], 0)).toBe(true);
  });

  it("turns a preset on after the others and drops the scenario's own overrides of its parameters, then off again", () => {
    const s: Scenario = {...base, presets: ["care-points-60"], overrides: {"subsidy.wubao.monthly": 500, "subsidy.dibao.urban_monthly": 700}};
    const on = togglePreset(s, wubao);
    expect(on.presets).toEqual(["care-points-60", "wubao-480"]);
    expect(on.overrides).toEqual({"subsidy.dibao.urban_monthly": 700});
    expect(togglePreset(on, wubao).presets).toEqual(["care-points-60"]);
  });

  it("sets a budget cap and removes it for an empty, negative or non-finite amount", () => {
    expect(setCap(base, 5e6).cap).toEqual({yuanPerYear: 5e6});
    for (const v of [undefined, -1, Number.NaN, Infinity]) expect("cap" in setCap(setCap(base, 5e6), v)).toBe(false);
  });

  it("resets to the baseline but keeps the name and years", () => {
    const s: Scenario = {...setCap(base, 1), name: "甲", years: [2027], presets: ["wubao-480"], overrides: {"subsidy.wubao.monthly": 1}};
    expect(resetScenario(s)).toEqual({...base, name: "甲", years: [2027]});
  });

  it("edits give scenarios the URL form writes and reads back unchanged", () => {
    const s = setCap(togglePreset(setOverride(base, "assumption.takeup.wubao", 0.95), wubao), 12_345_678);
    expect(scenarioToQuery(s)).toBe("v=1&n=%E6%96%B9%E6%A1%88+1&b=2025&y=2026-2030&p=wubao-480&assumption.takeup.wubao=0.95&cap=12345678");
  });
});

describe("dated values (某年起的数值)", () => {
  const id = "subsidy.wubao.monthly";
  it("adds a value from a year on, keeps the others in date order, and replaces one of the same date", () => {
    let s = setDatedValue(base, id, "2028-01-01", 480);
    expect(s.overrides[id]).toEqual([{date: "2028-01-01", value: 480}]);
    s = setDatedValue(s, id, "2027-01-01", 450);
    s = setDatedValue(s, id, "2030-01-01", 520);
    expect(s.overrides[id]).toEqual([
      {date: "2027-01-01", value: 450},
      {date: "2028-01-01", value: 480},
      {date: "2030-01-01", value: 520},
    ]);
    expect(setDatedValue(s, id, "2028-01-01", 490).overrides[id]).toEqual([
      {date: "2027-01-01", value: 450},
      {date: "2028-01-01", value: 490},
      {date: "2030-01-01", value: 520},
    ]);
    expect(base.overrides).toEqual({});
  });

  it("turns a value for every year into a value from the first simulated year before adding a later one", () => {
    const s = setDatedValue(setOverride(base, id, 500), id, "2028-01-01", 520);
    expect(s.overrides[id]).toEqual([
      {date: "2026-01-01", value: 500},
      {date: "2028-01-01", value: 520},
    ]);
    expect(datedValues(500, 2026)).toEqual([{date: "2026-01-01", value: 500}]);
    expect(datedValues(undefined, 2026)).toEqual([]);
  });

  it("removes one dated value, and the override with the last", () => {
    const two = setDatedValue(setDatedValue(base, id, "2027-01-01", 450), id, "2029-01-01", 500);
    const one = removeDatedValue(two, id, "2027-01-01");
    expect(one.overrides[id]).toEqual([{date: "2029-01-01", value: 500}]);
    expect(Object.hasOwn(removeDatedValue(one, id, "2029-01-01").overrides, id)).toBe(false);
  });
});
