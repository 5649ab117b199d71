/**
 * The city a build publishes: the synthetic demo city, or — when dpf.config.yaml names a workbook —
 * the planner's own, read with the same importer as the browser's import page and the same messages
 * (file, sheet, row, column, value, rule). A rejected row fails the build unless `allowRejected`.
 * A real city's person-level rows are never published: the persons datasets are empty and the pages
 * use persons_cube (small cells pooled).
 */
import {readFileSync, statSync} from "node:fs";
import {basename} from "node:path";
import {loadPersons as loadDemoPersons, loadUnits as loadDemoUnits} from "../demoCity/index.js";
import type {PersonRow} from "../../src/schemas/persons.js";
import type {UnitRow} from "../../src/schemas/units.js";
import {formatProblem, importFiles, rowsOf, type ByteSource, type ImportResult} from "../../src/importer/index.js";
import {loadCityConfig, type CityConfig} from "./config.js";
import {publishSettings} from "../publish/settings.js";
import {buildPersonsCube, type CubeResult} from "./personsCube.js";
import {buildCountsCube} from "./countsCube.js";
import {protectPersonsPublication} from "../publish/disclosureControl.js";
import type {PersonsSummaryRow} from "../../src/schemas/personsSummary.js";
import {cityContractViolations} from "./checkCity.js";
import {parseMappingFile} from "../../src/importer/index.js";

export interface City {
  kind: "demo" | "workbook";
  /** Whose data, for logs and the badge. */
  label: string;
  units: UnitRow[];
  /** Person-level rows: the demo city's; for a real city only in memory, never written to dist/. */
  persons: PersonRow[];
  /** Present for a real city: what the site publishes about persons. */
  cube?: CubeResult;
  /** Present for a real city of person rows: persons_summary, protected together with the cube. */
  summary?: PersonsSummaryRow[];
  import?: ImportResult;
}

function fileSource(path: string): ByteSource {
  const bytes = readFileSync(path);
  return {name: basename(path), size: bytes.length, read: async (start, end) => new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start)};
}

export class CityImportError extends Error {}

/** Imports the configured workbook; prints every problem; fails on rejected rows unless allowed. */
export async function importWorkbook(config: CityConfig, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<City> {
  const referenceDate = config.referenceDate ?? new Date(Math.max(...config.files.map((f) => statSync(f).mtimeMs))).toISOString().slice(0, 10);
  let mapping;
  if (config.mappingFile) {
    try {
      mapping = parseMappingFile(readFileSync(config.mappingFile, "utf-8"));
    } catch (error) {
      throw new CityImportError(`${config.mappingFile}：${(error as Error).message}`);
    }
  }
  const result = await importFiles(config.files.map(fileSource), {referenceDate, mapping});
  for (const p of result.problems) log(formatProblem(p));
  if (result.problemsTruncated) log(`……另有 ${result.problemCount - result.problems.length} 个问题未列出`);
  for (const p of result.pii) log(`个人信息：${p.file} 工作表「${p.sheet}」列「${p.column}」（${p.label}）已删除`);
  const {units, persons} = result.counts;
  if (result.office) {
    const o = result.office.rows;
    log(`按统计表读取：${o.in} 行（接受 ${o.accepted}，拒绝 ${o.rejected}，跳过 ${o.skipped}：标题、表头、小计、合计、表尾、空行、重复行）；社区人数 ${result.communityCounts.length} 个社区`);
    for (const note of result.office.notes) log(`说明：${note}`);
  }
  log(`导入 ${config.files.map((f) => basename(f)).join("、")}：单位 ${units.rowsIn} 行（接受 ${units.accepted}，拒绝 ${units.rejected}），人员 ${persons.rowsIn} 行（接受 ${persons.accepted}，拒绝 ${persons.rejected}）；年龄按 ${referenceDate} 计算`);
  const fileErrors = result.files.filter((f) => f.error);
  const fatal = fileErrors.length > 0 || result.units.length === 0 || result.problemsByRule.no_units;
  if (fatal || (result.rejectedCount > 0 && !config.allowRejected)) {
    throw new CityImportError(
      `导入失败：${fatal ? "文件无法读取或没有可用的单位" : `${result.rejectedCount} 行被拒绝（在 dpf.config.yaml 中设置 city.allowRejected: true 可跳过这些行继续构建）`}` +
        ` — import failed: ${result.errors} error(s), ${result.rejectedCount} rejected row(s)`,
    );
  }
  const personRows = rowsOf<PersonRow>(result.persons);
  // The city contract, the same rules the demo city is generated under: a city breaking one is not published.
  const violations = await cityContractViolations({units: result.units, persons: personRows, counts: result.communityCounts});
  if (violations.length) {
    for (const v of violations) log(`城市数据规则未通过：${v.dataset} 列 ${v.column}：${v.rule}（${v.rows} 行，例如 ${v.example}）`);
    throw new CityImportError(`导入失败：${violations.length} 条城市数据规则未通过（见上方） — city contract broken`);
  }
  // Counts per community (an office's statistics form) publish their cube the same way person rows do.
  // Everything published about persons is protected by one disclosure control and audited (a leak fails the build).
  const countsOnly = personRows.length === 0 && result.communityCounts.length > 0;
  const threshold = cubeThreshold(config);
  const published = countsOnly ? {cube: await buildCountsCube(result.communityCounts, threshold, result.units), summary: []} : protectPersonsPublication(personRows, result.units, threshold);
  return {
    kind: "workbook",
    label: config.label ?? `本地数据：${config.files.map((f) => basename(f)).join("、")}`,
    units: result.units,
    persons: personRows,
    cube: published.cube,
    summary: published.summary,
    import: result,
  };
}

let cached: Promise<City> | undefined;

/** The configured city (read once per process). */
export function loadCity(config: CityConfig = loadCityConfig()): Promise<City> {
  return (cached ??= (async (): Promise<City> => {
    if (!config.files.length) {
      const units = loadDemoUnits();
      return {kind: "demo", label: "示例市（合成数据）", units, persons: await loadDemoPersons()};
    }
    return importWorkbook(config);
  })());
}

/** Units for `src/data/units.*.ts`. */
export async function loadCityUnits(): Promise<UnitRow[]> {
  return (await loadCity()).units;
}

/**
 * Persons for `src/data/persons.*.ts`: the demo city's rows; for a real city none — its person-level
 * rows stay out of dist/ (the file is published empty, with its schema, so pages still load).
 */
export async function loadPublishedPersons(): Promise<PersonRow[]> {
  const city = await loadCity();
  if (city.kind === "demo") return city.persons;
  process.stderr.write(`真实数据：人员明细（${city.persons.length} 人）不发布，只发布 persons_cube 汇总（小于 ${cubeThreshold()} 人的格合并）\n`);
  return [];
}

/**
 * The persons_cube threshold: the publishing small-cell threshold (publish.small_cell_threshold, the T
 * every published count of a real city obeys), raised to city.minCellSize when that is larger — never
 * lower, so the cube cannot publish a count the other datasets would suppress.
 */
export function cubeThreshold(config: CityConfig = loadCityConfig(), env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(config.minCellSize, publishSettings(undefined, env).smallCellThreshold);
}

/** persons_cube for `src/data/persons_cube.*.ts`: from the real city, or from the demo city's persons (pooled the same way). */
export async function loadPublishedCube(): Promise<CubeResult> {
  const city = await loadCity();
  return city.cube ?? buildPersonsCube(city.persons, cubeThreshold(), city.units);
}
