import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join, relative, sep} from "node:path";
import {repositoryRoot} from "./settings.js";

/**
 * Framework reuses a data loader's cached output while the loader file itself is unchanged, even when
 * what it reads (data/, the loaders, the engine, the schemas) has changed. For the publishing outputs
 * (the downloads archive and the briefings) that would serve stale data beside fresh pages, so before a
 * build they are dropped from the cache whenever a fingerprint of their inputs differs from the last
 * build's; Framework then runs their loaders again.
 */

/** Folders and files whose content the publishing outputs depend on, relative to the repository. */
export const publishInputs = ["data", "loaders", "src/schemas", "src/engine", "src/components/briefingTypes.ts", "src/briefings", "src/data/downloads.zip.ts", "dpf.config.yaml", "package-lock.json"];

/**
 * Cached outputs of the publishing loaders, relative to the Framework cache folder: the archive, the
 * files Framework extracted from it (data/downloads/, cached on their own) and the briefings.
 */
export function publishOutputs(cacheDir: string): string[] {
  const below = (dir: string, keep: (f: string) => boolean) =>
    existsSync(join(cacheDir, dir)) ? files(join(cacheDir, dir)).map((f) => relative(cacheDir, f).split(sep).join("/")).filter(keep).sort() : [];
  return ["data/downloads.zip", ...below("data/downloads", () => true), ...below("briefings", (f) => f.endsWith(".json"))];
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
export function inputsFingerprint(root = repositoryRoot, inputs: readonly string[] = publishInputs, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash("sha256");
  for (const name of publishEnvironment) hash.update(`${name}=${env[name] ?? ""}\0`);
  const named = publishEnvironment.flatMap((name) => (env[name] ?? "").split(",").filter(Boolean)).flatMap((f) => files(f));
  const all = [...inputs.flatMap((input) => files(join(root, input))).sort(), ...named];
  for (const file of all) hash.update(`${relative(root, file)}\0`).update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/**
 * Removes the cached publishing outputs when the inputs changed since they were made; returns what it
 * removed. The fingerprint of the last build is kept beside the cache (`.publish-inputs`). `cacheDir` is
 * the cache of the Framework root being built (a build in another folder has its own).
 */
export function dropStaleOutputs(cacheDir = join(process.cwd(), "src", ".observablehq", "cache"), root = repositoryRoot): string[] {
  const fingerprint = inputsFingerprint(root);
  const stamp = join(cacheDir, ".publish-inputs");
  if (existsSync(stamp) && readFileSync(stamp, "utf-8") === fingerprint) return [];
  const removed = publishOutputs(cacheDir).filter((output) => existsSync(join(cacheDir, output)));
  for (const output of removed) rmSync(join(cacheDir, output), {force: true});
  if (existsSync(cacheDir)) writeFileSync(stamp, fingerprint);
  return removed;
}
