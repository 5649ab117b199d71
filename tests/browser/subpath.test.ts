import {spawn, spawnSync, type ChildProcess} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {createServer} from "node:net";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {Manifest} from "../../loaders/publish/downloads.js";
import {openSite, pagePath, sitePages, visit, type Site} from "./harness.js";

/**
 * Deploy anywhere: the built site served under a sub-path (/sandbox/), with the Content-Security-Policy
 * header docs/deploy.md tells nginx to send, loads every page with no console error, no failed request,
 * no request outside /sandbox/ and none to another host; every download arrives intact. The same runs
 * through a real nginx configured with the documented location block, when nginx is installed.
 */

const BASE = "/sandbox/";
const dist = resolve("dist");
const outputDir = join(import.meta.dirname, "output");
const docs = readFileSync("docs/deploy.md", "utf-8");
const nginxBlock = /```nginx\n([\s\S]*?)```/.exec(docs)![1]!;
const headerCsp = /add_header Content-Security-Policy "([^"]+)"/.exec(nginxBlock)![1]!;
const manifest = JSON.parse(readFileSync(join(dist, "data", "downloads", "manifest.json"), "utf-8")) as Manifest;

/** The dist/ file a request path under BASE is served from (pages have no extension). */
function distFile(pathname: string): string | null {
  let path = decodeURIComponent(pathname.slice(BASE.length));
  if (path === "" || path.endsWith("/")) path += "index.html";
  const file = join(dist, path);
  if (existsSync(file) && statSync(file).isFile()) return file;
  return existsSync(`${file}.html`) ? `${file}.html` : null;
}

interface PageLoad {
  page: string;
  requests: number;
  compressed: number;
  uncompressed: number;
}

/** Loads a page in a fresh browser (empty cache) and checks it stayed within the site and the sub-path. */
async function loadPage(site: Site, path: string): Promise<{requests: string[]; consoleErrors: string[]; failures: string[]}> {
  const failures: string[] = [];
  const view = await visit(site, path, {waitFor: "#observablehq-main h1", timeout: 60_000});
  view.page.on("response", (response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
  });
  view.page.on("requestfailed", (request) => failures.push(`failed ${request.url()}: ${request.failure()?.errorText}`));
  await view.page.waitForLoadState("networkidle");
  await view.page.waitForTimeout(500);
  await view.page.close();
  const origin = new URL(site.url).origin;
  const outside = view.requests.filter((url) => url.startsWith(origin) && !new URL(url).pathname.startsWith(BASE));
  expect(view.externalRequests, `${path}: requests to other hosts`).toEqual([]);
  expect(outside, `${path}: requests outside ${BASE}`).toEqual([]);
  return {requests: view.requests.filter((url) => url.startsWith(origin)), consoleErrors: view.consoleErrors, failures};
}

describe(`dist/ served under ${BASE} with the documented CSP header`, () => {
  const loads: PageLoad[] = [];

  afterAll(() => {
    mkdirSync(outputDir, {recursive: true});
    writeFileSync(join(outputDir, "subpath-bytes.json"), `${JSON.stringify(loads, null, 2)}\n`);
    console.log(["page | requests | compressed | uncompressed", ...loads.map((l) => `${l.page} | ${l.requests} | ${l.compressed} | ${l.uncompressed}`)].join("\n"));
  });

  for (const {name, path} of sitePages) {
    test(`${name} (${path}) loads cleanly on first visit; its transferred bytes are recorded`, async () => {
      const site = await openSite({base: BASE});
      site.server.server.prependListener("request", (_request, response) => {
        response.setHeader("Content-Security-Policy", headerCsp);
        response.setHeader("X-Content-Type-Options", "nosniff");
      });
      try {
        const {requests, consoleErrors, failures} = await loadPage(site, pagePath(path));
        expect(consoleErrors).toEqual([]);
        expect(failures).toEqual([]);
        const paths = [...new Set(requests.map((url) => new URL(url).pathname))];
        const compressed = [...site.server.bytesSent.values()].reduce((s, n) => s + n, 0);
        const uncompressed = paths.reduce((s, p) => s + (distFile(p) ? statSync(distFile(p)!).size : 0), 0);
        loads.push({page: path, requests: requests.length, compressed, uncompressed});
        expect(compressed).toBeGreaterThan(0);
      } finally {
        await site.close();
      }
    });
  }

  test("every download in the manifest arrives under the sub-path with its SHA-256", async () => {
    const site = await openSite({base: BASE});
    try {
      for (const file of manifest.datasets.flatMap((d) => d.files)) {
        const response = await fetch(new URL(`data/downloads/${file.path}`, site.url));
        expect(response.status, file.path).toBe(200);
        const bytes = new Uint8Array(await response.arrayBuffer());
        expect(createHash("sha256").update(bytes).digest("hex"), file.path).toBe(file.sha256);
      }
      const archive = await fetch(new URL("data/downloads.zip", site.url));
      expect(archive.headers.get("content-type")).toBe("application/zip");
    } finally {
      await site.close();
    }
  });
});

