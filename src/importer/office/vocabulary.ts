import {disabilityCategories, disabilityCategoryLabels, type DisabilityCategory} from "../../schemas/disabilityCategories.js";
import {categoryCountColumn, gradeCountColumns, type CountColumn} from "../../schemas/communityCounts.js";

/**
 * The words offices put in the headers of their own statistics forms, per field we read. Headers are matched
 * after folding (traditional → simplified, full width → half width), with spaces, a leading 其中 and bracketed
 * units (（人）, （%）, （平方米）, （万元）) taken off; a two-row header is matched on its lower label with the
 * upper one as its group (残疾类别 / 视力 → category_visual; 康复服务 / 已筛查 → screened).
 */

/** Where a field goes: the hierarchy, a unit column, a count, a figure only checked, or nothing. */
export type FieldRole = "hierarchy" | "unit" | "count" | "check" | "ignore";

export type HierarchyField = "district_name" | "street_name" | "community_name" | "unit_name" | "unit_code" | "parent_code" | "level_label";
export type UnitField = "residents" | "has_rehab_room" | "rehab_room_area_m2" | "has_coordinator" | "coordinator_trained" | "has_care_point" | "rehab_funding_yuan" | "satisfaction_rate";
/** Figures read and checked (a rate ≤ 100 %, a count ≥ 0, consistent with the counts), never stored. */
export type CheckField = "screening_rate" | "archive_rate" | "coordinators" | "other_count" | "other_rate";
export type IgnoreField = "seq" | "remark";
export type OfficeField = HierarchyField | UnitField | CountColumn | CheckField | IgnoreField;

export interface FieldInfo {
  field: OfficeField;
  role: FieldRole;
  /** The field's name in Chinese, for the mapping step and messages. */
  zh: string;
  kind: "text" | "code" | "int" | "number" | "share" | "bool";
}

interface Entry extends FieldInfo {
  /** Whole-key patterns (anchored): a match is sure. */
  exact: RegExp;
  /** Patterns the key merely contains: a match is a guess. */
  contains?: RegExp;
  /** A lower label this short is read only under one of these group labels (视力 under 残疾类别). */
  group?: RegExp;
}

const CATEGORY_GROUP = /残疾类别|按类别|类别|残疾类型|残疾人数|持证残疾人|其中/;
const GRADE_GROUP = /残疾等级|按等级|等级|级别|残疾人数|持证残疾人|其中/;

const categoryEntries: Entry[] = disabilityCategories.map((c: DisabilityCategory) => {
  const word = disabilityCategoryLabels[c];
  return {
    field: categoryCountColumn(c),
    role: "count",
    zh: `${word}残疾人数`,
    kind: "int",
    exact: new RegExp(`^(持证)?${word}(残疾|残疾人|类)?(人数|数)?$`),
    contains: new RegExp(`${word}残疾`),
  };
});

const gradeWords = ["一", "二", "三", "四"] as const;
const gradeEntries: Entry[] = gradeCountColumns.map((g, i) => ({
  field: g,
  role: "count",
  zh: `${gradeWords[i]}级残疾人数`,
  kind: "int",
  exact: new RegExp(`^(${gradeWords[i]}|${i + 1})级(残疾|残疾人)?(人数|数)?$`),
  contains: new RegExp(`(${gradeWords[i]}|${i + 1})级残疾`),
}));

