import {childLevel, sortGapRows, type GapResult, type GapRow, type GapSort} from "../../engine/gapQuery.js";
import {formatCount, formatNumber, formatPercent, formatPoints, formatYuan, missingText} from "../shared/format.js";
import {costLabel, costText, eligibleLabel, gapLabel, levelLabels, rowStatusText, statusLabels, targetText} from "./gapText.js";

/**
 * The columns of the coverage-gap table (覆盖缺口明细表), shared by the table on the page and its CSV and
 * XLSX downloads: header, how the figure is computed (the header's tooltip), the text shown (missing is
 * "—", never 0), the value a download holds, and how the column sorts. Pure: no DOM.
 */

export type SortOrder = "asc" | "desc";

export const gapColumnKeys = [
  "rank",
  "unit_name",
  "unit_code",
  "eligible",
  "achieved_count",
  "missing",
  "achieved_rate",
  "target",
  "gap_rate",
  "gap_count",
  "gap_cost_yuan",
  "children_gap_count",
  "children_gap_cost_yuan",
  "status",
] as const;
export type GapColumnKey = (typeof gapColumnKeys)[number];

export interface GapColumn {
  key: GapColumnKey;
  header(result: GapResult): string;
  /** How the figure is computed (the header's tooltip, and the methods list). */
  note(result: GapResult): string;
  /** What the table shows; missing values are "—". */
  text(row: GapRow, result: GapResult): string;
  /** What a row sorts by; null sorts last in either order. */
  sortValue(row: GapRow): number | string | null;
  /** The unit the page writes in each cell (%, 元), which a download's header carries instead; null for none. */
  exportUnit: string | null;
  /** The download's value; null is written "—". */
  exportValue(row: GapRow, result: GapResult): number | string | null;
  numeric: boolean;
  /** False for a column only the downloads hold (the page shows it in the row's tooltip instead). */
  onPage: boolean;
  /** Whether the column belongs to a result's table (the children's sum only where the units have children); always when omitted. */
  appliesTo?(result: GapResult): boolean;
  /** The order a first click on the header sorts in. */
  firstOrder: SortOrder;
  /** The engine's own sort for this column and order (gapQuery.ts sortGapRows), used instead of a generic one. */
  engineSort?: {sort: GapSort; order: SortOrder};
}

/** Digits after the point of a percentage or a difference in points, on the page and in downloads alike. */
const PERCENT_DIGITS = 1;

/** Units with units below them (all but communities): their table holds 本级 and 下级 figures side by side. */
const hasChildren = (result: GapResult) => childLevel(result.level) !== null;

/** "缺口人数" → "本级缺口人数" where a 下级 sum stands beside it, so a reader sees which is which. */
const own = (label: string, result: GapResult) => (hasChildren(result) ? `本级${label}` : label);

/** "补缺成本（一次性）" → "下级补缺成本合计（一次性）". */
export function childrenSumLabel(label: string): string {
  const i = label.indexOf("（");
  return i < 0 ? `下级${label}合计` : `下级${label.slice(0, i)}合计${label.slice(i)}`;
}

/** A share as the percentage number the page shows (formatPercent's rounding): 0.48366 → 48.4. */
function percentNumber(share: number | null): number | null {
  return share === null ? null : Number((share * 100).toFixed(PERCENT_DIGITS));
}

/** The difference from the target as the page shows it: achieved − target, ≤ 0, in points (gap 0.3018 → −30.2). */
function pointsNumber(gapRate: number | null): number | null {
  if (gapRate === null) return null;
  const points = Number((gapRate * 100).toFixed(PERCENT_DIGITS));
  return points === 0 ? 0 : -points;
}

/**
 * A download's header: the page's header, with the unit the page writes in each cell (%, 元) added in
 * brackets, so a column reads the same in the file as on the page ("补缺成本（一次性）" → "补缺成本（一次性，元）").
 */
export function withUnit(header: string, unit: string | null): string {
  if (unit === null) return header;
  return header.endsWith("）") ? header.replace(/）$/, `，${unit}）`) : `${header}（${unit}）`;
}

/** The status, and why the cost is unknown when the gap is known but cannot be priced. */
function statusCell(row: GapRow): string {
  const costReason = row.status === "ok" && row.gap_cost_reason ? `；成本：${row.gap_cost_reason}` : "";
  return `${rowStatusText(row)}${costReason}`;
}