// NGINX_PATH: an nginx binary outside the usual places (e.g. unpacked from the Debian package).
const nginxBinary = [process.env.NGINX_PATH ?? "", "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].find((p) => p && existsSync(p));
const brotliModule = ["/usr/lib/nginx/modules/ngx_http_brotli_static_module.so", "/usr/share/nginx/modules/ngx_http_brotli_static_module.so"].find((p) => existsSync(p));

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const {port} = server.address() as {port: number};
      server.close(() => done(port));
    });
  });
}

describe.skipIf(!nginxBinary)("the nginx location block of docs/deploy.md, in a real nginx", () => {
  let nginx: ChildProcess;
  let prefix: string;
  let url: string;
  let site: Site;
  let harness: Site;

  beforeAll(async () => {
    prefix = mkdtempSync(join(tmpdir(), "dpf-nginx-"));
    const port = await freePort();
    const block = (brotliModule ? nginxBlock : nginxBlock.replace(/^\s*brotli_static on;\n/m, "")).replaceAll("/srv/dpf-sandbox/", `${dist}/`);
    const conf = [
      brotliModule ? `load_module ${brotliModule};` : "",
      "daemon off;",
      "worker_processes 1;",
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/error.log warn;`,
      "events {}",
      "http {",
      "  access_log off;",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${prefix}/${t};`),
      `  server {\n    listen 127.0.0.1:${port};\n${block}\n  }`,
      "}",
    ].join("\n");
    writeFileSync(join(prefix, "nginx.conf"), conf);
    const check = spawnSync(nginxBinary!, ["-t", "-p", prefix, "-c", join(prefix, "nginx.conf")], {encoding: "utf-8"});
    if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);
    nginx = spawn(nginxBinary!, ["-p", prefix, "-c", join(prefix, "nginx.conf")], {stdio: "ignore"});
    url = `http://127.0.0.1:${port}${BASE}`;
    for (let i = 0; i < 50; i++) {
      if (await fetch(url).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // The harness's browser, pointed at nginx instead of its own server.
    harness = await openSite({base: BASE});
    site = {...harness, url};
  });

  afterAll(async () => {
    await harness?.close();
    if (nginx?.pid) process.kill(nginx.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 200));
    rmSync(prefix, {recursive: true, force: true});
  });

  test("sends pages with the CSP header, WebAssembly as application/wasm with brotli, and maps page addresses to .html", async () => {
    const page = await fetch(`${url}gaps`, {headers: {"accept-encoding": "br"}});
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toBe(headerCsp);
    const wasm = readdirSync(join(dist, "_npm"), {recursive: true, encoding: "utf-8"}).find((f) => f.endsWith(".wasm"));
    expect(wasm).toBeDefined();
    {
      const response = await fetch(`${url}_npm/${wasm!.split("\\").join("/")}`, {method: "HEAD", headers: {"accept-encoding": "br, gzip"}});
      expect(response.headers.get("content-type")).toBe("application/wasm");
      expect(response.headers.get("content-encoding")).toBe(brotliModule ? "br" : "gzip");
    }
    expect((await fetch(`${url}no-such-page`)).status).toBe(404);
  });

  test("caches the hashed folders a year with the security headers still on, and revalidates pages with a 304", async () => {
    const wasm = readdirSync(join(dist, "_npm"), {recursive: true, encoding: "utf-8"}).find((f) => f.endsWith(".wasm"))!;
    const engine = await fetch(`${url}_npm/${wasm.split("\\").join("/")}`, {method: "HEAD", headers: {"accept-encoding": "br, gzip"}});
    expect(engine.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(engine.headers.get("content-security-policy")).toBe(headerCsp);
    expect(engine.headers.get("x-content-type-options")).toBe("nosniff");
    expect(engine.headers.get("referrer-policy")).toBe("no-referrer");
    const page = await fetch(`${url}gaps`);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toBe(headerCsp);
    const etag = page.headers.get("etag");
    expect(etag).toBeTruthy();
    expect(page.headers.get("last-modified")).toBeTruthy();
    const again = await fetch(`${url}gaps`, {headers: {"if-none-match": etag!}});
    expect(again.status).toBe(304);
  });

  for (const {name, path} of sitePages) {
    test(`${name} (${path}) loads through nginx with no console error and no failed request`, async () => {
      const {consoleErrors, failures} = await loadPage(site, pagePath(path));
      expect(consoleErrors).toEqual([]);
      expect(failures).toEqual([]);
    });
  }
});
