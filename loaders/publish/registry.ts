import type {z} from "zod";
import type {Dataset} from "../../src/schemas/column.js";
import {audit} from "../../src/schemas/audit.js";
import {figures, figuresIgnored} from "../../src/schemas/figures.js";
import {parameters} from "../../src/schemas/parameters.js";
import {persons} from "../../src/schemas/persons.js";
import {personsCube} from "../../src/schemas/personsCube.js";
import {personsSummary} from "../../src/schemas/personsSummary.js";
import {provinceEstimates} from "../../src/schemas/provinceEstimates.js";
import {reference} from "../../src/schemas/reference.js";
import {sources} from "../../src/schemas/sources.js";
import {units} from "../../src/schemas/units.js";
import {publishedCity} from "./city.js";
import {scenarioResults} from "./scenarioResults.js";
import {publishSettings} from "./settings.js";
import type {PublicationGroup} from "../../src/schemas/downloadsManifest.js";

/**
 * The registry of published datasets (数据与下载): every derived dataset a researcher can download, with
 * where its rows come from. The download loaders (src/data/downloads/), the manifest, the download page
 * and the tests all iterate this list; adding a dataset to the site is adding an entry here.
 */

export type {PublicationGroup} from "../../src/schemas/downloadsManifest.js";

export const groupLabels: Record<PublicationGroup, {zh: string; en: string}> = {
  sources: {zh: "来源文件摘录与核查", en: "Source figures and audit"},
  parameters: {zh: "政策参数", en: "Policy parameters"},
  city: {zh: "城市数据", en: "City data"},
  results: {zh: "测算结果", en: "Results"},
  reference: {zh: "参考数据", en: "Reference data"},
};

export interface Publication {
  dataset: Dataset;
  group: PublicationGroup;
  /** The rows to publish; the encoders validate them against the dataset's schema. */
  rows(): Promise<readonly Record<string, unknown>[]>;
  /** For city data: whether the city is the synthetic demo (marked `synthetic` in the manifest). */
  city?: boolean;
  /** Person-level rows: published only for a synthetic city, never for a planner's real data. */
  personLevel?: boolean;
  /** What the rows are made from, for the page and the codebook (zh). */
  inputs: string;
  /** Rules of the whole dataset, for its codebook (zh and en sentences). */
  notes(): Promise<string[]>;
}

const none = async () => [];

/**
 * A registry entry for a dataset of any row shape. zod's ZodObject is invariant in its shape, so a
 * Dataset<Shape> is not a Dataset; the encoders only read it through the schema, so one cast is safe here.
 */
function publish<S extends z.ZodRawShape>(entry: Omit<Publication, "dataset"> & {dataset: Dataset<S>}): Publication {
  return entry as unknown as Publication;
}

/** The small-cell rule as the codebook and the page state it (loaders/publish/personsSummary.ts). */
export function smallCellRule(threshold: number): string {
  return (
    `小数抑制（真实城市数据）：阈值 T = ${threshold}。1 至 ${threshold - 1} 的计数置空；不足 ${threshold} 人的行全部计数置空；` +
    `一组计数中未公布的人数（其余部分与已抑制部分之和）须为 0 或不少于 ${threshold}，否则再抑制最小的部分；` +
    `每个区县和每个社区的每一计数列，被抑制的格子须为 0 个，或至少 2 个且合计不少于 ${threshold}。示例市为合成数据，不做抑制。 ` +
    `Small-cell rule (real cities): counts 1–${threshold - 1} are suppressed (null); rows with fewer than ${threshold} persons are suppressed entirely; ` +
    `the unpublished rest of a group of counts must be 0 or ≥ ${threshold}; per district, community and column, suppressed cells are none or ≥ 2 summing to ≥ ${threshold}. The synthetic demo city is not suppressed.`
  );
}

/** The pooling rule of persons_cube as its codebook states it (loaders/city/personsCube.ts). */
async function cubeRule(): Promise<string> {
  const {cubeThreshold} = await import("../city/loadCity.js");
  const t = cubeThreshold();
  return (
    `分口径汇总：每个口径（slice 列）只按几个维度分组，每人在每个口径中计一次；引擎按所需维度选用合并人数最少的口径。小格合并（阈值 T = ${t}，示例市同样处理）：` +
    `每个口径中，社区内不足 ${t} 人的格并入该社区一行（各维度为空，suppressed = true），该行不足 ${t} 人时再并入最小的格；` +
    `不足 ${t} 人的社区整体并入市级一行（该行只含一个社区或不足 ${t} 人时，再并入次小的社区）。合并的人计入社区合计，不参与按类别、等级、年龄段或状态的筛选，故小群体的数字为下限。 ` +
    `Slices: each splits persons by a few dimensions and counts everyone once. Cells below ${t} are pooled per community (then the smallest cells until the pool reaches ${t}); ` +
    `communities below ${t} are counted at city level. Pooled persons count in totals, in no split: figures for small groups are lower bounds.`
  );
}

/** The rule protecting cube and summary together, as the codebooks state it. */
async function jointRule(): Promise<string> {
  const [{cubeThreshold}, {disclosureRule}] = await Promise.all([import("../city/loadCity.js"), import("./disclosureControl.js")]);
  const rule = disclosureRule(cubeThreshold());
  return `${rule.zh} ${rule.en}`;
}

