import {appendFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync} from "node:fs";
import {Agent, request} from "node:http";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {brotliCompressSync, brotliDecompressSync, gzipSync} from "node:zlib";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {immutableCacheControl, serveStatic, type StaticServer} from "../../scripts/serve.js";

/** A raw HTTP/1.1 request (fetch would normalise the path and hide a malformed escape). */
function get(server: StaticServer, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<{status: number; headers: Record<string, string | string[] | undefined>; body: Buffer}> {
  const {port} = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({host: "127.0.0.1", port, path, method, headers}, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks)}));
    });
    req.on("error", reject);
    req.end();
  });
}

const page = "<!doctype html><title>覆盖缺口</title>".repeat(50);
const script = "export const x = 1;\n".repeat(100);
let dir: string;
let server: StaticServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dpf-serve-"));
  mkdirSync(join(dir, "_npm", "@duckdb", "duckdb-wasm@1.29.0", "dist"), {recursive: true});
  mkdirSync(join(dir, "_import", "components"), {recursive: true});
  mkdirSync(join(dir, "_file", "data"), {recursive: true});
  mkdirSync(join(dir, "data", "downloads"), {recursive: true});
  writeFileSync(join(dir, "gaps.html"), page);
  writeFileSync(join(dir, "gaps.html.br"), brotliCompressSync(page));
  writeFileSync(join(dir, "gaps.html.gz"), gzipSync(page));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>概览</title>");
  writeFileSync(join(dir, "_import", "components", "gapExplorer.71f1fa11.js"), script);
  writeFileSync(join(dir, "_import", "components", "gapExplorer.71f1fa11.js.br"), brotliCompressSync(script));
  writeFileSync(join(dir, "_npm", "@duckdb", "duckdb-wasm@1.29.0", "dist", "duckdb-eh.wasm"), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(dir, "_file", "data", "persons_cube.2cda6bfe.arrow"), "arrow");
  writeFileSync(join(dir, "data", "downloads", "manifest.json"), "{}");
  // A date in the past, so If-Modified-Since "now" is later than the file.
  const past = new Date("2026-01-02T03:04:05Z");
  for (const f of ["gaps.html", "gaps.html.br", "gaps.html.gz", "data/downloads/manifest.json"]) utimesSync(join(dir, f), past, past);
  server = await serveStatic({dir, base: "/sandbox/"});
});

afterAll(async () => {
  await server.close();
  rmSync(dir, {recursive: true, force: true});
});

