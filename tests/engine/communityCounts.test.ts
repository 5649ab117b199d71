import fc from "fast-check";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {questionsAnswerable} from "../../src/engine/answerability.js";
import {communityCountsAssumptions_zh, useCommunityCounts} from "../../src/engine/communityCountsCube.js";
import {gapLevels, gapQuery, gapSummary, type GapOptions} from "../../src/engine/gapQuery.js";
import {personCountSlices} from "../../src/engine/personCounts.js";
import {prepareModel, runScenario} from "../../src/engine/runScenario.js";
import {baselineScenario} from "../../src/engine/scenario.js";
import {categoryCountColumn, countColumns, gradeCountColumns, type CommunityCountsRow} from "../../src/schemas/communityCounts.js";
import {disabilityCategories} from "../../src/schemas/disabilityCategories.js";
import {fixtureDb} from "./fixtureDb.js";
import {countsFromPersons, createCountsTable, officeView, onlyColumns} from "./fixtures/countsCity.js";
import {WasmFixtureDb} from "./fixtures/wasmDb.js";

/**
 * A city given as counts per community (community_counts) is a first-class city: with every column,
 * the engines give exactly the answers of the person rows the counts were tallied from (as the office's
 * form sees them: officeView); with fewer columns, what the counts cannot give is a typed cannot-answer
 * with its reason, never a zero.
 */

const YEAR = 2026;
const personIndicators = ["screening", "archive", "enrolment", "subsistence", "rehab_service", "device_fitting", "poor_subsidy", "severe_subsidy"] as const;

