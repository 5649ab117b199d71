import {join} from "node:path";
import {disabilityCategories, disabilityCategoryLabels} from "../../src/schemas/persons.js";
import {parameterIds} from "../../src/engine/programmes.js";
import {quoteIdentifier} from "../../src/engine/sql.js";
import {NodeDuckDB} from "../duckdbNode.js";
import {loadParameters} from "../parameters/loadParameters.js";
import {loadReference} from "../reference/loadReference.js";
import type {ReferenceRow} from "../../src/schemas/reference.js";
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
  /** Units within 2 percentage points of a rate target, or within the indicator's band of a standard. */
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
  rows.push({measure: "device need among screened (有辅助器具适配需求)", expected: null, actual: await share(db, "persons", "device_need", "screened"), source: "device_need by category"});
  rows.push({measure: "living subsidy eligible (符合生活补贴条件)", expected: null, actual: await share(db, "persons", "poor_subsidy_eligible"), source: "in 低保 or 五保"});
  rows.push({measure: "nursing subsidy eligible (符合护理补贴条件)", expected: null, actual: await share(db, "persons", "severe_subsidy_eligible"), source: "grades 1–2"});
  return rows;
}

/** One national outturn beside the demo city's figure for it. */
export interface NationalCalibrationRow {
  measure: string;
  /** The demo city's figure (a share 0–1). */
  demo: number;
  /** The national figure as a share: a rate as published, or a count ÷ the estimated registered persons. */
  national: number;
  /** How the national figure was read: the table, its row, the value as written and its period. */
  source: string;
}

/** A reference figure by table and indicator (and period when several); throws when it is not there. */
function referenceFigure(reference: readonly ReferenceRow[], table: ReferenceRow["table"], indicator: string, period?: string): ReferenceRow {
  const found = reference.find((r) => r.table === table && r.indicator_zh === indicator && (period === undefined || r.period === period) && r.value !== null);
  if (!found) throw new Error(`data/reference/${table}.csv: no figure ${indicator}${period ? ` (${period})` : ""}`);
  return found;
}

/** Percent to share. */
const PER_CENT = 100;

/**
 * The demo city's national-plan fields beside the national outturns (data/reference): the two coverage
 * rates as published (>85%, a lower bound), and the counts served, fitted and receiving each subsidy per
 * registered person, with registered persons estimated nationally as the 2006 survey's total × the
 * config's registration rate (the estimate the config's grade mix uses).
 */
export async function nationalCalibration(db: NodeDuckDB, config: DemoCityConfig, reference: readonly ReferenceRow[] = loadReference()): Promise<NationalCalibrationRow[]> {
  const total = referenceFigure(reference, "second_disability_survey_2006", "残疾人总数");
  const registered = total.value! * config.persons.registration_rate.value;
  const described = (r: ReferenceRow) => `${r.table}.csv row ${r.source_row}: ${r.value_text} ${r.unit ?? ""} (${r.period})`;
  // Both in 万人, as the reference tables count persons.
  const perRegistered = (r: ReferenceRow) => r.value! / registered;
  const rate = (condition: string, where: string) => share(db, "persons", condition, `(${where}) IS TRUE AND ${condition} IS NOT NULL`);
  const rehab = referenceFigure(reference, "national_outturns", "残疾人基本康复服务覆盖率");
  const device = referenceFigure(reference, "national_outturns", "残疾人辅助器具适配率");
  const served = referenceFigure(reference, "national_outturns", "接受基本康复服务的残疾人");
  const fitted = referenceFigure(reference, "cdpf_national_stats", "残疾人得到基本辅助器具适配服务");
  const poor = referenceFigure(reference, "national_outturns", "享受困难残疾人生活补贴人数");
  const severe = referenceFigure(reference, "national_outturns", "享受重度残疾人护理补贴人数");
  const base = `÷ ${Math.round(registered).toLocaleString("en-US")}万 registered (${total.value}万 × ${config.persons.registration_rate.value})`;
  return [
    {measure: "basic rehab service coverage (served ÷ in need)", demo: await rate("rehab_served", "rehab_need"), national: rehab.value! / PER_CENT, source: `${described(rehab)}, a lower bound`},
    {measure: "assistive-device fitting rate (fitted ÷ in need)", demo: await rate("device_fitted", "device_need"), national: device.value! / PER_CENT, source: `${described(device)}, a lower bound`},
    {measure: "living subsidy coverage (recipients ÷ eligible)", demo: await rate("poor_subsidy_recipient", "poor_subsidy_eligible"), national: 1, source: "national_outturns.csv row 3: 应保尽保 (no rate given)"},
    {measure: "nursing subsidy coverage (recipients ÷ eligible)", demo: await rate("severe_subsidy_recipient", "severe_subsidy_eligible"), national: 1, source: "national_outturns.csv row 3: 应保尽保 (no rate given)"},
    {measure: "receiving basic rehab services, of registered persons", demo: await share(db, "persons", "coalesce(rehab_served, FALSE)"), national: perRegistered(served), source: `${described(served)} ${base}`},
    {measure: "fitted with an assistive device, of registered persons", demo: await share(db, "persons", "coalesce(device_fitted, FALSE)"), national: perRegistered(fitted), source: `${described(fitted)} ${base}`},
    {measure: "living subsidy recipients, of registered persons", demo: await share(db, "persons", "coalesce(poor_subsidy_recipient, FALSE)"), national: perRegistered(poor), source: `${described(poor)} ${base}`},
    {measure: "nursing subsidy recipients, of registered persons", demo: await share(db, "persons", "coalesce(severe_subsidy_recipient, FALSE)"), national: perRegistered(severe), source: `${described(severe)} ${base}`},
  ];
}

