import {join} from "node:path";
import {disabilityCategories, disabilityCategoryLabels} from "../../src/schemas/persons.js";
import {quoteIdentifier} from "../../src/engine/sql.js";
import {NodeDuckDB} from "../duckdbNode.js";
import {loadParameters} from "../parameters/loadParameters.js";
import {registeredShare, type DemoCityConfig} from "./config.js";
import {COMPULSORY_SCHOOL_AGES} from "./persons.js";

/**
 * How the generated city compares with its calibration: each measure the config sets (prevalence,
 * category, grade and age mixes) beside what the files hold, and for each target how many districts,
 * streets and communities fall below it and how many reach it. Reads the tables `units` and `persons`.
 */
export interface CalibrationRow {
  measure: string;
  /** What the config asks for (a share 0–1 unless said); null when the config sets no value. */
  expected: number | null;
  actual: number;
  source: string;
}

/** One target measured at one level: how many units sit on each side of the line. */
export interface GapSides {
  indicator: string;
  parameter: string;
  target: number;
  level: "district" | "street" | "community";
  /** Units with an achieved rate (or value) below the target. */
  below: number;
  /** Units at or above it. */
  reached: number;
  /** Units within 2 percentage points of a share target, or 5% of a standard. */
  near: number;
  /** Units with nothing reported for the indicator. */
  unknown: number;
  /** Lowest and highest achieved rate among units (a share; for standards the share of communities meeting it). */
  min: number;
  max: number;
}

/** The latest value of every parameter (data/parameters/), by id: the lines the demo city straddles. */
export function latestParameterValues(): Map<string, number> {
  const latest = new Map<string, {date: string; value: number}>();
  for (const row of loadParameters()) {
    const seen = latest.get(row.id);
    if (!seen || row.effective_date > seen.date) latest.set(row.id, {date: row.effective_date, value: row.value});
  }
  return new Map([...latest].map(([id, v]) => [id, v.value]));
}

/** Opens DuckDB over a folder's units.parquet and persons.parquet (as tables `units` and `persons`). */
export async function openCity(dir: string): Promise<NodeDuckDB> {
  const db = await NodeDuckDB.open({threads: 2});
  for (const name of ["units", "persons"]) {
    const path = join(dir, `${name}.parquet`).replaceAll("'", "''");
    await db.run(`CREATE VIEW ${quoteIdentifier(name)} AS SELECT * FROM read_parquet('${path}')`);
  }
  return db;
}

/** The share of rows meeting a condition among rows where it is known. */
async function share(db: NodeDuckDB, table: string, condition: string, where = "TRUE", params: (string | number)[] = []): Promise<number> {
  const [row] = await db.query<{v: number}>(`SELECT avg(CAST(${condition} AS DOUBLE)) AS v FROM ${quoteIdentifier(table)} WHERE ${where}`, params);
  return row.v;
}