describe("the demo city as counts with every column", () => {
  let rows: NodeDuckDB;
  let counts: NodeDuckDB;
  let districts: string[];
  beforeAll(async () => {
    const city = await generateDemoCity();
    const persons = officeView(city.persons);
    const parameters = loadParameters();
    rows = await fixtureDb({units: city.units, persons, parameters});
    counts = await fixtureDb({units: city.units, parameters});
    await createCountsTable(counts, countsFromPersons(persons));
    await useCommunityCounts(counts);
    districts = city.units.filter((u) => u.level === "district").map((u) => u.unit_code);
  }, 120_000);
  afterAll(() => {
    rows?.close();
    counts?.close();
  });

  test.each(personIndicators)("%s: every level, the whole city and within a district, equals the person rows' answer", async (indicator) => {
    for (const level of gapLevels) {
      const options: GapOptions = {indicator, level, year: YEAR};
      const answer = await gapQuery(counts, options);
      expect(answer.answer.answerable).toBe(true);
      expect(answer.rows.length).toBeGreaterThan(0);
      expect(answer, `${indicator} ${level}`).toEqual(await gapQuery(rows, options));
      expect(await gapSummary(counts, options)).toEqual(await gapSummary(rows, options));
    }
    const within: GapOptions = {indicator, level: "community", parent: districts[0], year: YEAR};
    expect(await gapQuery(counts, within)).toEqual(await gapQuery(rows, within));
  });

  test("DuckDB-WASM derives the same person_counts from the counts and gives the same answers", async () => {
    const city = await generateDemoCity();
    const wasm = await WasmFixtureDb.open({units: city.units, parameters: loadParameters()});
    try {
      await createCountsTable(wasm, countsFromPersons(officeView(city.persons)));
      expect(await useCommunityCounts(wasm)).toEqual(await useCommunityCounts(counts));
      const all = "SELECT * FROM person_counts ORDER BY ALL";
      expect(await wasm.query(all)).toEqual(await counts.query(all));
      for (const indicator of personIndicators) expect(await gapQuery(wasm, {indicator, level: "street", year: YEAR})).toEqual(await gapQuery(counts, {indicator, level: "street", year: YEAR}));
    } finally {
      wasm.close();
    }
  }, 120_000);

  test("a category filter on screening, which the counts give only as a total, cannot be answered and says why", async () => {
    // Category counts and screened counts exist, but not screened by category: the filter cannot be applied.
    const byCategory = await gapQuery(counts, {indicator: "screening", level: "district", year: YEAR, categories: ["physical"]});
    expect(byCategory.answer).toMatchObject({answerable: false, reason_zh: "导入的数据只有筛查总数，没有按残疾类别分的筛查人数，不能按残疾类别筛选"});
    expect(byCategory.rows).toEqual([]);
  });

  test("questionsAnswerable: every person indicator unfiltered; by category or grade, a reason naming the missing joint count", async () => {
    const answers = questionsAnswerable(await personCountSlices(counts));
    for (const q of answers.filter((a) => a.kind === "indicator")) {
      if (q.filter_zh === null) expect(q.answer.answerable, q.id).toBe(true);
      else {
        expect(q.answer.answerable, `${q.id} ${q.filter_zh}`).toBe(false);
        if (!q.answer.answerable) expect(q.answer.reason_zh).toMatch(new RegExp(`^导入的数据只有.+总(人)?数，没有${q.filter_zh}分的.+，不能${q.filter_zh}筛选$`));
      }
    }
    const archive = answers.find((a) => a.id === "archive" && a.filter_zh === "按残疾等级")!;
    expect(archive.answer).toMatchObject({answerable: false, reason_zh: "导入的数据只有有康复需求总人数、建档总数，没有按残疾等级分的有康复需求人数、建档人数，不能按残疾等级筛选"});
    expect(archive.answer.columns).toEqual(["screened", "rehab_need", "archived", ...gradeCountColumns]);
  });

  test("every programme the slices cover costs exactly what it costs over the person rows; the others are named with a reason, not costed", async () => {
    const [truth, counted] = [await prepareModel(rows), await prepareModel(counts)];
    expect(counted.cube).toMatchObject({persons: truth.cube.persons, residents: truth.cube.residents, communities: truth.cube.communities, orphanPersons: 0});
    const cannot = new Map((counted.cube.unanswerable ?? []).map((u) => [u.programme, u.reason_zh]));
    expect([...cannot.keys()].sort()).toEqual(["psychiatric_allowance", "study_grant"]);
    expect(cannot.get("study_grant")).toBe("导入的数据只有 6–15 岁的人数，没有 18–22 岁的人数，不能计算残疾学生助学补助");
    expect(cannot.get("psychiatric_allowance")).toMatch(/没有按残疾类别分的符合低保条件人数/);
    const bases = (db: NodeDuckDB) =>
      db.query<{programme: string; community_code: string; quantity: number; achieved: number; persons: number}>(
        "SELECT programme, community_code, quantity, achieved, persons FROM scenario_bases ORDER BY programme, community_code",
      );
    const covered = (b: {programme: string}) => !cannot.has(b.programme);
    expect((await bases(counts)).filter(covered)).toEqual((await bases(rows)).filter(covered));
    const [a, b] = [await runScenario(rows, baselineScenario(), {model: truth}), await runScenario(counts, baselineScenario(), {model: counted})];
    expect(b.unanswerable.map((u) => u.programme).sort()).toEqual([...cannot.keys()].sort());
    expect(b.rows.some((r) => cannot.has(r.programme))).toBe(false);
    expect(b.rows).toEqual(a.rows.filter(covered));
    expect(b.rows.length).toBe(a.rows.length - 2 * a.rows.filter((r) => r.programme === "study_grant").length);
  });
});

describe("counts with only persons and category", () => {
  let db: NodeDuckDB;
  beforeAll(async () => {
    const city = await generateDemoCity();
    db = await fixtureDb({units: city.units, parameters: loadParameters()});
    await createCountsTable(db, onlyColumns(countsFromPersons(city.persons), disabilityCategories.map(categoryCountColumn)));
    await useCommunityCounts(db);
  }, 120_000);
  afterAll(() => db?.close());

  test("screening by category cannot be answered, and says why; no row shows a zero", async () => {
    for (const categories of [[], ["visual"]]) {
      const result = await gapQuery(db, {indicator: "screening", level: "street", year: YEAR, categories});
      expect(result.answer).toEqual({answerable: false, reason_zh: "导入的数据没有筛查人数，不能计算康复需求筛查率", columns: categories.length ? ["screened", ...disabilityCategories.map(categoryCountColumn)] : ["screened"]});
      expect(result.rows).toEqual([]);
      const summary = await gapSummary(db, {indicator: "screening", year: YEAR, categories});
      expect(summary.total).toMatchObject({status: "cannot_answer", achieved_rate: null, gap_count: null, gap_cost_yuan: null, gap_cost_reason: result.answer.answerable ? null : result.answer.reason_zh});
    }
  });

  test("the questions it answers: community indicators and programmes by category or no dimension; the rest with reasons", async () => {
    const slices = await useCommunityCounts(db);
    expect(slices.map((s) => s.slice)).toEqual(["category", "total"]);
    const answers = questionsAnswerable(slices);
    const answered = answers.filter((q) => q.answer.answerable).map((q) => q.id);
    expect(answered.sort()).toEqual(["care_points", "committee_stipend", "community_rehab", "rehab_coordinators"].sort());
    for (const q of answers) if (!q.answer.answerable) expect(q.answer.reason_zh, q.id).toMatch(/^(导入的数据|没有)/);
    const community = await gapQuery(db, {indicator: "rehab_room", level: "district", year: YEAR});
    expect(community.answer.answerable).toBe(true);
    expect(communityCountsAssumptions_zh.length).toBeGreaterThan(3);
  });
});

