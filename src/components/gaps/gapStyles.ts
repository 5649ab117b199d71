/**
 * The coverage-gap page's styles, added once to the page by the explorer (as the import panel does),
 * so they travel with the components. Colours are Okabe & Ito's (gapCharts.ts gapColours); status is
 * never told by colour alone (symbols and words in the scorecard, shapes in the charts).
 */
const css = `
.gap-controls { display: flex; flex-direction: column; gap: 0.6rem; margin: 0.8rem 0; max-width: none; }
.gap-selects { display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: end; }
.gap-field { display: inline-flex; flex-direction: column; gap: 0.2rem; font-size: 0.9em; }
.gap-field select, .gap-field input { font-size: 1rem; padding: 0.2rem 0.3rem; min-width: 10em; }
#gap-indicator { min-width: 18em; }
.gap-filters { display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: start; }
.gap-filters fieldset { border: 1px solid var(--theme-foreground-faint); border-radius: 6px; padding: 0.2rem 0.6rem 0.4rem; margin: 0; }
.gap-filters fieldset[disabled] { opacity: 0.55; }
.gap-filters legend { font-size: 0.85em; padding: 0 0.3em; }
.gap-check { margin-right: 0.7em; white-space: nowrap; font-size: 0.95em; }
.gap-filter-note { font-size: 0.85em; margin: 0.3rem 0 0; max-width: 32em; }
.gap-notes .gap-note { border-left: 4px solid #e69f00; padding: 0.2rem 0.8rem; margin: 0.4rem 0; background: #fff8e6; }
.gap-notes .gap-error { border-left-color: #d55e00; background: #fff3ec; }
.gap-cannot-answer { border-left: 4px solid #d55e00; padding: 0.4rem 0.8rem; margin: 0.4rem 0; background: #fff3ec; }
.gap-breadcrumb ol { list-style: none; display: flex; flex-wrap: wrap; gap: 0.3em; padding: 0; margin: 0.6rem 0; font-size: 1.05em; }
.gap-breadcrumb li + li::before { content: "›"; margin-right: 0.3em; color: var(--theme-foreground-muted); }
.gap-breadcrumb [aria-current] { font-weight: 600; }
.gap-breadcrumb .gap-breadcrumb-level { color: var(--theme-foreground-muted); }
.gap-method p { margin: 0.3rem 0; max-width: 60em; }
.gap-card h3 { margin: 0 0 0.3rem; font-size: 0.9em; font-weight: 600; color: var(--theme-foreground-muted); }
.gap-big { font-size: 1.6rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.gap-figure { margin: 0.4rem 0 1.2rem; max-width: none; }
.gap-figure figcaption { font-size: 0.85em; color: var(--theme-foreground-muted); margin-top: 0.3rem; max-width: 60em; }
.gap-clickable { cursor: pointer; }
.gap-empty { color: var(--theme-foreground-muted); font-style: italic; }
.gap-table-tools { display: flex; flex-wrap: wrap; gap: 0.6rem 1.5rem; align-items: end; margin: 0.6rem 0; }
.gap-table-tools button { font-size: 0.95em; }
.gap-row-count { margin-left: 0.8em; font-size: 0.9em; }
.gap-link-row { font-size: 0.85em; flex-basis: 100%; overflow-wrap: anywhere; }
.gap-table-wrap { overflow-x: auto; max-width: none; }
.gap-table { font-size: 0.88em; max-width: none; border-collapse: collapse; }
.gap-table th, .gap-table td { padding: 0.25rem 0.5rem; white-space: nowrap; }
/* Long headers (下级补缺成本合计（一次性）) wrap, so the table fits a 1366-px screen with less sideways scrolling. */
.gap-table thead th { white-space: normal; min-width: 3.5em; max-width: 7.5em; vertical-align: bottom; }
.gap-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.gap-table tbody th { font-weight: normal; text-align: left; }
.gap-table td.missing { color: #6b6b6b; }
.gap-table tr.gap-below td[data-col="gap_count"] { font-weight: 600; }
.gap-sort { background: none; border: none; padding: 0; font: inherit; font-weight: 600; cursor: pointer; color: inherit; text-align: inherit; }
.gap-sort:focus-visible, .gap-drill:focus-visible { outline: 2px solid var(--theme-foreground-focus); }
.gap-show-all { margin: 0.5rem 0; }
.gap-small-table { font-size: 0.85em; max-width: 40em; }
.gap-small-table td { text-align: right; font-variant-numeric: tabular-nums; }
.gap-methods dt { font-weight: 600; margin-top: 0.5rem; }
.gap-methods dd { margin: 0.1rem 0 0 1.2rem; max-width: 60em; }
.sc-scroll { overflow: auto; max-height: 36rem; max-width: none; }
.sc-matrix { font-size: 0.85em; border-collapse: collapse; max-width: none; }
.sc-matrix th, .sc-matrix td { padding: 0.2rem 0.4rem; border: 1px solid var(--theme-background-alt, #eee); white-space: nowrap; }
.sc-matrix thead th { position: sticky; top: 0; background: var(--theme-background); white-space: normal; min-width: 4.5em; vertical-align: bottom; }
.sc-matrix tbody th { text-align: left; font-weight: normal; }
.sc-matrix .num { text-align: right; font-variant-numeric: tabular-nums; }
.sc-matrix tfoot th, .sc-matrix tfoot td { font-weight: 600; }
.sc-cell { text-align: center; font-variant-numeric: tabular-nums; }
.sc-pass { background: #0072b2; color: #fff; }
.sc-fail { background: #fbe3d4; color: #8a3300; }
.sc-missing { background: #e8e8e8; color: #444; font-style: italic; }
.sc-word { margin-left: 0.25em; font-size: 0.85em; }
.sc-share[data-shade="0"] { background: #eef5fb; }
.sc-share[data-shade="1"] { background: #cfe3f3; }
.sc-share[data-shade="2"] { background: #9cc6e6; }
.sc-share[data-shade="3"] { background: #4f98cc; color: #fff; }
.sc-share[data-shade="4"] { background: #0072b2; color: #fff; }
.sc-missing-count { font-size: 0.8em; opacity: 0.85; }
.sc-legend { font-size: 0.85em; display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; }
.sc-key { display: inline-block; padding: 0.1em 0.6em; border-radius: 3px; }
@media print {
  .gap-table-tools, .gap-controls, .gap-show-all { display: none !important; }
  .sc-scroll { max-height: none; overflow: visible; }
}
`;

let added = false;

/** Adds the styles to the document once. */
export function addGapStyles(): void {
  if (added) return;
  const style = document.createElement("style");
  style.dataset.for = "gaps";
  style.textContent = css;
  document.head.appendChild(style);
  added = true;
}
