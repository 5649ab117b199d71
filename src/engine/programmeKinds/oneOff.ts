import {communityBaseSelect, growthTerm, optionalTerm, pricePerCase, term, type ProgrammeKindBlock} from "./kind.js";

/**
 * `one_off`: eligible × share receiving it in a year × amount per case (grants, repairs, devices). An
 * amount is a standard and stays as it is; a unit cost is an assumption and follows prices.
 */
export const oneOff: ProgrammeKindBlock = {
  roles: ["takeup", "amount", "unitCost"],
  grows: () => "persons",
  baseSelect: (_prog, parts) => communityBaseSelect(parts, parts.q, `${parts.q} > 0`),
  levers: (values, year) => ({price: pricePerCase(values, year), running: 0, share: values.takeup ?? 1, target: 0}),
  cost: {linear: {beneficiaries: "receiving_X", covered: "receiving_X"}},
  formula_zh: (prog) => {
    const [amount, unitCost] = [optionalTerm(prog, "amount"), optionalTerm(prog, "unitCost")];
    const priced = [amount, unitCost && `${unitCost} × 物价指数`].filter((x) => x);
    const perCase = priced.length > 1 ? `（${priced.join(" + ")}）` : priced[0];
    return `${prog.counts_zh}${growthTerm("persons")} × ${term(prog, "takeup")} × ${perCase}`;
  },
};
