import {copyFileSync, mkdirSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {build, type Plugin} from "esbuild";
import {benchRoot, repoRoot} from "./paths.js";

/**
 * Bundles the benchmark page (bench/browser/main.ts: the real engine modules, sandboxDb.ts, Arquero,
 * Apache Arrow) with esbuild into bench/work/page/, and copies DuckDB-WASM's WebAssembly and worker
 * files beside it. sandboxDb.ts asks for them as `import.meta.resolve("npm:@duckdb/duckdb-wasm/dist/…")`,
 * which Framework rewrites on the site; here the bundler rewrites it to the copy in ./duckdb/.
 */

const require = createRequire(join(repoRoot, "package.json"));

/** `npm:x` (Framework's specifiers, used by src/components) → the package `x` from node_modules. */
const npmSpecifiers: Plugin = {
  name: "npm-specifiers",
  setup(b) {
    b.onResolve({filter: /^npm:/}, (args) => b.resolve(args.path.slice(4), {kind: args.kind, resolveDir: args.resolveDir}));
  },
};

/** `import.meta.resolve("npm:@duckdb/duckdb-wasm/dist/f")` → the URL of ./duckdb/f beside the bundle. */
const duckdbAssets: Plugin = {
  name: "duckdb-assets",
  setup(b) {
    b.onLoad({filter: /src[\\/]components[\\/]shared[\\/]sandboxDb\.ts$/}, async (args) => {
      const {readFile} = await import("node:fs/promises");
      const text = await readFile(args.path, "utf-8");
      const rewritten = text.replace(/import\.meta\.resolve\("npm:@duckdb\/duckdb-wasm\/dist\/([^"]+)"\)/g, (_, file: string) => `new URL("./duckdb/${file}", import.meta.url).href`);
      if (rewritten === text) throw new Error("sandboxDb.ts no longer resolves DuckDB's files with import.meta.resolve: update bench/lib/page.ts");
      return {contents: rewritten, loader: "ts"};
    });
  },
};

export const duckdbFiles = ["duckdb-eh.wasm", "duckdb-mvp.wasm", "duckdb-browser-eh.worker.js", "duckdb-browser-mvp.worker.js"];

/** `npm:@duckdb/duckdb-wasm` → the copy installed under `prefix` (another version than the project's). */
function duckdbFrom(prefix: string): Plugin {
  return {
    name: "duckdb-version",
    setup(b) {
      b.onResolve({filter: /^npm:@duckdb\/duckdb-wasm$/}, (args) => b.resolve("@duckdb/duckdb-wasm", {kind: args.kind, resolveDir: prefix}));
    },
  };
}

export interface BenchPageOptions {
  /** Folder to write the page into (default bench/work/page). */
  dir?: string;
  /** An `npm install --prefix` folder holding another DuckDB-WASM version (default: the project's). */
  duckdbPrefix?: string;
  /** More pages beside index.html: name → entry module (bundled to <name>.js, served as <name>.html). */
  extraPages?: Record<string, string>;
}

export async function buildBenchPage(options: BenchPageOptions = {}): Promise<{dir: string; bytes: number; ms: number}> {
  const started = performance.now();
  const dir = options.dir ?? join(benchRoot, "work", "page");
  mkdirSync(join(dir, "duckdb"), {recursive: true});
  const pages: Record<string, string> = {bench: join(benchRoot, "browser", "main.ts"), ...options.extraPages};
  const result = await build({
    entryPoints: Object.entries(pages).map(([out, entry]) => ({in: entry, out})),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: dir,
    sourcemap: true,
    minify: false,
    metafile: true,
    logLevel: "warning",
    plugins: [...(options.duckdbPrefix ? [duckdbFrom(options.duckdbPrefix)] : []), npmSpecifiers, duckdbAssets],
  });
  // The package's exports hide package.json; its main module sits in dist/.
  const duckdbDist = dirname(options.duckdbPrefix ? createRequire(join(options.duckdbPrefix, "package.json")).resolve("@duckdb/duckdb-wasm") : require.resolve("@duckdb/duckdb-wasm"));
  for (const f of duckdbFiles) copyFileSync(join(duckdbDist, f), join(dir, "duckdb", f));
  for (const name of Object.keys(options.extraPages ?? {})) writeFileSync(join(dir, `${name}.html`), pageHtml(`./${name}.js`));
  writeFileSync(join(dir, "index.html"), pageHtml("./bench.js"));
  const bytes = Object.values(result.metafile!.outputs).reduce((s, o) => s + o.bytes, 0);
  return {dir, bytes, ms: performance.now() - started};
}

function pageHtml(script: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>DPF Sandbox benchmark</title>
<link rel="icon" href="data:,">
<script type="module" src="${script}"></script>
</head>
<body>benchmark page: driven by npm run bench</body>
</html>
`;
}

if (process.argv[1] && (await import("node:url")).fileURLToPath(import.meta.url) === process.argv[1]) console.log(await buildBenchPage());