/** In order: the first entry that matches wins, so narrower entries (筛查率) come before broader ones (筛查). */
const entries: Entry[] = [
  {field: "seq", role: "ignore", zh: "序号", kind: "text", exact: /^(序号|编号|序|no|行号)$/},
  {field: "remark", role: "ignore", zh: "备注", kind: "text", exact: /^(备注|说明|附注)$/},
  {field: "parent_code", role: "hierarchy", zh: "上级单位代码", kind: "code", exact: /^(上级|父级|所属上级)(单位|区划)?(代码|编码)$/},
  {field: "unit_code", role: "hierarchy", zh: "单位代码", kind: "code", exact: /^((统计用)?(行政)?区划(代码|编码)|单位(代码|编码)|代码|编码|行政代码)$/, contains: /区划代码|统计用代码/},
  {field: "level_label", role: "hierarchy", zh: "层级", kind: "text", exact: /^(层级|层级名称|级别|单位类型|类型|单位级别)$/},
  {field: "district_name", role: "hierarchy", zh: "区县", kind: "text", exact: /^(所属)?(区县|县区|区|县|县市区|区县市|县级)(名称)?$/},
  {field: "street_name", role: "hierarchy", zh: "街道/乡镇", kind: "text", exact: /^(所属)?(街道|乡镇|镇|乡|街镇|镇街|街道办|街道办事处|乡镇街道|街道乡镇)(名称)?$/},
  {field: "community_name", role: "hierarchy", zh: "社区/村", kind: "text", exact: /^(所属)?(社区|村|村居|居村|社区村|村社区|居委会|村委会|居村委会|社区居委会|村居委会)(名称)?$/},
  {field: "unit_name", role: "hierarchy", zh: "单位名称", kind: "text", exact: /^(单位名称|单位|名称|行政区划名称|区划名称|地区|地区名称|填报单位)$/},
  {field: "residents", role: "unit", zh: "常住人口", kind: "int", exact: /^(常住人口|常住人口数|人口|人口数|总人口|户籍人口|辖区人口|辖区常住人口|居民人数|常住人口总数)$/, contains: /常住人口/},
  {field: "screening_rate", role: "check", zh: "筛查率", kind: "share", exact: /^(康复需求)?筛查率$/, contains: /筛查率/},
  {field: "archive_rate", role: "check", zh: "建档率", kind: "share", exact: /^(康复)?建档率$/, contains: /建档率/},
  {field: "satisfaction_rate", role: "unit", zh: "康复服务满意率", kind: "share", exact: /^(康复(服务)?)?满意(率|度)$/, contains: /满意率|满意度/},
  {field: "other_rate", role: "check", zh: "其他比率", kind: "share", exact: /^.*(率|比例|占比)$/},
  {field: "rehab_room_area_m2", role: "unit", zh: "康复室面积", kind: "number", exact: /^((社区)?康复(室|站)面积|面积)$/, contains: /康复(室|站)面积/},
  {field: "has_rehab_room", role: "unit", zh: "设有社区康复室", kind: "bool", exact: /^(是否|有无)?(建有|设有|已建|有)?(社区)?康复(室|站)$/, contains: /(是否|有无)(建有|设有|已建)?(社区)?康复(室|站)/},
  {field: "coordinator_trained", role: "unit", zh: "协调员培训合格", kind: "bool", exact: /^(协调员)?(是否)?(经过)?培训合格$/, contains: /培训合格/},
  {field: "coordinators", role: "check", zh: "康复协调员人数", kind: "int", exact: /^(社区)?康复协调员(累计)?(人数|数)$/},
  {field: "has_coordinator", role: "unit", zh: "配备康复协调员", kind: "bool", exact: /^(是否|有无)?(配备|配有|有)?(社区)?(康复)?协调员$/, contains: /(是否|有无)(配备|配有)?(社区)?(康复)?协调员/},
  {field: "has_care_point", role: "unit", zh: "设有托养服务点", kind: "bool", exact: /^(是否|有无)?(建有|设有|有)?托养(服务)?(点|站)$/, contains: /(是否|有无)(建有|设有)?托养/},
  {field: "rehab_funding_yuan", role: "unit", zh: "社区康复经费", kind: "number", exact: /^(社区)?康复经费$/, contains: /康复经费/},
  {field: "persons", role: "count", zh: "持证残疾人数", kind: "int", exact: /^(持证残疾人|持证残疾人数|持证残疾人总数|残疾人数|残疾人总数|残疾人|持证人数|社区内残疾人总数|残疾人口|残疾人合计|持证残疾人合计|残疾人口数)$/, contains: /持证残疾人(总)?数|残疾人总数/},
  ...categoryEntries,
  ...gradeEntries,
  {field: "archived", role: "count", zh: "已建档人数", kind: "int", exact: /^(已)?(建档|建立档案|建立康复档案|建康复档案|建档案|已建档案)(人数|数)?$/, contains: /(已)?建(立)?(康复)?档(案)?人数/},
  {field: "rehab_need", role: "count", zh: "有康复需求人数", kind: "int", exact: /^(有)?(康复)?需求(人数|数)?$/, contains: /康复需求人数/},
  {field: "screened", role: "count", zh: "已筛查人数", kind: "int", exact: /^(已)?(康复需求)?筛查(人数|数)?$/, contains: /筛查人数/},
  // The national plan's service counts (基本康复服务覆盖率 = served ÷ in need; 辅助器具适配率 = fitted ÷ in need).
  {field: "rehab_served", role: "count", zh: "已接受基本康复服务人数", kind: "int", exact: /^(已|接受|享受|获得|已接受|已获得|已享受)?(基本)?康复服务(人数|数)?$/, contains: /康复服务(人数|累计人数)/},
  // A need (需求) or an eligibility (应适配) comes before the fitted count, whose `contains` is broad.
  {field: "device_need", role: "count", zh: "有辅助器具适配需求人数", kind: "int", exact: /^(有)?(基本)?辅助器具(适配)?(服务)?需求(人数|数)?$|^应适配(辅助器具)?(人数|数)?$/, contains: /辅助器具(适配)?(服务)?需求/},
  {field: "device_fitted", role: "count", zh: "辅助器具适配人数", kind: "int", exact: /^(已)?(获得|接受)?(基本)?辅助器具适配(服务)?(人数|数)?$|^(已)?适配辅助器具(人数|数)?$/, contains: /辅助器具(适配)?(服务)?(人数|累计人数)/},
  {field: "school_age", role: "count", zh: "义务教育阶段（6–15岁）人数", kind: "int", exact: /^(学龄|义务教育阶段|适龄)(残疾)?(儿童|少年|儿童少年)?(人数|数)?$/, contains: /6[-–~至]15岁/},
  {field: "enrolled", role: "count", zh: "义务教育在学人数", kind: "int", exact: /^(义务教育)?(在学|入学|就学|在校)(人数|数)?$/, contains: /义务教育在学|在学人数|入学人数/},
  {field: "dibao_eligible", role: "count", zh: "符合低保条件人数", kind: "int", exact: /^符合低保(条件)?(人数|数)?$/, contains: /符合低保/},
  {field: "dibao_recipient", role: "count", zh: "享受低保人数", kind: "int", exact: /^(享受|纳入|领取)?(最低生活保障|低保)(对象)?(人数|数)?$/, contains: /(享受|纳入)低保/},
  {field: "wubao_recipient", role: "count", zh: "特困供养人数", kind: "int", exact: /^(享受|纳入)?(特困|五保|特困供养|五保供养|特困人员|五保特困)(人员)?(人数|数)?$/, contains: /特困|五保/},
  // Eligible (符合条件 / 应享受 / 应补) before recipients: the recipients' `contains` (生活补贴) would take them.
  {field: "poor_subsidy_eligible", role: "count", zh: "符合困难残疾人生活补贴条件人数", kind: "int", exact: /^(符合|应享受|应发放|应补|应纳入)(困难残疾人)?生活补贴(条件)?(对象)?(人数|数)?$|^(困难残疾人)?生活补贴(应享受|应补|符合条件)(人数|数)?$/, contains: /(符合|应享受|应补)(困难残疾人)?生活补贴|生活补贴(应享受|应补|符合条件)/},
  {field: "severe_subsidy_eligible", role: "count", zh: "符合重度残疾人护理补贴条件人数", kind: "int", exact: /^(符合|应享受|应发放|应补|应纳入)(重度残疾人)?护理补贴(条件)?(对象)?(人数|数)?$|^(重度残疾人)?护理补贴(应享受|应补|符合条件)(人数|数)?$/, contains: /(符合|应享受|应补)(重度残疾人)?护理补贴|护理补贴(应享受|应补|符合条件)/},
  {field: "poor_subsidy_recipient", role: "count", zh: "享受困难残疾人生活补贴人数", kind: "int", exact: /^(享受|已享受|领取|实际享受)?(困难残疾人)?生活补贴(对象)?(人数|数)?$/, contains: /生活补贴/},
  {field: "severe_subsidy_recipient", role: "count", zh: "享受重度残疾人护理补贴人数", kind: "int", exact: /^(享受|已享受|领取|实际享受)?(重度残疾人)?护理补贴(对象)?(人数|数)?$/, contains: /护理补贴/},
];

