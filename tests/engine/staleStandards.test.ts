import {describe, expect, it} from "vitest";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {baselineStandardIds, staleNoteZh, staleStandards} from "../../src/engine/staleStandards.js";
import {scenarioParameters} from "../../src/engine/scenarioLevers.js";
import {baselineScenario} from "../../src/engine/scenario.js";
import {parameterSetFromRows} from "../../src/engine/scenarioParameters.js";

const committed = parameterSetFromRows(loadParameters());
const firstDay = "2026-01-01";

describe("standards last set before 2020", () => {
  it("are at most three of the standards the baseline prices its programmes with, each named with its year", () => {
    const stale = staleStandards(committed, firstDay);
    const standards = stale.filter((s) => committed.get(s.id)!.kind === "standard");
    expect(standards.length).toBeLessThanOrEqual(3);
    expect(stale.map((s) => [s.id, s.year])).toEqual([
      ["subsidy.wubao.monthly", 2013],
      ["allowance.psychiatric.monthly", 2004],
      ["stipend.committee_member.monthly", 2009],
      // An assumption averaged from the 2011 grant standards, marked the same way.
      ["grant.study.college_entrant", 2011],
    ]);
  });

  it("leave out the subsistence allowances, whose newest value (the 2021 national average) is in force", () => {
    expect(baselineStandardIds()).toEqual(expect.arrayContaining(["subsidy.dibao.urban_monthly", "subsidy.dibao.rural_monthly"]));
    const ids = staleStandards(committed, firstDay).map((s) => s.id);
    expect(ids).not.toContain("subsidy.dibao.urban_monthly");
    // Before 2021 the 2013 standard was in force, and would have been marked.
    expect(staleStandards(committed, "2020-06-30").map((s) => s.id)).toContain("subsidy.dibao.urban_monthly");
  });

  it("say so in the words every page uses", () => {
    expect(staleNoteZh(2013)).toBe("标准为2013年值，可能已调整，请填写本地现行标准");
  });

  it("are no longer stale once the planner gives their own value", () => {
    const own = scenarioParameters(committed, {...baselineScenario(), overrides: {"subsidy.wubao.monthly": 620}}).parameters;
    expect(staleStandards(own, firstDay).map((s) => s.id)).not.toContain("subsidy.wubao.monthly");
    expect(staleStandards(own, firstDay)).toHaveLength(3);
  });
});
