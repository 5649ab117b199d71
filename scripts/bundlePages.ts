/**
 * Bundles each page's own modules (dist/_import/) into a few files with esbuild. Framework emits one file
 * per module — 40 to 50 for 覆盖缺口 and 预算沙盘 — and a browser fetches them over HTTP/1.1 six at a time:
 * on an office PC (100 ms latency) that alone held the first figures back by about a second, however small
 * the files. After bundling a page imports one entry file per module it imported, sharing chunks, and a
 * module imported lazily (DuckDB-WASM's adapter, the charts) stays a chunk of its own, loaded when asked.
 *
 * Every bundle file is written to dist/_import/ itself, and each module's `import.meta.url` is rewritten to
 * the URL it had before (`new URL("./components/shared/cityDb.9ef4ee6e.js", import.meta.url)` from there),
 * so the relative paths inside — FileAttachment's files, the workers, the store's site root — resolve as
 * they did. Framework's own modules, npm libraries and files stay where they are (external). The original
 * per-module files stay too: the import worker still loads them.
 */
import {build, type Metafile, type Plugin} from "esbuild";
import {readFileSync, writeFileSync} from "node:fs";
import {dirname, join, relative, resolve, sep} from "node:path";

const posix = (path: string) => path.split(sep).join("/");
const dotted = (path: string) => (path.startsWith(".") ? path : `./${path}`);

/** The page's module specifiers into _import/ (its cells' `import("…")`), in order. */
export function pageImports(html: string): string[] {
  const found = new Set<string>();
  for (const script of html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)) {
    if (/\bfrom\s+"(?:\.\.?\/)+_import\//.test(script[1]!)) throw new Error("a page imports a module of _import/ statically; bundlePages.ts rewrites only import(\"…\")");
    for (const m of script[1]!.matchAll(/\bimport\(\s*"((?:\.\.?\/)+_import\/[^"]+\.js)"\s*\)/g)) found.add(m[1]!);
  }
  return [...found];
}

/** A module's text with `import.meta.url` / `import.meta.resolve` meaning what they meant at its own path. */
export function keepModuleUrl(text: string, pathFromImportRoot: string): string {
  if (!/import\.meta\.(url|resolve)/.test(text)) return text;
  const url = `new URL(${JSON.stringify(dotted(pathFromImportRoot))}, import.meta.url).href`;
  const body = text.replaceAll("import.meta.url", "__dpfModuleUrl").replaceAll("import.meta.resolve(", "__dpfResolve(");
  return `const __dpfModuleUrl = ${url};\nconst __dpfResolve = (specifier) => new URL(specifier, __dpfModuleUrl).href;\n${body}`;
}

/** The page's one entry: a namespace per module its cells import (`m0`, `m1` …). */
const PAGE_ENTRY = "dpf-page-entry";

function importRootPlugin(importRoot: string, modules: readonly string[]): Plugin {
  return {
    name: "dpf-import-root",
    setup(b) {
      b.onResolve({filter: new RegExp(`^${PAGE_ENTRY}$`)}, () => ({path: join(importRoot, "page.js"), namespace: PAGE_ENTRY}));
      b.onLoad({filter: /.*/, namespace: PAGE_ENTRY}, () => ({
        contents: modules.map((m, i) => `export * as m${i} from ${JSON.stringify(m)};`).join("\n"),
        resolveDir: importRoot,
        loader: "js",
      }));
      b.onResolve({filter: /.*/}, (args) => {
        const target = resolve(dirname(args.importer), args.path);
        const inside = target.startsWith(importRoot + sep) && target.endsWith(".js");
        // Framework's client and stdlib, npm libraries: the same URL as the page's own imports, so one instance.
        return inside ? {path: target} : {path: dotted(posix(relative(importRoot, target))), external: true};
      });
      b.onLoad({filter: /\.js$/}, (args) => ({contents: keepModuleUrl(readFileSync(args.path, "utf-8"), posix(relative(importRoot, args.path))), loader: "js"}));
    },
  };
}

/** Output files a page loads before its cells run: its entries and the chunks they import statically. */
function staticClosure(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const i of metafile.outputs[output]?.imports ?? []) if (!i.external && i.kind === "import-statement") visit(i.path);
  };
  visit(entry);
  return [...seen];
}

export interface BundledPage {
  page: string;
  modulesBefore: number;
  written: string[];
}

/** Bundles one page's modules and rewrites its imports and module preloads; returns the files written. */
export async function bundlePage(distDir: string, file: string): Promise<BundledPage | null> {
  const dist = resolve(distDir);
  const html = readFileSync(file, "utf-8");
  const specifiers = pageImports(html);
  if (!specifiers.length) return null;
  const importRoot = join(dist, "_import");
  const pageDir = dirname(resolve(file));
  const entries = specifiers.map((s) => resolve(pageDir, s));
  // One entry for the page: modules its cells share are in it once, and only code also loaded lazily (DuckDB's
  // adapter, the charts) is split into chunks.
  const result = await build({
    entryPoints: [PAGE_ENTRY],
    absWorkingDir: dist,
    bundle: true,
    splitting: true,
    format: "esm",
    minify: true,
    outdir: importRoot,
    entryNames: "page.[hash]",
    chunkNames: "chunk.[hash]",
    metafile: true,
    write: false,
    logLevel: "silent",
    plugins: [importRootPlugin(importRoot, entries)],
  });
  const written: string[] = [];
  for (const out of result.outputFiles) {
    writeFileSync(out.path, out.contents);
    written.push(out.path);
  }
  const metafile = result.metafile!;
  // The page entry is a virtual module: esbuild names it by its namespace ("dpf-page-entry:…/page.js").
  const entryOutput = Object.entries(metafile.outputs).find(([, info]) => info.entryPoint?.startsWith(`${PAGE_ENTRY}:`))?.[0];
  if (!entryOutput) throw new Error(`esbuild wrote no page entry for ${file}`);
  const fromPage = (output: string) => dotted(posix(relative(pageDir, resolve(dist, output))));
  const entryUrl = JSON.stringify(fromPage(entryOutput));
  let rewritten = html;
  specifiers.forEach((specifier, i) => {
    rewritten = rewritten.replaceAll(`import("${specifier}")`, `import(${entryUrl}).then((page) => page.m${i})`);
  });
  // Preload what the page now loads at once, in place of the per-module preloads.
  const preloads = staticClosure(metafile, entryOutput).map((o) => `<link rel="modulepreload" href="${fromPage(o)}">`);
  const oldPreload = /<link rel="modulepreload" href="(?:\.\.?\/)+_import\/[^"]+">\n?/g;
  const first = rewritten.search(oldPreload);
  rewritten = rewritten.replace(oldPreload, "");
  rewritten = first >= 0 ? `${rewritten.slice(0, first)}${preloads.join("\n")}\n${rewritten.slice(first)}` : rewritten.replace("</head>", `${preloads.join("\n")}\n</head>`);
  writeFileSync(file, rewritten);
  const modulesBefore = Object.keys(metafile.inputs).length;
  return {page: posix(relative(dist, file)), modulesBefore, written};
}
