import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {loadDemoCityConfig} from "../../loaders/demoCity/config.js";
import {openCity} from "../../loaders/demoCity/calibration.js";
import {writeDemoCity, type WriteCityOptions, type WriteCityReport} from "../../loaders/demoCity/writeCity.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";

export const config = loadDemoCityConfig();

/** A scratch folder removed by `cleanup`. */
export function scratchDir(): {dir: string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), "dpf-demo-city-test-"));
  return {dir, cleanup: () => rmSync(dir, {recursive: true, force: true})};
}

/** Writes a city to a scratch folder and opens it in DuckDB (tables `units`, `persons`). */
export async function writtenCity(options: Omit<WriteCityOptions, "outDir"> = {}): Promise<{dir: string; report: WriteCityReport; db: NodeDuckDB; close: () => void}> {
  const {dir, cleanup} = scratchDir();
  const report = await writeDemoCity({formats: ["parquet"], ...options, outDir: dir});
  const db = await openCity(dir);
  return {dir, report, db, close: () => (db.close(), cleanup())};
}
