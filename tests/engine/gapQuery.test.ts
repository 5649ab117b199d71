import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {breadcrumb, childLevel, gapQuery, gapSummary, sortGapRows, type GapLevel, type GapRow} from "../../src/engine/gapQuery.js";
import {indicators} from "../../src/engine/indicators.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import {fixtureDb, parameter} from "./fixtureDb.js";
import {gapParameters, gapPersons, gapUnits} from "./fixtures/gapCity.js";

// Expected values are worked out by hand from tests/engine/fixtures/gapCity.ts (小城).

let db: NodeDuckDB;
beforeAll(async () => {
  db = await fixtureDb({units: gapUnits, persons: gapPersons, parameters: gapParameters});
});
afterAll(() => db.close());

/** The figures a planner reads, by unit code. */
function byCode(rows: readonly GapRow[]) {
  return Object.fromEntries(
    rows.map((r) => [r.unit_code, {eligible: r.eligible, achieved: r.achieved_count, missing: r.missing, rate: r.achieved_rate, gap: r.gap_count, status: r.status}]),
  );
}

describe("screening rate in 2021 (target 60%)", () => {
  test("communities: achieved ÷ reported, gap rounded up to whole people, equality meets the target", async () => {
    const {rows, target_value} = await gapQuery(db, {indicator: "screening", level: "community", year: 2021});
    expect(target_value).toBe(0.6);
    expect(byCode(rows)).toEqual({
      "350101001": {eligible: 10, achieved: 8, missing: 0, rate: 0.8, gap: 0, status: "ok"},
      "350101002": {eligible: 4, achieved: 1, missing: 0, rate: 0.25, gap: 2, status: "ok"}, // 4 × 0.35 = 1.4 → 2
      "350102001": {eligible: 6, achieved: 3, missing: 1, rate: 0.6, gap: 0, status: "ok"}, // 3 of 5 reported
      "350201001": {eligible: 8, achieved: 4, missing: 0, rate: 0.5, gap: 1, status: "ok"}, // 8 × 0.1 = 0.8 → 1
      "350201002": {eligible: 2, achieved: 0, missing: 2, rate: null, gap: null, status: "all_missing"},
    });
    expect(rows.find((r) => r.unit_code === "350102001")!.meets_target).toBe(true);
  });

  test("streets, districts and the city sum their communities' counts before dividing", async () => {
    const streets = await gapQuery(db, {indicator: "screening", level: "street", year: 2021});
    expect(byCode(streets.rows)).toEqual({
      "350101": {eligible: 14, achieved: 9, missing: 0, rate: 9 / 14, gap: 0, status: "ok"},
      "350102": {eligible: 6, achieved: 3, missing: 1, rate: 0.6, gap: 0, status: "ok"},
      "350201": {eligible: 10, achieved: 4, missing: 2, rate: 0.5, gap: 1, status: "ok"},
    });
    const districts = await gapQuery(db, {indicator: "screening", level: "district", year: 2021});
    expect(byCode(districts.rows)).toEqual({
      "3501": {eligible: 20, achieved: 12, missing: 1, rate: 12 / 19, gap: 0, status: "ok"},
      "3502": {eligible: 10, achieved: 4, missing: 2, rate: 0.5, gap: 1, status: "ok"},
    });
    const city = await gapQuery(db, {indicator: "screening", level: "city", year: 2021});
    // 30 × (0.6 − 16/27) = 0.22 → 1 person.
    expect(byCode(city.rows)).toEqual({"35": {eligible: 30, achieved: 16, missing: 3, rate: 16 / 27, gap: 1, status: "ok"}});
  });

  test("a street's rate is its people's rate, not the mean of its communities' rates", async () => {
    const {rows} = await gapQuery(db, {indicator: "screening", level: "street", year: 2021});
    const dongHu = rows.find((r) => r.unit_code === "350101")!;
    const meanOfRates = (0.8 + 0.25) / 2; // 湖滨 8/10 and 柳岸 1/4: 0.525 would miss the 60% target
    expect(dongHu.achieved_rate).toBeCloseTo(0.642857, 6);
    expect(dongHu.achieved_rate).not.toBeCloseTo(meanOfRates, 3);
    expect(dongHu.meets_target).toBe(true);
  });

  test("a unit whose statuses are all unknown is returned as missing, not dropped and not zero", async () => {
    const {rows} = await gapQuery(db, {indicator: "screening", level: "community", year: 2021});
    const shiQiao = rows.find((r) => r.unit_code === "350201002")!;
    expect(shiQiao).toMatchObject({unit_name: "石桥村", eligible: 2, reported: 0, missing: 2, achieved_rate: null, gap_count: null, meets_target: null, gap_cost_yuan: null, rank: null});
    expect(shiQiao.gap_cost_reason).toContain("未知");
  });

  test("the gap costs the fixture's ¥20 per person screened, once", async () => {
    const {rows, cost} = await gapQuery(db, {indicator: "screening", level: "community", year: 2021});
    expect(cost.period).toBe("one_off");
    expect(rows.find((r) => r.unit_code === "350101002")!.gap_cost_yuan).toBe(40);
    expect(rows.find((r) => r.unit_code === "350101001")!.gap_cost_yuan).toBe(0);
  });

  test("default order puts the largest gap first, ties by lower rate, unknown gaps last; ranks share ties", async () => {
    const {rows} = await gapQuery(db, {indicator: "screening", level: "community", year: 2021});
    expect(rows.map((r) => [r.unit_code, r.rank])).toEqual([
      ["350101002", 1],
      ["350201001", 2],
      ["350102001", 3],
      ["350101001", 3],
      ["350201002", null],
    ]);
  });

  test("rows sort by achieved rate (lowest first), by cost and by name in pinyin order", async () => {
    const {rows} = await gapQuery(db, {indicator: "screening", level: "community", year: 2021, sort: "achieved"});
    expect(rows.map((r) => r.unit_code)).toEqual(["350101002", "350201001", "350102001", "350101001", "350201002"]);
    const byCost = sortGapRows(rows, "gap_cost").map((r) => r.gap_cost_yuan);
    expect(byCost).toEqual([40, 20, 0, 0, null]);
    const byName = sortGapRows(rows, "name").map((r) => r.unit_name);
    expect(byName).toEqual(["湖滨社区", "柳岸社区", "南门社区", "青山村", "石桥村"]); // hú, liǔ, nán, qīng, shí
  });
});

