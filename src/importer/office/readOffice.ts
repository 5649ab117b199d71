import {categoryCountColumn, communityCountsRow, countColumns, gradeCountColumns, type CommunityCountsRow, type CountColumn} from "../../schemas/communityCounts.js";
import {disabilityCategories} from "../../schemas/disabilityCategories.js";
import type {UnitLevel, UnitRow} from "../../schemas/units.js";
import {unitRow, unitLevels} from "../../schemas/units.js";
import {isBlankCell, type Cell} from "../convert.js";
import type {ProblemLog, RejectedLog} from "../log.js";
import type {RuleId} from "../rules.js";
import {prepareFolder, type TextFolder} from "./fold.js";
import {assignCodes, childKey, levelIndex, levelOfName, makeNode, statisticalCode, trimmedCodeLevel, walk, withAncestors, defaultLabel, type TreeNode} from "./hierarchy.js";
import {readIndicatorForm, isIndicatorForm} from "./indicatorForm.js";
import {cellText, readLayout, type Layout, type RowKind} from "./layout.js";
import {cleanName, isCountField, readRecords, type CellProblem, type ColumnChoice, type TotalRecord, type UnitRecord} from "./records.js";
import {mappingFor, mappingNote} from "./mappingFile.js";
import {fieldInfo, type OfficeField, type UnitField} from "./vocabulary.js";

/**
 * Office tables → a city: units (from names or codes) and counts per community, with every row accounted
 * for (accepted, rejected, or skipped as title/header/小计/合计/footer/blank) and every problem named by file,
 * sheet, row, column and value. Pure: no DOM, no Node; the import page, the build route and the CLI call it.
 */

export interface OfficeSheet {
  file: string;
  sheet: string;
  /** "CSV" for a CSV file. */
  rows: Cell[][];
  state?: "visible" | "hidden" | "veryHidden";
}

export type {ColumnGuess, ColumnMapping} from "./columnMapping.js";
import type {ColumnGuess, ColumnMapping} from "./columnMapping.js";

export type SheetRole = "table" | "indicator_form" | "summary" | "instructions" | "hidden" | "empty" | "unknown";

export interface OfficeSheetReport {
  file: string;
  sheet: string;
  role: SheetRole;
  headerRows: [number, number] | null;
  /** Identifies the layout for a remembered mapping: the joined headers. */
  signature: string | null;
  columns: ColumnGuess[];
  rows: RowCounts;
  skipped: {row: number; kind: RowKind | "duplicate"}[];
  notes: string[];
}

export interface RowCounts {
  in: number;
  accepted: number;
  rejected: number;
  skipped: number;
}

export interface OfficeResult {
  units: UnitRow[];
  counts: CommunityCountsRow[];
  sheets: OfficeSheetReport[];
  rows: RowCounts;
  notes: string[];
  /** Fields the import has counts for (somewhere), for the pages to say what they can answer. */
  countFields: CountColumn[];
  /** Codes of the units added above the office's own top unit (not in any file). */
  addedUnits: string[];
  traditional: boolean;
}

const SUMMARY_SHEET = /汇总|总表|合计|全区|全县|全市/;
const INSTRUCTION_SHEET = /^(说明|填表说明|指标说明|注释|instructions|readme|备注)$/i;
const GENERIC_SHEET = /^(sheet\d*|工作表\d*|数据|统计表|表\d*|csv|[\d年月]+|\d{4}.*)$/i;

export interface OfficeOptions {
  mapping?: ColumnMapping;
}

