import {stripBidiControls} from "./bidi.js";
import {isBlankText, normaliseCellText, parseBoolean, parseDate, parseNumber} from "./numbers.js";
import type {RuleId} from "./rules.js";
import type {ColumnSpec} from "./tables.js";

/** A cell as the readers hand it over: CSV gives text; XLSX gives numbers, booleans, dates too. */
export type CellValue = string | number | boolean | Date | null;

/** A cell that holds no usable value: an Excel error (#N/A) or a formula saved without its result. */
export class CellFlag {
  constructor(
    readonly rule: "excel_error" | "formula_no_value",
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

export type Cell = CellValue | CellFlag;

export type Converted = {ok: true; value: string | number | boolean | null; warning?: {rule: RuleId; message: string}} | {ok: false; rule: RuleId; message: string};

const ok = (value: string | number | boolean | null): Converted => ({ok: true, value});
const fail = (rule: RuleId, message: string): Converted => ({ok: false, rule, message});

export function isBlankCell(cell: Cell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === "string") return cell.trim() === "";
  return false;
}

const FAST_BOOL = new Map<string, boolean>([["true", true], ["false", false], ["TRUE", true], ["FALSE", false], ["是", true], ["否", false], ["1", true], ["0", false]]);
const PLAIN_NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;
const PLAIN_CODE = /^[0-9A-Za-z]{1,30}$/;
const enumMaps = new WeakMap<ColumnSpec, Map<string, string>>();

function fastPath(text: string, spec: ColumnSpec): string | number | boolean | undefined {
  switch (spec.kind) {
    case "bool":
      return FAST_BOOL.get(text);
    case "int":
      return PLAIN_NUMBER.test(text) && Number.isInteger(Number(text)) ? Number(text) : undefined;
    case "number":
      return PLAIN_NUMBER.test(text) ? Number(text) : undefined;
    case "code":
      return PLAIN_CODE.test(text) ? text : undefined;
    case "enum": {
      let map = enumMaps.get(spec);
      if (!map) {
        map = new Map(spec.values!.flatMap((v) => v.labels.map((l) => [l, v.value] as [string, string])));
        enumMaps.set(spec, map);
      }
      return map.get(text);
    }
    default:
      return undefined;
  }
}

const GRADE = /^(?:([1-4])|([一二三四])|(壹|贰|叁|肆)|([ⅠⅡⅢⅣ]))级?$/;

function readGrade(text: string): number | null {
  const m = GRADE.exec(text);
  if (!m) return null;
  if (m[1]) return Number(m[1]);
  if (m[2]) return "一二三四".indexOf(m[2]) + 1;
  if (m[3]) return "壹贰叁肆".indexOf(m[3]) + 1;
  return "ⅠⅡⅢⅣ".indexOf(m[4]!) + 1;
}

/**
 * Reads one cell for one column. Blank (and "-", "不详" …) is null; the schema decides later whether
 * null is allowed. `percentHeader`: the header says (%) so a plain 85 means 85%.
 */
export function convertCell(cell: Cell, spec: ColumnSpec, percentHeader = false): Converted {
  if (cell instanceof CellFlag) return fail(cell.rule, cell.rule === "excel_error" ? `单元格是 Excel 错误值 ${cell.text}` : "公式单元格没有保存计算结果（请在 Excel 中打开并保存一次）");
  if (cell === null || cell === undefined || cell === "") return ok(null);
  if (typeof cell === "string") {
    // Fast paths for what machine-written files hold (a 100 MB CSV is millions of these).
    const fast = fastPath(cell, spec);
    if (fast !== undefined) return ok(fast);
    if (isBlankText(cell)) return ok(null);
  }
  switch (spec.kind) {
    case "code": {
      if (typeof cell === "number") return Number.isInteger(cell) && cell >= 0 ? ok(String(cell)) : fail("bad_code", "代码应为 2–24 位字母或数字");
      return ok(normaliseCellText(String(cell)));
    }
    case "text": {
      const text = cell instanceof Date ? cell.toISOString().slice(0, 10) : stripBidiControls(String(cell)).trim();
      return ok(text);
    }
    case "enum": {
      const text = normaliseCellText(String(cell)).toLowerCase();
      for (const v of spec.values!) {
        if (v.labels.some((l) => l.toLowerCase() === text)) return ok(v.value);
      }
      for (const v of spec.values!) {
        if (v.near?.some((l) => l.toLowerCase() === text)) {
          const label = v.labels.find((l) => /[\u4e00-\u9fff]/.test(l)) ?? v.value;
          return {ok: true, value: v.value, warning: {rule: "alias_value", message: `「${String(cell)}」按「${label}」读取`}};
        }
      }
      const allowed = spec.values!.map((v) => v.labels.find((l) => /[\u4e00-\u9fff]/.test(l)) ?? v.value).join("、");
      return fail("not_allowed", `不在允许值之内（允许：${allowed}）`);
    }
    case "bool": {
      if (typeof cell === "boolean") return ok(cell);
      if (typeof cell === "number") return cell === 1 ? ok(true) : cell === 0 ? ok(false) : fail("not_a_boolean", "应为「是」或「否」");
      const b = parseBoolean(String(cell));
      return b === null ? fail("not_a_boolean", "应为「是」或「否」（也可写 有/无、√/×、1/0）") : ok(b);
    }
    case "date": {
      if (typeof cell === "boolean") return fail("bad_date", "无法识别的日期");
      const iso = parseDate(cell);
      return iso === null ? fail("bad_date", "无法识别的日期（可写 2024年3月5日、2024-03-05、2024/3/5）") : ok(iso);
    }
    case "int":
    case "number":
    case "share": {
      let value: number;
      let percent = false;
      if (typeof cell === "number") value = cell;
      else if (typeof cell === "boolean" || cell instanceof Date) return fail("not_a_number", "不是可识别的数字");
      else {
        if (spec.kind === "int" && spec.name === "grade") {
          const grade = readGrade(normaliseCellText(cell));
          if (grade !== null) return ok(grade);
          if (!parseNumber(cell)) return fail("out_of_range", "残疾等级应为 1–4（一级 … 四级）");
        }
        if (spec.kind !== "share" && spec.nullable && normaliseCellText(cell) === "无") return ok(null);
        const parsed = parseNumber(cell);
        if (!parsed) return fail("not_a_number", "不是可识别的数字（可写 1.2万、12,345、85%）");
        value = parsed.value;
        percent = parsed.percent;
      }
      if (spec.kind === "share") {
        if (!percent && percentHeader) value = Number(`${value}e-2`);
        return ok(value);
      }
      if (percent) return fail("not_a_number", "此列不能写百分数");
      if (spec.kind === "int" && !Number.isInteger(value)) return fail("not_an_integer", `应为整数（读作 ${value}）`);
      return ok(value);
    }
  }
}
