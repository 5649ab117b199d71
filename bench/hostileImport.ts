/**
 * npx tsx bench/hostileImport.ts [case …]   the importer on hostile and huge files (issue 18 §4), in Node
 *
 * Cases: (a) 20,000 unit rows sharing one code — every row rejected with one message each, the message
 * naming at most 10 rows (it listed all 20,000 in each of 20,000 messages); (b) 40,000 communities under
 * one street (a copy of the family list per child made it quadratic: 9.7 s); (c) an .xlsx ZIP bomb, 1.5 GB of
 * sheet XML in about 1.5 MB (the tab died at 3.3 GB), with an honest directory and (d) one declaring
 * 100 bytes (then the counting inflate stops at the 512 MB limit); (e) a template workbook of 1,048,576 rows
 * × 4 columns (imported) and (f) × 12 columns (refused while its sheet streams by: too many cells);
 * (g, h) the stored city's Arrow tables built from 1 million and 10 million persons (what 使用这些数据 does
 * before saving, in the import page's worker).
 *
 * Each case runs in a process of its own, so its peak resident memory (maxRSS) is its own; the heap
 * growth is what the case leaves behind. Prints both and the time, and writes
 * bench/results/hostile-import-latest.json (all cases; with case names given, runs only those, prints, writes nothing).
 */
import {execFileSync} from "node:child_process";
import {writeFileSync} from "node:fs";
import {register} from "node:module";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {bytesSource, importFiles, personsSpec, type Columns} from "../src/importer/index.js";
import {largeZipBomb, oneParentUnits, personsWorkbook, sharedCodeUnits} from "../tests/fixtures/hostileFiles.js";
import {benchRoot} from "./lib/paths.js";

type Result = Awaited<ReturnType<typeof importFiles>>;
interface ImportCase {
  name: string;
  file?: string;
  bytes: () => Promise<Uint8Array> | Uint8Array;
  check: (r: Result) => string | null;
}
interface BuildCase {
  name: string;
  persons: number;
  builder: "before" | "now";
}

const refused = (r: Result) => (r.files[0]!.error?.rule === "file_too_large" ? null : `error ${r.files[0]!.error?.rule}`);
const bombBytes = 1.5 * 1024 ** 3;
const importCases: ImportCase[] = [
  {name: "20,000 rows sharing one unit code", bytes: () => sharedCodeUnits(20_000), check: (r) => (r.counts.units.rejected === 20_000 ? null : `rejected ${r.counts.units.rejected}`)},
  {name: "40,000 communities under one street", bytes: () => oneParentUnits(40_000), check: (r) => (r.units.length === 40_003 ? null : `accepted ${r.units.length}`)},
  {name: "xlsx ZIP bomb 1.5 GB, honest directory", file: "bomb.xlsx", bytes: () => largeZipBomb(bombBytes), check: refused},
  {name: "xlsx ZIP bomb 1.5 GB, directory says 100 B", file: "bomb.xlsx", bytes: () => largeZipBomb(bombBytes, () => 100), check: refused},
  {name: "xlsx 1,048,576 rows × 4 columns", file: "persons.xlsx", bytes: () => personsWorkbook(1_048_575, 4), check: (r) => (r.counts.persons.accepted === 1_048_575 ? null : `accepted ${r.counts.persons.accepted}, ${r.files[0]!.error?.message}`)},
  {name: "xlsx 1,048,576 rows × 12 columns", file: "persons.xlsx", bytes: () => personsWorkbook(1_048_575, 12), check: (r) => (refused(r) ?? (/1,048,576 行、12,582,912 个单元格/.test(r.files[0]!.error!.message) ? null : r.files[0]!.error!.message))},
];
/**
 * BENCH_ARROW_BEFORE=<file> adds the same cases for an older importArrow.ts (e.g. `git show
 * 3972efb:src/components/import/importArrow.ts` saved under tmp/, imports pointed at src/): the before of a change.
 */
const before = process.env.BENCH_ARROW_BEFORE;
const buildCases: BuildCase[] = [1_000_000, 10_000_000].flatMap((persons) =>
  (before ? (["before", "now"] as const) : (["now"] as const)).map((builder) => ({name: `Arrow tables of ${persons.toLocaleString("en-US")} persons${builder === "before" ? ", builder before" : ""}`, persons, builder})),
);

/** Persons columns as the importer holds them after reading `n` rows (100 communities, six categories). */
function personsColumns(n: number): Columns {
  const names = personsSpec.columns.filter((c) => !c.transient).map((c) => c.name);
  const categories = ["visual", "hearing", "speech", "physical", "intellectual", "mental"];
  const data: Record<string, unknown[]> = {};
  for (const name of names) data[name] = new Array(n);
  for (let i = 0; i < n; i++) {
    data.person_id![i] = `P${i + 1}`;
    data.community_code![i] = `K${(i % 100) + 1}`;
    data.category![i] = categories[i % 6];
    data.grade![i] = (i % 4) + 1;
    data.age![i] = 18 + (i % 60);
    for (const name of names.slice(5)) data[name]![i] = name === "synthetic" ? false : (i + name.length) % 3 === 0 ? true : (i + name.length) % 3 === 1 ? false : null;
  }
  return {names, length: n, data} as unknown as Columns;
}