export async function readOfficeTables(sheets: readonly OfficeSheet[], problems: ProblemLog, rejected: RejectedLog, options: OfficeOptions = {}): Promise<OfficeResult> {
  const folder = await prepareFolder(sampleText(sheets));
  const fold = folder.fold;
  const reports: OfficeSheetReport[] = [];
  const records: UnitRecord[] = [];
  const totals: TotalRecord[] = [];
  const summaries: {report: OfficeSheetReport; records: UnitRecord[]}[] = [];
  const notes: string[] = [];
  let reportingUnit: string | undefined;
  const cellProblems: CellProblem[] = [];

  const readable = sheets.filter((s) => (s.state ?? "visible") === "visible" && !INSTRUCTION_SHEET.test(fold(s.sheet).trim()) && s.rows.some((r) => r.some((c) => !isBlankCell(c))));
  const dataSheets = readable.filter((s) => !(SUMMARY_SHEET.test(fold(s.sheet)) && readable.length > 1));
  const sheetPerStreet = dataSheets.length > 1;

  for (const sheet of sheets) {
    const name = fold(sheet.sheet).trim();
    const report: OfficeSheetReport = {file: sheet.file, sheet: sheet.sheet, role: "table", headerRows: null, signature: null, columns: [], rows: {in: 0, accepted: 0, rejected: 0, skipped: 0}, skipped: [], notes: []};
    reports.push(report);
    if ((sheet.state ?? "visible") !== "visible") {
      report.role = "hidden";
      report.notes.push("隐藏的工作表，未导入");
      continue;
    }
    if (INSTRUCTION_SHEET.test(name)) {
      report.role = "instructions";
      report.notes.push("填表说明，跳过");
      continue;
    }
    if (!readable.includes(sheet)) {
      report.role = "empty";
      report.notes.push("空工作表，跳过");
      continue;
    }
    if (isIndicatorForm(sheet.rows, fold)) {
      report.role = "indicator_form";
      const form = readIndicatorForm(sheet, fold, cellProblems, options.mapping);
      report.headerRows = form.headerRows;
      report.signature = form.signature;
      report.columns = form.columns;
      report.rows = {in: form.rowsIn, accepted: 0, rejected: 0, skipped: form.skipped.length};
      report.skipped = form.skipped;
      report.notes.push(...form.notes);
      if (form.record) records.push(form.record);
      continue;
    }
    const layout = readLayout(sheet.rows, fold);
    if (!layout) {
      report.role = "unknown";
      const first = sheet.rows.find((r) => r.some((c) => !isBlankCell(c))) ?? [];
      problems.add({file: sheet.file, sheet: sheet.sheet, row: null, column: null, field: null, rule: "unknown_table", message: `没有找到表头：前 ${Math.min(40, sheet.rows.length)} 行中没有一行（或相邻两行）含两个以上可识别的列名（如 社区名称、常住人口、持证残疾人数、视力残疾）。第一行：${first.filter((c) => !isBlankCell(c)).slice(0, 6).map((c) => cellText(c, fold)).join("、")}`});
      continue;
    }
    reportingUnit ??= layout.meta.reportingUnit;
    report.headerRows = layout.headerRows;
    report.signature = layout.columns.map((c) => c.header).join("|");
    const remembered = mappingFor(options.mapping, report.signature, layout.columns.map((c) => c.header));
    const override = remembered.choices;
    const added = new Set(remembered.match ? remembered.added : []);
    const choices: ColumnChoice[] = layout.columns.map((c) => ({index: c.index, header: c.header, field: c.header in override ? override[c.header]! : (c.match?.field ?? null)}));
    const note = mappingNote(remembered);
    if (note) report.notes.push(note);
    report.columns = layout.columns.map((c, i) => {
      const field = choices[i]!.field;
      const byPlanner = c.header in override;
      const samples: string[] = [];
      for (const r of layout.rows) {
        if (r.kind !== "data" || samples.length >= 5) continue;
        const t = cellText(r.cells[c.index], (x) => x);
        if (t) samples.push(t.slice(0, 40));
      }
      return {index: c.index, header: c.header, field, field_zh: field ? (fieldInfo.get(field)?.zh ?? field) : null, confidence: byPlanner ? "planner" : field && c.match ? c.match.confidence : field ? "planner" : 0, samples, ...(added.has(c.header) ? {added: true as const} : {})};
    });
    describeLayout(report, layout);
    const isSummary = SUMMARY_SHEET.test(name) && readable.length > 1;
    const sheetStreet = sheetPerStreet && !choices.some((c) => c.field === "street_name" || c.field === "unit_code") && !GENERIC_SHEET.test(name) ? cleanName(name) : undefined;
    if (sheetStreet) report.notes.push(`此表没有「街道」列：按工作表名，表中各行属于「${sheetStreet}」`);
    const read = readRecords(layout, choices, {file: sheet.file, sheet: sheet.sheet, sheetStreet, fold}, cellProblems);
    report.rows.in = layout.rows.length;
    for (const r of layout.rows) if (r.kind !== "data") report.skipped.push({row: r.row, kind: r.kind});
    report.rows.skipped = report.skipped.length;
    if (isSummary) {
      report.role = "summary";
      report.notes.push("汇总表：只用于核对各街道的合计，不作为社区数据导入");
      report.rows = {in: 0, accepted: 0, rejected: 0, skipped: 0};
      report.skipped = [];
      summaries.push({report, records: read.records});
      continue;
    }
    const unknownColumns = report.columns.filter((c) => !c.field && c.header);
    for (const c of unknownColumns) problems.add({file: sheet.file, sheet: sheet.sheet, row: layout.headerRows[1], column: c.header, field: null, rule: "extra_column", message: `未识别的列「${c.header}」，已忽略（可在「列对应」中指定它是什么）`});
    records.push(...read.records);
    totals.push(...read.totals);
  }

  for (const p of cellProblems) problems.add({file: p.file, sheet: p.sheet, row: p.row, column: p.column, field: p.field, value: p.value, rule: p.rule, message: p.message});

  const tree = buildTree(records, reportingUnit, problems, notes);
  checkCounts(records, problems);
  checkTotals(totals, problems);
  checkParentRows(records, problems);
  const result = settle(tree, records, problems, rejected, notes);
  crossCheckSummaries(summaries, result, problems);

  // Row accounting per sheet.
  const reportOf = new Map(reports.map((r) => [`${r.file}\u0000${r.sheet}`, r]));
  for (const rec of records) {
    const report = reportOf.get(`${rec.file}\u0000${rec.sheet}`)!;
    const n = rec.rowsCovered ?? 1;
    if (rec.nestedTotal && !rec.errors) {
      report.rows.skipped += n;
      report.skipped.push({row: rec.row, kind: "subtotal"});
    } else if (rec.duplicateOf) {
      report.rows.skipped += n;
      report.skipped.push({row: rec.row, kind: "duplicate"});
    } else if (rec.errors || !rec.node) report.rows.rejected += n;
    else report.rows.accepted += n;
  }
  const rows: RowCounts = {in: 0, accepted: 0, rejected: 0, skipped: 0};
  for (const r of reports) (rows.in += r.rows.in), (rows.accepted += r.rows.accepted), (rows.rejected += r.rows.rejected), (rows.skipped += r.rows.skipped);
  if (folder.traditional) notes.push("文件含繁体字：表头和名称已转换为简体后读取");
  return {...result, sheets: reports, rows, notes, traditional: folder.traditional};
}

