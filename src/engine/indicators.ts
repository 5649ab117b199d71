import type {PersonRow} from "../schemas/persons.js";
import type {UnitRow} from "../schemas/units.js";
import {parameterIds as p} from "./programmes.js";

/**
 * The coverage-gap indicator catalogue (覆盖缺口指标目录), as data. Each indicator says which rows it
 * counts (persons or communities), who is eligible, what counts as achieved, which dated parameter is its
 * target, and which parameters price the gap. gapQuery.ts compiles these entries into SQL; nothing about
 * an indicator lives anywhere else.
 *
 * Missing data: `achieved` is TRUE, FALSE or NULL for an eligible row; NULL means the status is unknown.
 * Such rows are counted as `missing` and left out of the rate's denominator, never counted as not achieved.
 */

/** Columns of a row type holding booleans (status flags). */
export type FlagColumn<Row> = {[K in keyof Row]-?: Row[K] extends boolean | null ? (K extends string ? K : never) : never}[keyof Row];
/** Columns of a row type holding numbers. */
export type NumberColumn<Row> = {[K in keyof Row]-?: Row[K] extends number | null ? (K extends string ? K : never) : never}[keyof Row];

/** A condition on a row that decides eligibility; a NULL flag makes a row not eligible (eligibility unknown). */
export type Condition<Row> =
  | {column: FlagColumn<Row>; is: boolean}
  /** Inclusive range, e.g. ages 6–15. */
  | {column: NumberColumn<Row>; between: readonly [number, number]};

/** What counts as achieved for an eligible row: TRUE achieved, FALSE not, NULL unknown (missing). */
export type Measure<Row> =
  /** The flag is TRUE. */
  | {kind: "flag"; column: FlagColumn<Row>}
  /**
   * The value reaches the standard held by `parameter` (per resident of the community when `perResident`):
   * e.g. station area ≥ 30 m², funding ≥ ¥0.30 × residents. A reported value below it falls short by
   * the difference (its shortfall, in the parameter's unit × residents).
   */
  | {kind: "at_least"; column: NumberColumn<Row>; parameter: string; perResident?: boolean};

/**
 * The target: a dated share of eligible rows that should be achieved (`rate`), or `every` eligible row
 * when the indicator is itself a standard each unit must meet (area ≥ 30 m²: the target share is 1).
 */
export type Target = {kind: "rate"; parameter: string} | {kind: "every"};

/** A parameter id, or one for urban communities (社区) and one for rural ones (村). */
export type UrbanRural = string | {urban: string; rural: string};

/**
 * How the cost to close a gap is priced.
 * - `per_gap`: the gap count × a unit cost (per person or per community), times an optional `share`
 *   parameter (e.g. the average allowance paid as a share of the standard). Urban and rural parameters
 *   are averaged over the unit's eligible rows, each priced by its own community.
 * - `shortfall`: the summed shortfall of rows below an `at_least` standard (m² or yuan), scaled up from
 *   reported to all eligible rows, × the unit cost `parameter` (none: the shortfall is already yuan).
 * A monthly unit cost is multiplied by 12 (cost per year); a `one_off` one gives a one-off cost.
 */
export type CostRule =
  | {kind: "per_gap"; parameter: UrbanRural; share?: UrbanRural; note_zh: string}
  | {kind: "shortfall"; parameter: string | null; note_zh: string};

interface IndicatorBase {
  id: IndicatorId;
  label: {zh: string; en: string};
  /** Unit of the indicator's standard: a share target, an area standard (m²) or yuan per resident. */
  unitKind: "share" | "m2" | "yuan_per_resident";
  /** Tooltip text: how the figure is computed, in Chinese. */
  howComputed_zh: string;
  target: Target;
  /**
   * The lowest level a target is judged at. A share-of-communities target (80% of communities have a
   * rehab room) describes an area: one community has a room or not, so it is judged from streets up.
   */
  targetFrom: "community" | "street";
  cost: CostRule;
  /** The plan whose main indicator this is (国家“十四五”残疾人保障和发展规划), for grouping; absent for the local plans' indicators. */
  plan?: "national_14th";
}

export interface PersonIndicator extends IndicatorBase {
  counts: "people";
  eligible: readonly Condition<PersonRow>[];
  achieved: Measure<PersonRow>;
}

export interface CommunityIndicator extends IndicatorBase {
  counts: "communities";
  eligible: readonly Condition<UnitRow>[];
  achieved: Measure<UnitRow>;
}

