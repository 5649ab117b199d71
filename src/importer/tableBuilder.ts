import type {z} from "zod";
import {convertCell, isBlankCell, type Cell} from "./convert.js";
import type {HeaderMatch, MappedColumn} from "./headers.js";
import {ProblemLog, RejectedLog} from "./log.js";
import {piiKindLabels, piiKindOfValue} from "./pii.js";
import {displayValue, rules, type ImportProblem, type RuleId} from "./rules.js";
import type {ColumnSpec, TableSpec} from "./tables.js";

/** One table's worth of a source (a worksheet or a CSV file), after its header was found. */
export interface SourceContext {
  file: string;
  sheet: string;
  header: HeaderMatch;
  /** Mapped columns, personal-data columns removed. */
  mapped: MappedColumn[];
  /** Spreadsheet row number of the (last) header row. */
  headerRow: number;
  /** Columns kept for the rejected-rows download: every column but personal data. */
  kept: {index: number; header: string}[];
  /** Required columns the file lacks: every row of this source is rejected. */
  missingRequired: ColumnSpec[];
}

/** A data row as read: its spreadsheet row number and cells; a structural problem found by the reader. */
export interface RawRow {
  row: number;
  cells: Cell[];
  issue?: {rule: RuleId; message: string; column?: string};
}

/** Counts per source: rows in = accepted + rejected (blank rows are not rows). */
export interface SourceCounts {
  rowsIn: number;
  accepted: number;
  rejected: number;
  blank: number;
}

export type Values = Record<string, string | number | boolean | null>;

/** A row on its way through: its values so far and the problems found. */
export interface Draft {
  ctx: SourceContext;
  row: number;
  cells: Cell[];
  values: Values;
  errors: number;
  reasons: string[];
  counts: SourceCounts;
}

/** Maps zod's issue to the importer's rule and a specific Chinese sentence. */
export function zodIssueRule(issue: z.core.$ZodIssue, spec: ColumnSpec | undefined, value: unknown): {rule: RuleId; message: string} {
  const i = issue as z.core.$ZodIssue & {minimum?: number | bigint; maximum?: number | bigint; origin?: string};
  switch (i.code) {
    case "invalid_type":
      if (value === null || value === undefined) return {rule: "required", message: "必填项为空"};
      if (i.expected === "int") return {rule: "not_an_integer", message: `应为整数（读作 ${String(value)}）`};
      return {rule: "schema", message: `类型不符（应为 ${i.expected}）`};
    case "too_small":
      if (i.origin === "number" && Number(i.minimum) === 0) return {rule: "negative", message: `不能为负数（读作 ${String(value)}）`};
      if (i.origin === "string") return {rule: "required", message: "必填项为空"};
      return {rule: "out_of_range", message: `超出允许范围（最小 ${String(i.minimum)}，读作 ${String(value)}）`};
    case "too_big":
      if (i.origin === "number" && spec?.kind === "share") {
        const pct = Number(`${value as number}e2`);
        return {rule: "rate_above_100", message: `比率超过 100%（读作 ${pct}%${pct >= 100 && pct <= 10000 && Number.isInteger(value) ? `；若指 ${value as number}%，请写作 ${value as number}%` : ""}）`};
      }
      if (i.origin === "string") return {rule: "too_long", message: `文字过长（最多 ${String(i.maximum)} 字，此处 ${String(value).length.toLocaleString("en-US")} 字）`};
      return {rule: "out_of_range", message: `超出允许范围（最大 ${String(i.maximum)}，读作 ${String(value)}）`};
    case "invalid_format":
      return {rule: "bad_code", message: rules.bad_code.zh};
    case "invalid_value":
      return value === null || value === undefined ? {rule: "required", message: "必填项为空"} : {rule: "not_allowed", message: "不在允许值之内"};
    default:
      return {rule: "schema", message: `不符合数据规范（${i.message}）`};
  }
}

/**
 * What both tables share: reading a row's cells by the header mapping, masking personal data,
 * recording problems and rejected rows, keeping the counts honest.
 */
export abstract class TableBuilder {
  readonly counts = new Map<SourceContext, SourceCounts>();
  private readonly strict: z.ZodObject;

  constructor(
    readonly spec: TableSpec,
    readonly problems: ProblemLog,
    readonly rejected: RejectedLog,
  ) {
    this.strict = spec.dataset.row.strict();
  }

  countsFor(ctx: SourceContext): SourceCounts {
    let c = this.counts.get(ctx);
    if (!c) this.counts.set(ctx, (c = {rowsIn: 0, accepted: 0, rejected: 0, blank: 0}));
    return c;
  }

