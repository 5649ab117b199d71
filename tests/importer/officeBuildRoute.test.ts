import {spawnSync} from "node:child_process";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {loadCityConfig} from "../../loaders/city/config.js";
import {importWorkbook} from "../../loaders/city/loadCity.js";
import {mappingFileText} from "../../src/importer/index.js";
import {officeCorpus, type OfficeCase} from "../fixtures/office/corpus.js";
import {loadFigureRows} from "../../loaders/figures/checkCatalogue.js";
import {computeBriefing} from "../../loaders/publish/briefing.js";
import {cityOf} from "../../loaders/publish/city.js";
import {openCityDatabase} from "../../loaders/publish/cityDatabase.js";
import {offlineBriefingHtml} from "../../loaders/publish/offlineBriefing.js";

/**
 * The build route (dpf.config.yaml → loaders/city) on an office's own workbooks: the same importer as the
 * page, the counts city's persons_cube published with small cells pooled, the units loader's output, and a
 * column mapping file applied. Three kinds: the statistics form, the county form in full-width digits, the
 * indicator-per-row forms.
 */

const root = join(import.meta.dirname, "..", "..");
let corpus: OfficeCase[];
let dir: string;
const paths = new Map<string, string[]>();

beforeAll(async () => {
  corpus = await officeCorpus();
  dir = mkdtempSync(join(tmpdir(), "dpf-office-build-"));
  for (const c of corpus) {
    mkdirSync(join(dir, c.id));
    paths.set(c.id, c.files.map((f) => {
      const path = join(dir, c.id, f.name);
      writeFileSync(path, f.bytes);
      return path;
    }));
  }
}, 60_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

function configFor(id: string, extra: Record<string, unknown> = {}) {
  const path = join(dir, `${id}.yaml`);
  writeFileSync(path, JSON.stringify({city: {workbook: paths.get(id), referenceDate: "2025-12-31", ...extra}}));
  return loadCityConfig({DPF_CONFIG: path});
}

describe("the build route reads office workbooks", () => {
  test.each(["a", "h", "i"])("case %s: units and a pooled persons_cube from the counts", async (letter) => {
    const c = corpus.find((x) => x.id.startsWith(`${letter}-`))!;
    const lines: string[] = [];
    const city = await importWorkbook(configFor(c.id), (l) => lines.push(l));
    expect(city.units.filter((u) => u.level === "community")).toHaveLength(c.truth.communities);
    expect(city.persons).toHaveLength(0);
    const cube = city.cube!;
    // Every slice counts every person once; no published cell is below the threshold.
    for (const slice of new Set(cube.rows.map((r) => r.slice))) {
      expect(cube.rows.filter((r) => r.slice === slice).reduce((n, r) => n + r.persons, 0), slice).toBe(c.truth.persons.total);
    }
    expect(Math.min(...cube.rows.map((r) => r.persons))).toBeGreaterThanOrEqual(5);
    expect(lines.join("\n")).toContain("按统计表读取");
  }, 60_000);

  test("the units and persons_cube loaders publish a county's form", () => {
    const c = corpus.find((x) => x.id.startsWith("h-"))!;
    const env = {...process.env, DPF_CITY_WORKBOOK: paths.get(c.id)!.join(",")};
    const units = spawnSync("npx", ["tsx", "src/data/units.arrow.ts"], {cwd: root, env, maxBuffer: 1 << 26});
    expect(String(units.stderr)).not.toContain("导入失败");
    expect(units.status).toBe(0);
    const table = tableFromIPC(units.stdout);
    expect(table.toArray().filter((u) => u.level === "community")).toHaveLength(c.truth.communities);
    const cube = spawnSync("npx", ["tsx", "src/data/persons_cube.arrow.ts"], {cwd: root, env, maxBuffer: 1 << 26});
    expect(cube.status).toBe(0);
    const rows = tableFromIPC(cube.stdout).toArray();
    expect(rows.filter((r) => r.slice === "category").reduce((n, r) => n + r.persons, 0)).toBe(c.truth.persons.total);
  }, 120_000);

  test("a mapping file named in dpf.config.yaml applies to the build", async () => {
    const c = corpus.find((x) => x.id.startsWith("b-"))!;
    const plain = await importWorkbook(configFor(c.id), () => {});
    const signature = plain.import!.office!.sheets.find((s) => s.signature)!.signature!;
    const mappingPath = join(dir, "mapping.json");
    writeFileSync(mappingPath, mappingFileText({[signature]: {常住人口: null}}));
    const mapped = await importWorkbook(configFor(c.id, {mapping: mappingPath}), () => {});
    expect(plain.units.find((u) => u.level === "community")!.residents).toBeGreaterThan(0);
    expect(mapped.units.filter((u) => u.level === "community").every((u) => u.residents === 0)).toBe(true);
    writeFileSync(mappingPath, "{}");
    await expect(importWorkbook(configFor(c.id, {mapping: mappingPath}), () => {})).rejects.toThrow(/列对应文件格式不对/);
  }, 60_000);

  test("a briefing of a counts city counts from its counts, and says which view its columns cannot answer", async () => {
    const c = corpus.find((x) => x.id.startsWith("a-"))!;
    const city = await importWorkbook(configFor(c.id), () => {});
    const published = {...cityOf(city.units, city.persons), cube: city.cube!.rows};
    const db = await openCityDatabase(published);
    try {
      const briefing = await computeBriefing("t", {title: "统计表简报", scenarios: ["demonstration-2030"], gaps: [{indicator: "screening", level: "street", year: 2026, top: 5}, {indicator: "archive", level: "street", year: 2026, top: 5}], figures: []}, {db, city: published, figures: loadFigureRows(), markdown: ""});
      const [screening, archive] = briefing.gaps;
      // The form gives 已筛查 for every community: every person is counted.
      expect(screening!.total.eligible).toBe(c.truth.persons.total);
      expect(screening!.cannot_answer_zh).toBeNull();
      // It gives no 有康复需求: the archive rate cannot be computed, and the briefing says so instead of showing 0.
      expect(archive!.cannot_answer_zh).toMatch(/康复需求/);
      expect(offlineBriefingHtml(briefing)).toContain(`${archive!.label_zh}无法计算：`);
    } finally {
      db.close();
    }
  }, 60_000);
});
