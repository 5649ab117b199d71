import {spawnSync} from "node:child_process";
import {copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import {gzipSync} from "node:zlib";
import {serveStatic, type StaticServer} from "../../scripts/serve.js";
import {heapAfterGC, launchBrowser, rendererMemory} from "./chromium.js";
import {benchRoot, repoRoot} from "./paths.js";

/**
 * The real site: `npm run build` timed under the build lock (its steps as package.json lists them),
 * dist/'s size, a copy of dist/ in bench/work/site/demo, copies with a bigger city's Arrow files in
 * place of the demo city's, and cold loads of pages in a fresh Chromium each (no cache), measured from
 * outside: resource timing, the dpf:* measures sandboxDb.ts records, the first result's appearance.
 */

export interface BuildResult {
  ok: boolean;
  error?: string;
  /** Seconds per step of package.json's build script, and in total. */
  steps: {command: string; seconds: number}[];
  seconds: number;
  /** Seconds spent waiting for other builds (the lock), not counted above. */
  lockWaitSeconds: number;
  dist: {files: number; bytes: number; bytesWithoutPrecompressed: number; precompressedFiles: number};
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: "utf-8"})
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

export function distSize(dir: string): BuildResult["dist"] {
  const files = listFiles(dir);
  const sizes = files.map((f) => ({f, size: statSync(f).size}));
  const siblings = sizes.filter((x) => /\.(gz|br)$/.test(x.f));
  return {
    files: files.length,
    bytes: sizes.reduce((s, x) => s + x.size, 0),
    bytesWithoutPrecompressed: sizes.filter((x) => !/\.(gz|br)$/.test(x.f)).reduce((s, x) => s + x.size, 0),
    precompressedFiles: siblings.length,
  };
}

/**
 * Runs the build's steps under /tmp/build.lock (so no other build writes dist/ meanwhile), then copies
 * dist/ to bench/work/site/demo before letting go of the lock. Never changes what dist/ holds otherwise.
 */
export function buildSite(log: (line: string) => void): BuildResult {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf-8")) as {scripts: Record<string, string>};
  const commands = pkg.scripts.build!.split("&&").map((c) => c.trim());
  const target = join(benchRoot, "work", "site", "demo");
  // The child holds the lock for the whole build and copy; it reports each step's time as JSON.
  const script = `
const {execSync} = require("node:child_process");
const fs = require("node:fs");
const steps = [];
const lockedAt = Date.now();
for (const command of ${JSON.stringify(commands)}) {
  const t = process.hrtime.bigint();
  const cmd = command.startsWith("npm run ") ? command.replace(/^npm run (\\S+)/, "npm run --silent $1") : "npx --no-install " + command;
  try { execSync(cmd, {stdio: ["ignore", "ignore", "pipe"], cwd: ${JSON.stringify(repoRoot)}, maxBuffer: 1 << 26}); }
  catch (e) { process.stdout.write(JSON.stringify({ok: false, error: String(e.stderr || e.message).slice(-4000), steps, lockedAt})); process.exit(0); }
  steps.push({command, seconds: Number(process.hrtime.bigint() - t) / 1e9});
}
fs.rmSync(${JSON.stringify(target)}, {recursive: true, force: true});
fs.cpSync(${JSON.stringify(join(repoRoot, "dist"))}, ${JSON.stringify(target)}, {recursive: true});
process.stdout.write(JSON.stringify({ok: true, steps, lockedAt}));
`;
  const requested = Date.now();
  log("building the site (npm run build, under /tmp/build.lock) …");
  const result = spawnSync("flock", ["/tmp/build.lock", process.execPath, "-e", script], {cwd: repoRoot, encoding: "utf-8", maxBuffer: 1 << 26});
  const parsed = JSON.parse(result.stdout || `{"ok":false,"error":${JSON.stringify(result.stderr)},"steps":[],"lockedAt":${requested}}`) as {ok: boolean; error?: string; steps: BuildResult["steps"]; lockedAt: number};
  const seconds = parsed.steps.reduce((s, x) => s + x.seconds, 0);
  return {
    ok: parsed.ok,
    ...(parsed.error ? {error: parsed.error} : {}),
    steps: parsed.steps,
    seconds,
    lockWaitSeconds: (parsed.lockedAt - requested) / 1000,
    dist: parsed.ok ? distSize(target) : {files: 0, bytes: 0, bytesWithoutPrecompressed: 0, precompressedFiles: 0},
  };
}

