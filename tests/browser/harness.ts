/**
 * Drives Debian's Chromium (via playwright-core) against the built site served from 127.0.0.1.
 * Every visit records console errors, page errors and any request to a host other than the site's
 * own origin, so each spec can assert the page is clean and offline.
 */
import {mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {chromium, type BrowserContext, type Page} from "playwright-core";
import {serveStatic, type StaticServer} from "../../scripts/serve.js";
import config from "../../observablehq.config.js";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const screenshotDir = join(import.meta.dirname, "screenshots");
/** Flags of every Chromium the tests and the benchmark start: headless, offline, no profile state. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Every page of the site, from the sidebar configuration (plus pages outside the sidebar). */
export const sitePages: {name: string; path: string}[] = [...config.pages];

export interface Site {
  server: StaticServer;
  context: BrowserContext;
  /** Site root URL, ending in "/" (may be a sub-path such as /sandbox/). */
  url: string;
  close(): Promise<void>;
}

export async function openSite(options: {base?: string; dir?: string} = {}): Promise<Site> {
  const server = await serveStatic({dir: options.dir ?? "dist", base: options.base});
  const userDataDir = mkdtempSync(join(tmpdir(), "dpf-chromium-"));
  // A fresh user-data dir per run: no profile, no cache, nothing from an earlier run.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    locale: "zh-CN",
    viewport: {width: 1280, height: 900},
    acceptDownloads: true,
    args: chromiumArgs,
  });
  return {
    server,
    context,
    url: server.url,
    async close() {
      await context.close();
      await server.close();
      rmSync(userDataDir, {recursive: true, force: true});
    },
  };
}

export interface Visit {
  page: Page;
  consoleErrors: string[];
  externalRequests: string[];
  /** Every request URL the page (and its workers) made. */
  requests: string[];
  /** Messages of every alert/confirm/prompt the page opened (dismissed); an injected script would open one. */
  dialogs: string[];
}

/** Opens a site path (e.g. "gaps" or "gaps?indicator=x") and starts recording what the page does. */
export async function visit(site: Site, path: string, options: {waitFor?: string; timeout?: number} = {}): Promise<Visit> {
  const page = await site.context.newPage();
  const origin = new URL(site.url).origin;
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  const dialogs = watchDialogs(page);
  site.context.on("request", (request) => {
    const url = request.url();
    requests.push(url);
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) externalRequests.push(url);
  });
  await page.goto(new URL(path.replace(/^\//, ""), site.url).href, {waitUntil: "load"});
  if (options.waitFor) await page.waitForSelector(options.waitFor, {timeout: options.timeout ?? 30_000});
  return {page, consoleErrors, externalRequests, requests, dialogs};
}

/** Saves a full-page screenshot under tests/browser/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, {recursive: true});
  const file = join(screenshotDir, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  return file;
}

/** The URL path of a configured page ("/" → "index"). */
export function pagePath(path: string): string {
  return path === "/" ? "index" : path.replace(/^\//, "");
}

/** The unit names of tests/fixtures/bad/hostile.csv: markup, a script link, a formula and SQL. */
export const hostileNames = [
  "<img src=x onerror=alert(1)>社区",
  '=HYPERLINK("http://example.invalid/?leak","点击查看")',
  "javascript:alert(1)//村",
  "'; DROP TABLE units; --村",
];

/** Collects every dialog a page opens (an injected `onerror=alert(1)` or `javascript:` link would). */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

/**
 * What hostile text would have become had a page parsed it as HTML or followed it as a link: elements
 * with an inline event handler attribute, images pointing at "x", links with a script or outside URL.
 * Our own code attaches handlers with addEventListener, so any `on…` attribute is an injection.
 */
export async function injectedElements(page: Page): Promise<string[]> {
  return page.$$eval("body *", (elements) =>
    elements.flatMap((el) => {
      const found: string[] = [];
      for (const attr of Array.from(el.attributes)) if (/^on/i.test(attr.name)) found.push(`<${el.tagName.toLowerCase()} ${attr.name}>`);
      if (el instanceof HTMLImageElement && /(^|\/)x$/.test(el.getAttribute("src") ?? "")) found.push(`<img src=${el.getAttribute("src")}>`);
      const href = el.getAttribute("href") ?? el.getAttribute("xlink:href");
      if (href !== null && /^\s*(javascript|data|vbscript):|example\.invalid/i.test(href)) found.push(`<${el.tagName.toLowerCase()} href=${href}>`);
      return found;
    }),
  );
}
