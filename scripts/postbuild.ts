/**
 * Finishes `dist/` after `observable build`:
 * - `lang="zh-CN"` on every page (Framework 1.13 writes a bare `<html>`), and Framework's own English
 *   words (search box, sidebar toggle, search results) in Chinese (scripts/localiseFramework.ts);
 * - a Content-Security-Policy that allows only the site's own origin, with a hash for each inline
 *   module script Framework emits (no 'unsafe-eval', no 'unsafe-inline' scripts);
 * - each page's own modules bundled into a few files (scripts/bundlePages.ts);
 * - a preload of the data each page's first figures wait for (scripts/preloadOpening.ts);
 * - gzip and brotli siblings of large assets (DuckDB's WebAssembly above all), which scripts/serve.ts
 *   and nginx's gzip_static/brotli_static serve to browsers that accept them;
 * - the single-file version of each briefing (dist/briefings/<id>.offline.html), written after the pages
 *   get their CSP (it has no script to hash);
 * - a check that nothing in dist/ would load from another host; the build fails if it would.
 */
import {createHash} from "node:crypto";
import {readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {extname, join, relative} from "node:path";
import {fileURLToPath} from "node:url";
import {brotliCompressSync, constants, gzipSync} from "node:zlib";
import {writeOfflineBriefings} from "../loaders/publish/offlineBriefing.js";
import {findExternalLoads} from "./externalLoads.js";
import {localisePage, localiseSearchClient} from "./localiseFramework.js";
import {preloadOpening} from "./preloadOpening.js";
import {bundlePage} from "./bundlePages.js";

const compressible = new Set([".wasm", ".js", ".css", ".html", ".json", ".arrow", ".csv", ".svg", ".txt"]);

export function listFiles(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: "utf-8"})
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf-8").digest("base64");
}

/**
 * htl (behind Inputs and `html`) parses templates with placeholder attribute values `::0`, `::1` …
 * and then replaces on* placeholders by event-handler properties. Chromium checks the placeholder as an
 * inline handler on import; allowing exactly these strings — which are not even valid JavaScript —
 * keeps the console clean without allowing any real inline script.
 */
const htlPlaceholderHashes = Array.from({length: 64}, (_, i) => sha256(`::${i}`));

/** The CSP for a page whose inline scripts have these sha256 hashes. */
export function contentSecurityPolicy(scriptHashes: string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${scriptHashes.map((h) => `'sha256-${h}'`).join(" ")} 'unsafe-hashes' ${htlPlaceholderHashes.map((h) => `'sha256-${h}'`).join(" ")}`,
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join("; ");
}

function finishPage(html: string): string {
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => sha256(m[1]!));
  const csp = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(hashes)}">`;
  return html.replace(/<html(\s[^>]*)?>/, (tag) => (/\blang=/.test(tag) ? tag : tag.replace("<html", '<html lang="zh-CN"'))).replace(/<head>/, `<head>\n${csp}`);
}

/** A file's gzip and brotli siblings as the build writes them (brotli 9 above 4 MB: 11 would take minutes on DuckDB's .wasm). */
export function precompressed(data: Uint8Array): {gz: Buffer; br: Buffer} {
  return {
    gz: gzipSync(data, {level: 9}),
    br: brotliCompressSync(data, {params: {[constants.BROTLI_PARAM_QUALITY]: data.length > 4e6 ? 9 : 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length}}),
  };
}

export async function postbuild(dist: string): Promise<{pages: number; bundled: number; compressed: number; bytes: number}> {
  const files = listFiles(dist);
  let pages = 0;
  let bundled = 0;
  for (const file of files.filter((f) => f.endsWith(".html"))) {
    // Bundled before the CSP is written: the page's inline script names the bundles, and its hash is taken after.
    const page = await bundlePage(dist, file);
    if (page) {
      bundled++;
      for (const out of page.written) if (!files.includes(out)) files.push(out);
    }
    writeFileSync(file, finishPage(preloadOpening(localisePage(readFileSync(file, "utf-8"), relative(dist, file)))));
    pages++;
  }
  for (const file of files.filter((f) => /[\\/]_observablehq[\\/]search\.[0-9a-f]+\.js$/.test(f))) {
    writeFileSync(file, localiseSearchClient(readFileSync(file, "utf-8"), relative(dist, file)));
  }
  // No build date inside: the downloads manifest states the file's SHA-256 before postbuild runs.
  const offline = writeOfflineBriefings(dist);
  files.push(...offline);
  const problems = findExternalLoads(dist);
  if (problems.length) {
    throw new Error(`dist/ would load from other hosts:\n${problems.map((p) => `  ${relative(dist, p.file)}: ${p.url} (${p.context})`).join("\n")}`);
  }
  let compressed = 0;
  let bytes = 0;
  for (const file of files) {
    if (!compressible.has(extname(file)) || statSync(file).size < 1024) continue;
    const data = readFileSync(file);
    const siblings = precompressed(data);
    writeFileSync(`${file}.gz`, siblings.gz);
    writeFileSync(`${file}.br`, siblings.br);
    compressed++;
    bytes += data.length;
  }
  return {pages, bundled, compressed, bytes};
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const result = await postbuild(process.argv[2] ?? "dist");
  console.log(`postbuild: ${result.pages} pages (lang, CSP), ${result.bundled} with their modules bundled, ${result.compressed} files precompressed (${(result.bytes / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - started)} ms`);
}