function* sampleText(sheets: readonly OfficeSheet[]): Generator<string> {
  for (const s of sheets) {
    yield s.sheet;
    for (const row of s.rows.slice(0, 60)) for (const c of row) if (typeof c === "string") yield c;
  }
}

function describeLayout(report: OfficeSheetReport, layout: Layout): void {
  const [a, b] = layout.headerRows;
  report.notes.push(a === b ? `表头在第 ${a} 行` : `表头占两行（第 ${a}–${b} 行），上下两行标题已合并读取`);
  const kinds = new Map<RowKind, number[]>();
  for (const r of layout.rows) if (r.kind !== "data" && r.kind !== "header") kinds.set(r.kind, [...(kinds.get(r.kind) ?? []), r.row]);
  const words: Partial<Record<RowKind, string>> = {title: "标题行", meta: "填报单位/日期行", blank: "空行", subtotal: "小计行", total: "合计行", footer: "表尾（填表人、审核人等）", note: "注释行", repeated_header: "重复的表头行"};
  for (const [kind, list] of kinds) report.notes.push(`${words[kind] ?? kind} ${list.length} 行（第 ${list.slice(0, 4).join("、")}${list.length > 4 ? " 等" : ""} 行）已跳过${kind === "subtotal" || kind === "total" ? "，并用于核对" : ""}`);
}

declare module "./records.js" {
  interface UnitRecord {
    /** The earlier identical row this one repeats (kept once). */
    duplicateOf?: UnitRecord;
    /** A street (or district) row above its communities in one name column: a subtotal, checked, not a unit row. */
    nestedTotal?: boolean;
    node?: TreeNode;
  }
}

function problemAt(problems: ProblemLog, rec: UnitRecord, rule: RuleId, column: string | null, field: string | null, value: unknown, message: string): void {
  const p = problems.add({file: rec.file, sheet: rec.sheet, row: rec.row, column, field, value, rule, message});
  if (p.severity === "error") rec.errors++;
}

const PLACE_SUFFIX = /(残疾人联合会|残联|民政局|民政办|办事处|党工委|人民政府|政府|社会事务办|社会事务科|社事办)$/;

/** The place a 填报单位 names ("东湖区残联" → 东湖区), if it names one. */
function placeOf(reportingUnit: string | undefined): string | undefined {
  if (!reportingUnit) return undefined;
  const place = cleanName(reportingUnit).replace(PLACE_SUFFIX, "");
  return levelOfName(place) ? place : undefined;
}

interface Tree {
  root: TreeNode | null;
}

/** Builds the tree from the records' names or codes; rows that cannot be placed are rejected, saying why. */
function buildTree(records: UnitRecord[], reportingUnit: string | undefined, problems: ProblemLog, notes: string[]): Tree {
  const coded = records.some((r) => r.code);
  dedupe(records, problems, notes);
  const live = records.filter((r) => !r.duplicateOf && !r.errors);
  const top = coded ? treeFromCodes(live, problems, notes) : treeFromNames(live, reportingUnit, problems, notes);
  if (!top) return {root: null};
  const root = withAncestors(top);
  if (root !== top) notes.push(`表中最高一级是「${top.name}」（${({district: "区县", street: "街道/镇", community: "社区/村", city: "市"} as const)[top.level]}），其上各级按同名单位补齐，各页面的「全市」即「${top.name}」`);
  assignCodes(root);
  return {root};
}

/** Identical rows (a row pasted twice) are kept once; the same unit twice with different figures is an error. */
function dedupe(records: UnitRecord[], problems: ProblemLog, notes: string[]): void {
  const seen = new Map<string, UnitRecord>();
  let identical = 0;
  for (const rec of records) {
    const key = rec.code ? `code:${rec.code}` : `name:${rec.district ?? ""}/${rec.street ?? ""}/${rec.community ?? rec.name ?? ""}`;
    if (key === "name://") continue;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, rec);
      continue;
    }
    if (JSON.stringify(first.cellsByHeader) === JSON.stringify(rec.cellsByHeader) || sameValues(first, rec)) {
      rec.duplicateOf = first;
      identical++;
      problems.add({file: rec.file, sheet: rec.sheet, row: rec.row, column: null, field: null, value: "", rule: "duplicate_row", message: `与第 ${first.row} 行完全相同（重复粘贴），只保留一次`});
    } else {
      const what = rec.code ? `单位代码「${rec.code}」` : `「${[rec.street, rec.community ?? rec.name].filter(Boolean).join(" ")}」`;
      problemAt(problems, rec, rec.code ? "duplicate_unit_code" : "duplicate_unit_name", null, null, rec.code ?? rec.community ?? rec.name ?? "", `${what}出现两次（第 ${first.row} 行、第 ${rec.row} 行）且数字不同，请核对后保留一行；两行都未导入`);
      if (!first.errors) problemAt(problems, first, rec.code ? "duplicate_unit_code" : "duplicate_unit_name", null, null, first.code ?? first.community ?? first.name ?? "", `${what}出现两次（第 ${first.row} 行、第 ${rec.row} 行）且数字不同，请核对后保留一行；两行都未导入`);
    }
  }
  if (identical) notes.push(`${identical} 行与前面某行完全相同（重复粘贴），各只保留一次`);
}

