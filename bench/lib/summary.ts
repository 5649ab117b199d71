import type {OfficeResult} from "./officeProfile.js";
/**
 * The benchmark's headline numbers, from one or more results files (the default run and the
 * ten-million-row run): warm timings side by side with their ratio to the typed-array loop, and each
 * goal of issue 8 with what was measured. Used by latest.md and by the methods page (src/data/bench.json.ts).
 * No Node built-ins: the site's loader and the report both import it.
 */

export interface Timing {
  p50: number;
  p95: number;
  n: number;
  truncated: boolean;
  longTaskMaxMs?: number;
}

/** The parts of a results file the summary reads (bench/run.ts writes the whole). */
export interface ResultsFile {
  date: string;
  commit: string;
  uncommitted: string[];
  machine: {cpuModel: string; cores: number; memoryGiB: number; node: string; chromium: string; loadAverage: number[]; packages: Record<string, string>};
  options: {repeat: {repetitions: number; warmup: number}; workloads: {gap: {indicator: string; level: string; year: number}; scenario: {parameter: string; value: number}}};
  build: {ok: boolean; seconds: number; dist: {bytes: number; bytesWithoutPrecompressed: number}; steps: {command: string; seconds: number}[]} | null;
  sizes: {
    name: string;
    persons: number;
    communities: number;
    loadAverage: {before: number; after: number};
    contenders: Record<string, {load: Record<string, number>; memory: {peakRssMB: number; loadedRssMB: number; loadedHeapMB: number; loadPeakRssMB: number}; workloads: Record<string, Timing & {longTasks: {count: number; maxMs: number}; peakRssMB: number; jsHeapPeakMB: number | null}>; workloadErrors?: Record<string, string>}>;
    node: {loadMs: number; cubeMs: number; rssPeakMB: number; workloads: Record<string, Timing>} | null;
    answers: {equal: boolean; checked: string[]; gapRows: number; scenarioRows: number};
  }[];
  coldStart: {site: string; persons: number | null; note: string; pages: Record<string, {median: Record<string, number | null>}>}[];
  /** Absent in results written before the interaction measurement existed. */
  interaction?: {site: string; persons: number | null; pages: {page: string; control: string; n: number; measures: Record<string, {p50: number; p95: number; max: number}>; longTasks: {count: number; maxMs: number}; error?: string}[]}[];
  pageBytes: {page: string; compressed: number; uncompressed: number; requests: number; loadsDuckDB: boolean}[];
  /** The office-PC profile (bench/lib/officeProfile.ts); absent in runs before it existed. */
  office?: OfficeResult[] | null;
  ok: boolean;
  problems: string[];
}

export const workloadLabels: Record<string, string> = {
  gap: "gap query",
  "scenario-cube": "scenario, cube",
  "scenario-raw": "scenario, raw",
};
export const contenderLabels: Record<string, string> = {
  duckdb: "DuckDB-WASM (engine)",
  arquero: "Arquero",
  typed: "typed-array loop",
  node: "Node engine (@duckdb/node-api, 1 thread)",
};

export interface SummaryCell extends Timing {
  /** p50 ÷ the typed-array loop's p50 on the same workload and size. */
  ratio: number | null;
}

export interface SummaryRow {
  workload: string;
  contender: string;
  cells: Record<string, SummaryCell | null>;
}

export interface Goal {
  goal: string;
  measured: string;
  /** true met, false missed, null not measured. */
  met: boolean | null;
}

export interface Summary {
  dates: string[];
  machine: string;
  sizes: {name: string; persons: number; communities: number}[];
  rows: SummaryRow[];
  goals: Goal[];
  answersEqual: boolean;
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(1) : String(Math.round(ms)));
export const formatMs = fmt;

/** A later run (10m) measures the demo site and builds again: keep the first run's demo-site numbers and build only. */
export function withoutRepeats(files: readonly ResultsFile[]): ResultsFile[] {
  return files.map((f, i) =>
    i === 0 ? f : {...f, coldStart: f.coldStart.filter((c) => c.site !== "demo"), interaction: f.interaction?.filter((c) => c.site !== "demo"), pageBytes: [], build: null},
  );
}

