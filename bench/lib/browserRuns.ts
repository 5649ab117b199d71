import type {GapAnswerRow, GapWorkload} from "../shared/gapAnswer.js";
import type {RepeatOptions} from "../shared/measure.js";
import {workloadNames, type BenchPageApi, type Contender, type LoadResult, type WorkloadName, type WorkloadResult} from "../shared/pageApi.js";
import type {ScenarioAnswer, ScenarioWorkload} from "../shared/scenarioAnswer.js";
import {heapAfterGC, launchBrowser, rendererMemory, resetPeak} from "./chromium.js";

/**
 * Runs one contender on one size in its own fresh Chromium: load, the checked answers, then each
 * workload's warm repetitions, with the renderer's peak memory per phase.
 */

export interface ContenderRun {
  contender: Contender;
  load: LoadResult;
  memory: {
    /** Renderer peak RSS while loading (fetch, instantiate, ingest, cube), MB. */
    loadPeakRssMB: number;
    /** Renderer RSS once loaded, MB. */
    loadedRssMB: number;
    /** Main-thread JS heap after GC, once loaded, MB. */
    loadedHeapMB: number;
    /** Highest renderer peak RSS over load and all workloads, MB. */
    peakRssMB: number;
    /** False when /proc/<pid>/clear_refs could not reset the peak (then every peak includes the load). */
    peakResettable: boolean;
  };
  answers: {gap: GapAnswerRow[]; scenario: ScenarioAnswer};
  workloads: Partial<Record<WorkloadName, WorkloadResult & {peakRssMB: number}>>;
  /** Workloads that failed, with the error (their timings are absent). */
  workloadErrors?: Partial<Record<WorkloadName, string>>;
  error?: string;
}

type Api = {bench: BenchPageApi};

export async function runContender(options: {
  pageUrl: string;
  dataUrl: string;
  contender: Contender;
  workloads: {gap: GapWorkload; scenario: ScenarioWorkload};
  repeat: RepeatOptions;
  /** Workloads to skip for this contender (e.g. Arquero's raw scenario at 10 million rows). */
  skip?: readonly WorkloadName[];
  log: (line: string) => void;
}): Promise<ContenderRun> {
  const browser = await launchBrowser();
  const {page, context, userDataDir} = browser;
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  try {
    await page.goto(options.pageUrl, {waitUntil: "load"});
    await page.waitForSelector("body[data-ready]", {timeout: 30_000});
    const load = await page.evaluate(([c, d]) => (window as unknown as Api).bench.load(c as Contender, d as string), [options.contender, options.dataUrl] as const);
    const loaded = rendererMemory(userDataDir);
    const loadedHeapMB = await heapAfterGC(context, page);
    const peakResettable = resetPeak(userDataDir);
    const answers = await page.evaluate(([g, s]) => (window as unknown as Api).bench.answers(g as GapWorkload, s as ScenarioWorkload), [options.workloads.gap, options.workloads.scenario] as const);
    const workloads: ContenderRun["workloads"] = {};
    const workloadErrors: Record<string, string> = {};
    let peak = loaded.peakRssMB;
    for (const name of workloadNames) {
      if (options.skip?.includes(name)) continue;
      resetPeak(userDataDir);
      let result: WorkloadResult;
      try {
        result = await page.evaluate(([n, w, r]) => (window as unknown as Api).bench.run(n as WorkloadName, w as never, r as RepeatOptions), [name, options.workloads, options.repeat] as const);
      } catch (error) {
        // One workload failing (DuckDB-WASM out of memory at ten million rows) keeps the others' results.
        const message = (error as Error).message.split("\n")[0]!.replace(/^page\.evaluate: /, "");
        workloadErrors[name] = message;
        options.log(`    ${options.contender} ${name}: FAILED (${message})`);
        continue;
      }
      const memory = rendererMemory(userDataDir);
      peak = Math.max(peak, memory.peakRssMB);
      workloads[name] = {...result, peakRssMB: memory.peakRssMB};
      options.log(`    ${options.contender} ${name}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms (n=${result.n}${result.truncated ? ", budget" : ""}), long tasks ${result.longTasks.count}`);
    }
    return {
      contender: options.contender,
      load,
      memory: {loadPeakRssMB: loaded.peakRssMB, loadedRssMB: loaded.rssMB, loadedHeapMB, peakRssMB: peak, peakResettable},
      answers,
      workloads,
      ...(Object.keys(workloadErrors).length ? {workloadErrors} : {}),
      ...(errors.length ? {error: errors.join("\n")} : {}),
    };
  } catch (error) {
    throw new Error(`${options.contender}: ${(error as Error).message}${errors.length ? `\npage errors:\n${errors.join("\n")}` : ""}`);
  } finally {
    await browser.close();
  }
}