export type Indicator = PersonIndicator | CommunityIndicator;

export const indicatorIds = [
  "screening",
  "archive",
  "enrolment",
  "subsistence",
  "rehab_room",
  "station_area",
  "coordinator",
  "coordinator_training",
  "care_point",
  "rehab_funding",
  "rehab_service",
  "device_fitting",
  "poor_subsidy",
  "severe_subsidy",
] as const;
export type IndicatorId = (typeof indicatorIds)[number];

/** Compulsory education ages (义务教育阶段, 6–15 周岁), the age band of the persons schema's `enrolled`. */
const COMPULSORY_SCHOOL_AGES = [6, 15] as const;

const GAP_PEOPLE_NOTE = "缺口人数 = 应覆盖人数 × (目标 − 达成率)，向上取整；状态未知者按已知者的达成率估计。";
/** Said of every national-plan target: for 2026–2030 the 14th plan's 2025 level is continued as an assumption. */
const NATIONAL_TARGET_NOTE = "目标取国家“十四五”残疾人保障和发展规划（国发〔2021〕10号）的2025年值；2026–2030年在“十五五”规划公布前沿用该值（假设）。";

const GAP_COMMUNITIES_NOTE = "缺口社区数 = 应达标社区数 × (目标 − 达成率)，向上取整；状态未知的社区按已知社区的达成率估计。";

/**
 * The coverage of one of the two subsidies (两项补贴): recipients among the eligible against the national
 * target (100 %, 应保尽保), the gap priced at the subsidy's monthly standard × 12.
 */
function subsidyCoverage(id: IndicatorId, label: {zh: string; en: string}, flag: "poor_subsidy" | "severe_subsidy", target: string, standard: string): PersonIndicator {
  const name = label.zh.replace(/覆盖率$/, "");
  return {
    id,
    plan: "national_14th",
    label,
    counts: "people",
    unitKind: "share",
    eligible: [{column: `${flag}_eligible`, is: true}],
    achieved: {kind: "flag", column: `${flag}_recipient`},
    target: {kind: "rate", parameter: target},
    targetFrom: "community",
    cost: {kind: "per_gap", parameter: standard, note_zh: `缺口人数 × ${name}标准 × 12`},
    howComputed_zh: `符合条件且享受${name}者 ÷ 符合条件且享受状态已知者。${GAP_PEOPLE_NOTE}${NATIONAL_TARGET_NOTE}`,
  };
}