  /** Reads one data row: blank rows are counted and skipped; others become a draft. */
  protected read(ctx: SourceContext, raw: RawRow): Draft | null {
    const counts = this.countsFor(ctx);
    if (!raw.issue && raw.cells.every(isBlankCell)) {
      counts.blank++;
      return null;
    }
    counts.rowsIn++;
    const draft: Draft = {ctx, row: raw.row, cells: raw.cells, values: {}, errors: 0, reasons: [], counts};
    if (raw.issue) {
      this.problem(draft, null, raw.issue.rule, "", raw.issue.message, raw.issue.column);
      return draft;
    }
    if (ctx.missingRequired.length) {
      draft.errors++;
      draft.reasons.push(`缺少必需的列：${ctx.missingRequired.map((c) => c.zh).join("、")}`);
      return draft;
    }
    // Personal data in a kept column: the value is masked everywhere and the row rejected.
    const masked = new Set<number>();
    for (const {index, header} of ctx.kept) {
      const kind = piiKindOfValue(raw.cells[index] ?? null);
      if (kind) {
        masked.add(index);
        const mapped = ctx.mapped.find((m) => m.index === index);
        this.problem(draft, mapped ?? null, "pii_value", `（已删除的${piiKindLabels[kind]}）`, `单元格含个人信息（${piiKindLabels[kind]}），已删除，此行被拒绝`, header);
        raw.cells[index] = `（已删除的${piiKindLabels[kind]}）`;
      }
    }
    for (const m of ctx.mapped) {
      if (masked.has(m.index)) {
        draft.values[m.spec.name] = undefined as never;
        continue;
      }
      const cell = raw.cells[m.index] ?? null;
      const result = convertCell(cell, m.spec, m.percent);
      if (result.ok) {
        draft.values[m.spec.name] = result.value;
        if (result.warning) this.problem(draft, m, result.warning.rule, cell, result.warning.message);
      } else {
        draft.values[m.spec.name] = undefined as never;
        this.problem(draft, m, result.rule, cell, result.message);
      }
    }
    return draft;
  }

  /** Records a problem against a row (and counts an error against it). */
  problem(draft: Draft, mapped: MappedColumn | ColumnSpec | null, rule: RuleId, value: unknown, message?: string, column?: string): ImportProblem {
    const spec = mapped && "spec" in mapped ? mapped.spec : (mapped as ColumnSpec | null);
    const header = column ?? (mapped && "spec" in mapped ? mapped.header : spec ? this.headerOf(draft.ctx, spec) : null);
    const p = this.problems.add({
      file: draft.ctx.file,
      sheet: draft.ctx.sheet,
      row: draft.row,
      column: header,
      field: spec?.name ?? null,
      value: value instanceof Object && !(value instanceof Date) ? String(value) : value,
      rule,
      message,
    });
    if (p.severity === "error") {
      draft.errors++;
      draft.reasons.push(`${header ? `${header}：` : ""}${p.message}`);
    }
    return p;
  }

  /** The header a column has in this source, or its codebook label when the file lacks it. */
  headerOf(ctx: SourceContext, spec: ColumnSpec): string {
    return ctx.mapped.find((m) => m.spec.name === spec.name)?.header ?? spec.zh;
  }

  /** Validates a complete row with the dataset's own zod schema; problems name the column. */
  validate(draft: Draft, row: Values): boolean {
    const result = this.strict.safeParse(row);
    if (result.success) return true;
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? "");
      if (draft.values[name] === (undefined as never) && name in draft.values) continue; // already reported by the reader
      const spec = this.spec.columns.find((c) => c.name === name);
      const value = row[name];
      const {rule, message} = zodIssueRule(issue, spec, value);
      const mapped = draft.ctx.mapped.find((m) => m.spec.name === name);
      this.problem(draft, mapped ?? spec ?? null, rule, mapped ? draft.cells[mapped.index] ?? value : value, message);
    }
    return false;
  }

  /** Counts a finished row and, when rejected, keeps its cells for the download. */
  settle(draft: Draft): boolean {
    if (draft.errors === 0) {
      draft.counts.accepted++;
      return true;
    }
    draft.counts.rejected++;
    const values: Record<string, string> = {};
    for (const {index, header} of draft.ctx.kept) {
      const cell = draft.cells[index];
      values[header] = cell === null || cell === undefined ? "" : cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell);
    }
    this.rejected.add({table: this.spec.name, file: draft.ctx.file, sheet: draft.ctx.sheet, row: draft.row, values, reasons: [...new Set(draft.reasons)].join("；")});
    return false;
  }

  abstract add(ctx: SourceContext, raw: RawRow): void;
}

export {displayValue};
