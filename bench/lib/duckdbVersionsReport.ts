import type {ContenderRun} from "./browserRuns.js";
import type {DuckdbPackage, FileSize} from "./duckdbPackage.js";
import type {AutoloadProbe, InstantiateLoad, ParquetProbe} from "./duckdbProbeRuns.js";
import type {Machine} from "./machine.js";
import {percentile, type RepeatOptions} from "../shared/measure.js";
import type {WorkloadName} from "../shared/pageApi.js";

/** bench/results/duckdb-versions.json, and its tables and reading as bench/results/duckdb-versions.md. */

export interface VersionResult {
  version: string;
  installed: boolean;
  arrow: DuckdbPackage["arrow"];
  files: FileSize[];
  instantiate: InstantiateLoad[];
  parquet: ParquetProbe | null;
  /** One Parquet read with autoloading on, requests to other hosts refused (not counted as the version's requests). */
  autoload: AutoloadProbe | null;
  /** Per data set (published, 100k, 1m): the benchmark's DuckDB contender on the Arrow files, one run per round. */
  workloads: Record<string, Omit<ContenderRun, "answers">[]>;
}

export interface AnswerCheck {
  size: string;
  what: string;
  equal: boolean;
  differences: string[];
}

export interface VersionsResults {
  schema: 1;
  date: string;
  finished: string;
  commit: string;
  uncommitted: string[];
  machine: Machine;
  options: {versions: string[]; sizes: string[]; instantiateLoads: number; rounds: number; repeat: RepeatOptions; workloads: unknown};
  published: {parquet: string[]; arrow: string[]};
  versions: VersionResult[];
  answerChecks: AnswerCheck[];
  ok: boolean;
  problems: string[];
}

/**
 * Within ±5 % counts as equal: the machine is shared, and repeated runs differ by that much. So does a
 * difference whose samples overlap (rounds: their ranges; five or more loads: their quartiles).
 */
const NOISE = 0.05;

const median = (xs: number[]) => (xs.length ? percentile([...xs].sort((a, b) => a - b), 50) : Number.NaN);
const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "—" : x >= 100 ? String(Math.round(x)) : x.toFixed(1));
const ratio = (candidate: number, reference: number) => (Number.isFinite(candidate / reference) ? `${(candidate / reference).toFixed(2)}×` : "—");

function wasmFetchMedian(v: VersionResult): number {
  return median(v.instantiate.flatMap((l) => l.wasm.slice(0, 1).map((w) => w.ms)));
}

const workloadNames: WorkloadName[] = ["gap", "scenario-cube", "scenario-raw"];

/** One measure compared: the candidate's value (median of its samples) over the reference's, lower is better. */
export interface Comparison {
  measure: string;
  reference: number;
  candidate: number;
  verdict: "better" | "equal" | "worse";
}

/** The samples' range that counts as noise: quartiles from five samples on, else min–max. */
function spread(xs: number[]): [number, number] {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length >= 5 ? [percentile(sorted, 25), percentile(sorted, 75)] : [sorted[0]!, sorted.at(-1)!];
}

export function compare(measure: string, reference: number[], candidate: number[]): Comparison | null {
  const [r, c] = [median(reference), median(candidate)];
  if (!Number.isFinite(r) || !Number.isFinite(c)) return null;
  const [rLow, rHigh] = spread(reference);
  const [cLow, cHigh] = spread(candidate);
  const q = c / r;
  const verdict = q <= 1 - NOISE && cHigh < rLow ? "better" : q >= 1 + NOISE && cLow > rHigh ? "worse" : "equal";
  return {measure, reference: r, candidate: c, verdict};
}

/** A workload measure over the rounds: each round's value, NaN rounds left out. */
function perRound(v: VersionResult, set: string, pick: (run: Omit<ContenderRun, "answers">) => number | undefined): number[] {
  return (v.workloads[set] ?? []).map(pick).filter((x): x is number => x !== undefined && Number.isFinite(x));
}

