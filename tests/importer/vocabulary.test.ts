import {describe, expect, test} from "vitest";
import {matchHeader} from "../../src/importer/office/vocabulary.js";

/** The columns real forms use for the national plan's service indicators (issue 17), as the reader names them. */
describe("headers of the national plan's service counts", () => {
  test.each([
    ["已接受基本康复服务人数", "rehab_served"],
    ["基本康复服务人数", "rehab_served"],
    ["辅助器具适配人数", "device_fitted"],
    ["已获得辅助器具适配服务人数", "device_fitted"],
    ["享受生活补贴人数", "poor_subsidy_recipient"],
    ["享受困难残疾人生活补贴人数", "poor_subsidy_recipient"],
    ["享受护理补贴人数", "severe_subsidy_recipient"],
    ["享受重度残疾人护理补贴人数", "severe_subsidy_recipient"],
    ["有辅助器具适配需求人数", "device_need"],
    ["辅助器具需求人数", "device_need"],
    ["符合困难残疾人生活补贴条件人数", "poor_subsidy_eligible"],
    ["应享受生活补贴人数", "poor_subsidy_eligible"],
    ["符合重度残疾人护理补贴条件人数", "severe_subsidy_eligible"],
    ["应享受重度残疾人护理补贴人数", "severe_subsidy_eligible"],
    ["有康复需求人数", "rehab_need"],
  ])("%s → %s", (header, field) => {
    expect(matchHeader([header])?.field).toBe(field);
  });

  test("the served and fitted counts are stored counts (the national indicators' numerators), and do not swallow other headers", () => {
    expect(matchHeader(["辅助器具适配人数"])?.info).toMatchObject({role: "count", kind: "int"});
    expect(matchHeader(["已接受基本康复服务人数"])?.info).toMatchObject({role: "count", kind: "int"});
    expect(matchHeader(["辅助器具适配率"])?.field).not.toBe("device_fitted");
    expect(matchHeader(["已筛查人数"])?.field).toBe("screened");
  });
});
