import {briefingFindings} from "../components/briefing/briefingFindings.js";
import {citedInText} from "../components/briefing/briefingProse.js";
// Types only (erased): the data shape the briefing's renderers share.
import type {BriefingData, BriefingFigure, BriefingGap, BriefingGapRow, BriefingParameter, BriefingScenario, BriefingSource} from "../schemas/briefingData.js";
import {briefingFile, briefingFileProblems, type BriefingFile, type BriefingFileInput} from "../schemas/briefing.js";
import {unitMultiplier, type FigureRow} from "../schemas/figures.js";
import {budgetCap, capTotals} from "./budgetCap.js";
import {gapQuery, gapSummary, type GapRow} from "./gapQuery.js";
import {indicatorById} from "./indicators.js";
import {planBaseYear} from "./planPeriod.js";
import {findPreset} from "./presets.js";
import {fundingLevelLabels, fundingLevels, engineParameterIds} from "./programmes.js";
import type {Queryable} from "./queryable.js";
import {prepareModel, runScenario, totalsByYear, type Model} from "./runScenario.js";
import type {Scenario} from "./scenario.js";
import {formatValue} from "./scenarioExplain.js";
import {scenarioParameters} from "./scenarioLevers.js";
import {SCENARIO_SOURCE, valuesUsedIn, yearValue, type ParameterSet, type TimelineValue} from "./scenarioParameters.js";
import type {ProvinceStandard} from "./provinceStandards.js";
import {baselineStandardIds, staleNoteZh, staleStandards} from "./staleStandards.js";

/**
 * A briefing's data (测算简报) from its file: the scenarios run against their baselines and the gap views,
 * with the engines, on a city held in a Queryable — DuckDB in Node at build time, DuckDB-WASM on the
 * composer page. Every source figure the briefing cites and every parameter source is looked up in the
 * figures catalogue, so each footnote carries the document and exact quote; a real city's small counts
 * are hidden as in the published datasets. Pure: no file, no clock (today comes in).
 */

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
  const stale = new Map(staleStandards(base, `${years[0]}-01-01`, baselineStandardIds()).map((x) => [x.id, staleNoteZh(x.year)]));
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
        stale_zh: stale.get(id) ?? null,
      },
    ];
  });
}

async function briefingScenario(db: Queryable, model: Model, shown: ResolvedScenario, figures: readonly FigureRow[]): Promise<BriefingScenario> {
  const {id, file, scenario} = shown;
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
  const resolved = scenarioParameters(model.parameters, scenario, model.provinces);
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

/**
 * The small-cell rule over a view's rows: each row as protectGapRow, and where that hides one row only,
 * the next smallest too — else the hidden row's counts are the city total less the others (subtraction).
 */
export function protectGapRows(rows: readonly BriefingGapRow[], threshold: number): BriefingGapRow[] {
  const out = rows.map((r) => protectGapRow(r, threshold));
  if (out.filter((r) => r.suppressed).length !== 1) return out;
  const next = out.map((r, i) => ({r, i})).filter(({r}) => !r.suppressed && r.eligible !== null).sort((a, b) => a.r.eligible! - b.r.eligible!)[0];
  if (next) out[next.i] = {...out[next.i]!, eligible: null, achieved_count: null, missing: null, achieved_rate: null, gap_count: null, gap_cost_yuan: null, meets_target: null, suppressed: true};
  return out;
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
  const rows = protect !== null && view.level !== "city" ? protectGapRows(result.rows.map(gapRow), protect) : result.rows.map(gapRow);
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

/** A scenario the briefing shows: its id, where it came from (a file name, a sandbox slot), and the scenario. */
export interface ResolvedScenario {
  id: string;
  file: string;
  scenario: Scenario;
}

/** The city a briefing is computed on, and where its data come from (footer, sources appendix). */
export interface BriefingCityInput {
  name: string;
  synthetic: boolean;
  provenance?: {source_zh: string; vintage_zh: string};
}

export interface BriefingDataInputs {
  db: Queryable;
  city: BriefingCityInput;
  figures: readonly FigureRow[];
  /** The briefing file's scenarios, resolved by the caller (files in Node, slots or uploads in the browser). */
  scenarios: readonly ResolvedScenario[];
  /** Figures the page's Markdown cites (cite("…")), in order; none for a briefing without a page. */
  citedInPage: readonly string[];
  /** Smallest count a real city's unit below city level may show. */
  threshold: number;
  /** The date for a briefing file without its own (ISO); the engine takes no clock. */
  today: string;
  /** Where the briefing file lives, for the record. */
  source: string;
  /** Provinces' own standards (province_standards), for scenarios that choose a province. */
  provinces?: readonly ProvinceStandard[];
}

/** The demo city's provenance, or a real city's by its name when the caller knows no better. */
function defaultProvenance(city: BriefingCityInput): {source_zh: string; vintage_zh: string} {
  return city.synthetic ? {source_zh: `${city.name}合成数据（虚构的示例城市）`, vintage_zh: `${planBaseYear} 年底`} : {source_zh: `${city.name}的数据`, vintage_zh: `${planBaseYear} 年底`};
}

/** The budget cap of the briefing file, where it sets one, on every scenario. */
function withCap(scenario: Scenario, cap: number | undefined): Scenario {
  return cap === undefined ? scenario : {...scenario, cap: {yuanPerYear: cap}};
}

/** Computes a briefing's data from its file with the engines, on the given city, scenarios and catalogue. */
export async function computeBriefingData(id: string, written: BriefingFileInput, inputs: BriefingDataInputs): Promise<BriefingData> {
  const parsed = briefingFile.safeParse(written);
  if (!parsed.success) throw new Error(`briefing ${id}: ${briefingFileProblems(parsed.error)}`);
  const file = parsed.data;
  const {db, city, figures, threshold} = inputs;
  const model: Model = {...(await prepareModel(db)), provinces: inputs.provinces ?? []};
  const scenarios = [];
  for (const s of inputs.scenarios) scenarios.push(await briefingScenario(db, model, {...s, scenario: withCap(s.scenario, file.cap_yuan_per_year)}, figures));
  const gaps = [];
  for (const g of file.gaps) gaps.push(await briefingGap(db, g, figures, city.synthetic ? null : threshold));
  const byId = new Map(figures.map((f) => [f.id, f]));
  const texts = {lead: file.lead ?? null, policy: file.sections.policy ?? null, gaps: file.sections.gaps ?? null, scenarios: file.sections.scenarios ?? null, conclusions: file.sections.conclusions ?? null};
  const cited = [...citedInText(texts.lead), ...citedInText(texts.policy), ...inputs.citedInPage, ...citedInText(texts.gaps), ...citedInText(texts.scenarios), ...citedInText(texts.conclusions), ...file.figures];
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
    date: file.date ?? inputs.today,
    source: inputs.source,
    city: {name: city.name, synthetic: city.synthetic, ...(city.provenance ?? defaultProvenance(city))},
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
