import {formulaOf} from "./programmeKinds/index.js";
import type {Programme} from "./programmeTypes.js";

/**
 * Programmes (项目) as data: what each one counts, which parameters price it, and the words of its
 * formula in Chinese. Its kind (programmeKinds/) says how the cube counts it, how its parameters become
 * levers, the SQL steps to its cost and how its formula reads; adding a programme of an existing kind
 * is adding an entry here. Every amount comes from a dated parameter (data/parameters), never from this file.
 */

export {ageBands, ageBandStarts, personFlags, type AgeBand, type PersonFlag} from "../schemas/cubeDimensions.js";

export {unitFlags, type FormulaWords, type PersonSelection, type Programme, type ProgrammeKind, type ProgrammeParameters, type UnitFlag} from "./programmeTypes.js";

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
  /** The national plan's targets' common prefix (the overview lists every one of them). */
  nationalTargets: "target.national",
  /** National 14th-plan targets (国发〔2021〕10号), continued for 2026–2030 as an assumption until the 15th plan's values are added. */
  nationalRehabServiceCoverage: "target.national.rehab_service_coverage",
  nationalDeviceFitting: "target.national.assistive_device_rate",
  nationalPoorSubsidyCoverage: "target.national.poor_subsidy_coverage",
  nationalSevereSubsidyCoverage: "target.national.severe_subsidy_coverage",
  populationGrowth: "assumption.population.growth_rate",
  prevalenceChange: "assumption.population.prevalence_change",
  priceIndex: "assumption.price.index_rate",
  targetYear: "assumption.coverage.target_year",
  takeup: (programme: string) => `assumption.takeup.${programme}`,
  topup: (programme: string) => `assumption.topup_share.${programme}`,
  unitCost: (item: string) => `assumption.unit_cost.${item}`,
  /** The funding shares' common prefix (a problem with their sum names it). */
  fundingShares: "assumption.funding_share",
  fundingShare: (level: FundingLevel) => `${parameterIds.fundingShares}.${level}`,
} as const;

/** Funding levels a cost is split across (中央/省/市/区县). */
export const fundingLevels = ["central", "provincial", "city", "district"] as const;
export type FundingLevel = (typeof fundingLevels)[number];
export const fundingLevelLabels: Record<FundingLevel | "total", string> = {total: "合计", central: "中央", provincial: "省级", city: "市级", district: "区县级"};

const p = parameterIds;

/** A programme with the formula its kind writes from its words. */
const withFormula = (prog: Omit<Programme, "formula_zh">): Programme => ({...prog, formula_zh: formulaOf(prog)});

