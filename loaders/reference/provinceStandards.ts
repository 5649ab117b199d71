import {parameterIds} from "../../src/engine/programmes.js";
import type {ProvinceStandardRow} from "../../src/schemas/provinceStandards.js";
import type {ReferenceRow} from "../../src/schemas/reference.js";
import {loadReference} from "./loadReference.js";

/** Which parameter each column of the two-subsidies table is a standard of. */
const parameterOfColumn: Readonly<Record<string, string>> = {
  living_allowance_yuan_month: parameterIds.poorDisabled,
  nursing_subsidy_yuan_month: parameterIds.severeDisabled,
};

/** The effective date a table's period gives: an ISO date, a year alone (→ 1 January), or none. */
export function effectiveDateOf(period: string | null): string | null {
  if (period === null) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return period;
  if (/^\d{4}$/.test(period)) return `${period}-01-01`;
  return null;
}

/**
 * The provinces' own standards: every figure of the two-subsidies table that is one amount (tiers by
 * category or household are text and left out, so no number is invented), with the row's quote.
 */
export function provinceStandardRows(reference: readonly ReferenceRow[] = loadReference()): ProvinceStandardRow[] {
  return reference
    .filter((r) => r.table === "two_subsidies_standards_by_province" && r.value_qualifier === "exact" && r.value !== null && r.region_code && r.source_quote)
    .map((r) => ({
      province_code: r.region_code!,
      province: r.region,
      parameter_id: parameterOfColumn[r.source_column]!,
      value: r.value!,
      effective_date: effectiveDateOf(r.period),
      source: "two_subsidies_standards_by_province.csv",
      quote: r.source_quote!,
      reliability: r.reliability,
    }))
    .sort((a, b) => (a.province_code === b.province_code ? (a.parameter_id < b.parameter_id ? -1 : 1) : a.province_code < b.province_code ? -1 : 1));
}