function sameValues(a: UnitRecord, b: UnitRecord): boolean {
  const keys = new Set([...Object.keys(a.values), ...Object.keys(b.values)]) as Set<OfficeField>;
  for (const k of keys) if (a.values[k] !== b.values[k]) return false;
  return (a.name ?? a.community) === (b.name ?? b.community);
}

/**
 * One 单位名称 column listing each street followed by its (often indented) communities: the street rows name
 * the parent of the rows below them, by the name's ending (…街道, …镇 / …社区, …村).
 */
function nestByNameEndings(records: UnitRecord[]): void {
  if (records.some((r) => r.street || r.district || r.community)) return;
  let district: string | undefined;
  let street: string | undefined;
  for (const rec of records) {
    const level = rec.name ? levelOfName(rec.name)?.level : undefined;
    if (level === "district") (district = rec.name), (street = undefined), (rec.district = rec.name), (rec.nestedTotal = true);
    else if (level === "street") (street = rec.name), (rec.street = rec.name), (rec.district = district), (rec.nestedTotal = true);
    else if (level === "community") (rec.community = rec.name), (rec.street = street), (rec.district = district);
  }
}

function treeFromNames(records: UnitRecord[], reportingUnit: string | undefined, problems: ProblemLog, notes: string[]): TreeNode | null {
  if (!records.length) return null;
  nestByNameEndings(records);
  const hasDistrict = records.some((r) => r.district);
  const hasStreet = records.some((r) => r.street);
  const topLevel: UnitLevel = hasDistrict ? "city" : hasStreet ? "district" : "street";
  const place = placeOf(reportingUnit);
  const placeLevel = place ? levelOfName(place)!.level : null;
  const topName = place && placeLevel === topLevel ? place : place && topLevel === "city" && placeLevel === "city" ? place : defaultTopName(topLevel, place);
  if (place && placeLevel !== topLevel) notes.push(`填报单位「${reportingUnit}」与表中的层级不符，最高一级记为「${topName}」`);
  const topInfo = levelOfName(topName);
  const top = makeNode(topName, topLevel, topInfo && topInfo.level === topLevel ? topInfo.label : defaultLabel(topLevel, false), null);
  for (const rec of records) {
    const names: [UnitLevel, string | undefined][] = [["district", rec.district], ["street", rec.street], ["community", rec.community ?? (rec.name && levelOfName(rec.name)?.level === "community" ? rec.name : undefined)]];
    let parent = top;
    let missing: UnitLevel | null = null;
    let node: TreeNode | null = null;
    for (const [level, name] of names) {
      if (levelIndex(level) <= levelIndex(topLevel)) continue;
      if (!name) {
        // A street row (its community cell blank) stands for the street itself.
        if (level === "community" && node) break;
        missing = level;
        break;
      }
      const label = levelOfName(name)?.level === level ? levelOfName(name)!.label : defaultLabel(level, /村$/.test(name));
      node = parent.children.get(name) ?? makeNode(name, level, label, parent);
      parent = node;
    }
    if (missing || !node) {
      const what = ({district: "区县", street: "街道/乡镇", community: "社区/村", city: "市"} as const)[missing ?? "community"];
      problemAt(problems, rec, "missing_name", what, null, "", `没有${what}名称（上方也没有可沿用的名称），此行无法归入任何单位`);
      continue;
    }
    rec.node = node;
  }
  return top;
}

function defaultTopName(level: UnitLevel, place: string | undefined): string {
  return place ?? ({city: "全市", district: "全区（县）", street: "全街道（乡镇）", community: "社区"} as const)[level];
}