/** A unit whose communities did not report who is eligible reads 未填报 in its counts, never 0. */
const notReported = (r: GapRow) => r.status === "not_reported";
const count = (pick: (r: GapRow) => number | null) => ({
  text: (r: GapRow) => (notReported(r) ? statusLabels.not_reported : formatCount(pick(r))),
  sortValue: (r: GapRow) => (notReported(r) ? null : pick(r)),
  exportValue: (r: GapRow) => (notReported(r) ? statusLabels.not_reported : pick(r)),
  numeric: true,
  onPage: true,
  firstOrder: "desc" as const,
});

export const gapColumns: readonly GapColumn[] = [
  {
    key: "rank",
    header: () => "排名",
    exportUnit: null,
    note: (r) => `按${gapLabel(r.indicator)}从多到少排名；缺口相同者名次相同，缺口未知者不排名（显示“${missingText}”）。`,
    text: (r) => formatNumber(r.rank),
    sortValue: (r) => r.rank,
    exportValue: (r) => r.rank,
    numeric: true,
    onPage: true,
    firstOrder: "asc",
  },
  {
    key: "unit_name",
    header: (r) => levelLabels[r.level],
    exportUnit: null,
    note: () => "点击单位名称查看其下一级单位。",
    text: (r) => r.unit_name,
    sortValue: (r) => r.unit_name,
    exportValue: (r) => r.unit_name,
    numeric: false,
    onPage: true,
    firstOrder: "asc",
    engineSort: {sort: "name", order: "asc"},
  },
  {
    key: "status",
    header: () => "说明",
    exportUnit: null,
    note: () => "是否达到目标，或为何无法评价；成本无法计算时说明原因。",
    text: statusCell,
    sortValue: (r) => rowStatusText(r),
    exportValue: statusCell,
    numeric: false,
    onPage: true,
    firstOrder: "asc",
  },
  {
    key: "unit_code",
    header: () => "代码",
    exportUnit: null,
    note: () => "行政区划或单位代码（下载的 Excel 文件中为文本单元格，12 位代码不会变成科学计数法）。",
    text: (r) => r.unit_code,
    sortValue: (r) => r.unit_code,
    exportValue: (r) => r.unit_code,
    numeric: false,
    onPage: false,
    firstOrder: "asc",
  },
  {
    key: "eligible",
    header: (r) => eligibleLabel(r.indicator),
    exportUnit: null,
    note: (r) => `符合该指标条件的${r.indicator.counts === "people" ? "持证残疾人" : "社区"}，含状态未知者。`,
    ...count((r) => r.eligible),
  },
  {
    key: "achieved_count",
    header: () => "已达成",
    exportUnit: null,
    note: () => "状态为“已达成”的应覆盖对象。",
    ...count((r) => r.achieved_count),
  },
  {
    key: "missing",
    header: () => "状态未知",
    exportUnit: null,
    note: () => "未报告状态的应覆盖对象：不计入达成率的分母，也不算作未达成。",
    ...count((r) => r.missing),
  },
  {
    key: "achieved_rate",
    header: () => "达成率",
    exportUnit: "%",
    note: (r) => r.indicator.howComputed_zh,
    text: (r) => formatPercent(r.achieved_rate, PERCENT_DIGITS),
    sortValue: (r) => r.achieved_rate,
    exportValue: (r) => percentNumber(r.achieved_rate),
    numeric: true,
    onPage: true,
    firstOrder: "asc",
    engineSort: {sort: "achieved", order: "asc"},
  },
  {
    key: "target",
    header: () => "目标",
    exportUnit: "%",
    note: (r) => targetText(r),
    text: (r) => formatPercent(r.target, PERCENT_DIGITS),
    sortValue: (r) => r.target,
    exportValue: (r) => percentNumber(r.target),
    numeric: true,
    onPage: true,
    firstOrder: "desc",
  },
  {
    key: "gap_rate",
    header: () => "差距（百分点）",
    exportUnit: null,
    note: () => "达成率减目标，单位为百分点：低于目标为负数（−30.2 即比目标低 30.2 个百分点）；达到或超过目标记为 0。",
    text: (r) => (r.gap_rate === null ? missingText : formatPoints(-r.gap_rate, PERCENT_DIGITS).replace("个百分点", "")),
    sortValue: (r) => r.gap_rate,
    exportValue: (r) => pointsNumber(r.gap_rate),
    numeric: true,
    onPage: true,
    firstOrder: "desc",
  },
  {
    key: "gap_count",
    header: (r) => own(gapLabel(r.indicator), r),
    exportUnit: null,
    note: (r) =>
      hasChildren(r) ? `本级缺口：按本单位合计人数对照目标计算，下级之间相互抵消。${r.indicator.howComputed_zh}` : r.indicator.howComputed_zh,
    ...count((r) => r.gap_count),
    engineSort: {sort: "gap", order: "desc"},
  },
  {
    key: "gap_cost_yuan",
    header: (r) => own(costLabel(r), r),
    exportUnit: "元",
    note: (r) => costText(r),
    text: (r) => formatYuan(r.gap_cost_yuan),
    sortValue: (r) => r.gap_cost_yuan,
    exportValue: (r) => r.gap_cost_yuan,
    numeric: true,
    onPage: true,
    firstOrder: "desc",
    engineSort: {sort: "gap_cost", order: "desc"},
  },
  {
    key: "children_gap_count",
    header: (r) => childrenSumLabel(gapLabel(r.indicator)),
    exportUnit: null,
    note: () => "下级缺口合计：本单位各下级单位自身缺口之和（超出目标的下级不抵消其他下级的不足），即逐一补齐各下级缺口要做的量；下级缺口未知的不计入。",
    ...count((r) => r.children_gap_count),
    appliesTo: hasChildren,
  },
  {
    key: "children_gap_cost_yuan",
    header: (r) => childrenSumLabel(costLabel(r)),
    exportUnit: "元",
    note: () => "各下级单位补缺成本之和；有下级缺口无法计价时显示“—”（部分相加会低估）。",
    text: (r) => formatYuan(r.children_gap_cost_yuan),
    sortValue: (r) => r.children_gap_cost_yuan,
    exportValue: (r) => r.children_gap_cost_yuan,
    numeric: true,
    onPage: true,
    firstOrder: "desc",
    appliesTo: hasChildren,
  },
];

