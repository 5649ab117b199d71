import {continuedTargetZh, targetForYear} from "../../src/engine/planTargets.js";
import {parameterIds} from "../../src/engine/programmes.js";
import type {NationalIndicatorRow} from "../../src/schemas/nationalIndicators.js";
import type {ParameterRow} from "../../src/schemas/parameters.js";
import type {ReferenceRow} from "../../src/schemas/reference.js";
import {loadParameters} from "../parameters/loadParameters.js";
import {attributeZh, loadReference, readReferenceTables} from "./loadReference.js";

/** The last year of the 15th plan: the sandbox's horizon, for which a continued target is named. */
const HORIZON_YEAR = 2030;

/** A figure as written with its unit, for a planner: `>85` % → ">85%", `110` 万户 → "110万户"; none → "—". */
export function figureText(row: Pick<ReferenceRow, "value_text" | "value_qualifier" | "unit">): string {
  if (row.value_qualifier === "missing") return "—";
  if (row.value_qualifier === "text") return row.value_text;
  return `${row.value_text}${row.unit ?? ""}`;
}

/** The cells of a national table's rows, by table row: the indicator number and attribute the dataset does not carry. */
function tableCells(table: "national_plan_14th" | "national_outturns"): Map<number, Record<string, string>> {
  const file = readReferenceTables().find((t) => t.table === table);
  if (!file) throw new Error(`data/reference/${table}.csv is missing`);
  return new Map(file.rows.map((r) => [r.row, r.cells]));
}

/**
 * The overview's national indicators: each plan row joined with its latest outturn (the first outturn
 * row of the same number) and the parameter whose quote is that row's quote. An indicator without an
 * outturn, or a numeric target without a parameter, stops the build: the overview must show all three.
 */
export function nationalIndicatorRows(reference: readonly ReferenceRow[] = loadReference(), parameters: readonly ParameterRow[] = loadParameters()): NationalIndicatorRow[] {
  const planCells = tableCells("national_plan_14th");
  const outturnNo = new Map([...tableCells("national_outturns")].filter(([, c]) => c.indicator_no).map(([row, c]) => [row, Number(c.indicator_no)]));
  const plan = reference.filter((r) => r.table === "national_plan_14th");
  const outturns = reference.filter((r) => r.table === "national_outturns");
  const nationalTargets = parameters.filter((p) => p.id.startsWith(`${parameterIds.nationalTargets}.`) && p.role === "target");

  return [...new Set(plan.map((r) => r.source_row))].map((sourceRow) => {
    const cells = planCells.get(sourceRow)!;
    const no = Number(cells.indicator_no);
    const baseline = plan.find((r) => r.source_row === sourceRow && r.source_column === "baseline_2020")!;
    const target = plan.find((r) => r.source_row === sourceRow && r.source_column === "target_2025")!;
    const outturn = outturns.find((r) => outturnNo.get(r.source_row) === no);
    if (!outturn) throw new Error(`data/reference/national_outturns.csv: no outturn for plan indicator ${no} (${target.indicator_zh})`);
    const parameter = nationalTargets.find((p) => p.quote !== null && (target.source_quote ?? "").includes(p.quote));
    if (!parameter && target.value !== null) throw new Error(`data/parameters/target/: plan indicator ${no} has a numeric target but no target.national.* parameter quoting its row`);
    const attribute = cells.attribute === "binding" ? "binding" : "expected";
    const later = parameter ? targetForYear(parameters, parameter.id, HORIZON_YEAR) : undefined;
    return {
      no,
      indicator_zh: target.indicator_zh.replace(/（2025年目标）$/, ""),
      attribute,
      attribute_zh: attributeZh(attribute),
      baseline_text: figureText(baseline),
      target_text: target.value_qualifier === "missing" ? "未找到全国数值" : figureText(target),
      plan_source: target.source!,
      plan_source_title: target.document!,
      plan_quote: target.source_quote!,
      plan_note: cells.note || null,
      parameter_id: parameter?.id ?? null,
      later_years_zh: later?.continued ? continuedTargetZh(later.row.target_year!) : null,
      outturn_text: figureText(outturn),
      outturn_period: outturn.period!,
      outturn_source: outturn.source!,
      outturn_source_title: outturn.document!,
      outturn_quote: outturn.source_quote!,
      outturn_note: outturn.note,
    };
  });
}