export function comparisons(reference: VersionResult, candidate: VersionResult): Comparison[] {
  const brotli = (v: VersionResult, file: string) => [v.files.find((f) => f.file === file)?.brotli ?? Number.NaN];
  const out = [
    compare("duckdb-eh.wasm, brotli bytes", brotli(reference, "duckdb-eh.wasm"), brotli(candidate, "duckdb-eh.wasm")),
    compare("eh worker, brotli bytes", brotli(reference, "duckdb-browser-eh.worker.js"), brotli(candidate, "duckdb-browser-eh.worker.js")),
    compare("instantiate, median ms", reference.instantiate.map((l) => l.instantiateMs), candidate.instantiate.map((l) => l.instantiateMs)),
  ];
  for (const set of Object.keys(reference.workloads)) {
    out.push(compare(`${set}: ingest (Arrow), ms`, perRound(reference, set, (r) => r.load.prepareMs), perRound(candidate, set, (r) => r.load.prepareMs)));
    for (const w of workloadNames) out.push(compare(`${set}: ${w} p50, ms`, perRound(reference, set, (r) => r.workloads[w]?.p50), perRound(candidate, set, (r) => r.workloads[w]?.p50)));
    out.push(compare(`${set}: renderer peak RSS, MB`, perRound(reference, set, (r) => r.memory.peakRssMB), perRound(candidate, set, (r) => r.memory.peakRssMB)));
  }
  return out.filter((c): c is Comparison => c !== null);
}

/** Whether a version read every Parquet file (in the page's buffer mode) with no request to another host. */
export function readsParquetFromOrigin(v: VersionResult): boolean {
  const p = v.parquet;
  if (!p) return false;
  const buffered = p.sets.flatMap((s) => s.reads.filter((r) => r.mode === "buffer"));
  return buffered.length > 0 && buffered.every((r) => r.ok) && p.requests.foreign.length === 0 && v.instantiate.every((l) => l.requests.foreign.length === 0);
}

export function verdict(results: VersionsResults): string[] {
  const [reference, ...candidates] = results.versions;
  if (!reference) return [];
  return candidates.flatMap((candidate) => {
    const cs = comparisons(reference, candidate);
    const better = cs.filter((c) => c.verdict === "better").length;
    const worse = cs.filter((c) => c.verdict === "worse").length;
    const parquet = readsParquetFromOrigin(candidate);
    const answers = results.answerChecks.filter((a) => a.what.startsWith(candidate.version));
    const answersEqual = answers.length > 0 && answers.every((a) => a.equal);
    const wasm = (v: VersionResult) => v.files.find((f) => f.file === "duckdb-eh.wasm")?.brotli ?? Number.NaN;
    // The office-PC profile's line (bench/lib/officeProfile.ts): 4 Mbit/s.
    const officeSeconds = (bytes: number) => ((bytes * 8) / 4e6).toFixed(1);
    const overall = worse === 0 && better > 0 ? "clearly better" : worse === 0 ? "equal" : better === 0 ? "worse" : "mixed";
    const summary = `**${candidate.version} against ${reference.version}: ${overall}** — better on ${better}, equal on ${cs.length - better - worse}, worse on ${worse} of ${cs.length} measures (±${NOISE * 100} % or overlapping samples count as equal); ${parquet ? "reads every Parquet file from the origin with no request elsewhere" : "does NOT read every Parquet file from the origin"} (${reference.version}: ${readsParquetFromOrigin(reference) ? "does too" : "does not"}); answers ${answersEqual ? "equal" : "DIFFER or missing"} (${answers.map((a) => `${a.size}: ${a.what}`).join("; ")}). At the office profile's 4 Mbit/s the eh .wasm alone takes ${officeSeconds(wasm(candidate))} s against ${officeSeconds(wasm(reference))} s.`;
    const named = (v: Comparison["verdict"]) => cs.filter((c) => c.verdict === v).map((c) => `${c.measure} ${ratio(c.candidate, c.reference)}`).join("; ") || "none";
    const foreign = [...new Set(candidate.autoload?.requests.foreign ?? [])];
    return [
      summary,
      "",
      `Better: ${named("better")}. Worse: ${named("worse")}.`,
      "",
      parquet
        ? `Parquet: ${candidate.version} reads the published Parquet files from the origin, so the Arrow twins could go.`
        : `Parquet: the Arrow twins must stay — ${candidate.version} has no Parquet reader in its core either (read_parquet "exists in the parquet extension"), and with autoloading on it asks ${foreign.join(", ") || "no host"} for it, which the site's CSP and its offline rule forbid.`,
      "",
      overall === "clearly better" || (overall === "equal" && parquet)
        ? `What follows: switching to ${candidate.version} is supported by these numbers.`
        : `What follows: no reason to switch to ${candidate.version} by these numbers (${overall}).`,
    ];
  });
}

