import {readFileSync} from "node:fs";
import {parse as parseYaml} from "yaml";
import {expect, test} from "vitest";
import {latestParameterValues} from "../../loaders/demoCity/calibration.js";
import {ASSUMED, citySize, defaultConfigPath, demoCityConfig, registeredShare} from "../../loaders/demoCity/config.js";
import {config} from "./fixtures.js";

/** Every value of the config that carries a provenance, with its key path. */
function sourcedValues(node: unknown, path = ""): {path: string; source: string; quote?: string; row?: string; reason?: string}[] {
  if (node === null || typeof node !== "object") return [];
  const here = "source" in node ? [{path, ...(node as {source: string})}] : [];
  return [...here, ...Object.entries(node).flatMap(([k, v]) => sourcedValues(v, path ? `${path}.${k}` : k))];
}

const sourceText = (file: string) => readFileSync(new URL(`../../data/${file.endsWith(".csv") ? "reference" : "sources"}/${file}`, import.meta.url), "utf8");

test("every sourced number of the demo-city config quotes its source exactly, in the row it names", () => {
  const sourced = sourcedValues(config).filter((v) => v.source !== ASSUMED);
  expect(sourced.length).toBeGreaterThan(10);
  for (const v of sourced) {
    const text = sourceText(v.source);
    expect(text, `${v.path}: quote not found in ${v.source}`).toContain(v.quote);
    if (v.row) {
      const cells = v.row.split(",");
      const line = text.split("\n").find((l) => cells.every((c) => l.includes(c)) && l.includes(v.quote!));
      expect(line, `${v.path}: no row of ${v.source} holds ${v.row} and the quote`).toBeDefined();
    }
  }
});

test("every assumed number says why it was chosen", () => {
  for (const v of sourcedValues(config).filter((v) => v.source === ASSUMED)) expect(v.reason, v.path).toMatch(/\S{3,}/);
});

test("a config with an assumed rate and no reason, or shares not adding up to 1, is refused with the key", () => {
  const raw = parseYaml(readFileSync(defaultConfigPath, "utf8"));
  delete raw.persons.registration_rate.reason;
  raw.persons.grades["1"].value = 0.5;
  const issues = demoCityConfig.safeParse(raw).error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  expect(issues).toContain("persons.registration_rate: an assumed value needs a reason");
  expect(issues.some((i) => i.startsWith("persons.grades: grade shares add up to 1.3600"))).toBe(true);
});

test("every service names a parameter that exists in data/parameters", () => {
  const values = latestParameterValues();
  for (const [name, model] of Object.entries(config.services)) if (model.parameter) expect(values.has(model.parameter), `${name} → ${model.parameter}`).toBe(true);
});

test("the default city has 1.2 million residents, 600 communities and registered persons at 4.8% × 0.45 of residents", () => {
  expect(registeredShare(config)).toBeCloseTo(0.0216, 10);
  expect(citySize(config)).toEqual({residents: 1_200_000, communities: 600, persons: 25_920});
});

test("asking for more persons grows the city so that registered persons keep their share of residents", () => {
  const size = citySize(config, {persons: 10_000_000});
  expect(size.persons).toBe(10_000_000);
  expect(size.persons / size.residents).toBeCloseTo(registeredShare(config), 6);
  expect(size.communities).toBe(Math.round((600 * 10_000_000) / 25_920));
});

test("--units fixes the number of communities whatever the number of persons", () => {
  expect(citySize(config, {persons: 50_000, units: 120})).toMatchObject({persons: 50_000, communities: 120});
  expect(citySize(config, {units: 1200})).toMatchObject({communities: 1200, residents: 2_400_000, persons: 51_840});
});

test("a size request the hierarchy cannot hold is refused", () => {
  expect(() => citySize(config, {units: 3})).toThrow(/fewer than the 6 districts/);
  expect(() => citySize(config, {persons: 0})).toThrow(/positive integer/);
  expect(() => citySize(config, {persons: 1.5})).toThrow(/positive integer/);
});
