import {readdirSync, readFileSync, statSync} from "node:fs";
import {join, relative} from "node:path";
import {describe, expect, it} from "vitest";
import {loadParameters, repoRoot} from "../../loaders/parameters/loadParameters.js";
import {kindOf, programmeKindNames, programmeKinds} from "../../src/engine/programmeKinds/index.js";
import {parameterIds, programmeParameterIds, programmes} from "../../src/engine/programmes.js";
import {baselineScenario} from "../../src/engine/scenario.js";
import {computeLevers, scenarioParameters} from "../../src/engine/scenarioLevers.js";
import {parameterSetFromRows, yearValue} from "../../src/engine/scenarioParameters.js";

// Each programme kind is one block (src/engine/programmeKinds/): these check that the blocks and the
// programmes agree, so a parameter a programme names is never silently left out of its cost.

const committed = loadParameters();
const base = parameterSetFromRows(committed);
const scenario = baselineScenario();
const year = scenario.years[0]!;

describe("the programme kinds", () => {
  it("have a block each, with its parameters, counting, levers, cost steps and formula", () => {
    expect(programmeKindNames.length).toBeGreaterThan(0);
    for (const kind of programmeKindNames) {
      const block = programmeKinds[kind];
      expect(block.roles.length, kind).toBeGreaterThan(0);
      for (const part of [block.grows, block.baseSelect, block.levers, block.formula_zh]) expect(typeof part, kind).toBe("function");
      const cost = block.cost;
      if ("linear" in cost) expect([cost.linear.beneficiaries, cost.linear.covered].every((sql) => sql.length > 0), kind).toBe(true);
      else expect([cost.families.community.steps.length, cost.families.city.steps.length].every((n) => n > 0), kind).toBe(true);
    }
    // Every kind is in use, so every block is exercised by the scenario tests.
    expect(new Set(programmes.map((p) => p.kind))).toEqual(new Set(programmeKindNames));
  });

  it.each(programmes.map((p) => p.id))("%s names only parameters its kind prices with, and each one moves its levers", (id) => {
    const prog = programmes.find((p) => p.id === id)!;
    const block = kindOf(prog);
    for (const role of Object.keys(prog.parameters)) expect(block.roles, `${id}: ${role}`).toContain(role);
    const levers = (s: typeof scenario) => {
      const lever = computeLevers(scenarioParameters(base, s).parameters, s, [prog]).programmes[0]!;
      return [lever.price, lever.running, lever.share, lever.target];
    };
    const before = levers(scenario);
    for (const parameter of programmeParameterIds(prog)) {
      // Halve the value in force (a share stays within 0–1): the levers must see the change.
      const changed = {...scenario, overrides: {[parameter]: yearValue(base.get(parameter)!, year) / 2}};
      expect(levers(changed), `${id}: ${parameter}`).not.toEqual(before);
    }
  });

  it("write a formula naming every parameter each programme reads", () => {
    for (const prog of programmes) for (const id of programmeParameterIds(prog)) expect(prog.formula_zh, prog.id).toContain(`{${id}}`);
  });
});

describe("parameter ids", () => {
  const ids = new Set(committed.map((r) => r.id));

  it("of the one table (parameterIds) are committed parameters, or the prefix of some", () => {
    const prefixes: readonly string[] = [parameterIds.fundingShares, parameterIds.nationalTargets];
    for (const [name, id] of Object.entries(parameterIds)) {
      if (typeof id !== "string") continue;
      if (prefixes.includes(id)) expect([...ids].some((x) => x.startsWith(`${id}.`)), name).toBe(true);
      else expect(ids.has(id), `${name}: ${id}`).toBe(true);
    }
  });

  it("appear as literals in programmes.ts only, not in the engine's other modules, the components or the loaders", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const path = join(dir, f);
        return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
      });
    const folders = ["src/engine", "src/components", "loaders"].map((d) => join(repoRoot, d));
    const found = folders.flatMap(files).flatMap((file) => {
      if (relative(repoRoot, file) === join("src", "engine", "programmes.ts")) return [];
      // Code lines only: a doc comment's example may name an id.
      const code = readFileSync(file, "utf8").split("\n").filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)).join("\n");
      return [...code.matchAll(/["'`]((?:target|assumption|subsidy|funding|allowance|stipend|grant|medical|cost)\.[a-z0-9_.]+)/g)].map((m) => `${relative(repoRoot, file)}: ${m[1]}`);
    });
    expect(found).toEqual([]);
  });
});
