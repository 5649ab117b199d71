import type {GapResult, GapRow} from "../../engine/gapQuery.js";
import {missingText} from "../shared/format.js";
import {columnsFor, gapColumns, type GapColumnKey, type SortOrder} from "./gapColumns.js";
import {h, isPlainClick} from "../shared/dom.js";

/**
 * The coverage-gap table (覆盖缺口明细表): every unit of the view, missing values as "—" (never dropped or
 * zeroed). Each header is a button that sorts (aria-sort says how) with the figure's computation as its
 * tooltip; each drillable unit name is a link to its view (Enter follows it; the page handles it without
 * a reload). Rows beyond `limit` wait behind a "show all" button so a view change stays fast.
 */

export interface GapTableOptions {
  sort: GapColumnKey;
  order: SortOrder;
  onSort(key: GapColumnKey, order: SortOrder): void;
  /** The view link of a row's drill-down; null for units with no level below. */
  hrefFor(row: GapRow): string | null;
  onSelect(row: GapRow): void;
  /** Rows drawn before "show all"; all when omitted. */
  limit?: number;
  onShowAll?(): void;
}

const ariaSort: Record<SortOrder, "ascending" | "descending"> = {asc: "ascending", desc: "descending"};
const arrow: Record<SortOrder, string> = {asc: "▲", desc: "▼"};

function headerCell(key: GapColumnKey, result: GapResult, options: GapTableOptions): HTMLElement {
  const column = gapColumns.find((c) => c.key === key)!;
  const active = options.sort === key;
  const next: SortOrder = active ? (options.order === "asc" ? "desc" : "asc") : column.firstOrder;
  return h(
    "th",
    {scope: "col", class: column.numeric ? "num" : "", "aria-sort": active ? ariaSort[options.order] : "none", "data-col": key},
    h(
      "button",
      {type: "button", class: "gap-sort", title: `${column.note(result)}\n（点击按此列${next === "asc" ? "升序" : "降序"}排序）`, on: {click: () => options.onSort(key, next)}},
      column.header(result),
      active ? h("span", {class: "gap-sort-arrow", "aria-hidden": "true"}, ` ${arrow[options.order]}`) : null,
    ),
  );
}

function nameCell(row: GapRow, options: GapTableOptions): HTMLElement {
  const href = options.hrefFor(row);
  const content =
    href === null
      ? row.unit_name
      : h(
          "a",
          {
            href,
            class: "gap-drill",
            "data-unit": row.unit_code,
            on: {
              click: (event) => {
                if (!isPlainClick(event as MouseEvent)) return;
                event.preventDefault();
                options.onSelect(row);
              },
            },
          },
          row.unit_name,
        );
  return h("th", {scope: "row", "data-col": "unit_name", title: `${row.unit_name}（代码 ${row.unit_code}）`}, content);
}

/** The table of `rows` (already searched and sorted) of a gap result. */
export function GapTable(rows: readonly GapRow[], result: GapResult, options: GapTableOptions): HTMLElement {
  const shown = options.limit === undefined ? rows : rows.slice(0, options.limit);
  // The columns the page shows (the unit code is in each name's tooltip; downloads hold it as a column).
  const pageColumns = columnsFor(result, {page: true});
  const body = document.createElement("tbody");
  for (const row of shown) {
    const tr = h("tr", {"data-unit": row.unit_code, "data-status": row.status, class: row.meets_target === false ? "gap-below" : ""});
    for (const column of pageColumns) {
      if (column.key === "unit_name") {
        tr.appendChild(nameCell(row, options));
        continue;
      }
      const text = column.text(row, result);
      const classes = [column.numeric ? "num" : "", text === missingText ? "missing" : ""].filter(Boolean).join(" ");
      tr.appendChild(h("td", {class: classes, "data-col": column.key}, text));
    }
    body.appendChild(tr);
  }
  const more = rows.length - shown.length;
  return h(
    "div",
    {class: "gap-table-wrap"},
    h(
      "table",
      {class: "gap-table", "data-rows": rows.length},
      h("thead", {}, h("tr", {}, ...pageColumns.map((c) => headerCell(c.key, result, options)))),
      body,
    ),
    more > 0 && options.onShowAll
      ? h("button", {type: "button", class: "gap-show-all", on: {click: () => options.onShowAll!()}}, `显示其余 ${more} 行（共 ${rows.length} 行）`)
      : null,
  );
}
