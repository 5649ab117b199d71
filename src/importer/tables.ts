import type {z} from "zod";
import {columnMeta, type Dataset} from "../schemas/column.js";
import {columnType} from "../schemas/columnTypes.js";
import {disabilityCategories, disabilityCategoryLabels, persons} from "../schemas/persons.js";
import {unitLevelLabels, unitLevels, units} from "../schemas/units.js";

/**
 * What the importer knows about each column of the two tables a planner fills in: its codebook label
 * (from the schema), how to read a cell (kind), whether the file must have it, the other headers it is
 * known by, and — for coded values — the words planners write for each code.
 */

export type ColumnKind = "code" | "text" | "enum" | "int" | "number" | "share" | "bool" | "date";

/**
 * - required: the file must have the column;
 * - derived: may be left out or blank, the importer works it out (and says how);
 * - optional: may be left out; a missing column is "not reported" (null);
 * - system: set by the importer (synthetic = false), a value in the file is ignored.
 */
export type Presence = "required" | "derived" | "optional" | "system";

export interface EnumValue {
  value: string;
  /** Words read as this value without comment (the code, its Chinese label). */
  labels: string[];
  /** Near-synonyms read as this value with a warning (乡 → 镇). */
  near?: string[];
}

export interface ColumnSpec {
  name: string;
  zh: string;
  en: string;
  unit?: string;
  description: string;
  kind: ColumnKind;
  nullable: boolean;
  presence: Presence;
  /** How a derived column is worked out, in Chinese (template's instructions sheet). */
  derivation?: string;
  /** Other headers planners use for it. */
  aliases: string[];
  values?: EnumValue[];
  /** Read from the file, used to derive another column, never stored (出生日期 → 年龄). */
  transient?: boolean;
  /** An example cell for the template. */
  example: string;
}

export type TableName = "units" | "persons";

export interface TableSpec {
  name: TableName;
  zh: string;
  dataset: Dataset;
  /** Sheet names that say which table a worksheet is. */
  sheetNames: string[];
  columns: ColumnSpec[];
  /** Columns whose presence marks a header row as this table's (at least one pair must map). */
  keys: string[];
}

interface Extra {
  kind?: ColumnKind;
  presence?: Presence;
  derivation?: string;
  aliases?: string[];
  values?: EnumValue[];
  example: string;
}

function enumOptions(schema: z.ZodType): string[] {
  let node = schema as unknown as {def: {type: string; entries?: Record<string, string>}; unwrap?: () => unknown};
  while (node.def.type === "nullable" || node.def.type === "optional") node = node.unwrap!() as typeof node;
  return Object.values(node.def.entries ?? {});
}

function specsFrom(dataset: Dataset, extras: Record<string, Extra>): ColumnSpec[] {
  return Object.entries(dataset.row.shape).map(([name, schema]) => {
    const s = schema as z.ZodType;
    const meta = columnMeta(s, name);
    const {type, nullable} = columnType(s);
    const extra = extras[name];
    if (!extra) throw new Error(`importer: no import rules for ${dataset.name}.${name}`);
    const options = enumOptions(s);
    let kind: ColumnKind = extra.kind ?? (type === "BOOLEAN" ? "bool" : type === "INTEGER" ? "int" : type === "DOUBLE" ? (meta.unit === "share 0–1" ? "share" : "number") : options.length ? "enum" : "text");
    if (options.length && kind === "text") kind = "enum";
    const values = kind === "enum" ? (extra.values ?? options.map((value) => ({value, labels: [value]}))) : undefined;
    if (values && values.map((v) => v.value).join() !== options.join()) throw new Error(`importer: ${dataset.name}.${name} values differ from the schema`);
    return {
      name,
      ...meta,
      kind,
      nullable,
      presence: extra.presence ?? (nullable ? "optional" : "required"),
      derivation: extra.derivation,
      aliases: extra.aliases ?? [],
      values,
      example: extra.example,
    };
  });
}

const yesNo = (example: string, aliases: string[] = []): Extra => ({aliases, example});

