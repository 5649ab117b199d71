import type {CountColumn} from "../schemas/communityCounts.js";
import {categoryCountColumn, gradeCountColumns} from "../schemas/countColumnNames.js";
import {disabilityCategories} from "../schemas/disabilityCategories.js";
import {conditionDimension} from "./gapSql.js";
import {indicators, type Indicator} from "./indicators.js";
import {ageBandsWithin, chooseSlice, cubeDimension, sliceDimensions, sliceRestrictions, type CubeDimension, type DimensionValues, type SliceInfo} from "./personCounts.js";
import {kindOf} from "./programmeKinds/index.js";
import {programmes, type Programme} from "./programmes.js";

/**
 * Answerability (能否计算): whether the persons at hand (`person_counts`' slices, personCounts.ts) answer a
 * question — a gap indicator, optionally filtered by category or grade, or a sandbox programme — and,
 * when not, why, in Chinese. Person rows answer everything; a published cube answers what its slices
 * cover; a city given as counts per community (communityCountsCube.ts) only what its counts give, and
 * never a joint split (screened by category) the counts do not hold. The engines turn "no" into a typed
 * cannot-answer result (gapQuery's `answer`, runScenario's `unanswerable`), never into a zero.
 */

/** What a question reads of the persons: dimensions, the values of restricted ones, and which came from filters. */
export interface Need {
  dimensions: CubeDimension[];
  values: DimensionValues;
  /** Dimensions read only because of a category or grade filter. */
  filtered: CubeDimension[];
}

/** Whether a question can be answered; when not, why (zh). `columns`: the count columns it reads. */
export type Answer = {answerable: true; columns: CountColumn[]} | {answerable: false; reason_zh: string; columns: CountColumn[]};
/** An answer with the slice that answers it. */
export type Answerability = (Answer & {answerable: true; slice: SliceInfo}) | (Answer & {answerable: false});

/** The dimensions of person_counts a person indicator reads, with its category and grade filters. */
export function indicatorDimensions(indicator: Indicator, filters: {categories: readonly string[]; grades: readonly number[]}): CubeDimension[] {
  if (indicator.counts !== "people") return [];
  const columns: string[] = [...indicator.eligible.map((c) => conditionDimension(c)), indicator.achieved.column];
  if (filters.categories.length) columns.push("category");
  if (filters.grades.length) columns.push("grade");
  return columns.map(cubeDimension);
}

/** The dimensions of person_counts a programme reads: its selection, and for a person target its achieved flag. */
export function programmeDimensions(prog: Programme): CubeDimension[] {
  const selection = prog.persons ?? {};
  const dims: CubeDimension[] = [];
  if (selection.categories) dims.push("category");
  if (selection.grades) dims.push("grade");
  if (selection.ageBands) dims.push("age_band");
  dims.push(...(selection.flags ?? []));
  const covered = kindOf(prog).coveredFlag?.(prog);
  if (covered) dims.push(cubeDimension(covered));
  return dims;
}

/** What a gap indicator reads (nothing for community indicators, which count `units`). */
export function indicatorNeed(indicator: Indicator, filters: {categories: readonly string[]; grades: readonly number[]} = {categories: [], grades: []}): Need {
  const own = indicatorDimensions(indicator, {categories: [], grades: []});
  const dimensions = indicatorDimensions(indicator, filters);
  const values: DimensionValues = {};
  if (indicator.counts === "people")
    for (const c of indicator.eligible) if ("between" in c && c.column === "age") values.age_band = ageBandsWithin(c.between[0], c.between[1]);
  return {dimensions, values, filtered: dimensions.filter((d) => !own.includes(d))};
}

/** What a programme reads of the persons. */
export function programmeNeed(prog: Programme): Need {
  const ageBands = prog.persons?.ageBands;
  return {dimensions: programmeDimensions(prog), values: ageBands ? {age_band: ageBands} : {}, filtered: []};
}

