/**
 * A static file server for `dist/`, as an intranet nginx would serve it: any sub-path (`--base
 * /sandbox/`), precompressed `.br`/`.gz` siblings when the browser accepts them, and nothing but
 * files. Used by the browser tests and the benchmark; binds to 127.0.0.1 only.
 */
import {createReadStream, existsSync, statSync} from "node:fs";
import {createServer, type Server} from "node:http";
import {extname, join, normalize, resolve, sep} from "node:path";
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

export function serveStatic(options: {dir: string; base?: string; port?: number}): Promise<StaticServer> {
  const dir = resolve(options.dir);
  const base = (options.base ?? "/").replace(/\/?$/, "/");
  const bytesSent = new Map<string, number>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(base)) return void response.writeHead(404).end("not found");
    let path = decodeURIComponent(url.pathname.slice(base.length));
    if (path === "" || path.endsWith("/")) path += "index.html";
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep)) return void response.writeHead(403).end("forbidden");
    const candidate = existsSync(file) && statSync(file).isFile() ? file : existsSync(`${file}.html`) ? `${file}.html` : null;
    if (!candidate) return void response.writeHead(404).end("not found");
    const accepts = String(request.headers["accept-encoding"] ?? "");
    const headers: Record<string, string> = {
      "Content-Type": mimeTypes[extname(candidate)] ?? "application/octet-stream",
      "Cache-Control": "no-cache",
      Vary: "Accept-Encoding",
    };
    let body = candidate;
    if (/\bbr\b/.test(accepts) && existsSync(`${candidate}.br`)) (body = `${candidate}.br`), (headers["Content-Encoding"] = "br");
    else if (/\bgzip\b/.test(accepts) && existsSync(`${candidate}.gz`)) (body = `${candidate}.gz`), (headers["Content-Encoding"] = "gzip");
    const size = statSync(body).size;
    headers["Content-Length"] = String(size);
    bytesSent.set(url.pathname, (bytesSent.get(url.pathname) ?? 0) + size);
    response.writeHead(200, headers);
    if (request.method === "HEAD") return void response.end();
    createReadStream(body).pipe(response);
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
