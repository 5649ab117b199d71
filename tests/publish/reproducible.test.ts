import {spawn} from "node:child_process";
import {createHash} from "node:crypto";
import {readdirSync} from "node:fs";
import {join, relative, resolve} from "node:path";
import {describe, expect, test} from "vitest";

/**
 * Reproducibility (issue 9): every data loader of the site, run twice from the same inputs — the second
 * time in another time zone and locale, as on another machine — writes byte-identical files.
 */

const root = resolve(".");
const tsx = join(root, "node_modules", ".bin", "tsx");
const outputExtensions = /\.(parquet|arrow|json|csv|xlsx|zip|txt)\.(ts|js)$/;

/** Values of each route parameter, for Framework's parameterized loaders (`[briefing].json.ts`). */
const parameterValues: Record<string, () => string[]> = {
  briefing: () => readdirSync(join(root, "data", "briefings")).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -".yaml".length)),
};

interface LoaderRun {
  loader: string;
  args: string[];
}

/** Every data loader under src/ with the arguments Framework would pass it. */
function loaderRuns(): LoaderRun[] {
  const files = readdirSync(join(root, "src"), {recursive: true, encoding: "utf-8"})
    .filter((f) => !f.startsWith(".observablehq") && outputExtensions.test(f))
    .sort();
  return files.flatMap((file): LoaderRun[] => {
    const params = [...file.matchAll(/\[([a-z_]\w*)\]/gi)].map((m) => m[1]!);
    if (!params.length) return [{loader: file, args: []}];
    if (params.length > 1 || !parameterValues[params[0]!]) throw new Error(`${file}: add the values of [${params.join("], [")}] to parameterValues`);
    return parameterValues[params[0]!]!().map((value) => ({loader: file, args: [`--${params[0]}=${value}`]}));
  });
}

/** Runs a loader as Framework does (tsx, output on stdout) and returns the SHA-256 of what it wrote. */
function runLoader({loader, args}: LoaderRun, env: Record<string, string>): Promise<{sha256: string; bytes: number}> {
  return new Promise((done, fail) => {
    const child = spawn(tsx, [join("src", loader), ...args], {cwd: root, env: {...process.env, ...env}, stdio: ["ignore", "pipe", "pipe"]});
    const hash = createHash("sha256");
    let bytes = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (hash.update(chunk), (bytes += chunk.length)));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? done({sha256: hash.digest("hex"), bytes}) : fail(new Error(`${loader} ${args.join(" ")} exited ${code}:\n${stderr.slice(-2000)}`))));
  });
}

describe("two builds of the data files from the same inputs", () => {
  test("are byte-identical, loader by loader, even in another time zone and locale", async () => {
    const runs = loaderRuns();
    expect(runs.map((r) => r.loader)).toEqual(expect.arrayContaining(["data/downloads.zip.ts", "briefings/[briefing].json.ts"]));
    const differing: string[] = [];
    for (const run of runs) {
      // The two builds side by side: two processes at a time on the CI's two cores.
      const [first, second] = await Promise.all([
        runLoader(run, {TZ: "UTC", LANG: "C.UTF-8", LC_ALL: "C.UTF-8"}),
        runLoader(run, {TZ: "Asia/Shanghai", LANG: "zh_CN.UTF-8", LC_ALL: "zh_CN.UTF-8"}),
      ]);
      expect(first.bytes, `${run.loader} wrote nothing`).toBeGreaterThan(0);
      if (first.sha256 !== second.sha256) differing.push(`${relative(root, join("src", run.loader))} ${run.args.join(" ")}`);
    }
    expect(differing).toEqual([]);
  }, 1_800_000);
});