async function runOne(name: string): Promise<Record<string, unknown>> {
  const c = importCases.find((x) => x.name === name);
  const b = buildCases.find((x) => x.name === name);
  let input: Uint8Array | Columns = c ? await c.bytes() : personsColumns(b!.persons);
  globalThis.gc?.();
  const rss0 = process.resourceUsage().maxRSS;
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  let bytes: number;
  let detail: string | null;
  if (c) {
    const result = await importFiles([bytesSource(c.file ?? "units.csv", input as Uint8Array)], {referenceDate: "2025-12-31"});
    bytes = (input as Uint8Array).length;
    detail = c.check(result);
    if (detail) throw new Error(`${c.name}: ${detail}`);
    detail = result.files[0]!.error?.message ?? null;
  } else {
    // importArrow.ts imports `npm:apache-arrow` (Framework's specifier): the package itself in Node.
    register(`data:text/javascript,${encodeURIComponent('export async function resolve(s, c, next) { return next(s.startsWith("npm:") ? s.slice(4) : s, c); }')}`);
    const module = b!.builder === "now" ? await import("../src/components/import/importArrow.js") : ((await import(join(process.cwd(), before!))) as typeof import("../src/components/import/importArrow.js"));
    const persons = input as Columns;
    const ipc = module.ipcBytes(module.personsTable(persons));
    bytes = ipc.length;
    const back = (await import("apache-arrow")).tableFromIPC(ipc);
    if (back.numRows !== persons.length) throw new Error(`${b!.name}: ${back.numRows} rows`);
    detail = null;
  }
  const ms = performance.now() - t0;
  input = new Uint8Array(0);
  globalThis.gc?.();
  return {case: name, bytes, ms: Math.round(ms), peakRssMB: Math.round((process.resourceUsage().maxRSS - rss0) / 1024), peakRssTotalMB: Math.round(process.resourceUsage().maxRSS / 1024), heapGrowthMB: Math.round((process.memoryUsage().heapUsed - heap0) / 2 ** 20), ...(detail ? {message: detail} : {})};
}

/**
 * --browser: the same large files on the built site's import page (dist/), in Chromium: time to the result,
 * the longest main-thread task while importing and while saving (PerformanceObserver "longtask"), the
 * progress messages seen, the renderer's peak resident memory (the import worker runs in it), and what
 * the page said. Writes bench/results/hostile-import-browser-latest.json (the cases run replace their entries).
 */
