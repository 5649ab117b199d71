import {afterAll, beforeAll, expect, test} from "vitest";
import {generatedCodeRules, personsRules, unitsRules} from "../../src/schemas/contract/cityRules.js";
import {checkContract, ContractError, schemaRules} from "../../src/schemas/contract/contractSql.js";
import {persons} from "../../src/schemas/persons.js";
import {units} from "../../src/schemas/units.js";
import {writtenCity} from "./fixtures.js";

let city: Awaited<ReturnType<typeof writtenCity>>;
beforeAll(async () => {
  city = await writtenCity({persons: 2000});
  // Editable copies of the written tables.
  await city.db.run("CREATE TABLE u AS SELECT * FROM units; CREATE TABLE p AS SELECT * FROM persons");
});
afterAll(() => city.close());

/** The broken rules a check reports, as "column: rule (rows)". */
async function broken(check: () => Promise<unknown>): Promise<string[]> {
  try {
    await check();
    return [];
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    return error.violations.map((v) => `${v.column}: ${v.rule} (${v.rows})`);
  }
}

test("the schema's own rules are read from zod: enums, ranges, lengths and the unit-code pattern", () => {
  const rules = [...schemaRules(persons), ...schemaRules(units)].map((r) => `${r.column}: ${r.rule}`);
  expect(rules).toContain("grade: at least 1");
  expect(rules).toContain("grade: at most 4");
  expect(rules).toContain("category: one of visual, hearing, speech, physical, intellectual, psychiatric, multiple");
  expect(rules).toContain("unit_code: matches ^[0-9A-Za-z]{2,24}$");
  expect(rules).toContain("satisfaction_rate: at most 1");
  expect(rules).toContain("category: not null");
  // 符合低保条件 may be unknown: a certificate-system export has no such column.
  expect(rules).not.toContain("dibao_eligible: not null");
  expect(rules).not.toContain("dibao_recipient: not null");
});

test("the generated tables pass every rule and the count of rows checked is returned", async () => {
  expect(await checkContract(city.db, units, "u", [...unitsRules("u"), ...generatedCodeRules("u")])).toBe(city.report.size.communities + (await city.db.query<{n: number}>("SELECT count(*) AS n FROM u WHERE level <> 'community'"))[0].n);
  expect(await checkContract(city.db, persons, "p", personsRules("p", "u"))).toBe(2000);
});

test("broken persons are reported rule by rule with how many rows break each", async () => {
  await city.db.run(`
    UPDATE p SET grade = 5 WHERE person_id = 1;
    UPDATE p SET category = 'other' WHERE person_id IN (2, 3);
    UPDATE p SET community_code = '990199999999' WHERE person_id = 4;
    UPDATE p SET screened = false, rehab_need = true WHERE person_id = 5;
    UPDATE p SET age = 30, enrolled = true WHERE person_id = 6;
    UPDATE p SET person_id = 9 WHERE person_id = 8`);
  expect(await broken(() => checkContract(city.db, persons, "p", personsRules("p", "u")))).toEqual([
    "category: one of visual, hearing, speech, physical, intellectual, psychiatric, multiple (2)",
    "grade: at most 4 (1)",
    "person_id: unique (2)",
    "community_code: a community (level community) of the units table (1)",
    "rehab_need: null unless screened (1)",
    "enrolled: null outside ages 6–15 (1)",
  ]);
});

test("a broken hierarchy is reported: orphans, codes not starting with the parent's, residents not adding up, service above community level", async () => {
  await city.db.run(`
    UPDATE u SET parent_code = '9901990' WHERE unit_code = (SELECT max(unit_code) FROM u WHERE level = 'community');
    UPDATE u SET residents = residents - 1 WHERE level = 'street' AND unit_code = (SELECT min(unit_code) FROM u WHERE level = 'street');
    UPDATE u SET has_care_point = true WHERE level = 'district'`);
  const problems = await broken(() => checkContract(city.db, units, "u", [...unitsRules("u"), ...generatedCodeRules("u")]));
  expect(problems).toEqual(
    expect.arrayContaining([
      "parent_code: the parent exists (1)",
      "unit_code: starts with the parent's code (1)",
      "residents: a unit's residents are at least the sum of its children's (1)",
      "has_care_point: null above community level (6)",
    ]),
  );
});

test("a table with a column missing or of the wrong type is refused before any row rule", async () => {
  await city.db.run("CREATE TABLE p2 AS SELECT * EXCLUDE (wubao_recipient) REPLACE (CAST(age AS DOUBLE) AS age) FROM persons");
  const problems = await broken(() => checkContract(city.db, persons, "p2"));
  expect(problems[0]).toMatch(/^\(table\): columns person_id INTEGER, .* \(0\)$/);
});
