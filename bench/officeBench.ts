/**
 * npm run bench:office   the office-PC profile alone (bench/lib/officeProfile.ts) on the built dist/
 *
 * 4 Mbit/s, 100 ms, CPU 4×: each page cold and on a repeat visit, served by scripts/serve.ts. Writes
 * bench/results/office-latest.json and office-latest.md and prints the table. `npm run bench` runs the
 * same profile on its own build (results.office in latest.json). Needs a built dist/.
 */
import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {serveStatic} from "../scripts/serve.js";
import {chromiumVersion} from "./lib/chromium.js";
import {officeMarkdown, officeProfile, officeRun} from "./lib/officeProfile.js";
import {benchRoot, repoRoot} from "./lib/paths.js";

const {values} = parseArgs({options: {dir: {type: "string", default: join(repoRoot, "dist")}}});
if (!existsSync(join(values.dir, "index.html"))) throw new Error(`${values.dir} has no index.html: run npm run build first`);
const git = (args: string[]) => execFileSync("git", args, {cwd: repoRoot, encoding: "utf-8"}).trim();
const started = new Date();
const server = await serveStatic({dir: values.dir});
try {
  const pages = await officeRun(server, (line) => console.log(line));
  const results = {date: started.toISOString(), commit: git(["rev-parse", "HEAD"]), uncommitted: git(["status", "--porcelain"]) !== "", chromium: chromiumVersion(), profile: officeProfile, pages};
  const dir = join(benchRoot, "results");
  mkdirSync(dir, {recursive: true});
  writeFileSync(join(dir, "office-latest.json"), `${JSON.stringify(results, null, 1)}\n`);
  const md = `# Office-PC profile — ${started.toISOString().slice(0, 16)}Z, commit ${results.commit.slice(0, 7)}${results.uncommitted ? " (uncommitted changes)" : ""}\n\n${officeMarkdown(pages)}`;
  writeFileSync(join(dir, "office-latest.md"), md);
  console.log(md);
} finally {
  await server.close();
}
