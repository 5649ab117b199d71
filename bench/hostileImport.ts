/**
 * npx tsx bench/hostileImport.ts   the importer on hostile and huge files (issue 18 §4), in Node
 *
 * Cases: (a) 20,000 unit rows sharing one code — every row rejected with one message each, the message
 * naming at most 10 rows (it listed all 20,000 in each of 20,000 messages); (b) 40,000 communities under
 * one street (a copy of the family list per child made it quadratic: 9.7 s); (c) an .xlsx ZIP bomb, 1.5 GB of
 * sheet XML in about 1.5 MB (the tab died at 3.3 GB), with an honest directory and (d) one declaring
 * 100 bytes (then the counting inflate stops at the 512 MB limit). Prints time and the heap
 * growth of each, and writes bench/results/hostile-import-latest.json.
 */
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {bytesSource, importFiles} from "../src/importer/index.js";
import {largeZipBomb, oneParentUnits, sharedCodeUnits} from "../tests/fixtures/hostileFiles.js";
import {benchRoot} from "./lib/paths.js";

interface Case {
  name: string;
  file?: string;
  bytes: Uint8Array;
  check: (r: Awaited<ReturnType<typeof importFiles>>) => string | null;
}

const cases: Case[] = [
  {name: "20,000 rows sharing one unit code", bytes: sharedCodeUnits(20_000), check: (r) => (r.counts.units.rejected === 20_000 ? null : `rejected ${r.counts.units.rejected}`)},
  {name: "40,000 communities under one street", bytes: oneParentUnits(40_000), check: (r) => (r.units.length === 40_003 ? null : `accepted ${r.units.length}`)},
];
const bombBytes = 1.5 * 1024 ** 3;
const refused = (r: Awaited<ReturnType<typeof importFiles>>) => (r.files[0]!.error?.rule === "file_too_large" ? null : `error ${r.files[0]!.error?.rule}`);
cases.push(
  {name: "xlsx ZIP bomb 1.5 GB, honest directory", file: "bomb.xlsx", bytes: await largeZipBomb(bombBytes), check: refused},
  {name: "xlsx ZIP bomb 1.5 GB, directory says 100 B", file: "bomb.xlsx", bytes: await largeZipBomb(bombBytes, () => 100), check: refused},
);

const results = [];
for (const c of cases) {
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const result = await importFiles([bytesSource(c.file ?? "units.csv", c.bytes)], {referenceDate: "2025-12-31"});
  const ms = performance.now() - t0;
  const heapMB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const wrong = c.check(result);
  if (wrong) throw new Error(`${c.name}: ${wrong}`);
  results.push({case: c.name, bytes: c.bytes.length, ms: Math.round(ms), heapGrowthMB: Math.round(heapMB)});
  console.log(`${c.name.padEnd(44)} ${(c.bytes.length / 2 ** 20).toFixed(2)} MB  ${Math.round(ms)} ms  heap +${Math.round(heapMB)} MB`);
}
writeFileSync(join(benchRoot, "results", "hostile-import-latest.json"), `${JSON.stringify({date: new Date().toISOString(), results}, null, 2)}\n`);