/** Measures the config calibrates: prevalence, category, grade and age mixes, rural share, subsidies. */
export async function calibrationTable(db: NodeDuckDB, config: DemoCityConfig): Promise<CalibrationRow[]> {
  const p = config.persons;
  const [{persons, residents}] = await db.query<{persons: number; residents: number}>(
    "SELECT (SELECT count(*) FROM persons) AS persons, (SELECT residents FROM units WHERE level = 'city') AS residents",
  );
  const rows: CalibrationRow[] = [
    {measure: "registered persons per resident (持证残疾人占常住人口)", expected: registeredShare(config), actual: persons / residents, source: "prevalence_all × registration_rate"},
  ];
  for (const c of disabilityCategories)
    rows.push({measure: `category ${disabilityCategoryLabels[c]} ${c}`, expected: p.categories[c].value, actual: await share(db, "persons", "category = ?", "TRUE", [c]), source: p.categories[c].source});
  for (const g of ["1", "2", "3", "4"] as const)
    rows.push({measure: `grade ${g}`, expected: p.grades[g].value, actual: await share(db, "persons", "grade = ?", "TRUE", [Number(g)]), source: p.grades[g].source});
  for (const band of p.ages)
    rows.push({measure: `age ${band.from}–${band.to}`, expected: band.value, actual: await share(db, "persons", "age BETWEEN ? AND ?", "TRUE", [band.from, band.to]), source: band.source});
  const [{urban}] = await db.query<{urban: number}>("SELECT sum(residents) FILTER (WHERE urban_rural = 'urban') / sum(residents) AS urban FROM units WHERE level = 'community'");
  rows.push({measure: "urban residents (社区 share of residents)", expected: null, actual: urban, source: "result of the size model"});
  rows.push({measure: "rehab need among screened", expected: null, actual: await share(db, "persons", "rehab_need", "screened"), source: "rehab_need by category"});
  rows.push({measure: "dibao eligible (符合低保条件)", expected: null, actual: await share(db, "persons", "dibao_eligible"), source: "dibao_eligible urban/rural"});
  rows.push({measure: "dibao recipients (享受低保), of all", expected: null, actual: await share(db, "persons", "dibao_recipient"), source: "≈0.24 sought (cdpf_national_stats.csv)"});
  rows.push({measure: "wubao recipients (五保/特困)", expected: null, actual: await share(db, "persons", "wubao_recipient"), source: "wubao urban/rural"});
  rows.push({measure: "living subsidy recipients (困难残疾人生活补贴)", expected: null, actual: await share(db, "persons", "poor_subsidy_recipient"), source: "dibao or wubao × take-up"});
  rows.push({measure: "nursing subsidy recipients (重度残疾人护理补贴)", expected: null, actual: await share(db, "persons", "severe_subsidy_recipient"), source: "grades 1–2 × take-up"});
  return rows;
}

/** How an indicator is measured: which rows are eligible and what counts as achieved (mirrors src/engine/indicators.ts). */
interface GapIndicator {
  id: string;
  parameter: string;
  table: "persons" | "units";
  eligible: string;
  /** SQL boolean; `?` is the target value where the indicator is a standard every unit must meet. */
  achieved: string;
  /** `rate`: a share of eligible rows should be achieved; `every`: each community should meet the standard. */
  kind: "rate" | "every";
}

const [schoolFrom, schoolTo] = COMPULSORY_SCHOOL_AGES;
export const gapIndicators: readonly GapIndicator[] = [
  {id: "screening", parameter: "target.rehab.screening_rate", table: "persons", eligible: "TRUE", achieved: "screened", kind: "rate"},
  {id: "archive", parameter: "target.rehab.archive_rate", table: "persons", eligible: "rehab_need", achieved: "archived", kind: "rate"},
  {id: "enrolment", parameter: "target.education.enrolment_rate", table: "persons", eligible: `age BETWEEN ${schoolFrom} AND ${schoolTo}`, achieved: "enrolled", kind: "rate"},
  {id: "rehab_room", parameter: "target.community.rehab_room_rate", table: "units", eligible: "TRUE", achieved: "has_rehab_room", kind: "rate"},
  {id: "station_area", parameter: "target.community.station_area_m2", table: "units", eligible: "has_rehab_room", achieved: "rehab_room_area_m2 >= ?", kind: "every"},
  {id: "coordinator", parameter: "target.community.coordinator_rate", table: "units", eligible: "TRUE", achieved: "has_coordinator", kind: "rate"},
  {id: "coordinator_training", parameter: "target.community.coordinator_training_pass_rate", table: "units", eligible: "has_coordinator", achieved: "coordinator_trained", kind: "rate"},
  {id: "care_point", parameter: "target.community.care_point_rate", table: "units", eligible: "TRUE", achieved: "has_care_point", kind: "rate"},
  {id: "rehab_funding", parameter: "funding.community_rehab.per_resident", table: "units", eligible: "TRUE", achieved: "rehab_funding_yuan >= ? * residents", kind: "every"},
  {id: "satisfaction", parameter: "target.rehab.satisfaction_rate", table: "units", eligible: "TRUE", achieved: "satisfaction_rate >= ?", kind: "every"},
];

