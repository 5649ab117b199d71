import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {parse} from "yaml";
import {computeBriefingData, type ResolvedScenario} from "../../src/engine/briefingData.js";
import type {Queryable} from "../../src/engine/queryable.js";
import {migrateScenario} from "../../src/engine/scenario.js";
import {planBaseYear} from "../../src/engine/planPeriod.js";
import type {BriefingData} from "../../src/schemas/briefingData.js";
import {briefingFile, briefingFileProblems, type BriefingFile, type BriefingFileInput} from "../../src/schemas/briefing.js";
import type {FigureRow} from "../../src/schemas/figures.js";
import {provinceStandardRows} from "../reference/provinceStandards.js";
import {publishedCity, type PublishedCity} from "./city.js";
import {readScenarioFile} from "./scenarioResults.js";
import {publishSettings, repositoryRoot} from "./settings.js";

/**
 * Briefings (测算简报) computed at build time: a briefing file (data/briefings/<id>.yaml) names the scenario
 * files and gap views it shows; this module runs them with the Node engine on the published city and
 * writes one small JSON file the briefing page renders from, without DuckDB in the browser. Every source
 * figure the page cites (`cite("004-013")`) and every parameter source is looked up in the figures
 * catalogue, so each footnote carries the catalogue id, document and exact quote.
 */

export const briefingsDir = join(repositoryRoot, "data", "briefings");
export const briefingPagesDir = join(repositoryRoot, "src", "briefings");

export {briefingFile, type BriefingFile, type BriefingFileInput};

/** Reads and validates data/briefings/<id>.yaml. */
export function readBriefingFile(id: string, dir = briefingsDir): BriefingFile {
  const path = join(dir, `${id}.yaml`);
  if (!existsSync(path)) throw new Error(`no briefing file data/briefings/${id}.yaml`);
  const result = briefingFile.safeParse(parse(readFileSync(path, "utf-8")));
  if (!result.success) throw new Error(`data/briefings/${id}.yaml: ${briefingFileProblems(result.error)}`);
  return result.data;
}

/** Figure ids a briefing page cites, in order of first citation: every `cite("004-013")` in its Markdown. */
export function citedFigureIds(markdown: string): string[] {
  const ids: string[] = [];
  for (const [, id] of markdown.matchAll(/\bcite\(\s*["'](\d{3}-\d{3})["']/g)) if (!ids.includes(id!)) ids.push(id!);
  return ids;
}

export {figureForReference, protectGapRow, protectGapRows} from "../../src/engine/briefingData.js";

export interface BriefingInputs {
  db: Queryable;
  city: PublishedCity;
  figures: readonly FigureRow[];
  /** The briefing page's Markdown (for the figures it cites); empty when there is no page. */
  markdown: string;
  /** Where the city's data come from and how recent they are; by default the demo city's or the city's name. */
  provenance?: {source_zh: string; vintage_zh: string};
  /** Today's date (ISO) for a briefing without its own. */
  today?: string;
}

/** A briefing file's scenarios: files of data/scenarios/ by name, or written in place. */
export function resolveScenarios(file: BriefingFileInput): ResolvedScenario[] {
  return (file.scenarios ?? []).map((s) => {
    if (typeof s === "string") return readScenarioFile(s);
    try {
      return {id: s.id, file: `（简报定义中的方案 ${s.id}）`, scenario: migrateScenario(s.scenario).scenario};
    } catch (error) {
      throw new Error(`briefing scenario ${s.id}: ${(error as Error).message}`);
    }
  });
}

/** Computes a briefing's data from its file, with the engines, on the given city and catalogue. */
export async function computeBriefing(id: string, file: BriefingFileInput, inputs: BriefingInputs): Promise<BriefingData> {
  const {db, city, figures} = inputs;
  return computeBriefingData(id, file, {
    db,
    city: {name: city.name, synthetic: city.synthetic, ...(inputs.provenance ? {provenance: inputs.provenance} : {})},
    figures,
    scenarios: resolveScenarios(file),
    citedInPage: citedFigureIds(inputs.markdown),
    threshold: publishSettings().smallCellThreshold,
    today: inputs.today ?? new Date().toISOString().slice(0, 10),
    source: `data/briefings/${id}.yaml`,
    provinces: provinceStandardRows(),
  });
}

/** A built real city's data as its planner names them: the config's label or the workbook's file names, and its reference date. */
async function workbookProvenance(city: PublishedCity): Promise<{source_zh: string; vintage_zh: string}> {
  const [{loadCityConfig}, {basename}, {statSync}] = await Promise.all([import("../city/config.js"), import("node:path"), import("node:fs")]);
  const config = loadCityConfig();
  const names = config.files.map((f) => basename(f)).join("、");
  // The same date the importer computes ages on: the config's, or the newest file's modification day.
  const vintage = config.referenceDate ?? (config.files.length ? new Date(Math.max(...config.files.map((f) => statSync(f).mtimeMs))).toISOString().slice(0, 10) : `${planBaseYear} 年底`);
  return {source_zh: `${config.label ?? `${city.name}的数据`}${names ? `（文件 ${names}）` : ""}`, vintage_zh: vintage};
}

/** The body of the briefing data loader: the published city, the catalogue and the page's Markdown. */
export async function loadBriefing(id: string): Promise<BriefingData> {
  const [{openCityDatabase}, {loadFigureRows}] = await Promise.all([import("./cityDatabase.js"), import("../figures/checkCatalogue.js")]);
  const file = readBriefingFile(id);
  const city = await publishedCity();
  const page = join(briefingPagesDir, `${id}.md`);
  const db = await openCityDatabase(city);
  try {
    const provenance = city.synthetic ? undefined : await workbookProvenance(city);
    return await computeBriefing(id, file, {db, city, figures: loadFigureRows(), markdown: existsSync(page) ? readFileSync(page, "utf-8") : "", ...(provenance ? {provenance} : {})});
  } finally {
    db.close();
  }
}
