/**
 * The template a planner fills in (填报模板): the demo city's shape, generated from the schemas at build
 * time — one sheet per table with Chinese headers (the codebook labels), drop-down lists for coded and
 * yes/no columns, and an instructions sheet (说明) giving each column's meaning, unit, allowed values,
 * whether it is required and an example. Also one CSV per table (header row only, UTF-8 with BOM).
 */
import ExcelJS from "exceljs";
import {allowedText, birthDateColumn, personsSpec, unitsSpec, type ColumnSpec, type TableSpec} from "../../src/importer/index.js";
import {toCsv} from "../../src/importer/index.js";
import {normaliseZipTimes} from "../publish/zip.js";

/** A fixed date for the workbook's properties, so two builds give the same bytes. */
const FIXED_DATE = new Date(Date.UTC(2025, 0, 1));

const UNIT_ZH: Record<string, string> = {
  persons: "人",
  "CNY per year": "元/年",
  "m²": "平方米",
  years: "周岁",
};

/** The columns a planner fills in (system columns are set by the importer). */
export function templateColumns(spec: TableSpec): ColumnSpec[] {
  return spec.columns.filter((c) => c.presence !== "system" && !c.transient);
}

function presenceText(c: ColumnSpec): string {
  if (c.presence === "required") return c.nullable ? "必填列（市级单位可留空）" : "必填";
  if (c.presence === "derived") return c.derivation ?? "可留空，自动推算";
  return "可选：不填为「未填报」";
}

/** The header a template column has: the codebook label, with its unit (a share has none: 85% and 0.85 both work). */
export function headerLabel(c: ColumnSpec): string {
  return c.unit && UNIT_ZH[c.unit] ? `${c.zh}（${UNIT_ZH[c.unit]}）` : c.zh;
}

/** The template workbook (exceljs), before it is written. */
export function buildTemplateWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "残联规划沙盘";
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.lastModifiedBy = "残联规划沙盘";

  const info = wb.addWorksheet("说明", {properties: {tabColor: {argb: "FF1F4E79"}}});
  info.columns = [
    {header: "表", key: "table", width: 10},
    {header: "表头（列名）", key: "zh", width: 24},
    {header: "英文列名", key: "name", width: 26},
    {header: "含义", key: "meaning", width: 60},
    {header: "单位", key: "unit", width: 10},
    {header: "允许值", key: "allowed", width: 36},
    {header: "是否必填", key: "presence", width: 40},
    {header: "示例", key: "example", width: 16},
  ];
  const intro = [
    "残联规划沙盘 · 数据填报模板",
    "1. 「单位」表：每行一个行政单位，从市到区县、街道/镇、社区/村，第一行为本市（上级单位代码留空）。社区/村填写服务状况；上级单位的常住人口可留空，自动按下级合计。",
    "2. 「人员」表：每行一名持证残疾人，只填统计所需的信息。请勿填写姓名、身份证号、残疾人证号、电话、住址：导入时这些列会被识别并删除。",
    "3. 数字可写 12,345、1.2万、85%；是/否列可写 是/否、有/无、√/×。日期可写 2024年3月5日、2024-03-05。",
    "4. 在「导入数据」页上传本文件；数据只在本机浏览器中处理和保存，不会上传。",
  ];
  info.spliceRows(1, 0, ...intro.map((t) => [t]), []);
  info.getRow(1).font = {bold: true, size: 14};
  const headerRowNumber = intro.length + 2;
  info.getRow(headerRowNumber).font = {bold: true};
  for (const spec of [unitsSpec, personsSpec]) {
    for (const c of [...templateColumns(spec), ...(spec === personsSpec ? [birthDateColumn] : [])]) {
      info.addRow({
        table: spec === unitsSpec ? "单位" : "人员",
        zh: headerLabel(c),
        name: c.name,
        meaning: c.description,
        unit: c.unit ? (UNIT_ZH[c.unit] ?? c.unit) : "",
        allowed: allowedText(c),
        presence: presenceText(c),
        example: c.example,
      });
    }
  }
  info.getColumn("meaning").alignment = {wrapText: true, vertical: "top"};

  for (const spec of [unitsSpec, personsSpec]) {
    const columns = templateColumns(spec);
    const ws = wb.addWorksheet(spec === unitsSpec ? "单位" : "人员", {views: [{state: "frozen", ySplit: 1}]});
    ws.columns = columns.map((c) => ({header: headerLabel(c), key: c.name, width: Math.max(10, headerLabel(c).length * 2 + 2)}));
    ws.getRow(1).font = {bold: true};
    ws.getRow(1).fill = {type: "pattern", pattern: "solid", fgColor: {argb: "FFDDEBF7"}};
    columns.forEach((c, i) => {
      const letter = ws.getColumn(i + 1).letter;
      ws.getCell(`${letter}1`).note = `${c.description}\n允许值：${allowedText(c)}\n${presenceText(c)}`;
      const list = c.kind === "bool" ? ["是", "否"] : c.kind === "enum" ? c.values!.map((v) => v.labels.find((l) => /[\u4e00-\u9fff]/.test(l)) ?? v.value) : null;
      if (!list) return;
      // Excel limits a list formula to 255 characters; these are short.
      for (let r = 2; r <= 2000; r++) {
        ws.getCell(`${letter}${r}`).dataValidation = {type: "list", allowBlank: true, formulae: [`"${list.join(",")}"`], showErrorMessage: true, errorTitle: "不在允许值之内", error: `允许：${list.join("、")}`};
      }
    });
  }
  return wb;
}

/** The template as .xlsx bytes, identical on every build. */
export async function templateXlsx(wb: ExcelJS.Workbook = buildTemplateWorkbook()): Promise<Uint8Array> {
  return normaliseZipTimes(new Uint8Array(await wb.xlsx.writeBuffer()));
}

/** One table's CSV template: the header row, UTF-8 with BOM (Excel opens it in Chinese). */
export function templateCsv(table: "units" | "persons"): string {
  return toCsv(templateColumns(table === "units" ? unitsSpec : personsSpec).map(headerLabel), []);
}
