import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {afterAll, beforeAll, expect, test} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import {writeDemoCity} from "../../loaders/demoCity/writeCity.js";
import {encodeDataset} from "../../loaders/emit.js";
import type {Dataset} from "../../src/schemas/column.js";
import {persons} from "../../src/schemas/persons.js";
import {units} from "../../src/schemas/units.js";
import {config, scratchDir} from "./fixtures.js";

const scratch = scratchDir();
afterAll(scratch.cleanup);

let first: {units: Uint8Array; persons: Uint8Array};
beforeAll(async () => {
  const city = await generateDemoCity(config);
  first = {units: await encodeDataset(units, city.units, "parquet"), persons: await encodeDataset(persons, city.persons, "parquet")};
});

test("the same seed gives byte-identical Parquet files", async () => {
  const again = await generateDemoCity(config);
  expect(Buffer.from(await encodeDataset(units, again.units, "parquet")).equals(Buffer.from(first.units))).toBe(true);
  expect(Buffer.from(await encodeDataset(persons, again.persons, "parquet")).equals(Buffer.from(first.persons))).toBe(true);
});

test("another seed gives another city: different files and most persons different", async () => {
  const other = scratchDir();
  try {
    await writeDemoCity({outDir: other.dir, formats: ["parquet"], seed: config.seed + 1});
    expect(readFileSync(join(other.dir, "units.parquet")).equals(Buffer.from(first.units))).toBe(false);
    expect(readFileSync(join(other.dir, "persons.parquet")).equals(Buffer.from(first.persons))).toBe(false);
  } finally {
    other.cleanup();
  }
  const a = await generateDemoCity(config);
  const b = await generateDemoCity({...config, seed: config.seed + 1});
  // The same number of units at each level (the config's), laid out and staffed differently.
  const perLevel = (rows: typeof a.units) => ["city", "district", "street", "community"].map((level) => rows.filter((u) => u.level === level).length);
  expect(perLevel(b.units)).toEqual(perLevel(a.units));
  const differ = a.persons.filter((p, i) => b.persons[i] && (p.category !== b.persons[i].category || p.age !== b.persons[i].age)).length;
  expect(differ / a.persons.length).toBeGreaterThan(0.5);
});

test("the benchmark writer at the default size writes the same bytes as the Framework data loaders, on two threads", async () => {
  await writeDemoCity({outDir: scratch.dir, formats: ["parquet"], threads: 2});
  expect(readFileSync(join(scratch.dir, "units.parquet")).equals(Buffer.from(first.units))).toBe(true);
  expect(readFileSync(join(scratch.dir, "persons.parquet")).equals(Buffer.from(first.persons))).toBe(true);
});

test("the benchmark writer's Arrow files hold the same schema and rows as the Framework loaders' Arrow", async () => {
  const city = await generateDemoCity(config);
  await writeDemoCity({outDir: scratch.dir, formats: ["arrow"]});
  const same = async (dataset: Dataset, rows: readonly unknown[]) => {
    const loader = tableFromIPC(await encodeDataset(dataset, rows, "arrow"));
    const writer = tableFromIPC(readFileSync(join(scratch.dir, `${dataset.name}.arrow`)));
    expect(String(writer.schema)).toBe(String(loader.schema));
    expect(writer.toArray().map((r) => JSON.stringify(r))).toEqual(loader.toArray().map((r) => JSON.stringify(r)));
  };
  await same(units as unknown as Dataset, city.units);
  await same(persons as unknown as Dataset, city.persons);
});

test("the Framework data loader src/data/persons.parquet.ts writes the demo city's persons to stdout", () => {
  const out = execFileSync(process.execPath, ["--import", "tsx", "src/data/persons.parquet.ts"], {cwd: new URL("../../", import.meta.url), maxBuffer: 1 << 26});
  expect(out.equals(Buffer.from(first.persons))).toBe(true);
});
