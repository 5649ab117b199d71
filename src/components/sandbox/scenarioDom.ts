import {h} from "../shared/dom.js";

/**
 * Data tables of the budget sandbox's views, made with the one DOM helper (shared/dom.ts): numeric cells
 * keep the exact value in `data-value` beside the formatted text (tests and screen readers read the same table).
 */

type Attributes = Record<string, string | number | boolean | null | undefined>;

/** A column of a data table: its key in the row, header, and how to write a value. */
export interface Column<Row> {
  key: string;
  label: string;
  /** The cell's content; numbers are formatted by `format` and kept exact in `data-value`. */
  value: (row: Row) => number | string | null | Node;
  format?: (value: number | null) => string;
  /** The first column is a row header (`<th scope="row">`). */
  header?: boolean;
}

/** A table with a caption, one row per item; each `<tr>` gets the attributes `rowAttributes` returns. */
export function dataTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  options: {caption?: string; className?: string; testid?: string; rowAttributes?: (row: Row) => Attributes} = {},
): HTMLTableElement {
  const head = h("tr", {}, columns.map((c) => h("th", {scope: "col", "data-field": c.key}, c.label)));
  const body = rows.map((row) =>
    h(
      "tr",
      options.rowAttributes?.(row) ?? {},
      columns.map((c) => {
        const value = c.value(row);
        const numeric = typeof value === "number" || value === null;
        const text = value instanceof Node ? value : numeric ? (c.format ?? String)(value as number | null) : value;
        const attributes: Attributes = {"data-field": c.key, "data-value": typeof value === "number" ? value : null, class: numeric ? "num" : null};
        return c.header ? h("th", {scope: "row", ...attributes}, text) : h("td", attributes, text);
      }),
    ),
  );
  return h(
    "table",
    {class: `sandbox-table ${options.className ?? ""}`.trim(), "data-testid": options.testid},
    options.caption ? h("caption", {}, options.caption) : null,
    h("thead", {}, head),
    h("tbody", {}, body),
  );
}

/** Saves text as a file through a temporary link (nothing leaves the browser). */
export function downloadText(name: string, text: string, type = "application/json"): void {
  const url = URL.createObjectURL(new Blob([text], {type: `${type};charset=utf-8`}));
  const link = h("a", {href: url, download: name, hidden: true});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The width a chart may use inside its container (the page may report 0 before layout). */
export function chartWidth(container: Element, max = 900): number {
  return Math.max(320, Math.min(container.clientWidth || 640, max));
}

/** Okabe & Ito's colour-blind-safe palette (told apart with every common colour-vision deficiency). */
export const palette = {
  blue: "#0072B2",
  orange: "#E69F00",
  green: "#009E73",
  vermillion: "#D55E00",
  sky: "#56B4E9",
  purple: "#CC79A7",
  yellow: "#F0E442",
  grey: "#8C8C8C",
} as const;
