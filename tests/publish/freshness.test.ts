import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, test} from "vitest";
import {dropStaleOutputs, inputsFingerprint} from "../../loaders/publish/freshness.js";

let root: string;
let cache: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "dpf-fresh-"));
  cache = join(root, "src", ".observablehq", "cache");
  mkdirSync(join(root, "data", "parameters"), {recursive: true});
  mkdirSync(join(cache, "data"), {recursive: true});
  mkdirSync(join(cache, "briefings"), {recursive: true});
  writeFileSync(join(root, "data", "parameters", "a.yaml"), "value: 1\n");
});
afterEach(() => rmSync(root, {recursive: true, force: true}));

const outputs = () => {
  writeFileSync(join(cache, "data", "units.arrow"), "units");
  writeFileSync(join(cache, "data", "downloads.zip"), "zip");
  mkdirSync(join(cache, "data", "downloads", "codebooks"), {recursive: true});
  writeFileSync(join(cache, "data", "downloads", "codebooks", "units.csv"), "extracted from the zip");
  writeFileSync(join(cache, "briefings", "example.json"), "{}");
};
const all = ["briefings/example.json", "data/downloads.zip", "data/downloads/codebooks/units.csv", "data/units.arrow"];
const present = () => all.map((f) => existsSync(join(cache, f)));
// Framework's own cache folders, never dropped: the vendored libraries and the build record.
const framework = ["_npm/d3@7.9.2/_esm.js", "_build.json"];
beforeEach(() => {
  for (const f of framework) {
    mkdirSync(join(cache, f, ".."), {recursive: true});
    writeFileSync(join(cache, f), "framework");
  }
});

describe("cached data loader outputs", () => {
  test("the fingerprint changes with any input file's content, and with the city chosen by the environment", () => {
    const first = inputsFingerprint(root, ["data"], {});
    expect(inputsFingerprint(root, ["data"], {})).toBe(first);
    expect(inputsFingerprint(root, ["data"], {DPF_CITY_WORKBOOK: join(root, "data", "parameters", "a.yaml")})).not.toBe(first);
    writeFileSync(join(root, "data", "parameters", "a.yaml"), "value: 2\n");
    expect(inputsFingerprint(root, ["data"], {})).not.toBe(first);
  });

  test("are all dropped when their inputs changed since the last build (the files extracted from the archive too), and kept when nothing changed", () => {
    outputs();
    expect(dropStaleOutputs(cache, root)).toEqual(all); // first build: no stamp yet
    outputs();
    expect(dropStaleOutputs(cache, root)).toEqual([]);
    expect(present()).toEqual([true, true, true, true]);
    writeFileSync(join(root, "data", "parameters", "a.yaml"), "value: 3\n");
    expect(dropStaleOutputs(cache, root)).toEqual(all);
    expect(present()).toEqual([false, false, false, false]);
    expect(framework.map((f) => existsSync(join(cache, f)))).toEqual([true, true]);
  });

  test("the fingerprint covers the city files a config names outside the repository", () => {
    const city = join(root, "elsewhere.csv");
    const config = join(root, "other.yaml");
    writeFileSync(city, "单位代码\n");
    writeFileSync(config, `city:\n  workbook: ${JSON.stringify(city)}\n`);
    const first = inputsFingerprint(root, ["data"], {DPF_CONFIG: config});
    writeFileSync(city, "单位代码\nC01\n");
    expect(inputsFingerprint(root, ["data"], {DPF_CONFIG: config})).not.toBe(first);
  });
});