/** Codes: 12-digit statistical codes read for level and parent; others need a parent code or a name ending. */
function treeFromCodes(records: UnitRecord[], problems: ProblemLog, notes: string[]): TreeNode | null {
  const nodes = new Map<string, {node: TreeNode; rec: UnitRecord; parentCode: string | null}>();
  let derivedParents = 0;
  for (const rec of records) {
    if (!rec.code) {
      problemAt(problems, rec, "required", "单位代码", "unit_code", "", "单位代码为空（此表其他行有代码）");
      continue;
    }
    const stat = statisticalCode(rec.code);
    const code = stat ? stat.trimmed : rec.code;
    const name = rec.name ?? rec.community ?? rec.street ?? rec.district ?? "";
    if (!name) {
      problemAt(problems, rec, "required", "单位名称", "unit_name", "", "单位名称为空");
      continue;
    }
    const byName = levelOfName(name);
    const byLabel = rec.levelLabel ? levelOfName(rec.levelLabel === "乡" ? "镇" : rec.levelLabel) : null;
    const level: UnitLevel | null = stat && stat.level !== "province" ? stat.level : (byLabel?.level ?? byName?.level ?? trimmedCodeLevel(code));
    if (!level) {
      problemAt(problems, rec, "required", "层级", "level_label", name, `无法判断「${name}」是哪一级（名称不以 区/县/街道/镇/乡/社区/村 结尾，代码也不是 12 位统计用区划代码）`);
      continue;
    }
    const label = byName && byName.level === level ? byName.label : byLabel && byLabel.level === level ? byLabel.label : defaultLabel(level, /村$/.test(name));
    let parentCode = rec.parentCode ? (statisticalCode(rec.parentCode)?.trimmed ?? rec.parentCode) : null;
    if (!parentCode && stat?.parent && level !== "city") {
      parentCode = stat.parent;
      derivedParents++;
      // A blank cell in a parent column is worth a word; a file without the column is read by code structure.
      const column = rec.headers?.parent_code;
      if (column) problems.add({file: rec.file, sheet: rec.sheet, row: rec.row, column, field: "parent_code", value: "", rule: "derived", message: `上级单位代码为空，按 12 位统计用区划代码推算为「${parentCode}」`});
    }
    const node = makeNode(name, level, label, null, code);
    nodes.set(code, {node, rec, parentCode});
    rec.node = node;
  }
  if (derivedParents) notes.push(`${derivedParents} 个单位的上级单位代码按 12 位统计用区划代码推算`);
  // Link children to parents; the top is the one unit whose parent is not in the file.
  const tops: TreeNode[] = [];
  for (const {node, rec, parentCode} of nodes.values()) {
    const parent = parentCode ? nodes.get(parentCode)?.node : undefined;
    if (parent) {
      if (levelIndex(node.level) !== levelIndex(parent.level) + 1) {
        problemAt(problems, rec, "level_mismatch", "层级", "level", node.name, `「${node.name}」不能直属于「${parent.name}」`);
        rec.node = undefined;
        continue;
      }
      node.parent = parent;
      parent.children.set(childKey(node), node);
    } else tops.push(node);
  }
  if (!tops.length) return null;
  tops.sort((a, b) => levelIndex(a.level) - levelIndex(b.level));
  const top = tops[0]!;
  for (const other of tops.slice(1)) {
    // Other units at the top level are siblings, joined below; a unit lower down whose parent is missing is rejected.
    if (levelIndex(other.level) === levelIndex(top.level)) continue;
    const rec = nodes.get(other.fileCode!)!.rec;
    problemAt(problems, rec, "orphan_unit", "上级单位代码", "parent_code", nodes.get(other.fileCode!)!.parentCode ?? "", `上级单位「${nodes.get(other.fileCode!)!.parentCode ?? "（空）"}」不在表中`);
    for (const n of walk(other)) if (nodes.get(n.fileCode!)) nodes.get(n.fileCode!)!.rec.node = undefined;
  }
  const siblings = tops.filter((t) => levelIndex(t.level) === levelIndex(top.level));
  if (siblings.length === 1) return top;
  // Several units at the top level (a county's towns without the county row): one unit above them.
  const upLevel = unitLevels[levelIndex(top.level) - 1];
  if (!upLevel) {
    for (const s of siblings.slice(1)) problemAt(problems, nodes.get(s.fileCode!)!.rec, "several_cities", "层级", "level", s.name, `有多个市级单位`);
    return top;
  }
  const commonPrefix = siblings.map((s) => s.fileCode ?? "").reduce((a, b) => {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return a.slice(0, i);
  });
  const up = makeNode(defaultTopName(upLevel, undefined), upLevel, defaultLabel(upLevel, false), null, commonPrefix.length >= 2 ? commonPrefix : undefined);
  for (const s of siblings) {
    s.parent = up;
    up.children.set(childKey(s), s);
  }
  return up;
}

type CountValues = Partial<Record<OfficeField, number | boolean | null>>;

const num = (v: CountValues, f: OfficeField) => (typeof v[f] === "number" ? (v[f] as number) : null);

