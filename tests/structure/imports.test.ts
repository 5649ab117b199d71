/**
 * How the site's modules may import each other. Two rules, read from the import statements (types
 * included: a type-only cycle still ties two modules together):
 * - no import cycle among the modules of src/ (a cycle makes every module of it load with the others,
 *   and a module read before the one it needs sees undefined);
 * - src/ does not import loaders/ (the Node-only library), except Framework's data loader entry points,
 *   which must live under src/ and call it (`src/data/units.parquet.ts`: import, call, write). Types that
 *   both sides need live in src/schemas.
 */
import {readdirSync, readFileSync} from "node:fs";
import {basename, dirname, join, relative, resolve, sep} from "node:path";
import ts from "typescript";
import {describe, expect, test} from "vitest";

const root = join(import.meta.dirname, "..", "..");

/** Relative imports of a module's text, as repository paths (`./x.js` → `src/components/x.ts`). */
function relativeImports(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => relative(root, resolve(root, dirname(file), name)).split(sep).join("/").replace(/\.js$/, ".ts"));
}

/** The import graph of a set of modules: repository path → the paths it imports. */
function importGraph(modules: Record<string, string>): Map<string, string[]> {
  return new Map(Object.entries(modules).map(([file, text]) => [file, relativeImports(file, text)]));
}

/** Every cycle of the graph (its strongly connected components of more than one module, or a module importing itself), sorted. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** A Framework data loader entry point: under src/, named for the file it emits (`units.parquet.ts`, `[briefing].json.ts`). */
const isDataLoader = (file: string) => /\.[a-z]+\.(ts|js)$/.test(basename(file)) && !file.endsWith(".d.ts");

/** Imports of loaders/ from modules of src/ that are not data loader entry points, as "file → import". */
function loaderImports(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([file, imports]) => (isDataLoader(file) ? [] : imports.filter((i) => i.startsWith("loaders/")).map((i) => `${file} → ${i}`)));
}

function srcModules(): Record<string, string> {
  const files = readdirSync(join(root, "src"), {recursive: true, encoding: "utf-8"}).filter((f) => /\.ts$/.test(f) && !f.split(sep).includes(".observablehq"));
  return Object.fromEntries(files.map((f) => [`src/${f.split(sep).join("/")}`, readFileSync(join(root, "src", f), "utf-8")]));
}

describe("the import rules", () => {
  test("find a cycle of two modules and a longer one, through type imports too, and not a chain", () => {
    const graph = importGraph({
      "src/components/a.ts": 'import {b} from "./b.js";',
      "src/components/b.ts": 'import type {A} from "./a.js";',
      "src/engine/c.ts": 'import {d} from "../components/d.js";',
      "src/components/d.ts": 'export {e} from "../engine/e.js";',
      "src/engine/e.ts": 'import "./c.js";',
      "src/engine/f.ts": 'import {c} from "./c.js"; import {z} from "zod";',
    });
    expect(cycles(graph)).toEqual([
      ["src/components/a.ts", "src/components/b.ts"],
      ["src/components/d.ts", "src/engine/c.ts", "src/engine/e.ts"],
    ]);
    expect(cycles(importGraph({"src/x.ts": 'import {y} from "./y.js";', "src/y.ts": "export const y = 1;"}))).toEqual([]);
  });

  test("find a module of src/ importing loaders/, and allow a data loader entry point to", () => {
    const graph = importGraph({
      "src/components/downloads.ts": 'import type {Manifest} from "../../loaders/publish/downloads.js";',
      "src/data/units.parquet.ts": 'import {loadCity} from "../../loaders/city/loadCity.js";',
      "src/briefings/[briefing].json.ts": 'import {loadBriefing} from "../../loaders/publish/briefing.js";',
      "src/engine/gap.ts": 'import {x} from "../schemas/units.js";',
    });
    expect(loaderImports(graph)).toEqual(["src/components/downloads.ts → loaders/publish/downloads.ts"]);
  });

  const graph = importGraph(srcModules());

  test("src/ has no import cycle", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });

  test("src/ imports nothing from loaders/ but in its data loader entry points", () => {
    expect([...graph.keys()].filter(isDataLoader).length).toBeGreaterThan(10);
    expect(loaderImports(graph)).toEqual([]);
  });
});
