import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {bytesSource, importFiles} from "../../src/importer/index.js";
import {summariseImport, type ImportSummary} from "../../src/importer/summary.js";
import {countColumns} from "../../src/schemas/communityCounts.js";
import {bigCountsWorkbook, officeCorpus, type OfficeCase} from "../fixtures/office/corpus.js";
import * as XLSX from "@e965/xlsx";
import {gb18030} from "../fixtures/encodings.js";
import {specsFromSheets, writeXls, writeXlsBiff5} from "../fixtures/xlsWriter.js";
import {readXlsx} from "../../src/importer/index.js";

/**
 * Every workbook of the office corpus (tests/fixtures/office: the forms a district or county office keeps)
 * imports with its true totals — communities, residents, persons by category, units by level, every row
 * accounted for — and reports each planted mistake once, with no other error.
 */

let corpus: OfficeCase[];
const results = new Map<string, {summary: ImportSummary; result: Awaited<ReturnType<typeof importFiles>>}>();

beforeAll(async () => {
  corpus = await officeCorpus();
  for (const c of corpus) {
    const result = await importFiles(
      c.files.map((f) => bytesSource(f.name, f.bytes)),
      {referenceDate: "2025-12-31"},
    );
    results.set(c.id, {summary: summariseImport(result), result});
  }
}, 120_000);

function expectTruth(c: OfficeCase, summary: ImportSummary): void {
  const t = c.truth;
  const where = `${c.id} ${c.title_zh}`;
  expect(summary.communities, where).toBe(t.communities);
  expect(summary.residents, where).toBe(t.residents);
  expect(summary.persons.total, where).toBe(t.persons.total);
  expect(summary.persons.by_category, where).toEqual(t.persons.by_category);
  expect(summary.units.by_level, where).toEqual(t.units.by_level);
  expect(summary.rows, where).toEqual(t.rows);
  // Each planted mistake is reported (grouped by cause: the same rule in the same column counts together) …
  for (const p of t.problems) {
    const group = summary.problems.find((g) => g.rule === p.rule && (p.file === undefined || g.file === p.file) && (p.column === undefined || g.column === p.column));
    expect(group, `${where}: ${p.rule} ${p.row ?? ""} ${p.column ?? ""}\n${JSON.stringify(summary.problems, null, 1)}`).toBeDefined();
  }
  const planted = t.problems.reduce((n, p) => n + p.count, 0);
  const reported = summary.problems.filter((g) => t.problems.some((p) => p.rule === g.rule)).reduce((n, g) => n + g.count, 0);
  expect(reported, `${where}: each planted mistake once`).toBe(planted);
  // … and nothing else is an error.
  const unexpected = summary.problems.filter((g) => g.severity === "error" && !t.problems.some((p) => p.rule === g.rule));
  expect(unexpected, where).toEqual([]);
}

