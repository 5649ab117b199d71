import {z} from "zod";
import {column, dataset} from "./column.js";

/**
 * The source documents (来源文件): what each is, how normalisation changed it, and how much of it the
 * figures catalogue covers (every digit number is a figure's or an ignored passage's).
 */
export const sourceRow = z.object({
  document: column(z.string().regex(/^\d{3}_[0-9a-f]+\.txt$/), {zh: "来源文件", en: "Source document", description: "File name in data/sources/, the id every figure cites."}),
  title: column(z.string().min(1), {zh: "内容", en: "Description", description: "What the document is, from data/sources/README.md."}),
  original_chars: column(z.number().int().nonnegative(), {zh: "原文字数", en: "Original length", unit: "characters", description: "Unicode code points of the document as scraped."}),
  normalised_chars: column(z.number().int().nonnegative(), {zh: "规范化后字数", en: "Normalised length", unit: "characters", description: "Code points after the pinyin annotations are removed."}),
  annotations_removed: column(z.number().int().nonnegative(), {zh: "删除的拼音注音数", en: "Pinyin annotations removed", description: "How many `(lián)`-style annotations normalisation removed."}),
  numbers: column(z.number().int().nonnegative(), {zh: "数字个数", en: "Numbers", unit: "numbers", description: "Digit numbers (Arabic or full-width) in the normalised text."}),
  covered: column(z.number().int().nonnegative(), {zh: "已覆盖数字", en: "Numbers covered", unit: "numbers", description: "Numbers inside a catalogued figure's quote or an ignored passage."}),
  coverage: column(z.number().min(0).max(1).nullable(), {zh: "覆盖率", en: "Coverage", unit: "share 0–1", description: "covered / numbers; null for a document without numbers."}),
  figures: column(z.number().int().nonnegative(), {zh: "数据条数", en: "Figures", description: "Figures catalogued from the document."}),
  ignored: column(z.number().int().nonnegative(), {zh: "不计入条数", en: "Ignored passages", description: "Passages whose numbers are not figures, each with a reason."}),
});
export type SourceRow = z.infer<typeof sourceRow>;

export const sources = dataset({
  name: "sources",
  title: {zh: "来源文件与覆盖率", en: "Source documents and catalogue coverage"},
  description: "One row per source document: description, normalisation, and the share of its numbers the figures catalogue accounts for.",
  row: sourceRow,
  sortKey: ["document"],
});
