import type {Request} from "playwright-core";
import type {GapAnswerRow, GapWorkload} from "../shared/gapAnswer.js";
import type {Measured, RepeatOptions} from "../shared/measure.js";
import type {ParquetMode, ParquetRead, ProbeApi, ProbeOpen} from "../shared/probeApi.js";
import type {ScenarioAnswer, ScenarioWorkload} from "../shared/scenarioAnswer.js";
import {launchBrowser, type BenchBrowser} from "./chromium.js";

/**
 * Drives the DuckDB-WASM probe page (bench/browser/duckdbProbe.ts) in a fresh headless Chromium and
 * watches every request the page and its workers make: anything not from the page's own origin (an
 * extension download, a CDN) is recorded as foreign — the site's CSP would refuse it.
 */

type Api = {probe: ProbeApi};

export interface RequestLog {
  /** Every request: URL relative to the origin, or the full URL when foreign. */
  all: string[];
  foreign: string[];
}

interface ProbeSession {
  browser: BenchBrowser;
  requests: RequestLog;
  wasm: {url: string; ms: number}[];
  errors: string[];
}

async function openProbe(pageUrl: string, options: {abortForeign?: boolean} = {}): Promise<ProbeSession> {
  const browser = await launchBrowser();
  const origin = new URL(pageUrl).origin;
  // Answered at once instead of waiting for a host this machine cannot reach (the request is still logged).
  if (options.abortForeign) await browser.context.route((url) => url.origin !== origin && url.protocol !== "data:", (route) => route.abort("blockedbyclient"));
  const requests: RequestLog = {all: [], foreign: []};
  const wasm: ProbeSession["wasm"] = [];
  const errors: string[] = [];
  // The context's events include the workers' requests (DuckDB's worker fetches the .wasm itself).
  browser.context.on("request", (r: Request) => {
    const url = r.url();
    if (url.startsWith("data:")) return;
    const local = url.startsWith(`${origin}/`);
    requests.all.push(local ? url.slice(origin.length) : url);
    if (!local) requests.foreign.push(url);
  });
  browser.context.on("requestfinished", (r: Request) => {
    if (/\.wasm$/.test(r.url())) wasm.push({url: r.url().slice(origin.length), ms: r.timing().responseEnd});
  });
  browser.page.on("pageerror", (e) => errors.push(String(e)));
  browser.page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text().slice(0, 300));
  });
  await browser.page.goto(pageUrl, {waitUntil: "load"});
  await browser.page.waitForSelector("body[data-ready]", {timeout: 30_000});
  return {browser, requests, wasm, errors};
}

export interface InstantiateLoad extends ProbeOpen {
  /** The .wasm request made by DuckDB's worker, and how long it took (request start → last byte). */
  wasm: {url: string; ms: number}[];
  requests: RequestLog;
  errors: string[];
}

/** One cold instantiate: a fresh profile (empty cache), the page, `openSandboxDb({})`. */
export async function instantiateLoad(pageUrl: string): Promise<InstantiateLoad> {
  const session = await openProbe(pageUrl);
  try {
    const opened = await session.browser.page.evaluate(() => (window as unknown as Api).probe.open());
    return {...opened, wasm: session.wasm, requests: session.requests, errors: session.errors};
  } finally {
    await session.browser.close();
  }
}

/** A folder of Parquet files (with their Arrow twins where there are) to read, as one data set. */
export interface ParquetSet {
  name: string;
  /** URL of the folder, ending in "/". */
  url: string;
  /** Tables to read from <table>.parquet. */
  tables: string[];
  /** Tables that also have <table>.arrow, whose DuckDB column types are compared. */
  arrowTwins: string[];
  /** Whether units, persons and parameters are all here, so the benchmark's answers can be computed. */
  answerable: boolean;
  /**
   * How to read them: `buffer` always (last, so its tables stay); `url` too for small files only, as
   * scripts/serve.ts answers a range request with the whole file.
   */
  modes: ParquetMode[];
}

