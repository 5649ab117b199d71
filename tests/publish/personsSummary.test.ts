import fc from "fast-check";
import {describe, expect, test} from "vitest";
import {countGroups, personsSummaryRows, protectSummary, summarisePersons, type SummaryCell} from "../../loaders/publish/personsSummary.js";
import {disabilityCategories, type PersonRow} from "../../src/schemas/persons.js";
import {personsSummary, personsSummaryCounts, type PersonsSummaryCount, type PersonsSummaryRow} from "../../src/schemas/personsSummary.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {validateRows} from "../../loaders/writeDataset.js";

const T = 5;

function community(code: string, street: string, district: string, synthetic: boolean): UnitRow {
  return {
    unit_code: code, unit_name: `社区${code}`, level: "community", level_label: "社区", parent_code: street, district_code: district, street_code: street,
    urban_rural: "urban", residents: 2000, has_rehab_room: true, rehab_room_area_m2: 40, has_coordinator: true, coordinator_trained: true,
    has_care_point: false, rehab_funding_yuan: 600, satisfaction_rate: 0.9, synthetic,
  };
}

function person(id: number, over: Partial<PersonRow> = {}): PersonRow {
  return {
    person_id: id, community_code: "K1", category: "physical", grade: 3, age: 40, rehab_need: null, screened: null, archived: null, enrolled: null,
    dibao_eligible: false, dibao_recipient: null, wubao_recipient: null, poor_subsidy_recipient: null, severe_subsidy_recipient: null,
    rehab_served: null, device_need: null, device_fitted: null, poor_subsidy_eligible: null, severe_subsidy_eligible: null, ...over,
  };
}

describe("counting persons per community × category × grade", () => {
  test("each count follows its column's definition, with unknown statuses counted apart", () => {
    const persons = [
      person(1, {screened: true, rehab_need: true, archived: true}),
      person(2, {screened: true, rehab_need: true, archived: null}),
      person(3, {screened: true, rehab_need: false, archived: true}), // archived without a need: not counted
      person(4, {screened: null}),
      person(5, {age: 6, enrolled: true}),
      person(6, {age: 15, enrolled: null}),
      person(7, {age: 16, enrolled: true}), // past school age: not counted
      person(8, {dibao_eligible: true, dibao_recipient: true, wubao_recipient: true}),
      person(9, {dibao_eligible: true, dibao_recipient: null, poor_subsidy_recipient: true, severe_subsidy_recipient: true}),
      person(10, {dibao_eligible: false, dibao_recipient: true}), // receiving without eligibility: not counted among the eligible
      person(11, {grade: 1}),
    ];
    const [cell, other] = summarisePersons(persons, [community("K1", "S1", "D1", true)]);
    expect(cell).toMatchObject({
      community_code: "K1", street_code: "S1", district_code: "D1", category: "physical", grade: 3,
      persons: 10, screened: 3, screened_unknown: 7, rehab_need: 2, archived: 1, archived_unknown: 1,
      school_age: 2, enrolled: 1, enrolled_unknown: 1, dibao_eligible: 2, dibao_recipient: 1, dibao_recipient_unknown: 1,
      wubao_recipient: 1, poor_subsidy_recipient: 1, severe_subsidy_recipient: 1,
    });
    expect(other).toMatchObject({grade: 1, persons: 1});
  });

  test("a person in a community missing from units keeps their row, with no street or district", () => {
    const [cell] = summarisePersons([person(1, {community_code: "ORPHAN"})], [community("K1", "S1", "D1", true)]);
    expect(cell).toMatchObject({community_code: "ORPHAN", street_code: null, district_code: null, persons: 1});
  });

  test("the synthetic demo city is published in full: small counts kept, nothing flagged", () => {
    const rows = personsSummaryRows([person(1, {screened: true})], [community("K1", "S1", "D1", true)], T);
    expect(rows).toEqual([expect.objectContaining({persons: 1, screened: 1, suppressed: false, synthetic: true})]);
    expect(() => validateRows(personsSummary, rows, "test")).not.toThrow();
  });

  test("a real city's row of 3 persons has every count suppressed, zeros included", () => {
    const rows = personsSummaryRows([person(1), person(2), person(3)], [community("K1", "S1", "D1", false)], T);
    expect(rows[0]).toMatchObject({persons: null, screened: null, wubao_recipient: null, suppressed: true, synthetic: false});
    for (const c of personsSummaryCounts) expect(rows[0]![c]).toBeNull();
  });

  test("a threshold below 2 is refused", () => {
    expect(() => protectSummary([], {synthetic: false, threshold: 1})).toThrow(/threshold/);
  });
});