/**
 * A copy of the demo site whose units and persons Arrow files are a bigger city's (same hashed names,
 * so the pages load them unchanged). Precompressed siblings are redone with gzip only (level 6): brotli
 * at the build's quality takes minutes on hundreds of megabytes.
 */
export function siteWithCity(name: string, cityDir: string): string {
  const demo = join(benchRoot, "work", "site", "demo");
  const dir = join(benchRoot, "work", "site", name);
  rmSync(dir, {recursive: true, force: true});
  cpSync(demo, dir, {recursive: true});
  const dataDir = join(dir, "_file", "data");
  for (const dataset of ["units", "persons"]) {
    const file = readdirSync(dataDir).find((f) => new RegExp(`^${dataset}\\.[0-9a-f]+\\.arrow$`).test(f));
    if (!file) throw new Error(`the built site has no _file/data/${dataset}.<hash>.arrow to replace`);
    const path = join(dataDir, file);
    copyFileSync(join(cityDir, `${dataset}.arrow`), path);
    rmSync(`${path}.br`, {force: true});
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), {level: 6}));
  }
  return dir;
}

export interface ColdPage {
  page: string;
  /** Selectors of the page's first rendered result; the first to appear counts. */
  result: readonly string[];
  /** Or a JS expression that becomes true when it is shown (a page's own timing hook). */
  ready?: string;
}

export interface ColdLoad {
  page: string;
  /** ms from navigation start. */
  responseEnd: number;
  domContentLoaded: number;
  load: number;
  firstContentfulPaint: number | null;
  /** The first result in the DOM, and the frame after it (painted); null when it never appeared. */
  resultInDom: number | null;
  resultPainted: number | null;
  /** Cold-start split, ms (null when the page does not do that step). */
  split: {
    wasmFetch: number | null;
    instantiate: number | null;
    dataFetch: number | null;
    ingest: number | null;
    firstQuery: number | null;
    firstPaint: number | null;
  };
  longTasks: {count: number; maxMs: number};
  bytes: {compressed: number; uncompressed: number; requests: number};
  loadsDuckDB: boolean;
  peakRssMB: number;
  jsHeapMB: number;
  errors: string[];
}

/** Installed before any page script: records when a result selector first matches and the next frame. */
function observerScript(selectors: readonly string[], ready: string | undefined): string {
  // Inserted as code, not evaluated from a string: the site's CSP forbids eval.
  return `(() => {
  const selectors = ${JSON.stringify(selectors)};
  const ready = () => { try { return ${ready ?? "false"}; } catch { return false; } };
  const state = (window.__bench = {resultInDom: null, resultPainted: null, longTasks: []});
  new PerformanceObserver((l) => state.longTasks.push(...l.getEntries().map((e) => e.duration))).observe({type: "longtask", buffered: true});
  const check = () => {
    if (state.resultInDom !== null) return;
    if (!ready() && !selectors.some((s) => document.querySelector(s))) return;
    state.resultInDom = performance.now();
    requestAnimationFrame(() => setTimeout(() => (state.resultPainted = performance.now()), 0));
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, attributes: true});
  const poll = setInterval(() => (check(), state.resultInDom !== null && clearInterval(poll)), 10);
})();`;
}

interface PageState {
  resultInDom: number | null;
  resultPainted: number | null;
  longTasks: number[];
}

/** Resolves a served path to the file serveStatic sends uncompressed. */
function servedFile(siteDir: string, base: string, pathname: string): string | null {
  let path = decodeURIComponent(pathname.slice(base.length));
  if (path === "" || path.endsWith("/")) path += "index.html";
  const file = join(siteDir, path);
  if (existsSync(file) && statSync(file).isFile()) return file;
  if (existsSync(`${file}.html`)) return `${file}.html`;
  return null;
}

