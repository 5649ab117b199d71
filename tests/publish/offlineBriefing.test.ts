import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import type {NodeDuckDB} from "../../loaders/duckdbNode.js";
import {loadFigureRows} from "../../loaders/figures/checkCatalogue.js";
import {computeBriefing, type BriefingFileInput} from "../../loaders/publish/briefing.js";
import {cityOf} from "../../loaders/publish/city.js";
import {offlineBriefingHtml, writeOfflineBriefings} from "../../loaders/publish/offlineBriefing.js";
import type {BriefingData} from "../../src/schemas/briefingData.js";
import {formatPercent, formatYuan} from "../../src/components/shared/format.js";
import {smallCityDb, smallCityPersons, smallCityUnits} from "../engine/fixtures/scenarioCity.js";

describe("the single-file briefing (单文件版) computed on 小城", () => {
  let db: NodeDuckDB;
  let briefing: BriefingData;
  let html: string;
  const file: BriefingFileInput = {title: "小城简报", scenarios: ["raise-wubao"], gaps: [{indicator: "screening", level: "district", year: 2026, top: 5}], figures: ["004-079"]};
  beforeAll(async () => {
    db = await smallCityDb();
    briefing = await computeBriefing("t", file, {db, city: cityOf(smallCityUnits, smallCityPersons), figures: loadFigureRows(), markdown: 'x ${cite("004-006")}'});
    html = offlineBriefingHtml(briefing);
  });
  afterAll(() => db?.close());

  test("refers to nothing outside itself: no script, no src, no stylesheet link, no URL", () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|https?:|\.wasm|fetch\(/i);
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href, href).toMatch(/^#/);
  });

  test("carries one inline SVG chart per gap view and scenario, and the engine's figures", () => {
    expect(html.match(/<svg /g)?.length).toBe(briefing.gaps.length + briefing.scenarios.length);
    const [s] = briefing.scenarios;
    expect(html).toContain(formatYuan(s!.sum.delta_yuan));
    for (const t of s!.totals) expect(html).toContain(formatYuan(t.cost_yuan));
    for (const g of briefing.gaps) expect(html).toContain(formatPercent(g.total.achieved_rate));
  });

  test("every footnote mark points to a footnote with the source document and quote", () => {
    for (const f of briefing.figures) {
      expect(html).toContain(`id="fn-${f.id}"`);
      expect(html).toContain(f.quote.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"));
    }
    for (const [, id] of html.matchAll(/href="#fn-([^"]+)"/g)) expect(html).toContain(`id="fn-${id}"`);
  });

  test("the build writes dist/briefings/<id>.offline.html from each briefing JSON", () => {
    const dist = mkdtempSync(join(tmpdir(), "offline-"));
    try {
      mkdirSync(join(dist, "_file", "briefings"), {recursive: true});
      writeFileSync(join(dist, "_file", "briefings", "t.0123abcd.json"), JSON.stringify(briefing));
      const written = writeOfflineBriefings(dist, "2026-01-01");
      expect(written).toEqual([join(dist, "briefings", "t.offline.html")]);
      expect(readFileSync(written[0]!, "utf-8")).toBe(offlineBriefingHtml(briefing, {built: "2026-01-01"}));
    } finally {
      rmSync(dist, {recursive: true, force: true});
    }
  });
});
