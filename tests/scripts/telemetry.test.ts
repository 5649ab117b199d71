import {spawn, spawnSync} from "node:child_process";
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {createServer} from "node:net";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

/**
 * Observable Framework sends telemetry from `observable build` and `observable preview` (a device id kept
 * in ~/.observablehq, a hash of the git remote, CPU, memory, OS) unless OBSERVABLE_TELEMETRY_DISABLE is
 * set. `unshare -n` would only hide a failed POST, so these tests run Framework with a probe preloaded
 * (tests/fixtures/netprobe/probe.mjs) that records every attempt to reach another host, in a fresh HOME,
 * on a one-page project. The control run shows the probe sees Framework's telemetry when it is on.
 */

const root = join(import.meta.dirname, "..", "..");
const probe = join(root, "tests", "fixtures", "netprobe", "probe.mjs");
const frameworkBin = join(root, "node_modules", "@observablehq", "framework", "dist", "bin", "observable.js");
const wrapper = join(root, "scripts", "observable.mjs");
const work = mkdtempSync(join(tmpdir(), "dpf-telemetry-"));
afterAll(() => rmSync(work, {recursive: true, force: true}));

// Framework resolves the libraries its client names from the npm registry unless the project's npm
// cache holds them: fill one from node_modules, as `npm run build` does, and copy it into each project.
const npmCache = join(work, "npm-cache");
beforeAll(() => {
  const result = spawnSync(join(root, "node_modules", ".bin", "tsx"), [join(root, "scripts", "vendorNpm.ts")], {env: {...process.env, DPF_NPM_CACHE: npmCache}, encoding: "utf-8"});
  expect(result.status, result.stderr).toBe(0);
});

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

/** A one-page Framework project and a fresh HOME; returns their paths and the probe's log file. */
function freshProject(name: string): {project: string; home: string; log: string; env: NodeJS.ProcessEnv} {
  const project = join(work, name);
  const home = join(work, `${name}-home`);
  mkdirSync(join(project, "src"), {recursive: true});
  mkdirSync(home, {recursive: true});
  writeFileSync(join(project, "src", "index.md"), "# 测试页\n\n没有代码的一页。\n");
  cpSync(npmCache, join(project, "src", ".observablehq", "cache", "_npm"), {recursive: true});
  writeFileSync(join(project, "observablehq.config.js"), `export default {root: "src", title: "测试"};\n`);
  const log = join(work, `${name}.log`);
  const env: NodeJS.ProcessEnv = {...process.env, HOME: home, NETPROBE_LOG: log, NODE_OPTIONS: `--import=${probe}`};
  delete env.OBSERVABLE_TELEMETRY_DISABLE;
  delete env.CI; // Framework sends telemetry in CI as well; make sure CI=true is not what keeps it quiet
  return {project, home, log, env};
}

const attempts = (log: string): string[] => (existsSync(log) ? readFileSync(log, "utf-8").trim().split("\n").filter(Boolean) : []);

describe("Framework's telemetry", () => {
  it("control: run as it comes, `observable build` keeps a device id in HOME and tries to reach Observable", () => {
    const {project, home, log, env} = freshProject("control");
    const result = spawnSync(process.execPath, [frameworkBin, "build"], {cwd: project, env, encoding: "utf-8", timeout: 60_000});
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(home, ".observablehq"))).toBe(true);
    expect(attempts(log).join("\n")).toMatch(/observablehq\.com/);
  });

  it("scripts/observable.mjs build: no telemetry id written and no host but this machine contacted", () => {
    const {project, home, log, env} = freshProject("build");
    const result = spawnSync(process.execPath, [wrapper, "build"], {cwd: project, env, encoding: "utf-8", timeout: 60_000});
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(project, "dist", "index.html"))).toBe(true);
    expect(existsSync(join(home, ".observablehq"))).toBe(false);
    expect(attempts(log)).toEqual([]);
  });

  it("scripts/observable.mjs preview: serves a page with no telemetry id and no outside contact", async () => {
    const {project, home, log, env} = freshProject("preview");
    const port = await freePort();
    const child = spawn(process.execPath, [wrapper, "preview", "--host", "127.0.0.1", "--port", String(port), "--no-open"], {cwd: project, env});
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`preview did not start: ${out}`)), 30_000);
        const onData = (data: Buffer) => {
          out += data.toString();
          const match = new RegExp(`http://127\\.0\\.0\\.1:${port}/`).exec(out.replace(/\x1b\[[0-9;]*m/g, ""));
          if (match) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("测试页");
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    expect(existsSync(join(home, ".observablehq"))).toBe(false);
    expect(attempts(log)).toEqual([]);
  });

  it("every npm script and test that runs Framework goes through scripts/observable.mjs", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf-8")) as {scripts: Record<string, string>};
    const framework = Object.entries(pkg.scripts).filter(([, command]) => /\bobservable\b|observable\.mjs/.test(command));
    expect(framework.map(([name]) => name).sort()).toEqual(expect.arrayContaining(["build", "dev"]));
    for (const [name, command] of framework) {
      for (const step of command.split("&&").map((s) => s.trim())) {
        if (/\bobservable\s+(build|preview|deploy)\b/.test(step)) expect.fail(`script ${name} runs Framework without scripts/observable.mjs: ${step}`);
      }
    }
    const grep = spawnSync("grep", ["-rnE", String.raw`\.bin["/, ]+"?observable\b|framework/dist/bin/observable`, "tests", "bench", "scripts", "loaders", "--include=*.ts", "--include=*.mjs"], {cwd: root, encoding: "utf-8"});
    const offenders = grep.stdout.split("\n").filter((line) => line && !line.startsWith("tests/scripts/telemetry.test.ts") && !line.startsWith("scripts/observable.mjs"));
    expect(offenders).toEqual([]);
  });
});
