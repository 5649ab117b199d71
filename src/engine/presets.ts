import {parameterIds as p} from "./programmes.js";
import {valueOn, type Override, type ParameterTimeline} from "./scenarioParameters.js";

/**
 * Presets (预设方案): scenario changes the source documents name, each citing the figure it comes from.
 * A change either sets a parameter for every simulated year (`set`) or raises it by a source's step
 * from the first simulated year on (`add`): the sources' raises (390→450, 350→480) happened years ago,
 * so the baseline already stands at the raised value and a preset repeats the step on today's standard.
 * A scenario's own overrides win over its presets.
 */

/** How a preset changes one parameter. */
export type PresetChange = {set: number} | {add: number};

/** Where a preset's figure comes from: a file of data/sources/ with the exact quote, or a note. */
export interface PresetCitation {
  /** File in data/sources/ or data/reference/; absent for a planner's variant with no source. */
  source?: string;
  quote?: string;
  /** The parameter whose value the figure is (its YAML file holds the same reference). */
  parameter?: string;
  note?: string;
}

export interface Preset {
  id: string;
  label: {zh: string; en: string};
  description_zh: string;
  changes: Readonly<Record<string, PresetChange>>;
  cites: readonly PresetCitation[];
}

const doc004 = "004_f20733b96c2a913c.txt";
const doc002 = "002_0b50dc9131de8548.txt";
const rehabFloorQuote = "確保轄區覆蓋人口每人每年不少于0.30元";
const dibaoQuote = "城市低保保障標準,由390元調到450元,農村低保保障標準由原來的300元調整到360元";

function rehabFunding(yuan: number, id: string, cite: PresetCitation): Preset {
  return {
    id,
    label: {zh: `社区康复经费每人每年 ${yuan.toFixed(2)} 元`, en: `Community rehab funding ¥${yuan.toFixed(2)} per resident`},
    description_zh: `按辖区常住人口每人每年 ${yuan.toFixed(2)} 元安排社区康复经费。`,
    changes: {[p.perResident]: {set: yuan}},
    cites: [cite],
  };
}

export const presets: readonly Preset[] = [
  rehabFunding(0.3, "rehab-funding-0-30", {source: doc004, quote: rehabFloorQuote, parameter: p.perResident}),
  rehabFunding(0.5, "rehab-funding-0-50", {parameter: p.perResident, note: `a planner's variant above the sources' floor of ¥0.30 (${doc004}: ${rehabFloorQuote})`}),
  rehabFunding(1, "rehab-funding-1-00", {parameter: p.perResident, note: `a planner's variant above the sources' floor of ¥0.30 (${doc004}: ${rehabFloorQuote})`}),
  {
    id: "dibao-urban-450",
    label: {zh: "城市低保标准提高 60 元（如 390→450）", en: "Urban subsistence allowance +60 (as 390 → 450)"},
    description_zh: "城市低保标准每人每月提高 60 元，与来源中由 390 元调到 450 元的幅度相同。",
    changes: {[p.dibaoUrban]: {add: 60}},
    cites: [{source: doc004, quote: dibaoQuote, parameter: p.dibaoUrban}],
  },
  {
    id: "dibao-rural-360",
    label: {zh: "农村低保标准提高 60 元（如 300→360）", en: "Rural subsistence allowance +60 (as 300 → 360)"},
    description_zh: "农村低保标准每人每月提高 60 元，与来源中由 300 元调到 360 元的幅度相同。",
    changes: {[p.dibaoRural]: {add: 60}},
    cites: [{source: doc004, quote: dibaoQuote, parameter: p.dibaoRural}],
  },
  {
    id: "wubao-480",
    label: {zh: "五保供养标准提高 130 元（如 350→480）", en: "Five-guarantee support +130 (as 350 → 480)"},
    description_zh: "农村五保供养标准每人每月提高 130 元，与来源中由 350 元提高到 480 元的幅度相同。",
    changes: {[p.wubao]: {add: 130}},
    cites: [{source: doc004, quote: "農村五保供養標準再次提高,由每人每月350元,提高到每人每月480元", parameter: p.wubao}],
  },
  {
    id: "rehab-demonstration-2030",
    label: {zh: "2030 年所有社区达到康复示范标准", en: "Every community meets the rehab demonstration standard by 2030"},
    description_zh: "到 2030 年每个社区都设社区康复室、配康复协调员，社区康复经费不低于每人每年 0.30 元。",
    changes: {[p.rehabRoomRate]: {set: 1}, [p.coordinatorRate]: {set: 1}, [p.targetYear]: {set: 2030}},
    cites: [
      {source: doc004, quote: "以《殘疾人社區康復示范區工作標準》為依據", note: "the standard's own rate for rehab rooms is 95% (確保社區康復室的設置率達到95%); the preset asks for every community"},
      {source: doc004, quote: rehabFloorQuote, parameter: p.perResident, note: "the funding floor is the baseline's; combine with a rehab-funding preset to raise it"},
    ],
  },
  {
    id: "care-points-60",
    label: {zh: "托养服务点覆盖 30%→60% 的社区", en: "Care points in 60% of communities (from 30%)"},
    description_zh: "托养服务点覆盖率目标由 30% 提高到 60% 的社区（村）。",
    changes: {[p.carePointRate]: {set: 0.6}},
    cites: [{source: doc002, quote: "30%以上的社區(村)建立殘疾人托養服務", parameter: p.carePointRate, note: "the source's target is 30%; 60% doubles it"}],
  },
];

/**
 * A preset change as a scenario override of a parameter: `set` is a constant; `add` raises the value in
 * force on 1 January of the first simulated year, and every later dated value, by the step. Undefined
 * when the parameter has no value in force then (nothing to raise).
 */
export function presetOverride(change: PresetChange, timeline: ParameterTimeline, firstYear: number): Override | undefined {
  if ("set" in change) return change.set;
  const start = `${String(firstYear).padStart(4, "0")}-01-01`;
  const inForce = valueOn(timeline, start);
  if (!inForce) return undefined;
  const later = timeline.values.filter((v) => v.effective_date > start);
  return [{date: start, value: inForce.value + change.add}, ...later.map((v) => ({date: v.effective_date, value: v.value + change.add}))];
}

/** The preset with this id, or undefined. */
export function findPreset(id: string): Preset | undefined {
  return presets.find((x) => x.id === id);
}
