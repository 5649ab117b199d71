import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {encodeDataset} from "../../loaders/emit.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {parameters as parametersDataset} from "../../src/schemas/parameters.js";
import {benchRoot, repoRoot} from "./paths.js";

/**
 * Benchmark data: the demo city at each size, written by the demo-city CLI (npm run demo-city) into
 * bench/work/<size>/, plus the committed parameters as Arrow and Parquet. A size is regenerated when
 * its files are missing or were written by another generator (the stamp records the inputs).
 */

export interface SizeSpec {
  /** Short name used in paths and tables: 3k, 100k, 1m, 10m. */
  name: string;
  persons: number;
}

export const allSizes: SizeSpec[] = [
  {name: "3k", persons: 3_000},
  {name: "100k", persons: 100_000},
  {name: "1m", persons: 1_000_000},
  {name: "10m", persons: 10_000_000},
];

export interface SizeData {
  size: SizeSpec;
  dir: string;
  files: Record<"units.arrow" | "persons.arrow" | "units.parquet" | "persons.parquet" | "parameters.arrow" | "parameters.parquet", number>;
  /** Communities (社区/村) the generator made for this size. */
  communities: number;
  /** Seconds the generator took (0 when the files were reused). */
  generateSeconds: number;
  reused: boolean;
}

/** What makes generated files stale: the generator's sources and the demo-city config. */
function generatorStamp(size: SizeSpec): string {
  const inputs = ["loaders/demoCity", "data/demo-city", "src/schemas/persons.ts", "src/schemas/units.ts"]
    .flatMap((p) => {
      const path = join(repoRoot, p);
      if (!existsSync(path)) return [];
      const s = statSync(path);
      if (s.isFile()) return [`${p}:${s.size}:${s.mtimeMs}`];
      return spawnSync("ls", ["-l", "--time-style=+%s.%N", path], {encoding: "utf-8"}).stdout.split("\n").map((l) => `${p}:${l}`);
    })
    .join("\n");
  return `${size.persons}\n${inputs}`;
}

/** Writes the committed parameters as Arrow and Parquet into `dir`. */
export async function writeParameters(dir: string): Promise<void> {
  mkdirSync(dir, {recursive: true});
  const rows = loadParameters();
  writeFileSync(join(dir, "parameters.arrow"), await encodeDataset(parametersDataset, rows, "arrow"));
  writeFileSync(join(dir, "parameters.parquet"), await encodeDataset(parametersDataset, rows, "parquet"));
}

export async function prepareSize(size: SizeSpec, log: (line: string) => void): Promise<SizeData> {
  const dir = join(benchRoot, "work", size.name);
  const stampFile = join(dir, "stamp.txt");
  const stamp = generatorStamp(size);
  const names = ["units.arrow", "persons.arrow", "units.parquet", "persons.parquet"] as const;
  const reused = existsSync(stampFile) && readFileSync(stampFile, "utf-8") === stamp && names.every((n) => existsSync(join(dir, n)));
  let generateSeconds = 0;
  let communities = 0;
  if (!reused) {
    log(`generating ${size.name} (${size.persons.toLocaleString("en")} persons) with npm run demo-city …`);
    const started = performance.now();
    const result = spawnSync("npm", ["run", "--silent", "demo-city", "--", "--persons", String(size.persons), "--out", dir], {cwd: repoRoot, encoding: "utf-8", maxBuffer: 1 << 26});
    if (result.status !== 0) throw new Error(`npm run demo-city failed for ${size.name}:\n${result.stderr}`);
    generateSeconds = (performance.now() - started) / 1000;
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf("{"))) as {size: {communities?: number}};
    communities = Number(report.size.communities ?? 0);
    writeFileSync(stampFile, stamp);
    writeFileSync(join(dir, "report.json"), result.stdout.slice(result.stdout.indexOf("{")));
  } else {
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf-8")) as {size: {communities?: number}};
    communities = Number(report.size.communities ?? 0);
  }
  await writeParameters(dir);
  const files = Object.fromEntries([...names, "parameters.arrow", "parameters.parquet"].map((n) => [n, statSync(join(dir, n)).size])) as SizeData["files"];
  return {size, dir, files, communities, generateSeconds, reused};
}