/** A random city's cells: a few districts of communities, counts consistent with their denominators. */
const cellArbitrary = fc
  .record({
    district: fc.constantFrom("D1", "D2"),
    community: fc.integer({min: 1, max: 6}),
    category: fc.constantFrom(...disabilityCategories),
    grade: fc.integer({min: 1, max: 4}),
    persons: fc.integer({min: 1, max: 40}),
    shares: fc.array(fc.double({min: 0, max: 1, noNaN: true}), {minLength: 14, maxLength: 14}),
  })
  .map(({district, community, category, grade, persons, shares}): SummaryCell => {
    const part = (of: number, i: number) => Math.floor(of * shares[i]!);
    const screened = part(persons, 0);
    const screened_unknown = part(persons - screened, 1);
    const rehab_need = part(persons, 2);
    const archived = part(rehab_need, 3);
    const school_age = part(persons, 5);
    const enrolled = part(school_age, 6);
    const dibao_eligible = part(persons, 8);
    const dibao_recipient = part(dibao_eligible, 9);
    return {
      community_code: `${district}K${community}`, street_code: `${district}S`, district_code: district, category, grade,
      persons, screened, screened_unknown, rehab_need, archived, archived_unknown: part(rehab_need - archived, 4),
      school_age, enrolled, enrolled_unknown: part(school_age - enrolled, 7), dibao_eligible, dibao_recipient,
      dibao_recipient_unknown: part(dibao_eligible - dibao_recipient, 10),
      wubao_recipient: part(persons, 11), poor_subsidy_recipient: part(persons, 12), severe_subsidy_recipient: part(persons, 13),
    };
  });

const cityArbitrary = fc.uniqueArray(cellArbitrary, {minLength: 1, maxLength: 60, selector: (c) => `${c.community_code}/${c.category}/${c.grade}`});

describe("small-cell protection of a real city (property tests)", () => {
  test("no published count lies between 1 and T − 1", () => {
    fc.assert(
      fc.property(cityArbitrary, fc.integer({min: 2, max: 10}), (cells, threshold) => {
        for (const row of protectSummary(cells, {synthetic: false, threshold}))
          for (const c of personsSummaryCounts) {
            const v = row[c];
            if (v !== null) expect(v === 0 || v >= threshold).toBe(true);
          }
      }),
    );
  });

  test("published counts equal the true counts; suppressed ones are null and flag their row", () => {
    fc.assert(
      fc.property(cityArbitrary, (cells) => {
        protectSummary(cells, {synthetic: false, threshold: T}).forEach((row, i) => {
          let hidden = 0;
          for (const c of personsSummaryCounts) {
            if (row[c] === null) hidden++;
            else expect(row[c]).toBe(cells[i]![c]);
          }
          expect(row.suppressed).toBe(hidden > 0);
        });
      }),
    );
  });

  test("no group lets a reader subtract their way to a small number: denominator − published parts is 0 or ≥ T", () => {
    fc.assert(
      fc.property(cityArbitrary, (cells) => {
        for (const row of protectSummary(cells, {synthetic: false, threshold: T}))
          for (const {total, parts} of countGroups) {
            const denominator = row[total];
            if (denominator === null) continue;
            const unseen = denominator - parts.reduce((s, p) => s + (row[p] ?? 0), 0);
            expect(unseen === 0 || unseen >= T).toBe(true);
          }
      }),
    );
  });

  test("a suppressed denominator hides its parts, zeros included", () => {
    fc.assert(
      fc.property(cityArbitrary, (cells) => {
        for (const row of protectSummary(cells, {synthetic: false, threshold: T}))
          if (row.persons === null && cells.find((c) => c.community_code === row.community_code && c.category === row.category && c.grade === row.grade)!.persons < T)
            for (const c of personsSummaryCounts) expect(row[c]).toBeNull();
      }),
    );
  });

  test("in each district and each community a column's suppressed cells are none, or at least two adding up to T or more, or all of them", () => {
    fc.assert(
      fc.property(cityArbitrary, (cells) => {
        const rows = protectSummary(cells, {synthetic: false, threshold: T});
        const groups = [...new Set(cells.flatMap((c) => [`d:${c.district_code}`, `c:${c.community_code}`]))];
        const inGroup = (group: string, r: PersonsSummaryRow) => (group.startsWith("d:") ? `d:${r.district_code}` : `c:${r.community_code}`) === group;
        for (const group of groups)
          for (const c of personsSummaryCounts) {
            const members = rows.map((r, i) => [r, cells[i]!] as const).filter(([r]) => inGroup(group, r));
            const hidden = members.filter(([r]) => r[c] === null);
            if (hidden.length === 0 || hidden.length === members.length) continue;
            expect(hidden.length, `${group} ${c}`).toBeGreaterThanOrEqual(2);
            expect(hidden.reduce((s, [, cell]) => s + cell[c], 0)).toBeGreaterThanOrEqual(T);
          }
      }),
    );
  });

  test("every protected row is a valid persons_summary row", () => {
    fc.assert(
      fc.property(cityArbitrary, (cells) => {
        expect(() => validateRows(personsSummary, protectSummary(cells, {synthetic: false, threshold: T}), "test")).not.toThrow();
      }),
      {numRuns: 30},
    );
  });
});