export function summarize(given: readonly ResultsFile[]): Summary {
  const files = withoutRepeats(given);
  const sizes = files.flatMap((f) => f.sizes);
  const rows: SummaryRow[] = [];
  for (const workload of Object.keys(workloadLabels))
    for (const contender of Object.keys(contenderLabels)) {
      const cells: Record<string, SummaryCell | null> = {};
      for (const size of sizes) {
        const typed = size.contenders.typed?.workloads[workload];
        const t = contender === "node" ? size.node?.workloads[workload] : size.contenders[contender]?.workloads[workload];
        cells[size.name] = t
          ? {p50: t.p50, p95: t.p95, n: t.n, truncated: t.truncated, ratio: typed && typed.p50 > 0 ? t.p50 / typed.p50 : null, ...("longTasks" in t ? {longTaskMaxMs: (t as {longTasks: {maxMs: number}}).longTasks.maxMs} : {})}
          : null;
      }
      if (Object.values(cells).some((c) => c)) rows.push({workload, contender, cells});
    }
  const first = files[0]!;
  return {
    dates: files.map((f) => f.date),
    machine: `${first.machine.cpuModel}, ${first.machine.cores} cores, ${first.machine.memoryGiB} GiB; Node ${first.machine.node}; ${first.machine.chromium}`,
    sizes: sizes.map((s) => ({name: s.name, persons: s.persons, communities: s.communities})),
    rows,
    goals: goals(files),
    answersEqual: sizes.every((s) => s.answers.equal),
  };
}

