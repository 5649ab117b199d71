import {describe, expect, it} from "vitest";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {loadReference, readReferenceTables} from "../../loaders/reference/loadReference.js";
import {nationalIndicatorRows} from "../../loaders/reference/nationalIndicators.js";
import {continuedTargetZh, targetForYear} from "../../src/engine/planTargets.js";

const parameters = loadParameters();
const reference = loadReference();
const planCsv = readReferenceTables().find((t) => t.table === "national_plan_14th")!;
const national = parameters.filter((p) => p.id.startsWith("target.national."));
const nationalIds = [...new Set(national.map((p) => p.id))];

describe("the national 14th plan's indicators", () => {
  it("are the plan's 11 main indicators, 6 binding and 5 expected, as the 2025-07-22 briefing counts them", () => {
    expect(planCsv.rows.map((r) => Number(r.cells.indicator_no))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const attributes = planCsv.rows.map((r) => r.cells.attribute);
    expect(attributes.filter((a) => a === "binding")).toHaveLength(6);
    expect(attributes.filter((a) => a === "expected")).toHaveLength(5);
  });

  it("become one target parameter each where the target is a number, with the table's attribute", () => {
    expect(nationalIds).toHaveLength(9);
    for (const id of nationalIds) {
      const rows = national.filter((p) => p.id === id);
      const target = rows.find((r) => r.role === "target")!;
      // The parameter's quote is its own row of the table, not merely some text of the file.
      const row = planCsv.rows.find((r) => r.cells.source_quote.includes(target.quote!))!;
      expect(row, id).toBeDefined();
      expect(rows.every((r) => r.kind === "target" && r.attribute === row.cells.attribute), id).toBe(true);
      expect(target).toMatchObject({target_year: 2025, effective_date: "2021-07-08"});
      // The value is the table's number in the parameter's unit: 85 % → 0.85, 110 万户 → 1,100,000.
      const scale = row.cells.unit === "%" ? 0.01 : row.cells.unit === "万户" ? 10_000 : NaN;
      expect(target.value, id).toBeCloseTo(Number(row.cells.target_2025.replace(/^>/, "")) * scale, 10);
      const baseline = rows.find((r) => r.role === "baseline");
      if (row.cells.baseline_2020) expect(baseline, id).toMatchObject({target_year: 2020, effective_date: "2020-12-31", value: Number(row.cells.baseline_2020) * scale});
      else expect(baseline, id).toBeUndefined();
    }
  });

  it("quote the binding basic-rehab coverage 80% → 85% and assistive devices 80% → 85% exactly", () => {
    const values = (id: string) => national.filter((p) => p.id === id).map((p) => [p.effective_date, p.value, p.role]);
    expect(values("target.national.rehab_service_coverage")).toEqual([["2020-12-31", 0.8, "baseline"], ["2021-07-08", 0.85, "target"]]);
    expect(values("target.national.assistive_device_rate")).toEqual([["2020-12-31", 0.8, "baseline"], ["2021-07-08", 0.85, "target"]]);
    expect(national.find((p) => p.id === "target.national.rehab_service_coverage")!.quote).toBe("9.残疾人基本康复服务覆盖率(%) 80% >85% 约束性");
  });

  it("say they are secondary: every plan and outturn figure names its page, its type and a secondary reliability", () => {
    const rows = reference.filter((r) => r.table === "national_plan_14th" || r.table === "national_outturns");
    expect(rows).toHaveLength(11 * 2 + 18);
    for (const row of rows) {
      expect(row.source, row.indicator_zh).toMatch(/^https?:\/\//);
      expect(row.document, row.indicator_zh).toMatch(/\p{Script=Han}/u);
      expect(row.source_quote, row.indicator_zh).toBeTruthy();
      expect(row.reliability_level, row.indicator_zh).toBe("secondary");
    }
  });

  it("continue the 2025 target through 2030 as a named assumption, and a new dated entry ends it", () => {
    const id = "target.national.rehab_service_coverage";
    expect(targetForYear(parameters, id, 2025)).toMatchObject({row: {value: 0.85}, continued: false});
    expect(targetForYear(parameters, id, 2030)).toMatchObject({row: {value: 0.85, target_year: 2025}, continued: true});
    expect(targetForYear(parameters, id, 2020)).toBeUndefined();
    expect(continuedTargetZh(2025)).toBe("延续“十四五”2025年目标（假设：新一期规划尚未发布）");
    const withNextPlan = [...parameters, {...national.find((p) => p.id === id && p.role === "target")!, effective_date: "2026-05-01", value: 0.9, target_year: 2030}];
    expect(targetForYear(withNextPlan, id, 2030)).toMatchObject({row: {value: 0.9}, continued: false});
  });
});

describe("the overview's national indicators", () => {
  const rows = nationalIndicatorRows(reference, parameters);

  it("give each of the 11 indicators a 2020 baseline, a 2025 target and a latest outturn, each with its source", () => {
    expect(rows.map((r) => r.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const row of rows) {
      for (const key of ["baseline_text", "target_text", "outturn_text", "plan_source_title", "outturn_source_title", "plan_quote", "outturn_quote"] as const) expect(row[key], `${row.no} ${key}`).toBeTruthy();
      expect(row.later_years_zh === null, `${row.no}`).toBe(row.parameter_id === null);
    }
    const rehab = rows.find((r) => r.no === 9)!;
    expect(rehab).toMatchObject({attribute_zh: "约束性", baseline_text: "80%", target_text: ">85%", outturn_text: ">85%", parameter_id: "target.national.rehab_service_coverage"});
    expect(rows.find((r) => r.no === 11)).toMatchObject({target_text: "110万户", outturn_text: "128万户", outturn_period: "2025-06"});
    expect(rows.find((r) => r.no === 4)).toMatchObject({outturn_text: "1188.4万人", outturn_quote: expect.stringContaining("1188.4万困难残疾人")});
  });

  it("refuse a plan table whose numeric target has no parameter", () => {
    const without = parameters.filter((p) => p.id !== "target.national.enrolment_rate");
    expect(() => nationalIndicatorRows(reference, without)).toThrow(/plan indicator 8 has a numeric target but no target\.national\.\* parameter/);
  });
});