test("count columns and groups agree with the schema", () => {
  const inGroups = new Set<PersonsSummaryCount>(countGroups.flatMap((g) => [g.total, ...g.parts]));
  expect([...inGroups].sort()).toEqual([...personsSummaryCounts].sort());
});

test("a lone small cell in a district takes the smallest other cell down with it, so a district total cannot reveal it", () => {
  const cell = (community: string, screened: number): SummaryCell => ({
    community_code: community, street_code: "S", district_code: "D", category: "physical", grade: 3,
    persons: 50, screened, screened_unknown: 0, rehab_need: 0, archived: 0, archived_unknown: 0, school_age: 0, enrolled: 0, enrolled_unknown: 0,
    dibao_eligible: 0, dibao_recipient: 0, dibao_recipient_unknown: 0, wubao_recipient: 0, poor_subsidy_recipient: 0, severe_subsidy_recipient: 0,
  });
  // K1 screened 2 of 50 (primary); the rest 48 unscreened is fine. K2 screened 30, K3 screened 12: K3 is the smallest non-zero.
  const rows = protectSummary([cell("K1", 2), cell("K2", 30), cell("K3", 12)], {synthetic: false, threshold: T});
  expect(rows.map((r) => r.screened)).toEqual([null, 30, null]);
  expect(rows.map((r) => r.suppressed)).toEqual([true, false, true]);
  // 50 persons, 47 screened: the 3 unscreened would be readable as 50 − 47 − 0, so screened is hidden.
  expect(protectSummary([cell("K1", 47), cell("K2", 20), cell("K3", 20)], {synthetic: false, threshold: T})[0]!.screened).toBeNull();
});

test("a community's total cannot reveal a lone small cell either: the smallest other cell of the community goes too", () => {
  const cell = (community: string, district: string, grade: number, persons: number): SummaryCell => ({
    community_code: community, street_code: "S", district_code: district, category: "physical", grade,
    persons, screened: 0, screened_unknown: 0, rehab_need: 0, archived: 0, archived_unknown: 0, school_age: 0, enrolled: 0, enrolled_unknown: 0,
    dibao_eligible: 0, dibao_recipient: 0, dibao_recipient_unknown: 0, wubao_recipient: 0, poor_subsidy_recipient: 0, severe_subsidy_recipient: 0,
  });
  // K1 has grades 1–3 with 10, 3 and 6 persons; its total (19) is public. The district already hides
  // two cells elsewhere (K2, K3), so only the community rule stops 19 − 10 − 6 = 3.
  const rows = protectSummary([cell("K1", "D", 1, 10), cell("K1", "D", 2, 3), cell("K1", "D", 3, 6), cell("K2", "D", 1, 2), cell("K3", "D", 1, 4)], {synthetic: false, threshold: T});
  expect(rows.map((r) => r.persons)).toEqual([10, null, null, null, null]);
});