/** How an indicator is measured: which rows are eligible and what counts as achieved (mirrors src/engine/indicators.ts). */
type GapIndicator = {id: string; parameter: string; table: "persons" | "units"; eligible: string} & (
  /** A share of eligible rows should be achieved: `achieved` is a SQL boolean. */
  | {kind: "rate"; achieved: string}
  /** Each community should reach the standard: `value` is compared with it; `near` is the band counted as close to it. */
  | {kind: "every"; value: string; near: number}
);

const [schoolFrom, schoolTo] = COMPULSORY_SCHOOL_AGES;
export const gapIndicators: readonly GapIndicator[] = [
  {id: "screening", parameter: parameterIds.screeningRate, table: "persons", eligible: "TRUE", kind: "rate", achieved: "screened"},
  {id: "archive", parameter: parameterIds.archiveRate, table: "persons", eligible: "rehab_need", kind: "rate", achieved: "archived"},
  {id: "enrolment", parameter: parameterIds.enrolmentRate, table: "persons", eligible: `age BETWEEN ${schoolFrom} AND ${schoolTo}`, kind: "rate", achieved: "enrolled"},
  {id: "rehab_room", parameter: parameterIds.rehabRoomRate, table: "units", eligible: "TRUE", kind: "rate", achieved: "has_rehab_room"},
  {id: "station_area", parameter: parameterIds.stationArea, table: "units", eligible: "has_rehab_room", kind: "every", value: "rehab_room_area_m2", near: 1.5},
  {id: "coordinator", parameter: parameterIds.coordinatorRate, table: "units", eligible: "TRUE", kind: "rate", achieved: "has_coordinator"},
  {id: "coordinator_training", parameter: parameterIds.coordinatorTrainingPassRate, table: "units", eligible: "has_coordinator", kind: "rate", achieved: "coordinator_trained"},
  {id: "care_point", parameter: parameterIds.carePointRate, table: "units", eligible: "TRUE", kind: "rate", achieved: "has_care_point"},
  {id: "rehab_funding", parameter: parameterIds.perResident, table: "units", eligible: "TRUE", kind: "every", value: "rehab_funding_yuan / residents", near: 0.015},
  {id: "satisfaction", parameter: parameterIds.satisfactionRate, table: "units", eligible: "TRUE", kind: "every", value: "satisfaction_rate", near: 0.02},
  {id: "rehab_service", parameter: parameterIds.nationalRehabServiceCoverage, table: "persons", eligible: "rehab_need", kind: "rate", achieved: "rehab_served"},
  {id: "device_fitting", parameter: parameterIds.nationalDeviceFitting, table: "persons", eligible: "device_need", kind: "rate", achieved: "device_fitted"},
  {id: "poor_subsidy", parameter: parameterIds.nationalPoorSubsidyCoverage, table: "persons", eligible: "poor_subsidy_eligible", kind: "rate", achieved: "poor_subsidy_recipient"},
  {id: "severe_subsidy", parameter: parameterIds.nationalSevereSubsidyCoverage, table: "persons", eligible: "severe_subsidy_eligible", kind: "rate", achieved: "severe_subsidy_recipient"},
];

