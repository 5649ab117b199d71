import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parse as parseYaml} from "yaml";
import {describe, expect, it} from "vitest";
import {encodeDataset} from "../../loaders/emit.js";
import {loadParameters, ParameterValidationError, readParameterDir, repoRoot, type ParameterProblem} from "../../loaders/parameters/loadParameters.js";
import type {Dataset} from "../../src/schemas/column.js";
import {parameterFile, parameters} from "../../src/schemas/parameters.js";

const fixture = (name: string) => join(repoRoot, "tests/parameters/fixtures", name);

/** The problems loading a fixture folder reports (fails the test if it loads cleanly). */
function problemsOf(name: string): {problems: ParameterProblem[]; message: string} {
  try {
    loadParameters({dir: fixture(name)});
  } catch (error) {
    if (error instanceof ParameterValidationError) return {problems: error.problems, message: error.message};
    throw error;
  }
  throw new Error(`fixture ${name} loaded without problems`);
}

describe("the committed parameters", () => {
  const rows = loadParameters();
  const files = readParameterDir(join(repoRoot, "data/parameters"));

  it("every committed parameter file passes the schema and the loader's rules", () => {
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) expect(parameterFile.safeParse(parseYaml(file.text)).success, file.path).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(files.length);
  });

  it("gives one row per parameter and effective date, none dropped", () => {
    const dates = files.reduce((n, file) => n + Object.keys((parseYaml(file.text) as {values: object}).values).length, 0);
    expect(rows).toHaveLength(dates);
    expect(new Set(rows.map((r) => `${r.id}@${r.effective_date}`)).size).toBe(rows.length);
  });

  it("has every id of the README's contract table, with the contract's kind and unit", () => {
    const readme = readFileSync(join(repoRoot, "data/parameters/README.md"), "utf8");
    const contract = readme.slice(readme.indexOf("## Parameter ids the engine reads"), readme.indexOf("## All parameters"));
    const entries = [...contract.matchAll(/^\| ([a-z_]+\.[a-z0-9_.*]+) \| (\w+) \| ([^|]+) \|/gm)].map((m) => ({id: m[1], kind: m[2], unit: m[3].trim()}));
    expect(entries.length).toBe(19);
    for (const entry of entries) {
      const matching = rows.filter((r) => (entry.id.endsWith(".*") ? r.id.startsWith(entry.id.slice(0, -1)) : r.id === entry.id));
      expect(matching.length, entry.id).toBeGreaterThan(0);
      expect(matching.some((r) => r.kind === entry.kind && entry.unit.startsWith(r.unit)), `${entry.id}: ${entry.kind}, ${entry.unit}`).toBe(true);
    }
  });

  it("keeps the contract's values: screening 0.6, dibao 390 → 450 → 684.1, medical relief 0.3 → 0.7", () => {
    const values = (id: string) => rows.filter((r) => r.id === id).map((r) => r.value);
    expect(values("target.rehab.screening_rate")).toEqual([0.6]);
    expect(values("funding.community_rehab.per_resident")).toEqual([0.3]);
    // The source documents' 2013 standards, then the newest national averages found (end of March 2021).
    expect(values("subsidy.dibao.urban_monthly")).toEqual([390, 450, 684.1]);
    expect(values("subsidy.dibao.rural_monthly")).toEqual([300, 360, 503.8]);
    expect(values("subsidy.wubao.monthly")).toEqual([350, 480]);
    expect(values("medical.relief.dibao_reimbursement_rate")).toEqual([0.6, 0.8]);
    expect(values("medical.relief.extreme_poverty_reimbursement_rate")).toEqual([0.3, 0.7]);
    expect(values("stipend.committee_member.monthly")).toEqual([70]);
  });

  it("lists exactly the committed ids in the README's table of all parameters", () => {
    const readme = readFileSync(join(repoRoot, "data/parameters/README.md"), "utf8");
    const all = readme.slice(readme.indexOf("## All parameters"));
    const listed = [...all.matchAll(/^\| ([a-z][a-z0-9_]*\.[a-z0-9_.]+) \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual([...new Set(rows.map((r) => r.id))].sort());
  });

  it("splits costs across the four funding levels with shares that sum to 1", () => {
    const shares = rows.filter((r) => r.id.startsWith("assumption.funding_share."));
    expect(shares.map((r) => r.id.split(".").pop()).sort()).toEqual(["central", "city", "district", "provincial"]);
    expect(shares.reduce((sum, r) => sum + r.value, 0)).toBeCloseTo(1, 10);
  });

  it("gives every assumption a source or a note on how it was chosen", () => {
    for (const row of rows.filter((r) => r.kind === "assumption")) {
      expect(row.note, row.id).toBeTruthy();
      if (row.source !== "assumption") expect(row.quote, row.id).toBeTruthy();
    }
  });

  it("writes byte-identical Parquet and JSON from the same files", async () => {
    const dataset = parameters as unknown as Dataset;
    const [a, b] = [await encodeDataset(dataset, loadParameters(), "parquet"), await encodeDataset(dataset, loadParameters(), "parquet")];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(await encodeDataset(dataset, rows, "json")).equals(Buffer.from(await encodeDataset(dataset, loadParameters(), "json")))).toBe(true);
  });
});