const levelLabelValues: EnumValue[] = [
  {value: "市", labels: ["市"]},
  {value: "区", labels: ["区"], near: ["市辖区"]},
  {value: "县", labels: ["县"], near: ["县级市", "旗", "自治县"]},
  {value: "街道", labels: ["街道"], near: ["街道办", "街道办事处"]},
  {value: "镇", labels: ["镇"], near: ["乡", "乡镇", "民族乡"]},
  {value: "社区", labels: ["社区"], near: ["居委会", "社区居委会", "居民委员会"]},
  {value: "村", labels: ["村"], near: ["村委会", "行政村", "村民委员会"]},
];

const levelValues: EnumValue[] = unitLevels.map((value) => ({
  value,
  labels: [value, unitLevelLabels[value]],
  near: {city: ["市级"], district: ["区", "县", "县级市", "旗"], street: ["街道", "镇", "乡", "乡镇"], community: ["社区", "村", "居委会", "村委会"]}[value],
}));

export const unitsSpec: TableSpec = {
  name: "units",
  zh: "单位表",
  dataset: units as unknown as Dataset,
  sheetNames: ["单位", "单位表", "行政单位", "units", "unit"],
  keys: ["unit_code", "unit_name", "parent_code", "residents"],
  columns: specsFrom(units as unknown as Dataset, {
    unit_code: {kind: "code", aliases: ["单位编码", "代码", "编码", "区划代码", "行政区划代码", "统计用区划代码", "code"], example: "330102001001"},
    unit_name: {aliases: ["名称", "单位", "行政区划名称", "社区名称"], example: "东湖社区"},
    level: {presence: "derived", derivation: "可留空：按「层级名称」推算（区/县→区县，街道/镇→街道/镇，社区/村→社区/村）", aliases: ["级别", "行政级别"], values: levelValues, example: "community"},
    level_label: {presence: "derived", derivation: "可留空：按单位名称的末字推算（…社区、…村、…街道、…镇、…区、…县、…市）", aliases: ["类型", "单位类型", "层级类型"], values: levelLabelValues, example: "社区"},
    parent_code: {kind: "code", presence: "required", aliases: ["上级代码", "上级编码", "上级单位编码", "父级代码", "上级区划代码", "parent"], example: "330102001"},
    district_code: {kind: "code", presence: "derived", derivation: "可留空：按上级单位逐级推算", aliases: ["区县代码", "所属区县编码"], example: "330102"},
    street_code: {kind: "code", presence: "derived", derivation: "可留空：按上级单位逐级推算", aliases: ["街道代码", "所属街道编码", "所属乡镇代码"], example: "330102001"},
    urban_rural: {presence: "derived", derivation: "可留空：社区/街道/区/市为城镇，村/镇/县为农村", aliases: ["城乡属性", "城乡类型", "城镇/农村"], values: [
      {value: "urban", labels: ["urban", "城镇", "城市"], near: ["城", "城区"]},
      {value: "rural", labels: ["rural", "农村", "乡村"], near: ["乡", "村"]},
    ], example: "城镇"},
    residents: {aliases: ["常住人口数", "人口", "总人口", "常住人口总数"], derivation: "社区/村必填；上级单位可留空，按下级合计", example: "8,520"},
    has_rehab_room: yesNo("是", ["社区康复室", "康复室", "有无康复室", "是否设有社区康复室"]),
    rehab_room_area_m2: {aliases: ["康复室面积", "康复站面积（平方米）", "社区康复室面积"], example: "60"},
    has_coordinator: yesNo("是", ["康复协调员", "协调员", "是否配备康复协调员"]),
    coordinator_trained: yesNo("否", ["培训合格", "协调员是否培训合格"]),
    has_care_point: yesNo("否", ["托养服务点", "托养点", "是否设有托养服务点"]),
    rehab_funding_yuan: {aliases: ["康复经费", "社区康复经费（元）"], example: "1.2万"},
    satisfaction_rate: {aliases: ["满意率", "满意度", "康复满意率"], example: "85%"},
    synthetic: {presence: "system", derivation: "由系统设定：导入的数据一律为「否」（真实数据）", example: "否"},
  }),
};

const categoryValues: EnumValue[] = disabilityCategories.map((value, i) => ({
  value,
  // GB/T 26341 codes the categories 1–7 in this order (the 19th character of a certificate number).
  labels: [value, disabilityCategoryLabels[value], `${disabilityCategoryLabels[value]}残疾`, String(i + 1)],
}));

