/**
 * Fills Observable Framework's npm cache (src/.observablehq/cache/_npm/) from node_modules, so that
 * `npm:` imports — explicit, and the implicit ones behind Plot, d3, Inputs, html, FileAttachment.arrow()
 * and DuckDB-WASM — never reach a CDN at build or preview time.
 *
 * Each package becomes one ESM bundle at `_npm/<name>@<version>/_esm.js` made by esbuild from the
 * installed package; imports of other packages stay imports, rewritten to the sibling bundle's relative
 * path, so every package exists once (the top-level version in node_modules). Static assets a page
 * resolves (DuckDB's .wasm and worker files) are copied beside the bundle.
 */
import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {dirname, join, posix, relative} from "node:path";
import {fileURLToPath} from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// DPF_NPM_CACHE: another project's cache to fill (the telemetry test builds a one-page project offline).
const cacheDir = process.env.DPF_NPM_CACHE ?? join(root, "src", ".observablehq", "cache", "_npm");

/** The packages pages may import through `npm:` (explicitly or implicitly), and assets to copy. */
export const vendoredPackages: {name: string; assets?: string[]}[] = [
  {name: "d3"},
  {name: "d3-dsv"},
  {name: "@observablehq/plot"},
  {name: "htl"},
  {name: "@observablehq/inputs"},
  {name: "apache-arrow"},
  {name: "arquero"},
  {
    name: "@duckdb/duckdb-wasm",
    assets: ["dist/duckdb-eh.wasm", "dist/duckdb-browser-eh.worker.js", "dist/duckdb-mvp.wasm", "dist/duckdb-browser-mvp.worker.js"],
  },
];

function packageDir(name: string): string {
  // Packages with an "exports" map may not export package.json; find the folder by walking node_modules.
  const dir = join(root, "node_modules", name);
  if (!existsSync(join(dir, "package.json"))) throw new Error(`${name} is not installed in node_modules (run npm ci)`);
  return dir;
}

export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), "package.json"), "utf-8")) as {version: string}).version;
}

/** The folder a package resolves to from `fromDir`, as Node's resolution walks up node_modules. */
function nearestPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === dirname(dir)) return undefined;
  }
}

