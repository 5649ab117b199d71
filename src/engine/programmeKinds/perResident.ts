import {communityBaseSelect, growthTerm, term, type ProgrammeKindBlock} from "./kind.js";
import {quoteIdentifier as T} from "../sql.js";

/**
 * `per_resident`: residents × yuan per resident per year (community rehab funding). Every community
 * counts its residents; the money reaches its disabled persons but covers no one new.
 */
export const perResident: ProgrammeKindBlock = {
  roles: ["perResident"],
  grows: () => "residents",
  baseSelect: (_prog, parts) => communityBaseSelect(parts, `u.${T("residents")}`, "TRUE"),
  levers: (values) => ({price: values.perResident ?? 0, running: 0, share: 1, target: 0}),
  cost: {linear: {beneficiaries: `${T("persons")} * pvol_X`, covered: "0"}},
  formula_zh: (prog) => `${prog.counts_zh}${growthTerm("residents")} × ${term(prog, "perResident")}`,
};