describe("targets come from the parameters table, dated", () => {
  test("the target in force on 31 December applies: 50% in 2020, 60% from July 2021", async () => {
    const y2020 = await gapQuery(db, {indicator: "screening", level: "community", year: 2020});
    expect(y2020.target).toMatchObject({id: "target.rehab.screening_rate", value: 0.5, effective_date: "2015-01-01"});
    expect(y2020.rows.find((r) => r.unit_code === "350101002")!.gap_count).toBe(1); // 4 × 0.25 = 1
    const y2021 = await gapQuery(db, {indicator: "screening", level: "community", year: 2021});
    expect(y2021.target).toMatchObject({value: 0.6, effective_date: "2021-07-01"});
    expect(y2021.rows.find((r) => r.unit_code === "350101002")!.gap_count).toBe(2);
  });

  test("before any target is in force the gap is unknown, not zero", async () => {
    const {rows, target} = await gapQuery(db, {indicator: "screening", level: "district", year: 2014, sort: "name"});
    expect(target).toBeNull();
    for (const row of rows) expect(row).toMatchObject({status: "no_target", target: null, gap_count: null, meets_target: null, gap_cost_yuan: null});
    expect(rows.map((r) => r.achieved_count)).toEqual([12, 4]); // the achieved figures are still shown
  });

  test("an indicator whose target parameter does not exist says so on every row", async () => {
    const {rows} = await gapQuery(db, {indicator: "subsistence", level: "city", year: 2021});
    expect(rows[0]).toMatchObject({eligible: 8, achieved_count: 4, missing: 1, status: "no_target", gap_count: null});
  });
});