function goals(files: readonly ResultsFile[]): Goal[] {
  const sizes = files.flatMap((f) => f.sizes);
  const size = (name: string) => sizes.find((s) => s.name === name);
  const duck = (name: string, workload: string) => size(name)?.contenders.duckdb?.workloads[workload];
  const out: Goal[] = [];
  const p95Goal = (names: string[], workload: string, limit: number, label: string) => {
    const measured = names.map((n) => [n, duck(n, workload), size(n)?.contenders.duckdb?.workloadErrors?.[workload]] as const);
    const known = measured.filter(([, t, error]) => t || error);
    out.push({
      goal: `${label}: DuckDB-WASM p95 ≤ ${limit} ms at ${names.join(" and ")}`,
      measured: known.length ? known.map(([n, t, error]) => `${n}: ${t ? `${fmt(t.p95)} ms` : `failed (${error!.slice(0, 80)})`}`).join(", ") : "not measured",
      met: known.length === names.length ? known.every(([, t]) => t && t.p95 <= limit) : known.some(([, t]) => !t || t.p95 > limit) ? false : null,
    });
  };
  p95Goal(["3k", "100k"], "gap", 16, "Warm gap query");
  p95Goal(["3k", "100k"], "scenario-cube", 16, "Warm scenario recompute (cube)");
  p95Goal(["1m"], "gap", 100, "Warm gap query");
  p95Goal(["1m"], "scenario-cube", 100, "Warm scenario recompute (cube)");
  p95Goal(["10m"], "scenario-cube", 100, "Warm scenario recompute (cube)");
  p95Goal(["10m"], "scenario-raw", 1000, "Raw scenario recompute (aim)");
  for (const name of ["1m", "10m"]) {
    const s = size(name);
    if (!s) continue;
    const ratios = ["gap", "scenario-cube", "scenario-raw"].flatMap((w) => {
      const d = s.contenders.duckdb?.workloads[w];
      const t = s.contenders.typed?.workloads[w];
      return d && t ? [[w, d.p50 / t.p50] as const] : [];
    });
    out.push({
      goal: `DuckDB-WASM within 3× of the typed-array loop at ${name} (p50)`,
      measured: ratios.length ? ratios.map(([w, r]) => `${workloadLabels[w]} ${r.toFixed(1)}×`).join(", ") : "not measured",
      met: ratios.length ? ratios.every(([, r]) => r <= 3) : null,
    });
  }
  const cold = files.flatMap((f) => f.coldStart).filter((c) => c.persons === null || c.persons <= 1_000_000);
  for (const page of ["gaps", "sandbox"]) {
    const measured = cold.map((c) => [c.site, c.pages[page]?.median.resultPainted ?? null] as const);
    const known = measured.filter(([, v]) => v !== null);
    out.push({
      goal: `Cold start to first result ≤ 2 s on ${page} (≤ 1 million rows, local server)`,
      measured: measured.length ? measured.map(([s, v]) => `${s}: ${v === null ? "no result shown" : `${fmt(v)} ms`}`).join(", ") : "not measured",
      met: known.length && known.length === measured.length ? known.every(([, v]) => v! <= 2000) : known.some(([, v]) => v! > 2000) ? false : null,
    });
  }
  const light = files.flatMap((f) => f.pageBytes).filter((p) => !p.loadsDuckDB);
  out.push({
    goal: "First load of a page without DuckDB under 1 MB transferred",
    measured: light.length ? light.map((p) => `${p.page}: ${(p.compressed / 1e6).toFixed(2)} MB`).join(", ") : "not measured",
    met: light.length ? light.every((p) => p.compressed < 1e6) : null,
  });
  // The real pages, after the first result: a control change (issues 4 and 5 state these goals).
  const pagesAt = (page: string) => files.flatMap((f) => f.interaction ?? []).flatMap((i) => i.pages.filter((p) => p.page === page && !p.error).map((p) => [i.site, i.persons, p] as const));
  const interactionGoal = (page: string, measure: string, label: string, small: number, large: number) => {
    const measured = pagesAt(page).filter(([, persons]) => persons === null || persons <= 1_000_000);
    const limit = (persons: number | null) => (persons !== null && persons > 100_000 ? large : small);
    const known = measured.filter(([, , p]) => p.measures[measure]);
    out.push({
      goal: `${label}: p95 ≤ ${small} ms up to 100 thousand persons, ≤ ${large} ms at 1 million (real page)`,
      measured: known.length ? known.map(([site, , p]) => `${site}: ${fmt(p.measures[measure]!.p95)} ms`).join(", ") : "not measured",
      met: known.length ? known.every(([, persons, p]) => p.measures[measure]!.p95 <= limit(persons)) : null,
    });
  };
  interactionGoal("gaps", "query", "覆盖缺口 control change → query result", 16, 100);
  interactionGoal("gaps", "result", "覆盖缺口 control change → updated table and charts", 50, 100);
  interactionGoal("sandbox", "recompute", "预算沙盘 slider → recompute", 16, 100);
  const pageTasks = files.flatMap((f) => f.interaction ?? []).flatMap((i) => i.pages.filter((p) => !p.error).map((p) => [`${i.site} ${p.page}`, p.longTasks.maxMs] as const));
  if (pageTasks.length) {
    const worstPage = pageTasks.reduce((a, b) => (b[1] > a[1] ? b : a));
    out.push({
      goal: "No main-thread task over 50 ms while changing controls on the real pages",
      measured: worstPage[1] > 0 ? `longest ${fmt(worstPage[1])} ms (${worstPage[0]})` : "none over 50 ms",
      met: worstPage[1] <= 50,
    });
  }
  const tasks = sizes.flatMap((s) => Object.entries(s.contenders.duckdb?.workloads ?? {}).map(([w, t]) => [`${s.name} ${workloadLabels[w]}`, t.longTasks.maxMs] as const));
  const worst = tasks.reduce<readonly [string, number] | null>((a, b) => (!a || b[1] > a[1] ? b : a), null);
  out.push({
    goal: "No main-thread task over 50 ms during the benchmark page's DuckDB-WASM workloads",
    measured: worst ? (worst[1] > 0 ? `longest ${fmt(worst[1])} ms (${worst[0]})` : "none over 50 ms") : "not measured",
    met: worst ? worst[1] <= 50 : null,
  });
  for (const [name, limit] of [["1m", 300], ["10m", 1500]] as const) {
    const s = size(name)?.contenders.duckdb;
    out.push({
      goal: `Peak memory ≤ ${limit} MB at ${name} (DuckDB-WASM page, renderer RSS)`,
      measured: s ? `${Math.round(s.memory.peakRssMB)} MB` : "not measured",
      met: s ? s.memory.peakRssMB <= limit : null,
    });
  }
  const build = files.find((f) => f.build)?.build;
  out.push({
    goal: "npm run build under 60 s on this 2-core machine",
    measured: build ? (build.ok ? `${build.seconds.toFixed(1)} s (${build.steps.map((s) => `${s.command.split(" ").slice(0, 3).join(" ")} ${s.seconds.toFixed(1)} s`).join(", ")})` : "build failed") : "not measured",
    met: build ? build.ok && build.seconds < 60 : null,
  });
  return out;
}
