import type {CDPSession, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {openSite, type Site} from "./harness.js";

// A planner's second visit, served by scripts/serve.ts as docs/deploy.md's nginx block serves the site:
// the hashed folders (DuckDB's 5.4 MB engine among them) come from the browser's cache without a
// request, pages and data revalidate with a 304. Bytes are counted twice: by Chromium (CDP Network
// events of the page: what crossed the wire, headers included) and by the server (bodies it sent,
// which also sees the requests of DuckDB's worker, where the WebAssembly is fetched).
const REPEAT_BUDGET_BYTES = 200 * 1024;
const ENGINE = /duckdb[^/]*\.wasm$/;

// Each page in a fresh browser profile, so its first visit is cold (no engine cached by another page).
let site: Site;

interface Transfer {
  /** Σ encodedDataLength of the page's finished requests (Network.loadingFinished). */
  wireBytes: number;
  /** Requests the page's network stack answered from its disk or memory cache. */
  fromCache: number;
  /** Σ body bytes the server sent during the visit, per path. */
  served: Map<string, number>;
}

/** Counts what one visit of `path` transfers, from navigation until the engine is in and the network is idle. */
async function measuredVisit(path: string, ready: (page: Page) => Promise<unknown>): Promise<Transfer> {
  const page = await site.context.newPage();
  const cdp: CDPSession = await site.context.newCDPSession(page);
  await cdp.send("Network.enable");
  let wireBytes = 0;
  let fromCache = 0;
  cdp.on("Network.loadingFinished", (e) => (wireBytes += e.encodedDataLength));
  cdp.on("Network.requestServedFromCache", () => fromCache++);
  cdp.on("Network.responseReceived", (e) => (e.response.fromDiskCache || e.response.fromPrefetchCache ? fromCache++ : undefined));
  const before = new Map(site.server.bytesSent);
  await page.goto(new URL(path, site.url).href, {waitUntil: "load"});
  await ready(page);
  await page.waitForLoadState("networkidle");
  const served = new Map<string, number>();
  for (const [p, sent] of site.server.bytesSent) if (sent > (before.get(p) ?? 0)) served.set(p, sent - (before.get(p) ?? 0));
  await cdp.detach();
  await page.close();
  return {wireBytes, fromCache, served};
}

const total = (served: Map<string, number>) => [...served.values()].reduce((s, n) => s + n, 0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const pages = [
  // Until DuckDB-WASM answers the page (it loads after the published first figures), so its bytes count.
  {page: "gaps", ready: (p: Page) => p.waitForFunction(() => document.querySelector(".gap-engine")?.getAttribute("data-engine") === "duckdb", null, {timeout: 90_000})},
  {page: "sandbox", ready: (p: Page) => p.waitForFunction(() => window.__dpfSandbox?.engine === "duckdb", null, {timeout: 90_000})},
];

describe.each(pages)("a repeat visit of $page", ({page, ready}) => {
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(async () => {
    await site?.close();
  });

  test("transfers under 200 KB and does not download the engine again", async () => {
    const first = await measuredVisit(page, ready);
    const second = await measuredVisit(page, ready);
    console.log(
      `${page}: first visit ${kb(first.wireBytes)} on the wire (${kb(total(first.served))} served); ` +
        `repeat ${kb(second.wireBytes)} on the wire (${kb(total(second.served))} served, ${second.fromCache} from cache)`,
    );
    // The first visit downloads the engine (so the second's absence of it means something).
    expect([...first.served.keys()].some((p) => ENGINE.test(p))).toBe(true);
    expect([...second.served.keys()].filter((p) => ENGINE.test(p))).toEqual([]);
    expect(second.fromCache).toBeGreaterThan(0);
    expect(second.wireBytes).toBeLessThan(REPEAT_BUDGET_BYTES);
    expect(total(second.served)).toBeLessThan(REPEAT_BUDGET_BYTES);
  });
});
