import {createHash} from "node:crypto";
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {Manifest} from "../../loaders/publish/downloads.js";
import {readZip} from "../../loaders/publish/zip.js";
import {openSite, screenshot, visit, type Site} from "./harness.js";

const downloads = join("dist", "data", "downloads");
const manifest = JSON.parse(readFileSync(join(downloads, "manifest.json"), "utf-8")) as Manifest;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("the built downloads (dist/data/downloads)", () => {
  test("every file the manifest lists exists, with the size and SHA-256 it states", () => {
    const files = manifest.datasets.flatMap((d) => d.files);
    expect(files.length).toBeGreaterThanOrEqual(manifest.datasets.length * 5);
    for (const f of files) {
      const path = join(downloads, f.path);
      expect(existsSync(path), f.path).toBe(true);
      const bytes = readFileSync(path);
      expect(bytes.length, f.path).toBe(f.bytes);
      expect(sha256(bytes), f.path).toBe(f.sha256);
    }
  });

  test("SHA256SUMS.txt checks every file and the manifest itself, as `sha256sum -c` would", () => {
    const lines = readFileSync(join(downloads, "SHA256SUMS.txt"), "utf-8").trim().split("\n");
    expect(lines.length).toBe(manifest.datasets.reduce((s, d) => s + d.files.length, 0) + 1);
    for (const line of lines) {
      const [hash, path] = line.split("  ");
      expect(sha256(readFileSync(join(downloads, path!))), path).toBe(hash);
    }
  });

  test("downloads.zip holds the same bytes as the files served beside it", () => {
    const archive = readZip(readFileSync(join("dist", "data", "downloads.zip")));
    for (const [path, bytes] of archive) expect(sha256(bytes), path).toBe(sha256(readFileSync(join(downloads, path))));
  });

  test("the demo city is marked synthetic and its person-level file is published only because it is", () => {
    expect(manifest.city.synthetic).toBe(true);
    const persons = manifest.datasets.find((d) => d.name === "persons");
    expect(persons?.synthetic).toBe(true);
    for (const d of manifest.datasets.filter((d) => d.synthetic !== null)) expect(d.synthetic).toBe(true);
  });
});

describe("the 数据与下载 page", () => {
  let site: Site;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(async () => site?.close());

  test("lists every dataset with its rows, version, files and checksums, and each codebook, with no error and no request off the site", async () => {
    const {page, consoleErrors, externalRequests} = await visit(site, "data", {waitFor: "table.downloads-table"});
    expect(await page.title()).toContain("数据与下载");
    for (const d of manifest.datasets) {
      const row = page.locator(`tr[data-dataset="${d.name}"]`);
      await expect(row.textContent()).resolves.toContain(d.title.zh);
      expect(await row.textContent()).toContain(d.version);
      expect(await row.locator("a.download-link").count()).toBe(5);
      expect(await row.textContent()).toContain(d.files[0]!.sha256.slice(0, 12));
      expect(await page.locator(`details[data-codebook="${d.name}"] tbody tr`).count()).toBe(d.fields.length);
      expect(await page.locator(`li[data-citation="${d.name}"]`).textContent()).toContain(d.citation.zh);
    }
    expect(await page.textContent("#observablehq-main")).toContain("小数抑制");
    await page.locator("details[data-codebook='persons_summary']").evaluate((el) => ((el as HTMLDetailsElement).open = true));
    await screenshot(page, "publish-data-page");
    expect(consoleErrors).toEqual([]);
    expect(externalRequests).toEqual([]);
    await page.close();
  });

  test("a download link saves the file the manifest describes, byte for byte", async () => {
    const {page, consoleErrors} = await visit(site, "data", {waitFor: "table.downloads-table"});
    for (const [dataset, format] of [["persons_summary", "csv"], ["figures", "xlsx"], ["units", "parquet"]] as const) {
      const file = manifest.datasets.find((d) => d.name === dataset)!.files.find((f) => f.format === format)!;
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(`tr[data-dataset="${dataset}"] a[data-format="${format}"]`)]);
      expect(download.suggestedFilename()).toBe(`${dataset}.${format}`);
      const saved = readFileSync((await download.path())!);
      expect(sha256(saved)).toBe(file.sha256);
    }
    const [zip] = await Promise.all([page.waitForEvent("download"), page.click("a[data-format='zip']")]);
    expect(readZip(readFileSync((await zip.path())!)).has("manifest.json")).toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
