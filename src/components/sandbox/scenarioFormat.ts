import {boundsOf, outOfRangeMessage, withinBounds, type Bounds} from "../../engine/parameterBounds.js";
import {parameterIdPattern, type ScenarioProblem} from "../../engine/scenario.js";
import {formatNumber} from "../shared/format.js";

/**
 * How the budget sandbox (预算沙盘) writes parameters and problems for a planner: units in Chinese
 * ("元/人·月", "%"), shares and yearly rates edited as percentages, and every problem the scenario
 * engine reports (in English, for logs and the CLI) as a Chinese sentence. Pure: no DOM, so Node tests it.
 */

/** Nouns of the parameter units ("CNY per <noun> per <period>"), in Chinese. */
const unitNouns: Record<string, string> = {
  person: "人",
  resident: "常住人口",
  household: "户",
  device: "件",
  room: "间",
  "care point": "个服务点",
  post: "岗",
  student: "生",
  "person screened": "人（筛查）",
  "person trained": "人（培训）",
  "m²": "平方米",
  // Counts and rates that are not money: targets of employment bases and demonstration points.
  persons: "人",
  households: "户",
  "activities per year": "次/年",
};
const periods: Record<string, string> = {month: "月", year: "年"};

/** True for a share 0–1 (edited and shown as a percentage). */
export const isShare = (unit: string) => /^share 0[–-]1/.test(unit);
/** True for a yearly rate of change (edited and shown as a percentage per year). */
export const isRate = (unit: string) => /^relative change/.test(unit);

/** A parameter unit in Chinese: "CNY per person per month" → "元/人·月"; a share → "%". */
export function unitZh(unit: string): string {
  if (isShare(unit)) return "%";
  if (isRate(unit)) return "%/年";
  if (unit === "year") return "年";
  const money = /^CNY(?: per (.+?))?(?: per (month|year))?$/.exec(unit.trim());
  if (money) {
    const [, noun, period] = money;
    if (noun && periods[noun] && !period) return `元/${periods[noun]}`;
    const parts = [noun ? (unitNouns[noun] ?? noun) : "", period ? periods[period]! : ""].filter(Boolean);
    return parts.length ? `元/${parts.join("·")}` : "元";
  }
  return unitNouns[unit] ?? unit;
}

/** Shifts a number's decimal point by text, so 14.3 % → 0.143 exactly as typed (not 0.14300000000000002). */
function shift(value: number, places: number): number {
  return Number(`${value}e${places}`);
}

/** The number a planner edits for a stored value: shares and rates in percent, the rest as stored. */
export function toEditValue(value: number, unit: string): number {
  return isShare(unit) || isRate(unit) ? shift(value, 2) : value;
}

/** The stored value for an edited number (the inverse of toEditValue). */
export function fromEditValue(edited: number, unit: string): number {
  return isShare(unit) || isRate(unit) ? shift(edited, -2) : edited;
}

/** A parameter value with its Chinese unit: "480 元/人·月", "90%", "−0.1%/年", "2030 年". */
export function formatParameterValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return "—";
  const digits = (v: number) => {
    const abs = Math.abs(v);
    return abs !== 0 && abs < 10 && !Number.isInteger(v) ? Math.min(4, Math.max(2, -Math.floor(Math.log10(abs)) + 2)) : Number.isInteger(v) ? 0 : 2;
  };
  if (unit === "year") return `${Math.round(value)} 年`;
  const edited = toEditValue(value, unit);
  const sign = edited < 0 ? "−" : "";
  const text = `${sign}${trimZeros(formatNumber(Math.abs(edited), digits(edited)))}`;
  return isShare(unit) || isRate(unit) ? `${text}${unitZh(unit)}` : `${text} ${unitZh(unit)}`;
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** Slider bounds and step for a parameter, in edit units (percent for shares and rates), from its baseline value, within the parameter's bounds. */
export function sliderRange(baseline: number, unit: string, baseYear: number): {min: number; max: number; step: number} {
  const bounds = editBounds(unit);
  const within = (range: {min: number; max: number; step: number}) => ({...range, min: Math.max(range.min, bounds.min), max: Math.min(range.max, bounds.max)});
  if (isShare(unit)) return within({min: 0, max: 100, step: 1});
  if (isRate(unit)) return within({min: -5, max: 10, step: 0.1});
  if (unit === "year") return within({min: baseYear + 1, max: baseYear + 15, step: 1});
  const top = Math.max(baseline * 3, 1);
  const step = top <= 3 ? 0.01 : top <= 300 ? 1 : top <= 30_000 ? 10 : 100;
  return within({min: 0, max: Math.ceil(top / step) * step, step});
}

