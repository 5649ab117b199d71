/**
 * npm run bench:duckdb-versions [-- options]   DuckDB-WASM versions side by side (issue 16 §3; bench/README.md)
 *
 * For each version (the project's own and, by default, 1.32.0 installed into bench/work/ with
 * `npm install --prefix`, never into the project): the .wasm and worker sizes as the site serves them,
 * cold instantiate in a fresh headless Chromium, the benchmark's DuckDB workloads (gap query, scenario
 * recompute) through the real engine, and whether it reads the published Parquet files from the page's
 * own origin with no request elsewhere. Writes bench/results/duckdb-versions.json and .md.
 */
import {spawnSync} from "node:child_process";
import {closeSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {serveStatic} from "../scripts/serve.js";
import {runContender, type ContenderRun} from "./lib/browserRuns.js";
import {allSizes, prepareSize} from "./lib/data.js";
import {duckdbPackage, servedSizes, type DuckdbPackage, type FileSize} from "./lib/duckdbPackage.js";
import {autoloadProbe, instantiateLoad, parquetProbe, type ParquetSet} from "./lib/duckdbProbeRuns.js";
import {versionsMarkdown, type AnswerCheck, type VersionResult, type VersionsResults} from "./lib/duckdbVersionsReport.js";
import {describeMachine, gitState, waitForQuiet} from "./lib/machine.js";
import {buildBenchPage} from "./lib/page.js";
import {benchRoot, repoRoot} from "./lib/paths.js";
import {differences} from "./shared/compare.js";
import {defaultRepeat, type RepeatOptions} from "./shared/measure.js";
import {benchWorkloads} from "./shared/workloads.js";

const {values} = parseArgs({
  options: {
    versions: {type: "string", default: "installed,1.32.0"},
    sizes: {type: "string", default: "100k,1m"},
    "instantiate-loads": {type: "string", default: "7"},
    rounds: {type: "string", default: "3"},
    repetitions: {type: "string", default: String(defaultRepeat.repetitions)},
    budget: {type: "string", default: String(defaultRepeat.budgetMs / 1000)},
    "quiet-wait": {type: "string", default: "30"},
    "skip-workloads": {type: "boolean", default: false},
    "report-only": {type: "boolean", default: false},
    help: {type: "boolean", short: "h"},
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(`npm run bench:duckdb-versions [-- options]
  --versions LIST          DuckDB-WASM versions: "installed" (node_modules) and npm versions (default installed,1.32.0);
                           the first is the reference the others are compared with
  --sizes LIST             demo-city sizes for the workloads and the Parquet reads (default 100k,1m; the published
                           demo city is always included)
  --instantiate-loads N    cold instantiates per version, each in a fresh profile, versions interleaved (default 7)
  --rounds N               rounds of the workloads, each version in a fresh Chromium per round and data set, the
                           versions' order reversed every round (default 3; the report takes the median round)
  --repetitions N          measured warm runs per workload (default 30)
  --budget S               seconds a workload may take per version (default 25)
  --quiet-wait S           wait up to S seconds before each phase for the load average to drop (default 30)
  --skip-workloads         sizes, instantiate and Parquet only
  --report-only            write duckdb-versions.md again from duckdb-versions.json, measuring nothing
`);
  process.exit(0);
}

const resultsDir = join(benchRoot, "results");
if (values["report-only"]) {
  const saved = JSON.parse(readFileSync(join(resultsDir, "duckdb-versions.json"), "utf-8")) as VersionsResults;
  writeFileSync(join(resultsDir, "duckdb-versions.md"), versionsMarkdown(saved));
  process.exit(0);
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const repeat: RepeatOptions = {...defaultRepeat, repetitions: Number(values.repetitions), budgetMs: Number(values.budget) * 1000};
const started = new Date();
const machine = describeMachine();
const git = gitState();
const problems: string[] = [];
const work = join(benchRoot, "work", "duckdb-versions");

// 1. The versions, each beside its own apache-arrow.
const packages: DuckdbPackage[] = values.versions.split(",").map((v) => duckdbPackage(v.trim(), log));
for (const p of packages) log(`@duckdb/duckdb-wasm ${p.version}${p.installed ? " (the project's)" : ""}: apache-arrow ${p.arrow.range} → ${p.arrow.resolved}`);

// 2. Data: the demo city at each size, and the published datasets as the site's loaders write them.
const sizes = values.sizes.split(",").map((name) => {
  const size = allSizes.find((s) => s.name === name.trim());
  if (!size) throw new Error(`unknown size ${name}; known: ${allSizes.map((s) => s.name).join(", ")}`);
  return size;
});
const sizeData = [];
for (const size of sizes) sizeData.push(await prepareSize(size, log));

/** Every `src/data/*.parquet.ts` loader and its `.arrow.ts` twin, run into bench/work/duckdb-versions/published/. */
function publishedDatasets(dir: string): {parquet: string[]; arrow: string[]} {
  mkdirSync(dir, {recursive: true});
  const loaders = readdirSync(join(repoRoot, "src", "data")).filter((f) => /\.(parquet|arrow)\.ts$/.test(f));
  for (const loader of loaders) {
    const out = openSync(join(dir, loader.replace(/\.ts$/, "")), "w");
    const run = spawnSync("npx", ["tsx", join("src", "data", loader)], {cwd: repoRoot, stdio: ["ignore", out, "pipe"], encoding: "utf-8"});
    closeSync(out);
    if (run.status !== 0) problems.push(`loader ${loader} failed: ${run.stderr.trim().split("\n").at(-1)}`);
  }
  const names = (ext: string) => loaders.filter((f) => f.endsWith(`.${ext}.ts`)).map((f) => f.slice(0, -`.${ext}.ts`.length));
  return {parquet: names("parquet"), arrow: names("arrow")};
}
log("running the site's Parquet and Arrow data loaders (src/data/*.parquet.ts, *.arrow.ts) …");
const published = publishedDatasets(join(work, "published"));
const hasCity = (tables: string[]) => ["units", "persons", "parameters"].every((t) => tables.includes(t));

// 3. A benchmark page per version (bench/browser/main.ts and the probe), its served files' sizes.
const pages: {pkg: DuckdbPackage; url: string; files: FileSize[]}[] = [];
for (const pkg of packages) {
  const dir = join(work, pkg.version, "page");
  await buildBenchPage({dir, duckdbPrefix: pkg.prefix, extraPages: {probe: join(benchRoot, "browser", "duckdbProbe.ts")}});
  const files = servedSizes(join(dir, "duckdb"));
  pages.push({pkg, url: `duckdb-versions/${pkg.version}/page/`, files});
  const eh = files.find((f) => f.file === "duckdb-eh.wasm")!;
  log(`${pkg.version}: duckdb-eh.wasm ${(eh.raw / 1e6).toFixed(2)} MB raw, ${(eh.gzip / 1e6).toFixed(2)} MB gzip, ${(eh.brotli / 1e6).toFixed(2)} MB brotli`);
}

const results: VersionResult[] = pages.map(({pkg, files}) => ({version: pkg.version, installed: pkg.installed, arrow: pkg.arrow, files, instantiate: [], parquet: null, autoload: null, workloads: {}}));
const arrowAnswers: Record<string, Record<string, ContenderRun["answers"]>> = {};
const answerChecks: AnswerCheck[] = [];

const server = await serveStatic({dir: join(benchRoot, "work")});
try {
  // 4. Cold instantiate, versions interleaved so the machine's load falls on both alike.
  await waitForQuiet(Number(values["quiet-wait"]), log);
  log(`instantiate: ${values["instantiate-loads"]} cold loads per version`);
  for (let i = 0; i < Number(values["instantiate-loads"]); i++)
    for (const [v, {url}] of pages.entries()) {
      const load = await instantiateLoad(`${server.url}${url}probe.html`).catch((error: Error) => {
        problems.push(`${results[v]!.version} instantiate: ${error.message.split("\n")[0]}`);
        return null;
      });
      if (load) results[v]!.instantiate.push(load);
      if (load) log(`  ${results[v]!.version}: ${Math.round(load.instantiateMs)} ms (${load.version}; wasm ${load.wasm.map((w) => `${w.url.split("/").pop()} ${Math.round(w.ms)} ms`).join(", ")})`);
    }

  // 5. Parquet from the origin: the published datasets and each size's city.
  const sets: ParquetSet[] = [
    {name: "published", url: `${server.url}duckdb-versions/published/`, tables: published.parquet, arrowTwins: published.arrow, answerable: hasCity(published.parquet), modes: ["url", "buffer"]},
    ...sizeData.map((d) => ({name: d.size.name, url: `${server.url}${d.size.name}/`, tables: ["parameters", "units", "persons"], arrowTwins: ["parameters", "units", "persons"], answerable: true, modes: ["buffer" as const]})),
  ];
  for (const [v, {url}] of pages.entries()) {
    await waitForQuiet(Number(values["quiet-wait"]), log);
    log(`Parquet from the origin, ${results[v]!.version}:`);
    results[v]!.parquet = await parquetProbe(`${server.url}${url}probe.html`, sets, benchWorkloads, repeat, log).catch((error: Error) => {
      problems.push(`${results[v]!.version} parquet: ${error.message.split("\n")[0]}`);
      return null;
    });
  }

  // With autoloading on (the site turns it off): where would DuckDB get the parquet extension from?
  for (const [v, {url}] of pages.entries()) {
    results[v]!.autoload = await autoloadProbe(`${server.url}${url}probe.html`, `${server.url}duckdb-versions/published/parameters.parquet`).catch((error: Error) => {
      problems.push(`${results[v]!.version} autoload probe: ${error.message.split("\n")[0]}`);
      return null;
    });
    const a = results[v]!.autoload;
    if (a) log(`  ${results[v]!.version} with autoloading on: ${a.read.ok ? "read" : `failed (${a.read.error})`}; other hosts asked: ${a.requests.foreign.join(", ") || "none"}`);
  }

  // 6. The benchmark's DuckDB workloads on the Arrow files, as the pages load them now.
  const workloadSets = [{name: "published", url: `${server.url}duckdb-versions/published/`}, ...sizeData.map((d) => ({name: d.size.name, url: `${server.url}${d.size.name}/`}))];
  // Rounds with the versions' order reversed each time (A B, B A, A B …), so neither always runs second.
  const rounds = values["skip-workloads"] ? 0 : Number(values.rounds);
  for (let round = 0; round < rounds; round++)
    for (const set of workloadSets) {
      await waitForQuiet(Number(values["quiet-wait"]), log);
      log(`workloads, ${set.name}, round ${round + 1} of ${rounds}:`);
      const order = [...pages.keys()];
      if (round % 2 === 1) order.reverse();
      for (const v of order) {
        const version = results[v]!.version;
        try {
          const {answers, ...run} = await runContender({pageUrl: `${server.url}${pages[v]!.url}`, dataUrl: set.url, contender: "duckdb", workloads: benchWorkloads, repeat, log: (l) => log(`  ${version}${l}`)});
          (results[v]!.workloads[set.name] ??= []).push(run);
          const byVersion = (arrowAnswers[version] ??= {});
          // Later rounds must give the first round's answers.
          if (byVersion[set.name]) {
            const diffs = differences(byVersion[set.name], answers);
            if (diffs.length) answerChecks.push({size: set.name, what: `${version} round ${round + 1} vs round 1 (Arrow)`, equal: false, differences: diffs});
          } else byVersion[set.name] = answers;
          for (const [workload, error] of Object.entries(run.workloadErrors ?? {})) problems.push(`${version} ${set.name} ${workload}: ${error}`);
        } catch (error) {
          problems.push(`${version} ${set.name} workloads: ${(error as Error).message.split("\n")[0]}`);
        }
      }
    }
} finally {
  await server.close();
}

// 7. Answers: every version's against the first's (Arrow), and each version's Parquet tables against its Arrow tables.
const reference = results[0]!.version;
for (const name of Object.keys(arrowAnswers[reference] ?? {}))
  for (const r of results.slice(1)) {
    const other = arrowAnswers[r.version]?.[name];
    if (!other) continue;
    const diffs = differences(arrowAnswers[reference]![name], other);
    answerChecks.push({size: name, what: `${r.version} vs ${reference} (Arrow)`, equal: diffs.length === 0, differences: diffs});
  }
for (const r of results)
  for (const set of r.parquet?.sets ?? []) {
    const arrow = arrowAnswers[r.version]?.[set.name];
    if (!set.answers || !arrow) continue;
    const diffs = differences(arrow, set.answers);
    answerChecks.push({size: set.name, what: `${r.version}: Parquet tables vs Arrow tables`, equal: diffs.length === 0, differences: diffs});
  }
for (const check of answerChecks) if (!check.equal) problems.push(`${check.size} answers differ, ${check.what}: ${check.differences.slice(0, 3).join("; ")}`);
for (const r of results) {
  const foreign = [...r.instantiate.flatMap((l) => l.requests.foreign), ...(r.parquet?.requests.foreign ?? [])];
  if (foreign.length) problems.push(`${r.version} requested other hosts: ${[...new Set(foreign)].slice(0, 3).join(", ")}`);
}

// 8. Results.
const output: VersionsResults = {schema: 1, date: started.toISOString(), finished: new Date().toISOString(), commit: git.commit, uncommitted: git.dirty, machine,
  options: {versions: results.map((r) => r.version), sizes: sizes.map((s) => s.name), instantiateLoads: Number(values["instantiate-loads"]), rounds: Number(values.rounds), repeat, workloads: benchWorkloads},
  published,
  versions: results,
  answerChecks,
  ok: problems.length === 0,
  problems,
};
mkdirSync(resultsDir, {recursive: true});
writeFileSync(join(resultsDir, "duckdb-versions.json"), `${JSON.stringify(output, null, 1)}\n`);
writeFileSync(join(resultsDir, "duckdb-versions.md"), versionsMarkdown(output));
log("results: bench/results/duckdb-versions.json, duckdb-versions.md");
if (problems.length) {
  log(`PROBLEMS:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exitCode = 1;
}
