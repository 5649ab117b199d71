import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {parse} from "yaml";
import {z} from "zod";
import {budgetCap, capTotals} from "../../src/engine/budgetCap.js";
import {gapLevels, gapQuery, gapSummary, type GapRow} from "../../src/engine/gapQuery.js";
import {indicatorById, indicatorIds} from "../../src/engine/indicators.js";
import {fundingLevelLabels, fundingLevels, engineParameterIds} from "../../src/engine/programmes.js";
import {findPreset} from "../../src/engine/presets.js";
import type {Queryable} from "../../src/engine/queryable.js";
import {prepareModel, runScenario, totalsByYear, type Model} from "../../src/engine/runScenario.js";
import {formatValue} from "../../src/engine/scenarioExplain.js";
import {scenarioParameters} from "../../src/engine/scenarioLevers.js";
import {SCENARIO_SOURCE, valuesUsedIn, yearValue, type ParameterSet, type TimelineValue} from "../../src/engine/scenarioParameters.js";
import {unitMultiplier, type FigureRow} from "../../src/schemas/figures.js";
import type {BriefingData, BriefingFigure, BriefingGap, BriefingGapRow, BriefingParameter, BriefingScenario, BriefingSource} from "../../src/components/briefingTypes.js";
import {briefingFindings} from "../../src/components/briefingFindings.js";
import {citedInText} from "../../src/components/briefingProse.js";
import {planBaseYear} from "../../src/engine/planPeriod.js";
import {publishedCity, type PublishedCity} from "./city.js";
import {readScenarioFile} from "./scenarioResults.js";
import {publishSettings, repositoryRoot} from "./settings.js";

/**
 * Briefings (测算简报) computed at build time: a briefing file (data/briefings/<id>.yaml) names the scenario
 * files and gap views it shows; this module runs them with the Node engine on the published city and
 * writes one small JSON file the briefing page renders from, without DuckDB in the browser. Every source
 * figure the page cites (`cite("004-013")`) and every parameter source is looked up in the figures
 * catalogue, so each footnote carries the catalogue id, document and exact quote.
 */

export const briefingsDir = join(repositoryRoot, "data", "briefings");
export const briefingPagesDir = join(repositoryRoot, "src", "briefings");

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "an ISO date, e.g. 2026-03-01");
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a kebab-case name, e.g. raise-wubao");
const figureId = z.string().regex(/^\d{3}-\d{3}$/, "a figure id of the catalogue, e.g. 004-013");

/** A briefing file as a planner writes it. */
export const briefingFile = z
  .object({
    title: z.string().min(1),
    subtitle: z.string().min(1).optional(),
    /** Scenario files of data/scenarios/ (names without .json); the first is the briefing's main scenario. */
    scenarios: z.array(slug).min(1),
    /** Gap views: an indicator at a level for the year the data describe. */
    gaps: z
      .array(
        z
          .object({
            indicator: z.enum(indicatorIds),
            level: z.enum(gapLevels as unknown as ["city", "district", "street", "community"]).default("district"),
            year: z.number().int().min(2000).max(2100),
            /** Rows shown in the table (largest gap first); the chart shows them all. */
            top: z.number().int().min(1).max(100).default(20),
          })
          .strict(),
      )
      .default([]),
    /** Figures the prose quotes besides those the page cites with cite("…"); footnoted in order. */
    figures: z.array(figureId).default([]),
    /** The briefing's date (printed in the footer); the build date when absent. */
    date: isoDate.optional(),
    /** The planner's words under the title; `[004-013]` footnotes a catalogue figure. */
    lead: z.string().optional(),
    /** A short text per section, after its heading (the single file and the page show them alike). */
    sections: z
      .object({policy: z.string().optional(), gaps: z.string().optional(), scenarios: z.string().optional(), conclusions: z.string().optional()})
      .strict()
      .default({}),
  })
  .strict();
export type BriefingFile = z.infer<typeof briefingFile>;
/** A briefing file before defaults are filled in (as written, or as a test or the composer builds it). */
export type BriefingFileInput = z.input<typeof briefingFile>;