const definitions: readonly Omit<Programme, "formula_zh">[] = [
  {
    id: "community_rehab",
    label: {zh: "社区康复经费", en: "Community rehab funding"},
    kind: "per_resident",
    counts_zh: "常住人口",
    parameters: {perResident: p.perResident},
    words_zh: {terms: {perResident: "每人每年"}},
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
  ).map(([id, zh, en, counts_zh, persons, monthly, topsUp]): Omit<Programme, "formula_zh"> => ({
    id,
    label: {zh, en},
    kind: "cash",
    counts_zh,
    persons,
    parameters: {monthly, takeup: p.takeup(id), ...(topsUp ? {topup: p.topup(id)} : {})},
    words_zh: {terms: {takeup: "享受率", monthly: "月标准", topup: "补差比例"}},
  })),
  {
    id: "committee_stipend",
    label: {zh: "残疾人专职委员补贴", en: "Committee-member stipend"},
    kind: "cash",
    counts_zh: "配备康复协调员（专职委员）的社区岗位",
    posts: "has_coordinator",
    parameters: {monthly: p.committeeStipend, takeup: p.takeup("committee_stipend")},
    words_zh: {counted: "专职委员岗位数", terms: {takeup: "在岗率", monthly: "月补贴"}},
  },
  {
    id: "study_grant",
    label: {zh: "残疾学生助学补助", en: "Study grants for disabled students"},
    kind: "one_off",
    counts_zh: "18–22 岁残疾人",
    persons: {ageBands: ["18-22"]},
    parameters: {takeup: p.takeup("study_grant"), amount: p.studyGrant},
    words_zh: {terms: {takeup: "当年新入学比例", amount: "一次性助学补助"}},
  },
  {
    id: "housing_repair",
    label: {zh: "贫困残疾人危房改造", en: "Housing repair for poor disabled persons"},
    kind: "one_off",
    counts_zh: "农村符合低保条件的残疾人",
    persons: {urbanRural: "rural", flags: ["dibao_eligible"]},
    parameters: {takeup: p.takeup("housing_repair"), unitCost: p.unitCost("housing_repair")},
    words_zh: {terms: {takeup: "每年改造比例", unitCost: "每户改造费用"}},
  },
  {
    id: "assistive_devices",
    label: {zh: "辅助器具适配", en: "Assistive devices"},
    kind: "one_off",
    counts_zh: "有康复需求的残疾人",
    persons: {flags: ["rehab_need"]},
    parameters: {takeup: p.takeup("assistive_devices"), unitCost: p.unitCost("assistive_device")},
    words_zh: {terms: {takeup: "每年适配比例", unitCost: "每件费用"}},
  },
  {
    id: "rehab_screening",
    label: {zh: "康复需求筛查", en: "Rehab needs screening"},
    kind: "person_target",
    counts_zh: "持证残疾人",
    persons: {},
    achieved: "screened",
    parameters: {target: p.screeningRate, unitCost: p.unitCost("screening")},
    words_zh: {achieved: "已筛查", newly: "新增", terms: {target: "筛查率目标", unitCost: "每人筛查费用"}},
  },
  {
    id: "rehab_archive",
    label: {zh: "康复服务建档", en: "Rehab service archives"},
    kind: "person_target",
    counts_zh: "有康复需求的残疾人",
    persons: {flags: ["rehab_need"]},
    achieved: "archived",
    parameters: {target: p.archiveRate, unitCost: p.unitCost("archive"), runningCost: p.unitCost("archive_running")},
    words_zh: {achieved: "已建档", newly: "新建档", terms: {target: "建档率目标", unitCost: "建档费用", runningCost: "每年维护费用"}},
  },
  {
    id: "education_support",
    label: {zh: "残疾儿童义务教育支持", en: "Compulsory education support for disabled children"},
    kind: "person_target",
    counts_zh: "6–15 岁残疾儿童",
    persons: {ageBands: ["6-15"]},
    achieved: "enrolled",
    parameters: {target: p.enrolmentRate, runningCost: p.unitCost("education_support")},
    words_zh: {achieved: "已入学", newly: "新入学", terms: {target: "入学率目标", runningCost: "每生每年支持费用"}},
  },
  {
    id: "rehab_rooms",
    label: {zh: "社区康复室建设", en: "Community rehab rooms"},
    kind: "unit_target",
    counts_zh: "未设康复室的社区",
    persons: {flags: ["rehab_need"]},
    achieved: "has_rehab_room",
    parameters: {target: p.rehabRoomRate, unitCost: p.unitCost("rehab_room_setup")},
    words_zh: {newly: "新建", first: "有康复需求者", note: "受益人为这些社区有康复需求的残疾人", terms: {target: "康复室设置率", unitCost: "每间建设费用"}},
  },
  {
    id: "rehab_coordinators",
    label: {zh: "社区康复协调员", en: "Community rehab coordinators"},
    kind: "unit_target",
    counts_zh: "未配康复协调员的社区",
    persons: {},
    achieved: "has_coordinator",
    parameters: {target: p.coordinatorRate, unitCost: p.unitCost("coordinator_training"), runningCost: p.unitCost("coordinator_post")},
    words_zh: {newly: "新配", first: "残疾人", terms: {target: "协调员配备率", unitCost: "培训费用", runningCost: "每岗每年费用"}},
  },
  {
    id: "care_points",
    label: {zh: "社区托养服务点", en: "Community care points"},
    kind: "unit_target",
    counts_zh: "未设托养服务点的社区",
    persons: {categories: ["intellectual", "psychiatric", "multiple"]},
    achieved: "has_care_point",
    parameters: {target: p.carePointRate, unitCost: p.unitCost("care_point_setup"), runningCost: p.unitCost("care_point_running")},
    words_zh: {newly: "新设", first: "智力、精神、多重残疾人", terms: {target: "托养服务点覆盖率", unitCost: "建设费用", runningCost: "每点每年运行费用"}},
  },
];

export const programmes: readonly Programme[] = definitions.map(withFormula);

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