/** Short lower labels that need their group: 视力 alone could be anything, under 残疾类别 it is a count. */
const groupedEntries: Entry[] = [
  ...disabilityCategories.map((c): Entry => ({...categoryEntries.find((e) => e.field === categoryCountColumn(c))!, exact: new RegExp(`^${disabilityCategoryLabels[c]}$`), group: CATEGORY_GROUP})),
  ...gradeCountColumns.map((g, i): Entry => ({...gradeEntries[i]!, exact: new RegExp(`^(${gradeWords[i]}|${i + 1})(级)?$`), group: GRADE_GROUP})),
  {...entries.find((e) => e.field === "persons")!, exact: /^(合计|小计|总数|总计|计|人数)$/, group: /残疾人|残疾类别|残疾等级|持证/},
  {...entries.find((e) => e.field === "screened")!, exact: /^(已)?筛查(人数)?$/, group: /康复/},
  {...entries.find((e) => e.field === "archived")!, exact: /^(已)?建档(人数)?$/, group: /康复/},
];

export const fieldInfo: ReadonlyMap<OfficeField, FieldInfo> = new Map([...entries, ...groupedEntries].map((e) => [e.field, {field: e.field, role: e.role, zh: e.zh, kind: e.kind}]));

export interface HeaderKey {
  key: string;
  /** The unit named in the header's brackets or suffix. */
  unit: "percent" | "wan_yuan" | "yuan" | "m2" | "persons" | null;
}

