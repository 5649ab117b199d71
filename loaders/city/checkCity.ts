import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {z} from "zod";
import {NodeDuckDB} from "../duckdbNode.js";
import {toParquet} from "../writeDataset.js";
import {quoteIdentifier} from "../../src/engine/sql.js";
import type {Dataset} from "../../src/schemas/column.js";
import {communityCounts, type CommunityCountsRow} from "../../src/schemas/communityCounts.js";
import {countsRules, personsRules, unitsRules} from "../../src/schemas/contract/cityRules.js";
import {checkContract, ContractError, type ContractViolation} from "../../src/schemas/contract/contractSql.js";
import {persons as personsDataset, type PersonRow} from "../../src/schemas/persons.js";
import {units as unitsDataset, type UnitRow} from "../../src/schemas/units.js";

/**
 * The city contract (src/schemas/contract/cityRules.ts) on an imported city at build time: the same rules the
 * demo city is generated under, run in DuckDB over the rows the build would publish from. Returns every broken
 * rule (empty when the city holds).
 */
export async function cityContractViolations(city: {units: readonly UnitRow[]; persons: readonly PersonRow[]; counts: readonly CommunityCountsRow[]}): Promise<ContractViolation[]> {
  const dir = mkdtempSync(join(tmpdir(), "dpf-contract-"));
  const db = await NodeDuckDB.open();
  try {
    const load = async <S extends z.ZodRawShape>(dataset: Dataset<S>, table: string, rows: readonly unknown[]) => {
      const path = join(dir, `${table}.parquet`);
      writeFileSync(path, await toParquet(dataset, rows));
      await db.run(`CREATE TABLE ${quoteIdentifier(table)} AS SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`);
    };
    await load(unitsDataset, "units", city.units);
    await load(personsDataset, "persons", city.persons);
    await load(communityCounts, "community_counts", city.counts);
    const violations: ContractViolation[] = [];
    const check = async <S extends z.ZodRawShape>(dataset: Dataset<S>, table: string, rules: Parameters<typeof checkContract>[3]) => {
      try {
        await checkContract(db, dataset, table, rules);
      } catch (error) {
        if (!(error instanceof ContractError)) throw error;
        violations.push(...error.violations);
      }
    };
    await check(unitsDataset, "units", unitsRules("units"));
    await check(personsDataset, "persons", personsRules("persons", "units"));
    await check(communityCounts, "community_counts", countsRules("community_counts", "units"));
    return violations;
  } finally {
    db.close();
    rmSync(dir, {recursive: true, force: true});
  }
}
