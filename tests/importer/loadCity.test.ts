import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import ExcelJS from "exceljs";
import {describe, expect, test} from "vitest";
import {loadCityConfig} from "../../loaders/city/config.js";
import {CityImportError, importWorkbook} from "../../loaders/city/loadCity.js";
import {buildPersonsCube} from "../../loaders/city/personsCube.js";
import {templateCsv, templateXlsx} from "../../loaders/city/template.js";
import {bytesSource, formatProblem, importFiles, rowsOf} from "../../src/importer/index.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {badDir, caseFiles, cases, fixturesDir} from "./corpus.js";

const root = join(import.meta.dirname, "..", "..");
const cityXlsx = join(fixturesDir, "city", "city.xlsx");

function configFor(workbook: string | string[], extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "dpf-config-"));
  const path = join(dir, "dpf.config.yaml");
  writeFileSync(path, JSON.stringify({city: {workbook, referenceDate: "2025-01-01", ...extra}}));
  return loadCityConfig({DPF_CONFIG: path});
}

describe("dpf.config.yaml", () => {
  test("the committed config publishes the demo city", () => {
    expect(loadCityConfig({}).files).toEqual([]);
  });
  test("DPF_CITY_WORKBOOK overrides the workbook", () => {
    expect(loadCityConfig({DPF_CITY_WORKBOOK: cityXlsx}).files).toEqual([cityXlsx]);
  });
  test("an unknown setting is an error, not ignored", () => {
    const dir = mkdtempSync(join(tmpdir(), "dpf-config-"));
    writeFileSync(join(dir, "c.yaml"), "city:\n  workbok: x.xlsx\n");
    expect(() => loadCityConfig({DPF_CONFIG: join(dir, "c.yaml")})).toThrow(/workbok/);
  });
});

describe("the build-time route imports a workbook with the browser's importer", () => {
  test("a good workbook becomes real (synthetic = false) units, persons in memory and a cube", async () => {
    const lines: string[] = [];
    const city = await importWorkbook(configFor(cityXlsx), (l) => lines.push(l));
    expect(city.kind).toBe("workbook");
    expect(city.units).toHaveLength(9);
    expect(city.units.every((u) => u.synthetic === false)).toBe(true);
    expect(city.persons).toHaveLength(24);
    expect(city.cube!.rows.filter((r) => r.slice === "screened").reduce((n, r) => n + r.persons, 0)).toBe(24);
    expect(lines.at(-1)).toContain("单位 9 行（接受 9，拒绝 0），人员 24 行（接受 24，拒绝 0）");
  });

  test("a rejected row fails the build, printing the same lines the import page lists", async () => {
    const file = join(badDir, "parts-exceed-whole.csv");
    const lines: string[] = [];
    await expect(importWorkbook(configFor(file), (l) => lines.push(l))).rejects.toThrow(CityImportError);
    const browser = await importFiles([bytesSource("parts-exceed-whole.csv", readFileSync(file))], {referenceDate: "2025-01-01"});
    expect(lines.slice(0, browser.problems.length)).toEqual(browser.problems.map(formatProblem));
    expect(lines[0]).toBe("错误：parts-exceed-whole.csv 第 4 行 列「常住人口（人）」 值「3000」：下级单位常住人口之和（3,950）超过本单位的 3,000 [parts_exceed_whole]");
  });

  test("allowRejected builds with the accepted rows only", async () => {
    const city = await importWorkbook(configFor(join(badDir, "parts-exceed-whole.csv"), {allowRejected: true}), () => {});
    expect(city.units.map((u) => u.unit_code)).toEqual(["C01", "D01", "S01", "K01", "K02"]);
  });

  test("an unreadable file fails the build even with allowRejected", async () => {
    await expect(importWorkbook(configFor(join(badDir, "corrupt.xlsx"), {allowRejected: true}), () => {})).rejects.toThrow(/导入失败/);
  });

  test("the units loader publishes the workbook and the persons loader publishes no person of a real city", () => {
    const env = {...process.env, DPF_CITY_WORKBOOK: cityXlsx};
    const units = spawnSync("npx", ["tsx", "src/data/units.arrow.ts"], {cwd: root, env, maxBuffer: 1 << 26});
    expect(units.status).toBe(0);
    const unitTable = tableFromIPC(units.stdout);
    expect(unitTable.numRows).toBe(9);
    expect(unitTable.getChild("synthetic")!.toArray().every((v: boolean) => v === false)).toBe(true);
    const persons = spawnSync("npx", ["tsx", "src/data/persons.arrow.ts"], {cwd: root, env, maxBuffer: 1 << 26});
    expect(persons.status).toBe(0);
    const personTable = tableFromIPC(persons.stdout);
    expect(personTable.numRows).toBe(0);
    expect(personTable.schema.fields.map((f) => f.name)).toContain("community_code");
    expect(String(persons.stderr)).toContain("人员明细（24 人）不发布");
  }, 60_000);

  test("the units loader fails (non-zero exit) on a workbook with rejected rows", () => {
    const r = spawnSync("npx", ["tsx", "src/data/units.arrow.ts"], {cwd: root, env: {...process.env, DPF_CITY_WORKBOOK: join(badDir, "duplicate-codes.csv")}});
    expect(r.status).not.toBe(0);
    expect(String(r.stderr)).toContain("单位代码「S01」重复（第 5 行、第 11 行） [duplicate_unit_code]");
    expect(r.stdout.length).toBe(0);
  }, 60_000);
});

