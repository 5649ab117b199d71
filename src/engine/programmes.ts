import {ageBands, personFlags, type AgeBand, type PersonFlag} from "../schemas/cubeDimensions.js";
import type {DisabilityCategory} from "../schemas/persons.js";

/**
 * Programmes (项目) as data: what each one counts, which parameters price it, and its formula in
 * Chinese. The SQL that evaluates them is generic (runScenario.ts); adding a programme is adding an
 * entry here. Every amount comes from a dated parameter (data/parameters), never from this file.
 */

export {ageBands, ageBandStarts, personFlags, type AgeBand, type PersonFlag} from "../schemas/cubeDimensions.js";

/** Community service flags a coverage target counts (null, "not reported", counts as lacking). */
export const unitFlags = ["has_rehab_room", "has_coordinator", "has_care_point"] as const;
export type UnitFlag = (typeof unitFlags)[number];

/** Which persons a programme counts: every listed condition must hold. */
export interface PersonSelection {
  urbanRural?: "urban" | "rural";
  categories?: readonly DisabilityCategory[];
  grades?: readonly number[];
  ageBands?: readonly AgeBand[];
  /** Flags that must be true. */
  flags?: readonly PersonFlag[];
}

/**
 * How a programme's cost arises:
 * - `per_resident`: residents × yuan per resident per year (community rehab funding);
 * - `cash`: eligible × take-up × monthly standard × 12 × top-up share (cash standards; `per: "post"`
 *   counts community posts instead of persons);
 * - `one_off`: eligible × share receiving per year × amount (grants, repairs, devices);
 * - `person_target`: persons below a coverage rate target, reached linearly by the target year,
 *   × unit cost (once, for those newly reached) and running cost (every year, for all reached so far);
 * - `unit_target`: communities below a facility-rate target, reached linearly by the target year,
 *   × set-up cost (once) and running cost (every year after); the people covered are the programme's
 *   persons in those communities, and the communities with most of them are equipped first.
 */
export type ProgrammeKind = "per_resident" | "cash" | "one_off" | "person_target" | "unit_target";

/** Parameter ids that price a programme, by role. */
export interface ProgrammeParameters {
  /** per_resident: yuan per resident per year. */
  perResident?: string;
  /** cash: monthly standard. */
  monthly?: string;
  /** cash: share of the eligible who receive it; one_off: share of the eligible receiving it in a year. */
  takeup?: string;
  /** cash: share of the standard paid on average where the allowance tops income up to it. */
  topup?: string;
  /** one_off: amount per case (a standard, not price-indexed). */
  amount?: string;
  /** one_off / person_target / unit_target: unit cost (an assumption, price-indexed). */
  unitCost?: string;
  /** person_target / unit_target: running cost per covered person or community per year (price-indexed). */
  runningCost?: string;
  /** person_target / unit_target: the rate to reach (share 0–1). */
  target?: string;
}

export interface Programme {
  id: string;
  label: {zh: string; en: string};
  kind: ProgrammeKind;
  /** Who or what is counted, in Chinese, for the formula ("城市低保对象"). */
  counts_zh: string;
  /** Persons counted (cash, one_off, person_target: the denominator of the rate; unit_target: the people a facility covers). */
  persons?: PersonSelection;
  /** cash per post: community posts counted where this flag is true. */
  posts?: UnitFlag;
  /** person_target: flag of persons already covered; unit_target: flag of communities already covered. */
  achieved?: PersonFlag | UnitFlag;
  parameters: ProgrammeParameters;
  /** Formula in Chinese; `{id}` stands for a parameter's value. */
  formula_zh: string;
}

