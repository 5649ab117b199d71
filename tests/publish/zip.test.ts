import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, test} from "vitest";
import {normaliseZipTimes, readZip, zipArchive} from "../../loaders/publish/zip.js";

const text = (s: string) => new TextEncoder().encode(s);

describe("deterministic ZIP", () => {
  test("the same entries give the same bytes, and reading them back gives the entries", () => {
    const entries = [{name: "a/"}, {name: "a/说明.txt", data: text("示例市 ".repeat(200))}, {name: "b.bin", data: new Uint8Array([1, 2, 3])}, {name: "empty.txt", data: new Uint8Array()}];
    const first = zipArchive(entries);
    expect(zipArchive(entries)).toEqual(first);
    const read = readZip(first);
    expect([...read.keys()]).toEqual(["a/", "a/说明.txt", "b.bin", "empty.txt"]);
    expect(new TextDecoder().decode(read.get("a/说明.txt"))).toBe("示例市 ".repeat(200));
    expect([...read.get("b.bin")!]).toEqual([1, 2, 3]);
  });

  test("the system unzip accepts the archive (CRCs, UTF-8 names, folders)", () => {
    const dir = mkdtempSync(join(tmpdir(), "dpf-zip-"));
    try {
      writeFileSync(join(dir, "x.zip"), zipArchive([{name: "d/"}, {name: "d/数据.csv", data: text("a,b\r\n1,2\r\n")}]));
      expect(execFileSync("unzip", ["-t", join(dir, "x.zip")], {encoding: "utf-8"})).toContain("No errors detected");
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  test("normalising timestamps changes only the time fields, so an archive stamped at any time gives one result", () => {
    const archive = zipArchive([{name: "x.txt", data: text("hello")}]);
    const stamped = Buffer.from(archive);
    stamped.writeUInt16LE(0x6b3a, 10); // local header time
    stamped.writeUInt16LE(0x5a21, 12); // local header date
    const central = stamped.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    stamped.writeUInt16LE(0x6b3a, central + 12);
    stamped.writeUInt16LE(0x5a21, central + 14);
    expect(Buffer.from(archive).equals(stamped)).toBe(false);
    expect(normaliseZipTimes(new Uint8Array(stamped))).toEqual(archive);
    expect(() => normaliseZipTimes(text("not a zip"))).toThrow(/not a ZIP/);
  });

  test("a corrupted entry is refused with its name", () => {
    const archive = Buffer.from(zipArchive([{name: "x.txt", data: new Uint8Array([1, 2, 3, 4])}]));
    archive[30 + "x.txt".length] ^= 0xff; // first data byte (stored: deflate does not shrink 4 bytes)
    expect(() => readZip(new Uint8Array(archive))).toThrow(/x\.txt: CRC mismatch/);
  });
});