describe("office workbooks import with their true totals", () => {
  it("has the corpus", () => expect(corpus.length).toBeGreaterThanOrEqual(13));
  it.each(["a", "b", "c", "d", "e", "f", "h", "i", "j", "k", "l", "m", "n", "o", "p"])("case %s", (letter) => {
    const c = corpus.find((x) => x.id.startsWith(`${letter}-`));
    expect(c, letter).toBeDefined();
    expectTruth(c!, results.get(c!.id)!.summary);
  });

  it("city-wide sums of every count the files report match the forms", () => {
    for (const c of corpus) {
      const {result} = results.get(c.id)!;
      const sums: Record<string, number> = {};
      for (const row of result.communityCounts) for (const f of countColumns) if (row[f] !== null) sums[f] = (sums[f] ?? 0) + row[f]!;
      for (const [field, want] of Object.entries(c.truth.expected_counts_sum)) {
        // A persons list gives person rows, not counts: its sums are checked through persons above.
        if (!result.communityCounts.length) continue;
        expect(sums[field], `${c.id} ${field}`).toBe(want);
      }
    }
  });

  it("skips exactly the title, header, 小计, 合计, footer, note and blank rows the form has", () => {
    for (const c of corpus) {
      const {result} = results.get(c.id)!;
      if (!result.office) continue;
      const got = result.office.sheets.flatMap((s) => s.skipped.map((k) => `${s.file}|${s.sheet}|${k.row}`)).sort();
      const truthRows = c.truth.skipped_rows.filter((r) => result.office!.sheets.some((s) => s.file === r.file && s.role !== "summary"));
      const want = truthRows.map((r) => `${r.file}|${r.sheet}|${r.row}`).sort();
      expect(got, c.id).toEqual(want);
    }
  });

  it("names the same units with the same codes whatever the row order", async () => {
    const c = corpus.find((x) => x.id.startsWith("b-"))!;
    const first = results.get(c.id)!.result.units.map((u) => `${u.unit_name}:${u.unit_code}`).sort();
    const again = await importFiles(c.files.map((f) => bytesSource(f.name, f.bytes)), {referenceDate: "2025-12-31"});
    expect(again.units.map((u) => `${u.unit_name}:${u.unit_code}`).sort()).toEqual(first);
    for (const u of again.units) expect(u.unit_code).toMatch(/^[0-9A-Za-z]{2,24}$/);
    for (const u of again.units) if (u.parent_code) expect(u.unit_code.startsWith(u.parent_code), u.unit_code).toBe(true);
  });

  it("matches persons to communities by (street, community) name, the same name in two streets included", () => {
    const c = corpus.find((x) => x.id.startsWith("d-"))!;
    const {result} = results.get(c.id)!;
    expect(result.persons.length).toBe(c.truth.persons.total);
    const communities = new Map(result.units.filter((u) => u.level === "community").map((u) => [u.unit_code, u]));
    const names = result.units.filter((u) => u.level === "community").map((u) => u.unit_name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    expect(repeated.length, "the corpus has a community name in two streets").toBeGreaterThan(0);
    for (const code of result.persons.data.community_code!) expect(communities.has(code as string)).toBe(true);
  });
});

describe("an indented list (case p) whose 合计 comes first", () => {
  it("checks the 合计 against its communities, not the communities and their streets' rows too", () => {
    const c = corpus.find((x) => x.id.startsWith("p-"))!;
    expect(results.get(c.id)!.summary.problems.filter((g) => g.rule === "total_mismatch")).toEqual([]);
  });
});

describe("a city of 10,000 communities with counts per category (case g)", () => {
  it("imports with its true totals: the category counts are the persons, not ignored columns", async () => {
    const c = await bigCountsWorkbook(10_000);
    const result = await importFiles(c.files.map((f) => bytesSource(f.name, f.bytes)), {referenceDate: "2025-12-31"});
    expectTruth(c, summariseImport(result));
    expect(result.communityCounts).toHaveLength(10_000);
  }, 120_000);
});

describe("a statistics form and a persons list together", () => {
  it("are checked against each other, community by community", async () => {
    const c = corpus.find((x) => x.id.startsWith("b-"))!;
    const {result} = results.get(c.id)!;
    const byCode = new Map(result.units.map((u) => [u.unit_code, u]));
    // A persons list (所属街道, 所属社区 as names) with one person fewer in the first community than its form says.
    const lines = ["所属街道,所属社区,残疾类别,残疾等级,年龄"];
    result.communityCounts.forEach((row, i) => {
      const community = byCode.get(row.community_code)!;
      const street = byCode.get(community.parent_code!)!;
      for (const category of ["visual", "hearing", "speech", "physical", "intellectual", "psychiatric", "multiple"] as const) {
        const n = (row[`category_${category}`] ?? 0) - (i === 0 && category === "physical" ? 1 : 0);
        for (let k = 0; k < n; k++) lines.push(`${street.unit_name},${community.unit_name},${category === "physical" ? "肢体" : category === "visual" ? "视力" : category === "hearing" ? "听力" : category === "speech" ? "言语" : category === "intellectual" ? "智力" : category === "psychiatric" ? "精神" : "多重"},二级,40`);
      }
    });
    const both = await importFiles([...c.files.map((f) => bytesSource(f.name, f.bytes)), bytesSource("人员名单.csv", new TextEncoder().encode(lines.join("\n")))], {referenceDate: "2025-12-31"});
    expect(both.persons.length).toBe(c.truth.persons.total - 1);
    const found = both.problems.filter((p) => p.rule === "counts_vs_persons");
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain(`持证残疾人数：统计表 ${result.communityCounts[0]!.persons}，名单 ${result.communityCounts[0]!.persons - 1} 人`);
    expect(found[0]!.message).toContain("肢体");
  });
});

describe("the same forms saved as .xls (Excel 97–2003)", () => {
  it.each(["a", "c", "i", "p"])("case %s as .xls gives the same totals", async (letter) => {
    const c = corpus.find((x) => x.id.startsWith(`${letter}-`))!;
    const files = await Promise.all(c.files.map(async (f) => {
      if (!/\.xlsx$/.test(f.name)) return f;
      return {name: f.name.replace(/\.xlsx$/, ".xls"), bytes: writeXls(specsFromSheets(await readXlsx(f.bytes, f.name)))};
    }));
    const result = await importFiles(files.map((f) => bytesSource(f.name, f.bytes)), {referenceDate: "2025-12-31"});
    expect(result.files.map((f) => f.format)).toContain("xls");
    const summary = summariseImport(result);
    const xlsxSummary = results.get(c.id)!.summary;
    expect({...summary, problems: []}).toEqual({...xlsxSummary, problems: []});
  });
});

describe("the same forms saved by Excel 5.0/95 (BIFF5) on Chinese Windows, text in GBK", () => {
  it.each(["a", "c", "i", "p"])("case %s as BIFF5 .xls in code page 936 gives the same totals", async (letter) => {
    const c = corpus.find((x) => x.id.startsWith(`${letter}-`))!;
    const files = await Promise.all(c.files.map(async (f) => {
      if (!/\.xlsx$/.test(f.name)) return f;
      const bytes = writeXlsBiff5(specsFromSheets(await readXlsx(f.bytes, f.name)), {codepage: 936});
      return {name: f.name.replace(/\.xlsx$/, ".xls"), bytes};
    }));
    const xls = files.find((f) => f.name.endsWith(".xls"))!;
    // Really the old format: a "Book" stream (not "Workbook"), BOF version 0x0500, CODEPAGE 936, GBK bytes.
    const book = XLSX.CFB.find(XLSX.CFB.read(xls.bytes, {type: "array"}), "/Book");
    expect(book).toBeTruthy();
    const stream = Uint8Array.from(book!.content as ArrayLike<number>);
    expect([stream[4], stream[5]]).toEqual([0x00, 0x05]);
    expect(hasBytes(stream, [0x42, 0x00, 0x02, 0x00, 936 & 0xff, 936 >> 8])).toBe(true);
    expect(hasBytes(stream, [...gb18030("社区")])).toBe(true);
    expect(writeXlsBiff5(specsFromSheets(await readXlsx(c.files.find((f) => f.name.endsWith(".xlsx"))!.bytes)), {codepage: 936}), "the fixture is deterministic").toEqual(xls.bytes);
    const result = await importFiles(files.map((f) => bytesSource(f.name, f.bytes)), {referenceDate: "2025-12-31"});
    expect(result.files.map((f) => f.format)).toContain("xls");
    expect({...summariseImport(result), problems: []}).toEqual({...results.get(c.id)!.summary, problems: []});
    expect(summariseImport(result).problems.map((p) => p.rule)).toEqual(results.get(c.id)!.summary.problems.map((p) => p.rule));
  });
});

function hasBytes(haystack: Uint8Array, needle: readonly number[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe("npm run import -- FILE... --json", () => {
  it("prints the same summary as the importer, for a form saved as GBK CSV, a workbook with mistakes and indicator-per-row forms", () => {
    const dir = mkdtempSync(join(tmpdir(), "dpf-import-"));
    try {
      for (const letter of ["e", "f", "i"]) {
        const c = corpus.find((x) => x.id.startsWith(`${letter}-`))!;
        const paths = c.files.map((f) => {
          const path = join(dir, f.name);
          writeFileSync(path, f.bytes);
          return path;
        });
        let out = "";
        try {
          out = execFileSync(process.execPath, ["--import", "tsx", "scripts/import.ts", ...paths, "--json", "--reference-date", "2025-12-31"], {encoding: "utf-8"});
        } catch (error) {
          // Exit code 1: the import has errors (case f); the summary is still printed.
          out = (error as {stdout: string}).stdout;
          expect((error as {status: number}).status).toBe(1);
        }
        const printed = JSON.parse(out) as ImportSummary;
        expectTruth(c, printed);
        expect(printed).toEqual(results.get(c.id)!.summary);
      }
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  }, 120_000);
});
