import {CellFlag, isBlankCell, type Cell} from "../convert.js";
import {matchHeader, type FieldMatch} from "./vocabulary.js";

/**
 * Reads a statistics form as an office lays it out: title and 填报单位/统计截至/单位：人 lines above the header,
 * a header of one or two rows (a merged group label above its parts: 残疾类别 / 视力 … 多重), the street merged
 * (or written once) down its communities, 小计 rows per street, a 合计 row, a footer (填表人 审核人 负责人 报出日期)
 * and 注 lines. Every row of the sheet gets a kind; only `data` rows are units, the others are skipped with
 * their reason, and totals are kept to be checked against their members.
 */

export type RowKind = "title" | "meta" | "header" | "blank" | "data" | "subtotal" | "total" | "footer" | "note" | "repeated_header";

export interface LayoutColumn {
  index: number;
  /** The header as written, both rows joined with "/" ("残疾类别/视力"). */
  header: string;
  /** The header's labels, top to bottom, folded. */
  parts: string[];
  match: FieldMatch | null;
}

export interface LayoutRow {
  /** Spreadsheet row number (1-based). */
  row: number;
  kind: RowKind;
  cells: Cell[];
  /** For subtotal and total rows: the label that marks them ("小计", "东湖街道合计"). */
  label?: string;
}

export interface Layout {
  /** Spreadsheet rows of the header, first and last (1-based). */
  headerRows: [number, number];
  columns: LayoutColumn[];
  rows: LayoutRow[];
  /** What the lines above the header say: 填报单位, 统计截至, 单位. */
  meta: {reportingUnit?: string; asOf?: string; unitOfCount?: string};
  /** How sure the header is: fields matched (distinct). */
  score: number;
}

const HEADER_SEARCH_ROWS = 40;

export function cellText(cell: Cell | undefined, fold: (s: string) => string): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof CellFlag) return "";
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return fold(String(cell)).trim();
}

const compact = (s: string) => s.replace(/\s+/g, "");

/** A row's first text cell, spaces removed: where labels (合计, 填表人：) are written. */
function firstText(cells: readonly string[]): string {
  for (const c of cells) if (c !== "") return compact(c);
  return "";
}

const FOOTER = /^(填表人|填报人|制表人|制表|审核人|审核|负责人|单位负责人|统计负责人|分管领导|报出日期|填报日期|填表日期|制表日期|报送日期|联系电话|联系人|统计人|日期)[:：]/;
const NOTE = /^(注|备注|说明|填表说明|指标说明|附注)[:：]|^注\d|^\d+[、.．]?[^\d]*(指|包括|填写|按)/;
const TOTAL = /^(合计|总计|总合计|全区合计|全县合计|全市合计|全镇合计|全乡合计|全街道合计|汇总|全区|全县|全市)$|^.{1,20}(合计|总计)$/;
const SUBTOTAL = /^(小计|.{1,20}小计)$/;
const META = /(填报单位|填表单位|统计截至|统计时间|截至|报告期|单位[:：]|表号|制定机关|批准机关|批准文号|有效期至|[_＿]{2,})/;

/** Joins the header rows column by column; a group label written once over its parts is carried right. */
export function joinHeaderRows(rows: readonly (readonly string[])[]): string[][] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const filled = rows.map((r) => Array.from({length: width}, (_, i) => r[i] ?? ""));
  // Carry an upper label right across blanks while the row below has labels (CSV loses the merge).
  for (let level = 0; level < filled.length - 1; level++) {
    const upper = filled[level]!;
    const lower = filled[level + 1]!;
    for (let c = 1; c < width; c++) {
      if (upper[c] === "" && lower[c] !== "" && upper[c - 1] !== "" && lower[c - 1] !== "") upper[c] = upper[c - 1]!;
    }
  }
  return Array.from({length: width}, (_, c) => {
    const parts: string[] = [];
    for (const r of filled) {
      const t = r[c]!;
      if (t !== "" && parts.at(-1) !== t) parts.push(t);
    }
    return parts;
  });
}

function scoreColumns(columns: readonly LayoutColumn[]): number {
  const fields = new Set(columns.flatMap((c) => (c.match && c.match.info.role !== "ignore" ? [c.match.field] : [])));
  const named = [...fields].some((f) => /_name$|unit_code/.test(f));
  return fields.size + (named ? 1 : 0);
}

function columnsOf(joined: string[][]): LayoutColumn[] {
  return joined.map((parts, index) => ({index, header: parts.join("/"), parts, match: parts.length ? matchHeader(parts) : null}));
}

/**
 * Finds the header: every row and pair of adjacent rows among the first 40, scored by the distinct fields their
 * labels name; the best wins, a single row on a tie. Null when no candidate names two fields.
 */
export function findOfficeHeader(texts: readonly string[][]): {first: number; last: number; columns: LayoutColumn[]; score: number} | null {
  let best: {first: number; last: number; columns: LayoutColumn[]; score: number} | null = null;
  const limit = Math.min(texts.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < limit; r++) {
    if (texts[r]!.filter((t) => t !== "").length < 2) continue;
    const candidates: {first: number; last: number}[] = [{first: r, last: r}];
    if (r + 1 < limit && texts[r + 1]!.some((t) => t !== "")) candidates.push({first: r, last: r + 1});
    for (const cand of candidates) {
      const rows = texts.slice(cand.first, cand.last + 1);
      // A header row holds labels, not counts: a row of mostly numbers is data.
      if (rows.some((row) => row.filter((t) => /^-?[\d,.]+%?$/.test(t)).length > row.filter((t) => t !== "").length / 2)) continue;
      const columns = columnsOf(joinHeaderRows(rows));
      const score = scoreColumns(columns) - (cand.last > cand.first ? 0.5 : 0);
      if (!best || score > best.score) best = {...cand, columns, score};
    }
  }
  return best && best.score >= 2 ? best : null;
}

