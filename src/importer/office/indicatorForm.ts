import {isBlankCell, type Cell} from "../convert.js";
import {cellText, type RowKind} from "./layout.js";
import {cleanName, fieldKind, readValue, type CellProblem, type UnitRecord} from "./records.js";
import {mappingFor, mappingNote} from "./mappingFile.js";
import type {ColumnGuess, ColumnMapping} from "./columnMapping.js";
import {fieldInfo, matchHeader} from "./vocabulary.js";

/**
 * The aggregate form with one indicator per row (指标名称 | 指标单位 | 指标代码 | 数量), one form per unit — the
 * shape of the 12th-plan 社区康复统计汇总表: the unit is named in a 填表单位(公章)：东湖街道东湖社区 line (or by the
 * sheet), each indicator row gives one figure. The form becomes one unit record with the figures we read.
 */

const HEADER_WORDS = /^(指标名称|指标|项目|项目名称)$/;
const VALUE_WORDS = /^(数量|数值|本期|本年|合计|人数|本期数|本年数)$/;

function headerAt(rows: readonly Cell[][], fold: (s: string) => string): {row: number; name: number; value: number} | null {
  for (let r = 0; r < Math.min(rows.length, 20); r++) {
    const texts = (rows[r] ?? []).map((c) => cellText(c, fold).replace(/\s+/g, ""));
    const name = texts.findIndex((t) => HEADER_WORDS.test(t));
    const value = texts.findIndex((t, i) => i > name && VALUE_WORDS.test(t));
    if (name >= 0 && value > name) return {row: r, name, value};
  }
  return null;
}

export function isIndicatorForm(rows: readonly Cell[][], fold: (s: string) => string): boolean {
  return headerAt(rows, fold) !== null;
}

const UNIT_LINE = /(?:填表单位|填报单位|单位名称)(?:[(（]公章[)）])?[:：]\s*([^\s:：]+)/;
const FOOTER = /^(填表人|填报人|审核人|负责人|报出日期|填报日期|填表日期|联系电话|注|说明|填表说明|指标说明)/;

export interface IndicatorFormRead {
  headerRows: [number, number];
  rowsIn: number;
  skipped: {row: number; kind: RowKind}[];
  record: UnitRecord | null;
  notes: string[];
  /** The layout for the mapping step: the indicator names in order. */
  signature: string;
  /** One per indicator row: its name as the header, its figure as the sample. */
  columns: ColumnGuess[];
}

/** Splits "东湖街道东湖社区" into street and community; a lone name is the community. */
function splitUnitName(name: string): {district?: string; street?: string; community: string} {
  const m = /^(.+?(?:区|县|市))?(.+?(?:街道|镇|乡))?(.+?(?:社区|村))$/.exec(name);
  if (!m) return {community: name};
  return {district: m[1], street: m[2], community: m[3]!};
}

export function readIndicatorForm(sheet: {file: string; sheet: string; rows: Cell[][]}, fold: (s: string) => string, problems: CellProblem[], mapping?: ColumnMapping): IndicatorFormRead {
  const header = headerAt(sheet.rows, fold)!;
  let last = sheet.rows.length - 1;
  while (last > header.row && (sheet.rows[last] ?? []).every(isBlankCell)) last--;
  const skipped: IndicatorFormRead["skipped"] = [];
  const notes: string[] = [];
  let unitName: string | undefined;
  for (let r = 0; r < header.row; r++) {
    const line = (sheet.rows[r] ?? []).map((c) => cellText(c, fold)).filter(Boolean).join(" ");
    const m = UNIT_LINE.exec(line);
    if (m && !/^[_＿]+$/.test(m[1]!)) unitName = cleanName(m[1]!);
    skipped.push({row: r + 1, kind: line ? (m ? "meta" : "title") : "blank"});
  }
  skipped.push({row: header.row + 1, kind: "header"});
  unitName ??= cleanName(fold(sheet.sheet));
  const where = splitUnitName(unitName);
  const record: UnitRecord = {file: sheet.file, sheet: sheet.sheet, row: header.row + 1, ...where, values: {}, errors: 0, cellsByHeader: {单位: unitName}, rowsCovered: 0};
  // The indicator rows, between the header and the footer: each is what a column is in a flat table.
  const indicators: {r: number; label: string; cells: Cell[]}[] = [];
  let footer = false;
  for (let r = header.row + 1; r <= last; r++) {
    const cells = sheet.rows[r] ?? [];
    const label = cellText(cells[header.name], fold).replace(/\s+/g, "");
    const first = cells.map((c) => cellText(c, fold)).find(Boolean) ?? "";
    if (cells.every(isBlankCell)) skipped.push({row: r + 1, kind: "blank"});
    else if (footer || FOOTER.test(first.replace(/\s+/g, ""))) {
      footer = true;
      skipped.push({row: r + 1, kind: /^(注|说明|填表说明|指标说明)/.test(first) ? "note" : "footer"});
    } else if (!label) skipped.push({row: r + 1, kind: "note"});
    else indicators.push({r, label, cells});
  }
  // The mapping step maps indicator rows as it maps columns: the layout is the list of indicator names.
  const signature = `指标|${indicators.map((i) => i.label).join("|")}`;
  const remembered = mappingFor(mapping, signature, indicators.map((i) => i.label));
  const added = new Set(remembered.match ? remembered.added : []);
  const note = mappingNote(remembered);
  if (note) notes.push(note);
  const columns: ColumnGuess[] = [];
  let read = 0;
  for (const {r, label, cells} of indicators) {
    // 其中… rows are parts of the row above; they are their own indicators here (其中已建档案人数 → archived).
    const match = matchHeader([label]);
    const guessed = match && match.info.role !== "ignore" ? match.field : null;
    const byPlanner = label in remembered.choices;
    const field = byPlanner ? remembered.choices[label]! : guessed;
    const text = cellText(cells[header.value], (x) => x);
    columns.push({index: r, header: label, field, field_zh: field ? (fieldInfo.get(field)?.zh ?? field) : null, confidence: byPlanner ? "planner" : guessed ? match!.confidence : 0, samples: text ? [text.slice(0, 40)] : [], ...(added.has(label) ? {added: true as const} : {})});
    if (!field) {
      skipped.push({row: r + 1, kind: "note"});
      notes.push(`第 ${r + 1} 行指标「${label}」${byPlanner ? "按您的选择不导入" : "本系统不使用"}，已跳过`);
      continue;
    }
    const v = readValue(cells[header.value] ?? null, fieldKind(field), field === guessed ? match!.unit : null);
    read++;
    record.cellsByHeader[label] = text;
    if (v.ok) record.values[field] = v.value;
    else {
      problems.push({file: sheet.file, sheet: sheet.sheet, row: r + 1, column: label, field, value: text, rule: v.rule, message: v.message});
      record.errors++;
    }
  }
  // The form is one unit: its indicator rows are the unit's figures, accepted or rejected with it.
  record.rowsCovered = read;
  notes.unshift(`按「一行一个指标」的汇总表读取：单位「${unitName}」，${read} 个指标`);
  return {
    headerRows: [header.row + 1, header.row + 1],
    rowsIn: last + 1,
    skipped: skipped.sort((a, b) => a.row - b.row),
    record: read ? record : null,
    notes: read ? notes : [...notes, "没有读到任何指标"],
    signature,
    columns,
  };
}
