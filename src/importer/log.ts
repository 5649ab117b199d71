import {displayValue, rules, type ImportProblem, type RuleId} from "./rules.js";
import type {TableName} from "./tables.js";

/**
 * The problem list and the rejected rows of an import. Counts are always exact; the stored lists stop
 * at a cap (a 100 MB file with a systematic error would otherwise hold millions of entries), and the
 * page says when they did.
 */
export class ProblemLog {
  readonly problems: ImportProblem[] = [];
  readonly byRule = new Map<RuleId, number>();
  count = 0;
  errors = 0;
  warnings = 0;

  constructor(readonly max = 50_000) {}

  add(p: Omit<ImportProblem, "severity" | "message" | "value"> & {value?: unknown; message?: string}): ImportProblem {
    const rule = rules[p.rule];
    const problem: ImportProblem = {
      file: p.file,
      sheet: p.sheet,
      row: p.row,
      column: p.column,
      field: p.field,
      value: typeof p.value === "string" && p.value.startsWith("（") && p.value.endsWith("）") ? p.value : displayValue(p.value),
      rule: p.rule,
      message: p.message ?? rule.zh,
      severity: rule.severity,
    };
    this.count++;
    if (problem.severity === "error") this.errors++;
    else this.warnings++;
    this.byRule.set(p.rule, (this.byRule.get(p.rule) ?? 0) + 1);
    if (this.problems.length < this.max) this.problems.push(problem);
    return problem;
  }

  get truncated(): boolean {
    return this.count > this.problems.length;
  }
}

/** A rejected row as the planner downloads it: the file's own columns (personal data removed) and why. */
export interface RejectedRow {
  table: TableName;
  file: string;
  sheet: string;
  row: number;
  /** Cells by the file's header, personal-data columns left out. */
  values: Record<string, string>;
  /** The rules the row broke, in Chinese, joined. */
  reasons: string;
}

export class RejectedLog {
  readonly rows: RejectedRow[] = [];
  count = 0;
  /** Every header seen per table, in order, for the download's columns. */
  readonly headers = new Map<TableName, string[]>();

  constructor(readonly max = 100_000) {}

  add(row: RejectedRow): void {
    this.count++;
    if (this.rows.length < this.max) this.rows.push(row);
  }

  noteHeaders(table: TableName, headers: string[]): void {
    const list = this.headers.get(table) ?? [];
    for (const h of headers) if (!list.includes(h)) list.push(h);
    this.headers.set(table, list);
  }

  get truncated(): boolean {
    return this.count > this.rows.length;
  }
}
