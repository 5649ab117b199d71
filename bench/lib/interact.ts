import type {Page} from "playwright-core";
import type {StaticServer} from "../../scripts/serve.js";
import {percentile} from "../shared/measure.js";
import {launchBrowser, rendererMemory} from "./chromium.js";

/**
 * Interaction on the real pages: after the first result, a planner changes a control again and again.
 * The pages time themselves (window.__dpfGaps, window.__dpfSandbox: from the control's event to the
 * result in the DOM, split into the engine's query and the drawing); this drives the controls the way a
 * user does (a select's change event, a slider's input event), reads those timings after each change,
 * and records the main thread's long tasks meanwhile.
 */

export interface Interaction {
  page: string;
  /** What was changed, e.g. "#gap-indicator screening ↔ archive". */
  control: string;
  n: number;
  /** Per measure (ms): p50, p95, max over the changes. */
  measures: Record<string, {p50: number; p95: number; max: number}>;
  longTasks: {count: number; maxMs: number};
  peakRssMB: number;
  error?: string;
}

interface Driver {
  page: string;
  control: string;
  /** JS expression, true once the page shows its first result and is ready for input. */
  ready: string;
}

type Win = Window & {
  __dpfGaps?: {changes: number; resultMs: number | null; queryMs: number | null; renderMs: number | null; totalMs: number | null};
  __dpfSandbox?: {engine?: string; recomputes: number; lastRecomputeMs: number | null; lastRenderMs: number | null; lastDeferredRenderMs: number | null; idle(): Promise<void>};
  __benchLongTasks?: number[];
};

const drivers: Driver[] = [
  {
    page: "gaps",
    control: "#gap-indicator: screening ↔ archive (康复需求筛查率 ↔ 康复建档率), default level",
    ready: "!!(window.__dpfGaps && window.__dpfGaps.changes >= 1)",
  },
  {
    page: "sandbox",
    control: "slider subsidy.wubao.monthly (五保 monthly standard) moved by one step each time",
    ready: "!!(window.__dpfSandbox && window.__dpfSandbox.recomputes >= 1 && window.__dpfSandbox.lastRenderMs !== null)",
  },
];

/** One change on the gaps page, run inside the page. */
async function gapsChange(i: number): Promise<Record<string, number | null>> {
  const w = window as Win;
  const select = document.querySelector<HTMLSelectElement>("#gap-indicator")!;
  const before = w.__dpfGaps!.changes;
  select.value = i % 2 ? "screening" : "archive";
  select.dispatchEvent(new Event("change", {bubbles: true}));
  while (w.__dpfGaps!.changes === before) await new Promise((resolve) => setTimeout(resolve, 5));
  const t = w.__dpfGaps!;
  return {result: t.resultMs, query: t.queryMs, render: t.renderMs, total: t.totalMs};
}

/** One slider step on the sandbox page, run inside the page. */
async function sandboxChange(i: number): Promise<Record<string, number | null>> {
  const w = window as Win;
  const slider = document.querySelector<HTMLInputElement>('input[type=range][data-param="subsidy.wubao.monthly"]')!;
  const step = Number(slider.step) || 1;
  const before = w.__dpfSandbox!.recomputes;
  slider.value = String(Number(slider.value) + (i % 2 ? -step : step));
  slider.dispatchEvent(new Event("input", {bubbles: true}));
  await w.__dpfSandbox!.idle();
  while (w.__dpfSandbox!.recomputes === before) await new Promise((resolve) => setTimeout(resolve, 5));
  await w.__dpfSandbox!.idle();
  const t = w.__dpfSandbox!;
  return {recompute: t.lastRecomputeMs, render: t.lastRenderMs, deferredRender: t.lastDeferredRenderMs};
}

/**
 * Ready to measure changes: the page shows a result and DuckDB-WASM answers it. The published opening
 * views answer first (and the sandbox then has no recompute yet), but a change is timed on the engine.
 * One function Playwright can call under the site's CSP (no evaluated strings).
 */
function isReady(page: string): boolean {
  const w = window as Win;
  if (page === "gaps") return !!(w.__dpfGaps && w.__dpfGaps.changes >= 1) && document.querySelector<HTMLElement>(".gap-engine")?.dataset.engine === "duckdb";
  return !!(w.__dpfSandbox && w.__dpfSandbox.engine === "duckdb" && w.__dpfSandbox.lastRenderMs !== null);
}

/** Makes change number i inside the page and resolves with its timings (ms) once it is on screen. */
const inPage: Record<string, (i: number) => Promise<Record<string, number | null>>> = {gaps: gapsChange, sandbox: sandboxChange};

export const interactivePages = drivers.map((d) => d.page);

/** The expression that says a page shows its first result (for the cold-start measurement too). */
export const readyExpression = (page: string): string | undefined => drivers.find((d) => d.page === page)?.ready;

export async function interact(server: StaticServer, pageName: string, changes: number, timeoutMs: number): Promise<Interaction> {
  const driver = drivers.find((d) => d.page === pageName)!;
  const browser = await launchBrowser();
  const {page, userDataDir} = browser;
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.addInitScript(() => {
      const tasks: number[] = ((window as Win).__benchLongTasks = []);
      new PerformanceObserver((l) => tasks.push(...l.getEntries().map((e) => e.duration))).observe({type: "longtask", buffered: false});
    });
    await page.goto(new URL(pageName, server.url).href, {waitUntil: "load"});
    // A function, not the expression string: the site's CSP forbids evaluating strings.
    await page.waitForFunction(isReady, pageName, {timeout: timeoutMs, polling: 50});
    await page.waitForLoadState("networkidle").catch(() => undefined);
    // Let the first view's deferred work (summary, scorecard, analyses) finish before interacting.
    await page.waitForTimeout(1000);
    await page.evaluate(() => ((window as Win).__benchLongTasks!.length = 0));
    const samples: Record<string, number[]> = {};
    const run = inPage[pageName]!;
    for (let i = 0; i < changes; i++) {
      const t = await changeOnce(page, run, i, timeoutMs);
      for (const [k, v] of Object.entries(t)) if (v !== null && Number.isFinite(v)) (samples[k] ??= []).push(v);
    }
    await page.waitForTimeout(200);
    const tasks = await page.evaluate(() => (window as Win).__benchLongTasks!);
    const measures = Object.fromEntries(
      Object.entries(samples).map(([k, xs]) => {
        const sorted = [...xs].sort((a, b) => a - b);
        return [k, {p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)!}];
      }),
    );
    return {page: pageName, control: driver.control, n: changes, measures, longTasks: {count: tasks.length, maxMs: Math.max(0, ...tasks)}, peakRssMB: rendererMemory(userDataDir).peakRssMB, ...(errors.length ? {error: errors.join("\n")} : {})};
  } catch (error) {
    return {page: pageName, control: driver.control, n: 0, measures: {}, longTasks: {count: 0, maxMs: 0}, peakRssMB: 0, error: `${(error as Error).message.split("\n")[0]}${errors.length ? ` (page: ${errors[0]})` : ""}`};
  } finally {
    await browser.close();
  }
}

async function changeOnce(page: Page, run: (i: number) => Promise<Record<string, number | null>>, i: number, timeoutMs: number): Promise<Record<string, number | null>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`change ${i} took over ${timeoutMs} ms`)), timeoutMs)));
  try {
    return await Promise.race([page.evaluate(run, i), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