/** The count columns (community_counts) a dimension is derived from. */
function dimensionColumns(d: CubeDimension, values: DimensionValues): CountColumn[] {
  switch (d) {
    case "category":
      return disabilityCategories.map(categoryCountColumn);
    case "grade":
      return [...gradeCountColumns];
    case "age_band":
      // Counts give one age band, compulsory schooling (school_age); other bands have no column.
      return (values.age_band ?? ["6-15"]).every((b) => b === "6-15") ? ["school_age"] : [];
    case "rehab_need":
      return ["screened", "rehab_need"];
    case "archived":
      return ["rehab_need", "archived"];
    case "enrolled":
      return ["school_age", "enrolled"];
    case "dibao_recipient":
      return ["dibao_eligible", "dibao_recipient"];
    case "device_fitted":
      return ["device_need", "device_fitted"];
    default:
      return [d];
  }
}

/** The count columns a need reads, in schema order of first mention. */
export function needColumns(need: Need): CountColumn[] {
  return [...new Set(need.dimensions.flatMap((d) => dimensionColumns(d, need.values)))];
}

/** A split (分组) in Chinese, as in "按残疾类别分的". */
const splitLabels: Partial<Record<CubeDimension, string>> = {category: "残疾类别", grade: "残疾等级", age_band: "年龄段"};
/** A status count in Chinese, and the same as a total ("筛查总数"). */
const flagNouns: Partial<Record<CubeDimension, {noun: string; total: string}>> = {
  screened: {noun: "筛查人数", total: "筛查总数"},
  rehab_need: {noun: "有康复需求人数", total: "有康复需求总人数"},
  archived: {noun: "建档人数", total: "建档总数"},
  enrolled: {noun: "在学人数", total: "在学总人数"},
  dibao_eligible: {noun: "符合低保条件人数", total: "符合低保条件总人数"},
  dibao_recipient: {noun: "享受低保人数", total: "享受低保总人数"},
  wubao_recipient: {noun: "特困供养人数", total: "特困供养总人数"},
  poor_subsidy_recipient: {noun: "享受困难残疾人生活补贴人数", total: "享受困难残疾人生活补贴总人数"},
  severe_subsidy_recipient: {noun: "享受重度残疾人护理补贴人数", total: "享受重度残疾人护理补贴总人数"},
  rehab_served: {noun: "已接受基本康复服务人数", total: "已接受基本康复服务总人数"},
  device_need: {noun: "有辅助器具适配需求人数", total: "有辅助器具适配需求总人数"},
  device_fitted: {noun: "辅助器具适配人数", total: "辅助器具适配总人数"},
  poor_subsidy_eligible: {noun: "符合困难残疾人生活补贴条件人数", total: "符合困难残疾人生活补贴条件总人数"},
  severe_subsidy_eligible: {noun: "符合重度残疾人护理补贴条件人数", total: "符合重度残疾人护理补贴条件总人数"},
};
const isSplit = (d: CubeDimension) => d in splitLabels;
const nounOf = (d: CubeDimension) => (isSplit(d) ? `按${splitLabels[d]}分的人数` : flagNouns[d]!.noun);
const bandLabel = (b: string | number) => `${String(b).replace("-", "–")} 岁`;

