import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {usePersonsCube} from "../../src/engine/personCounts.js";
import {quoteIdentifier} from "../../src/engine/sql.js";
import {parameters} from "../../src/schemas/parameters.js";
import {persons} from "../../src/schemas/persons.js";
import {personsCube} from "../../src/schemas/personsCube.js";
import {units} from "../../src/schemas/units.js";
import {cubeThreshold} from "../city/loadCity.js";
import {buildPersonsCube} from "../city/personsCube.js";
import {NodeDuckDB} from "../duckdbNode.js";
import {encodeDataset} from "../emit.js";
import type {PublishedCity} from "./city.js";

/**
 * The tables the engines read (`units`, `persons`, `parameters`) in an in-memory DuckDB, from the same
 * rows and the same Parquet encoder the site publishes, so a briefing computed at build time agrees
 * with what the pages compute in the browser. For a real city that means persons_cube: its pages count
 * persons from the published cube (small cells pooled), so the briefing and scenario results do too —
 * and exact totals published beside the cube could not be differenced against it.
 */
export async function openCityDatabase(city: PublishedCity): Promise<NodeDuckDB> {
  const {loadParameters} = await import("../parameters/loadParameters.js");
  const dir = mkdtempSync(join(tmpdir(), "dpf-briefing-"));
  const db = await NodeDuckDB.open();
  try {
    const tables: [string, Uint8Array][] = [
      ["units", await encodeDataset(units, city.units, "parquet")],
      ["persons", await encodeDataset(persons, city.persons, "parquet")],
      ["parameters", await encodeDataset(parameters, loadParameters(), "parquet")],
    ];
    // A real city counts from the cube it publishes: a counts city's is built from its counts, not from (no) person rows.
    if (!city.synthetic) tables.push(["persons_cube", await encodeDataset(personsCube, city.cube ?? buildPersonsCube(city.persons, cubeThreshold(), city.units).rows, "parquet")]);
    for (const [name, bytes] of tables) {
      const file = join(dir, `${name}.parquet`);
      writeFileSync(file, bytes);
      await db.run(`CREATE TABLE ${quoteIdentifier(name)} AS SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`);
    }
    if (!city.synthetic) await usePersonsCube(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
