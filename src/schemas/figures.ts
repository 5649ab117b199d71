import {z} from "zod";
import {column, dataset} from "./column.js";

/**
 * The figures catalogue (数据摘录): every quantitative figure of the source documents, curated by hand in
 * `data/figures/<doc>.yaml` and checked by `loaders/figures/checkCatalogue.ts` (quote found, value in quote,
 * every number of the document catalogued or ignored with a reason).
 */

/** What a figure is: a reported result, a goal, a rule-set level, money allotted, or a planned quantity. */
export const figureKinds = ["achieved", "target", "standard", "budget", "plan"] as const;
export const figureKindLabels: Record<(typeof figureKinds)[number], string> = {
  achieved: "实际完成", target: "目标", standard: "标准", budget: "经费", plan: "计划",
};

/** Administrative level of the place a figure is about (simplified script, whatever the document's script). */
export const figureLevels = ["国家", "省", "市", "区", "县", "街道", "镇", "乡", "社区", "村"] as const;

/**
 * Units a figure's value is expressed in. `10k …` and `100m …` mean the value is in 万 / 亿 of the base
 * unit, as the document writes it (4250.77万元 → 4250.77, unit `10k yuan`). Add a unit here when a
 * document needs one; the checker reads the multiplier from the prefix.
 */
export const figureUnits = [
  "persons", "10k persons", "person-times", "10k person-times", "households",
  "yuan", "10k yuan", "100m yuan",
  "yuan per person", "yuan per household", "yuan per person per month", "yuan per person per year", "yuan per household per month", "yuan per month", "yuan per year",
  "%", "‰", "m²", "km", "km²", "tonnes", "characters", "10k characters",
  "posts", "units", "places", "pieces", "sessions", "items", "points",
  "years", "months", "days", "times", "times per month", "times per two months", "times per year",
] as const;
export type FigureUnit = (typeof figureUnits)[number];

/** Multiplier of a unit's prefix: 1 for base units, 10 000 for `10k …`, 100 000 000 for `100m …`. */
export function unitMultiplier(unit: string): number {
  if (unit.startsWith("10k ")) return 1e4;
  if (unit.startsWith("100m ")) return 1e8;
  return 1;
}

const documentName = z.string().regex(/^\d{3}_[0-9a-f]+\.txt$/, "document must be a file name in data/sources, e.g. 004_f20733b96c2a913c.txt");
const indicatorKey = z.string().regex(/^[a-z][a-z0-9_]*$/, "indicator must be a snake_case key of data/figures/indicators.yaml");

/** One catalogued figure as written in `data/figures/<doc>.yaml`. */
export const catalogueFigure = z.strictObject({
  id: z.string().regex(/^\d{3}-\d{3}$/, "id must be <doc>-<3-digit seq>, e.g. 004-001"),
  section: z.string().min(1),
  indicator: indicatorKey,
  value: z.number().finite(),
  unit: z.enum(figureUnits),
  kind: z.enum(figureKinds),
  place: z.string().min(1).nullable(),
  level: z.enum(figureLevels).nullable(),
  year: z.number().int().min(1949).max(2100).nullable(),
  quote: z.string().min(1),
});
export type CatalogueFigure = z.infer<typeof catalogueFigure>;

/** A number of the document that is not a figure (page chrome, dates, list numbering …), and why. */
export const catalogueIgnored = z.strictObject({
  quote: z.string().min(1),
  reason: z.string().min(2),
});
export type CatalogueIgnored = z.infer<typeof catalogueIgnored>;

/** One catalogue file: `data/figures/<first 3 chars of document>.yaml`. */
export const catalogueFile = z.strictObject({
  document: documentName,
  figures: z.array(catalogueFigure).default([]),
  ignored: z.array(catalogueIgnored).default([]),
});
export type CatalogueFile = z.infer<typeof catalogueFile>;

/** The same file with its entries unchecked, so one broken entry does not hide the others' results. */
export const catalogueEnvelope = z.strictObject({
  document: documentName,
  figures: z.array(z.unknown()).default([]),
  ignored: z.array(z.unknown()).default([]),
});

/** The controlled vocabulary of indicators: `data/figures/indicators.yaml`, key → labels. */
export const indicatorVocabulary = z.record(indicatorKey, z.strictObject({zh: z.string().min(1), en: z.string().min(1)}));
export type IndicatorVocabulary = z.infer<typeof indicatorVocabulary>;

