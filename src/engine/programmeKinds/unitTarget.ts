import {BASES_TABLE} from "../cubeTables.js";
import {quoteIdentifier as T} from "../sql.js";
import {baseRows, optionalTerm, rampedCostText, targetLevers, term, type ProgrammeKindBlock, type Step} from "./kind.js";

/**
 * `unit_target`: communities below a facility-rate target (康复室, 协调员, 托养服务点), reached linearly
 * by the target year, × set-up cost (once) and running cost (every year after). The people covered are
 * the programme's persons in those communities, and in each district the communities with most of them
 * are equipped first. A base row is a community lacking the facility (`achieved` is a unit flag), with
 * its district's count of communities, how many have it, and its rank.
 */

/** Per programme and district, the communities and how many are equipped. */
export const UNIT_DISTRICTS_TABLE = "scenario_unit_districts";
/** Per programme and district, persons in the first n communities to equip, n = 0, 1, …. */
export const UNIT_STEPS_TABLE = "scenario_unit_steps";

/** What a facility target costs and covers, from the communities it equips (counted) and their persons. */
const unitTargetSteps: Step[][] = [
  [
    ["units", "counted_X * ramp_X"],
    ["units_step", "counted_X * (ramp_X - ramp_prev_X)"],
  ],
  [
    ["cost", "units_step_X * price_X + units_X * running_X"],
    // Running costs serve every community equipped so far; a set-up cost only those equipped this year.
    ["beneficiaries", "(CASE WHEN running_X > 0 THEN ramp_X ELSE ramp_X - ramp_prev_X END) * persons_now_X"],
    ["covered", "ramp_X * persons_now_X"],
  ],
];

export const unitTarget: ProgrammeKindBlock = {
  roles: ["target", "unitCost", "runningCost"],
  // A community's facility serves it whatever its population does.
  grows: () => "fixed",
  baseSelect: (prog, {head, from, params, q}) => {
    if (!prog.achieved) throw new Error(`programme ${prog.id} needs an achieved flag`);
    const have = `coalesce(u.${T(prog.achieved)}, FALSE)`;
    const district = `PARTITION BY u.${T("district_code")}`;
    const sql = `SELECT * EXCLUDE (have) FROM (${head}, CAST(1 AS DOUBLE) AS ${T("quantity")}, CAST(0 AS DOUBLE) AS ${T("achieved")}, CAST(${q} AS DOUBLE) AS ${T("persons")},
        CAST(count(*) OVER (${district}) AS INTEGER) AS ${T("district_units")},
        CAST(count(*) FILTER (WHERE ${have}) OVER (${district}) AS INTEGER) AS ${T("district_have")},
        CAST(row_number() OVER (${district}, ${have} ORDER BY ${q} DESC, u.${T("unit_code")}) AS INTEGER) AS ${T("rank")}, ${have} AS have
      ${from}) WHERE NOT have`;
    return {sql, params};
  },
  // Each district's count of communities, and the persons in its first n communities to equip.
  summaries: async (db) => {
    const [pno, persons, rank, district] = ["programme_no", "persons", "rank", "district_code"].map((c) => T(c));
    await db.query(
      `CREATE OR REPLACE TABLE ${T(UNIT_DISTRICTS_TABLE)} AS
     SELECT ${pno}, ${district}, any_value(${T("district_units")}) AS ${T("district_units")},
            any_value(${T("district_have")}) AS ${T("district_have")}, count(*) AS ${T("lacking")}
       FROM ${T(BASES_TABLE)} WHERE ${T("kind")} = ? GROUP BY ALL ORDER BY ${pno}, ${district}`,
      ["unit_target"],
    );
    // Rank 0 (nothing to equip) holds 0 persons, so every count of communities finds its row.
    await db.query(
      `CREATE OR REPLACE TABLE ${T(UNIT_STEPS_TABLE)} AS
     SELECT ${pno}, ${district}, 0 AS ${rank}, CAST(0 AS DOUBLE) AS ${T("persons_sum")} FROM ${T(UNIT_DISTRICTS_TABLE)}
     UNION ALL
     SELECT ${pno}, ${district}, ${rank}, sum(${persons}) OVER (PARTITION BY ${pno}, ${district} ORDER BY ${rank}) AS ${T("persons_sum")}
       FROM ${T(BASES_TABLE)} WHERE ${T("kind")} = ?
     ORDER BY ${pno}, ${district}, ${rank}`,
      ["unit_target"],
    );
  },
  levers: targetLevers,
  cost: {
    families: {
      community: {
        // Communities below a facility-rate target: a district equips ceil(target × communities) − equipped,
        // those with most of the programme's persons first; round() keeps 0.3 × 10 at 3.
        source: baseRows(["unit_target"], ["rank", "district_units", "district_have", "persons"]),
        steps: [
          [
            ["counted", `CASE WHEN ${T("rank")} <= ceil(round(target_X * ${T("district_units")}, 9)) - ${T("district_have")} THEN 1 ELSE 0 END`],
            ["persons_now", `counted_X * ${T("persons")} * pvol_X`],
          ],
          ...unitTargetSteps,
        ],
      },
      city: {
        // Per district: the count to equip, ceil(target × communities) − equipped within 0…lacking, computed
        // first so the persons in the first n communities are found by a plain equality join.
        source: (_keys, _byCommunity, suffixes) => {
          const count = (x: string) => `CAST(least(d.${T("lacking")}, greatest(0, ceil(round(l.target_${x} * d.${T("district_units")}, 9)) - d.${T("district_have")})) AS INTEGER) AS counted_${x}`;
          const joins = suffixes.map(
            (x) => `JOIN ${T(UNIT_STEPS_TABLE)} f${x} ON f${x}.${T("programme_no")} = l.pno AND f${x}.${T("district_code")} = l.${T("district_code")} AND f${x}.${T("rank")} = l.counted_${x}`,
          );
          return `SELECT l.*, ${suffixes.map((x) => `f${x}.${T("persons_sum")} * l.pvol_${x} AS persons_now_${x}`).join(", ")}
        FROM (SELECT l.*, d.${T("district_code")}, ${suffixes.map(count).join(", ")}
                FROM lev l JOIN ${T(UNIT_DISTRICTS_TABLE)} d ON d.${T("programme_no")} = l.pno) l
        ${joins.join(" ")}`;
        },
        steps: unitTargetSteps,
      },
    },
  },
  formula_zh: (prog) => {
    const {newly, first} = prog.words_zh;
    if (!newly || !first) throw new Error(`programme ${prog.id}: a facility target's formula names the communities newly equipped and whose come first`);
    const gap = `各区县达到${term(prog, "target")} 所需${newly}的社区数（${first}多者优先）按目标年线性推进`;
    const [setUp, running] = [optionalTerm(prog, "unitCost"), optionalTerm(prog, "runningCost")];
    // The count is already of communities newly equipped: a set-up cost alone multiplies it directly.
    return gap + (setUp && !running ? ` × ${setUp} × 物价指数` : rampedCostText(newly, setUp, running));
  },
};
