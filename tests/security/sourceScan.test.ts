/**
 * No code of ours turns text into code or markup: no eval, no Function constructor, no string timers,
 * no innerHTML/outerHTML/insertAdjacentHTML/document.write. Data reaches the DOM only as text nodes and
 * attribute values (htl, Plot, d3 .text()), and the site's CSP (no 'unsafe-eval', no 'unsafe-inline')
 * would stop such code anyway — this scan catches it before a browser has to.
 */
import {readdirSync, readFileSync, statSync} from "node:fs";
import {join, relative} from "node:path";
import {describe, expect, test} from "vitest";

const root = join(import.meta.dirname, "..", "..");
/** Our code: the site, the Node loaders, the dev scripts, the benchmark (not node_modules, caches or outputs). */
const scanned = ["src", "loaders", "scripts", "bench", "observablehq.config.ts"];
const skipped = /(^|\/)(\.observablehq|work|node_modules|dist)(\/|$)/;

const rules: {rule: string; pattern: RegExp}[] = [
  {rule: "eval", pattern: /(^|[^.\w$])eval\s*\(/},
  {rule: "Function constructor", pattern: /(^|[^.\w$])(new\s+)?Function\s*\(/},
  {rule: "timer with a string", pattern: /\bset(Timeout|Interval)\s*\(\s*["'`]/},
  {rule: "HTML from a string", pattern: /\.(innerHTML|outerHTML)\s*[+]?=(?!=)|\binsertAdjacentHTML\s*\(|\bdocument\.write(ln)?\s*\(|\bcreateContextualFragment\s*\(/},
];

/** Comments removed (they may name what they forbid); string contents are kept. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** Every violation in a text, as "file:line rule". */
function violations(file: string, text: string): string[] {
  const found: string[] = [];
  code(text)
    .split("\n")
    .forEach((line, i) => {
      for (const {rule, pattern} of rules) if (pattern.test(line)) found.push(`${file}:${i + 1} ${rule}`);
    });
  return found;
}

function sourceFiles(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, {recursive: true, encoding: "utf-8"})
    .filter((f) => !skipped.test(f) && /\.(ts|js|md)$/.test(f))
    .map((f) => join(full, f))
    .filter((f) => statSync(f).isFile());
}

describe("the source scan", () => {
  test("finds each forbidden construct, and not its name in a comment or a method of that name", () => {
    const planted = [
      "const f = eval(text);",
      "const g = new Function('a', body);",
      "const h = Function(body)();",
      'setTimeout("alert(1)", 10);',
      "el.innerHTML = row.name;",
      "el.outerHTML += x;",
      "el.insertAdjacentHTML('beforeend', s);",
      "document.write(s);",
      "// eval(text) and new Function are forbidden",
      "/* el.innerHTML = x */ const ok = db.evaluate(q); if (el.innerHTML === '') {}",
      "const url = 'http://x/'; setTimeout(() => f(), 10);",
    ].join("\n");
    expect(violations("planted.ts", planted)).toEqual([
      "planted.ts:1 eval",
      "planted.ts:2 Function constructor",
      "planted.ts:3 Function constructor",
      "planted.ts:4 timer with a string",
      "planted.ts:5 HTML from a string",
      "planted.ts:6 HTML from a string",
      "planted.ts:7 HTML from a string",
      "planted.ts:8 HTML from a string",
    ]);
  });

  test("finds none in our code", () => {
    const files = scanned.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(150);
    expect(files.flatMap((f) => violations(relative(root, f), readFileSync(f, "utf-8")))).toEqual([]);
  });
});
