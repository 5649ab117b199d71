import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {describe, expect, test} from "vitest";

/** Reliability (issue 9): a loader that fails midway leaves no half-written output behind. */

const tsx = resolve("node_modules", ".bin", "tsx");
const run = (file: string) => spawnSync(tsx, [file], {encoding: "buffer", maxBuffer: 64 * 1024 * 1024});

interface Loader {
  load(): Promise<string>;
}
type LoaderResolverClass = new (options: {root: string; interpreters?: Record<string, string[]>}) => {find(path: string): Loader | undefined};

describe("a data loader that fails midway", () => {
  test("leaves no output in Framework's cache (and so none in dist/): the partial bytes never reach the file's path", async () => {
    const root = mkdtempSync(join(tmpdir(), "dpf-loader-"));
    try {
      mkdirSync(join(root, "data"));
      // Writes half a CSV, then fails: what a crashed loader looks like from outside.
      writeFileSync(join(root, "data", "broken.csv.js"), 'process.stdout.write("a,b\\r\\n1,");\nsetTimeout(() => { throw new Error("disk gone"); }, 50);\n');
      const modulePath = resolve("node_modules", "@observablehq", "framework", "dist", "loader.js");
      const {LoaderResolver} = (await import(modulePath)) as {LoaderResolver: LoaderResolverClass};
      const loader = new LoaderResolver({root}).find("/data/broken.csv")!;
      await expect(loader.load()).rejects.toThrow(/exited with code 1/);
      expect(existsSync(join(root, ".observablehq", "cache", "data", "broken.csv"))).toBe(false);
      const left = readdirSync(join(root, ".observablehq", "cache", "data"));
      expect(left.every((f) => f.endsWith(".err"))).toBe(true); // Framework keeps the failed run's bytes under another name only
    } finally {
      rmSync(root, {recursive: true, force: true});
    }
  });

  test("emitDataset writes nothing when a row in the middle breaks the schema, and says which row", () => {
    const result = run("tests/publish/fixtures/invalidRowLoader.ts");
    expect(result.status).not.toBe(0);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr.toString()).toMatch(/row 2, column severity/);
  });

  test("the downloads archive is all or nothing: a dataset failing after others were encoded writes no byte", () => {
    const result = run("tests/publish/fixtures/failingArchiveLoader.ts");
    expect(result.status).not.toBe(0);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr.toString()).toContain("source file unreadable (injected)");
  }, 180_000);
});