/** Parameter ids the programmes, the projection, the gap indicators and the scorecard read, in one place (see data/parameters/README.md). */
export const parameterIds = {
  perResident: "funding.community_rehab.per_resident",
  dibaoUrban: "subsidy.dibao.urban_monthly",
  dibaoRural: "subsidy.dibao.rural_monthly",
  wubao: "subsidy.wubao.monthly",
  poorDisabled: "subsidy.poor_disabled.monthly",
  severeDisabled: "subsidy.severe_disabled.monthly",
  psychiatric: "allowance.psychiatric.monthly",
  committeeStipend: "stipend.committee_member.monthly",
  studyGrant: "grant.study.college_entrant",
  screeningRate: "target.rehab.screening_rate",
  archiveRate: "target.rehab.archive_rate",
  satisfactionRate: "target.rehab.satisfaction_rate",
  subsistenceCoverage: "target.subsistence.coverage_rate",
  stationArea: "target.community.station_area_m2",
  coordinatorTrainingPassRate: "target.community.coordinator_training_pass_rate",
  rehabRoomRate: "target.community.rehab_room_rate",
  coordinatorRate: "target.community.coordinator_rate",
  carePointRate: "target.community.care_point_rate",
  enrolmentRate: "target.education.enrolment_rate",
  populationGrowth: "assumption.population.growth_rate",
  prevalenceChange: "assumption.population.prevalence_change",
  priceIndex: "assumption.price.index_rate",
  targetYear: "assumption.coverage.target_year",
  takeup: (programme: string) => `assumption.takeup.${programme}`,
  topup: (programme: string) => `assumption.topup_share.${programme}`,
  unitCost: (item: string) => `assumption.unit_cost.${item}`,
  fundingShare: (level: FundingLevel) => `assumption.funding_share.${level}`,
} as const;

/** Funding levels a cost is split across (中央/省/市/区县). */
export const fundingLevels = ["central", "provincial", "city", "district"] as const;
export type FundingLevel = (typeof fundingLevels)[number];
export const fundingLevelLabels: Record<FundingLevel | "total", string> = {total: "合计", central: "中央", provincial: "省级", city: "市级", district: "区县级"};

const p = parameterIds;

