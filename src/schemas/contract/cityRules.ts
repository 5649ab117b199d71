import {unitLevels} from "../units.js";
import {quoteIdentifier} from "../../engine/sql.js";
import type {ContractRule} from "./contractSql.js";
import {categoryCountColumn, countColumns, gradeCountColumns} from "../communityCounts.js";
import {disabilityCategories} from "../disabilityCategories.js";

/** Compulsory education ages (义务教育阶段, 6–15 周岁): enrolment is known only for them. */
export const COMPULSORY_SCHOOL_AGES = [6, 15] as const;

/** Service-status columns: facts about a community (社区/村), null above it (units schema). */
const serviceColumns = ["has_rehab_room", "rehab_room_area_m2", "has_coordinator", "coordinator_trained", "has_care_point", "rehab_funding_yuan", "satisfaction_rate"];

/**
 * The city contract (城市数据规则): the rules every city obeys beyond single columns, whether generated (the
 * demo city, loaders/demoCity) or imported (a planner's workbook, in the build route and on the import page).
 * Each rule is a SQL expression TRUE for a breaking row, checked by checkContract (contractSql.ts) in DuckDB
 * in Node or in the browser.
 */

/**
 * The units table's rules beyond single columns: unique codes, one city, every parent present one
 * level up, a child's code starting with its parent's, district/street codes, residents rolling up,
 * and service status only on communities.
 */
export function unitsRules(table = "units"): ContractRule[] {
  const t = quoteIdentifier(table);
  const levelIndex = (expr: string) => `list_position([${unitLevels.map((l) => `'${l}'`).join(", ")}], ${expr})`;
  const parent = (column: string) => `(SELECT p.${column} FROM ${t} p WHERE p.unit_code = ${t}.parent_code)`;
  return [
    {column: "unit_code", rule: "unique", violation: `unit_code IN (SELECT unit_code FROM ${t} GROUP BY unit_code HAVING count(*) > 1)`},
    {column: "level", rule: "exactly one city, and it has no parent", violation: `(level = 'city') <> (parent_code IS NULL) OR (level = 'city' AND (SELECT count(*) FROM ${t} WHERE level = 'city') <> 1)`},
    {column: "parent_code", rule: "the parent exists", violation: `parent_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${t} p WHERE p.unit_code = ${t}.parent_code)`},
    {column: "parent_code", rule: "the parent is one level up", violation: `parent_code IS NOT NULL AND ${levelIndex(parent("level"))} <> ${levelIndex("level")} - 1`},
    {column: "district_code", rule: "the district the unit lies in (itself for a district)", violation: `CASE level WHEN 'city' THEN district_code IS NOT NULL WHEN 'district' THEN district_code IS DISTINCT FROM unit_code ELSE district_code IS DISTINCT FROM ${parent("district_code")} END`},
    {column: "street_code", rule: "the street the unit lies in (itself for a street)", violation: `CASE level WHEN 'street' THEN street_code IS DISTINCT FROM unit_code WHEN 'community' THEN street_code IS DISTINCT FROM parent_code ELSE street_code IS NOT NULL END`},
    // At least the sum: a form may give a street's residents including people not in any listed community.
    {column: "residents", rule: "a unit's residents are at least the sum of its children's", violation: `level <> 'community' AND residents < (SELECT coalesce(sum(c.residents), 0) FROM ${t} c WHERE c.parent_code = ${t}.unit_code)`},
    ...serviceColumns.map((c) => ({column: c, rule: "null above community level", violation: `level <> 'community' AND ${quoteIdentifier(c)} IS NOT NULL`})),
    {column: "coordinator_trained", rule: "null unless the community has a coordinator", violation: `coordinator_trained IS NOT NULL AND has_coordinator IS NOT TRUE`},
    {column: "rehab_room_area_m2", rule: "null unless the community has a rehab room", violation: `rehab_room_area_m2 IS NOT NULL AND has_rehab_room IS NOT TRUE`},
  ];
}

