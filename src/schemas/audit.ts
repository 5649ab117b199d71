import {z} from "zod";
import {column, dataset} from "./column.js";

/**
 * The consistency audit (一致性核查) of the figures catalogue: rates, shares, sums and products
 * recomputed from the counts a document gives (checks listed in `data/audit/checks.yaml`), targets of one
 * indicator that disagree within a document, and figures the text leaves blank (`20*年`, `___人`).
 */

/** What a finding is about. */
export const auditKinds = ["sum", "ratio", "product", "conflict", "blank"] as const;
/** error: the figures cannot all be right; warning: a reader must decide (a conflict, a blank, agreement only if truncated); info: worth a look (a plan against what was done). */
export const auditSeverities = ["error", "warning", "info"] as const;

const figureId = z.string().regex(/^\d{3}-\d{3}$/, "a figure id of the catalogue, e.g. 004-041");
const label = z.strictObject({zh: z.string().min(1), en: z.string().min(1)});

/** What every recomputation has: a stable id, an optional severity override and a note for the reader. */
const checkBase = {
  id: z.string().regex(/^\d{3}-[a-z0-9-]+$/, "check id: <doc>-<kebab-case name>"),
  severity: z.enum(auditSeverities).optional(),
  /** Appended to the finding's message (zh, en). */
  note: label.optional(),
};

/** A recomputation, as written in `data/audit/checks.yaml`. */
export const auditCheck = z.discriminatedUnion("kind", [
  /** `total` = the sum of `parts`. */
  z.strictObject({...checkBase, kind: z.literal("sum"), total: figureId, parts: z.array(figureId).min(2)}),
  /** `rate` (%, ‰ or a plain ratio) = `numerator` / `denominator`. */
  z.strictObject({...checkBase, kind: z.literal("ratio"), rate: figureId, numerator: figureId, denominator: figureId}),
  /** `total` = the product of `factors` (e.g. districts × streets sampled per district). */
  z.strictObject({...checkBase, kind: z.literal("product"), total: figureId, factors: z.array(figureId).min(2)}),
]);
export type AuditCheck = z.infer<typeof auditCheck>;

/** Two targets of one indicator the reader should not take for a conflict (e.g. a stage and a final goal). */
export const conflictException = z.strictObject({
  figures: z.array(figureId).min(2),
  reason: z.string().min(2),
});

/** The file `data/audit/checks.yaml`. */
export const auditChecksFile = z.strictObject({
  checks: z.array(auditCheck).default([]),
  not_conflicts: z.array(conflictException).default([]),
});
export type AuditChecksFile = z.infer<typeof auditChecksFile>;

/** One finding of the audit: what disagrees, by how much, and the quotes to read side by side. */
export const auditRow = z.object({
  id: column(z.string().min(1), {zh: "编号", en: "Finding id", description: "<document number>-<check name>, <doc>-conflict-<indicator> or <doc>-blank-<seq>."}),
  document: column(z.string().regex(/^\d{3}_[0-9a-f]+\.txt$/), {zh: "来源文件", en: "Source document", description: "File name of the source document in data/sources/."}),
  kind: column(z.enum(auditKinds), {zh: "核查类型", en: "Check kind", description: "sum 合计, ratio 比率, product 乘积, conflict 目标冲突, blank 数字留空."}),
  severity: column(z.enum(auditSeverities), {zh: "严重程度", en: "Severity", description: "error: the figures cannot all be right; warning: a reader must decide (conflicting targets, a blank, agreement only if truncated); info: worth a look (a plan against what was done)."}),
  message_zh: column(z.string().min(1), {zh: "说明", en: "Message (zh)", description: "What disagrees, in Chinese."}),
  message_en: column(z.string().min(1), {zh: "说明（英文）", en: "Message", description: "What disagrees, in English."}),
  expected: column(z.number().finite().nullable(), {zh: "重算值", en: "Expected", description: "The value recomputed from the other figures, in the reported figure's unit; null for conflicts and blanks."}),
  reported: column(z.number().finite().nullable(), {zh: "原文值", en: "Reported", description: "The value the document gives; for a conflict, the first of the differing targets; null for blanks."}),
  unit: column(z.string().min(1).nullable(), {zh: "单位", en: "Unit", description: "Unit of expected and reported."}),
  figure_a: column(figureId.nullable(), {zh: "原文数据编号", en: "Reported figure", description: "Figure id of the reported value (the rate, the total, the first target)."}),
  quote_a: column(z.string().min(1), {zh: "原文摘录", en: "Quote", description: "Quote of the reported figure, or the passage with the blank."}),
  figure_b: column(z.string().min(1).nullable(), {zh: "对照数据编号", en: "Compared figures", description: "Figure id(s) the value is recomputed from or conflicts with, joined by “, ”."}),
  quote_b: column(z.string().min(1).nullable(), {zh: "对照摘录", en: "Compared quote", description: "Their quote(s), joined by “ … ” when they differ."}),
});
export type AuditRow = z.infer<typeof auditRow>;

export const audit = dataset({
  name: "audit",
  title: {zh: "来源数据一致性核查", en: "Consistency audit of the source figures"},
  description: "Mismatches between figures of a document and what its other figures imply, conflicting targets, and figures left blank, each with both quotes.",
  row: auditRow,
  sortKey: ["id"],
});