export async function coldLoad(server: StaticServer, siteDir: string, spec: ColdPage, timeoutMs: number): Promise<ColdLoad> {
  const browser = await launchBrowser();
  const {page, context, userDataDir} = browser;
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text().slice(0, 500));
  });
  const before = new Map(server.bytesSent);
  // Requests of the page and of its workers (DuckDB's worker fetches the WebAssembly, which the page's
  // own resource timing never sees): URL, start (epoch ms) and end (ms after start).
  const fetches: {url: string; start: number; end: number}[] = [];
  context.on("requestfinished", (request) => {
    const t = request.timing();
    fetches.push({url: request.url(), start: t.startTime, end: t.responseEnd});
  });
  try {
    await page.addInitScript(observerScript(spec.result, spec.ready));
    await page.goto(new URL(spec.page, server.url).href, {waitUntil: "load"});
    // Wait for the first result; a page that never asks for DuckDB's WebAssembly (nothing to compute
    // yet, e.g. a page under construction) gets a few seconds after the network is idle, not the timeout.
    const painted = () => page.evaluate(() => (window as unknown as {__bench: PageState}).__bench.resultPainted !== null);
    const deadline = Date.now() + timeoutMs;
    await page.waitForLoadState("networkidle").catch(() => undefined);
    const idleAt = Date.now();
    while ((spec.result.length || spec.ready) && Date.now() < deadline && !(await painted())) {
      if (!fetches.some((r) => /duckdb[^/]*\.wasm$/.test(r.url)) && Date.now() - idleAt > 3000) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await page.waitForLoadState("networkidle").catch(() => undefined);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      const origin = performance.timeOrigin;
      const measures = performance.getEntriesByType("measure").filter((m) => m.name.startsWith("dpf:")).map((m) => ({name: m.name, start: m.startTime, duration: m.duration}));
      const state = (window as unknown as {__bench: PageState}).__bench;
      return {responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : null, origin, measures, state};
    });
    const memory = rendererMemory(userDataDir);
    const jsHeapMB = await heapAfterGC(context, page);
    // Bytes this load made the server send (compressed where a sibling was served), and uncompressed.
    const base = new URL(server.url).pathname;
    let compressed = 0;
    let uncompressed = 0;
    let requests = 0;
    for (const [path, sent] of server.bytesSent) {
      const delta = sent - (before.get(path) ?? 0);
      if (delta <= 0) continue;
      requests++;
      compressed += delta;
      const file = servedFile(siteDir, base, path);
      uncompressed += file ? statSync(file).size : delta;
    }
    const span = (test: (url: string) => boolean) => {
      const hits = fetches.filter((r) => test(r.url) && r.end >= 0);
      return hits.length ? Math.max(...hits.map((r) => r.start + r.end)) - Math.min(...hits.map((r) => r.start)) : null;
    };
    const measure = (name: string) => {
      const hits = timing.measures.filter((m) => m.name === name);
      return hits.length ? hits.reduce((a, b) => (b.duration > a.duration ? b : a)) : null;
    };
    const ingest = measure("dpf:ingest");
    const {state} = timing;
    const ingestEnd = ingest ? ingest.start + ingest.duration : null;
    return {
      page: spec.page,
      responseEnd: timing.responseEnd,
      domContentLoaded: timing.domContentLoaded,
      load: timing.load,
      firstContentfulPaint: timing.fcp,
      resultInDom: state.resultInDom,
      resultPainted: state.resultPainted,
      split: {
        wasmFetch: span((url) => /duckdb[^/]*\.wasm$/.test(url)),
        instantiate: measure("dpf:duckdb-instantiate")?.duration ?? null,
        dataFetch: span((url) => /\/_file\/data\/[^/]+\.arrow$/.test(url)),
        ingest: ingest?.duration ?? null,
        firstQuery: state.resultInDom !== null && ingestEnd !== null ? state.resultInDom - ingestEnd : null,
        firstPaint: state.resultInDom !== null && state.resultPainted !== null ? state.resultPainted - state.resultInDom : null,
      },
      longTasks: {count: state.longTasks.length, maxMs: Math.max(0, ...state.longTasks)},
      bytes: {compressed, uncompressed, requests},
      loadsDuckDB: fetches.some((r) => /duckdb[^/]*\.wasm$/.test(r.url)),
      peakRssMB: memory.peakRssMB,
      jsHeapMB,
      errors,
    };
  } finally {
    await browser.close();
  }
}

export async function serveSite(dir: string): Promise<StaticServer> {
  return serveStatic({dir});
}

export const relativeToRepo = (path: string) => relative(repoRoot, path);