/** Counts that must not exceed another count of the same row: [part, whole, words]. */
const partOf: [OfficeField, OfficeField, string][] = [
  ["screened", "persons", "已筛查人数超过持证残疾人数"],
  ["rehab_need", "screened", "有康复需求人数超过已筛查人数"],
  ["rehab_need", "persons", "有康复需求人数超过持证残疾人数"],
  ["archived", "rehab_need", "已建档人数超过有康复需求人数"],
  ["archived", "persons", "已建档人数超过持证残疾人数"],
  ["school_age", "persons", "义务教育阶段人数超过持证残疾人数"],
  ["enrolled", "school_age", "在学人数超过义务教育阶段人数"],
  ["dibao_recipient", "persons", "享受低保人数超过持证残疾人数"],
  ["dibao_eligible", "persons", "符合低保条件人数超过持证残疾人数"],
  ["wubao_recipient", "persons", "特困供养人数超过持证残疾人数"],
  ["poor_subsidy_recipient", "persons", "享受生活补贴人数超过持证残疾人数"],
  ["severe_subsidy_recipient", "persons", "享受护理补贴人数超过持证残疾人数"],
  ["rehab_served", "rehab_need", "已接受基本康复服务人数超过有康复需求人数"],
  ["rehab_served", "persons", "已接受基本康复服务人数超过持证残疾人数"],
  ["device_need", "persons", "有辅助器具适配需求人数超过持证残疾人数"],
  ["device_fitted", "device_need", "辅助器具适配人数超过有辅助器具适配需求人数"],
  ["device_fitted", "persons", "辅助器具适配人数超过持证残疾人数"],
  ["poor_subsidy_eligible", "persons", "符合生活补贴条件人数超过持证残疾人数"],
  ["poor_subsidy_recipient", "poor_subsidy_eligible", "享受生活补贴人数超过符合条件人数"],
  ["severe_subsidy_eligible", "persons", "符合护理补贴条件人数超过持证残疾人数"],
  ["severe_subsidy_recipient", "severe_subsidy_eligible", "享受护理补贴人数超过符合条件人数"],
  ["persons", "residents", "持证残疾人数超过常住人口"],
];

const categoryFields = disabilityCategories.map(categoryCountColumn);

/** Checks each row's counts against one another: parts within wholes, categories and grades summing to the total. */
function checkCounts(records: UnitRecord[], problems: ProblemLog): void {
  for (const rec of records) {
    // A row already rejected for a cell (筛查率 112 %) is not reported again for what follows from it.
    if (rec.duplicateOf || rec.errors) continue;
    const v = rec.values;
    const header = (f: OfficeField) => rec.headers?.[f] ?? fieldInfo.get(f)?.zh ?? f;
    for (const [part, whole, words] of partOf) {
      const a = num(v, part);
      const b = num(v, whole);
      if (a !== null && b !== null && a > b) problemAt(problems, rec, "counts_inconsistent", header(part), part, a, `${words}（${a.toLocaleString("en-US")} > ${b.toLocaleString("en-US")}）`);
    }
    for (const [fields, words] of [[categoryFields, "各残疾类别人数之和"], [gradeCountColumns as readonly OfficeField[], "各残疾等级人数之和"]] as const) {
      const values = fields.map((f) => num(v, f));
      const total = num(v, "persons");
      const given = values.filter((x): x is number => x !== null);
      if (!given.length || total === null) continue;
      const sum = given.reduce((a, b) => a + b, 0);
      if (sum > total || (given.length === fields.length && sum !== total)) problemAt(problems, rec, "counts_inconsistent", null, null, sum, `${words}（${sum.toLocaleString("en-US")}）与持证残疾人数（${total.toLocaleString("en-US")}）不符`);
    }
    const rate = typeof v.screening_rate === "number" ? v.screening_rate : null;
    const screened = num(v, "screened");
    const persons = num(v, "persons");
    if (rate !== null && screened !== null && persons) {
      const actual = screened / persons;
      if (Math.abs(actual - rate) > 0.0051) problems.add({file: rec.file, sheet: rec.sheet, row: rec.row, column: header("screening_rate"), field: "screening_rate", value: `${Number(`${rate}e2`)}%`, rule: "rate_mismatch", message: `筛查率与人数不符：已筛查 ${screened} ÷ 持证 ${persons} = ${(actual * 100).toFixed(1)}%`});
    }
  }
}

/** 小计 and 合计 rows against the sum of the rows they cover. */
function checkTotals(totals: TotalRecord[], problems: ProblemLog): void {
  for (const t of totals) {
    // A street row above its communities (an indented list) is itself a subtotal: the communities are the members.
    const members = t.members.filter((m) => !m.duplicateOf && !m.nestedTotal);
    if (!members.length) continue;
    const diffs: string[] = [];
    let column: string | null = null;
    let field: string | null = null;
    for (const [f, value] of Object.entries(t.values) as [CountColumn | "residents", number | null][]) {
      if (value === null) continue;
      const parts = members.map((m) => num(m.values, f));
      if (parts.some((p) => p === null)) continue;
      const sum = (parts as number[]).reduce((a, b) => a + b, 0);
      if (sum === value) continue;
      diffs.push(`${fieldInfo.get(f)?.zh ?? f}：${t.label} ${value.toLocaleString("en-US")}，各行合计 ${sum.toLocaleString("en-US")}`);
      column ??= members[0]!.headers?.[f] ?? fieldInfo.get(f)?.zh ?? f;
      field ??= f;
    }
    if (diffs.length) problems.add({file: t.file, sheet: t.sheet, row: t.row, column, field, value: t.label, rule: t.kind === "subtotal" ? "subtotal_mismatch" : "total_mismatch", message: `${t.kind === "subtotal" ? "小计" : "合计"}与所含各行之和不符（${diffs.slice(0, 3).join("；")}${diffs.length > 3 ? ` 等 ${diffs.length} 项` : ""}）；各行照常导入，小计/合计行不导入`});
  }
}

