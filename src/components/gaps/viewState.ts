import type {GapLevel} from "../../engine/gapQuery.js";
import {indicatorById, indicatorIds, type IndicatorId} from "../../engine/indicators.js";
import {planYears} from "../../engine/planPeriod.js";
import {disabilityCategories, type DisabilityCategory} from "../../schemas/disabilityCategories.js";
import {gapColumnKeys, type GapColumnKey, type SortOrder} from "./gapColumns.js";

/**
 * The coverage-gap page's view as a URL query string (视图链接), so a view can be linked from a briefing
 * and reopened as it was: `?indicator=screening&level=street&unit=990106&year=2026&category=visual,hearing
 * &grade=1,2&sort=gap_cost_yuan&order=desc`. Parsing never throws: a value the page cannot use is
 * replaced by the default and said in `notes` (in Chinese, for the page to show).
 *
 * The table's search text is never written into the URL: it is typed by the planner and may be a unit's
 * name from an imported city, and a URL reaches server logs, browser history and shared links. An older
 * link's `q` is still read (and then dropped from the address bar).
 */

/** Levels a view lists (the city is the scope above them, not a level to list). */
export const viewLevels = ["district", "street", "community"] as const satisfies readonly GapLevel[];
export type ViewLevel = (typeof viewLevels)[number];
export const viewGrades = [1, 2, 3, 4] as const;

export interface GapView {
  indicator: IndicatorId;
  level: ViewLevel;
  /** The unit drilled into (its units at `level` are listed); null for the whole city. */
  unit: string | null;
  /** Targets and standards are those in force on 31 December of this year. */
  year: number;
  /** Disability categories counted (person indicators); empty for all. */
  categories: DisabilityCategory[];
  /** Disability grades counted (person indicators); empty for all. */
  grades: number[];
  /** Table sort. */
  sort: GapColumnKey;
  order: SortOrder;
  /** Table search text (kept on the page only, never written into a link). */
  q: string;
}

export const defaultGapView: GapView = {
  indicator: "screening",
  level: "district",
  unit: null,
  year: planYears[0],
  categories: [],
  grades: [],
  sort: "rank",
  order: "asc",
  q: "",
};

/** Unit codes as the units schema allows them (src/schemas/units.ts). */
const unitCodePattern = /^[0-9A-Za-z]{2,24}$/;
const SEARCH_MAX_CHARS = 50;
/** Years a link may name: targets are dated, and a year far outside any plan is a typo. */
const YEAR_PATTERN = /^(19|20|21)\d{2}$/;

/** Parses a query string (with or without "?"); unknown keys are ignored (other tools add their own). */
export function parseGapView(search: string): {view: GapView; notes: string[]} {
  const q = new URLSearchParams(search.startsWith("?") ? search.slice(1) : search);
  const view: GapView = {...defaultGapView, categories: [], grades: []};
  const notes: string[] = [];
  const get = (key: string) => q.get(key);

  const indicator = get("indicator");
  if (indicator !== null) {
    if ((indicatorIds as readonly string[]).includes(indicator)) view.indicator = indicator as IndicatorId;
    else notes.push(`链接中的指标“${indicator}”无法识别，已显示“${indicatorById(view.indicator).label.zh}”。`);
  }
  const level = get("level");
  if (level !== null) {
    if ((viewLevels as readonly string[]).includes(level)) view.level = level as ViewLevel;
    else notes.push(`链接中的层级“${level}”无法识别，已按区/县显示。`);
  }
  const unit = get("unit");
  if (unit !== null && unit !== "") {
    if (unitCodePattern.test(unit)) view.unit = unit;
    else notes.push(`链接中的单位代码“${unit}”格式不对，已显示全市。`);
  }
  const year = get("year");
  if (year !== null) {
    if (YEAR_PATTERN.test(year)) view.year = Number(year);
    else notes.push(`链接中的年度“${year}”无法识别，已显示 ${view.year} 年。`);
  }
  const categories = list(get("category"));
  for (const c of categories) if (!(disabilityCategories as readonly string[]).includes(c)) notes.push(`链接中的残疾类别“${c}”无法识别，已忽略。`);
  view.categories = disabilityCategories.filter((c) => categories.includes(c));
  const grades = list(get("grade"));
  for (const g of grades) if (!(viewGrades as readonly number[]).includes(Number(g)) || !/^\d$/.test(g)) notes.push(`链接中的残疾等级“${g}”无法识别，已忽略。`);
  view.grades = viewGrades.filter((g) => grades.includes(String(g)));
  const sort = get("sort");
  if (sort !== null) {
    if ((gapColumnKeys as readonly string[]).includes(sort)) view.sort = sort as GapColumnKey;
    else notes.push(`链接中的排序列“${sort}”无法识别，已按排名排序。`);
  }
  const order = get("order");
  if (order === "asc" || order === "desc") view.order = order;
  else if (order !== null) notes.push(`链接中的排序方向“${order}”无法识别，已按升序。`);
  view.q = (get("q") ?? "").trim().slice(0, SEARCH_MAX_CHARS);
  return {view, notes};
}

function list(value: string | null): string[] {
  return value === null || value === "" ? [] : value.split(",").map((v) => v.trim()).filter(Boolean);
}

/** Percent-encodes a value but keeps the commas of a list readable. */
function encode(value: string): string {
  return encodeURIComponent(value).replaceAll("%2C", ",");
}

/**
 * The view as a query string (with "?"). Indicator, level and year are always written, so a link in a
 * briefing says what it shows even if the page's defaults change; the rest only when set.
 */
export function gapViewQuery(view: GapView): string {
  const pairs: [string, string][] = [
    ["indicator", view.indicator],
    ["level", view.level],
  ];
  if (view.unit !== null) pairs.push(["unit", view.unit]);
  pairs.push(["year", String(view.year)]);
  if (view.categories.length) pairs.push(["category", view.categories.join(",")]);
  if (view.grades.length) pairs.push(["grade", view.grades.join(",")]);
  if (view.sort !== defaultGapView.sort || view.order !== defaultGapView.order) pairs.push(["sort", view.sort], ["order", view.order]);
  return `?${pairs.map(([k, v]) => `${k}=${encode(v)}`).join("&")}`;
}

/** True when two views show the same thing. */
export function sameGapView(a: GapView, b: GapView): boolean {
  return gapViewQuery(a) === gapViewQuery(b) && a.q === b.q;
}

/**
 * A URL as a person reads it (percent-escapes decoded), for the page's 视图链接 text. A malformed
 * escape (`%E4%B8` cut short, `%zz`) cannot be decoded: then the URL is shown as it is, instead of
 * decodeURI's URIError stopping the page.
 */
export function readableUrl(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    return href;
  }
}