export const programmes: readonly Programme[] = [
  {
    id: "community_rehab",
    label: {zh: "社区康复经费", en: "Community rehab funding"},
    kind: "per_resident",
    counts_zh: "常住人口",
    parameters: {perResident: p.perResident},
    formula_zh: "常住人口 × 人口增长 × 每人每年 {funding.community_rehab.per_resident}",
  },
  ...(
    [
      ["dibao_urban", "城市低保（残疾人）", "Urban subsistence allowance (disabled persons)", "城市社区中符合低保条件的残疾人", {urbanRural: "urban", flags: ["dibao_eligible"]}, p.dibaoUrban, true],
      ["dibao_rural", "农村低保（残疾人）", "Rural subsistence allowance (disabled persons)", "农村社区中符合低保条件的残疾人", {urbanRural: "rural", flags: ["dibao_eligible"]}, p.dibaoRural, true],
      ["wubao", "五保/特困供养", "Five-guarantee support", "五保/特困供养对象", {flags: ["wubao_recipient"]}, p.wubao, false],
      ["psychiatric_allowance", "贫困精神病人生活补助", "Living allowance for poor psychiatric patients", "符合低保条件的精神残疾人", {categories: ["psychiatric"], flags: ["dibao_eligible"]}, p.psychiatric, false],
      ["poor_disabled_subsidy", "困难残疾人生活补贴", "Living subsidy for poor disabled persons", "符合低保条件的残疾人", {flags: ["dibao_eligible"]}, p.poorDisabled, false],
      ["severe_disabled_subsidy", "重度残疾人护理补贴", "Nursing subsidy for severely disabled persons", "一、二级重度残疾人", {grades: [1, 2]}, p.severeDisabled, false],
    ] as const
  ).map(([id, zh, en, counts_zh, persons, monthly, topsUp]): Programme => ({
    id,
    label: {zh, en},
    kind: "cash",
    counts_zh,
    persons,
    parameters: {monthly, takeup: p.takeup(id), ...(topsUp ? {topup: p.topup(id)} : {})},
    formula_zh: topsUp
      ? `${counts_zh} × 人数增长 × 享受率 {${p.takeup(id)}} × 月标准 {${monthly}} × 12 × 补差比例 {${p.topup(id)}}`
      : `${counts_zh} × 人数增长 × 享受率 {${p.takeup(id)}} × 月标准 {${monthly}} × 12`,
  })),
  {
    id: "committee_stipend",
    label: {zh: "残疾人专职委员补贴", en: "Committee-member stipend"},
    kind: "cash",
    counts_zh: "配备康复协调员（专职委员）的社区岗位",
    posts: "has_coordinator",
    parameters: {monthly: p.committeeStipend, takeup: p.takeup("committee_stipend")},
    formula_zh: `专职委员岗位数 × 在岗率 {${p.takeup("committee_stipend")}} × 月补贴 {${p.committeeStipend}} × 12`,
  },
  {
    id: "study_grant",
    label: {zh: "残疾学生助学补助", en: "Study grants for disabled students"},
    kind: "one_off",
    counts_zh: "18–22 岁残疾人",
    persons: {ageBands: ["18-22"]},
    parameters: {takeup: p.takeup("study_grant"), amount: p.studyGrant},
    formula_zh: `18–22 岁残疾人 × 人数增长 × 当年新入学比例 {${p.takeup("study_grant")}} × 一次性助学补助 {${p.studyGrant}}`,
  },
  {
    id: "housing_repair",
    label: {zh: "贫困残疾人危房改造", en: "Housing repair for poor disabled persons"},
    kind: "one_off",
    counts_zh: "农村符合低保条件的残疾人",
    persons: {urbanRural: "rural", flags: ["dibao_eligible"]},
    parameters: {takeup: p.takeup("housing_repair"), unitCost: p.unitCost("housing_repair")},
    formula_zh: `农村符合低保条件的残疾人 × 人数增长 × 每年改造比例 {${p.takeup("housing_repair")}} × 每户改造费用 {${p.unitCost("housing_repair")}} × 物价指数`,
  },
  {
    id: "assistive_devices",
    label: {zh: "辅助器具适配", en: "Assistive devices"},
    kind: "one_off",
    counts_zh: "有康复需求的残疾人",
    persons: {flags: ["rehab_need"]},
    parameters: {takeup: p.takeup("assistive_devices"), unitCost: p.unitCost("assistive_device")},
    formula_zh: `有康复需求的残疾人 × 人数增长 × 每年适配比例 {${p.takeup("assistive_devices")}} × 每件费用 {${p.unitCost("assistive_device")}} × 物价指数`,
  },
  {
    id: "rehab_screening",
    label: {zh: "康复需求筛查", en: "Rehab needs screening"},
    kind: "person_target",
    counts_zh: "持证残疾人",
    persons: {},
    achieved: "screened",
    parameters: {target: p.screeningRate, unitCost: p.unitCost("screening")},
    formula_zh: `各社区 max(0, 持证残疾人 × 人数增长 × 筛查率目标 {${p.screeningRate}} − 已筛查) 按目标年线性推进的当年新增 × 每人筛查费用 {${p.unitCost("screening")}} × 物价指数`,
  },
  {
    id: "rehab_archive",
    label: {zh: "康复服务建档", en: "Rehab service archives"},
    kind: "person_target",
    counts_zh: "有康复需求的残疾人",
    persons: {flags: ["rehab_need"]},
    achieved: "archived",
    parameters: {target: p.archiveRate, unitCost: p.unitCost("archive"), runningCost: p.unitCost("archive_running")},
    formula_zh: `各社区 max(0, 有康复需求的残疾人 × 人数增长 × 建档率目标 {${p.archiveRate}} − 已建档) 按目标年线性推进：当年新建档 × 建档费用 {${p.unitCost("archive")}} + 累计新建档 × 每年维护费用 {${p.unitCost("archive_running")}}，均 × 物价指数`,
  },
  {
    id: "education_support",
    label: {zh: "残疾儿童义务教育支持", en: "Compulsory education support for disabled children"},
    kind: "person_target",
    counts_zh: "6–15 岁残疾儿童",
    persons: {ageBands: ["6-15"]},
    achieved: "enrolled",
    parameters: {target: p.enrolmentRate, runningCost: p.unitCost("education_support")},
    formula_zh: `各社区 max(0, 6–15 岁残疾儿童 × 人数增长 × 入学率目标 {${p.enrolmentRate}} − 已入学) 按目标年线性推进的累计新入学 × 每生每年支持费用 {${p.unitCost("education_support")}} × 物价指数`,
  },
  {
    id: "rehab_rooms",
    label: {zh: "社区康复室建设", en: "Community rehab rooms"},
    kind: "unit_target",
    counts_zh: "未设康复室的社区",
    persons: {flags: ["rehab_need"]},
    achieved: "has_rehab_room",
    parameters: {target: p.rehabRoomRate, unitCost: p.unitCost("rehab_room_setup")},
    formula_zh: `各区县达到康复室设置率 {${p.rehabRoomRate}} 所需新建的社区数（有康复需求者多者优先）按目标年线性推进 × 每间建设费用 {${p.unitCost("rehab_room_setup")}} × 物价指数；受益人为这些社区有康复需求的残疾人`,
  },
  {
    id: "rehab_coordinators",
    label: {zh: "社区康复协调员", en: "Community rehab coordinators"},
    kind: "unit_target",
    counts_zh: "未配康复协调员的社区",
    persons: {},
    achieved: "has_coordinator",
    parameters: {target: p.coordinatorRate, unitCost: p.unitCost("coordinator_training"), runningCost: p.unitCost("coordinator_post")},
    formula_zh: `各区县达到协调员配备率 {${p.coordinatorRate}} 所需新配的社区数（残疾人多者优先）按目标年线性推进：当年新配 × 培训费用 {${p.unitCost("coordinator_training")}} + 累计新配 × 每岗每年费用 {${p.unitCost("coordinator_post")}}，均 × 物价指数`,
  },
  {
    id: "care_points",
    label: {zh: "社区托养服务点", en: "Community care points"},
    kind: "unit_target",
    counts_zh: "未设托养服务点的社区",
    persons: {categories: ["intellectual", "psychiatric", "multiple"]},
    achieved: "has_care_point",
    parameters: {target: p.carePointRate, unitCost: p.unitCost("care_point_setup"), runningCost: p.unitCost("care_point_running")},
    formula_zh: `各区县达到托养服务点覆盖率 {${p.carePointRate}} 所需新设的社区数（智力、精神、多重残疾人多者优先）按目标年线性推进：当年新设 × 建设费用 {${p.unitCost("care_point_setup")}} + 累计新设 × 每点每年运行费用 {${p.unitCost("care_point_running")}}，均 × 物价指数`,
  },
];

/** The programme with this id; throws for an unknown id. */
export function programme(id: string): Programme {
  const found = programmes.find((x) => x.id === id);
  if (!found) throw new Error(`unknown programme ${id}`);
  return found;
}

/** Every parameter id a programme reads. */
export function programmeParameterIds(prog: Programme): string[] {
  return Object.values(prog.parameters).filter((id): id is string => typeof id === "string");
}

/** Ids of the parameters every programme's projection reads (growth, prevalence, prices, target year, funding shares). */
export const projectionParameterIds: readonly string[] = [
  p.populationGrowth,
  p.prevalenceChange,
  p.priceIndex,
  p.targetYear,
  ...fundingLevels.map(p.fundingShare),
];

/** Every parameter id the engine reads. */
export function engineParameterIds(): string[] {
  return [...new Set([...programmes.flatMap(programmeParameterIds), ...projectionParameterIds])].sort();
}
