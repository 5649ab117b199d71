import {readdirSync, readFileSync} from "node:fs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {generateDemoCity} from "../../loaders/demoCity/index.js";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadParameters} from "../../loaders/parameters/loadParameters.js";
import {readSources} from "../../loaders/sources/readSources.js";
import {budgetCap} from "../../src/engine/budgetCap.js";
import {presets} from "../../src/engine/presets.js";
import {engineParameterIds, programmeParameterIds, programmes} from "../../src/engine/programmes.js";
import {prepareModel, runScenario, totalsByYear, type Model} from "../../src/engine/runScenario.js";
import {baselineScenario, checkScenario, scenarioFromJson} from "../../src/engine/scenario.js";
import {explain} from "../../src/engine/scenarioExplain.js";
import {yearValue} from "../../src/engine/scenarioParameters.js";
import {sensitivity} from "../../src/engine/sensitivity.js";
import {fixtureDb} from "./fixtureDb.js";

// The scenario engine over the real demo city 示例市 and the committed parameters: sanity, not hand values.

let db: NodeDuckDB;
let model: Model;
beforeAll(async () => {
  const city = await generateDemoCity();
  db = await fixtureDb({units: city.units, persons: city.persons, parameters: loadParameters()});
  model = await prepareModel(db);
});
afterAll(() => db.close());

const years = baselineScenario().years;

describe("the scenario engine on the demo city", () => {
  it("finds every parameter it reads, with a value in force in every simulated year", () => {
    for (const id of engineParameterIds()) {
      const timeline = model.parameters.get(id);
      expect(timeline, id).toBeDefined();
      for (const year of years) expect(Number.isFinite(yearValue(timeline!, year)), `${id} ${year}`).toBe(true);
    }
  });

  it("places every person in a community and runs the baseline without a problem", async () => {
    expect(model.cube.orphanPersons).toBe(0);
    const result = await runScenario(db, baselineScenario(), {model});
    expect(result.problems).toEqual([]);
    for (const prog of programmes) for (const year of years) expect(result.rows.some((r) => r.programme === prog.id && r.year === year && r.level === "total"), `${prog.id} ${year}`).toBe(true);
    const totals = totalsByYear(result);
    expect(totals.every((t) => t.cost_yuan > 0 && t.delta_yuan === 0)).toBe(true);
  });

  it("pays community rehab funding of ¥0.30 for every resident", async () => {
    const result = await runScenario(db, baselineScenario(), {model});
    const rehab = result.rows.find((r) => r.programme === "community_rehab" && r.year === 2026 && r.level === "total")!;
    expect(rehab.per_resident_yuan).toBeCloseTo(0.3, 9);
  });

  // The ¥0.30 floor is the baseline's own standard, so that preset alone changes nothing.
  it.each(presets.map((p) => p.id))("preset %s raises the cost of the programmes it names and nothing else", async (id) => {
    const result = await runScenario(db, {...baselineScenario(), presets: [id]}, {model});
    expect(result.problems).toEqual([]);
    const changed = new Set(result.rows.filter((r) => r.level === "total" && Math.abs(r.delta_yuan) > 1e-6).map((r) => r.programme));
    expect(changed.size > 0, id).toBe(id !== "rehab-funding-0-30");
    for (const r of result.rows.filter((x) => x.level === "total")) expect(r.delta_yuan, `${id} ${r.programme} ${r.year}`).toBeGreaterThanOrEqual(-1e-6);
    const touched = new Set(Object.keys(presets.find((p) => p.id === id)!.changes));
    for (const programme of changed) {
      const reads = Object.values(programmes.find((p) => p.id === programme)!.parameters);
      expect(reads.some((p) => touched.has(p)) || touched.has("assumption.coverage.target_year"), `${id} changed ${programme}`).toBe(true);
    }
  });

  it("leaves every programme a preset does not price exactly at its baseline: no one newly covered, no difference", async () => {
    // A programme that reads none of the parameters a preset changes must come out equal to its
    // baseline. DuckDB sums doubles in no fixed order, and the baseline's sums are kept from the first
    // recompute, so before the engine treated rounding as no change, running the presets one after
    // another (as a planner clicks them) gave rows with 1e-14 people newly covered (rehab rooms, care
    // points) and deltas of 1e-10 yuan.
    let untouched = 0;
    for (const preset of presets) {
      const result = await runScenario(db, {...baselineScenario(), presets: [preset.id]}, {model});
      const changed = Object.keys(preset.changes);
      for (const prog of programmes.filter((p) => !programmeParameterIds(p).some((id) => changed.includes(id)))) {
        for (const r of result.rows.filter((x) => x.programme === prog.id)) {
          const where = `${preset.id}: ${r.programme} ${r.year} ${r.level}`;
          expect(r.newly_covered, where).toBe(0);
          expect(r.delta_yuan, where).toBe(0);
          expect(r.cost_per_newly_covered, where).toBeNull();
          untouched++;
        }
      }
    }
    expect(untouched).toBeGreaterThan(presets.length * years.length);
  });

  it("runs every example scenario file with no unknown ids", async () => {
    const known = {parameterIds: [...model.parameters.keys()], presetIds: presets.map((p) => p.id)};
    for (const file of readdirSync("data/scenarios").filter((f) => f.endsWith(".json"))) {
      const {scenario} = scenarioFromJson(readFileSync(`data/scenarios/${file}`, "utf8"));
      expect(checkScenario(scenario, known), file).toEqual([]);
      expect((await runScenario(db, scenario, {model})).problems, file).toEqual([]);
    }
  });

  it("keeps the budget cap, explains every programme and ranks sensitivities over real data", async () => {
    const scenario = {...baselineScenario(), presets: ["rehab-demonstration-2030", "care-points-60"]};
    // The cap covers all programme costs: 2,000,000 yuan above the committed baseline leaves that much for gaps.
    const [uncapped] = await budgetCap(db, scenario, {capYuan: Number.MAX_VALUE, years: [2030], model});
    const [capped] = await budgetCap(db, scenario, {capYuan: uncapped!.committed_yuan + 2_000_000, years: [2030], model});
    expect(capped!.room_yuan).toBeCloseTo(2_000_000, 2);
    expect(capped!.funded_yuan).toBeLessThanOrEqual(2_000_000);
    expect(capped!.items.some((i) => !i.funded)).toBe(true);
    for (const prog of programmes) {
      const e = await explain(db, scenario, prog.id, 2030, {model});
      expect(e.text_zh, prog.id).not.toMatch(/\{/);
      for (const term of e.terms) expect(term.values.every((v) => v.source.length > 0), term.id).toBe(true);
    }
    const tornado = await sensitivity(db, scenario, {model});
    expect(tornado.bars.length).toBeGreaterThan(20);
    expect(tornado.bars[0]!.swing_yuan).toBeGreaterThan(0);
  });
});

describe("presets cite their sources", () => {
  const texts = new Map(readSources().map((d) => [d.document, d.text]));
  it.each(presets.map((p) => [p.id, p] as const))("%s quotes its source exactly and names parameters that exist", (_, preset) => {
    const ids = new Set(loadParameters().map((r) => r.id));
    for (const id of Object.keys(preset.changes)) expect(ids.has(id), id).toBe(true);
    for (const cite of preset.cites) {
      if (cite.source) expect(texts.get(cite.source), `${cite.source}: ${cite.quote}`).toContain(cite.quote);
      else expect(cite.note, "a preset without a source says why").toBeTruthy();
      if (cite.parameter) expect(ids.has(cite.parameter), cite.parameter).toBe(true);
    }
  });
});