/** Reads and validates data/briefings/<id>.yaml. */
export function readBriefingFile(id: string, dir = briefingsDir): BriefingFile {
  const path = join(dir, `${id}.yaml`);
  if (!existsSync(path)) throw new Error(`no briefing file data/briefings/${id}.yaml`);
  const result = briefingFile.safeParse(parse(readFileSync(path, "utf-8")));
  if (!result.success) throw new Error(`data/briefings/${id}.yaml: ${result.error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`).join("; ")}`);
  return result.data;
}

/** Figure ids a briefing page cites, in order of first citation: every `cite("004-013")` in its Markdown. */
export function citedFigureIds(markdown: string): string[] {
  const ids: string[] = [];
  for (const [, id] of markdown.matchAll(/\bcite\(\s*["'](\d{3}-\d{3})["']/g)) if (!ids.includes(id!)) ids.push(id!);
  return ids;
}

const compact = (text: string) => text.replace(/\s+/g, "");

/**
 * The catalogue entry a parameter value's reference quotes: same document, one quote inside the other,
 * and the figure's value (in its unit; a percentage as a share) equal to the parameter's.
 */
export function figureForReference(figures: readonly FigureRow[], ref: {source: string; quote: string | null; value: number}): FigureRow | undefined {
  if (!ref.quote) return undefined;
  const quote = compact(ref.quote);
  return figures.find((f) => {
    if (f.document !== ref.source) return false;
    const fq = compact(f.quote);
    if (!fq.includes(quote) && !quote.includes(fq)) return false;
    const value = f.value * unitMultiplier(f.unit);
    return Math.abs(value - ref.value) < 1e-9 || (f.unit === "%" && Math.abs(f.value / 100 - ref.value) < 1e-9);
  });
}

function source(value: TimelineValue, unit: string, figures: readonly FigureRow[]): BriefingSource {
  return {
    effective_date: value.effective_date,
    value: value.value,
    value_text: formatValue(value.value, unit),
    source: value.source,
    quote: value.quote,
    figure: value.source === SCENARIO_SOURCE ? null : figureForReference(figures, value)?.id ?? null,
  };
}

/** Every parameter the engine reads: its value in each simulated year under the scenario and the baseline, with sources. */
function appendix(base: ParameterSet, scenario: ParameterSet, years: readonly number[], figures: readonly FigureRow[]): BriefingParameter[] {
  return engineParameterIds().flatMap((id) => {
    const b = base.get(id);
    const s = scenario.get(id);
    if (!b || !s) return [];
    const used = new Map<string, TimelineValue>();
    for (const year of years) for (const v of [...valuesUsedIn(b, year), ...valuesUsedIn(s, year)]) used.set(`${v.effective_date}|${v.source}|${v.value}`, v);
    const baseline = years.map((y) => yearValue(b, y));
    const values = years.map((y) => yearValue(s, y));
    return [
      {
        id,
        label_zh: s.label_zh,
        unit: s.unit,
        kind: s.kind,
        // Set by the scenario (a preset or an override), even where it keeps the baseline's value.
        overridden: s.values.some((v) => v.source === SCENARIO_SOURCE) || values.some((v, i) => v !== baseline[i]),
        baseline,
        scenario: values,
        baseline_text: baseline.map((v) => formatValue(v, s.unit)),
        scenario_text: values.map((v) => formatValue(v, s.unit)),
        sources: [...used.values()].map((v) => source(v, s.unit, figures)),
      },
    ];
  });
}

async function briefingScenario(db: Queryable, model: Model, id: string, figures: readonly FigureRow[]): Promise<BriefingScenario> {
  const {file, scenario} = readScenarioFile(id);
  const result = await runScenario(db, scenario, {model});
  const totals = totalsByYear(result);
  const finalYear = scenario.years.at(-1)!;
  const totalRows = result.rows.filter((r) => r.level === "total");
  const programmeIds = [...new Set(totalRows.map((r) => r.programme))];
  const programmes = programmeIds
    .map((programme) => {
      const rows = totalRows.filter((r) => r.programme === programme);
      const final = rows.find((r) => r.year === finalYear)!;
      return {
        programme,
        programme_zh: rows[0]!.programme_zh,
        cost_yuan: rows.reduce((s, r) => s + r.cost_yuan, 0),
        baseline_cost_yuan: rows.reduce((s, r) => s + r.baseline_cost_yuan, 0),
        delta_yuan: rows.reduce((s, r) => s + r.delta_yuan, 0),
        final_year_cost_yuan: final.cost_yuan,
        final_year_beneficiaries: final.beneficiaries,
        final_year_newly_covered: final.newly_covered,
      };
    })
    .sort((a, b) => b.delta_yuan - a.delta_yuan || b.cost_yuan - a.cost_yuan || (a.programme < b.programme ? -1 : 1));
  const levels = fundingLevels.map((level) => {
    const rows = result.rows.filter((r) => r.level === level);
    return {level, level_zh: fundingLevelLabels[level], cost_yuan: rows.reduce((s, r) => s + r.cost_yuan, 0), delta_yuan: rows.reduce((s, r) => s + r.delta_yuan, 0)};
  });
  const resolved = scenarioParameters(model.parameters, scenario);
  return {
    id,
    file,
    name: scenario.name,
    base_year: scenario.baseYear,
    years: scenario.years,
    cap_yuan_per_year: scenario.cap?.yuanPerYear ?? null,
    // The cap's figures come from the engine the sandbox page and `npm run simulate` use, never recomputed here.
    cap: scenario.cap ? capTotals(await budgetCap(db, scenario, {model})) : null,
    presets: scenario.presets.map((p) => {
      const preset = findPreset(p);
      return {id: p, label_zh: preset?.label.zh ?? p, description_zh: preset?.description_zh ?? "（未知预设）"};
    }),
    totals,
    sum: {
      cost_yuan: totals.reduce((s, t) => s + t.cost_yuan, 0),
      baseline_cost_yuan: totals.reduce((s, t) => s + t.baseline_cost_yuan, 0),
      delta_yuan: totals.reduce((s, t) => s + t.delta_yuan, 0),
      final_year_newly_covered: totals.at(-1)!.newly_covered,
    },
    programmes,
    levels,
    parameters: appendix(model.parameters, resolved.parameters, scenario.years, figures),
    problems: result.problems,
  };
}

/**
 * Hides small counts of a real city's gap rows below city level (the small-cell rule of the downloads):
 * a unit with fewer than T eligible persons shows no counts; one whose achieved or not-achieved count is
 * below T shows no rate or gap. The synthetic demo city is shown in full.
 */
export function protectGapRow(row: BriefingGapRow, threshold: number): BriefingGapRow {
  const small = (n: number | null) => n !== null && n > 0 && n < threshold;
  if (row.eligible === null || small(row.eligible))
    return {...row, eligible: null, achieved_count: null, missing: null, achieved_rate: null, gap_count: null, gap_cost_yuan: null, meets_target: null, suppressed: true};
  const reported = row.missing === null ? null : row.eligible - row.missing;
  const notAchieved = reported === null || row.achieved_count === null ? null : reported - row.achieved_count;
  if (small(row.achieved_count) || small(notAchieved) || small(row.missing))
    return {...row, achieved_count: null, missing: null, achieved_rate: null, gap_count: null, gap_cost_yuan: null, meets_target: null, suppressed: true};
  return row;
}

function gapRow(r: GapRow): BriefingGapRow {
  return {
    unit_code: r.unit_code,
    unit_name: r.unit_name,
    eligible: r.eligible,
    achieved_count: r.achieved_count,
    missing: r.missing,
    achieved_rate: r.achieved_rate,
    gap_count: r.gap_count,
    gap_cost_yuan: r.gap_cost_yuan,
    meets_target: r.meets_target,
    suppressed: false,
  };
}

async function briefingGap(db: Queryable, view: BriefingFile["gaps"][number], figures: readonly FigureRow[], protect: number | null): Promise<BriefingGap> {
  const indicator = indicatorById(view.indicator);
  // The totals at the view's level: a share-of-communities target applies to streets and above only.
  const summary = await gapSummary(db, {indicator: view.indicator, year: view.year, level: view.level});
  const result = await gapQuery(db, {indicator: view.indicator, level: view.level, year: view.year, sort: "gap"});
  const rows = result.rows.map(gapRow).map((r) => (protect !== null && view.level !== "city" ? protectGapRow(r, protect) : r));
  const target = summary.target;
  return {
    id: `${view.indicator}-${view.level}-${view.year}`,
    indicator: view.indicator,
    label_zh: indicator.label.zh,
    counts: indicator.counts,
    how_computed_zh: indicator.howComputed_zh,
    cost_note_zh: summary.cost.note_zh,
    level: view.level,
    year: view.year,
    as_of: summary.as_of,
    target_value: summary.target_value,
    target: target
      ? {id: target.id, label_zh: target.label_zh, effective_date: target.effective_date, value: target.value, source: target.source, quote: target.quote ?? null, figure: figureForReference(figures, {source: target.source, quote: target.quote ?? null, value: target.value})?.id ?? null}
      : null,
    total: {
      eligible: summary.total.eligible,
      achieved_count: summary.total.achieved_count,
      missing: summary.total.missing,
      achieved_rate: summary.total.achieved_rate,
      gap_count: summary.total.gap_count,
      gap_cost_yuan: summary.total.gap_cost_yuan,
      gross_gap_count: summary.gross_gap_count,
      gross_gap_cost_yuan: summary.gross_gap_cost_yuan,
      units: summary.units,
      units_meeting_target: summary.units_meeting_target,
      units_below_target: summary.units_below_target,
    },
    cannot_answer_zh: result.answer.answerable ? null : result.answer.reason_zh,
    top: view.top,
    rows,
  };
}

function briefingFigure(f: FigureRow): BriefingFigure {
  return {id: f.id, document: f.document, section: f.section, indicator_zh: f.indicator_zh, value: f.value, unit: f.unit, kind: f.kind, place: f.place, year: f.year, quote: f.quote};
}

export interface BriefingInputs {
  db: Queryable;
  city: PublishedCity;
  figures: readonly FigureRow[];
  /** The briefing page's Markdown (for the figures it cites); empty when there is no page. */
  markdown: string;
  /** Where the city's data come from and how recent they are; by default the demo city's or the city's name. */
  provenance?: {source_zh: string; vintage_zh: string};
  /** Today's date (ISO) for a briefing without its own; the engine takes no clock. */
  today?: string;
}

/** The demo city's provenance, or a real city's by its name when the caller knows no better. */
function defaultProvenance(city: PublishedCity): {source_zh: string; vintage_zh: string} {
  return city.synthetic ? {source_zh: `${city.name}合成数据（虚构的示例城市）`, vintage_zh: `${planBaseYear} 年底`} : {source_zh: `${city.name}的数据`, vintage_zh: `${planBaseYear} 年底`};
}

/** Computes a briefing's data from its file, with the engines, on the given city and catalogue. */
export async function computeBriefing(id: string, written: BriefingFileInput, inputs: BriefingInputs): Promise<BriefingData> {
  const file = briefingFile.parse(written);
  const {db, city, figures} = inputs;
  const threshold = publishSettings().smallCellThreshold;
  const model = await prepareModel(db);
  const scenarios = [];
  for (const s of file.scenarios) scenarios.push(await briefingScenario(db, model, s, figures));
  const gaps = [];
  for (const g of file.gaps) gaps.push(await briefingGap(db, g, figures, city.synthetic ? null : threshold));
  const byId = new Map(figures.map((f) => [f.id, f]));
  const texts = {lead: file.lead ?? null, policy: file.sections.policy ?? null, gaps: file.sections.gaps ?? null, scenarios: file.sections.scenarios ?? null, conclusions: file.sections.conclusions ?? null};
  const cited = [...citedInText(texts.lead), ...citedInText(texts.policy), ...citedFigureIds(inputs.markdown), ...citedInText(texts.gaps), ...citedInText(texts.scenarios), ...citedInText(texts.conclusions), ...file.figures];
  const unknown = cited.filter((f) => !byId.has(f));
  if (unknown.length) throw new Error(`briefing ${id} cites figures not in the catalogue: ${[...new Set(unknown)].join(", ")}`);
  const referenced = [
    ...scenarios.flatMap((s) => s.parameters.flatMap((p) => p.sources.map((x) => x.figure))),
    ...gaps.map((g) => g.target?.figure ?? null),
  ].filter((f): f is string => f !== null);
  const data: BriefingData = {
    id,
    title: file.title,
    subtitle: file.subtitle ?? null,
    date: file.date ?? inputs.today ?? new Date().toISOString().slice(0, 10),
    source: `data/briefings/${id}.yaml`,
    city: {name: city.name, synthetic: city.synthetic, ...(inputs.provenance ?? defaultProvenance(city))},
    texts,
    small_cell: {applied: !city.synthetic, threshold},
    scenarios,
    gaps,
    figures: [],
  };
  // Footnotes numbered in reading order: the findings on page 1 cite first.
  const findings = briefingFindings(data).flatMap((f) => (f.figure ? [f.figure] : []));
  const order = [...new Set([...findings, ...cited, ...referenced])];
  return {...data, figures: order.map((f) => briefingFigure(byId.get(f)!))};
}

/** A built real city's data as its planner names them: the config's label or the workbook's file names, and its reference date. */
async function workbookProvenance(city: PublishedCity): Promise<{source_zh: string; vintage_zh: string}> {
  const [{loadCityConfig}, {basename}, {statSync}] = await Promise.all([import("../city/config.js"), import("node:path"), import("node:fs")]);
  const config = loadCityConfig();
  const names = config.files.map((f) => basename(f)).join("、");
  // The same date the importer computes ages on: the config's, or the newest file's modification day.
  const vintage = config.referenceDate ?? (config.files.length ? new Date(Math.max(...config.files.map((f) => statSync(f).mtimeMs))).toISOString().slice(0, 10) : `${planBaseYear} 年底`);
  return {source_zh: `${config.label ?? `${city.name}的数据`}${names ? `（文件 ${names}）` : ""}`, vintage_zh: vintage};
}

/** The body of the briefing data loader: the published city, the catalogue and the page's Markdown. */
export async function loadBriefing(id: string): Promise<BriefingData> {
  const [{openCityDatabase}, {loadFigureRows}] = await Promise.all([import("./cityDatabase.js"), import("../figures/checkCatalogue.js")]);
  const file = readBriefingFile(id);
  const city = await publishedCity();
  const page = join(briefingPagesDir, `${id}.md`);
  const db = await openCityDatabase(city);
  try {
    const provenance = city.synthetic ? undefined : await workbookProvenance(city);
    return await computeBriefing(id, file, {db, city, figures: loadFigureRows(), markdown: existsSync(page) ? readFileSync(page, "utf-8") : "", ...(provenance ? {provenance} : {})});
  } finally {
    db.close();
  }
}
