import {readFileSync, readdirSync} from "node:fs";
import {describe, expect, test} from "vitest";
import {bytesSource, formatProblem, importFiles, rowsOf, type ImportResult} from "../../src/importer/index.js";
import {badDir, caseFiles, cases, type Case} from "./corpus.js";

const referenceDate = "2025-01-01";

async function run(c: Case): Promise<ImportResult> {
  return importFiles(caseFiles(c).map((f) => bytesSource(f.name, readFileSync(f.path))), {referenceDate, chunkBytes: 64 * 1024});
}

function allNotes(r: ImportResult): string {
  return [...r.notes, ...r.files.flatMap((f) => [f.error?.message ?? "", ...f.sheets.flatMap((s) => s.notes)])].join("\n");
}

describe("every file in the bad-input corpus gives its expected outcome", () => {
  test("the manifest names every fixture file exactly once", () => {
    const files = readdirSync(badDir).filter((f) => f !== "cases.yaml").sort();
    expect(cases.map((c) => c.file).sort()).toEqual(files);
  });

  for (const c of cases) {
    test(`${c.file}${c.about ? ` — ${c.about}` : ""}`, async () => {
      const r = await run(c);
      const file = r.files.find((f) => f.file === c.file)!;
      const listing = r.problems.map(formatProblem).join("\n");
      // Never a silent loss: rows in = accepted + rejected, per sheet and per table.
      for (const f of r.files) for (const s of f.sheets) expect(s.rowsIn, `${s.file}/${s.sheet}`).toBe(s.accepted + s.rejected);
      for (const t of ["units", "persons"] as const) expect(r.counts[t].rowsIn).toBe(r.counts[t].accepted + r.counts[t].rejected);
      expect(r.units.length).toBe(r.counts.units.accepted);
      expect(r.persons.length).toBe(r.counts.persons.accepted);
      expect(r.rejectedCount).toBe(r.counts.units.rejected + r.counts.persons.rejected);
      // Every problem says where and which rule, in Chinese.
      for (const p of r.problems) {
        expect(p.file).toBeTruthy();
        expect(p.message).toMatch(/[\u4e00-\u9fff]/);
        expect(p.rule).toMatch(/^[a-z_0-9]+$/);
      }

      if (c.error) {
        expect(file.error?.rule, listing).toBe(c.error);
      } else {
        expect(file.error, listing).toBeUndefined();
      }
      if (c.encoding) expect(file.encoding).toBe(c.encoding);
      if (c.units) expect([r.counts.units.rowsIn, r.counts.units.accepted, r.counts.units.rejected], listing).toEqual(c.units);
      if (c.persons) expect([r.counts.persons.rowsIn, r.counts.persons.accepted, r.counts.persons.rejected], listing).toEqual(c.persons);
      if (c.blank !== undefined) expect(r.counts.units.blank + r.counts.persons.blank).toBe(c.blank);
      const errors = r.problems.filter((p) => p.severity === "error" && p.rule !== c.error);
      if (c.errors && !c.errorRules) {
        const got = errors.map((p) => [p.rule, p.row, ...(p.column !== null ? [p.column] : [])]);
        const want = c.errors.map(([rule, row, column]) => [rule, row, column]);
        expect(got.length, listing).toBe(want.length);
        for (const [rule, row, column] of want) {
          expect(got.some((g) => g[0] === rule && g[1] === row && (column === undefined || g[2] === column)), `${rule} row ${row} ${column ?? ""}\n${listing}`).toBe(true);
        }
      }
      if (c.errorRules) {
        expect([...new Set(errors.map((p) => p.rule))].sort(), listing).toEqual([...c.errorRules].sort());
        for (const [rule, row, column] of c.errors ?? []) expect(errors.some((p) => p.rule === rule && p.row === row && (column === undefined || p.column === column)), `${rule} ${row}\n${listing}`).toBe(true);
      }
      if (!c.errors && !c.errorRules && !c.error) expect(errors.map(formatProblem)).toEqual([]);
      for (const [rule, row, column] of c.warnings ?? []) {
        expect(r.problems.some((p) => p.severity === "warning" && p.rule === rule && p.row === row && (column === undefined || p.column === column)), `${rule} ${row}\n${listing}`).toBe(true);
      }
      if (c.pii) expect(r.pii.map((p) => [p.column, p.kind, p.by])).toEqual(c.pii);
      const notes = allNotes(r);
      for (const phrase of c.notes ?? []) expect(notes).toContain(phrase);
      const persons = rowsOf<Record<string, unknown>>(r.persons);
      for (const v of c.values ?? []) {
        const row = v.unit !== undefined ? (r.units.find((u) => u.unit_code === v.unit) as Record<string, unknown> | undefined) : persons[v.person!];
        expect(row, `${v.unit ?? v.person}`).toBeDefined();
        expect(row![v.field], `${v.unit ?? v.person}.${v.field}`).toEqual(v.equals);
      }
    });
  }
});

test("the good city imports whole from its CSV files and from the filled-in template", async () => {
  const dir = `${badDir}/../city`;
  const csv = await importFiles([bytesSource("units.csv", readFileSync(`${dir}/units.csv`)), bytesSource("persons.csv", readFileSync(`${dir}/persons.csv`))], {referenceDate});
  const xlsx = await importFiles([bytesSource("city.xlsx", readFileSync(`${dir}/city.xlsx`))], {referenceDate});
  for (const r of [csv, xlsx]) {
    expect(r.errors, r.problems.map(formatProblem).join("\n")).toBe(0);
    expect(r.counts.units).toMatchObject({rowsIn: 9, accepted: 9, rejected: 0});
    expect(r.counts.persons).toMatchObject({rowsIn: 24, accepted: 24, rejected: 0});
    expect(r.units.every((u) => u.synthetic === false)).toBe(true);
  }
  expect(xlsx.units).toEqual(csv.units);
  expect(rowsOf(xlsx.persons)).toEqual(rowsOf(csv.persons));
});

test("personal-data columns appear nowhere in the result: not in rows, problems, rejected rows or their headers", async () => {
  const c = cases.find((x) => x.file === "pii-id-header.csv")!;
  const files = caseFiles(c);
  // Add a rejected row so the download has something.
  const text = readFileSync(files[1]!.path, "utf-8") + "K99,肢体,2,40,,,,,是,,,,,110105195001100015\r\n";
  const r = await importFiles([bytesSource("units.csv", readFileSync(files[0]!.path)), bytesSource("p.csv", new TextEncoder().encode(text))], {referenceDate});
  expect(r.rejectedCount).toBe(1);
  const everything = JSON.stringify({units: r.units, persons: r.persons, problems: r.problems, rejected: r.rejectedRows, headers: r.rejectedHeaders});
  expect(everything).not.toMatch(/110105\d{11}[\dX]/);
  expect(r.rejectedHeaders.persons).not.toContain("身份证号");
});
