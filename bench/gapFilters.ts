/**
 * npx tsx bench/gapFilters.ts [--size 1m] [--page page] [--repetitions 30] [--out FILE]
 *
 * The gap query with the explorer's 类别/等级 filters (issue 16 §5): DuckDB-WASM on the benchmark page
 * (bench/work/<page>/, bundled now unless --page names an existing bundle), one size, one browser, the
 * data loaded once, then each filter combination's first run (which makes the count tables) and warm
 * p50/p95 as `npm run bench` measures them. Also a digest of each answer, so two runs (before and
 * after a change to the engine) can be checked to give the same rows.
 */
import {createHash} from "node:crypto";
import {existsSync, writeFileSync} from "node:fs";
import {loadavg} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {serveStatic} from "../scripts/serve.js";
import {launchBrowser} from "./lib/chromium.js";
import {allSizes, prepareSize} from "./lib/data.js";
import {buildBenchPage} from "./lib/page.js";
import {benchRoot} from "./lib/paths.js";
import type {GapWorkload} from "./shared/gapAnswer.js";
import {defaultRepeat} from "./shared/measure.js";
import type {BenchPageApi, WorkloadResult} from "./shared/pageApi.js";
import {benchWorkloads} from "./shared/workloads.js";

const {values} = parseArgs({options: {size: {type: "string", default: "1m"}, page: {type: "string"}, repetitions: {type: "string", default: "30"}, out: {type: "string"}}});

type FilteredWorkload = GapWorkload & {categories?: string[]; grades?: number[]};
const street = {level: "street", year: 2026} as const;
/** The benchmark's own workload, then the explorer's filters on it and on a second indicator. */
const workloads: FilteredWorkload[] = [
  {indicator: "screening", ...street},
  {indicator: "screening", ...street, categories: ["physical"]},
  {indicator: "screening", ...street, grades: [1, 2]},
  {indicator: "screening", ...street, categories: ["physical", "visual"], grades: [1, 2]},
  {indicator: "archive", ...street, categories: ["psychiatric"], grades: [3]},
  {indicator: "screening", level: "community", year: 2026, categories: ["intellectual"]},
];

const size = allSizes.find((s) => s.name === values.size);
if (!size) throw new Error(`unknown size ${values.size}`);
const data = await prepareSize(size, (line) => console.log(line));
const pageDir = values.page ?? "page";
if (!values.page) await buildBenchPage();
else if (!existsSync(join(benchRoot, "work", pageDir, "index.html"))) throw new Error(`no bundle in bench/work/${pageDir}`);

type Api = {bench: BenchPageApi};
const repeat = {...defaultRepeat, repetitions: Number(values.repetitions)};
const server = await serveStatic({dir: join(benchRoot, "work")});
const browser = await launchBrowser();
const results: {workload: FilteredWorkload; first_ms: number; p50_ms: number; p95_ms: number; n: number; rows: number; digest: string}[] = [];
try {
  const {page} = browser;
  await page.goto(`${server.url}${pageDir}/`, {waitUntil: "load"});
  await page.waitForSelector("body[data-ready]", {timeout: 30_000});
  await page.evaluate((d) => (window as unknown as Api).bench.load("duckdb", d), `${server.url}${size.name}/`);
  for (const workload of workloads) {
    const spec = {gap: workload, scenario: benchWorkloads.scenario};
    const timed: WorkloadResult = await page.evaluate(([w, r]) => (window as unknown as Api).bench.run("gap", w as never, r), [spec, repeat] as const);
    const answer = await page.evaluate((w) => (window as unknown as Api).bench.answers(w as GapWorkload, {parameter: "subsidy.wubao.monthly", value: 480, step: 1}), workload);
    const digest = createHash("sha256").update(JSON.stringify(answer.gap)).digest("hex").slice(0, 16);
    results.push({workload, first_ms: timed.firstMs, p50_ms: timed.p50, p95_ms: timed.p95, n: timed.n, rows: answer.gap.length, digest});
    console.log(`${JSON.stringify(workload)}: first ${timed.firstMs.toFixed(1)} ms, p50 ${timed.p50.toFixed(1)} / p95 ${timed.p95.toFixed(1)} ms (n=${timed.n}), ${answer.gap.length} rows, digest ${digest}`);
  }
} finally {
  await browser.close();
  await server.close();
}
const report = {date: new Date().toISOString(), size: size.name, persons: size.persons, communities: data.communities, page: pageDir, loadAverage: loadavg().map((x) => Math.round(x * 100) / 100), results};
if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 1)}\n`);