describe("person indicators", () => {
  test("the archive rate counts only persons whose screening found a need; a unit where no one's need is known is 未填报, not a gap of 0", async () => {
    const {rows} = await gapQuery(db, {indicator: "archive", level: "community", year: 2021});
    expect(byCode(rows)).toEqual({
      "350101001": {eligible: 6, achieved: 4, missing: 0, rate: 4 / 6, gap: 2, status: "ok"}, // 6 × (0.9 − 0.667) = 1.4
      "350101002": {eligible: 1, achieved: 0, missing: 0, rate: 0, gap: 1, status: "ok"},
      "350102001": {eligible: 2, achieved: 1, missing: 1, rate: 1, gap: 0, status: "ok"},
      "350201001": {eligible: 3, achieved: 1, missing: 0, rate: 1 / 3, gap: 2, status: "ok"}, // 3 × 0.567 = 1.7
      // 石桥村's two persons were not screened: whether they need rehabilitation is not known.
      "350201002": {eligible: 0, achieved: 0, missing: 0, rate: null, gap: null, status: "not_reported"},
    });
    expect(rows.find((r) => r.unit_code === "350201002")!.communities_not_reported).toBe(1);
    expect(rows.filter((r) => r.unit_code !== "350201002").map((r) => r.communities_not_reported)).toEqual([0, 0, 0, 0]);
  });

  test("a missing cost parameter leaves the cost unknown with its id named, never zero", async () => {
    const {rows, cost} = await gapQuery(db, {indicator: "archive", level: "community", year: 2021});
    expect(cost).toMatchObject({missing: ["assumption.unit_cost.archive"], period: null});
    for (const row of rows) {
      expect(row.gap_cost_yuan).toBeNull();
      expect(row.gap_cost_reason).toContain("assumption.unit_cost.archive");
    }
  });

  test("enrolment counts children aged 6 to 15 inclusive", async () => {
    const {rows} = await gapQuery(db, {indicator: "enrolment", level: "community", year: 2021});
    expect(byCode(rows)).toEqual({
      "350101001": {eligible: 2, achieved: 1, missing: 0, rate: 0.5, gap: 1, status: "ok"},
      "350101002": {eligible: 1, achieved: 1, missing: 0, rate: 1, gap: 0, status: "ok"},
      "350102001": {eligible: 1, achieved: 0, missing: 1, rate: null, gap: null, status: "all_missing"},
      "350201001": {eligible: 2, achieved: 1, missing: 0, rate: 0.5, gap: 1, status: "ok"}, // includes the 6-year-old
      "350201002": {eligible: 1, achieved: 1, missing: 0, rate: 1, gap: 0, status: "ok"}, // the 15-year-old
    });
  });

  test("subsistence gaps are priced at the urban or rural standard × 12 × the share paid, by each person's community", async () => {
    const withTarget = await fixtureDb({
      units: gapUnits,
      persons: gapPersons,
      parameters: [
        ...gapParameters,
        ...parameter("target.subsistence.coverage_rate", {"2010-01-01": 1}),
        ...parameter("assumption.topup_share.dibao_urban", {"2010-01-01": 0.5}, {kind: "assumption"}),
        ...parameter("assumption.topup_share.dibao_rural", {"2010-01-01": 0.25}, {kind: "assumption"}),
      ],
    });
    try {
      const districts = await gapQuery(withTarget, {indicator: "subsistence", level: "district", year: 2021, sort: "name"});
      expect(districts.cost.period).toBe("year");
      // 东区 (urban): 2 of 3 reported → 4 × ⅓ = 1.33 → 2 people × ¥450 × 12 × 0.5;
      // 西县 (rural): 2 of 4 → 2 people × ¥360 × 12 × 0.25.
      expect(districts.rows.map((r) => [r.unit_code, r.gap_count, r.gap_cost_yuan])).toEqual([
        ["3501", 2, 5400],
        ["3502", 2, 2160],
      ]);
      // The city: 4 of 7 reported, 8 eligible → 3.43 → 4 people at the mean of 4 urban (¥2700) and 4 rural (¥1080) prices.
      const city = await gapQuery(withTarget, {indicator: "subsistence", level: "city", year: 2021});
      expect(city.rows[0]).toMatchObject({gap_count: 4, gap_cost_yuan: 4 * 1890});
      const in2012 = await gapQuery(withTarget, {indicator: "subsistence", level: "district", year: 2012, sort: "name"});
      expect(in2012.rows.map((r) => r.gap_cost_yuan)).toEqual([2 * 390 * 12 * 0.5, 2 * 300 * 12 * 0.25]);
    } finally {
      withTarget.close();
    }
  });
});