/** A parameter's bounds (parameterBounds.ts) in edit units: percent for shares and rates. */
export function editBounds(unit: string): Bounds {
  const bounds = boundsOf(unit);
  return {...bounds, min: toEditValue(bounds.min, unit), max: toEditValue(bounds.max, unit)};
}

/**
 * Why the page refuses a value a planner typed, in the same sentence a link or a file gets, or
 * undefined when it lies within its parameter's bounds. `path` names the field as a scenario does
 * (`overrides.<id>`, `cap.yuanPerYear`).
 */
export function refusedValueZh(path: string, value: number, unit: string, labels?: ParameterLabels, bounds: Bounds = boundsOf(unit)): string | undefined {
  return withinBounds(value, bounds) ? undefined : problemZh({path, message: outOfRangeMessage(value, bounds, unit)}, labels);
}

/** Parameter labels by id (label_zh), so a message names a parameter as the page does. */
export type ParameterLabels = ReadonlyMap<string, {label_zh: string}>;

/** A parameter as a message names it: 「城市低保标准」, or its id when the page does not know it. */
const parameterZh = (id: string, labels?: ParameterLabels) => {
  const label = labels?.get(id)?.label_zh;
  return label ? `参数「${label}」` : `参数 ${id}`;
};

/** Chinese names of a scenario's fields, for problem messages. */
function fieldZh(path: string, labels?: ParameterLabels): string {
  // A dated value of an override: overrides.<id>@<date>.
  const dated = /^overrides\.([^@]+)@(\d{4}-\d{2}-\d{2})$/.exec(path);
  if (dated) return `${parameterZh(dated[1]!, labels)}自 ${dated[2]} 起`;
  if (path.startsWith("overrides.")) return parameterZh(path.slice("overrides.".length), labels);
  // A URL names an override by its bare parameter id.
  if (parameterIdPattern.test(path)) return parameterZh(path, labels);
  if (/^presets\.\d+$/.test(path)) return `第 ${Number(path.split(".")[1]) + 1} 个预设方案`;
  if (/^years\.\d+$/.test(path)) return `第 ${Number(path.split(".")[1]) + 1} 个测算年度`;
  if (/^s\d+$/.test(path)) return `网址中的方案 ${path.slice(1)}（${path}）`;
  const names: Record<string, string> = {
    name: "方案名称",
    years: "测算年度",
    baseYear: "基准年",
    version: "格式版本",
    presets: "预设方案",
    province: "省份",
    overrides: "参数设定",
    cap: "预算上限",
    "cap.yuanPerYear": "预算上限",
    "(scenario)": "方案",
    "(file)": "文件",
    v: "网址中的格式版本（v）",
    n: "网址中的方案名称（n）",
    b: "网址中的基准年（b）",
    y: "网址中的测算年度（y）",
    p: "网址中的预设方案（p）",
    slot: "网址中正在编辑的方案序号（slot）",
    scenarios: "方案列表",
  };
  return names[path] ?? `「${path}」`;
}

