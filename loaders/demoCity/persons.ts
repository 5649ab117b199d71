import {disabilityCategories, personRow} from "../../src/schemas/persons.js";
import {columnTypes} from "../../src/schemas/columnTypes.js";
import type {SqlValue} from "../../src/engine/queryable.js";
import {quoteIdentifier} from "../../src/engine/sql.js";
import type {NodeDuckDB} from "../duckdbNode.js";
import type {DemoCityConfig} from "./config.js";
import {seedKey64} from "./prng.js";
import type {CommunityPlan} from "./units.js";

/**
 * Persons are generated in DuckDB SQL, not as JS objects, so that 10 million rows take seconds: each
 * person's random numbers are hash(seed key XOR (person_id · STREAMS + stream)) / 2^64 — a pure
 * function of the seed, the row number and the stream, so rows do not depend on each other or on the
 * number of threads. Each stream below is one independent draw per person.
 */
const STREAM = {
  category: 0,
  grade: 1,
  ageBand: 2,
  ageYear: 3,
  screened: 4,
  need: 5,
  archived: 6,
  enrolled: 7,
  eligible: 8,
  dibao: 9,
  wubao: 10,
  poor: 11,
  severe: 12,
  blankScreened: 13,
  blankArchived: 14,
  blankEnrolled: 15,
  blankDibao: 16,
  blankWubao: 17,
  blankPoor: 18,
  blankSevere: 19,
  blankNeed: 20,
  // The national plan's indicators (added later: new streams, the ones above unchanged).
  served: 21,
  deviceNeed: 22,
  deviceFitted: 23,
  blankServed: 24,
  blankDeviceNeed: 25,
  blankDeviceFitted: 26,
  blankPoorEligible: 27,
  blankSevereEligible: 28,
} as const;
/** Stream slots per person; room to add streams without renumbering the ones above. */
const STREAMS = 32;

/** Compulsory-education ages (义务教育阶段, 6–15 周岁): `enrolled` is reported for these ages only (persons schema). */
export {COMPULSORY_SCHOOL_AGES} from "../../src/schemas/contract/cityRules.js";
import {COMPULSORY_SCHOOL_AGES} from "../../src/schemas/contract/cityRules.js";
/** Grades 1–2 are severe (重度), the nursing subsidy's eligibility. */
const SEVERE_GRADE_MAX = 2;

const planColumns: [keyof CommunityPlan, string][] = [
  ["community_code", "VARCHAR"],
  ["first_id", "BIGINT"],
  ["persons", "BIGINT"],
  ["rural", "BOOLEAN"],
  ["unreported", "BOOLEAN"],
  ["p_screening", "DOUBLE"],
  ["p_archive", "DOUBLE"],
  ["p_enrolment", "DOUBLE"],
  ["p_dibao_takeup", "DOUBLE"],
  ["p_poor_subsidy_takeup", "DOUBLE"],
  ["p_severe_subsidy_takeup", "DOUBLE"],
  ["p_rehab_service", "DOUBLE"],
  ["p_device_fitting", "DOUBLE"],
];

