import type {z} from "zod";
import type {Dataset} from "../column.js";
import {columnTypes} from "../columnTypes.js";
import type {Queryable, SqlValue} from "../../engine/queryable.js";
import {placeholders, quoteIdentifier} from "../../engine/sql.js";

/**
 * A dataset's contract checked in SQL, for tables too large to validate row by row with zod: column
 * names and types, non-null columns, enums, numeric ranges, string lengths and patterns (all read from
 * the zod schema), plus any extra rules (foreign keys, hierarchy). Each rule is a query counting the
 * rows that break it.
 */
export interface ContractRule {
  /** Column (or `(row)`, `(table)`) the rule is about. */
  column: string;
  /** The rule in words, e.g. "grade between 1 and 4". */
  rule: string;
  /** A boolean SQL expression that is TRUE for a row breaking the rule, over the checked table. */
  violation: string;
  params?: readonly SqlValue[];
}

export interface ContractViolation {
  dataset: string;
  column: string;
  rule: string;
  rows: number;
  /** The first breaking row, as JSON. */
  example: string;
}

export class ContractError extends Error {
  constructor(readonly violations: ContractViolation[]) {
    super(
      `${violations.length} contract rule(s) broken\n` +
        violations.map((v) => `  ${v.dataset}, column ${v.column}: ${v.rule} — ${v.rows} row(s), e.g. ${v.example}`).join("\n"),
    );
  }
}

interface ZodNode {
  def: {type: string; checks?: {_zod: {def: Record<string, unknown>}}[]};
  options?: readonly string[];
  unwrap?: () => ZodNode;
  minValue?: number | null;
  maxValue?: number | null;
}

/** The rules a column's zod schema states, as SQL (nullability, enum, range, length, pattern). */
export function columnRules(name: string, schema: z.ZodType): ContractRule[] {
  const col = quoteIdentifier(name);
  let node = schema as unknown as ZodNode;
  let nullable = false;
  while (node.def.type === "nullable" || node.def.type === "optional") {
    nullable = true;
    node = node.unwrap!();
  }
  const rules: ContractRule[] = [];
  if (!nullable) rules.push({column: name, rule: "not null", violation: `${col} IS NULL`});
  if (node.def.type === "enum") {
    const options = [...(node.options ?? [])];
    rules.push({column: name, rule: `one of ${options.join(", ")}`, violation: `${col} NOT IN (${placeholders(options.length)})`, params: options});
  }
  if (node.def.type === "number") {
    if (node.minValue !== null && node.minValue !== undefined && Number.isFinite(node.minValue) && node.minValue > Number.MIN_SAFE_INTEGER)
      rules.push({column: name, rule: `at least ${node.minValue}`, violation: `${col} < ?`, params: [node.minValue]});
    if (node.maxValue !== null && node.maxValue !== undefined && Number.isFinite(node.maxValue) && node.maxValue < Number.MAX_SAFE_INTEGER)
      rules.push({column: name, rule: `at most ${node.maxValue}`, violation: `${col} > ?`, params: [node.maxValue]});
  }
  for (const check of node.def.checks ?? []) {
    const def = check._zod.def;
    if (def.check === "min_length") rules.push({column: name, rule: `length at least ${def.minimum}`, violation: `length(${col}) < ?`, params: [def.minimum as number]});
    if (def.check === "max_length") rules.push({column: name, rule: `length at most ${def.maximum}`, violation: `length(${col}) > ?`, params: [def.maximum as number]});
    if (def.check === "string_format" && def.format === "regex") {
      const pattern = (def.pattern as RegExp).source;
      rules.push({column: name, rule: `matches ${pattern}`, violation: `NOT regexp_full_match(${col}, ?)`, params: [pattern]});
    }
  }
  return rules;
}

/** Every rule the dataset's schema states, column by column. */
export function schemaRules<Shape extends z.ZodRawShape>(dataset: Dataset<Shape>): ContractRule[] {
  return Object.entries(dataset.row.shape).flatMap(([name, schema]) => columnRules(name, schema as unknown as z.ZodType));
}

/**
 * Checks a table against a dataset's contract: the columns and their types in schema order, every
 * schema rule and every extra rule. Throws a ContractError listing each broken rule with a count and
 * an example row; returns the number of rows checked.
 */
export async function checkContract<Shape extends z.ZodRawShape>(db: Queryable, dataset: Dataset<Shape>, table: string, extra: readonly ContractRule[] = []): Promise<number> {
  const violations: ContractViolation[] = [];
  const described = await db.query<{column_name: string; column_type: string}>(`DESCRIBE ${quoteIdentifier(table)}`);
  const expected = columnTypes(dataset.row as unknown as z.ZodObject);
  const actual = described.map((c) => `${c.column_name} ${c.column_type}`).join(", ");
  const wanted = expected.map((c) => `${c.name} ${c.type}`).join(", ");
  if (actual !== wanted) violations.push({dataset: dataset.name, column: "(table)", rule: `columns ${wanted}`, rows: 0, example: actual});

  for (const r of [...schemaRules(dataset), ...extra]) {
    const [{rows}] = await db.query<{rows: number}>(`SELECT count(*) AS rows FROM ${quoteIdentifier(table)} WHERE ${r.violation}`, r.params ?? []);
    if (rows > 0) {
      const [example] = await db.query(`SELECT * FROM ${quoteIdentifier(table)} WHERE ${r.violation} LIMIT 1`, r.params ?? []);
      violations.push({dataset: dataset.name, column: r.column, rule: r.rule, rows, example: JSON.stringify(example)});
    }
  }
  if (violations.length) throw new ContractError(violations);
  const [{n}] = await db.query<{n: number}>(`SELECT count(*) AS n FROM ${quoteIdentifier(table)}`);
  return n;
}