/**
 * Codes the system makes (the demo city; codes generated from names, 12-digit codes trimmed) start with their
 * parent's. A planner's own codes need not (D01 under C01), so this is not in the contract every city obeys.
 */
export function generatedCodeRules(table = "units"): ContractRule[] {
  return [{column: "unit_code", rule: "starts with the parent's code", violation: `parent_code IS NOT NULL AND NOT starts_with(unit_code, parent_code)`}];
}

/**
 * The persons table's rules beyond single columns: unique person numbers, every person in a community
 * of the units table, a rehab need known only after screening, enrolment only for school ages.
 */
export function personsRules(table = "persons", units = "units"): ContractRule[] {
  const t = quoteIdentifier(table);
  const [from, to] = COMPULSORY_SCHOOL_AGES;
  return [
    {column: "person_id", rule: "unique", violation: `person_id IN (SELECT person_id FROM ${t} GROUP BY person_id HAVING count(*) > 1)`},
    {column: "community_code", rule: "a community (level community) of the units table", violation: `NOT EXISTS (SELECT 1 FROM ${quoteIdentifier(units)} u WHERE u.unit_code = ${t}.community_code AND u.level = 'community')`},
    {column: "rehab_need", rule: "null unless screened", violation: `rehab_need IS NOT NULL AND screened IS NOT TRUE`},
    {column: "enrolled", rule: `null outside ages ${from}–${to}`, violation: `enrolled IS NOT NULL AND age NOT BETWEEN ? AND ?`, params: [from, to]},
    // A service or subsidy is counted within its need or eligibility: a person reported as not in need
    // (not eligible) cannot be reported as served (a recipient). Unknown need is not a breach.
    ...(
      [
        ["rehab_served", "rehab_need"],
        ["device_fitted", "device_need"],
        ["poor_subsidy_recipient", "poor_subsidy_eligible"],
        ["severe_subsidy_recipient", "severe_subsidy_eligible"],
      ] as const
    ).map(([part, whole]) => ({column: part, rule: `not true when ${whole} is false`, violation: `${quoteIdentifier(part)} IS TRUE AND ${quoteIdentifier(whole)} IS FALSE`})),
  ];
}

/**
 * The counts table's rules (community_counts, an office's statistics form): every row a community of the units
 * table, each count within the count it is part of, the categories and the grades adding up to at most the total.
 */
export function countsRules(table = "community_counts", units = "units"): ContractRule[] {
  const t = quoteIdentifier(table);
  const q = quoteIdentifier;
  const within = (part: string, whole: string) => ({column: part, rule: `at most ${whole}`, violation: `${q(part)} > ${q(whole)}`});
  const sum = (columns: readonly string[]) => columns.map((c) => `coalesce(${q(c)}, 0)`).join(" + ");
  return [
    {column: "community_code", rule: "unique", violation: `community_code IN (SELECT community_code FROM ${t} GROUP BY community_code HAVING count(*) > 1)`},
    {column: "community_code", rule: "a community (level community) of the units table", violation: `NOT EXISTS (SELECT 1 FROM ${q(units)} u WHERE u.unit_code = ${t}.community_code AND u.level = 'community')`},
    ...countColumns.filter((c) => c !== "persons").map((c) => within(c, "persons")),
    within("rehab_need", "screened"),
    within("archived", "rehab_need"),
    within("enrolled", "school_age"),
    within("rehab_served", "rehab_need"),
    within("device_fitted", "device_need"),
    within("poor_subsidy_recipient", "poor_subsidy_eligible"),
    within("severe_subsidy_recipient", "severe_subsidy_eligible"),
    {column: "category_*", rule: "the categories add up to at most persons", violation: `${sum(disabilityCategories.map(categoryCountColumn))} > persons`},
    {column: "grade_*", rule: "the grades add up to at most persons", violation: `${sum(gradeCountColumns)} > persons`},
  ];
}
