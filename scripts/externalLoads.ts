/**
 * Finds what a browser would load from another host in a built site: script/style/font/image/wasm
 * sources in HTML, url() and @import in CSS, and import/fetch/Worker/importScripts targets in JS.
 * Links a reader clicks (<a href>) and XML namespace strings are not loads and are allowed.
 */
import {readdirSync, readFileSync, statSync} from "node:fs";
import {extname, join} from "node:path";

export interface ExternalLoad {
  file: string;
  url: string;
  context: string;
}

const external = String.raw`(?:https?:)?//[^"'\s)]+`;
const patterns: Record<string, RegExp[]> = {
  ".html": [
    new RegExp(String.raw`<(?:script|img|iframe|source|audio|video|embed|object|track)\b[^>]*\bsrc\s*=\s*["'](${external})`, "gi"),
    new RegExp(String.raw`<link\b[^>]*\bhref\s*=\s*["'](${external})`, "gi"),
    new RegExp(String.raw`url\(\s*["']?(${external})`, "gi"),
    new RegExp(String.raw`@import\s+(?:url\()?\s*["']?(${external})`, "gi"),
    new RegExp(String.raw`\bimport\s*\(?\s*["'](${external})`, "gi"),
  ],
  ".css": [new RegExp(String.raw`url\(\s*["']?(${external})`, "gi"), new RegExp(String.raw`@import\s+(?:url\()?\s*["']?(${external})`, "gi")],
  ".js": [
    new RegExp(String.raw`\bimport\s*\(\s*["'\`](${external})`, "gi"),
    new RegExp(String.raw`\bfrom\s*["'](${external})`, "gi"),
    new RegExp(String.raw`\bimport\s*["'](${external})`, "gi"),
    new RegExp(String.raw`\bfetch\s*\(\s*["'\`](${external})`, "gi"),
    new RegExp(String.raw`\bimportScripts\s*\(\s*["'\`](${external})`, "gi"),
    new RegExp(String.raw`new\s+(?:Shared)?Worker\s*\(\s*["'\`](${external})`, "gi"),
    new RegExp(String.raw`\.src\s*=\s*["'\`](${external})`, "gi"),
  ],
};

export function findExternalLoads(dir: string): ExternalLoad[] {
  const found: ExternalLoad[] = [];
  const files = readdirSync(dir, {recursive: true, encoding: "utf-8"}).map((f) => join(dir, f));
  for (const file of files) {
    const rules = patterns[extname(file)];
    if (!rules || !statSync(file).isFile()) continue;
    const text = readFileSync(file, "utf-8");
    for (const rule of rules) {
      for (const match of text.matchAll(rule)) {
        const start = Math.max(0, match.index - 40);
        found.push({file, url: match[1]!, context: text.slice(start, match.index + match[0].length).replace(/\s+/g, " ")});
      }
    }
  }
  return found;
}
