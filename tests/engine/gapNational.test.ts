import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {questionsAnswerable} from "../../src/engine/answerability.js";
import {useCommunityCounts} from "../../src/engine/communityCountsCube.js";
import {gapQuery, gapSummary, type GapResult} from "../../src/engine/gapQuery.js";
import {indicatorById} from "../../src/engine/indicators.js";
import {parameterIds} from "../../src/engine/programmes.js";
import {nationalCriteria, scorecard} from "../../src/engine/scorecard.js";
import type {CommunityCountsRow} from "../../src/schemas/communityCounts.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import {fixtureDb} from "./fixtureDb.js";
import {createCountsTable, onlyColumns} from "./fixtures/countsCity.js";
import {gapUnits} from "./fixtures/gapCity.js";

/**
 * The national 14th-plan indicators community data can carry (基本康复服务覆盖率, 辅助器具适配率, the two
 * subsidies' coverage) on 小城 (tests/engine/fixtures/gapCity.ts' units), with person rows written for
 * them below. Targets and costs are the committed parameters (data/parameters), read in force on
 * 31 December 2026: every national target there is the 14th plan's 2025 level, continued.
 *
 * Columns: community, grade, rehab_need, rehab_served, device_need, device_fitted, poor_subsidy_eligible,
 * poor_subsidy_recipient, severe_subsidy_eligible, severe_subsidy_recipient (T, F, - for null). A person
 * is screened when rehab_need is known.
 *
 * Worked by hand, basic rehab service coverage (in need: served / reported), target 0.85:
 *   湖滨 350101001  in need 5: T T F F -   → 2 / 4 = 0.5,  gap ⌈5 × 0.35⌉ = 2
 *   柳岸 350101002  in need 2: T T         → 2 / 2 = 1,    gap 0
 *   南门 350102001  none in need           → no_eligible
 *   青山村 350201001 in need 3: F F F       → 0 / 3 = 0,    gap ⌈3 × 0.85⌉ = 3
 *   石桥村 350201002 in need 1: -           → all_missing, gap unknown (null)
 *   东湖街道 = 湖滨 + 柳岸: 4 / 6, gap ⌈7 × (0.85 − 4/6)⌉ = ⌈1.283⌉ = 2 (下级合计 2 + 0 = 2)
 *   全市: 4 / 9 of 11 in need, gap ⌈11 × (0.85 − 4/9)⌉ = ⌈4.461⌉ = 5
 */
const personTable = `
  350101001 1 T T T T F F F F
  350101001 2 T T T F T T T T
  350101001 3 T F F - T T F F
  350101001 4 T F F - F F F F
  350101001 4 T - F - F F F F
  350101001 3 F - F - F F F F
  350101001 3 - - - - - - F F
  350101002 2 T T F - F F T T
  350101002 1 T T F - F F T -
  350102001 1 F - F - F F T F
  350102001 2 F - F - F F T F
  350201001 3 T F F - T T F F
  350201001 4 T F F - T T F F
  350201001 4 T F F - T T F F
  350201001 3 F - F - T F F F
  350201002 3 T - F - F F F F
`;

function flag(text: string): boolean | null {
  return text === "T" ? true : text === "F" ? false : null;
}

const persons: PersonRow[] = personTable
  .trim()
  .split("\n")
  .map((line, i) => {
    const [community, grade, need, served, deviceNeed, fitted, poorEligible, poor, severeEligible, severe] = line.trim().split(/\s+/);
    const rehab_need = flag(need!);
    return {
      person_id: i + 1,
      community_code: community!,
      category: "physical",
      grade: Number(grade),
      age: 40,
      rehab_need,
      screened: rehab_need !== null,
      archived: null,
      enrolled: null,
      dibao_eligible: false,
      dibao_recipient: false,
      wubao_recipient: false,
      poor_subsidy_recipient: flag(poor!),
      severe_subsidy_recipient: flag(severe!),
      rehab_served: flag(served!),
      device_need: flag(deviceNeed!),
      device_fitted: flag(fitted!),
      poor_subsidy_eligible: flag(poorEligible!),
      severe_subsidy_eligible: flag(severeEligible!),
    };
  });

