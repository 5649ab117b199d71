import type {CountColumn} from "../../schemas/communityCounts.js";
import {countColumns} from "../../schemas/communityCounts.js";
import {CellFlag, isBlankCell, type Cell} from "../convert.js";
import {isBlankText, normaliseCellText, parseBoolean, parseNumber} from "../numbers.js";
import type {RuleId} from "../rules.js";
import {cellText, type Layout, type LayoutColumn, type LayoutRow} from "./layout.js";
import type {OfficeField} from "./vocabulary.js";

/**
 * One row of an office table, read: where the unit sits (names and/or codes), the values of the fields we
 * keep, and the problems of its cells. Records are per unit row; subtotal and total rows become checks.
 */
export interface UnitRecord {
  file: string;
  sheet: string;
  row: number;
  district?: string;
  street?: string;
  community?: string;
  /** A name whose level is known only from its own ending (单位名称: 东湖社区, 城关镇). */
  name?: string;
  code?: string;
  parentCode?: string;
  levelLabel?: string;
  values: Partial<Record<OfficeField, number | boolean | null>>;
  /** Errors found in this row's cells: the row is rejected. */
  errors: number;
  /** Cells as text by header, for the rejected-rows download. */
  cellsByHeader: Record<string, string>;
  /** The file's header of each mapped field (shared by the records of a sheet), for messages. */
  headers?: Partial<Record<OfficeField, string>>;
  /** Rows of the sheet this record stands for (an indicator form's indicator rows); 1 when absent. */
  rowsCovered?: number;
}

export interface TotalRecord {
  file: string;
  sheet: string;
  row: number;
  kind: "subtotal" | "total";
  label: string;
  /** The street (or district) the subtotal names, when it does ("东湖街道小计", or its merged street cell). */
  scope?: string;
  values: Partial<Record<CountColumn | "residents", number | null>>;
  /** Data records the total covers (those since the previous subtotal, or all for a total). */
  members: UnitRecord[];
}

export interface CellProblem {
  file: string;
  sheet: string;
  row: number;
  column: string;
  field: OfficeField;
  value: string;
  rule: RuleId;
  message: string;
}

export interface ColumnChoice {
  index: number;
  header: string;
  field: OfficeField | null;
}

const MAX_INT = 100_000_000;

export type ReadValue = {ok: true; value: number | boolean | null} | {ok: false; rule: RuleId; message: string};

/** Reads one cell for a field kind; a count is a non-negative integer, a share 0–100 %. */
export function readValue(cell: Cell, kind: "text" | "code" | "int" | "number" | "share" | "bool", unit: string | null): ReadValue {
  if (cell instanceof CellFlag) return {ok: false, rule: cell.rule, message: cell.rule === "excel_error" ? `单元格是 Excel 错误值 ${cell.text}` : "公式单元格没有保存计算结果（请在 Excel 中打开并保存一次）"};
  if (cell === null || cell === undefined || (typeof cell === "string" && isBlankText(cell))) return {ok: true, value: null};
  if (kind === "bool") {
    if (typeof cell === "boolean") return {ok: true, value: cell};
    if (typeof cell === "number") return cell === 1 || cell === 0 ? {ok: true, value: cell === 1} : {ok: false, rule: "not_a_boolean", message: "应为「是」或「否」"};
    const b = parseBoolean(String(cell)) ?? ({y: true, n: false, yes: true, no: false, 已建: true, 未建: false, 建有: true, 设有: true, 配备: true} as Record<string, boolean>)[normaliseCellText(String(cell)).toLowerCase()];
    return b === undefined || b === null ? {ok: false, rule: "not_a_boolean", message: "应为「是」或「否」（也可写 有/无、√/×、1/0、Y/N）"} : {ok: true, value: b};
  }
  let value: number;
  let percent = false;
  if (typeof cell === "number") value = cell;
  else if (typeof cell === "boolean" || cell instanceof Date) return {ok: false, rule: "not_a_number", message: "不是可识别的数字"};
  else {
    const parsed = parseNumber(cell);
    if (!parsed) return {ok: false, rule: "not_a_number", message: "不是可识别的数字（可写 1.2万、12,345、85%）"};
    (value = parsed.value), (percent = parsed.percent);
  }
  if (!Number.isFinite(value)) return {ok: false, rule: "not_a_number", message: "不是可识别的数字"};
  if (value < 0) return {ok: false, rule: "negative", message: `不能为负数（读作 ${value}）`};
  if (kind === "share") {
    // A share written 62.5 under 筛查率（%） or as a bare 62.5 is a percent; 0.625 is a share.
    if (!percent && (unit === "percent" || value > 1)) value = Number(`${value}e-2`);
    if (value > 1) return {ok: false, rule: "rate_above_100", message: `比率超过 100%（读作 ${Number(`${value}e2`)}%）`};
    return {ok: true, value};
  }
  if (percent) return {ok: false, rule: "not_a_number", message: "此列是人数或数量，不能写百分数"};
  if (unit === "wan_yuan") value = Number(`${value}e4`);
  if (kind === "int") {
    if (!Number.isInteger(value)) return {ok: false, rule: "not_an_integer", message: `应为整数（读作 ${value}）`};
    if (value > MAX_INT) return {ok: false, rule: "out_of_range", message: `数值过大（读作 ${value}）`};
  }
  return {ok: true, value};
}