describe("a parameters folder", () => {
  it("loads good files, including a quote copied with its pinyin annotations", () => {
    const rows = loadParameters({dir: fixture("good")});
    expect(rows.map((r) => `${r.id}@${r.effective_date}=${r.value}`)).toEqual([
      "assumption.price.index_rate@2026-01-01=0.01",
      "subsidy.dibao.urban_monthly@2012-01-01=390",
      "subsidy.dibao.urban_monthly@2013-01-01=450",
      "target.community.care_point_rate@2011-12-31=0.3",
    ]);
    expect(rows.find((r) => r.id === "target.community.care_point_rate")?.quote).toBe("30%以上的社區(村)建立殘疾人托養服務點");
    expect(rows.find((r) => r.id === "assumption.price.index_rate")).toMatchObject({source: "assumption", quote: null, note: "between recent CPI growth and the CPI target", note_zh: "介于近年CPI涨幅与CPI目标之间"});
  });

  const cases: [fixture: string, file: string, key: string, rule: string][] = [
    ["missing-reference", "subsidy/dibao.urban_monthly.yaml", "references.2013-01-01", "reference-per-date"],
    ["descending-dates", "subsidy/dibao.urban_monthly.yaml", "values.2012-01-01", "dates-ascending"],
    ["period-unit", "subsidy/dibao.urban_monthly.yaml", "period", "period-unit"],
    ["unknown-source", "subsidy/dibao.urban_monthly.yaml", "references.2013-01-01.source", "unknown-source"],
    ["quote-not-found", "subsidy/dibao.urban_monthly.yaml", "references.2013-01-01.quote", "quote-in-source"],
    ["assumption-without-note", "assumption/price.index_rate.yaml", "references.2026-01-01.note", "assumption-note"],
    ["assumption-without-note-zh", "assumption/price.index_rate.yaml", "references.2026-01-01.note_zh", "assumption-note-zh"],
    ["share-out-of-range", "target/rehab.screening_rate.yaml", "values.2026-01-01", "share-range"],
    ["wrong-file-name", "subsidy/dibao.rural_monthly.yaml", "id", "file-name"],
    ["duplicate-id", "subsidy/dibao.urban_monthly.yaml", "id", "unique-id"],
    ["bad-yaml", "subsidy/dibao.urban_monthly.yaml", "(file)", "yaml-syntax"],
    ["attribute-on-standard", "subsidy/dibao.urban_monthly.yaml", "attribute", "attribute-kind"],
    ["role-without-year", "target/national.rehab_service_coverage.yaml", "references.2021-07-08.role", "role-year"],
  ];
  it.each(cases)("rejects the %s fixture, naming file, key and rule", (name, file, key, rule) => {
    const {problems, message} = problemsOf(name);
    const path = `tests/parameters/fixtures/${name}/${file}`;
    expect(problems).toContainEqual(expect.objectContaining({file: path, key, rule}));
    expect(message).toContain(`${path}: ${key}: rule ${rule}:`);
  });

  it("reports every problem of every file at once, not only the first", () => {
    const {problems} = problemsOf("duplicate-id");
    expect(problems.map((p) => p.rule).sort()).toEqual(["file-name", "unique-id"]);
  });
});