const YEAR = 2026;
const parameters = loadParameters();
/** The value of a committed parameter in force at the end of 2026. */
function inForce(id: string): number {
  const rows = parameters.filter((r) => r.id === id && r.effective_date <= `${YEAR}-12-31`).sort((a, b) => (a.effective_date < b.effective_date ? -1 : 1));
  const row = rows.at(-1);
  if (!row) throw new Error(`no value of ${id} in force`);
  return row.value;
}

const figures = (result: GapResult) =>
  Object.fromEntries(result.rows.map((r) => [r.unit_code, [r.status, r.eligible, r.achieved_count, r.missing, r.gap_count]]));

let db: NodeDuckDB;
beforeAll(async () => {
  db = await fixtureDb({units: gapUnits, persons, parameters});
});
afterAll(() => db?.close());

describe("national plan indicators over person rows", () => {
  test("each target is the national indicator parameter in force, with its source", async () => {
    const ids = {rehab_service: parameterIds.nationalRehabServiceCoverage, device_fitting: parameterIds.nationalDeviceFitting, poor_subsidy: parameterIds.nationalPoorSubsidyCoverage, severe_subsidy: parameterIds.nationalSevereSubsidyCoverage};
    for (const [indicator, id] of Object.entries(ids)) {
      const result = await gapQuery(db, {indicator, level: "district", year: YEAR});
      expect(result.target?.id, indicator).toBe(id);
      expect(result.target?.source, indicator).toBe("national_plan_14th.csv");
      expect(result.target_value, indicator).toBe(inForce(id));
    }
    expect(inForce(parameterIds.nationalRehabServiceCoverage)).toBe(0.85);
    expect(inForce(parameterIds.nationalPoorSubsidyCoverage)).toBe(1);
  });

  test("basic rehab service coverage: served among persons in need, hand-worked per community, street and city", async () => {
    const communities = await gapQuery(db, {indicator: "rehab_service", level: "community", year: YEAR});
    expect(figures(communities)).toEqual({
      "350101001": ["ok", 5, 2, 1, 2],
      "350101002": ["ok", 2, 2, 0, 0],
      "350102001": ["no_eligible", 0, 0, 0, 0],
      "350201001": ["ok", 3, 0, 0, 3],
      "350201002": ["all_missing", 1, 0, 1, null],
    });
    expect(communities.rows.find((r) => r.unit_code === "350101001")!.achieved_rate).toBe(0.5);
    const streets = await gapQuery(db, {indicator: "rehab_service", level: "street", year: YEAR});
    const east = streets.rows.find((r) => r.unit_code === "350101")!;
    expect([east.eligible, east.achieved_count, east.missing, east.gap_count, east.children_gap_count]).toEqual([7, 4, 1, 2, 2]);
    const summary = await gapSummary(db, {indicator: "rehab_service", year: YEAR});
    expect([summary.total.eligible, summary.total.achieved_count, summary.total.gap_count]).toEqual([11, 4, 5]);
    // Priced at the assumed yearly cost per person served.
    expect(summary.total.gap_cost_yuan).toBe(5 * inForce(parameterIds.unitCost("rehab_service")));
  });

  test("assistive-device fitting: fitted among persons needing a device", async () => {
    const result = await gapQuery(db, {indicator: "device_fitting", level: "community", year: YEAR});
    // 湖滨: 1 of 2 fitted → gap ⌈2 × 0.35⌉ = 1; 青山村: nobody needs a device.
    expect(figures(result)["350101001"]).toEqual(["ok", 2, 1, 0, 1]);
    expect(figures(result)["350201001"]).toEqual(["no_eligible", 0, 0, 0, 0]);
    const top = result.rows.find((r) => r.unit_code === "350101001")!;
    expect(top.gap_cost_yuan).toBe(inForce(parameterIds.unitCost("assistive_device")));
    expect(result.cost.period).toBe("one_off");
  });

  test("the two subsidies: recipients among the eligible, against 100 %, priced at the monthly standard × 12", async () => {
    const poor = await gapQuery(db, {indicator: "poor_subsidy", level: "community", year: YEAR});
    // 湖滨: eligible 2, both recipients → no gap (the unscreened person's eligibility is unknown: not counted); 青山村: 3 of 4.
    expect(figures(poor)["350101001"]).toEqual(["ok", 2, 2, 0, 0]);
    expect(figures(poor)["350201001"]).toEqual(["ok", 4, 3, 0, 1]);
    expect(poor.rows.find((r) => r.unit_code === "350201001")!.gap_cost_yuan).toBe(inForce(parameterIds.poorDisabled) * 12);
    const severe = await gapQuery(db, {indicator: "severe_subsidy", level: "community", year: YEAR});
    // 柳岸: 1 of 1 reported (the other unknown) → rate 1, no gap; 南门: 0 of 2 → gap 2.
    expect(figures(severe)["350101002"]).toEqual(["ok", 2, 1, 1, 0]);
    expect(figures(severe)["350102001"]).toEqual(["ok", 2, 0, 0, 2]);
    expect(severe.rows.find((r) => r.unit_code === "350102001")!.gap_cost_yuan).toBe(2 * inForce(parameterIds.severeDisabled) * 12);
  });

  test("the national criteria scorecard judges each community's rates against the national targets", async () => {
    const card = await scorecard(db, {level: "community", year: YEAR, criteria: nationalCriteria});
    expect(card.criteria.map((c) => c.id)).toEqual(["rehab_service", "device_fitting", "poor_subsidy", "severe_subsidy"]);
    const status = (unit: string, criterion: string) => card.cells.find((c) => c.unit_code === unit && c.criterion === criterion)!.status;
    expect(status("350101001", "rehab_service")).toBe("fail"); // 0.5 < 0.85
    expect(status("350101002", "rehab_service")).toBe("pass"); // 1
    expect(status("350102001", "rehab_service")).toBe("missing"); // nobody in need
    expect(status("350101001", "poor_subsidy")).toBe("pass"); // 2 / 2
    expect(status("350201001", "poor_subsidy")).toBe("fail"); // 3 / 4 < 1
  });
});

