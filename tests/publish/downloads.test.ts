import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, test} from "vitest";
import {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {archiveExtras, buildDownloads, downloadPaths, downloadsArchive, fileFormats, sha256, type Downloads} from "../../loaders/publish/downloads.js";
import {activePublications, publications} from "../../loaders/publish/registry.js";
import {readZip} from "../../loaders/publish/zip.js";

let downloads: Downloads;
let archive: Map<string, Uint8Array>;
beforeAll(async () => {
  downloads = await buildDownloads();
  archive = readZip(await downloadsArchive(downloads));
}, 180_000);

const csvRows = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trimEnd().split("\r\n").length - 1;

describe("the downloads of the demo city", () => {
  test("list every registered dataset (the demo city is synthetic, so persons too), marked synthetic where it is city data", () => {
    expect(downloads.manifest.datasets.map((d) => d.name)).toEqual(publications.map((p) => p.dataset.name));
    expect(downloads.manifest.city).toEqual({name: "示例市", synthetic: true});
    expect(downloads.manifest.small_cell).toMatchObject({threshold: 5, applied: false});
    // The one rule over everything published about persons, stated in the manifest (and in a real city's README).
    expect(downloads.manifest.small_cell.rule.zh).toMatch(/统一小数保护（阈值 T = 5）.*persons_cube.*persons_summary.*构建失败/);
    expect(downloads.manifest.small_cell.rule.en).toMatch(/not covered: tighter bounds only linear programming finds/);
    const units = downloads.manifest.datasets.find((d) => d.name === "units")!;
    expect(units.synthetic).toBe(true);
    expect(downloads.manifest.datasets.find((d) => d.name === "figures")!.synthetic).toBeNull();
  });

  test("give every dataset five files whose size and SHA-256 the manifest states", () => {
    for (const d of downloads.manifest.datasets) {
      expect(d.files.map((f) => f.format)).toEqual([...fileFormats]);
      for (const f of d.files) {
        const bytes = downloads.files.get(f.path)!;
        expect(bytes, f.path).toBeDefined();
        expect(bytes.length).toBe(f.bytes);
        expect(sha256(bytes)).toBe(f.sha256);
      }
    }
  });

  test("carry a version that names the package and the content, a licence and a citation with the row count", () => {
    for (const d of downloads.manifest.datasets) {
      expect(d.version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{8}$/);
      expect(d.licence).toBe("CC-BY-4.0");
      expect(d.citation.zh).toContain(`${d.rows} 行`);
      expect(d.citation.en).toContain(d.version);
    }
  });

  test("have as many CSV rows as the manifest says, and Parquet files DuckDB reads with the same count", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dpf-downloads-"));
    const db = await NodeDuckDB.open();
    try {
      for (const d of downloads.manifest.datasets) {
        expect(csvRows(downloads.files.get(`${d.name}.csv`)!), d.name).toBe(d.rows);
        const file = join(dir, `${d.name}.parquet`);
        writeFileSync(file, downloads.files.get(`${d.name}.parquet`)!);
        const [{n}] = await db.query<{n: number}>(`SELECT count(*) AS n FROM read_parquet('${file}')`);
        expect(n, d.name).toBe(d.rows);
      }
    } finally {
      db.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });

  test("persons_summary adds up to the person-level file: every synthetic person counted once", () => {
    const summary = new TextDecoder().decode(downloads.files.get("persons_summary.csv")!).trimEnd().split("\r\n");
    const column = summary[0]!.replace("\uFEFF", "").split(",").indexOf("persons");
    const total = summary.slice(1).reduce((s, line) => s + Number(line.split(",")[column]), 0);
    expect(total).toBe(downloads.manifest.datasets.find((d) => d.name === "persons")!.rows);
  });

  test("the archive holds exactly the listed files plus manifest.json, SHA256SUMS.txt and README.md, byte for byte", () => {
    const listed = downloads.manifest.datasets.flatMap((d) => d.files.map((f) => f.path));
    expect([...archive.keys()].sort()).toEqual([...listed, ...archiveExtras].sort());
    for (const path of listed) expect(sha256(archive.get(path)!)).toBe(sha256(downloads.files.get(path)!));
    const sums = new TextDecoder().decode(archive.get("SHA256SUMS.txt")).trim().split("\n");
    for (const line of sums) {
      const [hash, path] = line.split("  ");
      expect(sha256(archive.get(path!)!), path).toBe(hash);
    }
    expect(new TextDecoder().decode(archive.get("README.md"))).toContain("sha256sum -c SHA256SUMS.txt");
    expect(new TextDecoder().decode(archive.get("README.md"))).toContain(`## 小数保护规则 Disclosure control`);
    expect(new TextDecoder().decode(archive.get("README.md"))).toContain(downloads.manifest.small_cell.rule.zh);
  });

  test("the site paths are the archive and each file in it", async () => {
    const paths = await downloadPaths();
    expect(paths[0]).toBe("/data/downloads.zip");
    expect(paths.slice(1).map((p) => p.replace("/data/downloads/", "")).sort()).toEqual([...archive.keys()].sort());
  });
});

test("a real city publishes no person-level dataset", async () => {
  const names = (await activePublications({synthetic: false})).map((p) => p.dataset.name);
  expect(names).not.toContain("persons");
  expect(names).toContain("persons_summary");
});
