import type {CriterionStatus, ScorecardCell, ScorecardCriterion, ScorecardResult, ScorecardUnit} from "../../engine/scorecard.js";
import {formatNumber, formatPercent, missingText} from "../shared/format.js";
import {h, isPlainClick} from "../shared/dom.js";
import {levelLabels, levelPlural, parameterText, parameterValueText} from "./gapText.js";

/**
 * The standards scorecard (示范标准达标评分) as a units × criteria matrix: for a community each cell is
 * pass, fail or missing, shown by colour (Okabe & Ito blue, vermillion, grey) and by a symbol and word
 * (✓ 达标, ✗ 未达标, ? 缺失), so it reads without colour; above communities, how many of the unit's
 * communities pass, shaded by the share that pass. The matrix is an HTML table, so it is its own data
 * table; every header says how its criterion is judged.
 */

export const criterionStatusText: Record<CriterionStatus, {symbol: string; word: string}> = {
  pass: {symbol: "✓", word: "达标"},
  fail: {symbol: "✗", word: "未达标"},
  missing: {symbol: "?", word: "缺失"},
};

/** Shades of the pass share for units above communities: lightest (few pass) to darkest (all pass). */
const SHARE_SHADES = 5;

export interface ScorecardOptions {
  /** The view link of a unit's drill-down, or null when it has no level below. */
  hrefFor?: (unit: ScorecardUnit) => string | null;
  /** Called on a plain click of a unit's link (the page then drills down without a reload). */
  onSelect?: (unit: ScorecardUnit) => void;
}

function criterionNote(c: ScorecardCriterion): string {
  const threshold = c.standard ? `标准：${parameterText(c.standard)}` : c.standard_missing ? `缺少有效的标准参数 ${c.parameter}，全部记为缺失` : "";
  return [c.label.zh, c.howComputed_zh, threshold].filter(Boolean).join("\n");
}

/** What a community's criterion measured, in the standard's unit (rate %, m², ¥ per resident). */
function measuredText(cell: ScorecardCell, criterion: ScorecardCriterion): string {
  if (cell.value === null) return "";
  if (!criterion.standard) return formatPercent(cell.value);
  return parameterValueText({value: cell.value, unit: criterion.standard.unit, period: "none"});
}

function unitLink(unit: ScorecardUnit, options: ScorecardOptions): HTMLElement {
  const href = options.hrefFor?.(unit) ?? null;
  if (href === null) return h("span", {}, unit.unit_name);
  return h(
    "a",
    {
      href,
      "data-unit": unit.unit_code,
      title: `查看${unit.unit_name}的下一级`,
      on: {
        click: (event) => {
          if (!options.onSelect || !isPlainClick(event as MouseEvent)) return;
          event.preventDefault();
          options.onSelect(unit);
        },
      },
    },
    unit.unit_name,
  );
}

function communityCell(cell: ScorecardCell, criterion: ScorecardCriterion): HTMLElement {
  const status = cell.status ?? "missing";
  const {symbol, word} = criterionStatusText[status];
  const measured = measuredText(cell, criterion);
  return h(
    "td",
    {class: `sc-cell sc-${status}`, "data-criterion": criterion.id, "data-status": status, title: `${criterion.label.zh}：${word}${measured ? `（${measured}）` : ""}\n${criterion.howComputed_zh}`},
    h("span", {"aria-hidden": "true"}, symbol),
    h("span", {class: "sc-word"}, word),
  );
}

function aggregateCell(cell: ScorecardCell, criterion: ScorecardCriterion): HTMLElement {
  const total = cell.pass + cell.fail + cell.missing;
  const shade = cell.pass_share === null ? "none" : String(Math.min(SHARE_SHADES - 1, Math.floor(cell.pass_share * SHARE_SHADES)));
  return h(
    "td",
    {
      class: "sc-cell sc-share",
      "data-criterion": criterion.id,
      "data-shade": shade,
      "data-pass": cell.pass,
      title: `${criterion.label.zh}：${cell.pass} 个社区达标，${cell.fail} 个未达标，${cell.missing} 个缺失；达标比例 ${formatPercent(cell.pass_share)}（缺失不计入）`,
    },
    `${cell.pass}/${total}`,
    cell.missing ? h("span", {class: "sc-missing-count"}, ` 缺${cell.missing}`) : null,
  );
}