/** One row of the published `figures` dataset: a catalogue entry with labels and where its quote is. */
export const figureRow = z.object({
  id: column(z.string().regex(/^\d{3}-\d{3}$/), {zh: "编号", en: "Figure id", description: "<document number>-<sequence>, unique across the catalogue."}),
  document: column(documentName, {zh: "来源文件", en: "Source document", description: "File name of the source document in data/sources/."}),
  section: column(z.string().min(1), {zh: "章节", en: "Section", description: "Nearest heading above the figure, as written in the document."}),
  indicator: column(indicatorKey, {zh: "指标代码", en: "Indicator key", description: "Key of the controlled indicator vocabulary (data/figures/indicators.yaml)."}),
  indicator_zh: column(z.string().min(1), {zh: "指标", en: "Indicator (zh)", description: "Chinese label of the indicator."}),
  indicator_en: column(z.string().min(1), {zh: "指标（英文）", en: "Indicator", description: "English label of the indicator."}),
  value: column(z.number().finite(), {zh: "数值", en: "Value", description: "The figure as the document means it, in `unit` (60 for 60%, 4250.77 for 4250.77万元 in 10k yuan)."}),
  unit: column(z.enum(figureUnits), {zh: "单位", en: "Unit", description: "Unit of value; `10k …` is 万, `100m …` is 亿 of the base unit."}),
  kind: column(z.enum(figureKinds), {zh: "类型", en: "Kind", description: "achieved 实际完成, target 目标, standard 标准, budget 经费, plan 计划."}),
  place: column(z.string().min(1).nullable(), {zh: "地点", en: "Place", description: "Place the figure is about, as written (anonymised names kept); null if none is named."}),
  level: column(z.enum(figureLevels).nullable(), {zh: "层级", en: "Level", description: "Administrative level of the place: 国家, 省, 市, 区, 县, 街道, 镇, 乡, 社区, 村."}),
  year: column(z.number().int().nullable(), {zh: "年份", en: "Year", description: "Year the figure refers to, where the document states it."}),
  quote: column(z.string().min(1), {zh: "原文", en: "Quote", description: "Exact passage of the normalised document text (pinyin annotations removed) holding the figure."}),
  quote_offset: column(z.number().int().nonnegative(), {zh: "原文位置", en: "Quote offset", unit: "characters", description: "Position of the quote in the normalised text, in Unicode code points from the start (0-based)."}),
  original_offset: column(z.number().int().nonnegative(), {zh: "原始文本位置", en: "Offset in original", unit: "characters", description: "Position of the quote's first character in the document as scraped, in Unicode code points (0-based)."}),
});
export type FigureRow = z.infer<typeof figureRow>;

export const figures = dataset({
  name: "figures",
  title: {zh: "来源文件数据摘录", en: "Figures catalogue of the source documents"},
  description: "Every quantitative figure a planner could use from the five source documents, one row each, with its exact quote.",
  row: figureRow,
  sortKey: ["id"],
});

/** One number-holding passage of a document that is not a figure, with the reason (the other half of coverage). */
export const figureIgnoredRow = z.object({
  document: column(documentName, {zh: "来源文件", en: "Source document", description: "File name of the source document in data/sources/."}),
  seq: column(z.number().int().positive(), {zh: "序号", en: "Sequence", description: "Position of the entry in the document's catalogue file (1-based)."}),
  quote: column(z.string().min(1), {zh: "原文", en: "Quote", description: "Exact passage of the normalised text; every place it occurs is ignored."}),
  reason: column(z.string().min(2), {zh: "不计入原因", en: "Reason", description: "Why its numbers are not figures: page chrome, file metadata, date, list numbering, phone number, anecdote …"}),
  numbers: column(z.number().int().positive(), {zh: "数字个数", en: "Numbers", unit: "numbers", description: "Digit numbers in the quote."}),
  occurrences: column(z.number().int().positive(), {zh: "出现次数", en: "Occurrences", description: "How many times the quote occurs in the normalised text."}),
});
export type FigureIgnoredRow = z.infer<typeof figureIgnoredRow>;

export const figuresIgnored = dataset({
  name: "figures_ignored",
  title: {zh: "不计入数据摘录的数字", en: "Numbers of the sources that are not figures"},
  description: "Every passage whose numbers the catalogue leaves out, with the reason: with the figures, it accounts for every number of the sources.",
  row: figureIgnoredRow,
  sortKey: ["document", "seq"],
});
