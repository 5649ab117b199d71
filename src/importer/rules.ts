/**
 * Every rule the importer applies, with its English id (logs, tests, the manifest of bad inputs) and
 * the Chinese sentence a planner reads. A problem names file, sheet, row, column, value and rule.
 */

export const rules = {
  // Whole file
  empty_file: {zh: "文件为空", severity: "error"},
  binary_file: {zh: "不是文本或 Excel 文件（含二进制内容）", severity: "error"},
  unknown_encoding: {zh: "无法识别文件编码（不是 UTF-8、UTF-16，也不是 GBK/GB18030）", severity: "error"},
  mixed_encoding: {zh: "文件中途出现无效的 UTF-8 字节，可能混用了编码", severity: "error"},
  xls_unsupported: {zh: "无法读取这个旧版 Excel（.xls）或 WPS 表格（.et）文件，请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入", severity: "error"},
  encrypted_workbook: {zh: "Excel 文件设置了打开密码（已加密），无法读取：请在 Excel 或 WPS 中打开，取消密码后另存为 .xlsx 再导入", severity: "error"},
  // Files that are not tables at all, or tables in a format the importer does not read: named, with what to do.
  ods_file: {zh: "这是 OpenDocument 表格（.ods，LibreOffice 等保存），请在 LibreOffice 或 WPS 中另存为 .xlsx 后再导入", severity: "error"},
  numbers_file: {zh: "这是 Apple Numbers 表格（.numbers），请在 Numbers 中选择「文件 › 导出为 › Excel」存成 .xlsx 后再导入", severity: "error"},
  word_document: {zh: "这是 Word 文档，请把表格复制到 Excel 另存为 .xlsx", severity: "error"},
  presentation_file: {zh: "这是 PowerPoint 演示文稿，请把表格复制到 Excel 另存为 .xlsx", severity: "error"},
  pdf_file: {zh: "这是 PDF 文件，无法从中读取表格：请使用原始的 Excel 表格，或把表格复制到 Excel 另存为 .xlsx", severity: "error"},
  zip_archive: {zh: "这是 ZIP 压缩包，请先解压，再导入其中的 .xlsx、.xls 或 CSV 文件", severity: "error"},
  rar_archive: {zh: "这是 RAR 或 7z 压缩包，请先解压，再导入其中的 .xlsx、.xls 或 CSV 文件", severity: "error"},
  image_file: {zh: "这是图片，无法从图片中读取表格：请使用原始的 Excel 表格或 CSV 文件", severity: "error"},
  html_file: {zh: "这是网页（HTML）文件（一些系统导出的「.xls」其实是网页），请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入", severity: "error"},
  xml_spreadsheet: {zh: "这是 Excel 2003 XML 表格（.xml），请在 Excel 或 WPS 中打开，另存为 .xlsx 后再导入", severity: "error"},
  unreadable_xlsx: {zh: "无法读取 Excel 文件（文件损坏或不是 .xlsx）", severity: "error"},
  file_too_large: {zh: "文件过大", severity: "error"},
  unknown_table: {zh: "无法识别这是哪张表：表头既不像单位表也不像人员表", severity: "error"},
  no_units: {zh: "没有单位表：请提供单位表（可与人员表放在同一个 Excel 文件的不同工作表中）", severity: "error"},
  no_persons: {zh: "没有人员表：只导入了单位，人员相关指标将为空", severity: "warning"},
  // Structure
  unclosed_quote: {zh: "引号未闭合：此行起的引号直到文件末尾都没有结束，此行按原样拒绝，后续各行照常读取", severity: "error"},
  stray_quote: {zh: "引号位置不规范（右引号后紧跟其他字符），已按原样读取", severity: "warning"},
  ragged_row: {zh: "此行的列数与表头不一致", severity: "error"},
  missing_column: {zh: "缺少必需的列", severity: "error"},
  missing_optional_column: {zh: "缺少可选列，按「未填报」处理", severity: "warning"},
  extra_column: {zh: "未识别的列，已忽略", severity: "warning"},
  duplicate_column: {zh: "两列对应同一字段，只读取第一列", severity: "warning"},
  ignored_column: {zh: "此列由系统设定，文件中的值被忽略", severity: "warning"},
  // Cells
  required: {zh: "必填项为空", severity: "error"},
  not_a_number: {zh: "不是可识别的数字", severity: "error"},
  not_an_integer: {zh: "应为整数", severity: "error"},
  negative: {zh: "不能为负数", severity: "error"},
  rate_above_100: {zh: "比率超过 100%", severity: "error"},
  out_of_range: {zh: "超出允许范围", severity: "error"},
  not_a_boolean: {zh: "应为「是」或「否」", severity: "error"},
  not_allowed: {zh: "不在允许值之内", severity: "error"},
  bad_code: {zh: "代码只能由 2–24 位字母或数字组成", severity: "error"},
  too_long: {zh: "文字过长", severity: "error"},
  bad_date: {zh: "无法识别的日期", severity: "error"},
  excel_error: {zh: "单元格是 Excel 错误值", severity: "error"},
  formula_no_value: {zh: "公式单元格没有保存计算结果（请在 Excel 中打开并保存一次）", severity: "error"},
  schema: {zh: "不符合数据规范", severity: "error"},
  inconsistent: {zh: "与同一行的其他列相矛盾", severity: "error"},
  derived: {zh: "按其他列推算", severity: "warning"},
  alias_value: {zh: "按近义值读取", severity: "warning"},
  // Across rows
  duplicate_unit_code: {zh: "单位代码重复", severity: "error"},
  duplicate_person_id: {zh: "人员序号重复", severity: "error"},
  no_city: {zh: "缺少市级单位（上级单位代码为空的那一行）", severity: "error"},
  several_cities: {zh: "有多个市级单位", severity: "error"},
  orphan_unit: {zh: "上级单位不存在", severity: "error"},
  parent_rejected: {zh: "上级单位所在行被拒绝", severity: "error"},
  level_mismatch: {zh: "层级与上级单位不相符", severity: "error"},
  code_mismatch: {zh: "与按上级单位推算的代码不一致", severity: "error"},
  parts_exceed_whole: {zh: "下级单位常住人口之和超过本单位常住人口", severity: "error"},
  orphan_person: {zh: "所属社区不存在", severity: "error"},
  community_rejected: {zh: "所属社区所在行被拒绝", severity: "error"},
  not_a_community: {zh: "所属单位不是社区/村", severity: "error"},
  // Office tables (统计表: names instead of codes, 小计/合计 rows, counts per community)
  duplicate_row: {zh: "与前面某行完全相同（重复粘贴），只保留一次", severity: "warning"},
  duplicate_unit_name: {zh: "同一单位出现两次且数字不同", severity: "error"},
  missing_name: {zh: "没有单位名称，无法归入任何单位", severity: "error"},
  ambiguous_name: {zh: "名称对应多个单位，无法确定是哪一个", severity: "error"},
  counts_inconsistent: {zh: "同一行的人数相互矛盾（部分超过总数，或各类之和不等于总数）", severity: "error"},
  rate_mismatch: {zh: "比率与同一行的人数不符", severity: "warning"},
  subtotal_mismatch: {zh: "小计与所含各行之和不符", severity: "warning"},
  total_mismatch: {zh: "合计与各行之和不符", severity: "warning"},
  summary_mismatch: {zh: "汇总表与各社区数据之和不符", severity: "warning"},
  counts_vs_persons: {zh: "统计表的人数与人员名单不符", severity: "warning"},
  // Personal data
  pii_column: {zh: "此列含个人信息，已删除（不存储、不显示、不导出）", severity: "warning"},
  pii_value: {zh: "单元格含个人信息（已删除），此行被拒绝", severity: "error"},
} as const satisfies Record<string, {zh: string; severity: "error" | "warning"}>;