/** Why no slice answers a need, in Chinese (the need is not answerable). */
function reasonZh(slices: readonly SliceInfo[], need: Need, question_zh: string): string {
  const unfiltered = need.dimensions.filter((d) => !need.filtered.includes(d));
  const ownAnswered = need.filtered.length > 0 && chooseSlice(slices, unfiltered, need.values) !== null;
  const consequence = ownAnswered ? `不能按${need.filtered.map((d) => splitLabels[d] ?? d).join("、")}筛选` : `不能计算${question_zh}`;
  const present = new Set(slices.flatMap((s) => sliceDimensions(s.slice)));
  const absent = need.dimensions.filter((d) => !present.has(d));
  if (!slices.length) return `没有导入持证残疾人数据，${consequence}`;
  if (absent.length) return `导入的数据没有${absent.map(nounOf).join("、")}，${consequence}`;
  const wantedBands = need.values.age_band ?? [];
  const knownBands = [...new Set(slices.flatMap((s) => sliceRestrictions(s.slice).age_band ?? []))];
  const unsplitBands = wantedBands.filter((b) => !knownBands.includes(String(b)));
  if (need.dimensions.includes("age_band") && knownBands.length && unsplitBands.length && !slices.some((s) => sliceDimensions(s.slice).includes("age_band") && !sliceRestrictions(s.slice).age_band))
    return `导入的数据只有 ${knownBands.map(bandLabel).join("、")}的人数，没有 ${unsplitBands.map(bandLabel).join("、")}的人数，${consequence}`;
  // When the question alone is answered, the filters' splits are what is missing (enrolment has its age band).
  const splits = ownAnswered ? need.filtered.filter(isSplit) : need.dimensions.filter(isSplit);
  const flags = need.dimensions.filter((d) => !isSplit(d));
  if (splits.length && flags.length)
    return `导入的数据只有${flags.map((d) => flagNouns[d]!.total).join("、")}，没有按${splits.map((d) => splitLabels[d]).join("、")}分的${flags.map((d) => flagNouns[d]!.noun).join("、")}，${consequence}`;
  return `导入的数据没有同时按${need.dimensions.map((d) => splitLabels[d] ?? flagNouns[d]!.noun.replace(/人数$/, "")).join("和")}分的人数，${consequence}`;
}

/** Whether the slices answer a need; `question_zh` names the question in the reason ("康复需求筛查率"). */
export function answerNeed(slices: readonly SliceInfo[], need: Need, question_zh: string): Answerability {
  const columns = needColumns(need);
  const slice = chooseSlice(slices, need.dimensions, need.values);
  return slice ? {answerable: true, slice, columns} : {answerable: false, reason_zh: reasonZh(slices, need, question_zh), columns};
}

/** Whether the slices answer a gap indicator with these filters (community indicators always: they read `units`). */
export function indicatorAnswerability(slices: readonly SliceInfo[], indicator: Indicator, filters?: {categories: readonly string[]; grades: readonly number[]}): Answerability {
  if (indicator.counts !== "people") return {answerable: true, slice: {slice: "units", pooled: 0}, columns: []};
  return answerNeed(slices, indicatorNeed(indicator, filters), indicator.label.zh);
}

/** Whether the slices answer a programme's persons (programmes that count no persons always are). */
export function programmeAnswerability(slices: readonly SliceInfo[], prog: Programme): Answerability {
  return answerNeed(slices, programmeNeed(prog), prog.label.zh);
}

/** One question the pages ask, with whether the data answers it. */
export interface QuestionAnswer {
  kind: "indicator" | "programme";
  id: string;
  label_zh: string;
  /** "按残疾类别" / "按残疾等级" for an indicator asked with a filter; null otherwise. */
  filter_zh: string | null;
  answer: Answerability;
}

const someCategory = {categories: [disabilityCategories[0]], grades: []};
const someGrade = {categories: [], grades: [1]};

/**
 * Every question of the gap page (each person indicator, alone and by category or grade) and of the
 * sandbox (each programme), with whether the slices answer it: what an import summary lists.
 */
export function questionsAnswerable(slices: readonly SliceInfo[]): QuestionAnswer[] {
  const gap = indicators
    .filter((i) => i.counts === "people")
    .flatMap((i): QuestionAnswer[] =>
      (
        [
          [null, undefined],
          ["按残疾类别", someCategory],
          ["按残疾等级", someGrade],
        ] as const
      ).map(([filter_zh, filters]) => ({kind: "indicator", id: i.id, label_zh: i.label.zh, filter_zh, answer: indicatorAnswerability(slices, i, filters)})),
    );
  const sandbox = programmes.map((p): QuestionAnswer => ({kind: "programme", id: p.id, label_zh: p.label.zh, filter_zh: null, answer: programmeAnswerability(slices, p)}));
  return [...gap, ...sandbox];
}
