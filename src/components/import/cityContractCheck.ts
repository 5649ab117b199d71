import type {Queryable} from "../../engine/queryable.js";
import {COMMUNITY_COUNTS_TABLE} from "../../engine/communityCountsCube.js";
import {communityCounts} from "../../schemas/communityCounts.js";
import {countsRules, personsRules, unitsRules} from "../../schemas/contract/cityRules.js";
import {checkContract, ContractError, type ContractViolation} from "../../schemas/contract/contractSql.js";
import {persons} from "../../schemas/persons.js";
import {units} from "../../schemas/units.js";

/**
 * The city contract (src/schemas/contract) on the city a page opened in DuckDB-WASM: the same rules the demo
 * city is generated under and the build route checks an imported workbook with. Returns the rules checked and
 * every broken one.
 */
export async function checkCityContract(db: Queryable): Promise<{rules: number; violations: ContractViolation[]}> {
  const [{n}] = await db.query<{n: number}>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?`, [COMMUNITY_COUNTS_TABLE]);
  const checks = [
    {dataset: units, table: "units", rules: unitsRules("units")},
    {dataset: persons, table: "persons", rules: personsRules("persons", "units")},
    ...(Number(n) > 0 ? [{dataset: communityCounts, table: COMMUNITY_COUNTS_TABLE, rules: countsRules(COMMUNITY_COUNTS_TABLE, "units")}] : []),
  ];
  const violations: ContractViolation[] = [];
  let rules = 0;
  for (const c of checks) {
    rules += c.rules.length + Object.keys(c.dataset.row.shape).length;
    try {
      await checkContract(db, c.dataset as never, c.table, c.rules);
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      violations.push(...error.violations);
    }
  }
  return {rules, violations};
}
