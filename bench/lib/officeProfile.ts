import type {Page} from "playwright-core";
import type {StaticServer} from "../../scripts/serve.js";
import {launchBrowser} from "./chromium.js";

/**
 * The office-PC profile (issue 16): Chrome's own throttling set to a county intranet PC — 4 Mbit/s,
 * 100 ms latency, CPU 4× slower — and each page loaded cold (a fresh profile) and then again in the
 * same profile (a repeat visit, served from the browser's cache as scripts/serve.ts and nginx allow).
 * Per page: the first result (ms from navigation; 概览 and the briefing: the load event), when DuckDB-WASM
 * took over (the pages that have it), the bytes the server sent (the page's and its workers' requests),
 * and the ratio of the first result to 概览's cold load in the same run.
 */

export const officeProfile = {downloadMbit: 4, uploadMbit: 4, latencyMs: 100, cpuSlowdown: 4} as const;

export interface OfficePage {
  page: string;
  /** Selector of the page's first result; null: the load event is the result (no engine on the page). */
  result: string | null;
  /** The page's hook saying DuckDB-WASM answers now (window.__dpfGaps / __dpfSandbox); null when it has none. */
  engine: string | null;
}

export const officePages: OfficePage[] = [
  {page: "index", result: null, engine: null},
  {page: "gaps", result: "[data-first-result]", engine: `document.querySelector(".gap-engine")?.dataset.engine`},
  {page: "sandbox", result: "[data-first-result]", engine: "window.__dpfSandbox?.engine"},
  {page: "briefings/example", result: null, engine: null},
];

export interface OfficeVisit {
  /** ms from navigation start to the first result (null: it never came within the timeout). */
  firstResultMs: number | null;
  /** ms from navigation start until DuckDB-WASM answered the page (null: no engine on the page, or not in time). */
  engineMs: number | null;
  /** Body bytes the server sent for this visit, and in how many responses (304s and cache hits send none). */
  bytes: number;
  responses: number;
  /** ms the engine's .wasm download took, when it was downloaded (shows the throttling reached the worker). */
  wasmDownloadMs: number | null;
  errors: string[];
}

export interface OfficeResult {
  page: string;
  cold: OfficeVisit;
  repeat: OfficeVisit;
  /** First result ÷ 概览's cold load (same run). */
  coldRatio: number | null;
  repeatRatio: number | null;
}

/** Applies the profile to a page over CDP (network and CPU), before it navigates. */
async function throttle(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const bytesPerSecond = (mbit: number) => (mbit * 1e6) / 8;
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: officeProfile.latencyMs,
    downloadThroughput: bytesPerSecond(officeProfile.downloadMbit),
    uploadThroughput: bytesPerSecond(officeProfile.uploadMbit),
  });
  await cdp.send("Emulation.setCPUThrottlingRate", {rate: officeProfile.cpuSlowdown});
}

/** Installed before the page's scripts: the first time the result selector matches and the engine hook says "duckdb". */
function watcher(spec: OfficePage): string {
  return `(() => {
  const state = (window.__office = {result: null, engine: null});
  const check = () => {
    if (state.result === null && ${spec.result ? `document.querySelector(${JSON.stringify(spec.result)})` : "false"}) state.result = performance.now();
    try { if (state.engine === null && ${spec.engine ?? "undefined"} === "duckdb") state.engine = performance.now(); } catch {}
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, attributes: true});
  setInterval(check, 20);
})();`;
}

async function visitOnce(page: Page, server: StaticServer, spec: OfficePage, timeoutMs: number): Promise<OfficeVisit> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e).slice(0, 300)));
  const before = new Map(server.bytesSent);
  let wasmDownloadMs: number | null = null;
  page.context().on("requestfinished", (request) => {
    if (!/duckdb[^/]*\.wasm$/.test(request.url())) return;
    const t = request.timing();
    if (t.responseEnd > 0) wasmDownloadMs = t.responseEnd - Math.max(0, t.requestStart);
  });
  await throttle(page);
  await page.addInitScript(watcher(spec));
  await page.goto(new URL(spec.page, server.url).href, {waitUntil: "load", timeout: timeoutMs});
  type Office = {result: number | null; engine: number | null};
  const state = () => page.evaluate(() => (window as unknown as {__office: Office}).__office);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await state();
    if ((spec.result === null || s.result !== null) && (spec.engine === null || s.engine !== null)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.waitForLoadState("networkidle", {timeout: 30_000}).catch(() => undefined);
  const s = await state();
  const load = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd);
  let bytes = 0;
  let responses = 0;
  for (const [path, sent] of server.bytesSent) {
    const delta = sent - (before.get(path) ?? 0);
    if (delta > 0) (bytes += delta), responses++;
  }
  return {firstResultMs: spec.result === null ? load : s.result, engineMs: s.engine, bytes, responses, wasmDownloadMs, errors};
}

/** Cold and repeat visits of each page under the office-PC profile, each page in its own fresh browser. */
export async function officeRun(server: StaticServer, log: (line: string) => void, pages: OfficePage[] = officePages, timeoutMs = 180_000): Promise<OfficeResult[]> {
  const out: Omit<OfficeResult, "coldRatio" | "repeatRatio">[] = [];
  for (const spec of pages) {
    const browser = await launchBrowser();
    try {
      const cold = await visitOnce(browser.page, server, spec, timeoutMs);
      const again = await browser.context.newPage();
      const repeat = await visitOnce(again, server, spec, timeoutMs);
      out.push({page: spec.page, cold, repeat});
      const s = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);
      log(`  office PC ${spec.page}: cold ${s(cold.firstResultMs)} (engine ${s(cold.engineMs)}, ${(cold.bytes / 1e6).toFixed(2)} MB), repeat ${s(repeat.firstResultMs)} (${(repeat.bytes / 1e3).toFixed(1)} KB)`);
    } finally {
      await browser.close();
    }
  }
  const overview = out.find((r) => r.page === "index")?.cold.firstResultMs ?? null;
  const ratio = (ms: number | null) => (ms === null || !overview ? null : ms / overview);
  return out.map((r) => ({...r, coldRatio: ratio(r.cold.firstResultMs), repeatRatio: ratio(r.repeat.firstResultMs)}));
}

/** The results as a Markdown table (bench/results/office-latest.md and latest.md). */
export function officeMarkdown(results: readonly OfficeResult[]): string {
  const s = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(2)} s`);
  const x = (r: number | null) => (r === null ? "—" : `${r.toFixed(2)}×`);
  const kb = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${(b / 1e3).toFixed(1)} KB`);
  const p = officeProfile;
  return [
    `Office PC: ${p.downloadMbit} Mbit/s, ${p.latencyMs} ms latency, CPU ${p.cpuSlowdown}× slower (Chrome's own throttling over CDP), one run.`,
    "",
    "| page | first result, cold | engine in, cold | bytes, cold | ÷ 概览 cold | first result, repeat | engine in, repeat | bytes, repeat | ÷ 概览 cold |",
    "|---|---|---|---|---|---|---|---|---|",
    ...results.map((r) => `| ${r.page} | ${s(r.cold.firstResultMs)} | ${s(r.cold.engineMs)} | ${kb(r.cold.bytes)} | ${x(r.coldRatio)} | ${s(r.repeat.firstResultMs)} | ${s(r.repeat.engineMs)} | ${kb(r.repeat.bytes)} | ${x(r.repeatRatio)} |`),
    "",
  ].join("\n");
}
