import {parameterIds as p} from "./programmes.js";
import type {Override} from "./scenarioParameters.js";

/**
 * Presets (预设方案): scenario changes the source documents name, each citing the figure it comes from.
 * A preset sets parameters to constants for every simulated year; a scenario's own overrides win over
 * its presets. Where the baseline already meets a preset's value, the preset changes nothing.
 */

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
  overrides: Readonly<Record<string, Override>>;
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
    overrides: {[p.perResident]: yuan},
    cites: [cite],
  };
}

export const presets: readonly Preset[] = [
  rehabFunding(0.3, "rehab-funding-0-30", {source: doc004, quote: rehabFloorQuote, parameter: p.perResident}),
  rehabFunding(0.5, "rehab-funding-0-50", {parameter: p.perResident, note: `a planner's variant above the sources' floor of ¥0.30 (${doc004}: ${rehabFloorQuote})`}),
  rehabFunding(1, "rehab-funding-1-00", {parameter: p.perResident, note: `a planner's variant above the sources' floor of ¥0.30 (${doc004}: ${rehabFloorQuote})`}),
  {
    id: "dibao-urban-450",
    label: {zh: "城市低保标准 390→450 元", en: "Urban subsistence allowance 390 → 450"},
    description_zh: "城市低保标准提高到每人每月 450 元。",
    overrides: {[p.dibaoUrban]: 450},
    cites: [{source: doc004, quote: dibaoQuote, parameter: p.dibaoUrban}],
  },
  {
    id: "dibao-rural-360",
    label: {zh: "农村低保标准 300→360 元", en: "Rural subsistence allowance 300 → 360"},
    description_zh: "农村低保标准提高到每人每月 360 元。",
    overrides: {[p.dibaoRural]: 360},
    cites: [{source: doc004, quote: dibaoQuote, parameter: p.dibaoRural}],
  },
  {
    id: "wubao-480",
    label: {zh: "五保供养标准 350→480 元", en: "Five-guarantee support 350 → 480"},
    description_zh: "农村五保供养标准由每人每月 350 元提高到 480 元。",
    overrides: {[p.wubao]: 480},
    cites: [{source: doc004, quote: "農村五保供養標準再次提高,由每人每月350元,提高到每人每月480元", parameter: p.wubao}],
  },
  {
    id: "rehab-demonstration-2030",
    label: {zh: "2030 年所有社区达到康复示范标准", en: "Every community meets the rehab demonstration standard by 2030"},
    description_zh: "到 2030 年每个社区都设社区康复室、配康复协调员，社区康复经费不低于每人每年 0.30 元。",
    overrides: {[p.rehabRoomRate]: 1, [p.coordinatorRate]: 1, [p.targetYear]: 2030},
    cites: [
      {source: doc004, quote: "以《殘疾人社區康復示范區工作標準》為依據", note: "the standard's own rate for rehab rooms is 95% (確保社區康復室的設置率達到95%); the preset asks for every community"},
      {source: doc004, quote: rehabFloorQuote, parameter: p.perResident, note: "the funding floor is the baseline's; combine with a rehab-funding preset to raise it"},
    ],
  },
  {
    id: "care-points-60",
    label: {zh: "托养服务点覆盖 30%→60% 的社区", en: "Care points in 60% of communities (from 30%)"},
    description_zh: "托养服务点覆盖率目标由 30% 提高到 60% 的社区（村）。",
    overrides: {[p.carePointRate]: 0.6},
    cites: [{source: doc002, quote: "30%以上的社區(村)建立殘疾人托養服務", parameter: p.carePointRate, note: "the source's target is 30%; 60% doubles it"}],
  },
];

/** The preset with this id, or undefined. */
export function findPreset(id: string): Preset | undefined {
  return presets.find((x) => x.id === id);
}
