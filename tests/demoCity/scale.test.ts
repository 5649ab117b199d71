import {execFileSync, spawnSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {afterAll, expect, test} from "vitest";
import {openCity} from "../../loaders/demoCity/calibration.js";
import {scratchDir} from "./fixtures.js";

const scratch = scratchDir();
afterAll(scratch.cleanup);
const root = new URL("../../", import.meta.url);

/** Runs the CLI as `npm run demo-city -- …` does; returns its JSON report. */
function cli(args: string[]) {
  const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/demoCity.ts", ...args], {cwd: root, encoding: "utf8"});
  return JSON.parse(out) as {size: {persons: number; communities: number; residents: number}; files: {name: string; bytes: number}[]};
}

test("--persons 5000 writes exactly 5000 person rows to Parquet and to Arrow, and the two hold the same rows", async () => {
  const dir = join(scratch.dir, "p5000");
  const report = cli(["--persons", "5000", "--out", dir]);
  expect(report.size.persons).toBe(5000);
  expect(report.files.map((f) => f.name)).toEqual(["units.parquet", "units.arrow", "persons.parquet", "persons.arrow"]);
  const db = await openCity(dir);
  try {
    const [r] = await db.query<{n: number; ids: number; screened: number}>("SELECT count(*) AS n, sum(person_id) AS ids, count(*) FILTER (WHERE screened) AS screened FROM persons");
    expect(r.n).toBe(5000);
    const arrow = tableFromIPC(readFileSync(join(dir, "persons.arrow")));
    expect(arrow.numRows).toBe(5000);
    const ids = arrow.getChild("person_id")!.toArray() as Int32Array;
    expect(ids.reduce((a, b) => a + b, 0)).toBe(r.ids);
    expect([...arrow.getChild("screened")!].filter((v) => v === true).length).toBe(r.screened);
    const [u] = await db.query<{n: number}>("SELECT count(*) AS n FROM units");
    expect(tableFromIPC(readFileSync(join(dir, "units.arrow"))).numRows).toBe(u.n);
  } finally {
    db.close();
  }
});

test("--units fixes the number of communities and --seed changes the city", async () => {
  const a = cli(["--persons", "3000", "--units", "50", "--format", "parquet", "--out", join(scratch.dir, "u50")]);
  const b = cli(["--persons", "3000", "--units", "50", "--format", "parquet", "--seed", "7", "--out", join(scratch.dir, "u50s7")]);
  expect(a.size.communities).toBe(50);
  const db = await openCity(join(scratch.dir, "u50"));
  try {
    const [r] = await db.query<{communities: number; persons: number}>("SELECT (SELECT count(*) FROM units WHERE level = 'community') AS communities, (SELECT count(*) FROM persons) AS persons");
    expect(r).toEqual({communities: 50, persons: 3000});
  } finally {
    db.close();
  }
  expect(readFileSync(join(scratch.dir, "u50s7", "persons.parquet")).equals(readFileSync(join(scratch.dir, "u50", "persons.parquet")))).toBe(false);
  expect(b.files.map((f) => f.name)).toEqual(["units.parquet", "persons.parquet"]);
});

test("a bad option stops the CLI with a message naming it", () => {
  const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/demoCity.ts", ...args, "--out", join(scratch.dir, "bad")], {cwd: root, encoding: "utf8"});
  expect(run(["--persons", "ten"])).toMatchObject({status: 2, stderr: expect.stringContaining("--persons must be a whole number")});
  expect(run(["--format", "csv"])).toMatchObject({status: 2, stderr: expect.stringContaining("--format takes parquet and/or arrow")});
});