async function browserCases(wanted: string[]): Promise<void> {
  const {mkdtempSync, createWriteStream} = await import("node:fs");
  const {tmpdir} = await import("node:os");
  const {serveStatic} = await import("../scripts/serve.js");
  const {launchBrowser, rendererMemory, resetPeak} = await import("./lib/chromium.js");
  const dir = mkdtempSync(join(tmpdir(), "dpf-hostile-"));
  const writeLines = async (path: string, lines: Iterable<string>) => {
    const out = createWriteStream(path);
    let batch = "";
    for (const line of lines) {
      batch += line;
      if (batch.length > 1 << 20) {
        if (!out.write(batch)) await new Promise<void>((r) => out.once("drain", () => r()));
        batch = "";
      }
    }
    out.end(batch);
    await new Promise<void>((r) => out.on("finish", () => r()));
    return path;
  };
  const {personsCsvLines, hundredCommunities} = await import("../tests/fixtures/hostileFiles.js");
  const cases: {name: string; files: () => Promise<string[]>; save: boolean}[] = [
    {name: "page: xlsx 1,048,576 rows × 4 columns, import and save", files: async () => [await writeBytes("persons-4.xlsx", await personsWorkbook(1_048_575, 4))], save: true},
    {name: "page: xlsx 1,048,576 rows × 12 columns", files: async () => [await writeBytes("persons-12.xlsx", await personsWorkbook(1_048_575, 12))], save: false},
    {name: "page: CSV 1,000,000 persons, import and save", files: async () => [await writeBytes("units.csv", hundredCommunities()), await writeLines(join(dir, "persons.csv"), personsCsvLines(1_000_000))], save: true},
    {name: "page: CSV 10,000,000 persons, import and save", files: async () => [await writeBytes("units.csv", hundredCommunities()), await writeLines(join(dir, "persons.csv"), personsCsvLines(10_000_000))], save: true},
  ].filter((c) => !wanted.length || wanted.some((w) => c.name.includes(w)));
  async function writeBytes(name: string, bytes: Uint8Array) {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  }
  const server = await serveStatic({dir: "dist"});
  const results: {case: string}[] = [];
  try {
    for (const c of cases) {
      const files = await c.files();
      const browser = await launchBrowser();
      try {
        const page = browser.page;
        await page.addInitScript(() => {
          const w = window as unknown as {longTasks: {start: number; duration: number}[]};
          w.longTasks = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) w.longTasks.push({start: e.startTime, duration: e.duration});
          }).observe({type: "longtask", buffered: true});
        });
        await page.goto(`${server.url}import`, {waitUntil: "load"});
        await page.waitForSelector("[data-testid=status] [data-source]");
        await page.waitForTimeout(2000);
        resetPeak(browser.userDataDir);
        const progress = new Set<string>();
        const t0 = await page.evaluate(() => performance.now());
        await page.setInputFiles("[data-testid=file-input]", files);
        // The page answers while it imports: progress texts are read from it every 200 ms.
        const polling = (async () => {
          for (;;) {
            const text = await page.evaluate(() => (document.querySelector("[data-testid=result]") ? null : document.querySelector(".import-progress")?.textContent ?? "")).catch(() => null);
            if (text === null) return;
            progress.add(text.replace(/[\d.,]+/g, "#"));
            await page.waitForTimeout(200);
          }
        })();
        await page.waitForSelector("[data-testid=result]", {timeout: 20 * 60_000});
        await polling;
        const imported = await page.evaluate((t0) => {
          const w = window as unknown as {longTasks: {start: number; duration: number}[]};
          const tasks = w.longTasks.filter((t) => t.start >= t0);
          return {
            importMs: Number(document.querySelector<HTMLElement>(".import-panel")?.dataset.importMs ?? document.querySelector<HTMLElement>("[data-import-ms]")?.dataset.importMs),
            importIn: document.querySelector<HTMLElement>("[data-import-in]")?.dataset.importIn ?? "?",
            longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
            longTasks: tasks.length,
            error: document.querySelector("[data-testid=file-error]")?.textContent ?? null,
            persons: Number(document.querySelector<HTMLElement>("[data-testid=result]")!.dataset.personsAccepted),
          };
        }, t0);
        const importMemory = rendererMemory(browser.userDataDir);
        let saved: Record<string, unknown> = {};
        if (c.save) {
          resetPeak(browser.userDataDir);
          const t1 = await page.evaluate(() => performance.now());
          await page.click("[data-testid=use]");
          await page.waitForSelector("[data-testid=saved], [data-testid=save-error]:not([hidden])", {timeout: 20 * 60_000});
          saved = await page.evaluate((t1) => {
            const w = window as unknown as {longTasks: {start: number; duration: number}[]};
            const tasks = w.longTasks.filter((t) => t.start >= t1);
            return {
              saveMs: Math.round(performance.now() - t1),
              tablesMs: Number(document.querySelector<HTMLElement>("[data-tables-ms]")?.dataset.tablesMs),
              saveLongestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
              saveError: (document.querySelector("[data-testid=save-error]:not([hidden])")?.textContent ?? null) as string | null,
            };
          }, t1);
          saved.savePeakRssMB = Math.round(rendererMemory(browser.userDataDir).peakRssMB);
        }
        const r = {case: c.name, ...imported, progressMessages: progress.size, importPeakRssMB: Math.round(importMemory.peakRssMB), ...saved};
        results.push(r);
        console.log(JSON.stringify(r));
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  // The cases run replace their earlier entries; the others are kept (the 10-million case runs alone).
  const {existsSync, readFileSync} = await import("node:fs");
  const out = join(benchRoot, "results", "hostile-import-browser-latest.json");
  const earlier = existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as {results: {case: string}[]}).results : [];
  const merged = [...earlier.filter((e) => !results.some((r) => r.case === e.case)), ...results];
  writeFileSync(out, `${JSON.stringify({date: new Date().toISOString(), note: "built site, headless Chromium; longest tasks on the page's thread; peak RSS of the renderer (the import worker runs in it)", results: merged}, null, 2)}\n`);
}

const self = fileURLToPath(import.meta.url);
const child = process.argv.indexOf("--child");
if (process.argv.includes("--browser")) {
  await browserCases(process.argv.slice(2).filter((a) => a !== "--browser"));
} else if (child >= 0) {
  console.log(JSON.stringify(await runOne(process.argv[child + 1]!)));
} else {
  const wanted = process.argv.slice(2);
  const names = [...importCases, ...buildCases].map((x) => x.name).filter((n) => !wanted.length || wanted.some((w) => n.includes(w)));
  const results = [];
  for (const name of names) {
    const out = execFileSync(process.execPath, ["--import", "tsx", "--expose-gc", "--max-old-space-size=16384", self, "--child", name], {encoding: "utf8", maxBuffer: 1 << 24});
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as {bytes: number; ms: number; peakRssTotalMB: number; heapGrowthMB: number};
    results.push(r);
    console.log(`${name.padEnd(52)} ${(r.bytes / 2 ** 20).toFixed(2).padStart(8)} MB  ${String(r.ms).padStart(7)} ms  peak RSS ${r.peakRssTotalMB} MB  heap +${r.heapGrowthMB} MB`);
  }
  if (!wanted.length) writeFileSync(join(benchRoot, "results", "hostile-import-latest.json"), `${JSON.stringify({date: new Date().toISOString(), note: "each case in a process of its own (Node, --max-old-space-size=16384); peakRssTotalMB is the process's peak resident memory, inputs included", results}, null, 2)}\n`);
}
