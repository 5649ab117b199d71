import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {pathToFileURL} from "node:url";
import {afterAll, expect, test} from "vitest";
import {bundlePage, keepModuleUrl, pageImports} from "../../scripts/bundlePages.js";

// A dist/ as Framework writes it, in small: a page whose cell imports two modules of _import/ at different
// depths, which share one, read a file relative to their own URL and import Framework's stdlib; one also
// imports a module lazily.
const dist = mkdtempSync(join(tmpdir(), "bundle-pages-"));
afterAll(() => rmSync(dist, {recursive: true, force: true}));
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dist, path)), {recursive: true});
  writeFileSync(join(dist, path), text);
};
write("_observablehq/stdlib.abc.js", `export const loaded = (globalThis.__stdlibLoads = (globalThis.__stdlibLoads ?? 0) + 1);\n`);
write("_import/engine/shared.111.js", `export let calls = 0;\nexport function count() { return ++calls; }\n`);
write(
  "_import/components/shared/cityDb.222.js",
  `import {loaded} from "../../../_observablehq/stdlib.abc.js";\nimport {count} from "../../engine/shared.111.js";\n` +
    `export const fileUrl = new URL("../../../_file/data/units.arrow", import.meta.url).href;\n` +
    `export const workerUrl = import.meta.resolve("./worker.333.js");\n` +
    `export const lazy = () => import("./lazy.444.js");\nexport {count, loaded};\n`,
);
write("_import/components/shared/lazy.444.js", `export const lazyUrl = import.meta.url;\n`);
write("_import/gaps.555.js", `import {count} from "./engine/shared.111.js";\nexport const both = () => count();\n`);
const page = `<!DOCTYPE html><html><head>
<link rel="modulepreload" href="./_observablehq/stdlib.abc.js">
<link rel="modulepreload" href="./_import/components/shared/cityDb.222.js">
<link rel="modulepreload" href="./_import/engine/shared.111.js">
</head><body><script type="module">
define({id: "1", body: async () => {
const [{fileUrl}, {both}] = await Promise.all([import("./_import/components/shared/cityDb.222.js"), import("./_import/gaps.555.js")]);
}});
</script></body></html>`;
write("gaps.html", page);

test("pageImports lists the modules a page's cells import from _import/", () => {
  expect(pageImports(page)).toEqual(["./_import/components/shared/cityDb.222.js", "./_import/gaps.555.js"]);
  expect(() => pageImports(`<script type="module">import {x} from "./_import/a.js";</script>`)).toThrow(/statically/);
});

test("keepModuleUrl leaves a module without import.meta as it is", () => {
  expect(keepModuleUrl("export const a = 1;\n", "a.js")).toBe("export const a = 1;\n");
});

test("a bundled page loads one entry whose modules keep their own URLs, one instance each", async () => {
  const result = await bundlePage(dist, join(dist, "gaps.html"));
  expect(result?.modulesBefore).toBeGreaterThanOrEqual(3);
  const html = readFileSync(join(dist, "gaps.html"), "utf-8");
  const entry = /import\("(\.\/_import\/page\.[A-Z0-9]+\.js)"\)\.then\(\(page\) => page\.m0\)/.exec(html)?.[1];
  expect(entry).toBeDefined();
  expect(html).toContain(`import("${entry}").then((page) => page.m1)`);
  // The per-module preloads are replaced by the bundle's; Framework's own stays.
  expect(html).not.toContain("_import/components/shared/cityDb.222.js");
  expect(html).toContain(`<link rel="modulepreload" href="${entry}">`);
  expect(html).toContain(`<link rel="modulepreload" href="./_observablehq/stdlib.abc.js">`);
  // Bundle files sit in _import/ itself.
  expect(readdirSync(join(dist, "_import")).filter((f) => /^(page|chunk)\./.test(f)).length).toBeGreaterThanOrEqual(2);

  const bundle = await import(pathToFileURL(join(dist, entry!)).href);
  const cityDb = bundle.m0;
  const gaps = bundle.m1;
  const original = pathToFileURL(join(dist, "_import/components/shared/cityDb.222.js"));
  expect(cityDb.fileUrl).toBe(new URL("../../../_file/data/units.arrow", original).href);
  expect(cityDb.workerUrl).toBe(new URL("./worker.333.js", original).href);
  const lazy = await cityDb.lazy();
  expect(lazy.lazyUrl).toBe(pathToFileURL(join(dist, "_import/components/shared/lazy.444.js")).href);
  // The module both import is one instance, and the external stdlib is the page's own (loaded once).
  expect(cityDb.count()).toBe(1);
  expect(gaps.both()).toBe(2);
  const stdlib = await import(pathToFileURL(join(dist, "_observablehq/stdlib.abc.js")).href);
  expect(cityDb.loaded).toBe(stdlib.loaded);
  expect((globalThis as {__stdlibLoads?: number}).__stdlibLoads).toBe(1);
});