describe("counts of archives and pupils without those in need or of school age", () => {
  let db: NodeDuckDB;
  let city: Awaited<ReturnType<typeof generateDemoCity>>;
  beforeAll(async () => {
    city = await generateDemoCity();
    db = await fixtureDb({units: city.units, parameters: loadParameters()});
    await createCountsTable(db, onlyColumns(countsFromPersons(city.persons), ["screened", "archived", "enrolled"]));
  }, 120_000);
  afterAll(() => db?.close());

  test("the reason names only the count the form lacks, not the one it has (已建档 without 有康复需求)", async () => {
    const slices = await useCommunityCounts(db);
    expect(slices.map((s) => s.slice).sort()).toEqual(["archived", "enrolled", "screened", "total"]);
    const archive = await gapQuery(db, {indicator: "archive", level: "street", year: YEAR});
    expect(archive.answer).toMatchObject({answerable: false, reason_zh: "导入的数据没有有康复需求人数，不能计算康复建档率"});
    const enrolment = await gapQuery(db, {indicator: "enrolment", level: "street", year: YEAR});
    expect(enrolment.answer.answerable).toBe(false);
    expect(enrolment.answer.answerable ? "" : enrolment.answer.reason_zh).not.toMatch(/在学人数/);
    // The archives alone are counted as reported: every archive the form counts (among those in need) once.
    const [row] = await db.query<{n: number}>("SELECT CAST(sum(persons) AS INTEGER) AS n FROM person_counts WHERE slice = 'archived' AND archived");
    expect(row!.n).toBe(city.persons.filter((p) => p.rehab_need === true && p.archived === true).length);
  });
});

describe("communities that did not report a count (a blank cell) are 未填报, left out of rates and counted", () => {
  let db: NodeDuckDB;
  let full: NodeDuckDB;
  let city: Awaited<ReturnType<typeof generateDemoCity>>;
  let blank: Set<string>;
  /** Communities that screened no one: no one's need is known there either (archive only). */
  let unscreened: Set<string>;
  const street = (code: string) => city.units.find((u) => u.unit_code === code)!.parent_code!;
  beforeAll(async () => {
    city = await generateDemoCity();
    const counts = countsFromPersons(officeView(city.persons));
    // Every third community left 有康复需求人数 and 符合低保条件人数 blank; one street's communities all did.
    const firstStreet = street(counts[0]!.community_code);
    blank = new Set(counts.filter((r, i) => i % 3 === 0 || street(r.community_code) === firstStreet).map((r) => r.community_code));
    unscreened = new Set(counts.filter((r) => r.screened === 0 && !blank.has(r.community_code)).map((r) => r.community_code));
    db = await fixtureDb({units: city.units, parameters: loadParameters()});
    await createCountsTable(db, counts.map((r) => (blank.has(r.community_code) ? {...r, rehab_need: null, archived: null, dibao_eligible: null, dibao_recipient: null} : r)));
    await useCommunityCounts(db);
    // The same city with the blank communities' figures as they are (for the rates of the others).
    full = await fixtureDb({units: city.units, parameters: loadParameters()});
    await createCountsTable(full, counts.filter((r) => !blank.has(r.community_code)));
    await useCommunityCounts(full);
  }, 120_000);
  afterAll(() => {
    db?.close();
    full?.close();
  });

  test.each(["archive", "subsistence"] as const)("%s: a community with the cell blank reads 未填报 (not 0), its street's rate is the reporting communities' rate", async (indicator) => {
    const communities = await gapQuery(db, {indicator, level: "community", year: YEAR});
    for (const r of communities.rows) {
      if (blank.has(r.unit_code)) {
        expect(r, r.unit_code).toMatchObject({status: "not_reported", achieved_rate: null, gap_count: null, communities_not_reported: 1});
      } else if (!(indicator === "archive" && unscreened.has(r.unit_code))) expect(r.status, r.unit_code).not.toBe("not_reported");
    }
    const streets = await gapQuery(db, {indicator, level: "street", year: YEAR});
    const reporting = await gapQuery(full, {indicator, level: "street", year: YEAR});
    const firstStreet = street(communities.rows.find((r) => blank.has(r.unit_code))!.unit_code);
    for (const r of streets.rows) {
      const inStreet = communities.rows.filter((c) => c.parent_code === r.unit_code);
      expect(r.communities_not_reported, r.unit_name).toBe(inStreet.filter((c) => blank.has(c.unit_code) || (indicator === "archive" && unscreened.has(c.unit_code))).length);
      const same = reporting.rows.find((x) => x.unit_code === r.unit_code)!;
      // Left out of the rate: the street's rate is that of its reporting communities alone.
      expect(r.achieved_rate, r.unit_name).toBe(same.achieved_rate);
      if (inStreet.every((c) => c.status === "not_reported")) expect(r.status).toBe("not_reported");
    }
    expect(streets.rows.find((r) => r.unit_code === firstStreet)!.status).toBe("not_reported");
    const summary = await gapSummary(db, {indicator, year: YEAR});
    const alsoUnknown = indicator === "archive" ? unscreened.size : 0;
    expect(summary.communities_not_reported).toBe(blank.size + alsoUnknown);
    expect(summary.units_not_reported).toBe(blank.size + alsoUnknown);
  });

  test("screening, which every community reported, has none 未填报", async () => {
    const summary = await gapSummary(db, {indicator: "screening", year: YEAR});
    expect(summary.communities_not_reported).toBe(0);
  });
});

