import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {contenderLabels, formatMs as fmt, summarize, withoutRepeats, workloadLabels, type ResultsFile} from "./summary.js";
import {officeMarkdown} from "./officeProfile.js";

/** bench/results/latest.md: the default run and, when there is one, the ten-million-row run, side by side. */

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const cell = (v: number | null | undefined) => (v === null || v === undefined ? "—" : fmt(v));
const table = (head: string[], rows: string[][]) => [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export function renderMarkdown(given: readonly ResultsFile[]): string {
  const files = withoutRepeats(given);
  const summary = summarize(files);
  const sizes = files.flatMap((f) => f.sizes);
  const first = files[0]!;
  const out: string[] = [];
  out.push(`# Benchmark results`);
  out.push(
    [
      `Measured ${files.map((f) => f.date.slice(0, 16).replace("T", " ")).join(" and ")} UTC on ${summary.machine}.`,
      `Commit ${first.commit.slice(0, 10)}${first.uncommitted.length ? ` with ${first.uncommitted.length} uncommitted files in the tree (work in progress by others)` : ""}.`,
      `Load average when each size started (other work on this shared 2-core machine slows every contender): ${sizes.map((s) => `${s.name} ${s.loadAverage.before}`).join(", ")}.`,
      `How to run and what each number means: [bench/README.md](../README.md). Raw numbers: [latest.json](latest.json)${files.length > 1 ? " and [latest-10m.json](latest-10m.json)" : ""}.`,
    ].join("\n"),
  );
  out.push(
    `Workloads: (a) **gap query** — ${first.options.workloads.gap.indicator} at ${first.options.workloads.gap.level} level, ${first.options.workloads.gap.year}, every unit ranked by gap (the explorer); ` +
      `(b) **scenario** — all programmes 2026–2030 against the baseline with \`${first.options.workloads.scenario.parameter}\` changed (the sandbox): ` +
      `*cube* recomputes on base rows aggregated once, *raw* aggregates from persons every time. Answers of all contenders ${summary.answersEqual ? "**were checked equal**" : "**DIFFERED** (see problems)"} at every size.`,
  );

  out.push(`## Warm recompute, p50 / p95 ms (× = p50 ÷ typed-array loop p50)`);
  out.push(
    `${first.options.repeat.warmup} warm-up runs, then ${first.options.repeat.repetitions} measured (fewer, marked ⁿ, when a workload would exceed its time budget).`,
  );
  out.push(
    table(
      ["workload", "contender", ...summary.sizes.map((s) => `${s.name} (${s.persons.toLocaleString("en")} persons, ${s.communities.toLocaleString("en")} communities)`)],
      summary.rows.map((r) => [
        workloadLabels[r.workload]!,
        contenderLabels[r.contender]!,
        ...summary.sizes.map((s) => {
          const c = r.cells[s.name];
          if (!c) return "—";
          return `${fmt(c.p50)} / ${fmt(c.p95)}${c.truncated ? ` ⁿ⁼${c.n}` : ""}${c.ratio !== null && r.contender !== "typed" ? ` (${c.ratio.toFixed(1)}×)` : ""}`;
        }),
      ]),
    ),
  );

  out.push(`## Goals (issues 8, 4, 5), for DuckDB-WASM — what the pages use`);
  out.push(table(["goal", "measured", "met"], summary.goals.map((g) => [g.goal, g.measured, g.met === null ? "not measured" : g.met ? "yes" : "**no**"])));

  out.push(`## Load in the benchmark page, ms`);
  out.push(
    "fetch: the three Arrow files (for DuckDB-WASM it runs alongside instantiate, so it includes it); instantiate: DuckDB's WebAssembly fetched, compiled, opened; " +
      "prepare: Arrow → the contender's own form (DuckDB ingest, Arquero tables, typed arrays); cube: aggregating persons into the scenario's base rows once; query floor: p50 of `SELECT 1` through the page's DuckDB adapter (worker round trip), the least any query costs.",
  );
  out.push(
    table(
      ["size", "contender", "fetch", "instantiate", "prepare", "cube", "total", "query floor"],
      sizes.flatMap((s) =>
        Object.entries(s.contenders).map(([c, r]) => [s.name, contenderLabels[c]!, cell(r.load.fetchMs), c === "duckdb" ? cell(r.load.instantiateMs) : "—", cell(r.load.prepareMs), cell(r.load.cubeMs), cell(r.load.totalMs), r.load.queryFloorMs ? cell(r.load.queryFloorMs) : "—"]),
      ).concat(sizes.flatMap((s) => (s.node ? [[s.name, contenderLabels.node!, "—", "—", cell(s.node.loadMs), cell(s.node.cubeMs), "—", "—"]] : []))),
    ),
  );

  out.push(`## Memory, MB`);
  out.push(
    "Renderer RSS from /proc (the page's renderer process, which holds DuckDB's worker and its WebAssembly memory); peak = VmHWM, reset between phases. JS heap = main thread after GC (CDP Runtime.getHeapUsage) and its peak during the workloads (performance.memory). Node: the process's max RSS.",
  );
  out.push(
    table(
      ["size", "contender", "peak RSS (all phases)", "peak RSS while loading", "RSS loaded", "JS heap loaded", "JS heap peak in workloads"],
      sizes.flatMap((s) =>
        Object.entries(s.contenders).map(([c, r]) => [
          s.name,
          contenderLabels[c]!,
          cell(r.memory.peakRssMB),
          cell(r.memory.loadPeakRssMB),
          cell(r.memory.loadedRssMB),
          cell(r.memory.loadedHeapMB),
          cell(Math.max(0, ...Object.values(r.workloads).map((w) => w.jsHeapPeakMB ?? 0))),
        ]),
      ).concat(sizes.flatMap((s) => (s.node ? [[s.name, contenderLabels.node!, cell(s.node.rssPeakMB), "—", "—", "—", "—"]] : []))),
    ),
  );

  out.push(`## Main-thread long tasks (> 50 ms) during the workloads: count / longest ms`);
  out.push(
    table(
      ["contender", "workload", ...sizes.map((s) => s.name)],
      Object.keys(contenderLabels)
        .filter((c) => c !== "node")
        .flatMap((c) =>
          Object.keys(workloadLabels).map((w) => [
            contenderLabels[c]!,
            workloadLabels[w]!,
            ...sizes.map((s) => {
              const t = s.contenders[c]?.workloads[w];
              return t ? `${t.longTasks.count} / ${cell(t.longTasks.maxMs)}` : "—";
            }),
          ]),
        ),
    ),
  );

  const cold = files.flatMap((f) => f.coldStart);
  if (cold.length) {
    out.push(`## Cold start on the real pages (built site, fresh browser profile each load; median), ms from navigation`);
    out.push(cold.map((c) => `- **${c.site}**: ${c.note}.`).join("\n"));
    out.push(
      "Split: wasm fetch (DuckDB's .wasm request, by its worker) ‖ instantiate (fetch + compile + open, `dpf:duckdb-instantiate`) ‖ data fetch (Arrow files fetched and decoded, `dpf:data-fetch`; runs alongside instantiate) → ingest (`dpf:ingest`) → first query (ingest end → result in the DOM) → first paint (result in the DOM → next frame). A page with no result element yet shows —.",
    );
    out.push(
      table(
        ["site", "page", "wasm fetch", "instantiate", "data fetch", "ingest", "first query", "first paint", "result painted", "FCP", "transferred", "uncompressed", "peak RSS MB", "longest task"],
        cold.flatMap((c) =>
          Object.entries(c.pages).map(([page, {median: m}]) => [
            c.site,
            page,
            cell(m.wasmFetch),
            cell(m.instantiate),
            cell(m.dataFetch),
            cell(m.ingest),
            cell(m.firstQuery),
            cell(m.firstPaint),
            m.resultPainted === null ? "no result" : `**${cell(m.resultPainted)}**`,
            cell(m.firstContentfulPaint),
            m.compressedBytes === null ? "—" : mb(m.compressedBytes!),
            m.uncompressedBytes === null ? "—" : mb(m.uncompressedBytes!),
            cell(m.peakRssMB),
            cell(m.longTaskMaxMs),
          ]),
        ),
      ),
    );
  }
  const interaction = files.flatMap((f) => f.interaction ?? []);
  if (interaction.length) {
    out.push(`## Interaction on the real pages: a control changed again and again after the first result, p50 / p95 ms`);
    out.push(
      "The pages time each change themselves (`window.__dpfGaps`, `window.__dpfSandbox`): *query* / *recompute* is the engine's round trip to DuckDB-WASM, *render* the drawing after it, *result* the control's event → table and charts in the DOM, *total* including the summary and scorecard after them; *deferred render* the off-screen views the sandbox updates in the next task. Long tasks: main-thread tasks over 50 ms during all the changes.",
    );
    const names = [...new Set(interaction.flatMap((i) => i.pages.flatMap((p) => Object.keys(p.measures))))];
    out.push(
      table(
        ["site", "page", "changes", ...names, "long tasks (count / longest)"],
        interaction.flatMap((i) =>
          i.pages.map((p) => [
            i.site,
            p.page,
            p.error ? `failed: ${p.error}` : String(p.n),
            ...names.map((n) => (p.measures[n] ? `${fmt(p.measures[n]!.p50)} / ${fmt(p.measures[n]!.p95)}` : "—")),
            p.error ? "—" : `${p.longTasks.count} / ${fmt(p.longTasks.maxMs)}`,
          ]),
        ),
      ),
    );
    out.push(`Controls: ${[...new Set(interaction.flatMap((i) => i.pages.map((p) => `${p.page}: ${p.control}`)))].join("; ")}.`);
  }
  const bytes = files.flatMap((f) => f.pageBytes);
  if (bytes.length) {
    out.push(`## Bytes per first page load (demo site, empty cache)`);
    out.push(table(["page", "transferred", "uncompressed", "requests", "loads DuckDB"], bytes.map((b) => [b.page, mb(b.compressed), mb(b.uncompressed), String(b.requests), b.loadsDuckDB ? "yes" : "no"])));
  }
  const office = files.find((f) => f.office)?.office;
  if (office) {
    out.push(`## Office PC (issue 16): first result cold and on a repeat visit, bytes, ratio to 概览's cold load`);
    out.push(officeMarkdown(office).trim());
  }
  const build = files.find((f) => f.build)?.build;
  if (build) {
    out.push(`## Build`);
    out.push(
      build.ok
        ? `\`npm run build\`: **${build.seconds.toFixed(1)} s** (${build.steps.map((s) => `\`${s.command}\` ${s.seconds.toFixed(1)} s`).join(", ")}); dist/ ${mb(build.dist.bytesWithoutPrecompressed)} (${mb(build.dist.bytes)} with the .gz/.br siblings). Data loaders' cache (src/.observablehq/cache) as found: warm unless a loader's inputs changed.`
        : "`npm run build` failed in this run.",
    );
  }
  const problems = files.flatMap((f) => f.problems);
  if (problems.length) out.push(`## Problems in this run\n${problems.map((p) => `- ${p}`).join("\n")}`);
  return `${out.join("\n\n")}\n`;
}

/** Rewrites latest.md from latest.json and latest-10m.json (when present). */
export function writeLatestMarkdown(resultsDir: string): void {
  const files = ["latest.json", "latest-10m.json"]
    .map((f) => join(resultsDir, f))
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, "utf-8")) as ResultsFile);
  if (files.length) writeFileSync(join(resultsDir, "latest.md"), renderMarkdown(files));
}
