/**
 * npm run bench [-- options]   the benchmark, end to end (see bench/README.md)
 *
 * Generates the demo city at each size, bundles the benchmark page, builds the real site (under the
 * build lock), drives headless Chromium through every contender and workload, runs the Node engine on
 * the same data, checks that every contender gives the same answers (the run fails if not), measures
 * cold starts and bytes on the real pages, and writes bench/results/<date>.json, latest.json and
 * latest.md.
 */
import {existsSync, mkdirSync, statSync, writeFileSync} from "node:fs";
import {loadavg} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {serveStatic} from "../scripts/serve.js";
import {runContender, type ContenderRun} from "./lib/browserRuns.js";
import {allSizes, prepareSize, type SizeData} from "./lib/data.js";
import {describeMachine, gitState, waitForQuiet} from "./lib/machine.js";
import {runNodeEngine, type NodeRun} from "./lib/nodeEngine.js";
import {interact, interactivePages, readyExpression, type Interaction} from "./lib/interact.js";
import {buildBenchPage} from "./lib/page.js";
import {benchRoot} from "./lib/paths.js";
import {writeLatestMarkdown} from "./lib/report.js";
import {officeRun, type OfficeResult} from "./lib/officeProfile.js";
import {buildSite, coldLoad, siteWithCity, type BuildResult, type ColdLoad, type ColdPage} from "./lib/site.js";
import {differences} from "./shared/compare.js";
import {benchWorkloads} from "./shared/workloads.js";
import {defaultRepeat, percentile, type RepeatOptions} from "./shared/measure.js";
import {contenders, type Contender, type WorkloadName} from "./shared/pageApi.js";


/** The real pages' first results: the element a page marks data-first-result, or its own timing hook saying so. */
export const coldPages: ColdPage[] = [
  {page: "gaps", result: ["[data-first-result]"], ready: readyExpression("gaps")},
  {page: "sandbox", result: ["[data-first-result]"], ready: readyExpression("sandbox")},
];
const otherPages = ["index", "data", "methods"];