export type RuleId = keyof typeof rules;
export type Severity = "error" | "warning";

/** One problem: where (file, sheet, spreadsheet row, column as written), the value, and the rule. */
export interface ImportProblem {
  file: string;
  /** Worksheet name; "CSV" for a CSV/TSV file. */
  sheet: string;
  /** Row number as the spreadsheet shows it (header rows counted); null for a whole-sheet problem. */
  row: number | null;
  /** Column header as written in the file (or the codebook's Chinese label); null for a whole-row problem. */
  column: string | null;
  /** Dataset column the header maps to, when it maps. */
  field: string | null;
  /** The cell as text, shortened; personal data never appears here. */
  value: string;
  rule: RuleId;
  /** The Chinese sentence: the rule's text, made specific ("比率超过 100%（120%）"). */
  message: string;
  severity: Severity;
}

/** A problem that stops a whole file (empty, binary, unreadable): thrown, caught by importFiles. */
export class ImportError extends Error {
  constructor(
    readonly rule: RuleId,
    readonly detail: string = "",
    readonly file: string = "",
  ) {
    super(`${file ? `${file}: ` : ""}${rules[rule].zh}${detail ? `（${detail}）` : ""} [${rule}]`);
    this.name = "ImportError";
  }
}

const MAX_VALUE_CHARS = 80;

/** A cell value as shown in a problem list: one line, at most 80 characters, length said when cut. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  const line = text.replace(/[\r\n\t]+/g, " ");
  return line.length > MAX_VALUE_CHARS ? `${line.slice(0, MAX_VALUE_CHARS)}…（共 ${line.length.toLocaleString("en-US")} 字）` : line;
}

/**
 * One problem as a line of text — the same words on the command line (build-time route) and in the
 * browser's problem list: file, sheet, row, column, value, rule.
 */
export function formatProblem(p: ImportProblem): string {
  const where = [p.file, p.sheet && p.sheet !== "CSV" ? `工作表「${p.sheet}」` : "", p.row !== null ? `第 ${p.row} 行` : "", p.column !== null ? `列「${p.column}」` : ""].filter(Boolean).join(" ");
  const value = p.value !== "" ? ` 值「${p.value}」` : "";
  return `${p.severity === "error" ? "错误" : "提示"}：${where}${value}：${p.message} [${p.rule}]`;
}
