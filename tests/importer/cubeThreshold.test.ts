import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {expect, test} from "vitest";
import {loadCityConfig} from "../../loaders/city/config.js";
import {cubeThreshold} from "../../loaders/city/loadCity.js";

/** A dpf.config.yaml with these blocks, as DPF_CONFIG names it. */
function envWith(yaml: string): NodeJS.ProcessEnv {
  const file = join(mkdtempSync(join(tmpdir(), "dpf-threshold-")), "dpf.config.yaml");
  writeFileSync(file, yaml);
  return {DPF_CONFIG: file};
}

test("persons_cube pools below the publishing threshold even when city.minCellSize is lower, and below minCellSize when it is higher", () => {
  const lower = envWith("city:\n  minCellSize: 3\npublish:\n  small_cell_threshold: 7\n");
  expect(cubeThreshold(loadCityConfig(lower), lower)).toBe(7);
  const higher = envWith("city:\n  minCellSize: 10\npublish:\n  small_cell_threshold: 5\n");
  expect(cubeThreshold(loadCityConfig(higher), higher)).toBe(10);
  const defaults = envWith("city: {}\n");
  expect(cubeThreshold(loadCityConfig(defaults), defaults)).toBe(5);
});