/** A street's (or district's) own row against the sum of its communities' rows, like a 小计. */
function checkParentRows(records: UnitRecord[], problems: ProblemLog): void {
  const byNode = new Map<TreeNode, UnitRecord>();
  for (const r of records) if (r.node && !r.errors && !r.duplicateOf) byNode.set(r.node, r);
  for (const [node, rec] of byNode) {
    if (node.level === "community") continue;
    const communities = [...walk(node)].filter((n) => n.level === "community").map((n) => byNode.get(n));
    if (!communities.length || communities.some((c) => !c)) continue;
    const diffs: string[] = [];
    for (const f of ["residents", ...countColumns] as const) {
      const given = num(rec.values, f);
      if (given === null) continue;
      const parts = communities.map((c) => num(c!.values, f));
      if (parts.some((p) => p === null)) continue;
      const sum = (parts as number[]).reduce((a, b) => a + b, 0);
      if (sum !== given) diffs.push(`${fieldInfo.get(f)?.zh ?? f}：本行 ${given.toLocaleString("en-US")}，所属社区合计 ${sum.toLocaleString("en-US")}`);
    }
    if (diffs.length) problems.add({file: rec.file, sheet: rec.sheet, row: rec.row, column: null, field: null, value: node.name, rule: "subtotal_mismatch", message: `「${node.name}」一行与其所属社区之和不符（${diffs.slice(0, 3).join("；")}）；社区各行照常导入`});
  }
}

const unitFields: UnitField[] = ["has_rehab_room", "rehab_room_area_m2", "has_coordinator", "coordinator_trained", "has_care_point", "rehab_funding_yuan", "satisfaction_rate"];

/** The tree's units and the communities' counts, schema-checked; rows whose unit failed are rejected. */
function settle(tree: Tree, records: UnitRecord[], problems: ProblemLog, rejected: RejectedLog, notes: string[]): Pick<OfficeResult, "units" | "counts" | "countFields" | "addedUnits"> {
  const units: UnitRow[] = [];
  const counts: CommunityCountsRow[] = [];
  const present = new Set<CountColumn>();
  for (const rec of records) for (const f of Object.keys(rec.values)) if (isCountField(f as OfficeField) && rec.values[f as OfficeField] !== null) present.add(f as CountColumn);
  const recordOf = new Map<TreeNode, UnitRecord>();
  for (const rec of records) if (rec.node && !rec.errors && !rec.duplicateOf) recordOf.set(rec.node, rec);
  const reasons = errorReasonsByRow(problems);
  for (const rec of records) {
    if (rec.errors && !rec.duplicateOf) {
      rejected.add({table: "units", file: rec.file, sheet: rec.sheet, row: rec.row, values: rec.cellsByHeader, reasons: [...new Set(reasons.get(rowKey(rec)) ?? [])].join("；") || "见问题列表"});
    }
  }
  if (!tree.root) return {units, counts, countFields: [...present], addedUnits: []};
  // Communities without an accepted row (their row rejected) leave the tree with their data.
  const prune = (node: TreeNode): boolean => {
    for (const [key, child] of node.children) if (!prune(child)) node.children.delete(key);
    if (node.level === "community") return recordOf.has(node);
    return node.children.size > 0 || recordOf.has(node);
  };
  prune(tree.root);
  let missingResidents = 0;
  const residentsOf = (node: TreeNode): number => {
    const rec = recordOf.get(node);
    const given = rec ? num(rec.values, "residents") : null;
    if (node.level === "community") {
      if (given === null) missingResidents++;
      return given ?? 0;
    }
    const sum = [...node.children.values()].reduce((a, c) => a + residentsOf(c), 0);
    if (given !== null && given < sum && rec) problemAt(problems, rec, "parts_exceed_whole", "常住人口", "residents", given, `下级单位常住人口之和（${sum.toLocaleString("en-US")}）超过本单位的 ${given.toLocaleString("en-US")}`);
    return given ?? sum;
  };
  const residents = new Map<TreeNode, number>();
  const fill = (node: TreeNode) => {
    for (const c of node.children.values()) fill(c);
    residents.set(node, node.level === "community" ? residentsOf(node) : [...node.children.values()].reduce((a, c) => a + residents.get(c)!, 0));
  };
  fill(tree.root);
  let derivedPersons = 0;
  for (const node of walk(tree.root)) {
    const rec = recordOf.get(node);
    const district = ancestorAt(node, "district");
    const street = ancestorAt(node, "street");
    const rural = node.label === "村" || node.label === "镇" || node.label === "县";
    const row: UnitRow = {
      unit_code: node.code,
      unit_name: node.name.slice(0, 100),
      level: node.level,
      level_label: node.label,
      parent_code: node.parent?.code ?? null,
      district_code: district?.code ?? null,
      street_code: street?.code ?? null,
      urban_rural: rural ? "rural" : "urban",
      residents: residents.get(node) ?? 0,
      has_rehab_room: null,
      rehab_room_area_m2: null,
      has_coordinator: null,
      coordinator_trained: null,
      has_care_point: null,
      rehab_funding_yuan: null,
      satisfaction_rate: null,
      synthetic: false,
    };
    if (node.level === "community" && rec) {
      for (const f of unitFields) if (f in rec.values) (row as Record<string, unknown>)[f] = rec.values[f] ?? null;
      if (row.has_coordinator === null && typeof rec.values.coordinators === "number") row.has_coordinator = rec.values.coordinators > 0;
    }
    const parsed = unitRow.safeParse(row);
    if (!parsed.success) {
      if (rec) problemAt(problems, rec, "schema", null, String(parsed.error.issues[0]?.path[0] ?? ""), "", `不符合数据规范：${parsed.error.issues[0]?.message ?? ""}`);
      continue;
    }
    units.push(parsed.data);
    if (node.level !== "community" || !rec || !present.size) continue;
    const v = rec.values;
    let persons = num(v, "persons");
    if (persons === null) {
      const cats = categoryFields.map((f) => num(v, f));
      const grades = gradeCountColumns.map((f) => num(v, f));
      if (cats.every((x) => x !== null)) persons = (cats as number[]).reduce((a, b) => a + b, 0);
      else if (grades.every((x) => x !== null)) persons = (grades as number[]).reduce((a, b) => a + b, 0);
      if (persons !== null) derivedPersons++;
    }
    if (persons === null) {
      problems.add({file: rec.file, sheet: rec.sheet, row: rec.row, column: "持证残疾人数", field: "persons", value: "", rule: "required", message: "没有持证残疾人数（也无法由各类别或各等级人数相加得到）：此社区的人数未导入，单位照常导入"});
      continue;
    }
    const countRow: Record<string, unknown> = {community_code: node.code, persons};
    for (const f of countColumns) if (f !== "persons") countRow[f] = num(v, f);
    const c = communityCountsRow.safeParse(countRow);
    if (c.success) counts.push(c.data);
  }
  if (missingResidents) notes.push(`${missingResidents} 个社区/村没有常住人口，按 0 计：按人口计算的指标（如人均康复经费）对它们不可用`);
  if (derivedPersons) notes.push(`${derivedPersons} 个社区的持证残疾人数按各类别（或各等级）人数相加得到`);
  const addedUnits = [...walk(tree.root)].filter(isAdded).map((n) => n.code);
  return {units, counts, countFields: [...present], addedUnits};
}