/**
 * For each indicator and level, how many units fall below the target and how many reach it. A rate
 * target compares each unit's achieved share with the target; a standard (area, funding per resident,
 * satisfaction) is met or not by each community, so only the community level is reported for it.
 */
export async function gapSides(db: NodeDuckDB, targets: ReadonlyMap<string, number>): Promise<GapSides[]> {
  const out: GapSides[] = [];
  for (const ind of gapIndicators) {
    const target = targets.get(ind.parameter);
    if (target === undefined) throw new Error(`no value for parameter ${ind.parameter}`);
    const from =
      ind.table === "persons"
        ? "persons p JOIN units c ON c.unit_code = p.community_code"
        : "units c";
    const params = ind.achieved.includes("?") ? [target] : [];
    const levels = ind.kind === "rate" ? (["district", "street", "community"] as const) : (["community"] as const);
    for (const level of levels) {
      const unit = level === "community" ? "c.unit_code" : `c.${level}_code`;
      // Rates per unit over rows where the status is known; units with no known row are `unknown`.
      const sql = `
        WITH rows AS (SELECT ${unit} AS unit, CAST(${ind.achieved} AS INTEGER) AS achieved FROM ${from} WHERE c.level = 'community' AND (${ind.eligible}) IS TRUE),
        per_unit AS (SELECT unit, avg(achieved) AS rate FROM rows GROUP BY unit)
        SELECT
          count(*) FILTER (WHERE rate < ?) AS below,
          count(*) FILTER (WHERE rate >= ?) AS reached,
          count(*) FILTER (WHERE rate IS NULL) AS unknown,
          count(*) FILTER (WHERE abs(rate - ?) <= ?) AS near,
          min(rate) AS min, max(rate) AS max
        FROM per_unit`;
      const shareTarget = ind.kind === "rate" ? target : 1;
      const [r] = await db.query<{below: number; reached: number; unknown: number; near: number; min: number; max: number}>(sql, [...params, shareTarget, shareTarget, shareTarget, 0.02]);
      let near = r.near;
      if (ind.kind === "every") {
        const column = ind.achieved.split(" ")[0];
        const value = ind.id === "rehab_funding" ? `${column} / residents` : column;
        const [n] = await db.query<{near: number}>(`SELECT count(*) AS near FROM units c WHERE c.level = 'community' AND (${ind.eligible}) IS TRUE AND abs(${value} - ?) <= ? * 0.05`, [target, target]);
        near = n.near;
      }
      out.push({indicator: ind.id, parameter: ind.parameter, target, level, below: r.below, reached: r.reached, near, unknown: r.unknown, min: r.min, max: r.max});
    }
  }
  return out;
}

/** Share of null values per nullable status column, where null is not structural (see README). */
export async function missingShares(db: NodeDuckDB): Promise<{table: string; column: string; share: number}[]> {
  const checks: [string, string, string][] = [
    ["units", "has_rehab_room", "level = 'community'"],
    ["units", "rehab_room_area_m2", "has_rehab_room"],
    ["units", "has_coordinator", "level = 'community'"],
    ["units", "coordinator_trained", "has_coordinator"],
    ["units", "has_care_point", "level = 'community'"],
    ["units", "rehab_funding_yuan", "level = 'community'"],
    ["units", "satisfaction_rate", "level = 'community'"],
    ["persons", "screened", "TRUE"],
    ["persons", "rehab_need", "screened"],
    ["persons", "archived", "TRUE"],
    ["persons", "enrolled", `age BETWEEN ${schoolFrom} AND ${schoolTo}`],
    ["persons", "dibao_recipient", "TRUE"],
    ["persons", "wubao_recipient", "TRUE"],
    ["persons", "poor_subsidy_recipient", "TRUE"],
    ["persons", "severe_subsidy_recipient", "TRUE"],
  ];
  const out = [];
  for (const [table, column, where] of checks)
    out.push({table, column, share: await share(db, table, `${quoteIdentifier(column)} IS NULL`, `(${where}) IS TRUE`)});
  return out;
}