describe("persons_cube", () => {
  const person = (community: string, i: number): PersonRow => ({
    person_id: i, community_code: community, category: "physical", grade: 2, age: 40, rehab_need: true, screened: true, archived: null, enrolled: null,
    dibao_eligible: false, dibao_recipient: false, wubao_recipient: null, poor_subsidy_recipient: null, severe_subsidy_recipient: false,
    rehab_served: null, device_need: null, device_fitted: null, poor_subsidy_eligible: null, severe_subsidy_eligible: null,
  });
  /** The distinct totals of the slices: one value when every slice counts every person once. */
  const sliceSums = (rows: readonly {slice: string; persons: number}[]) => {
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(r.slice, (sums.get(r.slice) ?? 0) + r.persons);
    return new Set(sums.values());
  };
  test("keeps every person in every slice, pools cells below the minimum per community and shows no cell smaller than it", () => {
    const grades = [...Array(6).fill(2), ...Array(5).fill(1), ...Array(3).fill(3), ...Array(2).fill(4)] as number[];
    const persons = [...grades.map((grade, i) => ({...person("K01", i), grade})), person("K02", 20), ...Array.from({length: 6}, (_, i) => person("K03", 30 + i))];
    const units = [{unit_code: "C01", level: "city"}] as UnitRow[];
    const cube = buildPersonsCube(persons, 5, units);
    expect(sliceSums(cube.rows)).toEqual(new Set([persons.length]));
    expect(cube.rows.filter((r) => !r.suppressed).every((r) => r.persons >= 5)).toBe(true);
    // K02 (1 person) is too small to publish; being the only one, K03 (the next smallest) joins it at city level.
    const grade = cube.rows.filter((r) => r.slice === "grade");
    expect(grade.map((r) => [r.community_code, r.grade, r.suppressed, r.persons])).toEqual([["K01", 2, false, 6], ["K01", 1, false, 5], ["K01", null, true, 5], ["C01", null, true, 7]]);
    expect(cube.cityLevelPersons).toBe(7);
  });
  test("with a minimum of 1 it is the exact cross-tabulation", async () => {
    const r = await importFiles([bytesSource("city.xlsx", readFileSync(cityXlsx))], {referenceDate: "2025-01-01"});
    const cube = buildPersonsCube(rowsOf<PersonRow>(r.persons), 1, r.units);
    expect(cube.suppressedPersons).toBe(0);
    expect(sliceSums(cube.rows)).toEqual(new Set([24]));
  });
});

describe("the template", () => {
  test("is byte-identical on every build and imports as an empty city without errors", async () => {
    const a = await templateXlsx();
    const b = await templateXlsx();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const r = await importFiles([bytesSource("template.xlsx", a)], {referenceDate: "2025-01-01"});
    expect(r.errors).toBe(0);
    expect(r.files[0]!.sheets.map((s) => [s.sheet, s.table])).toEqual([["说明", null], ["单位", "units"], ["人员", "persons"]]);
  });
  test("its CSV headers are recognised as the units and persons tables", async () => {
    for (const t of ["units", "persons"] as const) {
      const text = templateCsv(t);
      expect(text.startsWith("\uFEFF")).toBe(true);
      const r = await importFiles([bytesSource(`${t}.csv`, new TextEncoder().encode(text))], {referenceDate: "2025-01-01"});
      expect(r.files[0]!.sheets[0]!.table).toBe(t);
    }
  });
});

describe("personal data at build time (the same detection as the import page)", () => {
  /** A file's cells as text (XLSX through ExcelJS, CSV as UTF-8). */
  async function fileText(path: string): Promise<string> {
    if (!path.endsWith(".xlsx")) return readFileSync(path, "utf-8");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
    return cells.join("\n");
  }

  /** ID-card/certificate numbers (18 characters), mobile numbers and the names the PII corpus holds. */
  const personal = (text: string) => text.match(/\d{17}[\dXx]|\b1[3-9]\d{9}\b|张伟|王秀英|李娜|刘洋|陈静|欧阳修|杨帆/g) ?? [];

  for (const c of cases.filter((x) => x.pii?.length)) {
    test(`${c.file}: the column${c.pii!.length > 1 ? "s" : ""} ${c.pii!.map((p) => p[0]).join("、")} are dropped, said so, and no value reaches the city the loaders publish from`, async () => {
      const files = caseFiles(c).map((f) => f.path);
      const raw = personal((await Promise.all(files.map(fileText))).join("\n"));
      expect(raw.length).toBeGreaterThan(0);
      const lines: string[] = [];
      const city = await importWorkbook(configFor(files), (l) => lines.push(l));
      for (const [column] of c.pii!) expect(lines.some((l) => l.startsWith("个人信息：") && l.includes(`列「${column}」`) && l.endsWith("已删除"))).toBe(true);
      const kept = JSON.stringify({units: city.units, persons: city.persons, cube: city.cube?.rows, lines});
      expect(raw.filter((value) => kept.includes(value))).toEqual([]);
    });
  }

  test("an ID number inside a unit name fails the build, and the message masks it", async () => {
    const c = cases.find((x) => x.file === "pii-in-cell.csv")!;
    const files = caseFiles(c).map((f) => f.path);
    const id = personal(readFileSync(files.at(-1)!, "utf-8"))[0]!;
    const lines: string[] = [];
    await expect(importWorkbook(configFor(files), (l) => lines.push(l))).rejects.toThrow(CityImportError);
    expect(lines.some((l) => l.includes("[pii_value]"))).toBe(true);
    expect(lines.join("\n")).not.toContain(id);
  });
});
