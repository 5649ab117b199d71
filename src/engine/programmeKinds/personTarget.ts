import {BASES_TABLE} from "../cubeTables.js";
import {quoteIdentifier as T} from "../sql.js";
import type {PersonFlag} from "../../schemas/cubeDimensions.js";
import {baseRows, communityBaseSelect, growthTerm, optionalTerm, rampedCostText, targetLevers, term, type ProgrammeKindBlock, type Step} from "./kind.js";

/**
 * `person_target`: persons below a coverage rate target (筛查率, 建档率, 入学率), reached linearly by
 * the target year, × unit cost (once, for those newly reached) and running cost (every year, for all
 * reached so far). Each community counts the programme's persons (q) and those already covered (a,
 * the programme's `achieved` flag).
 */

/** Per programme and share already covered (a/q), the persons counted and covered. */
export const PERSON_STEPS_TABLE = "scenario_person_ratios";

/** What a person target costs and covers, from the persons it reaches by now and by a year ago. */
const personTargetSteps: Step[][] = [
  [["step", "greatest(0, covered_X - covered_before_X)"]],
  [
    ["cost", "step_X * price_X + covered_X * running_X"],
    // Running costs pay for everyone reached so far; a one-off cost only for those reached this year.
    ["beneficiaries", "CASE WHEN running_X > 0 THEN covered_X ELSE step_X END"],
    ["units", "0"],
  ],
];

export const personTarget: ProgrammeKindBlock = {
  roles: ["target", "unitCost", "runningCost"],
  grows: () => "persons",
  coveredFlag: (prog) => prog.achieved as PersonFlag | undefined,
  baseSelect: (_prog, parts) => communityBaseSelect(parts, parts.q, `${parts.q} > 0`),
  // The persons a rate k leaves uncovered, for any k, without a row per community: communities summed
  // by the share already covered (a/q) give k·Σq − Σa over the rows with a/q < k.
  summaries: async (db) => {
    const [pno, q, a, r] = ["programme_no", "quantity", "achieved", "r"].map((c) => T(c));
    // Communities with the same share covered are summed into one row.
    await db.query(
      `CREATE OR REPLACE TABLE ${T(PERSON_STEPS_TABLE)} AS
     SELECT ${pno}, ${a} / ${q} AS ${r}, sum(${q}) AS ${q}, sum(${a}) AS ${a} FROM ${T(BASES_TABLE)}
      WHERE ${T("kind")} = ? GROUP BY ALL ORDER BY ${pno}, ${r}`,
      ["person_target"],
    );
  },
  levers: targetLevers,
  cost: {
    families: {
      community: {
        // Persons below a rate target, reached linearly by the target year.
        source: baseRows(["person_target"], ["quantity", "achieved"]),
        steps: [
          [
            ["counted", `${T("quantity")} * pvol_X`],
            ["covered", `greatest(0, target_X * ${T("quantity")} * pvol_X - ${T("achieved")}) * ramp_X`],
            ["covered_before", `greatest(0, target_X * ${T("quantity")} * pvol_prev_X - ${T("achieved")}) * ramp_prev_X`],
          ],
          ...personTargetSteps,
        ],
      },
      city: {
        // The persons a rate k leaves uncovered: k·Σq − Σa over the communities whose covered share a/q is below k.
        source: (_keys, _byCommunity, suffixes) => {
          const [q, a, r] = ["quantity", "achieved", "r"].map((c) => `p.${T(c)}`);
          const uncovered = (k: string) => `(${k} * coalesce(sum(${q}) FILTER (WHERE ${r} < ${k}), 0) - coalesce(sum(${a}) FILTER (WHERE ${r} < ${k}), 0))`;
          const columns = suffixes.flatMap((x) => [
            `any_value(l.price_${x}) AS price_${x}`,
            `any_value(l.running_${x}) AS running_${x}`,
            `${uncovered(`l.target_${x} * l.pvol_${x}`)} * any_value(l.ramp_${x}) AS covered_${x}`,
            `${uncovered(`l.target_${x} * l.pvol_prev_${x}`)} * any_value(l.ramp_prev_${x}) AS covered_before_${x}`,
            `sum(${q}) * any_value(l.pvol_${x}) AS counted_${x}`,
          ]);
          const groups = ["s", "year", "pno", ...suffixes.flatMap((x) => [`l.target_${x}`, `l.pvol_${x}`, `l.pvol_prev_${x}`])];
          return `SELECT s, year, pno, ${columns.join(", ")}
        FROM lev l JOIN ${T(PERSON_STEPS_TABLE)} p ON p.${T("programme_no")} = l.pno GROUP BY ${groups.join(", ")}`;
        },
        steps: personTargetSteps,
      },
    },
  },
  formula_zh: (prog) => {
    const {achieved, newly} = prog.words_zh;
    if (!achieved || !newly) throw new Error(`programme ${prog.id}: a person target's formula names those already covered and those newly reached`);
    const gap = `各社区 max(0, ${prog.counts_zh}${growthTerm("persons")} × ${term(prog, "target")} − ${achieved}) 按目标年线性推进`;
    return gap + rampedCostText(newly, optionalTerm(prog, "unitCost"), optionalTerm(prog, "runningCost"));
  },
};