/** The matrix, with a totals row per criterion and, per unit, communities meeting all and missing one. */
export function ScorecardMatrix(result: ScorecardResult, options: ScorecardOptions = {}): HTMLElement {
  const isCommunity = result.level === "community";
  const cells = new Map(result.cells.map((c) => [`${c.unit_code}\u0000${c.criterion}`, c]));
  const header = h(
    "tr",
    {},
    h("th", {scope: "col"}, levelLabels[result.level]),
    ...result.criteria.map((c) => h("th", {scope: "col", title: criterionNote(c), "data-criterion": c.id}, c.label.zh)),
    h("th", {scope: "col", title: "所有标准都达标的社区数"}, isCommunity ? "全部达标" : "全部达标社区"),
    h("th", {scope: "col", title: "只有一项未达标、且没有缺失项的社区数"}, isCommunity ? "仅差一项" : "仅差一项社区"),
  );
  const body = result.units.map((unit) =>
    h(
      "tr",
      {"data-unit": unit.unit_code},
      h("th", {scope: "row"}, unitLink(unit, options)),
      ...result.criteria.map((c) => {
        const cell = cells.get(`${unit.unit_code}\u0000${c.id}`)!;
        return isCommunity ? communityCell(cell, c) : aggregateCell(cell, c);
      }),
      h("td", {class: "num", "data-col": "meeting-all"}, isCommunity ? (unit.communities_meeting_all ? "是" : "否") : formatNumber(unit.communities_meeting_all)),
      h("td", {class: "num", "data-col": "missing-one"}, isCommunity ? (unit.communities_missing_one ? "是" : "否") : formatNumber(unit.communities_missing_one)),
    ),
  );
  const totalRow = (status: CriterionStatus) =>
    h(
      "tr",
      {"data-total": status},
      h("th", {scope: "row"}, `${criterionStatusText[status].word}（社区数）`),
      ...result.criterion_totals.map((t) => h("td", {class: "num", "data-criterion": t.criterion}, formatNumber(t[status]))),
      h("td", {}, ""),
      h("td", {}, ""),
    );
  return h(
    "div",
    {class: "sc-scroll"},
    h(
      "table",
      {class: "sc-matrix", "data-level": result.level},
      h("caption", {}, `${levelPlural[result.level]} × 社区康复示范标准 ${result.criteria.length} 项（${result.as_of} 有效的标准）`),
      h("thead", {}, header),
      h("tbody", {}, ...body),
      h("tfoot", {}, totalRow("pass"), totalRow("fail"), totalRow("missing")),
    ),
  );
}

/** The colour and symbol key of the matrix, in words. */
export function ScorecardLegend(isCommunity: boolean): HTMLElement {
  if (!isCommunity)
    return h("p", {class: "sc-legend"}, "格中数字为“达标社区数/社区总数”，颜色越深达标比例越高（缺失不计入比例）；“缺n”为数据缺失的社区数。");
  return h(
    "p",
    {class: "sc-legend"},
    ...(["pass", "fail", "missing"] as const).map((s) => h("span", {class: `sc-key sc-cell sc-${s}`}, `${criterionStatusText[s].symbol} ${criterionStatusText[s].word}`)),
  );
}

/** The headline counts: communities in scope, meeting every criterion, missing exactly one, with gaps in the data. */
export function scorecardCounts(result: ScorecardResult): {communities: number; meetingAll: number; missingOne: number; withMissing: number} {
  const sum = (f: (u: ScorecardUnit) => number) => result.units.reduce((s, u) => s + f(u), 0);
  return {
    communities: sum((u) => u.communities),
    meetingAll: sum((u) => u.communities_meeting_all),
    missingOne: sum((u) => u.communities_missing_one),
    withMissing: sum((u) => u.communities_with_missing),
  };
}

/** The communities that fail exactly one criterion (and miss no data), with that criterion: the nearest to the standard. */
export function MissesOneTable(result: ScorecardResult): HTMLElement {
  const labels = new Map(result.criteria.map((c) => [c.id, c.label.zh]));
  const byCriterion = result.criteria.map((c) => [c, result.misses_one.filter((m) => m.criterion === c.id).length] as const).filter(([, n]) => n > 0);
  return h(
    "div",
    {class: "sc-misses-one"},
    h("p", {}, byCriterion.length ? `差的那一项：${byCriterion.map(([c, n]) => `${c.label.zh} ${n} 个`).join("；")}。` : "没有仅差一项的社区。"),
    result.misses_one.length
      ? h(
          "details",
          {},
          h("summary", {}, `仅差一项的 ${result.misses_one.length} 个社区`),
          h(
            "table",
            {class: "gap-small-table", "data-table": "misses-one"},
            h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "社区/村"), h("th", {scope: "col"}, "代码"), h("th", {scope: "col"}, "未达标的一项"))),
            h(
              "tbody",
              {},
              ...result.misses_one.map((m) => h("tr", {"data-unit": m.unit_code}, h("th", {scope: "row"}, m.unit_name), h("td", {}, m.unit_code), h("td", {}, labels.get(m.criterion) ?? missingText))),
            ),
          ),
        )
      : null,
  );
}