export const publications: readonly Publication[] = [
  publish({
    dataset: figures,
    group: "sources",
    inputs: "data/sources/*.txt 与 data/figures/*.yaml（逐条核对原文）",
    rows: async () => (await import("../figures/checkCatalogue.js")).loadFigureRows(),
    notes: async () => ["原文摘录（quote）为公开文件的原文引用，版权归原作者；仅供核对数字之用。 Quotes are excerpts of public documents, for verification."],
  }),
  publish({
    dataset: audit,
    group: "sources",
    inputs: "figures 数据集与 data/audit/checks.yaml",
    rows: async () => (await import("../audit/runAudit.js")).loadAudit(),
    notes: none,
  }),
  publish({
    dataset: figuresIgnored,
    group: "sources",
    inputs: "data/figures/*.yaml 中的 ignored 条目",
    rows: async () => (await import("../figures/checkCatalogue.js")).passingCatalogue().ignoredRows,
    notes: async () => ["与 figures 一起覆盖来源文件中的每一个数字：此处为不计入摘录的数字及理由。 With figures, accounts for every number of the sources."],
  }),
  publish({
    dataset: sources,
    group: "sources",
    inputs: "data/sources/*.txt 与 data/sources/README.md",
    rows: async () => {
      const [{sourceRows}, {passingCatalogue}] = await Promise.all([import("../sources/sourceRows.js"), import("../figures/checkCatalogue.js")]);
      return sourceRows(passingCatalogue());
    },
    notes: none,
  }),
  publish({
    dataset: parameters,
    group: "parameters",
    inputs: "data/parameters/**/*.yaml",
    rows: async () => (await import("../parameters/loadParameters.js")).loadParameters(),
    notes: none,
  }),
  publish({
    dataset: units,
    group: "city",
    city: true,
    inputs: "城市数据（示例市：data/demo-city/config.yaml 生成）",
    rows: async () => (await publishedCity()).units,
    notes: none,
  }),
  publish({
    dataset: personsSummary,
    group: "city",
    city: true,
    inputs: "持证残疾人个案数据按社区 × 类别 × 等级汇总",
    rows: async () => {
      const [{personsSummaryRows}, city] = await Promise.all([import("./personsSummary.js"), publishedCity()]);
      // A real city's summary is protected together with its cube (loaders/publish/disclosureControl.ts).
      return city.summary ?? personsSummaryRows(city.persons, city.units, publishSettings().smallCellThreshold);
    },
    notes: async () => [smallCellRule(publishSettings().smallCellThreshold), await jointRule()],
  }),
  publish({
    dataset: personsCube,
    group: "city",
    city: true,
    inputs: "持证残疾人个案数据按社区分口径汇总（类别、等级、年龄段、状态，每个口径只分几个维度），小格合并",
    rows: async () => (await import("../city/loadCity.js")).loadPublishedCube().then((c) => c.rows),
    notes: async () => [await cubeRule(), await jointRule()],
  }),
  publish({
    dataset: persons,
    group: "city",
    city: true,
    personLevel: true,
    inputs: "示例市合成个案（真实城市从不发布个案数据）",
    rows: async () => {
      const city = await publishedCity();
      if (!city.synthetic) throw new Error("persons: person-level rows of a real city are never published; publish persons_summary instead");
      return city.persons;
    },
    notes: async () => ["合成数据：示例市为虚构城市，个案为随机生成，不对应任何真实个人。 Synthetic: fictional persons of the demo city."],
  }),
  publish({
    dataset: reference,
    group: "reference",
    inputs: "data/reference/*.csv（全国统计公报、人口普查、抽样调查、两项补贴标准）",
    rows: async () => (await import("../reference/loadReference.js")).loadReference(),
    notes: none,
  }),
  publish({
    dataset: provinceEstimates,
    group: "reference",
    inputs: "reference 数据集：2020 年人口普查 × 2006 年抽样调查现患率与类别构成",
    rows: async () => (await import("../reference/provinceEstimates.js")).loadProvinceEstimates(),
    notes: async () => ["估算值，不是登记或调查数：各省一律采用 2006 年全国抽样调查的现患率。 Estimates, not counts."],
  }),
  publish({
    dataset: scenarioResults,
    group: "results",
    city: true,
    inputs: "data/scenarios/*.json 各情景，由预算测算引擎在城市数据与政策参数上计算",
    rows: async () => {
      const [{openCityDatabase}, {readScenarioFiles, scenarioResultRows}] = await Promise.all([import("./cityDatabase.js"), import("./scenarioResults.js")]);
      const db = await openCityDatabase(await publishedCity());
      try {
        return await scenarioResultRows(db, readScenarioFiles());
      } finally {
        db.close();
      }
    },
    notes: async () => ["每个情景与其基线（现行参数）比较；金额为当年价格（按价格指数假设逐年调整）。 Each scenario is compared with its baseline; amounts in current prices."],
  }),
];

/** The publications this build publishes: person-level data only when the city is synthetic. */
export async function activePublications(city: {synthetic: boolean} | Promise<{synthetic: boolean}> = publishedCity()): Promise<Publication[]> {
  const {synthetic} = await city;
  return publications.filter((p) => !p.personLevel || synthetic);
}

/** The publication of a dataset name, or an error naming the known ones. */
export function publication(name: string): Publication {
  const found = publications.find((p) => p.dataset.name === name);
  if (!found) throw new Error(`no published dataset ${JSON.stringify(name)}; known: ${publications.map((p) => p.dataset.name).join(", ")}`);
  return found;
}
