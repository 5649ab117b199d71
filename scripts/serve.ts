/**
 * A static file server for `dist/`, as an intranet nginx would serve it: any sub-path (`--base
 * /sandbox/`), precompressed `.br`/`.gz` siblings when the browser accepts them, and nothing but
 * files, cached as docs/deploy.md's nginx block caches them (content-hashed files for a year, the rest
 * revalidated by ETag/Last-Modified with 304). Used by the browser tests and the benchmark; binds to
 * 127.0.0.1 only.
 */
import {createReadStream, existsSync, statSync} from "node:fs";
import {createServer, type IncomingMessage, type Server} from "node:http";
import {extname, join, normalize, relative, resolve, sep} from "node:path";
import {fileURLToPath} from "node:url";

const mimeTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".arrow": "application/vnd.apache.arrow.file",
  ".parquet": "application/vnd.apache.parquet",
  ".csv": "text/csv; charset=utf-8",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".zip": "application/zip",
};

export interface StaticServer {
  url: string;
  server: Server;
  /** Bytes sent per path since start (compressed size when a precompressed file was sent). */
  bytesSent: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Paths Framework names by content (`name.1a2b3c4d.js`) or by package version (`_npm/pkg@1.2.3/…`, where
 * DuckDB's .wasm keeps its own name): a new build gives new names, so a browser may keep them for a year
 * without asking. Everything else (pages, the download files, /data/) keeps its name across builds and
 * is revalidated on every use.
 */
export const immutablePrefixes = ["_npm/", "_node/", "_file/", "_import/", "_observablehq/"] as const;
export const immutableCacheControl = "public, max-age=31536000, immutable";

export function isImmutablePath(path: string): boolean {
  return immutablePrefixes.some((prefix) => path.startsWith(prefix));
}

/** A validator per file sent: the precompressed siblings are different bodies and get different tags. */
function entityTag(size: number, mtimeMs: number, encoding: string | undefined): string {
  return `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}${encoding ? `-${encoding}` : ""}"`;
}

/** If-None-Match by weak comparison (RFC 9110 §13.1.2); `*` matches any existing file. */
function tagMatches(header: string, tag: string): boolean {
  const opaque = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || opaque(t) === opaque(tag));
}

/** True when the browser's copy is current: If-None-Match wins; If-Modified-Since only without it (whole seconds). */
function notModified(request: IncomingMessage, tag: string, mtimeMs: number): boolean {
  const ifNoneMatch = request.headers["if-none-match"];
  if (ifNoneMatch !== undefined) return tagMatches(ifNoneMatch, tag);
  const ifModifiedSince = request.headers["if-modified-since"];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

export function serveStatic(options: {dir: string; base?: string; port?: number}): Promise<StaticServer> {
  const dir = resolve(options.dir);
  const base = (options.base ?? "/").replace(/\/?$/, "/");
  const bytesSent = new Map<string, number>();
  const server = createServer((request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") return void response.writeHead(405, {Allow: "GET, HEAD"}).end("method not allowed");
    // Only the path of the request target: "//host/x" is a path here, not another host.
    const pathname = (request.url ?? "/").split(/[?#]/, 1)[0];
    if (!pathname.startsWith(base)) return void response.writeHead(404).end("not found");
    let path: string;
    try {
      path = decodeURIComponent(pathname.slice(base.length));
    } catch {
      // A malformed percent-escape ("%E4%B8", "%zz") is the client's error, not a reason to stop serving.
      return void response.writeHead(400, {"Content-Type": "text/plain; charset=utf-8"}).end("bad request: malformed percent-escape in the path");
    }
    if (path.includes("\0")) return void response.writeHead(400, {"Content-Type": "text/plain; charset=utf-8"}).end("bad request");
    if (path === "" || path.endsWith("/")) path += "index.html";
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep)) return void response.writeHead(403).end("forbidden");
    const candidate = existsSync(file) && statSync(file).isFile() ? file : existsSync(`${file}.html`) ? `${file}.html` : null;
    if (!candidate) return void response.writeHead(404).end("not found");
    const accepts = String(request.headers["accept-encoding"] ?? "");
    const headers: Record<string, string> = {
      "Content-Type": mimeTypes[extname(candidate)] ?? "application/octet-stream",
      "Cache-Control": isImmutablePath(relative(dir, candidate).split(sep).join("/")) ? immutableCacheControl : "no-cache",
      Vary: "Accept-Encoding",
    };
    let body = candidate;
    if (/\bbr\b/.test(accepts) && existsSync(`${candidate}.br`)) (body = `${candidate}.br`), (headers["Content-Encoding"] = "br");
    else if (/\bgzip\b/.test(accepts) && existsSync(`${candidate}.gz`)) (body = `${candidate}.gz`), (headers["Content-Encoding"] = "gzip");
    const stat = statSync(body);
    // The page's own file dates the answer, whichever sibling is sent (the build writes them together).
    const mtimeMs = statSync(candidate).mtimeMs;
    headers.ETag = entityTag(stat.size, stat.mtimeMs, headers["Content-Encoding"]);
    headers["Last-Modified"] = new Date(mtimeMs).toUTCString();
    if (notModified(request, headers.ETag, mtimeMs)) {
      delete headers["Content-Type"];
      return void response.writeHead(304, headers).end();
    }
    headers["Content-Length"] = String(stat.size);
    if (request.method !== "HEAD") bytesSent.set(pathname, (bytesSent.get(pathname) ?? 0) + stat.size);
    response.writeHead(200, headers);
    if (request.method === "HEAD" || stat.size === 0) return void response.end();
    // Exactly the bytes announced: a file rewritten while it is sent (a rebuild) must not spill past
    // Content-Length into the next answer on a kept-alive connection.
    createReadStream(body, {start: 0, end: stat.size - 1}).pipe(response);
  });
  return new Promise((resolvePromise) => {
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolvePromise({
        url: `http://127.0.0.1:${port}${base}`,
        server,
        bytesSent,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const served = await serveStatic({dir: flag("--dir") ?? "dist", base: flag("--base"), port: Number(flag("--port") ?? 3000)});
  console.log(`serving ${flag("--dir") ?? "dist"} at ${served.url}`);
}
