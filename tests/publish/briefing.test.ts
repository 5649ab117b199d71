import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadFigureRows} from "../../loaders/figures/checkCatalogue.js";
import {citedInText} from "../../src/components/briefing/briefingProse.js";
import {citedFigureIds, computeBriefing, figureForReference, protectGapRow, protectGapRows, readBriefingFile, type BriefingFileInput} from "../../loaders/publish/briefing.js";
import {cityOf} from "../../loaders/publish/city.js";
import {readScenarioFile} from "../../loaders/publish/scenarioResults.js";
import type {BriefingData, BriefingGapRow} from "../../src/schemas/briefingData.js";
import {engineParameterIds} from "../../src/engine/programmes.js";
import {runScenario, totalsByYear} from "../../src/engine/runScenario.js";
import type {FigureRow} from "../../src/schemas/figures.js";
import {smallCityDb, smallCityPersons, smallCityUnits} from "../engine/fixtures/scenarioCity.js";

describe("briefing files", () => {
  test("the example briefing names scenario files that exist and figures the catalogue holds", () => {
    const file = readBriefingFile("example");
    for (const s of file.scenarios) expect(readScenarioFile(typeof s === "string" ? s : s.id).scenario.years.length).toBeGreaterThan(0);
    const ids = new Set(loadFigureRows().map((f) => f.id));
    // The page's cite() calls and the briefing file's texts ([004-013]) together.
    const cited = [...citedFigureIds(readFileSync("src/briefings/example.md", "utf-8")), ...Object.values(file.sections).flatMap((t) => citedInText(t))];
    expect(cited.length).toBeGreaterThanOrEqual(8);
    for (const id of cited) expect(ids.has(id), id).toBe(true);
  });

  test("a broken briefing file is refused with the key and the rule", () => {
    const dir = mkdtempSync(join(tmpdir(), "dpf-briefing-"));
    try {
      writeFileSync(join(dir, "bad.yaml"), "title: x\nscenarios: [Raise_Wubao]\ngaps: [{indicator: happiness, year: 2026}]\nextra: 1\n");
      expect(() => readBriefingFile("bad", dir)).toThrow(/scenarios\.0: a kebab-case name/);
      expect(() => readBriefingFile("bad", dir)).toThrow(/gaps\.0\.indicator/);
      expect(() => readBriefingFile("missing", dir)).toThrow(/no briefing file data\/briefings\/missing\.yaml/);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  test("cited figure ids are found in the page in order of first citation, each once", () => {
    expect(citedFigureIds('a ${cite("004-013")} b ${cite(\'000-002\')} c ${cite("004-013")} notes.cite("002-002")')).toEqual(["004-013", "000-002", "002-002"]);
    expect(citedFigureIds("recite(004-013) cite(\"4-13\")")).toEqual([]);
  });
});

describe("finding a parameter's catalogue entry", () => {
  const figure = (id: string, value: number, unit: string, quote: string): FigureRow => ({
    id, document: "004_f20733b96c2a913c.txt", section: "s", indicator: "x", indicator_zh: "x", indicator_en: "x", value, unit: unit as FigureRow["unit"],
    kind: "standard", place: null, level: null, year: null, quote, quote_offset: 0, original_offset: 0,
  });
  const both = "城市低保保障標準,由390元調到450元";
  const figures = [figure("004-071", 390, "yuan per person per month", both), figure("004-072", 450, "yuan per person per month", both), figure("004-006", 60, "%", "殘疾人康復需求篩出率不低于60%"), figure("004-081", 759.96, "10k yuan", "累計發放五保供養金759.96萬元")];

  test("one quote holding two figures gives the entry whose value the parameter has", () => {
    expect(figureForReference(figures, {source: "004_f20733b96c2a913c.txt", quote: `${both},農村低保保障標準由原來的300元調整到360元`, value: 450})?.id).toBe("004-072");
    expect(figureForReference(figures, {source: "004_f20733b96c2a913c.txt", quote: both, value: 390})?.id).toBe("004-071");
  });

  test("a percentage matches its share, and 万元 its yuan", () => {
    expect(figureForReference(figures, {source: "004_f20733b96c2a913c.txt", quote: "康復需求篩出率不低于60%", value: 0.6})?.id).toBe("004-006");
    expect(figureForReference(figures, {source: "004_f20733b96c2a913c.txt", quote: "五保供養金759.96萬元", value: 7_599_600})?.id).toBe("004-081");
  });

  test("another document, another value, an assumption or no quote find nothing", () => {
    expect(figureForReference(figures, {source: "000_dc4091e04329abc0.txt", quote: both, value: 450})).toBeUndefined();
    expect(figureForReference(figures, {source: "004_f20733b96c2a913c.txt", quote: both, value: 500})).toBeUndefined();
    expect(figureForReference(figures, {source: "assumption", quote: null, value: 450})).toBeUndefined();
  });
});

describe("small counts of a real city's gap rows", () => {
  const row = (over: Partial<BriefingGapRow>): BriefingGapRow => ({
    unit_code: "K1", unit_name: "东湖社区", eligible: 40, achieved_count: 30, missing: 0, achieved_rate: 30 / 40, gap_count: 0, gap_cost_yuan: 0, meets_target: true, suppressed: false, ...over,
  });

  test("a unit with fewer than T eligible shows no counts at all", () => {
    expect(protectGapRow(row({eligible: 3, achieved_count: 1, missing: 0}), 5)).toMatchObject({eligible: null, achieved_count: null, achieved_rate: null, gap_count: null, meets_target: null, suppressed: true});
  });

  test("a small achieved, not-achieved or unknown count hides the rate and the gap but keeps the eligible count", () => {
    expect(protectGapRow(row({achieved_count: 3}), 5)).toMatchObject({eligible: 40, achieved_count: null, achieved_rate: null, suppressed: true});
    expect(protectGapRow(row({achieved_count: 37}), 5)).toMatchObject({achieved_count: null, suppressed: true}); // 3 not achieved
    expect(protectGapRow(row({missing: 1}), 5)).toMatchObject({missing: null, suppressed: true});
  });

  test("large counts and zeros pass unchanged", () => {
    expect(protectGapRow(row({}), 5)).toEqual(row({}));
    expect(protectGapRow(row({achieved_count: 40, achieved_rate: 1}), 5)).toEqual(row({achieved_count: 40, achieved_rate: 1}));
  });
});

describe("a briefing computed on 小城", () => {
  let db: NodeDuckDB;
  let briefing: BriefingData;
  const file: BriefingFileInput = {title: "小城简报", scenarios: ["raise-wubao"], gaps: [{indicator: "screening", level: "district", year: 2026, top: 5}], figures: ["004-079"]};
  const figures = loadFigureRows();
  beforeAll(async () => {
    db = await smallCityDb();
    briefing = await computeBriefing("t", file, {db, city: cityOf(smallCityUnits, smallCityPersons), figures, markdown: 'x ${cite("004-006")}'});
  });
  afterAll(() => db?.close());

  test("gives the scenario engine's own totals, and sums that add up", async () => {
    const [scenario] = briefing.scenarios;
    const direct = totalsByYear(await runScenario(db, readScenarioFile("raise-wubao").scenario));
    expect(scenario!.totals).toEqual(direct);
    expect(scenario!.sum.delta_yuan).toBeCloseTo(direct.reduce((s, t) => s + t.delta_yuan, 0), 6);
    expect(scenario!.programmes.reduce((s, p) => s + p.cost_yuan, 0)).toBeCloseTo(scenario!.sum.cost_yuan, 6);
    expect(scenario!.levels.reduce((s, l) => s + l.cost_yuan, 0)).toBeCloseTo(scenario!.sum.cost_yuan, 6);
    // 2 five-guarantee recipients × (610 − 480) × 12 from 2027.
    expect(scenario!.totals.map((t) => Math.round(t.delta_yuan))).toEqual([0, 3120, 3120, 3120, 3120]);
  });

  test("lists every parameter the engine reads, marking the one the scenario changes, with values per year", () => {
    const [scenario] = briefing.scenarios;
    expect(scenario!.parameters.map((p) => p.id)).toEqual(engineParameterIds());
    expect(scenario!.parameters.filter((p) => p.overridden).map((p) => p.id)).toEqual(["subsidy.wubao.monthly"]);
    const wubao = scenario!.parameters.find((p) => p.id === "subsidy.wubao.monthly")!;
    expect(wubao.baseline).toEqual([480, 480, 480, 480, 480]);
    expect(wubao.scenario).toEqual([480, 610, 610, 610, 610]);
    expect(wubao.scenario_text[1]).toBe("610 元");
    expect(wubao.sources.map((s) => s.source)).toEqual(["fixture", "scenario"]);
  });

  test("footnotes the page's citations first, then the file's, each with its catalogue quote", () => {
    expect(briefing.figures.map((f) => f.id)).toEqual(["004-006", "004-079"]);
    expect(briefing.figures[0]!.quote).toBe(figures.find((f) => f.id === "004-006")!.quote);
  });

  test("shows the synthetic city's gap rows in full", () => {
    const [gap] = briefing.gaps;
    expect(gap!.rows.every((r) => !r.suppressed)).toBe(true);
    expect(gap!.total.eligible).toBe(10);
    expect(briefing.small_cell.applied).toBe(false);
  });

  test("hides a real city's small counts below city level", async () => {
    const real = smallCityUnits.map((u) => ({...u, synthetic: false}));
    const protectedBriefing = await computeBriefing("t", file, {db, city: cityOf(real, smallCityPersons), figures, markdown: ""});
    expect(protectedBriefing.small_cell.applied).toBe(true);
    const [district] = protectedBriefing.gaps[0]!.rows;
    expect(district).toMatchObject({eligible: 10, achieved_count: null, achieved_rate: null, suppressed: true}); // 3 screened of 10
  });

  test("refuses to cite a figure the catalogue lacks", async () => {
    await expect(computeBriefing("t", {...file, figures: ["009-999"]}, {db, city: cityOf(smallCityUnits, smallCityPersons), figures, markdown: ""})).rejects.toThrow(/009-999/);
  });
});

describe("a briefing file's scenarios written in place and its budget cap (the composer's export)", () => {
  test("an inline scenario runs as the file would, and the briefing's cap applies to every scenario", async () => {
    const db = await smallCityDb();
    try {
      const city = cityOf(smallCityUnits, smallCityPersons);
      const raw = JSON.parse(readFileSync("data/scenarios/raise-wubao.json", "utf-8")) as Record<string, unknown>;
      const byFile = await computeBriefing("a", {title: "甲", scenarios: ["raise-wubao"]}, {db, city, figures: loadFigureRows(), markdown: ""});
      const inline = await computeBriefing("b", {title: "乙", scenarios: [{id: "my-plan", scenario: raw}], cap_yuan_per_year: 1_000_000}, {db, city, figures: loadFigureRows(), markdown: ""});
      expect(inline.scenarios[0]!.id).toBe("my-plan");
      expect(inline.scenarios[0]!.totals).toEqual(byFile.scenarios[0]!.totals);
      expect(inline.scenarios[0]!.cap_yuan_per_year).toBe(1_000_000);
      expect(inline.scenarios[0]!.cap!.every((y) => y.cap_yuan === 1_000_000)).toBe(true);
      await expect(computeBriefing("c", {title: "丙", scenarios: [{id: "bad", scenario: {version: 1}}]}, {db, city, figures: loadFigureRows(), markdown: ""})).rejects.toThrow(/briefing scenario bad/);
    } finally {
      db.close();
    }
  });

  test("the small-cell rule hides a second row where one hidden row could be recovered from the total", () => {
    const row = (unit_code: string, eligible: number): BriefingGapRow => ({unit_code, unit_name: unit_code, eligible, achieved_count: Math.floor(eligible / 2), missing: 0, achieved_rate: 0.5, gap_count: 1, gap_cost_yuan: 1, meets_target: false, suppressed: false});
    const out = protectGapRows([row("a", 3), row("b", 40), row("c", 20)], 5);
    expect(out.map((r) => r.suppressed)).toEqual([true, false, true]);
    expect(out[2]!.eligible).toBeNull();
    expect(protectGapRows([row("a", 40), row("b", 20)], 5).every((r) => !r.suppressed)).toBe(true);
  });
});

describe("the briefing file's schema (src/schemas/briefing.ts)", () => {
  test("a briefing of gap views only is a briefing; one with neither scenarios nor gap views is refused, naming the key", async () => {
    const {briefingFile, briefingFileProblems} = await import("../../src/schemas/briefing.js");
    expect(briefingFile.safeParse({title: "只看缺口", gaps: [{indicator: "screening", year: 2026}]}).success).toBe(true);
    const empty = briefingFile.safeParse({title: "空"});
    expect(empty.success).toBe(false);
    expect(briefingFileProblems(empty.error!)).toMatch(/^scenarios: a briefing shows at least one scenario or gap view/);
  });
});