/** `d3-array/src/x.js` → `d3-array`; `@scope/pkg/sub` → `@scope/pkg`. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function bundlePath(name: string): string {
  return posix.join(`${name}@${installedVersion(name)}`, "_esm.js");
}

async function bundle(name: string): Promise<string[]> {
  const outFile = join(cacheDir, bundlePath(name));
  const dependencies = new Set<string>();
  const entry = browserEntry(name) ?? packageEntry(name);
  const result = await esbuild.build({
    // The package's own entry file, so its `export * from "<dependency>"` stay static re-exports;
    // CommonJS packages (interval-tree-1d) are imported by default: give their bundle a default export.
    ...(isCommonJs(name)
      ? {stdin: {contents: `export {default} from ${JSON.stringify(entry)};`, resolveDir: root, loader: "js" as const}}
      : {entryPoints: [entry]}),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    mainFields: ["browser", "module", "main"],
    conditions: ["browser", "import", "module"],
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "error",
    plugins: [
      {
        name: "externalise-other-packages",
        setup(build) {
          build.onResolve({filter: /^[^./]/}, (args) => {
            if (args.path.startsWith("node:")) return {path: args.path, external: true};
            const dep = packageName(args.path);
            // CommonJS `require` cannot load an ES module: inline what a CommonJS package requires.
            if (dep === name || args.kind === "require-call") return undefined;
            // A nested copy (Inputs needs htl 0.3, the site ships htl 1.0) stays private to its importer.
            if (nearestPackageDir(dep, args.resolveDir) !== packageDir(dep)) return undefined;
            if (args.path !== dep) throw new Error(`${name} imports a subpath of ${dep} (${args.path}); vendor it explicitly`);
            dependencies.add(dep);
            const from = posix.dirname(bundlePath(name));
            return {path: posix.relative(from, bundlePath(dep)).replace(/^(?!\.)/, "./"), external: true};
          });
        },
      },
    ],
  });
  mkdirSync(dirname(outFile), {recursive: true});
  writeFileSync(outFile, result.outputFiles[0]!.text);
  return [...dependencies];
}

/** The file an ES module import of the package resolves to in a browser (exports → module → main). */
function packageEntry(name: string): string {
  const dir = packageDir(name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf-8")) as {exports?: unknown; module?: string; main?: string};
  const conditions = ["browser", "import", "module", "default"];
  const pick = (target: unknown): string | undefined => {
    if (typeof target === "string") return target;
    if (!target || typeof target !== "object") return undefined;
    const map = target as Record<string, unknown>;
    if ("." in map) return pick(map["."]);
    for (const condition of conditions) if (condition in map) return pick(map[condition]);
    return undefined;
  };
  const file = pick(pkg.exports) ?? pkg.module ?? pkg.main ?? "index.js";
  return join(dir, file);
}

/** A package that ships only CommonJS (no ES module entry). */
function isCommonJs(name: string): boolean {
  const pkg = JSON.parse(readFileSync(join(packageDir(name), "package.json"), "utf-8")) as {type?: string; module?: string; exports?: unknown};
  return pkg.type !== "module" && !pkg.module && !JSON.stringify(pkg.exports ?? "").includes('"import"') && !browserEntry(name);
}

/** The browser ESM entry of a package, where its package.json names one the resolver would miss. */
function browserEntry(name: string): string | undefined {
  const dir = packageDir(name);
  if (name === "@duckdb/duckdb-wasm") return join(dir, "dist", "duckdb-browser.mjs");
  if (name === "apache-arrow") return join(dir, "Arrow.dom.mjs");
  return undefined;
}

/** The version folder name of a library Framework's client mentions but this site does not ship. */
export const notVendoredVersion = "0.0.0-not-vendored";

/** Package names behind every `npm:` specifier in Framework's client code. */
function frameworkClientLibraries(): Set<string> {
  const clientDir = join(root, "node_modules", "@observablehq", "framework", "dist", "client");
  const names = new Set<string>();
  const files = readdirSync(clientDir, {recursive: true, encoding: "utf-8"}).filter((f) => f.endsWith(".js"));
  for (const file of files) {
    for (const [, specifier] of readFileSync(join(clientDir, file), "utf-8").matchAll(/["']npm:([^"']+)["']/g)) {
      names.add(packageName(specifier!));
    }
  }
  return names;
}

export async function vendorNpm(): Promise<string[]> {
  rmSync(cacheDir, {recursive: true, force: true});
  const done = new Set<string>();
  const queue = vendoredPackages.map((p) => p.name);
  while (queue.length) {
    const name = queue.shift()!;
    if (done.has(name)) continue;
    done.add(name);
    queue.push(...(await bundle(name)));
  }
  for (const name of frameworkClientLibraries()) {
    if (done.has(name)) continue;
    // Framework's client names these lazily (recommended libraries); pages here never load them, but
    // the build resolves their versions. An empty version folder answers that without the registry.
    mkdirSync(join(cacheDir, `${name}@${notVendoredVersion}`), {recursive: true});
  }
  for (const {name, assets = []} of vendoredPackages) {
    for (const asset of assets) {
      const to = join(cacheDir, `${name}@${installedVersion(name)}`, asset);
      mkdirSync(dirname(to), {recursive: true});
      copyFileSync(join(packageDir(name), asset), to);
    }
  }
  return [...done].map((name) => `${name}@${installedVersion(name)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const packages = await vendorNpm();
  console.log(`vendored ${packages.length} packages into ${relative(root, cacheDir)} in ${Math.round(performance.now() - started)} ms`);
}
