/**
 * npm run fixtures:office [-- --big N --out DIR]
 *
 * Writes the office corpus (tests/fixtures/office/corpus.ts) under tests/fixtures/office/<id>/: each
 * case's files and its truth.json. The outputs are committed; tests/fixtures/office/corpus.test.ts checks
 * that regenerating gives the same bytes. With --big N, writes instead the N-community workbook (case g,
 * never committed) and its truth.json to DIR (default tmp/office-big) for the benchmark.
 */
import {mkdirSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {bigCountsWorkbook, officeCorpus, type OfficeCase} from "../tests/fixtures/office/corpus.js";
import {officeFixturesDir, truthJson} from "../tests/fixtures/office/files.js";

const {values} = parseArgs({options: {big: {type: "string"}, out: {type: "string", default: "tmp/office-big"}}, strict: true});

function writeCase(dir: string, c: OfficeCase): void {
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  for (const f of c.files) writeFileSync(join(dir, f.name), f.bytes);
  writeFileSync(join(dir, "truth.json"), truthJson(c));
}

if (values.big) {
  const c = await bigCountsWorkbook(Number(values.big));
  writeCase(values.out, c);
  console.log(`${c.id}: ${c.truth.communities} communities written to ${values.out}`);
} else {
  for (const c of await officeCorpus()) {
    writeCase(join(officeFixturesDir, c.id), c);
    console.log(`${c.id}: ${c.files.map((f) => `${f.name} (${f.bytes.length.toLocaleString("en-US")} B)`).join(", ")}`);
  }
}
