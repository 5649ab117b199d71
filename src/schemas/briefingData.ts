/**
 * The data of a briefing page (测算简报), as loaders/publish/briefing.ts computes it at build time into
 * src/briefings/<id>.json: scenario totals and parameters, gap views, and the catalogue entries of every
 * figure it cites. Types only, shared by the loader and the page's components.
 */

import type {CapTotals} from "../engine/budgetCap.js";

/** A figures catalogue entry a footnote shows (the `figures` dataset's row, trimmed). */
export interface BriefingFigure {
  id: string;
  document: string;
  section: string;
  indicator_zh: string;
  value: number;
  unit: string;
  kind: string;
  place: string | null;
  year: number | null;
  quote: string;
}

/** One dated value of a parameter with its reference; `figure` is its catalogue entry when there is one. */
export interface BriefingSource {
  effective_date: string;
  value: number;
  value_text: string;
  /** A file of data/sources/ or data/reference/, "assumption", or "scenario" (the planner's own value). */
  source: string;
  quote: string | null;
  figure: string | null;
}

/** A parameter the engine reads, in each simulated year, under the baseline and the scenario. */
export interface BriefingParameter {
  id: string;
  label_zh: string;
  unit: string;
  kind: string;
  /** The scenario sets it (a preset or an override). */
  overridden: boolean;
  /** Values per simulated year, in the order of the scenario's years. */
  baseline: number[];
  scenario: number[];
  /** The values as a planner reads them (60%, 480 元, 2030), per year. */
  baseline_text: string[];
  scenario_text: string[];
  sources: BriefingSource[];
  /** The baseline's value was set before 2020: the mark a reader sees ("标准为2013年值…"), else null. */
  stale_zh: string | null;
}

export interface BriefingScenario {
  /** File name in data/scenarios/ without .json. */
  id: string;
  file: string;
  name: string;
  base_year: number;
  years: number[];
  cap_yuan_per_year: number | null;
  /** The engine's budget-cap figures per year (budgetCap: the cap covers all programme costs); null without a cap. */
  cap: CapTotals[] | null;
  presets: {id: string; label_zh: string; description_zh: string}[];
  totals: {year: number; cost_yuan: number; baseline_cost_yuan: number; delta_yuan: number; newly_covered: number}[];
  /** Sums over the simulated years; newly covered as in the final year (a stock, not summed). */
  sum: {cost_yuan: number; baseline_cost_yuan: number; delta_yuan: number; final_year_newly_covered: number};
  /** Per programme, summed over the years, largest increase first. */
  programmes: {
    programme: string;
    programme_zh: string;
    cost_yuan: number;
    baseline_cost_yuan: number;
    delta_yuan: number;
    final_year_cost_yuan: number;
    final_year_beneficiaries: number;
    final_year_newly_covered: number;
  }[];
  /** Per funding level (中央/省级/市级/区县级), summed over the years. */
  levels: {level: string; level_zh: string; cost_yuan: number; delta_yuan: number}[];
  parameters: BriefingParameter[];
  problems: {path: string; message: string}[];
}

/** One unit of a gap view; counts are null where the small-cell rule hid them (a real city only). */
export interface BriefingGapRow {
  unit_code: string;
  unit_name: string;
  eligible: number | null;
  achieved_count: number | null;
  missing: number | null;
  achieved_rate: number | null;
  gap_count: number | null;
  gap_cost_yuan: number | null;
  meets_target: boolean | null;
  suppressed: boolean;
}

export interface BriefingGap {
  id: string;
  indicator: string;
  label_zh: string;
  counts: "people" | "communities";
  how_computed_zh: string;
  cost_note_zh: string;
  level: string;
  year: number;
  as_of: string;
  target_value: number | null;
  target: {id: string; label_zh: string; effective_date: string; value: number; source: string; quote: string | null; figure: string | null} | null;
  /** Why the city's data cannot answer this view (a counts city without the counts it reads); null when it can. */
  cannot_answer_zh: string | null;
  /** City totals from summed counts (本级: the city's own gap); the gross gap sums each unit's own gap (下级缺口合计, gapRollup). */
  total: {
    eligible: number;
    achieved_count: number | null;
    missing: number | null;
    achieved_rate: number | null;
    gap_count: number | null;
    gap_cost_yuan: number | null;
    gross_gap_count: number | null;
    gross_gap_cost_yuan: number | null;
    units: number;
    units_meeting_target: number;
    units_below_target: number;
  };
  /** Rows the table lists (largest gap first); the chart shows every row. */
  top: number;
  rows: BriefingGapRow[];
}

/** The planner's own words (each optional): paragraphs split by a blank line, `[004-013]` a footnote to a catalogue figure. */
export interface BriefingTexts {
  /** Under the title, before the findings. */
  lead: string | null;
  /** Each section's text, after its heading. */
  policy: string | null;
  gaps: string | null;
  scenarios: string | null;
  conclusions: string | null;
}

/** Where the city's figures come from, as the footer and the sources appendix name them. */
export interface BriefingCity {
  name: string;
  synthetic: boolean;
  /** The data named for a reader: 示例市合成数据（虚构）, or the planner's file name and import date. */
  source_zh: string;
  /** The data's vintage (数据截至), e.g. 2025 年底 or 2026-03-01. */
  vintage_zh: string;
}

export interface BriefingData {
  id: string;
  title: string;
  subtitle: string | null;
  /** The briefing's date (ISO), printed in the footer. */
  date: string;
  /** The briefing file it was computed from. */
  source: string;
  city: BriefingCity;
  texts: BriefingTexts;
  small_cell: {applied: boolean; threshold: number};
  scenarios: BriefingScenario[];
  gaps: BriefingGap[];
  /** Every figure the briefing cites, in footnote order (the page's citations first). */
  figures: BriefingFigure[];
}