describe("category and grade filters", () => {
  test("a category filter counts only that category's persons", async () => {
    const {rows, filters} = await gapQuery(db, {indicator: "screening", level: "city", year: 2021, categories: ["physical"]});
    expect(filters).toEqual({categories: ["physical"], grades: [], applies: true});
    expect(byCode(rows)["35"]).toMatchObject({eligible: 10, achieved: 5, missing: 1});
  });

  test("a grade filter counts only those grades; both filters together intersect", async () => {
    const severe = await gapQuery(db, {indicator: "screening", level: "city", year: 2021, grades: [1, 2]});
    expect(byCode(severe.rows)["35"]).toMatchObject({eligible: 18, achieved: 10, missing: 3});
    const both = await gapQuery(db, {indicator: "screening", level: "city", year: 2021, categories: ["physical"], grades: [1, 2]});
    expect(byCode(both.rows)["35"]).toMatchObject({eligible: 6, achieved: 4, missing: 1});
  });

  test("filtering can leave a community with only unknown statuses, which shows as missing", async () => {
    const {rows} = await gapQuery(db, {indicator: "screening", level: "community", year: 2021, categories: ["physical"]});
    expect(byCode(rows)["350201002"]).toEqual({eligible: 1, achieved: 0, missing: 1, rate: null, gap: null, status: "all_missing"});
    expect(byCode(rows)["350101002"]).toMatchObject({eligible: 1, achieved: 0, rate: 0});
  });

  test("facility indicators count communities and say the person filters do not apply", async () => {
    const filtered = await gapQuery(db, {indicator: "rehab_room", level: "city", year: 2021, categories: ["visual"], grades: [1]});
    const plain = await gapQuery(db, {indicator: "rehab_room", level: "city", year: 2021});
    expect(filtered.filters.applies).toBe(false);
    expect(filtered.rows).toEqual(plain.rows);
  });
});

describe("facility indicators count communities", () => {
  test("rehab rooms: 3 of 4 reported communities, 80% target → 1 community short", async () => {
    const city = await gapQuery(db, {indicator: "rehab_room", level: "city", year: 2021});
    expect(byCode(city.rows)["35"]).toEqual({eligible: 5, achieved: 3, missing: 1, rate: 0.75, gap: 1, status: "ok"});
    const districts = await gapQuery(db, {indicator: "rehab_room", level: "district", year: 2021});
    expect(byCode(districts.rows)).toEqual({
      "3501": {eligible: 3, achieved: 2, missing: 0, rate: 2 / 3, gap: 1, status: "ok"},
      "3502": {eligible: 2, achieved: 1, missing: 1, rate: 1, gap: 0, status: "ok"},
    });
  });

  test("a share-of-communities target is judged from streets up: one community just has a room or not", async () => {
    const communities = await gapQuery(db, {indicator: "rehab_room", level: "community", year: 2021, sort: "name"});
    expect(communities).toMatchObject({target_applies: false, target_value: null, target: {value: 0.8}});
    expect(communities.rows.map((r) => [r.unit_code, r.achieved_rate, r.gap_count, r.status])).toEqual([
      ["350101001", 1, null, "area_target"],
      ["350101002", 0, null, "area_target"],
      ["350102001", 1, null, "area_target"],
      ["350201001", null, null, "all_missing"], // missing stays visible as missing
      ["350201002", 1, null, "area_target"],
    ]);
    const summary = await gapSummary(db, {indicator: "rehab_room", year: 2021});
    expect(summary).toMatchObject({level: "street", units: 3, units_meeting_target: 2, units_below_target: 1, gross_gap_count: 1}); // 东湖街道: 1 of 2
    expect(summary.total).toMatchObject({target: 0.8, gap_count: 1, gap_cost_yuan: null});
    expect(summary.total.gap_cost_reason).toContain("assumption.unit_cost.rehab_room_setup");
  });

  test("station area: only communities with a room are measured against 30 m², shortfall priced per m²", async () => {
    const {rows, standard, target_value, cost} = await gapQuery(db, {indicator: "station_area", level: "community", year: 2021});
    expect(standard).toMatchObject({id: "target.community.station_area_m2", value: 30});
    expect(target_value).toBe(1);
    expect(cost.period).toBe("one_off");
    expect(byCode(rows)).toEqual({
      "350101001": {eligible: 1, achieved: 1, missing: 0, rate: 1, gap: 0, status: "ok"},
      "350101002": {eligible: 0, achieved: 0, missing: 0, rate: null, gap: 0, status: "no_eligible"},
      "350102001": {eligible: 1, achieved: 0, missing: 0, rate: 0, gap: 1, status: "ok"},
      "350201001": {eligible: 0, achieved: 0, missing: 0, rate: null, gap: 0, status: "no_eligible"},
      "350201002": {eligible: 1, achieved: 0, missing: 1, rate: null, gap: null, status: "all_missing"},
    });
    expect(rows.find((r) => r.unit_code === "350102001")!.gap_cost_yuan).toBe(10 * 1000); // 20 m² of 30
  });

  test("funding: communities below ¥0.30 × residents, the yearly shortfall scaled from reported to all", async () => {
    const {rows, cost} = await gapQuery(db, {indicator: "rehab_funding", level: "district", year: 2021});
    expect(cost.period).toBe("year");
    // 东区: 湖滨 ¥3500 ≥ ¥3000; 柳岸 ¥1000 < ¥1500 (short ¥500); 南门 not reported → ¥500 × 3/2.
    // 西县: 青山村 ¥900 = ¥0.30 × 3000 meets exactly; 石桥村 ¥500 < ¥600 (short ¥100).
    expect(rows.map((r) => [r.unit_code, r.eligible, r.achieved_count, r.missing, r.gap_count, r.gap_cost_yuan])).toEqual([
      ["3501", 3, 1, 1, 2, 750],
      ["3502", 2, 1, 0, 1, 100],
    ]);
  });

  test("coordinator training counts only communities with a coordinator", async () => {
    const {rows} = await gapQuery(db, {indicator: "coordinator_training", level: "city", year: 2021});
    expect(byCode(rows)["35"]).toEqual({eligible: 3, achieved: 2, missing: 0, rate: 2 / 3, gap: 1, status: "ok"});
  });
});