/** The columns of a result's table: all of them, or those the page shows. */
export function columnsFor(result: GapResult, options: {page?: boolean} = {}): GapColumn[] {
  return gapColumns.filter((c) => (c.appliesTo?.(result) ?? true) && (!options.page || c.onPage));
}

export function gapColumn(key: GapColumnKey): GapColumn {
  return gapColumns.find((c) => c.key === key)!;
}

/** Rows whose name or code contains the search text (case-insensitive); all rows for an empty search. */
export function searchGapRows<R extends GapRow>(rows: readonly R[], search: string): R[] {
  const q = search.trim().toLowerCase();
  if (!q) return [...rows];
  return rows.filter((r) => r.unit_name.toLowerCase().includes(q) || r.unit_code.toLowerCase().includes(q));
}

const collator = new Intl.Collator("zh-CN");

/**
 * Sorts table rows by a column. Where the engine has this order (largest gap, largest cost, lowest rate,
 * name) its sortGapRows decides, so the table ranks exactly as the engine does; otherwise a stable sort
 * on the column's value, missing values last in either order, ties kept in the engine's gap order.
 */
export function sortTableRows<R extends GapRow>(rows: readonly R[], key: GapColumnKey, order: SortOrder): R[] {
  const column = gapColumn(key);
  if (column.engineSort && column.engineSort.order === order) return sortGapRows(rows, column.engineSort.sort);
  const sign = order === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = column.sortValue(a);
    const y = column.sortValue(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return sign * (typeof x === "string" || typeof y === "string" ? collator.compare(String(x), String(y)) : x - y);
  });
}

/**
 * The table as a download holds it: headers and one array per row, missing values written "—". Headers,
 * signs and the rounding of rates and points are the page's; counts and yuan are whole (the page writes
 * large ones in 万). Codes are text: the XLSX stores them as text cells.
 */
export function gapTableExport(rows: readonly GapRow[], result: GapResult): {headers: string[]; rows: (string | number)[][]} {
  const columns = columnsFor(result);
  return {
    headers: columns.map((c) => withUnit(c.header(result), c.exportUnit)),
    rows: rows.map((row) => columns.map((c) => c.exportValue(row, result) ?? missingText)),
  };
}