/** Loads the community plan into a DuckDB table. */
async function createPlanTable(db: NodeDuckDB, plan: readonly CommunityPlan[], table: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${quoteIdentifier(table)} (${planColumns.map(([name, type]) => `${quoteIdentifier(name)} ${type}`).join(", ")})`);
  const appender = await db.connection.createAppender(table);
  for (const row of plan) {
    for (const [name, type] of planColumns) {
      const value = row[name];
      if (type === "VARCHAR") appender.appendVarchar(value as string);
      else if (type === "BIGINT") appender.appendBigInt(BigInt(value as number));
      else if (type === "BOOLEAN") appender.appendBoolean(value as boolean);
      else appender.appendDouble(value as number);
    }
    appender.endRow();
  }
  appender.closeSync();
}

/** Running sums of shares: the upper bounds that turn one uniform draw into a category. */
function cumulative(shares: readonly number[]): number[] {
  const total = shares.reduce((a, b) => a + b, 0);
  let running = 0;
  return shares.map((s) => (running += s / total));
}

/**
 * Collects bound values while SQL text is written: `bind(x)` returns a named placeholder (`$p3`) and
 * remembers x, so fragments can be written in any order.
 */
function binder() {
  const params: Record<string, SqlValue> = {};
  let next = 0;
  return {params, bind: (value: SqlValue) => {
    const name = `p${next++}`;
    params[name] = value;
    return `$${name}`;
  }};
}

/**
 * The SELECT that generates every person of the plan table, columns in the persons schema's order.
 * Exported for tests and for the curious; `createPersonsTable` runs it.
 */
export function personsSelect(config: DemoCityConfig, planTable: string): {sql: string; params: Record<string, SqlValue>} {
  const {params, bind} = binder();
  const seedKey = bind(seedKey64(config.seed, "persons").toString());
  const p = config.persons;
  const u = (stream: number) => `(hash(xor((person_id * ${STREAMS} + ${stream})::UBIGINT, seed_key)) / 18446744073709551616.0)`;
  const draws = Object.entries(STREAM).map(([name, k]) => `${u(k)} AS u_${name}`).join(",\n      ");

  const categoryBounds = cumulative(disabilityCategories.map((c) => p.categories[c].value));
  const category = `CASE ${disabilityCategories.slice(0, -1).map((c, i) => `WHEN u_category < ${bind(categoryBounds[i])} THEN ${bind(c)}`).join(" ")} ELSE ${bind(disabilityCategories.at(-1)!)} END`;
  const gradeBounds = cumulative([p.grades["1"].value, p.grades["2"].value, p.grades["3"].value, p.grades["4"].value]);
  const grade = `CASE WHEN u_grade < ${bind(gradeBounds[0])} THEN 1 WHEN u_grade < ${bind(gradeBounds[1])} THEN 2 WHEN u_grade < ${bind(gradeBounds[2])} THEN 3 ELSE 4 END`;
  const ageBounds = cumulative(p.ages.map((b) => b.value));
  // Uniform within the band; least() guards the (2^-53) chance of a draw rounding up to 1.
  const ageIn = (b: {from: number; to: number}) => `least(${bind(b.from)} + floor(u_ageYear * ${bind(b.to - b.from + 1)}), ${bind(b.to)})`;
  const age = `CASE ${p.ages.slice(0, -1).map((b, i) => `WHEN u_ageBand < ${bind(ageBounds[i])} THEN ${ageIn(b)}`).join(" ")} ELSE ${ageIn(p.ages.at(-1)!)} END`;
  const needChance = `CASE category ${disabilityCategories.map((c) => `WHEN ${bind(c)} THEN ${bind(p.rehab_need[c].value)}`).join(" ")} END`;
  const deviceNeedChance = `CASE category ${disabilityCategories.map((c) => `WHEN ${bind(c)} THEN ${bind(p.device_need[c].value)}`).join(" ")} END`;
  const byArea = (v: {urban: {value: number}; rural: {value: number}}) => `CASE WHEN rural THEN ${bind(v.rural.value)} ELSE ${bind(v.urban.value)} END`;

  // Truth first (what is so), then what was reported (truth, or null when blank/unreported).
  const truth = `
    SELECT *,
      ${category} AS category,
      ${grade} AS grade,
      ${age} AS age,
      u_screened < p_screening AS t_screened,
      u_eligible < ${byArea(p.dibao_eligible)} AS dibao_eligible
    FROM draws`;
  const truth2 = `
    SELECT *,
      t_screened AND u_need < ${needChance} AS t_need,
      dibao_eligible AND u_dibao < p_dibao_takeup AS t_dibao,
      u_enrolled < p_enrolment AS t_enrolled,
      grade <= ${bind(SEVERE_GRADE_MAX)} AND u_severe < p_severe_subsidy_takeup AS t_severe
    FROM truth`;
  const truth3 = `
    SELECT *,
      CASE WHEN t_need THEN u_archived < p_archive WHEN t_screened THEN u_archived < ${bind(p.archive_without_need.value)} ELSE false END AS t_archived,
      NOT t_dibao AND u_wubao < ${byArea(p.wubao)} AS t_wubao
    FROM truth2`;
  const truth4 = `
    SELECT *,
      (t_dibao OR t_wubao) AND u_poor < p_poor_subsidy_takeup AS t_poor,
      unreported OR u_blankScreened < ${bind(config.missing.person_item_share.value)} AS blank_screened,
      t_need AND u_served < p_rehab_service AS t_served,
      t_screened AND u_deviceNeed < ${deviceNeedChance} AS t_device_need
    FROM truth3`;
  // The living subsidy's eligibility is a 低保 or 特困 household (the recipients above are drawn among them);
  // the nursing subsidy's is grade 1–2.
  const truth5 = `
    SELECT *,
      t_device_need AND u_deviceFitted < p_device_fitting AS t_device_fitted,
      (t_dibao OR t_wubao) AS t_poor_eligible,
      grade <= ${bind(SEVERE_GRADE_MAX)} AS t_severe_eligible
    FROM truth4`;
  const reported = (blankStream: string, value: string) => `CASE WHEN unreported OR ${blankStream} < ${bind(config.missing.person_item_share.value)} THEN NULL ELSE ${value} END`;
  const [schoolFrom, schoolTo] = COMPULSORY_SCHOOL_AGES;

  const columns: Record<string, string> = {
    person_id: "person_id",
    community_code: "community_code",
    category: "category",
    grade: "grade",
    age: "age",
    // A need is known only for persons reported as screened (and then and again not recorded).
    rehab_need: `CASE WHEN blank_screened OR NOT t_screened THEN NULL ELSE ${reported("u_blankNeed", "t_need")} END`,
    screened: "CASE WHEN blank_screened THEN NULL ELSE t_screened END",
    archived: reported("u_blankArchived", "t_archived"),
    enrolled: `CASE WHEN age BETWEEN ${bind(schoolFrom)} AND ${bind(schoolTo)} THEN ${reported("u_blankEnrolled", "t_enrolled")} END`,
    dibao_eligible: "dibao_eligible",
    dibao_recipient: reported("u_blankDibao", "t_dibao"),
    wubao_recipient: reported("u_blankWubao", "t_wubao"),
    poor_subsidy_recipient: reported("u_blankPoor", "t_poor"),
    severe_subsidy_recipient: reported("u_blankSevere", "t_severe"),
    // Served (fitted) is reported for persons reported in need; a need for a device is known after screening.
    rehab_served: `CASE WHEN blank_screened OR NOT t_need OR u_blankNeed < ${bind(config.missing.person_item_share.value)} THEN NULL ELSE ${reported("u_blankServed", "t_served")} END`,
    device_need: `CASE WHEN blank_screened OR NOT t_screened THEN NULL ELSE ${reported("u_blankDeviceNeed", "t_device_need")} END`,
    device_fitted: `CASE WHEN blank_screened OR NOT t_device_need OR u_blankDeviceNeed < ${bind(config.missing.person_item_share.value)} THEN NULL ELSE ${reported("u_blankDeviceFitted", "t_device_fitted")} END`,
    poor_subsidy_eligible: reported("u_blankPoorEligible", "t_poor_eligible"),
    severe_subsidy_eligible: reported("u_blankSevereEligible", "t_severe_eligible"),
  };
  const select = columnTypes(personRow)
    .map(({name, type}) => {
      if (!(name in columns)) throw new Error(`persons generator has no expression for schema column ${name}`);
      return `CAST(${columns[name]} AS ${type}) AS ${quoteIdentifier(name)}`;
    })
    .join(",\n    ");

  const sql = `
WITH seed AS (SELECT CAST(${seedKey} AS UBIGINT) AS seed_key),
ids AS (SELECT *, unnest(range(first_id, first_id + persons)) AS person_id FROM ${quoteIdentifier(planTable)}),
draws AS (
  SELECT ids.*,
      ${draws}
  FROM ids, seed
),
truth AS (${truth}),
truth2 AS (${truth2}),
truth3 AS (${truth3}),
truth4 AS (${truth4}),
truth5 AS (${truth5})
SELECT
    ${select}
FROM truth5`;
  return {sql, params};
}

/**
 * Generates the persons of a city plan into a DuckDB table (`persons` by default), one row per person,
 * columns and types as the persons schema declares them.
 */
export async function createPersonsTable(db: NodeDuckDB, config: DemoCityConfig, plan: readonly CommunityPlan[], table = "persons"): Promise<void> {
  const planTable = `${table}_plan`;
  await createPlanTable(db, plan, planTable);
  const {sql, params} = personsSelect(config, planTable);
  await db.connection.run(`CREATE OR REPLACE TABLE ${quoteIdentifier(table)} AS ${sql}`, params);
  await db.run(`DROP TABLE ${quoteIdentifier(planTable)}`);
}
