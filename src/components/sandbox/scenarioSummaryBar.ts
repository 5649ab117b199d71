import {formatYuan} from "../shared/format.js";
import {h} from "../shared/dom.js";
import {yearTotals} from "./scenarioTables.js";
import type {SandboxView} from "./scenarioView.js";

/**
 * The sandbox's totals in view while a planner edits (合计速览): the plan's first and last year's total
 * and the change from the baseline, in a bar fixed to the window's foot. A page cell's output cannot
 * stick across the page (its box is only as tall as the bar), so the bar is fixed and shows only while
 * the controls are on screen and the totals table is not: the figures never hide what they summarise.
 * It lives on the document's body (watch puts it there), not in a page cell.
 */
export interface SummaryBarView extends SandboxView {
  /** Shows the bar while any of `controls` is in view and `totals` is not. */
  watch(controls: readonly Element[], totals: Element): void;
}

const signedYuan = (v: number) => (v > 0 ? `+${formatYuan(v)}` : v === 0 ? "±¥0" : formatYuan(v));

export function SummaryBar(): SummaryBarView {
  const years = h("span", {class: "summary-bar-years"});
  const jump = h("button", {type: "button", class: "link-button", "data-testid": "summary-bar-jump"}, "查看各年度成本");
  const element = h("div", {class: "sandbox-summary-bar", role: "status", "aria-live": "polite", "data-testid": "summary-bar", hidden: true}, h("strong", {}, "合计速览"), years, jump);
  return {
    element,
    update(state) {
      const totals = yearTotals(state.result);
      const shown = totals.length > 1 ? [totals[0]!, totals.at(-1)!] : totals;
      years.replaceChildren(
        ...shown.map((t) =>
          h("span", {class: "summary-bar-year", "data-year": t.year, "data-value": t.cost_yuan, "data-delta": t.delta_yuan}, `${t.year} 年 ${formatYuan(t.cost_yuan)}`, h("span", {class: "muted"}, `（比基线 ${signedYuan(t.delta_yuan)}）`)),
        ),
      );
    },
    watch(controls, totals) {
      // On the body, outside the page's own stacking context: the table of contents must not cover it.
      document.body.append(element);
      const inView = new Map<Element, boolean>();
      const show = () => {
        const editing = controls.some((c) => inView.get(c));
        element.hidden = !editing || inView.get(totals) === true;
        document.body.classList.toggle("has-summary-bar", !element.hidden);
      };
      const observer = new IntersectionObserver((entries) => {
        for (const entry of entries) inView.set(entry.target, entry.isIntersecting);
        show();
      });
      for (const target of [...controls, totals]) observer.observe(target);
      jump.addEventListener("click", () => totals.scrollIntoView({block: "start"}));
    },
  };
}
