import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {quoteIdentifier} from "../../src/engine/sql.js";
import {parameters} from "../../src/schemas/parameters.js";
import {persons} from "../../src/schemas/persons.js";
import {units} from "../../src/schemas/units.js";
import {NodeDuckDB} from "../duckdbNode.js";
import {encodeDataset} from "../emit.js";
import type {PublishedCity} from "./city.js";

/**
 * The tables the engines read (`units`, `persons`, `parameters`) in an in-memory DuckDB, from the same
 * rows and the same Parquet encoder the site publishes, so a briefing computed at build time agrees
 * with what the pages compute in the browser.
 */
export async function openCityDatabase(city: PublishedCity): Promise<NodeDuckDB> {
  const {loadParameters} = await import("../parameters/loadParameters.js");
  const dir = mkdtempSync(join(tmpdir(), "dpf-briefing-"));
  const db = await NodeDuckDB.open();
  try {
    const tables = [
      ["units", await encodeDataset(units, city.units, "parquet")],
      ["persons", await encodeDataset(persons, city.persons, "parquet")],
      ["parameters", await encodeDataset(parameters, loadParameters(), "parquet")],
    ] as const;
    for (const [name, bytes] of tables) {
      const file = join(dir, `${name}.parquet`);
      writeFileSync(file, bytes);
      await db.run(`CREATE TABLE ${quoteIdentifier(name)} AS SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
