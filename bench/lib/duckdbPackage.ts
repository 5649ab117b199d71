import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {precompressed} from "../../scripts/postbuild.js";
import {duckdbFiles} from "./page.js";
import {benchRoot, repoRoot} from "./paths.js";

/**
 * A DuckDB-WASM version to measure: the project's own (node_modules) or another, installed with npm's
 * ordinary client into bench/work/duckdb-wasm/<version>/ (`npm install --prefix`), never into the
 * project: the project's package.json and lock stay as they are.
 */

export interface DuckdbPackage {
  version: string;
  /** True for the version in the project's node_modules. */
  installed: boolean;
  /** The `--prefix` folder (undefined for the project's own). */
  prefix?: string;
  /** The package's folder (…/node_modules/@duckdb/duckdb-wasm). */
  dir: string;
  /** Its apache-arrow: the range it asks for and the version npm put beside it. */
  arrow: {range: string; resolved: string};
}

const packageJson = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf-8")) as {version: string; dependencies?: Record<string, string>};

/** The apache-arrow the package resolves to: its own nested copy, else the one beside it. */
function arrowBeside(dir: string, nodeModules: string): string {
  for (const candidate of [join(dir, "node_modules", "apache-arrow"), join(nodeModules, "apache-arrow")])
    if (existsSync(join(candidate, "package.json"))) return packageJson(candidate).version;
  return "missing";
}

export function duckdbPackage(version: string, log: (line: string) => void): DuckdbPackage {
  const own = join(repoRoot, "node_modules", "@duckdb", "duckdb-wasm");
  const ownVersion = packageJson(own).version;
  if (version === "installed" || version === ownVersion) {
    return {version: ownVersion, installed: true, dir: own, arrow: {range: packageJson(own).dependencies?.["apache-arrow"] ?? "none", resolved: arrowBeside(own, join(repoRoot, "node_modules"))}};
  }
  const prefix = join(benchRoot, "work", "duckdb-wasm", version);
  const dir = join(prefix, "node_modules", "@duckdb", "duckdb-wasm");
  if (!existsSync(join(dir, "package.json")) || packageJson(dir).version !== version) {
    log(`installing @duckdb/duckdb-wasm@${version} into ${prefix} (npm install --prefix; the project's install is untouched) …`);
    mkdirSync(prefix, {recursive: true});
    // Its own package.json, so npm does not walk up to the project's.
    if (!existsSync(join(prefix, "package.json"))) writeFileSync(join(prefix, "package.json"), `{"private": true}\n`);
    execFileSync("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--ignore-scripts", `@duckdb/duckdb-wasm@${version}`], {stdio: ["ignore", "ignore", "inherit"]});
  }
  return {version, installed: false, prefix, dir, arrow: {range: packageJson(dir).dependencies?.["apache-arrow"] ?? "none", resolved: arrowBeside(dir, join(prefix, "node_modules"))}};
}

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

/**
 * The files the site serves (the two builds' .wasm and worker), raw and compressed exactly as
 * scripts/postbuild.ts compresses them; the siblings are written beside the copies in `pageDuckdbDir`
 * so the benchmark's server sends brotli, as the site's server does.
 */
export function servedSizes(pageDuckdbDir: string): FileSize[] {
  return duckdbFiles.map((file) => {
    const path = join(pageDuckdbDir, file);
    const data = readFileSync(path);
    const fresh = existsSync(`${path}.br`) && statSync(`${path}.br`).mtimeMs >= statSync(path).mtimeMs && existsSync(`${path}.gz`);
    if (!fresh) {
      const {gz, br} = precompressed(data);
      writeFileSync(`${path}.gz`, gz);
      writeFileSync(`${path}.br`, br);
    }
    return {file, raw: data.length, gzip: statSync(`${path}.gz`).size, brotli: statSync(`${path}.br`).size};
  });
}
