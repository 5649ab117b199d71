import {describe, expect, test} from "vitest";
import type {ParquetRead} from "../../bench/shared/probeApi.js";
import {compare, comparisons, readsParquetFromOrigin, type VersionResult} from "../../bench/lib/duckdbVersionsReport.js";

// The reading of npm run bench:duckdb-versions: measure by measure, ±5 % is equal, and a version
// "reads Parquet from the origin" only when every buffered read succeeded with no request elsewhere.

const read = (table: string, ok: boolean): ParquetRead => ({table, mode: "buffer", ok, bytes: 10, fetchMs: 1, ingestMs: 1, rows: ok ? 3 : 0, columns: [], ...(ok ? {} : {error: "Catalog Error"})});

function version(v: string, o: {brotli: number; instantiate: number[]; gap: number; reads?: ParquetRead[]; foreign?: string[]}): VersionResult {
  const requests = {all: ["/probe.html", ...(o.foreign ?? [])], foreign: o.foreign ?? []};
  return {
    version: v,
    installed: false,
    arrow: {range: "^17.0.0", resolved: "17.0.0"},
    files: [{file: "duckdb-eh.wasm", raw: 3 * o.brotli, gzip: 2 * o.brotli, brotli: o.brotli}],
    instantiate: o.instantiate.map((ms) => ({instantiateMs: ms, version: v, extensions: [], wasm: [], requests: {all: [], foreign: []}, errors: []})),
    parquet: {open: {instantiateMs: 1, version: v, extensions: []}, sets: [{name: "published", reads: o.reads ?? [read("units", true)], typeDifferences: {}}], requests, errors: []},
    autoload: null,
    workloads: {
      "100k": [{
        contender: "duckdb",
        load: {fetchMs: 1, instantiateMs: 1, prepareMs: 50, cubeMs: 1, totalMs: 1, bytes: 0, queryFloorMs: 0.5},
        memory: {loadPeakRssMB: 1, loadedRssMB: 1, loadedHeapMB: 1, peakRssMB: 1, peakResettable: true},
        workloads: {gap: {n: 30, truncated: false, p50: o.gap, p95: o.gap, min: o.gap, max: o.gap, mean: o.gap, firstMs: o.gap, samples: [], longTasks: {count: 0, maxMs: 0, totalMs: 0}, jsHeapPeakMB: null, peakRssMB: 1}},
      }],
    },
  };
}

describe("comparisons", () => {
  test("ratios beyond ±5 % are better or worse, within are equal", () => {
    const reference = version("1.29.0", {brotli: 1000, instantiate: [900, 1000, 1100], gap: 100});
    const candidate = version("1.32.0", {brotli: 1100, instantiate: [1040, 990, 2000], gap: 80});
    const byMeasure = Object.fromEntries(comparisons(reference, candidate).map((c) => [c.measure, c]));
    expect(byMeasure["duckdb-eh.wasm, brotli bytes"]!.verdict).toBe("worse");
    // Medians 1000 and 1040: 4 % slower is noise.
    expect(byMeasure["instantiate, median ms"]).toMatchObject({reference: 1000, candidate: 1040, verdict: "equal"});
    expect(byMeasure["100k: gap p50, ms"]!.verdict).toBe("better");
    expect(byMeasure["100k: ingest (Arrow), ms"]!.verdict).toBe("equal");
  });
});

describe("compare", () => {
  test("a difference beyond ±5 % whose samples overlap is equal", () => {
    // Rounds 10, 11, 14 against 12, 13, 13: medians 11 and 13 (+18 %), but the ranges overlap.
    expect(compare("gap", [10, 11, 14], [12, 13, 13])!.verdict).toBe("equal");
    expect(compare("gap", [10, 11, 11.5], [12, 13, 13])!.verdict).toBe("worse");
  });
  test("from five samples on, the quartiles are the noise", () => {
    // One slow outlier each side does not hide a clear shift.
    expect(compare("instantiate", [700, 710, 720, 730, 2000], [600, 610, 620, 630, 1900])!.verdict).toBe("better");
  });
});

describe("readsParquetFromOrigin", () => {
  test("every buffered read ok and no other host asked", () => {
    expect(readsParquetFromOrigin(version("a", {brotli: 1, instantiate: [1], gap: 1}))).toBe(true);
  });
  test("a failed read or a request to another host says no", () => {
    expect(readsParquetFromOrigin(version("a", {brotli: 1, instantiate: [1], gap: 1, reads: [read("units", true), read("persons", false)]}))).toBe(false);
    expect(readsParquetFromOrigin(version("a", {brotli: 1, instantiate: [1], gap: 1, foreign: ["https://extensions.example/parquet.wasm"]}))).toBe(false);
  });
});