/**
 * The same city as an office's counts per community: what its form would give for these persons, with
 * unknown statuses counted as not (the form has no "unknown"). 湖滨 then has 2 of 5 in need served.
 */
const counts: CommunityCountsRow[] = [
  {code: "350101001", persons: 7, screened: 6, need: 5, served: 2, device_need: 2, fitted: 1, poor_eligible: 2, poor: 2, severe_eligible: 1, severe: 1},
  {code: "350101002", persons: 2, screened: 2, need: 2, served: 2, device_need: 0, fitted: 0, poor_eligible: 0, poor: 0, severe_eligible: 2, severe: 1},
  {code: "350102001", persons: 2, screened: 2, need: 0, served: 0, device_need: 0, fitted: 0, poor_eligible: 0, poor: 0, severe_eligible: 2, severe: 0},
  {code: "350201001", persons: 4, screened: 4, need: 3, served: 0, device_need: 0, fitted: 0, poor_eligible: 4, poor: 3, severe_eligible: 0, severe: 0},
  {code: "350201002", persons: 1, screened: 1, need: 1, served: 0, device_need: 0, fitted: 0, poor_eligible: 0, poor: 0, severe_eligible: 0, severe: 0},
].map((c) => ({
  community_code: c.code,
  persons: c.persons,
  category_visual: null, category_hearing: null, category_speech: null, category_physical: null, category_intellectual: null, category_psychiatric: null, category_multiple: null,
  grade_1: null, grade_2: null, grade_3: null, grade_4: null,
  screened: c.screened, rehab_need: c.need, archived: null, school_age: null, enrolled: null,
  dibao_eligible: null, dibao_recipient: null, wubao_recipient: null,
  poor_subsidy_recipient: c.poor, severe_subsidy_recipient: c.severe,
  rehab_served: c.served, device_need: c.device_need, device_fitted: c.fitted, poor_subsidy_eligible: c.poor_eligible, severe_subsidy_eligible: c.severe_eligible,
}));