describe("drill-down", () => {
  test("parent limits the rows to units below it, at any depth", async () => {
    const streets = await gapQuery(db, {indicator: "screening", level: "street", parent: "3501", year: 2021});
    expect(streets.rows.map((r) => r.unit_code).sort()).toEqual(["350101", "350102"]);
    const communities = await gapQuery(db, {indicator: "screening", level: "community", parent: "3501", year: 2021});
    expect(communities.rows.map((r) => r.unit_code).sort()).toEqual(["350101001", "350101002", "350102001"]);
    const fromCity = await gapQuery(db, {indicator: "screening", level: "street", parent: "35", year: 2021});
    expect(fromCity.rows).toHaveLength(3);
    const above = await gapQuery(db, {indicator: "screening", level: "district", parent: "350101", year: 2021});
    expect(above.rows).toEqual([]);
  });

  test("the breadcrumb lists the ancestors city first; an unknown code gives none", async () => {
    expect(await breadcrumb(db, "350201002")).toEqual([
      {unit_code: "35", unit_name: "小城", level: "city"},
      {unit_code: "3502", unit_name: "西县", level: "district"},
      {unit_code: "350201", unit_name: "青山镇", level: "street"},
      {unit_code: "350201002", unit_name: "石桥村", level: "community"},
    ]);
    expect(await breadcrumb(db, "99")).toEqual([]);
    expect(childLevel("district")).toBe("street");
    expect(childLevel("community")).toBeNull();
  });
});

describe("gapSummary", () => {
  test("city totals from summed counts, and the gross gap of the units that fall short", async () => {
    const summary = await gapSummary(db, {indicator: "screening", year: 2021});
    expect(summary.total).toMatchObject({eligible: 30, achieved_count: 16, missing: 3, gap_count: 1, gap_cost_yuan: 20});
    expect(summary).toMatchObject({
      level: "community",
      units: 5,
      units_meeting_target: 2,
      units_below_target: 2,
      units_all_missing: 1,
      units_no_eligible: 0,
      gross_gap_count: 3, // 柳岸 2 + 青山村 1: communities above target lend nobody to those below
      gross_gap_cost_yuan: 60,
      units_unpriced: 0,
    });
  });

  test("totals under a parent equal that parent's own row", async () => {
    const summary = await gapSummary(db, {indicator: "screening", year: 2021, parent: "3501", level: "street"});
    const district = (await gapQuery(db, {indicator: "screening", level: "district", year: 2021})).rows.find((r) => r.unit_code === "3501")!;
    expect(summary.total).toMatchObject({eligible: district.eligible, achieved_count: district.achieved_count, missing: district.missing, gap_count: district.gap_count});
  });

  test("an unpriced gap leaves the gross cost unknown", async () => {
    const summary = await gapSummary(db, {indicator: "archive", year: 2021});
    expect(summary.gross_gap_cost_yuan).toBeNull();
    expect(summary.units_unpriced).toBe(3);
  });
});