/** Rewrites, in order: an English engine message → a Chinese sentence (the captures fill in names). */
const messages: [RegExp, (m: RegExpExecArray, path: string, labels?: ParameterLabels) => string][] = [
  [
    /^out of range: (\S+) \(allowed (\S+) to (\S+)(, whole numbers)?, (.+)\)$/,
    (m, path, labels) => {
      const [value, min, max, unit] = [Number(m[1]), Number(m[2]), Number(m[3]), m[5]!];
      const whole = m[4] ? "的整数" : "";
      return `${fieldZh(path, labels)}的值 ${boundText(value, unit)} 超出允许范围（${boundText(min, unit)} 至 ${boundText(max, unit)}${whole}），未采用。`;
    },
  ],
  [/^must be a whole year from (\d+) to (\d+)/, (m, path, labels) => `${fieldZh(path, labels)} 应为 ${m[1]} 至 ${m[2]} 年之间的整数年份。`],
  [/^not JSON/, () => "文件不是有效的 JSON，无法读取。请选择本页「下载方案」保存的 .json 文件。"],
  [/^a scenario is a JSON object/, () => "文件内容不是一个方案（应为 JSON 对象）。请选择本页「下载方案」保存的 .json 文件。"],
  [/^missing or invalid version number/, () => "文件缺少方案格式版本号（version），或版本号无效，可能不是本页保存的方案文件。"],
  [/^version (\d+) was made by a newer DPF Sandbox \(this one reads up to (\d+)\)/, (m) => `此方案由更新版本的沙盘保存（格式版本 ${m[1]}），本页只能读取版本 ${m[2]} 及以前的方案。`],
  [/^no migration from version (\d+)/, (m) => `此方案的格式版本 ${m[1]} 过旧，无法自动升级。`],
  [/^migrated from version (\d+) to (\d+)/, (m) => `方案已由格式版本 ${m[1]} 自动升级到版本 ${m[2]}。`],
  [/^parameter (\S+) is now called (\S+); the override was carried over/, (m) => `参数 ${m[1]} 已更名为 ${m[2]}，原设定已沿用。`],
  [/^unknown parameter (\S+): its override is ignored/, (m) => `本页不认识参数 ${m[1]}：其设定不参与测算（仍保留在方案中）。`],
  [/^unknown preset (\S+): ignored/, (m) => `本页不认识预设方案 ${m[1]}：已忽略（仍保留在方案中）。`],
  [/^preset (\S+): unknown parameter (\S+) is left as it is/, (m) => `预设方案 ${m[1]}：本页不认识参数 ${m[2]}，该项未调整。`],
  [/^preset (\S+): (\S+) has no value in force in (\d+) to raise/, (m) => `预设方案 ${m[1]}：参数 ${m[2]} 在 ${m[3]} 年没有现行值，无法在其基础上提高。`],
  [/^no standards known for province (\d{6})/, (m) => `未找到省份 ${m[1]} 的现行标准，基线仍用示例市默认值。`],
  [/^province (\d{6}): unknown parameter (\S+) is left as it is/, (m) => `省份 ${m[1]} 的标准中有本页不认识的参数 ${m[2]}，该项未调整。`],
  [/^not a province code/, () => "省份代码应为 6 位数字（如 430000）。"],
  [/^(\d+) persons live in no known community and are left out/, (m) => `有 ${m[1]} 名残疾人所属社区不在单位表中，未计入测算。`],
  [/^funding shares of (\d+) do not add up to 1/, (m) => `${m[1]} 年中央、省、市、区县四级资金分担比例之和不等于 100%，分级金额之和与合计不符。`],
  [/^appears twice in the URL/, (_, path, labels) => `网址参数 ${path} 出现了两次。`],
  [/^unknown URL key/, (_, path, labels) => `网址中有本页不认识的参数「${path}」。`],
  [/^not a number: (.*)$/, (m, path, labels) => `${fieldZh(path, labels)} 的值 ${m[1]} 不是数字。`],
  [/^dated values must come in date\*value pairs/, (_, path, labels) => `${fieldZh(path, labels)} 的分段设定应为「日期*数值」成对出现。`],
  [/^must be a finite number/, (_, path, labels) => `${fieldZh(path, labels)} 必须是有限的数字。`],
  [/^must be a calendar date/, (_, path, labels) => `${fieldZh(path, labels)} 中的日期应写作 YYYY-MM-DD。`],
  [/^dates must ascend without repeats/, (_, path, labels) => `${fieldZh(path, labels)} 的分段日期应从早到晚且不重复。`],
  [/^not a slot number 1–(\d+)/, (m, path, labels) => `${fieldZh(path, labels)} 应为 1 到 ${m[1]} 之间的方案序号。`],
  [/^names the edited slot/, (_, path, labels) => `${fieldZh(path, labels)} 与正在编辑的方案重复（正在编辑的方案由网址中的其他参数给出）。`],
  [/^missing: slots are numbered without gaps/, (_, path, labels) => `网址中缺少${fieldZh(path, labels)}：方案应从 1 起连续编号。`],
  [/^a slots file holds 1–(\d+) scenarios/, (m) => `文件中的方案列表应有 1 到 ${m[1]} 个方案。`],
  [/^years must ascend without repeats/, () => "测算年度应从早到晚且不重复。"],
  [/^every simulated year must come after the base year/, () => "每个测算年度都应晚于基准年。"],
  [/^not a parameter id/, (_, path, labels) => `${fieldZh(path, labels)} 不是有效的参数编号（应为小写英文点分路径）。`],
  [/^not a preset id/, (_, path, labels) => `${fieldZh(path, labels)} 不是有效的预设方案编号。`],
];

/** A bound or a refused value in its Chinese unit; a huge or non-whole year as typed, not rounded. */
function boundText(value: number, unit: string): string {
  if (!Number.isFinite(value) || Math.abs(toEditValue(value, unit)) >= 1e15) return `${value}${unit === "year" ? " 年" : ` ${unitZh(unit)}`}`;
  if (unit === "year" && !Number.isInteger(value)) return `${value} 年`;
  return formatParameterValue(value, unit);
}

/**
 * A scenario problem as one Chinese sentence, naming parameters by their labels when given; an unknown
 * message keeps the original in brackets.
 */
export function problemZh(problem: ScenarioProblem, labels?: ParameterLabels): string {
  for (const [pattern, write] of messages) {
    const m = pattern.exec(problem.message);
    if (m) return write(m, problem.path, labels);
  }
  return `${fieldZh(problem.path, labels)} 有误（${problem.message}）。`;
}