const {values} = parseArgs({
  options: {
    sizes: {type: "string", default: "3k,100k,1m"},
    contenders: {type: "string", default: contenders.join(",")},
    repetitions: {type: "string", default: String(defaultRepeat.repetitions)},
    budget: {type: "string", default: String(defaultRepeat.budgetMs / 1000)},
    "cold-loads": {type: "string", default: "3"},
    changes: {type: "string", default: "20"},
    "quiet-wait": {type: "string", default: "60"},
    "skip-build": {type: "boolean", default: false},
    "build-attempts": {type: "string", default: "3"},
    "skip-cold": {type: "boolean", default: false},
    "skip-office": {type: "boolean", default: false},
    "skip-node": {type: "boolean", default: false},
    tag: {type: "string"},
    help: {type: "boolean", short: "h"},
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(`npm run bench [-- options]
  --sizes LIST        demo-city sizes in persons: 3k,100k,1m (default), 10m (npm run bench:10m)
  --contenders LIST   duckdb,arquero,typed (default all)
  --repetitions N     measured warm runs per workload (default 30; fewer only when --budget runs out)
  --budget S          seconds a workload may take per contender (default 25)
  --cold-loads N      cold loads per page and size (default 3; the median is reported)
  --changes N         control changes per real page and size in the interaction measurement (default 20)
  --quiet-wait S      wait up to S seconds before each size for the load average to drop (default 60)
  --skip-build        reuse bench/work/site/demo instead of running npm run build
  --build-attempts N  tries of npm run build, 60 s apart, before using the last good build (default 3)
  --skip-cold         no cold-start or page-bytes measurements
  --skip-office       no office-PC profile (4 Mbit/s, 100 ms, CPU 4×; also npm run bench:office alone)
  --skip-node         no Node engine runs
  --tag NAME          results go to bench/results/<date>-NAME.json and latest-NAME.json (latest.md shows
                      latest.json and latest-10m.json side by side)
`);
  process.exit(0);
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const sizes = values.sizes.split(",").map((name) => {
  const size = allSizes.find((s) => s.name === name.trim());
  if (!size) throw new Error(`unknown size ${name}; known: ${allSizes.map((s) => s.name).join(", ")}`);
  return size;
});
const chosen = values.contenders.split(",").map((c) => c.trim()) as Contender[];
for (const c of chosen) if (!contenders.includes(c)) throw new Error(`unknown contender ${c}; known: ${contenders.join(", ")}`);
const repeat: RepeatOptions = {...defaultRepeat, repetitions: Number(values.repetitions), budgetMs: Number(values.budget) * 1000};
const nodeRepeat: RepeatOptions = {...repeat, budgetMs: repeat.budgetMs / 2};
const quietWait = Number(values["quiet-wait"]);
/** Arquero's raw scenario at ten million rows would take many minutes per run. */
const skipped = (size: string, contender: Contender): WorkloadName[] => (size === "10m" && contender === "arquero" ? ["scenario-raw"] : []);

const started = new Date();
const problems: string[] = [];
const machine = describeMachine();
const git = gitState();
log(`DPF Sandbox benchmark — ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.chromium}`);
log(`load average at start: ${machine.loadAverage.join(" ")}${git.dirty.length ? `; uncommitted changes in ${git.dirty.length} files` : ""}`);

// 1. Data.
const data: SizeData[] = [];
for (const size of sizes) data.push(await prepareSize(size, log));

// 2. The benchmark page.
const benchPage = await buildBenchPage();
log(`benchmark page bundled (${(benchPage.bytes / 1e6).toFixed(1)} MB with source map) in ${Math.round(benchPage.ms)} ms`);

// 3. The real site, built now (cold-start and bytes measurements use this build).
let build: BuildResult | null = null;
let siteNote = "dist/ as built by npm run build in this run (the bundled demo city)";
if (!values["skip-build"] && !values["skip-cold"]) {
  // Others' work in progress can break the build for a while: try again before giving up.
  for (let attempt = 1; attempt <= Number(values["build-attempts"]); attempt++) {
    build = buildSite(log);
    if (build.ok || attempt === Number(values["build-attempts"])) break;
    log(`  npm run build failed (${build.error?.trim().split("\n").filter((l) => !/npm warn/.test(l)).slice(-6, -4).join(" ")}); trying again in 60 s …`);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
  const built = build!;
  if (built.ok) log(`  npm run build: ${built.seconds.toFixed(1)} s (${built.steps.map((s) => `${s.command}: ${s.seconds.toFixed(1)} s`).join("; ")}), dist/ ${(built.dist.bytesWithoutPrecompressed / 1e6).toFixed(1)} MB (${(built.dist.bytes / 1e6).toFixed(1)} MB with .gz/.br)`);
  else {
    const reason = built.error?.trim().split("\n").filter((l) => l.trim() && !/npm warn/.test(l)).slice(-4).join(" ");
    problems.push(`npm run build failed: ${reason}`);
    log(`  npm run build FAILED: ${reason}`);
    const demo = join(benchRoot, "work", "site", "demo");
    if (existsSync(demo)) {
      siteNote = `the last successful build's copy in bench/work/site/demo (from ${statSync(demo).mtime.toISOString().slice(0, 16)}; this run's build failed)`;
      log(`  cold start uses ${siteNote}`);
    }
  }
}

// 4. Contenders in the browser, and the Node engine, per size.
interface SizeResult {
  name: string;
  persons: number;
  communities: number;
  files: SizeData["files"];
  generateSeconds: number;
  loadAverage: {before: number; after: number};
  contenders: Partial<Record<Contender, Omit<ContenderRun, "answers">>>;
  node: Omit<NodeRun, "answers"> | null;
  answers: {checked: string[]; equal: boolean; differences: Record<string, string[]>; gapRows: number; scenarioRows: number};
}
const sizeResults: SizeResult[] = [];
const server = await serveStatic({dir: join(benchRoot, "work")});
try {
  for (const d of data) {
    log(`size ${d.size.name}: ${d.size.persons.toLocaleString("en")} persons, ${d.communities.toLocaleString("en")} communities`);
    const before = await waitForQuiet(quietWait, log);
    const runs: Partial<Record<Contender, ContenderRun>> = {};
    for (const contender of chosen) {
      try {
        runs[contender] = await runContender({
          pageUrl: `${server.url}page/`,
          dataUrl: `${server.url}${d.size.name}/`,
          contender,
          workloads: benchWorkloads,
          repeat,
          skip: skipped(d.size.name, contender),
          log,
        });
      } catch (error) {
        problems.push(`${d.size.name} ${contender}: ${(error as Error).message.split("\n")[0]}`);
        log(`    ${contender} FAILED: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    for (const [contender, run] of Object.entries(runs))
      for (const [workload, error] of Object.entries(run.workloadErrors ?? {})) problems.push(`${d.size.name} ${contender} ${workload}: ${error}`);
    let node: NodeRun | null = null;
    if (!values["skip-node"]) {
      node = await runNodeEngine(d.dir, 1, benchWorkloads, nodeRepeat).catch((error: Error) => {
        problems.push(`${d.size.name} node: ${error.message.split("\n")[0]}`);
        log(`    node FAILED: ${error.message.split("\n")[0]}`);
        return null;
      });
      if (node) log(`    node (1 thread): gap p50 ${node.workloads.gap!.p50.toFixed(1)} ms, scenario-cube p50 ${node.workloads["scenario-cube"]!.p50.toFixed(1)} ms, scenario-raw p50 ${node.workloads["scenario-raw"]!.p50.toFixed(1)} ms`);
    }
    // Answers: every contender against DuckDB-WASM (or the first that ran).
    const reference = runs.duckdb ?? Object.values(runs)[0];
    const diffs: Record<string, string[]> = {};
    const checked: string[] = [];
    if (reference) {
      for (const [name, run] of Object.entries(runs)) if (run !== reference) (diffs[name] = differences(reference.answers, run.answers)), checked.push(name);
      if (node) (diffs.node = differences(reference.answers, node.answers)), checked.push("node");
    }
    const equal = Object.values(diffs).every((d) => d.length === 0);
    if (!equal) problems.push(`${d.size.name}: answers differ — ${Object.entries(diffs).filter(([, x]) => x.length).map(([k, x]) => `${k}: ${x.slice(0, 3).join("; ")}`).join(" | ")}`);
    log(`  answers ${equal ? "equal" : "DIFFER"} (${reference?.contender ?? "none"} vs ${checked.join(", ")}; ${reference?.answers.gap.length ?? 0} gap rows, ${reference?.answers.scenario.rows.length ?? 0} scenario rows)`);
    sizeResults.push({
      name: d.size.name,
      persons: d.size.persons,
      communities: d.communities,
      files: d.files,
      generateSeconds: d.generateSeconds,
      loadAverage: {before, after: Math.round(loadavg()[0]! * 100) / 100},
      contenders: Object.fromEntries(Object.entries(runs).map(([k, {answers: _answers, ...rest}]) => [k, rest])),
      node: node ? (({answers: _answers, ...rest}) => rest)(node) : null,
      answers: {checked, equal, differences: diffs, gapRows: reference?.answers.gap.length ?? 0, scenarioRows: reference?.answers.scenario.rows.length ?? 0},
    });
    // What is measured so far, in case the run is stopped before the results are written.
    writeFileSync(join(benchRoot, "work", "partial-results.json"), JSON.stringify({machine, build, sizes: sizeResults}, null, 1));
  }
} finally {
  await server.close();
}

// 5. Cold start and bytes on the real pages.
interface ColdResult {
  site: string;
  persons: number | null;
  note: string;
  pages: Record<string, {loads: ColdLoad[]; median: Partial<Record<string, number | null>>}>;
}
const cold: ColdResult[] = [];
const interaction: {site: string; persons: number | null; pages: Interaction[]}[] = [];
let office: OfficeResult[] | null = null;
const pageBytes: {page: string; compressed: number; uncompressed: number; requests: number; loadsDuckDB: boolean; errors: string[]}[] = [];
const medianOf = (loads: ColdLoad[], pick: (l: ColdLoad) => number | null) => {
  const xs = loads.map(pick).filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  return xs.length === loads.length && xs.length ? percentile(xs, 50) : null;
};
if (!values["skip-cold"] && existsSync(join(benchRoot, "work", "site", "demo"))) {
  if (values["skip-build"]) siteNote = "the copy of dist/ in bench/work/site/demo from an earlier run (--skip-build)";
  const sites = [{name: "demo", dir: join(benchRoot, "work", "site", "demo"), persons: null as number | null, note: siteNote}];
  for (const d of data.filter((x) => x.size.persons <= 1_000_000 || sizes.length === 1))
    sites.push({name: d.size.name, dir: siteWithCity(d.size.name, d.dir), persons: d.size.persons, note: `the same build with units/persons.arrow replaced by the ${d.size.name} city (gzip -6 siblings, no brotli)`});
  for (const site of sites) {
    log(`cold start: ${site.name}`);
    await waitForQuiet(quietWait, log);
    const siteServer = await serveStatic({dir: site.dir});
    try {
      const result: ColdResult = {site: site.name, persons: site.persons, note: site.note, pages: {}};
      for (const spec of coldPages) {
        const loads: ColdLoad[] = [];
        for (let i = 0; i < Number(values["cold-loads"]); i++) loads.push(await coldLoad(siteServer, site.dir, spec, 120_000));
        const median = {
          resultPainted: medianOf(loads, (l) => l.resultPainted),
          resultInDom: medianOf(loads, (l) => l.resultInDom),
          firstContentfulPaint: medianOf(loads, (l) => l.firstContentfulPaint),
          wasmFetch: medianOf(loads, (l) => l.split.wasmFetch),
          instantiate: medianOf(loads, (l) => l.split.instantiate),
          dataFetch: medianOf(loads, (l) => l.split.dataFetch),
          ingest: medianOf(loads, (l) => l.split.ingest),
          firstQuery: medianOf(loads, (l) => l.split.firstQuery),
          firstPaint: medianOf(loads, (l) => l.split.firstPaint),
          peakRssMB: medianOf(loads, (l) => l.peakRssMB),
          compressedBytes: medianOf(loads, (l) => l.bytes.compressed),
          uncompressedBytes: medianOf(loads, (l) => l.bytes.uncompressed),
          longTaskMaxMs: medianOf(loads, (l) => l.longTasks.maxMs),
        };
        result.pages[spec.page] = {loads, median};
        const errors = [...new Set(loads.flatMap((l) => l.errors))];
        if (errors.length) problems.push(`cold start ${site.name}/${spec.page}: page errors: ${errors[0]!.split("\n")[0]}`);
        log(`  ${spec.page}: result painted ${median.resultPainted === null ? "— (no result element)" : `${Math.round(median.resultPainted)} ms`}, ${((median.compressedBytes ?? 0) / 1e6).toFixed(2)} MB transferred`);
      }
      cold.push(result);
      const pages: Interaction[] = [];
      for (const page of interactivePages) {
        const done = await interact(siteServer, page, Number(values.changes), 120_000);
        pages.push(done);
        if (done.error) problems.push(`interaction ${site.name}/${page}: ${done.error}`);
        log(`  ${page} interaction: ${done.error ? `FAILED (${done.error})` : Object.entries(done.measures).map(([k, m]) => `${k} p50 ${m.p50.toFixed(1)} / p95 ${m.p95.toFixed(1)} ms`).join(", ")}; long tasks ${done.longTasks.count} (longest ${Math.round(done.longTasks.maxMs)} ms)`);
      }
      interaction.push({site: site.name, persons: site.persons, pages});
      if (site.name === "demo" && !values["skip-office"]) {
        log("  office-PC profile (4 Mbit/s, 100 ms, CPU 4×):");
        office = await officeRun(siteServer, log).catch((error: Error) => {
          problems.push(`office-PC profile: ${error.message}`);
          return null;
        });
      }
      if (site.name === "demo") {
        for (const page of [...coldPages.map((p) => p.page), ...otherPages]) {
          const first = result.pages[page]?.loads[0] ?? (await coldLoad(siteServer, site.dir, {page, result: []}, 30_000));
          pageBytes.push({page, ...first.bytes, loadsDuckDB: first.loadsDuckDB, errors: first.errors});
        }
      }
    } finally {
      await siteServer.close();
    }
  }
}

// 6. Results.
const date = started.toISOString().slice(0, 10);
const results = {
  schema: 1,
  date: started.toISOString(),
  finished: new Date().toISOString(),
  commit: git.commit,
  uncommitted: git.dirty,
  machine,
  options: {sizes: sizes.map((s) => s.name), contenders: chosen, repeat, nodeRepeat, workloads: benchWorkloads, coldLoads: Number(values["cold-loads"]), changes: Number(values.changes)},
  benchPage,
  build,
  sizes: sizeResults,
  coldStart: cold,
  interaction,
  pageBytes,
  office,
  ok: problems.length === 0,
  problems,
};
const resultsDir = join(benchRoot, "results");
mkdirSync(resultsDir, {recursive: true});
const suffix = values.tag ? `-${values.tag}` : "";
const json = `${JSON.stringify(results, null, 1)}\n`;
writeFileSync(join(resultsDir, `${date}${suffix}.json`), json);
writeFileSync(join(resultsDir, `latest${suffix}.json`), json);
writeLatestMarkdown(resultsDir);
log(`results: bench/results/${date}${suffix}.json, latest${suffix}.json, latest.md`);
if (problems.length) {
  log(`PROBLEMS:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exitCode = 1;
}
