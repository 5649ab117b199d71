import type {GapWorkload} from "./gapAnswer.js";
import type {ScenarioWorkload} from "./scenarioAnswer.js";

/** The workloads: the explorer's gap query and the sandbox's recompute with one parameter changed. */
export const benchWorkloads: {gap: GapWorkload; scenario: ScenarioWorkload} = {
  // 康复需求筛查率 for every street of the city, ranked by gap: the explorer's middle level, all persons scanned.
  gap: {indicator: "screening", level: "street", year: 2026},
  // 五保 monthly standard 480 (the preset's figure), moved by ¥1 per repetition like a slider drag.
  scenario: {parameter: "subsidy.wubao.monthly", value: 480, step: 1},
};