export const indicators: readonly Indicator[] = [
  {
    id: "screening",
    label: {zh: "康复需求筛查率", en: "Rehab needs screening rate"},
    counts: "people",
    unitKind: "share",
    eligible: [],
    achieved: {kind: "flag", column: "screened"},
    target: {kind: "rate", parameter: p.screeningRate},
    targetFrom: "community",
    cost: {kind: "per_gap", parameter: p.unitCost("screening"), note_zh: "缺口人数 × 每人筛查成本"},
    howComputed_zh: `已做康复需求筛查的持证残疾人 ÷ 筛查状态已知的持证残疾人。${GAP_PEOPLE_NOTE}`,
  },
  {
    id: "archive",
    label: {zh: "康复建档率", en: "Rehab archive rate"},
    counts: "people",
    unitKind: "share",
    // Archives are opened for persons whose screening found a need (建档率 among those with a need);
    // persons not yet screened have no known need and are counted by the screening indicator instead.
    eligible: [{column: "rehab_need", is: true}],
    achieved: {kind: "flag", column: "archived"},
    target: {kind: "rate", parameter: p.archiveRate},
    targetFrom: "community",
    cost: {kind: "per_gap", parameter: p.unitCost("archive"), note_zh: "缺口人数 × 每人建档成本"},
    howComputed_zh: `已建康复档案者 ÷ 经筛查有康复需求且建档状态已知者；未筛查者不计入（见筛查率）。${GAP_PEOPLE_NOTE}`,
  },
  {
    id: "enrolment",
    label: {zh: "残疾儿童义务教育入学率", en: "Compulsory education enrolment of disabled children"},
    counts: "people",
    unitKind: "share",
    eligible: [{column: "age", between: COMPULSORY_SCHOOL_AGES}],
    achieved: {kind: "flag", column: "enrolled"},
    target: {kind: "rate", parameter: p.enrolmentRate},
    targetFrom: "community",
    cost: {kind: "per_gap", parameter: p.unitCost("education_support"), note_zh: "缺口人数 × 每生每年随班就读/送教上门成本"},
    howComputed_zh: `6–15 周岁持证残疾儿童中在学者 ÷ 在学状态已知者。${GAP_PEOPLE_NOTE}`,
  },
  {
    id: "subsistence",
    label: {zh: "符合条件残疾人低保覆盖率", en: "Subsistence allowance coverage of eligible disabled persons"},
    counts: "people",
    unitKind: "share",
    eligible: [{column: "dibao_eligible", is: true}],
    achieved: {kind: "flag", column: "dibao_recipient"},
    target: {kind: "rate", parameter: p.subsistenceCoverage},
    targetFrom: "community",
    cost: {
      kind: "per_gap",
      parameter: {urban: p.dibaoUrban, rural: p.dibaoRural},
      share: {urban: p.topup("dibao_urban"), rural: p.topup("dibao_rural")},
      note_zh: "缺口人数 × 低保标准 × 实际发放额占标准比例 × 12（城市社区用城市标准，村用农村标准）",
    },
    howComputed_zh: `符合低保条件且享受低保者 ÷ 符合低保条件且享受状态已知者。${GAP_PEOPLE_NOTE}`,
  },
  {
    id: "rehab_room",
    label: {zh: "社区康复室设置率", en: "Communities with a rehab room"},
    counts: "communities",
    unitKind: "share",
    eligible: [],
    achieved: {kind: "flag", column: "has_rehab_room"},
    target: {kind: "rate", parameter: p.rehabRoomRate},
    targetFrom: "street",
    cost: {kind: "per_gap", parameter: p.unitCost("rehab_room_setup"), note_zh: "缺口社区数 × 每个康复室建设成本"},
    howComputed_zh: `设有康复室的社区 ÷ 已报告的社区。${GAP_COMMUNITIES_NOTE}`,
  },
  {
    id: "station_area",
    label: {zh: "康复站面积达标率", en: "Rehab stations meeting the area standard"},
    counts: "communities",
    unitKind: "m2",
    // Only communities with a room have a station to measure; the room indicator counts the others.
    eligible: [{column: "has_rehab_room", is: true}],
    achieved: {kind: "at_least", column: "rehab_room_area_m2", parameter: p.stationArea},
    target: {kind: "every"},
    targetFrom: "community",
    cost: {kind: "shortfall", parameter: p.unitCost("station_per_m2"), note_zh: "不足面积（m²）之和 × 每平方米成本"},
    howComputed_zh: "设有康复室的社区中，康复站面积不低于标准（m²）者 ÷ 已报告面积者；每个社区都应达标。缺口社区数为估计的未达标社区数。",
  },
  {
    id: "coordinator",
    label: {zh: "康复协调员配备率", en: "Communities with a rehab coordinator"},
    counts: "communities",
    unitKind: "share",
    eligible: [],
    achieved: {kind: "flag", column: "has_coordinator"},
    target: {kind: "rate", parameter: p.coordinatorRate},
    targetFrom: "street",
    cost: {kind: "per_gap", parameter: p.unitCost("coordinator_post"), note_zh: "缺口社区数 × 协调员岗位年成本"},
    howComputed_zh: `配备康复协调员的社区 ÷ 已报告的社区。${GAP_COMMUNITIES_NOTE}`,
  },
  {
    id: "coordinator_training",
    label: {zh: "康复协调员培训合格率", en: "Rehab coordinators who passed training"},
    counts: "communities",
    unitKind: "share",
    eligible: [{column: "has_coordinator", is: true}],
    achieved: {kind: "flag", column: "coordinator_trained"},
    target: {kind: "rate", parameter: p.coordinatorTrainingPassRate},
    targetFrom: "street",
    cost: {kind: "per_gap", parameter: p.unitCost("coordinator_training"), note_zh: "缺口社区数（每社区一名协调员）× 每人培训成本"},
    howComputed_zh: `配有协调员的社区中，协调员培训合格者 ÷ 已报告培训结果者。${GAP_COMMUNITIES_NOTE}`,
  },
  {
    id: "care_point",
    label: {zh: "托养服务点覆盖率", en: "Communities with a care point"},
    counts: "communities",
    unitKind: "share",
    eligible: [],
    achieved: {kind: "flag", column: "has_care_point"},
    target: {kind: "rate", parameter: p.carePointRate},
    targetFrom: "street",
    cost: {kind: "per_gap", parameter: p.unitCost("care_point_setup"), note_zh: "缺口社区数 × 每个托养服务点建设成本"},
    howComputed_zh: `设有托养服务点的社区 ÷ 已报告的社区。${GAP_COMMUNITIES_NOTE}`,
  },
  {
    id: "rehab_funding",
    label: {zh: "社区康复经费达标率", en: "Communities meeting the rehab funding standard"},
    counts: "communities",
    unitKind: "yuan_per_resident",
    eligible: [],
    achieved: {kind: "at_least", column: "rehab_funding_yuan", parameter: p.perResident, perResident: true},
    target: {kind: "every"},
    targetFrom: "community",
    cost: {kind: "shortfall", parameter: null, note_zh: "各未达标社区（标准 × 常住人口 − 实际经费）之和，按已报告社区推及全部社区"},
    howComputed_zh: "社区康复经费不低于“标准 × 常住人口”的社区 ÷ 已报告经费的社区；每个社区都应达标。缺口成本为每年需补足的经费。",
  },
  // The national 14th-plan indicators community data can carry (全国“十四五”主要指标 9, 10, 4, 5).
  {
    id: "rehab_service",
    plan: "national_14th",
    label: {zh: "残疾人基本康复服务覆盖率", en: "Basic rehab service coverage"},
    counts: "people",
    unitKind: "share",
    // Coverage among persons in need (有康复需求者); persons not screened have no known need (see screening).
    eligible: [{column: "rehab_need", is: true}],
    achieved: {kind: "flag", column: "rehab_served"},
    target: {kind: "rate", parameter: p.nationalRehabServiceCoverage},
    targetFrom: "community",
    cost: {kind: "per_gap", parameter: p.unitCost("rehab_service"), note_zh: "缺口人数 × 每人每年基本康复服务成本"},
    howComputed_zh: `已接受基本康复服务者 ÷ 有康复需求且服务状态已知者；未筛查者不计入（见筛查率）。${GAP_PEOPLE_NOTE}${NATIONAL_TARGET_NOTE}`,
  },
  {
    id: "device_fitting",
    plan: "national_14th",
    label: {zh: "残疾人辅助器具适配率", en: "Assistive-device fitting rate"},
    counts: "people",
    unitKind: "share",
    eligible: [{column: "device_need", is: true}],
    achieved: {kind: "flag", column: "device_fitted"},
    target: {kind: "rate", parameter: p.nationalDeviceFitting},
    targetFrom: "community",
    cost: {kind: "per_gap", parameter: p.unitCost("assistive_device"), note_zh: "缺口人数 × 每件辅助器具成本（一次性）"},
    howComputed_zh: `已适配辅助器具者 ÷ 有辅助器具适配需求且适配状态已知者。${GAP_PEOPLE_NOTE}${NATIONAL_TARGET_NOTE}`,
  },
  subsidyCoverage("poor_subsidy", {zh: "困难残疾人生活补贴覆盖率", en: "Living subsidy coverage of eligible persons"}, "poor_subsidy", p.nationalPoorSubsidyCoverage, p.poorDisabled),
  subsidyCoverage("severe_subsidy", {zh: "重度残疾人护理补贴覆盖率", en: "Nursing subsidy coverage of eligible persons"}, "severe_subsidy", p.nationalSevereSubsidyCoverage, p.severeDisabled),
];