function sizesTable(results: VersionsResults): string[] {
  const files = results.versions[0]?.files.map((f) => f.file) ?? [];
  const lines = [`| file | ${results.versions.map((v) => `${v.version} raw / gzip / brotli (MB)`).join(" | ")} | brotli ratio |`, `|---|${results.versions.map(() => "---:").join("|")}|---:|`];
  for (const file of files) {
    const cells = results.versions.map((v) => v.files.find((f) => f.file === file)).map((f) => (f ? `${mb(f.raw)} / ${mb(f.gzip)} / ${mb(f.brotli)}` : "—"));
    const b = results.versions.map((v) => v.files.find((f) => f.file === file)?.brotli ?? Number.NaN);
    lines.push(`| ${file} | ${cells.join(" | ")} | ${ratio(b.at(-1)!, b[0]!)} |`);
  }
  return lines;
}

function instantiateTable(results: VersionsResults): string[] {
  const lines = ["| version | DuckDB inside | loads | instantiate median (min–max), ms | .wasm fetch median, ms | .wasm served | extensions loaded at open |", "|---|---|---:|---:|---:|---|---|"];
  for (const v of results.versions) {
    const xs = v.instantiate.map((l) => l.instantiateMs);
    const first = v.instantiate[0];
    const wasm = [...new Set(v.instantiate.flatMap((l) => l.wasm.map((w) => w.url.split("/").pop())))].join(", ");
    const extensions = first ? first.extensions.filter((e) => e.loaded).map((e) => `${e.name}${e.mode ? ` (${e.mode.toLowerCase()})` : ""}`).join(", ") || "none" : "—";
    lines.push(`| ${v.version} | ${first?.version ?? "—"} | ${xs.length} | ${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))}) | ${ms(wasmFetchMedian(v))} | ${wasm} | ${extensions} |`);
  }
  return lines;
}