describe("SQL text crafted into names and filters changes nothing", () => {
  const crafted = "柳岸'); DROP TABLE persons; --";

  test("a unit name holding SQL is returned verbatim with the same figures", async () => {
    const units = gapUnits.map((u) => (u.unit_code === "350101002" ? {...u, unit_name: crafted} : u));
    const other = await fixtureDb({units, persons: gapPersons, parameters: gapParameters});
    try {
      const {rows} = await gapQuery(other, {indicator: "screening", level: "community", year: 2021});
      const liuAn = rows.find((r) => r.unit_code === "350101002")!;
      expect(liuAn).toMatchObject({unit_name: crafted, eligible: 4, achieved_count: 1, gap_count: 2});
      expect((await breadcrumb(other, "350101002")).at(-1)!.unit_name).toBe(crafted);
      expect(await other.query("SELECT count(*) AS n FROM persons")).toEqual([{n: 30}]);
    } finally {
      other.close();
    }
  });

  test("filter values and a parent code holding SQL match nothing and drop nothing", async () => {
    const plain = await gapQuery(db, {indicator: "screening", level: "city", year: 2021, categories: ["physical"]});
    const withCrafted = await gapQuery(db, {indicator: "screening", level: "city", year: 2021, categories: ["physical", "x') OR 1=1; --", "'"]});
    expect(withCrafted.rows).toEqual(plain.rows);
    const parent = await gapQuery(db, {indicator: "screening", level: "community", year: 2021, parent: "3501' OR '1'='1"});
    expect(parent.rows).toEqual([]);
    expect(await breadcrumb(db, "35'; DROP TABLE units; --")).toEqual([]);
    expect(await db.query("SELECT (SELECT count(*) FROM units) AS units, (SELECT count(*) FROM persons) AS persons")).toEqual([{units: 11, persons: 30}]);
  });

  test("non-integer grades and years, unknown indicators, levels and sorts are refused", async () => {
    await expect(gapQuery(db, {indicator: "screening", level: "city", year: 2021, grades: ["1 OR 1=1" as unknown as number]})).rejects.toThrow(/grade/);
    await expect(gapQuery(db, {indicator: "screening; --", level: "city", year: 2021})).rejects.toThrow(/unknown indicator/);
    await expect(gapQuery(db, {indicator: "screening", level: "county" as GapLevel, year: 2021})).rejects.toThrow(/unknown level/);
    await expect(gapQuery(db, {indicator: "screening", level: "city", year: 2021, sort: "x" as "name"})).rejects.toThrow(/unknown sort/);
    await expect(gapQuery(db, {indicator: "screening", level: "city", year: "2021-12-31' OR 1=1" as unknown as number})).rejects.toThrow(/year/);
  });
});

describe("invariants over random statuses", () => {
  const flag = fc.constantFrom(true, false, null);
  const person = fc.record({community: fc.constantFrom(...gapUnits.filter((u) => u.level === "community").map((u) => u.unit_code)), screened: flag, grade: fc.integer({min: 1, max: 4})});

  test("every level's counts add up to the city's, rates stay in 0–1 and no gap exceeds the eligible", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(person, {maxLength: 40}), async (people) => {
        const persons: PersonRow[] = people.map((p, i) => ({...gapPersons[0], person_id: i, community_code: p.community, screened: p.screened, grade: p.grade}));
        const random = await fixtureDb({units: gapUnits, persons, parameters: gapParameters});
        try {
          const totals: number[][] = [];
          for (const level of ["city", "district", "street", "community"] as const) {
            const {rows} = await gapQuery(random, {indicator: "screening", level, year: 2021, grades: [1, 2, 3]});
            totals.push([rows.reduce((s, r) => s + r.eligible, 0), rows.reduce((s, r) => s + r.achieved_count!, 0), rows.reduce((s, r) => s + r.missing!, 0)]);
            for (const r of rows) {
              if (r.achieved_rate !== null) expect(r.achieved_rate).toBeGreaterThanOrEqual(0);
              if (r.achieved_rate !== null) expect(r.achieved_rate).toBeLessThanOrEqual(1);
              if (r.gap_count !== null) expect(r.gap_count).toBeLessThanOrEqual(r.eligible);
              expect(r.status === "all_missing").toBe(r.eligible > 0 && r.missing === r.eligible);
            }
          }
          const expected = persons.filter((p) => p.grade <= 3);
          expect(totals[0]).toEqual([expected.length, expected.filter((p) => p.screened === true).length, expected.filter((p) => p.screened === null).length]);
          for (const t of totals) expect(t).toEqual(totals[0]);
        } finally {
          random.close();
        }
      }),
      {numRuns: 25},
    );
  });
});

test("every catalogue entry runs at every level on the fixture city", async () => {
  for (const indicator of indicators)
    for (const level of ["city", "district", "street", "community"] as const) {
      const {rows} = await gapQuery(db, {indicator: indicator.id, level, year: 2021});
      expect(rows.length).toBe(gapUnits.filter((u) => u.level === level).length);
    }
});
