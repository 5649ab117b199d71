import type {GapResult} from "../../engine/gapQuery.js";
import {h, replace} from "../shared/dom.js";
import type {GapPart, GapState} from "./gapState.js";

/**
 * The notes above the figures (说明): what the page changed in the view asked for, what the pooled cells
 * of a real city's persons_cube leave out, and why the data cannot answer the question — or, when the view
 * could not be shown, why.
 */

export interface GapNotesView extends GapPart {
  /** Says the view could not be shown (the error replaces the notes). */
  error(error: unknown): void;
}

/** What the pooled cells of a real city's persons_cube mean for the indicator shown (its slice's pooled persons). */
function pooledNote(result: GapResult): HTMLElement {
  const filtered = result.filters.categories.length > 0 || result.filters.grades.length > 0;
  return h(
    "p",
    {class: "gap-note", "data-pooled": result.persons_pooled},
    `本指标${filtered ? "按所选类别、等级" : ""}所用的汇总口径中，全市有 ${result.persons_pooled.toLocaleString("zh-CN")} 人因所在小格人数不足发布阈值而合并：` +
      "他们只计入所在社区的合计，类别、等级、年龄段和服务状态按未知处理，因此小群体的人数、达成人数和缺口是下限。",
  );
}

/**
 * What the page shows where the data cannot answer the question (a city given as counts per community
 * with no screening by category): the reason, in every place a figure would be, never an empty chart or 0.
 */
export function cannotAnswer(reason_zh: string): HTMLElement {
  return h("p", {class: "gap-note gap-cannot-answer", "data-cannot-answer": ""}, h("strong", {}, "无法计算："), reason_zh);
}

export function GapNotesView(): GapNotesView {
  const element = h("div", {class: "gap-notes", role: "status", "aria-live": "polite"});
  return {
    element,
    update({said, result}: GapState) {
      replace(
        element,
        ...said.map((s) => h("p", {class: "gap-note"}, s)),
        result && result.persons_pooled > 0 ? pooledNote(result) : null,
        result && !result.answer.answerable ? cannotAnswer(result.answer.reason_zh) : null,
      );
    },
    error(error) {
      replace(element, h("p", {class: "gap-note gap-error"}, `无法显示该视图：${error instanceof Error ? error.message : String(error)}`));
    },
  };
}
