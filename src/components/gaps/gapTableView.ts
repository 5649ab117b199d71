import type {GapRow} from "../../engine/gapQuery.js";
import type {ScorecardUnit} from "../../engine/scorecard.js";
import {type GapColumnKey, type SortOrder} from "./gapColumns.js";
import {h, replace} from "../shared/dom.js";
import {GapTable} from "./gapTable.js";
import {cannotAnswer} from "./gapNotesView.js";
import {TABLE_FIRST_ROWS, tableRows, type GapActions, type GapPart, type GapState} from "./gapState.js";

/**
 * The table section (明细表): the view's rows as searched and sorted, the first TABLE_FIRST_ROWS drawn
 * until "show all". A header sorts, a unit name drills into the unit. Marked `data-first-result` once it
 * first shows rows (the benchmark and the browser tests wait for it) and `data-view` with the view it shows.
 */

export interface GapTableView extends GapPart {
  /** Marks the table as showing the view (its query string), once everything of the view is drawn. */
  shows(view: string): void;
}

/** A row's (or a scorecard unit's) drill-down link. */
export const rowHref = (actions: GapActions) => (row: GapRow | ScorecardUnit) => actions.drillHref(row.unit_code, row.level);

export function GapTableView(actions: GapActions): GapTableView {
  const element = h("div", {class: "gap-table-section", "aria-live": "off"});
  const hrefFor = rowHref(actions);
  const onSelect = (row: GapRow) => actions.drill(row.unit_code, row.level);
  return {
    element,
    update(state: GapState) {
      const {result, view} = state;
      if (!result) return;
      if (!result.answer.answerable) replace(element, cannotAnswer(result.answer.reason_zh));
      else
        replace(
          element,
          GapTable(tableRows(state), result, {
            sort: view.sort,
            order: view.order,
            onSort: (key: GapColumnKey, order: SortOrder) => actions.show({...view, sort: key, order}, "replace"),
            hrefFor,
            onSelect,
            limit: state.showAll ? undefined : TABLE_FIRST_ROWS,
            onShowAll: () => actions.showAll(),
          }),
        );
      if (!element.hasAttribute("data-first-result")) element.setAttribute("data-first-result", "");
    },
    shows(view) {
      element.dataset.view = view;
    },
  };
}
