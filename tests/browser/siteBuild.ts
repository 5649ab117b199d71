import {execFile} from "node:child_process";
import {cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {join, relative, resolve} from "node:path";
import {promisify} from "node:util";

/**
 * A whole site built from a planner's own city (dpf.config.yaml's `city`) into its own folder: src/ is a
 * copy with its own Framework cache (only the vendored npm bundles are reused, no data loader output of
 * the demo city), the other inputs are the repository's own. What the publish tests read back and open.
 */
export interface SiteBuild {
  dir: string;
  /** The built site (dist/ of the folder). */
  out: string;
  remove(): void;
}

const root = resolve(".");

export async function buildSiteFrom(name: string, city: Record<string, unknown>, threshold: number): Promise<SiteBuild> {
  const dir = join(root, "tmp", `${name}-${process.pid}`);
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  cpSync(join(root, "src"), join(dir, "src"), {recursive: true, filter: (from) => !relative(join(root, "src"), from).startsWith(".observablehq")});
  cpSync(join(root, "src", ".observablehq", "cache", "_npm"), join(dir, "src", ".observablehq", "cache", "_npm"), {recursive: true});
  for (const file of ["loaders", "data", "scripts", "node_modules", "package.json", "tsconfig.json", "tests", "bench"]) symlinkSync(join(root, file), join(dir, file));
  cpSync(join(root, "observablehq.config.ts"), join(dir, "observablehq.config.ts"));
  // JSON is YAML: the config as the build route reads it.
  writeFileSync(join(dir, "dpf.config.yaml"), JSON.stringify({city, publish: {small_cell_threshold: threshold}}, null, 2));
  const out = join(dir, "dist");
  const env = {...process.env, DPF_CONFIG: join(dir, "dpf.config.yaml")};
  // Asynchronously: a synchronous minute-long build starves vitest's own messages and it times out.
  const run = promisify(execFile);
  await run(process.execPath, [join(root, "scripts", "observable.mjs"), "build"], {cwd: dir, env, maxBuffer: 64 * 1024 * 1024});
  // The script by its real path: through the folder's scripts/ symlink its "am I the main module" check
  // (import.meta.url against argv[1]) fails and it would silently do nothing — no CSP, no single files.
  const {stdout} = await run(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", "postbuild.ts"), out], {cwd: dir, env, maxBuffer: 64 * 1024 * 1024});
  if (!stdout.includes("postbuild:")) throw new Error(`postbuild did not run on ${out}: ${stdout}`);
  return {dir, out, remove: () => rmSync(dir, {recursive: true, force: true})};
}
