import {execFileSync} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {chromium, type BrowserContext, type Page} from "playwright-core";
import {chromiumArgs, chromiumPath} from "../../tests/browser/harness.js";

/**
 * Headless Chromium as the browser tests start it (same binary and flags, a fresh user-data dir each
 * time), plus what the benchmark needs to see from outside: the renderer processes' memory from /proc
 * (current and peak RSS, the peak reset between phases) and the main thread's JS heap over CDP.
 */

/** Exact (not bucketed) performance.memory values; changes no timing. */
const benchFlags = ["--enable-precise-memory-info"];

export interface BenchBrowser {
  context: BrowserContext;
  page: Page;
  userDataDir: string;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BenchBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "dpf-bench-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    locale: "zh-CN",
    viewport: {width: 1280, height: 900},
    args: [...chromiumArgs, ...benchFlags],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    userDataDir,
    async close() {
      await context.close();
      rmSync(userDataDir, {recursive: true, force: true});
    },
  };
}

export function chromiumVersion(): string {
  try {
    return execFileSync(chromiumPath, ["--version"], {encoding: "utf-8", stdio: ["ignore", "pipe", "ignore"]}).trim();
  } catch {
    return "unknown";
  }
}

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf-8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.push({pid: Number(entry), ppid, cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf-8").replaceAll("\0", " ")});
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** The renderer processes of the Chromium started with this user-data dir. */
export function rendererPids(userDataDir: string): number[] {
  const all = processes();
  const root = all.find((p) => p.cmdline.includes(`--user-data-dir=${userDataDir}`) && !p.cmdline.includes("--type="));
  if (!root) return [];
  const descendants = new Set([root.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all)
      if (!descendants.has(p.pid) && descendants.has(p.ppid)) {
        descendants.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => descendants.has(p.pid) && p.cmdline.includes("--type=renderer")).map((p) => p.pid);
}

function statusKB(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf-8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface RendererMemory {
  /** Largest renderer (the page's; the others are spares): current RSS and peak RSS since the last reset, MB. */
  rssMB: number;
  peakRssMB: number;
  renderers: number;
}

export function rendererMemory(userDataDir: string): RendererMemory {
  const pids = rendererPids(userDataDir);
  return {
    rssMB: Math.max(0, ...pids.map((p) => statusKB(p, "VmRSS"))) / 1024,
    peakRssMB: Math.max(0, ...pids.map((p) => statusKB(p, "VmHWM"))) / 1024,
    renderers: pids.length,
  };
}

/** Resets the renderers' peak RSS (VmHWM) so the next reading covers the next phase only; false when not allowed. */
export function resetPeak(userDataDir: string): boolean {
  let ok = true;
  for (const pid of rendererPids(userDataDir)) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
    } catch {
      ok = false;
    }
  }
  return ok;
}

/** Main-thread JS heap in use after a full garbage collection, MB (CDP Runtime.getHeapUsage). */
export async function heapAfterGC(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    const usage = (await cdp.send("Runtime.getHeapUsage")) as {usedSize: number};
    return usage.usedSize / 2 ** 20;
  } finally {
    await cdp.detach();
  }
}