const countSet = new Set<string>(countColumns);
export const isCountField = (f: OfficeField): f is CountColumn => countSet.has(f);

/** A unit name as written, cleaned: spaces out, a trailing 居委会/村委会 read as 社区/村. */
export function cleanName(text: string): string {
  return text
    .replace(/\s+/g, "")
    .replace(/(社区)?居民委员会$|社区居委会$|居委会$/, "社区")
    .replace(/村民委员会$|村委会$/, "村")
    .replace(/街道办事处$|街道办$/, "街道");
}

interface SheetContext {
  file: string;
  sheet: string;
  /** The street the sheet stands for, when each sheet is one street (its name). */
  sheetStreet?: string;
  fold: (s: string) => string;
}

/**
 * Reads the data rows of a laid-out table into records, fills names merged or written once down their
 * communities, reads every mapped cell (stored or only checked), and pairs 小计/合计 rows with their members.
 */
export function readRecords(layout: Layout, columns: readonly ColumnChoice[], ctx: SheetContext, problems: CellProblem[]): {records: UnitRecord[]; totals: TotalRecord[]} {
  const records: UnitRecord[] = [];
  const totals: TotalRecord[] = [];
  const byField = new Map<OfficeField, LayoutColumn & {field: OfficeField}>();
  for (const choice of columns) {
    if (!choice.field || byField.has(choice.field)) continue;
    const col = layout.columns[choice.index];
    if (col) byField.set(choice.field, {...col, field: choice.field});
  }
  const text = (cells: Cell[], field: OfficeField) => {
    const col = byField.get(field);
    return col ? cleanName(cellText(cells[col.index], ctx.fold)) : "";
  };
  const headers: Partial<Record<OfficeField, string>> = Object.fromEntries([...byField].map(([f, c]) => [f, c.header]));
  const carry: {district?: string; street?: string} = {};
  let groupStart = 0;
  for (const r of layout.rows) {
    if (r.kind === "data") {
      const rec = readRow(r);
      // A district or street written once (or merged) stands for the rows below it until the next one.
      for (const level of ["district", "street"] as const) {
        if (!byField.has(`${level}_name`)) continue;
        if (rec[level]) carry[level] = rec[level];
        else if (carry[level]) rec[level] = carry[level];
      }
      if (ctx.sheetStreet && !rec.street && !byField.has("street_name")) rec.street = ctx.sheetStreet;
      records.push(rec);
    } else if (r.kind === "subtotal" || r.kind === "total") {
      const values: TotalRecord["values"] = {};
      for (const [field, col] of byField) {
        if (!isCountField(field) && field !== "residents") continue;
        const v = readValue(r.cells[col.index] ?? null, "int", col.match?.unit ?? null);
        values[field as CountColumn] = v.ok && typeof v.value === "number" ? v.value : null;
      }
      const scopeName = r.kind === "subtotal" ? (text(r.cells, "street_name").replace(/小计$/, "") || r.label!.replace(/小计$/, "")) : undefined;
      const members = r.kind === "subtotal" ? records.slice(groupStart) : records.slice();
      totals.push({file: ctx.file, sheet: ctx.sheet, row: r.row, kind: r.kind, label: r.label!, scope: scopeName || undefined, values, members});
      if (r.kind === "subtotal") {
        groupStart = records.length;
        // The next street starts after its subtotal: a blank street name there is not the previous one.
        delete carry.street;
      }
    }
  }
  // A 合计 written above its rows (the first data row) covers every row of the sheet.
  for (const t of totals) if (t.kind === "total" && !t.members.length) t.members = records.slice();
  return {records, totals};

  function readRow(r: LayoutRow): UnitRecord {
    const rec: UnitRecord = {file: ctx.file, sheet: ctx.sheet, row: r.row, values: {}, errors: 0, cellsByHeader: {}, headers};
    for (const col of layout.columns) {
      const c = r.cells[col.index];
      if (!isBlankCell(c ?? null)) rec.cellsByHeader[col.header || `第${col.index + 1}列`] = cellText(c, (s) => s);
    }
    const district = text(r.cells, "district_name");
    const street = text(r.cells, "street_name");
    const community = text(r.cells, "community_name");
    const name = text(r.cells, "unit_name");
    if (district) rec.district = district;
    if (street) rec.street = street;
    if (community) rec.community = community;
    if (name) rec.name = name;
    for (const field of ["unit_code", "parent_code"] as const) {
      const col = byField.get(field);
      if (!col) continue;
      const cell = r.cells[col.index];
      if (cell === null || cell === undefined) continue;
      const code = typeof cell === "number" ? (Number.isInteger(cell) && cell >= 0 ? String(cell) : "") : normaliseCellText(String(cell));
      if (!code || isBlankText(code)) continue;
      if (!/^[0-9A-Za-z]{2,24}$/.test(code)) {
        problems.push({file: ctx.file, sheet: ctx.sheet, row: r.row, column: col.header, field, value: code, rule: "bad_code", message: "代码只能由 2–24 位字母或数字组成"});
        rec.errors++;
        continue;
      }
      if (field === "unit_code") rec.code = code;
      else rec.parentCode = code;
    }
    const level = text(r.cells, "level_label");
    if (level) rec.levelLabel = level;
    for (const [field, col] of byField) {
      const info = col.match?.info;
      const kind = info?.field === field ? info.kind : fieldKind(field);
      if (kind === "text" || kind === "code") continue;
      const v = readValue(r.cells[col.index] ?? null, kind, col.match?.unit ?? null);
      if (v.ok) rec.values[field] = v.value;
      else {
        problems.push({file: ctx.file, sheet: ctx.sheet, row: r.row, column: col.header, field, value: cellText(r.cells[col.index], (s) => s), rule: v.rule, message: v.message});
        rec.errors++;
      }
    }
    return rec;
  }
}

/** The kind of a field chosen on the mapping step (a column the planner mapped by hand). */
export function fieldKind(field: OfficeField): "text" | "code" | "int" | "number" | "share" | "bool" {
  if (isCountField(field) || field === "residents" || field === "coordinators" || field === "other_count") return "int";
  if (/_rate$/.test(field)) return "share";
  if (/^has_|_trained$/.test(field)) return "bool";
  if (field === "rehab_room_area_m2" || field === "rehab_funding_yuan") return "number";
  if (field === "unit_code" || field === "parent_code") return "code";
  return "text";
}