describe("serve.ts caching", () => {
  it("caches files under the hashed folders for a year as immutable", async () => {
    for (const path of ["_import/components/gapExplorer.71f1fa11.js", "_npm/@duckdb/duckdb-wasm@1.29.0/dist/duckdb-eh.wasm", "_file/data/persons_cube.2cda6bfe.arrow"]) {
      const res = await get(server, `/sandbox/${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers["cache-control"], path).toBe(immutableCacheControl);
      expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    }
  });

  it("revalidates pages and data files: no-cache with an ETag and Last-Modified", async () => {
    for (const path of ["gaps", "", "data/downloads/manifest.json"]) {
      const res = await get(server, `/sandbox/${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers["cache-control"], path).toBe("no-cache");
      expect(res.headers.etag, path).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+(-\w+)?"$/);
      expect(Date.parse(String(res.headers["last-modified"])), path).not.toBeNaN();
    }
    const manifest = await get(server, "/sandbox/data/downloads/manifest.json");
    expect(manifest.headers["last-modified"]).toBe("Fri, 02 Jan 2026 03:04:05 GMT");
  });

  it("answers 304 with no body to a matching If-None-Match, 200 to a stale one", async () => {
    const first = await get(server, "/sandbox/gaps", {"accept-encoding": "br"});
    const tag = String(first.headers.etag);
    const again = await get(server, "/sandbox/gaps", {"accept-encoding": "br", "if-none-match": tag});
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(tag);
    expect(again.headers["cache-control"]).toBe("no-cache");
    expect((await get(server, "/sandbox/gaps", {"accept-encoding": "br", "if-none-match": `"other", ${tag}`})).status).toBe(304);
    expect((await get(server, "/sandbox/gaps", {"accept-encoding": "br", "if-none-match": '"other"'})).status).toBe(200);
    // The file changes (a new build): the old tag no longer matches.
    writeFileSync(join(dir, "gaps.html.br"), brotliCompressSync(page + "<p>新</p>"));
    const changed = await get(server, "/sandbox/gaps", {"accept-encoding": "br", "if-none-match": tag});
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(tag);
    expect(brotliDecompressSync(changed.body).toString()).toContain("<p>新</p>");
  });

  it("answers 304 to If-Modified-Since at or after the file's date, unless If-None-Match disagrees", async () => {
    const res = await get(server, "/sandbox/data/downloads/manifest.json");
    const lastModified = String(res.headers["last-modified"]);
    expect((await get(server, "/sandbox/data/downloads/manifest.json", {"if-modified-since": lastModified})).status).toBe(304);
    expect((await get(server, "/sandbox/data/downloads/manifest.json", {"if-modified-since": new Date().toUTCString()})).status).toBe(304);
    expect((await get(server, "/sandbox/data/downloads/manifest.json", {"if-modified-since": "Thu, 01 Jan 2026 00:00:00 GMT"})).status).toBe(200);
    expect((await get(server, "/sandbox/data/downloads/manifest.json", {"if-modified-since": "not a date"})).status).toBe(200);
    // If-None-Match takes precedence over If-Modified-Since (RFC 9110 §13.2.2).
    expect((await get(server, "/sandbox/data/downloads/manifest.json", {"if-modified-since": lastModified, "if-none-match": '"other"'})).status).toBe(200);
  });

  it("keeps serving precompressed siblings, each with its own tag, varying on Accept-Encoding", async () => {
    const br = await get(server, "/sandbox/gaps", {"accept-encoding": "gzip, deflate, br"});
    const gz = await get(server, "/sandbox/gaps", {"accept-encoding": "gzip"});
    const plain = await get(server, "/sandbox/gaps");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(page);
    for (const res of [br, gz, plain]) expect(res.headers.vary).toBe("Accept-Encoding");
    expect(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size).toBe(3);
    // A gzip tag does not validate the brotli body.
    expect((await get(server, "/sandbox/gaps", {"accept-encoding": "br", "if-none-match": String(gz.headers.etag)})).status).toBe(200);
    const hashed = await get(server, "/sandbox/_import/components/gapExplorer.71f1fa11.js", {"accept-encoding": "br"});
    expect(hashed.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(hashed.body).toString()).toBe(script);
  });

  it("sends exactly Content-Length bytes when the file grows while it is sent (a rebuild), so the next answer on the connection parses", async () => {
    const big = join(dir, "data", "downloads", "big.csv");
    writeFileSync(big, Buffer.alloc(4 << 20, 0x61));
    const {port} = new URL(server.url);
    const agent = new Agent({keepAlive: true, maxSockets: 1});
    const received = await new Promise<{declared: number; length: number}>((resolve, reject) => {
      const req = request({host: "127.0.0.1", port, path: "/sandbox/data/downloads/big.csv", agent}, (res) => {
        let length = 0;
        res.once("data", (chunk: Buffer) => {
          length += chunk.length;
          // The server has read only the first chunks; the build then appends to the file.
          res.pause();
          appendFileSync(big, Buffer.alloc(1 << 20, 0x62));
          res.on("data", (c: Buffer) => (length += c.length));
          res.resume();
        });
        res.on("end", () => resolve({declared: Number(res.headers["content-length"]), length}));
      });
      req.on("error", reject);
      req.end();
    });
    expect(received).toEqual({declared: 4 << 20, length: 4 << 20});
    // The same kept-alive socket answers the next request cleanly.
    const next = await new Promise<number>((resolve, reject) => {
      const req = request({host: "127.0.0.1", port, path: "/sandbox/data/downloads/manifest.json", agent}, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end();
    });
    agent.destroy();
    expect(next).toBe(200);
  });

  it("counts bytes sent for 200 answers only, not for 304 or HEAD", async () => {
    const path = "/sandbox/_file/data/persons_cube.2cda6bfe.arrow";
    const before = server.bytesSent.get(path) ?? 0;
    const res = await get(server, path);
    await get(server, path, {"if-none-match": String(res.headers.etag)});
    const head = await get(server, path, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe("5");
    expect(server.bytesSent.get(path)! - before).toBe(5);
  });
});

describe("serve.ts requests it cannot answer", () => {
  it("answers 400 to a malformed percent-escape and keeps serving", async () => {
    for (const path of ["/sandbox/%E4%B8", "/sandbox/%zz", "/sandbox/gaps%", "/sandbox/_npm/%C0%AF"]) {
      const res = await get(server, path);
      expect(res.status, path).toBe(400);
      expect(res.body.toString()).toMatch(/malformed percent-escape/);
    }
    expect((await get(server, "/sandbox/gaps")).status).toBe(200);
  });

  it("still decodes well-formed escapes, refuses paths outside the site and other methods", async () => {
    expect((await get(server, "/sandbox/%67aps")).status).toBe(200);
    expect((await get(server, "/sandbox/%2e%2e/%2e%2e/etc/passwd")).status).toBe(403);
    expect((await get(server, "/sandbox/missing")).status).toBe(404);
    expect((await get(server, "/elsewhere/gaps")).status).toBe(404);
    expect((await get(server, "/sandbox/gaps", {}, "POST")).status).toBe(405);
  });
});
