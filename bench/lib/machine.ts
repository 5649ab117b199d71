import {execFileSync} from "node:child_process";
import {existsSync, readFileSync} from "node:fs";
import {cpus, loadavg, release, totalmem} from "node:os";
import {join} from "node:path";
import {chromiumVersion} from "./chromium.js";
import {repoRoot} from "./paths.js";

/** The machine and software a result was measured on, so results from different runs can be compared. */
export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  kernel: string;
  node: string;
  chromium: string;
  packages: Record<string, string>;
  /** 1-, 5- and 15-minute load averages when the run started: other work on the machine skews timings. */
  loadAverage: number[];
}

function installedVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot, "node_modules", name, "package.json"), "utf-8")) as {version: string}).version;
  } catch {
    return "unknown";
  }
}

export function describeMachine(): Machine {
  const osRelease = existsSync("/etc/os-release") ? /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf-8"))?.[1] : undefined;
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: osRelease ?? "unknown",
    kernel: release(),
    node: process.version,
    chromium: chromiumVersion(),
    packages: Object.fromEntries(["@duckdb/duckdb-wasm", "@duckdb/node-api", "arquero", "apache-arrow", "@observablehq/framework", "playwright-core", "esbuild"].map((n) => [n, installedVersion(n)])),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function gitState(): {commit: string; dirty: string[]} {
  const run = (args: string[]) => {
    try {
      // trimEnd only: porcelain lines start with a status column that may be a space.
      return execFileSync("git", args, {cwd: repoRoot, encoding: "utf-8"}).trimEnd();
    } catch {
      return "";
    }
  };
  const dirty = run(["status", "--porcelain", "--", "src", "loaders", "scripts", "bench", "package.json"])
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(3));
  return {commit: run(["rev-parse", "HEAD"]), dirty};
}

/**
 * Waits (up to `maxSeconds`) until the 1-minute load average falls below the number of cores, so a
 * measurement does not start while other work keeps every core busy. Returns the load it started at.
 */
export async function waitForQuiet(maxSeconds: number, log: (line: string) => void): Promise<number> {
  const cores = cpus().length;
  const until = Date.now() + maxSeconds * 1000;
  let warned = false;
  while (loadavg()[0]! >= cores && Date.now() < until) {
    if (!warned) log(`  waiting for the machine to quieten (load ${loadavg()[0]!.toFixed(1)} on ${cores} cores, up to ${maxSeconds} s) …`);
    warned = true;
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  return Math.round(loadavg()[0]! * 100) / 100;
}