/** A header label as matched: folded text without spaces, stars, a leading 其中 or a trailing bracketed unit. */
export function headerKey(folded: string): HeaderKey {
  let s = folded.normalize("NFKC").toLowerCase().replace(/[\s*＊:：、,，.。_\-—–]+/g, "");
  let unit: HeaderKey["unit"] = null;
  for (;;) {
    const m = /[([【［]([^()[\]【】［］]*)[)\]】］]$/.exec(s);
    if (!m || m.index === 0) break;
    unit = unitOf(m[1]!) ?? unit;
    // A bracket that names no unit is kept in the text (县(市、区) → 县市区).
    s = unitOf(m[1]!) || /^(人|个|户|处|名|单位)$/.test(m[1]!) ? s.slice(0, m.index) : s.slice(0, m.index) + m[1]!;
  }
  if (/%$/.test(s) && s.length > 1) (unit = "percent"), (s = s.slice(0, -1));
  s = s.replace(/^其中/, "").replace(/[()[\]【】［］]/g, "");
  return {key: s, unit};
}

function unitOf(text: string): HeaderKey["unit"] {
  if (/%|百分/.test(text)) return "percent";
  if (/万元/.test(text)) return "wan_yuan";
  if (/^元/.test(text)) return "yuan";
  if (/平方米|㎡|m2|m²/.test(text)) return "m2";
  if (/^人$/.test(text)) return "persons";
  return null;
}

export interface FieldMatch {
  field: OfficeField;
  info: FieldInfo;
  /** 1: the header is one of the field's names; 0.8: its name under the right group; 0.5: the header contains one. */
  confidence: number;
  unit: HeaderKey["unit"];
}

/**
 * The field a header names, if any. `parts` are the header's labels top to bottom (one for a one-row header),
 * already folded.
 */
export function matchHeader(parts: readonly string[]): FieldMatch | null {
  const labels = parts.map((p) => headerKey(p)).filter((k) => k.key !== "");
  if (!labels.length) return null;
  const lower = labels.at(-1)!;
  const groups = labels.slice(0, -1).map((l) => l.key);
  const unit = labels.map((l) => l.unit).find((u) => u) ?? null;
  const joined = labels.map((l) => l.key).join("");
  const hit = (e: Entry, confidence: number): FieldMatch => ({field: e.field, info: fieldInfo.get(e.field)!, confidence, unit});
  for (const e of entries) if (e.exact.test(lower.key)) return hit(e, 1);
  if (groups.length) {
    for (const e of groupedEntries) if (e.exact.test(lower.key) && groups.some((g) => e.group!.test(g))) return hit(e, 0.8);
    for (const e of entries) if (e.exact.test(joined)) return hit(e, 0.8);
  }
  for (const e of entries) if (e.contains?.test(lower.key)) return hit(e, 0.5);
  if (groups.length) for (const e of entries) if (e.contains?.test(joined)) return hit(e, 0.5);
  return null;
}

/** Every field a planner can map a column to on the mapping step, in a sensible order. */
export const mappableFields: readonly FieldInfo[] = [...new Map([...entries, ...groupedEntries].map((e) => [e.field, fieldInfo.get(e.field)!])).values()];