/** 出生日期: read instead of 年龄 when a file has it, turned into an age on the reference date, never stored. */
export const birthDateColumn: ColumnSpec = {
  name: "birth_date",
  zh: "出生日期",
  en: "Date of birth",
  description: "Used only to compute the age on the reference date, then dropped.",
  kind: "date",
  nullable: true,
  presence: "optional",
  derivation: "可代替「年龄」：按统计日期折算为周岁后删除，不保存",
  aliases: ["出生年月", "出生年月日", "生日", "birthdate", "dob"],
  transient: true,
  example: "1965年3月8日",
};

export const personsSpec: TableSpec = {
  name: "persons",
  zh: "人员表",
  dataset: persons as unknown as Dataset,
  sheetNames: ["人员", "人员表", "残疾人", "持证残疾人", "persons", "person"],
  keys: ["community_code", "category", "grade", "age"],
  columns: [
    ...specsFrom(persons as unknown as Dataset, {
      person_id: {presence: "derived", derivation: "可留空：按行的顺序编号（不是身份证号，请勿填写身份证号）", aliases: ["序号", "人员编号"], example: "1"},
      community_code: {kind: "code", aliases: ["社区代码", "所属社区", "社区编码", "村居代码", "所属社区编码", "所属村居代码"], example: "330102001001"},
      category: {aliases: ["类别", "残疾类型", "残疾类别名称"], values: categoryValues, example: "肢体"},
      grade: {aliases: ["等级", "残疾级别", "级别"], example: "二级"},
      age: {presence: "derived", derivation: "必填，或改填「出生日期」", aliases: ["年龄（岁）", "周岁", "年龄（周岁）"], example: "58"},
      rehab_need: yesNo("是", ["康复需求", "是否有康复需求"]),
      screened: yesNo("是", ["已筛查", "康复需求筛查", "是否筛查"]),
      archived: yesNo("否", ["建档", "已建档", "康复档案"]),
      enrolled: yesNo("", ["在学", "义务教育", "是否在学"]),
      dibao_eligible: yesNo("否", ["符合低保", "低保条件"]),
      dibao_recipient: yesNo("否", ["低保", "享受低保", "是否低保"]),
      wubao_recipient: yesNo("否", ["五保", "特困", "特困供养", "五保/特困"]),
      poor_subsidy_recipient: yesNo("否", ["困难残疾人生活补贴", "生活补贴"]),
      severe_subsidy_recipient: yesNo("否", ["重度残疾人护理补贴", "护理补贴"]),
      rehab_served: yesNo("是", ["已接受基本康复服务", "基本康复服务", "接受康复服务", "是否接受基本康复服务"]),
      device_need: yesNo("否", ["辅助器具需求", "辅助器具适配需求", "有无辅助器具需求", "是否有辅助器具适配需求"]),
      device_fitted: yesNo("否", ["辅助器具适配", "已适配辅助器具", "是否适配辅助器具"]),
      poor_subsidy_eligible: yesNo("否", ["符合生活补贴条件", "应享受困难残疾人生活补贴", "生活补贴条件"]),
      severe_subsidy_eligible: yesNo("否", ["符合护理补贴条件", "应享受重度残疾人护理补贴", "护理补贴条件"]),
    }),
    birthDateColumn,
  ],
};

export const tableSpecs: TableSpec[] = [unitsSpec, personsSpec];

/** Sheet names of the template's instructions sheet (skipped on import). */
export const instructionSheetNames = ["说明", "填表说明", "instructions", "readme"];

/** The allowed values of a column in Chinese, for messages and the template. */
export function allowedText(spec: ColumnSpec): string {
  switch (spec.kind) {
    case "enum":
      return spec.values!.map((v) => v.labels.filter((l) => /[\u4e00-\u9fff]/.test(l))[0] ?? v.value).join("、");
    case "bool":
      return "是 / 否（也可写 有/无、√/×、1/0）";
    case "int":
      return spec.name === "grade" ? "1–4（一级 … 四级）" : spec.name === "age" ? "0–120 的整数" : "非负整数（可写 1.2万、12,345）";
    case "number":
      return "非负数（可写 1.2万、12,345）";
    case "share":
      return "0–100%（写 85% 或 0.85）";
    case "code":
      return "2–24 位字母或数字";
    case "date":
      return "日期（2024年3月5日、2024-03-05、2024/3/5 等）";
    default:
      return "文字，最多 100 字";
  }
}
