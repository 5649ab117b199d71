import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join, relative, sep} from "node:path";
import {loadCityConfig} from "../city/config.js";
import {repositoryRoot} from "./settings.js";

/**
 * Framework reuses a data loader's cached output while the loader file itself is unchanged, even when
 * what it reads (data/, the loaders, the engine, the schemas, the city chosen in dpf.config.yaml) has
 * changed: a dev tree would then serve last week's units beside this week's downloads. So before a
 * build or preview every cached loader output is dropped whenever a fingerprint of the loaders' inputs
 * differs from the last run's; Framework then runs the loaders again. (A clean clone has no cache.)
 */

/** Folders and files the data loaders read, relative to the repository. */
export const loaderInputs = [
  "data",
  "loaders",
  "src/data",
  "src/schemas",
  "src/engine",
  "src/importer",
  // The opening views' loader (src/data/opening_gaps.json.ts) computes them with these.
  "src/components/shared/openingViews.ts",
  "src/components/sandbox/scenarioState.ts",
  "src/briefings",
  "bench/lib",
  "bench/results",
  "dpf.config.yaml",
  "package-lock.json",
];

/**
 * Cached data loader outputs, relative to the Framework cache folder: everything but Framework's own
 * folders (`_npm`, the vendored libraries; `_node`; `_observablehq`; `_build.json`) and our stamp. That
 * includes the files Framework extracted from the downloads archive (data/downloads/).
 */
export function loaderOutputs(cacheDir: string): string[] {
  return files(cacheDir)
    .map((f) => relative(cacheDir, f).split(sep).join("/"))
    .filter((f) => !/^[_.]/.test(f))
    .sort();
}

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, {recursive: true, encoding: "utf-8"})
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile());
}

/** Environment variables that choose the city and the config (loaders/city/config.ts). */
const publishEnvironment = ["DPF_CITY_WORKBOOK", "DPF_CONFIG"] as const;

/** SHA-256 over the paths and contents of every input file, in path order, and the city's environment. */
export function inputsFingerprint(root = repositoryRoot, inputs: readonly string[] = loaderInputs, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash("sha256");
  for (const name of publishEnvironment) hash.update(`${name}=${env[name] ?? ""}\0`);
  // The config file the environment names, and the city files it (or the environment) names wherever they are.
  const named = [...(env.DPF_CONFIG ? [env.DPF_CONFIG] : []), ...loadCityConfig(env).files].flatMap((f) => files(f));
  const all = [...inputs.flatMap((input) => files(join(root, input))).sort(), ...named];
  for (const file of all) hash.update(`${relative(root, file)}\0`).update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/**
 * Removes every cached loader output when the inputs changed since they were made; returns what it
 * removed. The fingerprint of the last build is kept beside the cache (`.loader-inputs`). `cacheDir` is
 * the cache of the Framework root being built (a build in another folder has its own).
 */
export function dropStaleOutputs(cacheDir = join(process.cwd(), "src", ".observablehq", "cache"), root = repositoryRoot): string[] {
  const fingerprint = inputsFingerprint(root);
  const stamp = join(cacheDir, ".loader-inputs");
  if (existsSync(stamp) && readFileSync(stamp, "utf-8") === fingerprint) return [];
  const removed = loaderOutputs(cacheDir);
  for (const output of removed) rmSync(join(cacheDir, output), {force: true});
  if (existsSync(cacheDir)) writeFileSync(stamp, fingerprint);
  return removed;
}