export interface ParquetSetResult {
  name: string;
  reads: ParquetRead[];
  /** Per twin table: the column types from Arrow where they differ from those read from Parquet. */
  typeDifferences: Record<string, {parquet: string[]; arrow: string[]}>;
  answers?: {gap: GapAnswerRow[]; scenario: ScenarioAnswer};
  gap?: Measured;
  error?: string;
}

export interface ParquetProbe {
  open: ProbeOpen;
  sets: ParquetSetResult[];
  requests: RequestLog;
  errors: string[];
}

export interface AutoloadProbe {
  read: ParquetRead;
  /** What DuckDB asked for with autoloading on: requests to other hosts (refused here, and by the site's CSP). */
  requests: RequestLog;
}

/**
 * What happens without the site's setting: one Parquet file read with extension autoloading and
 * autoinstall on, requests to other hosts refused at once. Shows where the parquet extension would come from.
 */
export async function autoloadProbe(pageUrl: string, parquetUrl: string): Promise<AutoloadProbe> {
  const session = await openProbe(pageUrl, {abortForeign: true});
  try {
    await session.browser.page.evaluate(() => (window as unknown as Api).probe.open());
    const read = await session.browser.page.evaluate((u) => (window as unknown as Api).probe.autoload(u), parquetUrl);
    return {read, requests: session.requests};
  } finally {
    await session.browser.close();
  }
}

/**
 * Reads each set's Parquet files with extension autoloading off, in its modes, compares column types with the
 * Arrow twins, and computes the benchmark's answers and the gap query's timings on the Parquet tables.
 */
export async function parquetProbe(pageUrl: string, sets: ParquetSet[], workloads: {gap: GapWorkload; scenario: ScenarioWorkload}, repeat: RepeatOptions, log: (line: string) => void): Promise<ParquetProbe> {
  const session = await openProbe(pageUrl);
  const {page} = session.browser;
  try {
    const open = await page.evaluate(() => (window as unknown as Api).probe.open());
    const results: ParquetSetResult[] = [];
    for (const set of sets) {
      const result: ParquetSetResult = {name: set.name, reads: [], typeDifferences: {}};
      try {
        for (const table of set.tables)
          for (const mode of set.modes)
            result.reads.push(await page.evaluate(([t, u, m]) => (window as unknown as Api).probe.readParquet(t, u, m as ParquetMode), [table, `${set.url}${table}.parquet`, mode] as const));
        for (const table of set.arrowTwins) {
          const read = result.reads.find((r) => r.table === table && r.mode === "buffer" && r.ok);
          if (!read) continue;
          const arrow = await page.evaluate(([t, u]) => (window as unknown as Api).probe.arrowColumns(t, u), [table, `${set.url}${table}.arrow`] as const);
          if (arrow.join("\n") !== read.columns.join("\n")) result.typeDifferences[table] = {parquet: read.columns.filter((c) => !arrow.includes(c)), arrow: arrow.filter((c) => !read.columns.includes(c))};
        }
        const failed = result.reads.filter((r) => !r.ok);
        if (set.answerable && !failed.some((r) => r.mode === "buffer")) {
          result.answers = await page.evaluate(([g, s]) => (window as unknown as Api).probe.answers(g as GapWorkload, s as ScenarioWorkload), [workloads.gap, workloads.scenario] as const);
          result.gap = await page.evaluate(([g, r]) => (window as unknown as Api).probe.gapTimings(g as GapWorkload, r as RepeatOptions), [workloads.gap, repeat] as const);
        }
        log(`    ${set.name}: ${result.reads.filter((r) => r.ok).length}/${result.reads.length} reads ok${failed.length ? ` (${failed[0]!.table} ${failed[0]!.mode}: ${failed[0]!.error})` : ""}${result.gap ? `, gap p50 ${result.gap.p50.toFixed(1)} ms on the Parquet tables` : ""}`);
      } catch (error) {
        result.error = (error as Error).message.split("\n")[0]!;
        log(`    ${set.name}: FAILED (${result.error})`);
      }
      results.push(result);
    }
    return {open, sets: results, requests: session.requests, errors: session.errors};
  } finally {
    await session.browser.close();
  }
}