describe("every slice counts every person once", () => {
  const count = (max: number) => fc.option(fc.integer({min: 0, max}), {nil: null, freq: 3});
  const community = fc.record(Object.fromEntries([["persons", fc.integer({min: 0, max: 30})], ...countColumns.filter((c) => c !== "persons").map((c) => [c, count(40)])])) as fc.Arbitrary<Omit<CommunityCountsRow, "community_code">>;

  test("whatever the counts (unreported, partial, contradictory), per community and slice the persons add up to the community's persons", async () => {
    const db = await fixtureDb({});
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(community, {minLength: 1, maxLength: 6}), async (rows) => {
          const counts = rows.map((r, i) => ({...r, community_code: `C${i}`}) as CommunityCountsRow);
          await db.query("DROP TABLE IF EXISTS community_counts");
          await createCountsTable(db, counts);
          const slices = await useCommunityCounts(db);
          const sums = await db.query<{slice: string; community_code: string; persons: number}>(
            "SELECT slice, community_code, CAST(sum(persons) AS INTEGER) AS persons FROM person_counts GROUP BY ALL",
          );
          for (const s of slices)
            for (const c of counts) {
              const found = sums.find((x) => x.slice === s.slice && x.community_code === c.community_code);
              expect(found?.persons ?? 0, `${s.slice} ${c.community_code}`).toBe(c.persons);
            }
          // A slice is there exactly when some community reports its counts and there is someone to count
          // (with no persons at all, every cell is empty and no row holds the slice).
          const anyone = counts.some((c) => c.persons > 0);
          const reports = (columns: readonly string[]) => anyone && counts.some((c) => columns.some((k) => (c as Record<string, unknown>)[k] !== null));
          expect(slices.some((s) => s.slice === "grade")).toBe(reports(gradeCountColumns));
          expect(slices.some((s) => s.slice === "screened")).toBe(reports(["screened"]));
          const negative = await db.query<{n: number}>("SELECT count(*) AS n FROM person_counts WHERE persons <= 0");
          expect(Number(negative[0]!.n)).toBe(0);
        }),
        // Always also the case fast-check once found: a community of no persons reporting one grade count.
        {numRuns: 40, examples: [[[{...Object.fromEntries(countColumns.map((c) => [c, null])), persons: 0, grade_4: 0} as unknown as Omit<CommunityCountsRow, "community_code">]]]},
      );
    } finally {
      db.close();
    }
  });
});
