import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach, describe, expect, test} from "vitest";
import {ARCHIVE_FOLDER, packageSite, siteArchive, writeAtomically} from "../../loaders/publish/packageSite.js";
import {readZip} from "../../loaders/publish/zip.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "dpf-package-"));
  mkdirSync(join(dir, "site", "data", "downloads"), {recursive: true});
  writeFileSync(join(dir, "site", "index.html"), "<!doctype html><title>残联规划沙盘</title>");
  writeFileSync(join(dir, "site", "data", "downloads", "数据.csv"), "\uFEFFa,b\r\n1,2\r\n");
  writeFileSync(join(dir, "site", "data", "downloads", "数据.csv.gz"), new Uint8Array([31, 139, 8, 0]));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

describe("npm run package", () => {
  test("gives the same bytes for the same site, whenever and however often it runs", () => {
    const first = siteArchive(join(dir, "site"));
    writeFileSync(join(dir, "site", "index.html"), readFileSync(join(dir, "site", "index.html"))); // new mtime, same content
    expect(Buffer.from(siteArchive(join(dir, "site"))).equals(Buffer.from(first))).toBe(true);
  });

  test("puts every file under one folder with a SHA256SUMS that `sha256sum -c` accepts", () => {
    packageSite(join(dir, "site"), join(dir, "dist.zip"));
    const entries = readZip(readFileSync(join(dir, "dist.zip")));
    expect([...entries.keys()]).toEqual([`${ARCHIVE_FOLDER}/data/downloads/数据.csv`, `${ARCHIVE_FOLDER}/data/downloads/数据.csv.gz`, `${ARCHIVE_FOLDER}/index.html`, `${ARCHIVE_FOLDER}/SHA256SUMS`]);
    execFileSync("unzip", ["-q", join(dir, "dist.zip"), "-d", join(dir, "out")]);
    expect(execFileSync("sha256sum", ["-c", "SHA256SUMS"], {cwd: join(dir, "out", ARCHIVE_FOLDER), encoding: "utf-8"})).toContain("index.html: OK");
  });

  test("refuses a folder that holds no built site and leaves no file behind", () => {
    expect(() => packageSite(join(dir, "nothing"), join(dir, "dist.zip"))).toThrow(/no built site/);
    expect(existsSync(join(dir, "dist.zip"))).toBe(false);
  });

  test("a write that fails midway (after the bytes are written, at the rename) leaves neither the target nor a partial file", () => {
    const target = join(dir, "dist.zip");
    mkdirSync(join(target, "occupied"), {recursive: true}); // a non-empty folder where the file should go: rename fails
    expect(() => writeAtomically(target, new Uint8Array([1, 2, 3]))).toThrow();
    expect(readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
    expect(readdirSync(target)).toEqual(["occupied"]);
  });
});