/** The catalogue entry of an indicator id; throws on an unknown id (e.g. from a URL). */
export function indicatorById(id: string): Indicator {
  const found = indicators.find((i) => i.id === id);
  if (!found) throw new Error(`unknown indicator ${JSON.stringify(id)}; known: ${indicatorIds.join(", ")}`);
  return found;
}

/** Every parameter id an indicator reads: its target, its standard and its cost parameters. */
export function indicatorParameterIds(indicator: Indicator): string[] {
  const ids: string[] = [];
  if (indicator.target.kind === "rate") ids.push(indicator.target.parameter);
  if (indicator.achieved.kind === "at_least") ids.push(indicator.achieved.parameter);
  ids.push(...costParameterIds(indicator.cost));
  return ids;
}

/** The ids of an urban/rural parameter pair, or of a single parameter. */
export function urbanRuralIds(pair: UrbanRural): string[] {
  return typeof pair === "string" ? [pair] : [pair.urban, pair.rural];
}

/** The parameter ids a cost rule reads: unit costs, then shares (none for a shortfall already in yuan). */
export function costParameterIds(cost: CostRule): string[] {
  if (cost.parameter === null) return [];
  return [...urbanRuralIds(cost.parameter), ...(cost.kind === "per_gap" && cost.share ? urbanRuralIds(cost.share) : [])];
}
