import {communityBaseSelect, growthTerm, optionalTerm, term, type ProgrammeKindBlock} from "./kind.js";
import {quoteIdentifier as T} from "../sql.js";

const MONTHS_PER_YEAR = 12;

/**
 * `cash`: eligible × take-up × monthly standard × 12 × top-up share (cash standards). A programme with
 * `posts` counts the community posts where that flag is set instead of persons (a post does not grow
 * with the population).
 */
export const cash: ProgrammeKindBlock = {
  roles: ["monthly", "takeup", "topup"],
  grows: (prog) => (prog.posts ? "fixed" : "persons"),
  baseSelect: (prog, parts) => (prog.posts ? communityBaseSelect(parts, "1", `coalesce(u.${T(prog.posts)}, FALSE)`) : communityBaseSelect(parts, parts.q, `${parts.q} > 0`)),
  // Where the allowance tops income up to the standard, only a share of the standard is paid on average.
  levers: (values) => ({price: (values.monthly ?? 0) * MONTHS_PER_YEAR * (values.topup ?? 1), running: 0, share: values.takeup ?? 1, target: 0}),
  cost: {linear: {beneficiaries: "receiving_X", covered: "receiving_X"}},
  formula_zh: (prog) => {
    const topup = optionalTerm(prog, "topup");
    const counted = `${prog.words_zh.counted ?? prog.counts_zh}${growthTerm(cash.grows(prog))}`;
    return `${counted} × ${term(prog, "takeup")} × ${term(prog, "monthly")} × ${MONTHS_PER_YEAR}${topup ? ` × ${topup}` : ""}`;
  },
};