/**
 * For each indicator and level, how many units fall below the target and how many reach it. A rate
 * target compares each unit's achieved share with the target (near: within 2 percentage points); a
 * standard (area, funding per resident, satisfaction) is met or missed by each community, so only the
 * community level is reported for it (near: within the indicator's band).
 */
export async function gapSides(db: NodeDuckDB, targets: ReadonlyMap<string, number>): Promise<GapSides[]> {
  const out: GapSides[] = [];
  for (const ind of gapIndicators) {
    const target = targets.get(ind.parameter);
    if (target === undefined) throw new Error(`no value for parameter ${ind.parameter}`);
    const from = ind.table === "persons" ? "persons p JOIN units c ON c.unit_code = p.community_code" : "units c";
    const levels = ind.kind === "rate" ? (["district", "street", "community"] as const) : (["community"] as const);
    // Per unit: the achieved share over rows whose status is known, and the measured value (standards).
    const achieved = ind.kind === "rate" ? ind.achieved : `${ind.value} >= ?`;
    const value = ind.kind === "rate" ? "NULL" : ind.value;
    const achievedParams = ind.kind === "rate" ? [] : [target];
    const line = ind.kind === "rate" ? target : 1;
    for (const level of levels) {
      const unit = level === "community" ? "c.unit_code" : `c.${level}_code`;
      const sql = `
        WITH eligible_rows AS (
          SELECT ${unit} AS unit, CAST(${achieved} AS INTEGER) AS achieved, ${value} AS value
          FROM ${from} WHERE c.level = 'community' AND (${ind.eligible}) IS TRUE),
        per_unit AS (SELECT unit, avg(achieved) AS rate, avg(value) AS value FROM eligible_rows GROUP BY unit)
        SELECT
          count(*) FILTER (WHERE rate < ?) AS below,
          count(*) FILTER (WHERE rate >= ?) AS reached,
          count(*) FILTER (WHERE rate IS NULL) AS unknown,
          count(*) FILTER (WHERE abs(coalesce(value, rate) - ?) <= ?) AS near,
          min(rate) AS min, max(rate) AS max
        FROM per_unit`;
      const [r] = await db.query<{below: number; reached: number; unknown: number; near: number; min: number; max: number}>(sql, [
        ...achievedParams,
        line,
        line,
        target,
        ind.kind === "rate" ? 0.02 : ind.near,
      ]);
      out.push({indicator: ind.id, parameter: ind.parameter, target, level, ...r});
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
    ["persons", "rehab_served", "rehab_need"],
    ["persons", "device_need", "screened"],
    ["persons", "device_fitted", "device_need"],
    ["persons", "poor_subsidy_eligible", "TRUE"],
    ["persons", "severe_subsidy_eligible", "TRUE"],
  ];
  const out = [];
  for (const [table, column, where] of checks)
    out.push({table, column, share: await share(db, table, `${quoteIdentifier(column)} IS NULL`, `(${where}) IS TRUE`)});
  return out;
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(2)}%`);

/** The calibration and gap tables as Markdown, for data/demo-city/README.md (`npm run demo-city -- --report`). */
export async function calibrationMarkdown(db: NodeDuckDB, config: DemoCityConfig, targets: ReadonlyMap<string, number>): Promise<string> {
  const lines = ["| measure | config | generated | source |", "|---|---:|---:|---|"];
  for (const r of await calibrationTable(db, config)) lines.push(`| ${r.measure} | ${pct(r.expected)} | ${pct(r.actual)} | ${r.source} |`);
  lines.push("", "| indicator | target | level | below | reached | near | unknown | lowest | highest |", "|---|---:|---|---:|---:|---:|---:|---:|---:|");
  for (const s of await gapSides(db, targets))
    lines.push(`| ${s.indicator} | ${s.target} | ${s.level} | ${s.below} | ${s.reached} | ${s.near} | ${s.unknown} | ${pct(s.min)} | ${pct(s.max)} |`);
  lines.push("", "| national outturn | demo city | national | source |", "|---|---:|---:|---|");
  for (const r of await nationalCalibration(db, config)) lines.push(`| ${r.measure} | ${pct(r.demo)} | ${pct(r.national)} | ${r.source} |`);
  lines.push("", "| column | missing (null, not structural) |", "|---|---:|");
  for (const m of await missingShares(db)) lines.push(`| ${m.table}.${m.column} | ${pct(m.share)} |`);
  return lines.join("\n") + "\n";
}