function workloadsTable(results: VersionsResults): string[] {
  const lines = [
    "| data | version | rounds | instantiate | fetch | ingest | cube | SELECT 1 | gap p50 (rounds' range) / p95 | scenario cube p50 (range) / p95 | scenario raw p50 (range) / p95 | peak RSS, MB |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const sets = Object.keys(results.versions[0]?.workloads ?? {});
  for (const set of sets)
    for (const v of results.versions) {
      const runs = v.workloads[set] ?? [];
      if (!runs.length) continue;
      const m = (pick: (run: Omit<ContenderRun, "answers">) => number | undefined) => median(perRound(v, set, pick));
      const w = (name: WorkloadName) => {
        const p50s = perRound(v, set, (r) => r.workloads[name]?.p50);
        if (!p50s.length) return "—";
        const n = Math.min(...runs.map((r) => r.workloads[name]?.n ?? 0));
        return `${ms(median(p50s))} (${ms(Math.min(...p50s))}–${ms(Math.max(...p50s))}) / ${ms(m((r) => r.workloads[name]?.p95))}${n < results.options.repeat.repetitions ? ` ⁿ⁼${n}` : ""}`;
      };
      lines.push(`| ${set} | ${v.version} | ${runs.length} | ${ms(m((r) => r.load.instantiateMs))} | ${ms(m((r) => r.load.fetchMs))} | ${ms(m((r) => r.load.prepareMs))} | ${ms(m((r) => r.load.cubeMs))} | ${ms(m((r) => r.load.queryFloorMs))} | ${w("gap")} | ${w("scenario-cube")} | ${w("scenario-raw")} | ${Math.round(m((r) => r.memory.peakRssMB))} |`);
    }
  return lines;
}

function parquetTables(results: VersionsResults): string[] {
  const lines = ["| version | data | reads ok | failures | Parquet ingest (buffer), ms | Arrow ingest, ms | gap p50 on Parquet tables, ms | column types differing from Arrow |", "|---|---|---:|---|---:|---:|---:|---|"];
  for (const v of results.versions) {
    for (const set of v.parquet?.sets ?? []) {
      const ok = set.reads.filter((r) => r.ok).length;
      const failed = set.reads.filter((r) => !r.ok);
      const failures = [...new Set(failed.map((r) => r.error))].map((e) => `${failed.filter((r) => r.error === e).length}× ${e}`).join("<br>") || (set.error ?? "");
      const city = set.reads.filter((r) => r.mode === "buffer" && ["units", "persons", "parameters"].includes(r.table));
      const parquetIngest = city.length === 3 && city.every((r) => r.ok) ? city.reduce((s, r) => s + r.ingestMs, 0) : Number.NaN;
      const types = ok === 0 ? "—" : Object.entries(set.typeDifferences).map(([t, d]) => `${t}: ${d.parquet.join(", ")} (Arrow: ${d.arrow.join(", ")})`).join("<br>") || "none";
      lines.push(`| ${v.version} | ${set.name} | ${ok}/${set.reads.length} | ${failures.replaceAll("|", "\\|") || "—"} | ${ms(parquetIngest)} | ${ms(median(perRound(v, set.name, (r) => r.load.prepareMs)))} | ${ms(set.gap?.p50)} | ${types.replaceAll("|", "\\|")} |`);
    }
  }
  lines.push("", "| version | requests (instantiate loads + Parquet run) | to other hosts |", "|---|---:|---|");
  for (const v of results.versions) {
    const all = v.instantiate.reduce((s, l) => s + l.requests.all.length, 0) + (v.parquet?.requests.all.length ?? 0);
    const foreign = [...new Set([...v.instantiate.flatMap((l) => l.requests.foreign), ...(v.parquet?.requests.foreign ?? [])])];
    lines.push(`| ${v.version} | ${all} | ${foreign.length ? foreign.slice(0, 5).join(", ") : "none"} |`);
  }
  lines.push("", "With autoloading and autoinstall on (the site turns both off; requests to other hosts refused at once):", "", "| version | read | other hosts asked |", "|---|---|---|");
  for (const v of results.versions) {
    const a = v.autoload;
    lines.push(`| ${v.version} | ${a ? (a.read.ok ? "ok" : a.read.error ?? "failed") : "—"} | ${a ? [...new Set(a.requests.foreign)].join("<br>") || "none" : "—"} |`);
  }
  return lines;
}

export function versionsMarkdown(results: VersionsResults): string {
  const m = results.machine;
  const [reference, ...candidates] = results.versions;
  const comparisonLines = candidates.flatMap((c) => [
    "",
    `| measure (lower is better) | ${reference!.version} | ${c.version} | ratio | |`,
    "|---|---:|---:|---:|---|",
    ...comparisons(reference!, c).map((x) => `| ${x.measure} | ${x.measure.includes("bytes") ? mb(x.reference) + " MB" : ms(x.reference)} | ${x.measure.includes("bytes") ? mb(x.candidate) + " MB" : ms(x.candidate)} | ${ratio(x.candidate, x.reference)} | ${x.verdict} |`),
  ]);
  return [
    "# DuckDB-WASM versions",
    "",
    `Measured ${results.date.slice(0, 16).replace("T", " ")} UTC by \`npm run bench:duckdb-versions\` (bench/duckdbVersions.ts) at commit ${results.commit.slice(0, 10)}${results.uncommitted.length ? ` (uncommitted changes in ${results.uncommitted.length} files)` : ""}.`,
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, ${m.chromium}; load average at start ${m.loadAverage.join(" ")} (shared machine: compare ratios more than absolute times).`,
    `Versions: ${results.versions.map((v) => `${v.version}${v.installed ? " (the project's)" : ""} with apache-arrow ${v.arrow.range} → ${v.arrow.resolved}`).join("; ")}.`,
    "",
    "## Reading",
    "",
    ...verdict(results),
    ...comparisonLines,
    "",
    "## Served files",
    "",
    "Raw, and compressed as scripts/postbuild.ts does it (gzip 9; brotli 9 above 4 MB, 11 below). Chromium loads the eh build.",
    "",
    ...sizesTable(results),
    "",
    "## Cold instantiate",
    "",
    `Each load in a fresh Chromium profile (empty cache), versions interleaved; \`openSandboxDb({})\` from sandboxDb.ts (worker started, .wasm fetched as brotli from 127.0.0.1 and compiled, database opened, autoloading turned off).`,
    "",
    ...instantiateTable(results),
    "",
    "## The benchmark's workloads (Arrow files, as the pages load them now)",
    "",
    `The DuckDB-WASM contender of \`npm run bench\` (bench/browser/main.ts) bundled with each version, ${results.options.rounds} rounds (a fresh Chromium per version, data set and round; the versions' order reversed every round): the median round, ms. *published*: the demo city as the site's loaders write it.`,
    "",
    ...workloadsTable(results),
    "",
    "## Parquet from the site's own origin",
    "",
    "Extension autoloading and autoinstall off (as sandboxDb.ts sets them). *buffer*: the page fetches the file and registers the bytes (as a FileAttachment gives them); *url*: DuckDB's worker reads the URL itself (published set only). Every request of the page and its workers is recorded.",
    "",
    ...parquetTables(results),
    "",
    "## Answers",
    "",
    ...(results.answerChecks.length ? results.answerChecks.map((a) => `- ${a.size}: ${a.what}: ${a.equal ? "equal" : `DIFFER (${a.differences.slice(0, 3).join("; ")})`}`) : ["- none compared"]),
    "",
    ...(results.problems.length ? ["## Problems", "", ...results.problems.map((p) => `- ${p}`), ""] : []),
  ].join("\n");
}