/** Indexes of the columns that hold names (where 合计/小计 labels are written). */
function labelColumns(columns: readonly LayoutColumn[]): number[] {
  const names = columns.filter((c) => c.match && (c.match.info.role === "hierarchy" || c.match.field === "seq")).map((c) => c.index);
  return names.length ? names : [0, 1, 2];
}

/** Reads the layout of one sheet; null when no header is found. */
export function readLayout(grid: readonly Cell[][], fold: (s: string) => string): Layout | null {
  const texts = grid.map((row) => Array.from({length: row.length}, (_, i) => cellText(row[i], fold)));
  const header = findOfficeHeader(texts);
  if (!header) return null;
  const meta: Layout["meta"] = {};
  const rows: LayoutRow[] = [];
  for (let r = 0; r < header.first; r++) {
    // A merged title reads the same text in every cell of its range: once is enough.
    const line = [...new Set(texts[r]!.filter((x) => x !== ""))].join(" ");
    if (line === "") {
      rows.push({row: r + 1, kind: "blank", cells: grid[r]!});
      continue;
    }
    const kind = META.test(line) ? "meta" : "title";
    readMeta(line, meta, kind);
    rows.push({row: r + 1, kind, cells: grid[r]!});
  }
  for (let r = header.first; r <= header.last; r++) rows.push({row: r + 1, kind: "header", cells: grid[r]!});
  const labels = labelColumns(header.columns);
  const headerTexts = header.columns.map((c) => c.parts.at(-1) ?? "");
  let last = grid.length - 1;
  while (last > header.last && texts[last]!.every((t) => t === "")) last--;
  let footerStarted = false;
  for (let r = header.last + 1; r <= last; r++) {
    const t = texts[r]!;
    const cells = grid[r]!;
    const nonBlank = t.filter((x) => x !== "");
    if (!nonBlank.length) {
      rows.push({row: r + 1, kind: "blank", cells});
      continue;
    }
    const first = firstText(t);
    const labelTexts = labels.map((i) => compact(t[i] ?? "")).filter((x) => x !== "");
    if (footerStarted || FOOTER.test(first) || (nonBlank.length <= 4 && nonBlank.every((x) => FOOTER.test(compact(x))))) {
      footerStarted = footerStarted || FOOTER.test(first);
      rows.push({row: r + 1, kind: FOOTER.test(first) || footerStarted ? "footer" : "note", cells});
      continue;
    }
    if (NOTE.test(first) && nonBlank.length <= 2) {
      rows.push({row: r + 1, kind: "note", cells});
      continue;
    }
    const totalLabel = labelTexts.find((x) => SUBTOTAL.test(x) || TOTAL.test(x)) ?? (SUBTOTAL.test(first) || TOTAL.test(first) ? first : undefined);
    if (totalLabel) {
      rows.push({row: r + 1, kind: SUBTOTAL.test(totalLabel) ? "subtotal" : "total", cells, label: totalLabel});
      continue;
    }
    const sameAsHeader = t.filter((x, i) => x !== "" && (x === headerTexts[i] || header.columns[i]?.parts.includes(x))).length;
    if (sameAsHeader >= Math.max(2, nonBlank.length * 0.6)) {
      rows.push({row: r + 1, kind: "repeated_header", cells});
      continue;
    }
    rows.push({row: r + 1, kind: "data", cells});
  }
  return {headerRows: [header.first + 1, header.last + 1], columns: header.columns, rows, meta, score: header.score};
}

/** A title that names its area: 东湖区社区残疾人基本情况统计表 → 东湖区. */
const TITLE_PLACE = /^([\u4e00-\u9fff]{2,12}?(?:区|县|市|镇|乡|街道))(?:各?社区|各?街道|各?乡镇|各?村|城乡|残疾人|持证|[0-9]{4}\s*年)/;
/** The approved forms' location line: ____县(区、市)____乡(镇、街道)____村(社区), with the blanks filled in. */
const LOCATION_LINE = /([\u4e00-\u9fff]{2,10})\s*县\s*[(（]\s*区\s*、\s*市\s*[)）]/;

function readMeta(line: string, meta: Layout["meta"], kind: "meta" | "title"): void {
  if (kind === "title" && !meta.reportingUnit) {
    const place = TITLE_PLACE.exec(line.replace(/\s+/g, ""));
    if (place) meta.reportingUnit = place[1];
  }
  const location = LOCATION_LINE.exec(line);
  if (location && !meta.reportingUnit) meta.reportingUnit = `${location[1]}县`;
  const unit = /(?:填报单位|填表单位)(?:[(（]公章[)）])?[:：]\s*([^\s:：]+?)(?=\s|统计|单位[:：]|$)/.exec(line);
  if (unit && !/^[_＿]+$/.test(unit[1]!)) meta.reportingUnit = unit[1];
  const asOf = /(?:统计截至|截至|统计时间|报告期)[:：]?\s*([0-9]{4}\s*年\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?|[0-9]{4}[-/.][0-9]{1,2}(?:[-/.][0-9]{1,2})?)/.exec(line);
  if (asOf) meta.asOf = asOf[1]!.replace(/\s+/g, "");
  const of = /单位[:：]\s*(人|户|个|万元|元)/.exec(line);
  if (of) meta.unitOfCount = of[1];
}

export function isBlankRow(cells: readonly Cell[]): boolean {
  return cells.every(isBlankCell);
}