describe("national plan indicators over a count-only city", () => {
  let countsDb: NodeDuckDB;
  beforeAll(async () => {
    countsDb = await fixtureDb({units: gapUnits, parameters});
    await createCountsTable(countsDb, counts);
    await useCommunityCounts(countsDb);
  });
  afterAll(() => countsDb?.close());

  test("served ÷ in need from the counts, hand-worked", async () => {
    const result = await gapQuery(countsDb, {indicator: "rehab_service", level: "community", year: YEAR});
    expect(result.answer.answerable).toBe(true);
    expect(figures(result)).toEqual({
      "350101001": ["ok", 5, 2, 0, 3], // 2 / 5 = 0.4, gap ⌈5 × 0.45⌉ = 3
      "350101002": ["ok", 2, 2, 0, 0],
      "350102001": ["no_eligible", 0, 0, 0, 0],
      "350201001": ["ok", 3, 0, 0, 3],
      "350201002": ["ok", 1, 0, 0, 1],
    });
    const severe = await gapQuery(countsDb, {indicator: "severe_subsidy", level: "district", year: YEAR});
    // 东区: eligible 1 + 2 + 2 = 5, recipients 1 + 1 = 2 → gap 3.
    expect(figures(severe)["3501"]).toEqual(["ok", 5, 2, 0, 3]);
  });

  test("each indicator names the count columns it reads", async () => {
    const read = (id: string) => questionsAnswerable([{slice: "total", pooled: 0}]).find((q) => q.id === id && q.filter_zh === null)!.answer.columns;
    expect(read("rehab_service")).toEqual(["screened", "rehab_need", "rehab_served"]);
    expect(read("device_fitting")).toEqual(["device_need", "device_fitted"]);
    expect(read("poor_subsidy")).toEqual(["poor_subsidy_eligible", "poor_subsidy_recipient"]);
    expect(read("severe_subsidy")).toEqual(["severe_subsidy_eligible", "severe_subsidy_recipient"]);
  });

  test("a city whose counts lack a column says so in Chinese, and gives no figure", async () => {
    const lacking = await fixtureDb({units: gapUnits, parameters});
    try {
      // The form reports recipients but not who is eligible, and no device counts.
      await createCountsTable(lacking, onlyColumns(counts, ["screened", "rehab_need", "poor_subsidy_recipient", "severe_subsidy_recipient"]));
      await useCommunityCounts(lacking);
      const poor = await gapQuery(lacking, {indicator: "poor_subsidy", level: "district", year: YEAR});
      expect(poor.answer).toMatchObject({answerable: false, reason_zh: `导入的数据没有符合困难残疾人生活补贴条件人数，不能计算${indicatorById("poor_subsidy").label.zh}`});
      expect(poor.rows).toEqual([]);
      const device = await gapQuery(lacking, {indicator: "device_fitting", level: "district", year: YEAR});
      expect(device.answer).toMatchObject({answerable: false, reason_zh: "导入的数据没有有辅助器具适配需求人数、辅助器具适配人数，不能计算残疾人辅助器具适配率"});
      const served = await gapQuery(lacking, {indicator: "rehab_service", level: "district", year: YEAR});
      expect(served.answer).toMatchObject({answerable: false, reason_zh: "导入的数据没有已接受基本康复服务人数，不能计算残疾人基本康复服务覆盖率"});
      expect((await gapSummary(lacking, {indicator: "rehab_service", year: YEAR})).total.status).toBe("cannot_answer");
    } finally {
      lacking.close();
    }
  });
});
