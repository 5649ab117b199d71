import {readFileSync} from "node:fs";
import {join} from "node:path";
import fc from "fast-check";
import {describe, expect, test} from "vitest";
import {bytesSource, importFiles, rules, type ImportResult} from "../../src/importer/index.js";
import {badDir, fixturesDir} from "./corpus.js";
import {readXlsx} from "../../src/importer/xlsx.js";
import {specsFromSheets, writeXls} from "../fixtures/xlsWriter.js";

/**
 * Fuzzing the importer: random bytes and mutated fixtures, as CSV, XLSX and XLS. Whatever comes in,
 * importFiles resolves (it never throws), every problem is a known rule with a Chinese sentence, and
 * no row is lost. 1,500 runs in all.
 */
export const FUZZ_RUNS = {randomCsv: 400, randomXlsx: 150, randomXls: 150, mutatedCsv: 400, mutatedXlsx: 200, mutatedXls: 200};

const csvSeeds = ["utf8-bom.csv", "gbk.csv", "utf16le-bom.csv", "number-formats.csv", "unclosed-quote.csv", "multirow-header.csv", "hostile.csv"].map((f) => readFileSync(join(badDir, f)));
const personsSeed = readFileSync(join(fixturesDir, "city", "persons.csv"));
const xlsxSeeds = ["merged-header.xlsx", "formulas.xlsx", "hidden-sheet.xlsx"].map((f) => readFileSync(join(badDir, f)));
/** The same workbooks saved as .xls, with a formula; what an .xls may fail with (never "not an .xlsx"). */
const xlsSeeds = Promise.all(xlsxSeeds.map(async (b) => writeXls(specsFromSheets(await readXlsx(b)))));
/** A damaged .xls: unreadable, or read with no sheet that is any table (its cells mangled: unknown_table). */
const xlsFailures = ["xls_unsupported", "encrypted_workbook", "word_document", "presentation_file", "file_too_large", "unknown_table"];

function assertSane(r: ImportResult): void {
  for (const p of r.problems) {
    expect(rules[p.rule], p.rule).toBeDefined();
    expect(p.message).toMatch(/[\u4e00-\u9fff]/);
  }
  for (const f of r.files) for (const s of f.sheets) expect(s.rowsIn).toBe(s.accepted + s.rejected);
  for (const t of ["units", "persons"] as const) expect(r.counts[t].rowsIn).toBe(r.counts[t].accepted + r.counts[t].rejected);
  if (r.office) {
    // An office table: units come from names too (a street named on its communities' rows), rows are accounted.
    expect(r.office.rows.in).toBe(r.office.rows.accepted + r.office.rows.rejected + r.office.rows.skipped);
    for (const s of r.office.sheets) expect(s.rows.in).toBe(s.rows.accepted + s.rows.rejected + s.rows.skipped);
  } else expect(r.units.length).toBe(r.counts.units.accepted);
  expect(r.persons.length).toBe(r.counts.persons.accepted);
}

/** A mutation: flip, insert or delete bytes, or cut the file short. */
const mutation = fc.oneof(
  fc.record({kind: fc.constant("flip" as const), at: fc.nat(), value: fc.integer({min: 0, max: 255})}),
  fc.record({kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({minLength: 1, maxLength: 16})}),
  fc.record({kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({min: 1, max: 64})}),
  fc.record({kind: fc.constant("truncate" as const), at: fc.nat()}),
  fc.record({kind: fc.constant("text" as const), at: fc.nat(), text: fc.constantFrom('"', ",", "\r\n", "\t", "\u0000", "=1+1", "<b>", "１２万", "％", "\uFEFF", "\uD800")}),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(seed: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = seed;
  for (const m of mutations) {
    const at = bytes.length ? m.at % bytes.length : 0;
    if (m.kind === "flip") (bytes = new Uint8Array(bytes)), (bytes[at] = m.value);
    else if (m.kind === "insert") bytes = new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
    else if (m.kind === "delete") bytes = new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
    else if (m.kind === "truncate") bytes = bytes.subarray(0, at);
    else bytes = new Uint8Array([...bytes.subarray(0, at), ...new TextEncoder().encode(m.text), ...bytes.subarray(at)]);
  }
  return bytes;
}

const options = {referenceDate: "2025-01-01", chunkBytes: 97};

describe("the importer never crashes, whatever the bytes", () => {
  test(`random bytes named .csv (${FUZZ_RUNS.randomCsv} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({maxLength: 2048}), async (bytes) => assertSane(await importFiles([bytesSource("random.csv", bytes)], options))),
      {numRuns: FUZZ_RUNS.randomCsv},
    );
  });

  test(`random bytes after a ZIP signature named .xlsx (${FUZZ_RUNS.randomXlsx} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({maxLength: 2048}), async (bytes) => {
        const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...bytes]);
        const r = await importFiles([bytesSource("random.xlsx", zip)], options);
        assertSane(r);
        expect(r.files[0]!.error?.rule).toBe("unreadable_xlsx");
      }),
      {numRuns: FUZZ_RUNS.randomXlsx},
    );
  });

  test(`mutated CSV fixtures, units with persons (${FUZZ_RUNS.mutatedCsv} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({max: csvSeeds.length - 1}), fc.array(mutation, {minLength: 1, maxLength: 6}), fc.array(mutation, {maxLength: 3}), async (seed, mutations, personMutations) => {
        const r = await importFiles([bytesSource("units.csv", mutate(csvSeeds[seed]!, mutations)), bytesSource("persons.csv", mutate(personsSeed, personMutations))], options);
        assertSane(r);
      }),
      {numRuns: FUZZ_RUNS.mutatedCsv},
    );
  });

  test(`mutated XLSX fixtures (${FUZZ_RUNS.mutatedXlsx} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({max: xlsxSeeds.length - 1}), fc.array(mutation, {minLength: 1, maxLength: 4}), async (seed, mutations) => {
        assertSane(await importFiles([bytesSource("mutated.xlsx", mutate(xlsxSeeds[seed]!, mutations))], options));
      }),
      {numRuns: FUZZ_RUNS.mutatedXlsx},
    );
  }, 120_000);

  test(`random bytes after an OLE signature named .xls (${FUZZ_RUNS.randomXls} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({maxLength: 4096}), async (bytes) => {
        const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...bytes]);
        const r = await importFiles([bytesSource("random.xls", ole)], options);
        assertSane(r);
        expect(r.files[0]!.error?.rule).toBe("xls_unsupported");
      }),
      {numRuns: FUZZ_RUNS.randomXls},
    );
  });

  test(`mutated XLS fixtures (${FUZZ_RUNS.mutatedXls} runs)`, async () => {
    const seeds = await xlsSeeds;
    await fc.assert(
      fc.asyncProperty(fc.nat({max: seeds.length - 1}), fc.array(mutation, {minLength: 1, maxLength: 4}), async (seed, mutations) => {
        const bytes = mutate(seeds[seed]!, mutations);
        const r = await importFiles([bytesSource("mutated.xls", bytes)], options);
        assertSane(r);
        // Still an OLE file: read, or an .xls failure (a broken signature makes it some other file).
        const rule = r.files[0]!.error?.rule;
        if (rule && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) expect(xlsFailures, rule).toContain(rule);
      }),
      // Always also the case once found: a mutation leaving a readable workbook with no recognisable table.
      {numRuns: FUZZ_RUNS.mutatedXls, examples: [[2, [{kind: "delete", at: 1731304042, length: 39}, {kind: "delete", at: 18698210, length: 4}]]]},
    );
  }, 180_000);
});