/** A unit no file names: added above the top, or the top named only by default (全区（县）). */
function isAdded(node: TreeNode): boolean {
  return node.virtual || /^全(市|区（县）|街道（乡镇）)$/.test(node.name);
}

const rowKey = (p: {file: string; sheet: string; row: number | null}) => `${p.file}\u0000${p.sheet}\u0000${p.row}`;

/** The error messages logged per row, for the rejected-rows download: one pass over the log, not one per rejected row. */
function errorReasonsByRow(problems: ProblemLog): Map<string, string[]> {
  const byRow = new Map<string, string[]>();
  for (const p of problems.problems) {
    if (p.severity !== "error") continue;
    const key = rowKey(p);
    const list = byRow.get(key) ?? [];
    if (!list.length) byRow.set(key, list);
    list.push(p.column ? `${p.column}：${p.message}` : p.message);
  }
  return byRow;
}

function ancestorAt(node: TreeNode, level: UnitLevel): TreeNode | null {
  for (let n: TreeNode | null = node; n; n = n.parent) if (n.level === level) return n;
  return null;
}

/** A 汇总 sheet's rows against the sum of the communities of the unit each row names. */
function crossCheckSummaries(summaries: {report: OfficeSheetReport; records: UnitRecord[]}[], result: Pick<OfficeResult, "units" | "counts">, problems: ProblemLog): void {
  if (!summaries.length) return;
  const byName = new Map<string, UnitRow>();
  for (const u of result.units) if (u.level !== "community") byName.set(u.unit_name, u);
  const countsOf = new Map(result.counts.map((c) => [c.community_code, c]));
  for (const {report, records} of summaries) {
    let checked = 0;
    for (const rec of records) {
      const name = rec.street ?? rec.name ?? rec.district ?? rec.community;
      const unit = name ? byName.get(name) : undefined;
      if (!unit) continue;
      checked++;
      const members = result.units.filter((u) => u.level === "community" && u.unit_code.startsWith(unit.unit_code));
      const diffs: string[] = [];
      for (const f of countColumns) {
        const given = num(rec.values, f);
        if (given === null) continue;
        const parts = members.map((m) => countsOf.get(m.unit_code)?.[f] ?? null);
        if (parts.some((p) => p === null)) continue;
        const sum = (parts as number[]).reduce((a, b) => a + b, 0);
        if (sum !== given) diffs.push(`${fieldInfo.get(f)?.zh ?? f}：汇总表 ${given}，各社区合计 ${sum}`);
      }
      if (diffs.length) problems.add({file: rec.file, sheet: rec.sheet, row: rec.row, column: null, field: null, value: name!, rule: "summary_mismatch", message: `汇总表中「${name}」与各社区数据之和不符（${diffs.slice(0, 3).join("；")}）`});
    }
    report.notes.push(`已核对 ${checked} 个单位的汇总数`);
  }
}
