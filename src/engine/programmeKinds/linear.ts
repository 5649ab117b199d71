import {quoteIdentifier as T} from "../sql.js";
import {baseRows, type Family, type ProgrammeKindBlock} from "./kind.js";

/**
 * The one pass over the linear kinds (per-resident funding, cash standards, one-off amounts): counted =
 * quantity × its growth, receiving = counted × share, cost = receiving × price. The kinds differ only in
 * whom the money reaches and covers, written as a CASE on the row's kind.
 */
export function linearFamily(kinds: readonly (readonly [string, ProgrammeKindBlock])[]): Family {
  const linear = kinds.map(([kind, block]) => {
    if (!("linear" in block.cost)) throw new Error(`kind ${kind} is not linear`);
    return [kind, block.cost.linear] as const;
  });
  const byKind = (part: "beneficiaries" | "covered") => caseOnKind(linear.map(([kind, cost]) => [kind, cost[part]]));
  return {
    changedOnly: true,
    source: baseRows(linear.map(([kind]) => kind), ["kind", "grows", "quantity", "persons"]),
    steps: [
      [["counted", `${T("quantity")} * (CASE ${T("grows")} WHEN 'residents' THEN rvol_X WHEN 'persons' THEN pvol_X ELSE 1 END)`]],
      [["receiving", "counted_X * share_X"]],
      [
        ["cost", "receiving_X * price_X"],
        ["beneficiaries", byKind("beneficiaries")],
        ["covered", byKind("covered")],
        ["units", "0"],
      ],
    ],
  };
}

/** One SQL expression from each kind's: the expression most kinds share is the ELSE branch. */
function caseOnKind(parts: readonly (readonly [kind: string, sql: string])[]): string {
  const uses = new Map<string, number>();
  for (const [, sql] of parts) uses.set(sql, (uses.get(sql) ?? 0) + 1);
  const common = [...uses.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const whens = parts.filter(([, sql]) => sql !== common).map(([kind, sql]) => `WHEN '${kind}' THEN ${sql}`);
  return whens.length ? `CASE ${T("kind")} ${whens.join(" ")} ELSE ${common} END` : common;
}
