import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {Dataset} from "../../src/schemas/column.js";
import {fileFormats, type FileFormat, type Licence, type Manifest, type ManifestBriefing, type ManifestDataset, type ManifestFile} from "../../src/schemas/downloadsManifest.js";
import {encodeDataset} from "../emit.js";
import {sortRows, validateRows} from "../writeDataset.js";
import {codebook, codebookCsv, codebookJson, codebookMarkdown, type Codebook} from "./codebook.js";
import {toCsv} from "./csv.js";
import {publishedCity} from "./city.js";
import {activePublications, groupLabels, type Publication} from "./registry.js";
import {publishSettings, repositoryRoot} from "./settings.js";
import {toXlsx, type AboutLines} from "./xlsx.js";
import {zipArchive} from "./zip.js";
import {disclosureRule} from "./disclosureControl.js";

/**
 * The download files of a publication and the manifest listing them. Every file is made by one
 * deterministic encoder here, called both by the file's own data loader and by the manifest loader, so
 * the checksums the manifest states are those of the files served beside it.
 */

/** Site folder of the downloads, relative to the site root. */
export const DOWNLOADS_DIR = "data/downloads";

export {fileFormats, type FileFormat, type Licence, type Manifest, type ManifestBriefing, type ManifestDataset, type ManifestFile} from "../../src/schemas/downloadsManifest.js";

export const mediaTypes: Record<FileFormat, string> = {
  parquet: "application/vnd.apache.parquet",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "codebook.csv": "text/csv; charset=utf-8",
  "codebook.json": "application/json",
};

/** The file of a dataset in a format, relative to the downloads folder. */
export function downloadFile(name: string, format: FileFormat): string {
  if (format === "codebook.csv") return `codebooks/${name}.csv`;
  if (format === "codebook.json") return `codebooks/${name}.json`;
  return `${name}.${format}`;
}

export const LICENCE = {
  id: "CC-BY-4.0",
  name: "知识共享 署名 4.0 国际许可协议 (Creative Commons Attribution 4.0 International)",
  url: "https://creativecommons.org/licenses/by/4.0/",
  note: "衍生数据按 CC BY 4.0 发布，引用请注明出处；来源文件摘录的原文版权归原作者。 Derived data under CC BY 4.0; quoted source text remains its authors'.",
} as const satisfies Licence;

export const PUBLISHER = {zh: "残联规划沙盘", en: "DPF Sandbox"} as const;

/** The package version (package.json), the first part of every dataset version. */
export function packageVersion(root = repositoryRoot): string {
  return (JSON.parse(readFileSync(join(root, "package.json"), "utf-8")) as {version: string}).version;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A publication's rows, validated and sorted, with everything its files say about it. */
export interface Prepared {
  publication: Publication;
  dataset: Dataset;
  rows: Record<string, unknown>[];
  /** `<package version>+<first 8 hex of the rows' SHA-256>`: changes exactly when the content does. */
  version: string;
  codebook: Codebook;
  synthetic: boolean | null;
  citation: {zh: string; en: string};
  cityName: string | null;
}

/** Validates, sorts and describes a publication's rows (the shared first step of every file). */
export async function prepare(publication: Publication): Promise<Prepared> {
  const dataset = publication.dataset;
  const rows = sortRows(dataset, validateRows(dataset, await publication.rows(), dataset.name) as Record<string, unknown>[]);
  const version = `${packageVersion()}+${sha256(JSON.stringify(rows)).slice(0, 8)}`;
  const city = publication.city ? await publishedCity() : null;
  const notes = await publication.notes();
  if (city?.synthetic) notes.unshift(`${city.name}为虚构的合成示例城市，数据不对应任何真实地区或个人。 ${city.name} is a fictional, synthetic demo city.`);
  const cityPart = city ? `（${city.name}${city.synthetic ? "，合成数据" : ""}）` : "";
  return {
    publication,
    dataset,
    rows,
    version,
    codebook: codebook(dataset, notes),
    synthetic: city ? city.synthetic : null,
    cityName: city?.name ?? null,
    citation: {
      zh: `${PUBLISHER.zh}（${PUBLISHER.en}）：《${dataset.title.zh}》${cityPart}数据集 ${dataset.name}，版本 ${version}，${rows.length} 行，${LICENCE.id}。`,
      en: `${PUBLISHER.en} (${PUBLISHER.zh}). ${dataset.title.en}${city ? ` (${city.synthetic ? "synthetic demo city" : "city data"})` : ""} [dataset ${dataset.name}], version ${version}, ${rows.length} rows. ${LICENCE.id}.`,
    },
  };
}

/** The 说明 sheet of the XLSX file. */
function aboutLines(p: Prepared): AboutLines {
  return [
    ["数据集 dataset", `${p.dataset.title.zh} · ${p.dataset.title.en}（${p.dataset.name}）`],
    ["说明 description", p.dataset.description],
    ["版本 version", p.version],
    ["行数 rows", String(p.rows.length)],
    ["合成数据 synthetic", p.synthetic === null ? "不适用 n/a" : p.synthetic ? "是：虚构示例城市 yes" : "否：真实数据，已做小数抑制 no"],
    ["来源 inputs", p.publication.inputs],
    ["许可 licence", `${LICENCE.id} · ${LICENCE.url} · ${LICENCE.note}`],
    ["引用 citation", p.citation.zh],
    ["Citation", p.citation.en],
    ...p.codebook.notes.map((n, i): [string, string] => [`附注 note ${i + 1}`, n]),
    ["校验 checksums", "各文件的 SHA-256 见 manifest.json 与 SHA256SUMS.txt。"],
  ];
}

/** Encodes a prepared publication in one format. */
export async function encodeFile(p: Prepared, format: FileFormat): Promise<Uint8Array> {
  switch (format) {
    case "parquet":
      return encodeDataset(p.dataset, p.rows, "parquet");
    case "csv":
      return toCsv(p.dataset, p.rows);
    case "xlsx":
      return toXlsx(p.dataset, p.rows, p.codebook, aboutLines(p));
    case "codebook.csv":
      return codebookCsv(p.codebook);
    case "codebook.json":
      return codebookJson(p.codebook);
  }
}

/**
 * The single file of every briefing with a page, rendered as scripts/postbuild.ts writes it (from the same
 * computed data, through JSON as the page's file goes), so the checksum is that of the served file.
 */
export async function manifestBriefings(): Promise<ManifestBriefing[]> {
  const [{briefingsDir, briefingPagesDir, loadBriefing}, {offlineBriefingHtml, offlineBriefingName}, {existsSync, readdirSync}, {join}] = await Promise.all([
    import("./briefing.js"),
    import("./offlineBriefing.js"),
    import("node:fs"),
    import("node:path"),
  ]);
  const ids = readdirSync(briefingsDir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .filter((id) => existsSync(join(briefingPagesDir, `${id}.md`)))
    .sort();
  const listed: ManifestBriefing[] = [];
  for (const id of ids) {
    const data = JSON.parse(JSON.stringify(await loadBriefing(id))) as Parameters<typeof offlineBriefingHtml>[0];
    const bytes = new TextEncoder().encode(offlineBriefingHtml(data));
    listed.push({id, title: data.title, path: `../../briefings/${offlineBriefingName(id)}`, media_type: "text/html", bytes: bytes.length, sha256: sha256(bytes)});
  }
  return listed;
}

/** Every download: the files of each active publication, keyed by path in the downloads folder. */
export interface Downloads {
  manifest: Manifest;
  /** Path relative to the downloads folder → bytes, for every file the manifest lists. */
  files: Map<string, Uint8Array>;
  /** Markdown codebook of each dataset, for README.md. */
  codebooks: string[];
}

/** Encodes every file of every active publication once and lists them with sizes and SHA-256. */
export async function buildDownloads(): Promise<Downloads> {
  const city = await publishedCity();
  const threshold = publishSettings().smallCellThreshold;
  const datasets: ManifestDataset[] = [];
  const files = new Map<string, Uint8Array>();
  const codebooks: string[] = [];
  for (const publication of await activePublications()) {
    const p = await prepare(publication);
    const listed: ManifestFile[] = [];
    for (const format of fileFormats) {
      const bytes = await encodeFile(p, format);
      const path = downloadFile(p.dataset.name, format);
      files.set(path, bytes);
      listed.push({format, path, media_type: mediaTypes[format], bytes: bytes.length, sha256: sha256(bytes)});
    }
    codebooks.push(codebookMarkdown(p.codebook));
    datasets.push({
      name: p.dataset.name,
      title: p.dataset.title,
      description: p.dataset.description,
      group: publication.group,
      group_label: groupLabels[publication.group],
      version: p.version,
      rows: p.rows.length,
      columns: p.codebook.columns.length,
      sort_key: p.codebook.sort_key,
      synthetic: p.synthetic,
      suppressed_rows: "suppressed" in p.dataset.row.shape ? p.rows.filter((r) => r.suppressed === true).length : null,
      inputs: publication.inputs,
      licence: LICENCE.id,
      citation: p.citation,
      notes: p.codebook.notes,
      fields: p.codebook.columns,
      files: listed,
    });
  }
  const manifest: Manifest = {
    manifest_version: 1,
    publisher: PUBLISHER,
    package_version: packageVersion(),
    licence: LICENCE,
    city: {name: city.name, synthetic: city.synthetic},
    // The joint control runs at the cube's threshold (never below the publishing one).
    small_cell: {threshold, applied: !city.synthetic, rule: disclosureRule((await import("../city/loadCity.js")).cubeThreshold())},
    checksums: "SHA256SUMS.txt",
    datasets,
    briefings: await manifestBriefings(),
  };
  return {manifest, files, codebooks};
}

/** The manifest as pretty JSON bytes. */
export function manifestJson(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

/** `sha256sum -c` input: every file of the manifest, and the manifest itself. */
export function sha256Sums(manifest: Manifest): string {
  const lines = manifest.datasets.flatMap((d) => d.files.map((f) => `${f.sha256}  ${f.path}`));
  lines.push(`${sha256(manifestJson(manifest))}  manifest.json`);
  return `${lines.join("\n")}\n`;
}

/** The archive's own files beside the datasets' files. */
export const archiveExtras = ["manifest.json", "SHA256SUMS.txt", "README.md"] as const;

/** README.md of the archive: what the files are, how to check and cite them, and every codebook. */
export function readme(downloads: Downloads): string {
  const {manifest} = downloads;
  return [
    `# ${manifest.publisher.zh}（${manifest.publisher.en}）数据下载`,
    "",
    `城市：${manifest.city.name}${manifest.city.synthetic ? "（虚构的合成示例城市）" : `（真实数据；小数抑制阈值 ${manifest.small_cell.threshold}）`}。许可：${manifest.licence.id}（${manifest.licence.url}）。`,
    "",
    "## 小数保护规则 Disclosure control",
    "",
    ...(manifest.small_cell.applied ? [] : ["示例市为合成数据，全部明细公布，不做小数保护；真实城市的构建按下列规则。 The synthetic demo city is published in full; a real city's build applies:", ""]),
    manifest.small_cell.rule.zh,
    "",
    manifest.small_cell.rule.en,
    "",
    "每个数据集提供 Parquet、CSV（UTF-8 带 BOM）与 XLSX 三种格式，内容相同；字段说明见 codebooks/ 与下文。",
    "manifest.json 列出每个文件的行数、版本、SHA-256 与引用方式；在本文件夹中运行 `sha256sum -c SHA256SUMS.txt` 可逐一校验。",
    "CSV/XLSX 中以 = + - @ 开头的文本前加了一个英文单引号 '，以免电子表格把它当作公式执行。",
    "",
    "| 数据集 | 名称 | 行数 | 版本 | 引用 |",
    "|---|---|---|---|---|",
    ...manifest.datasets.map((d) => `| ${d.title.zh} | \`${d.name}\` | ${d.rows} | ${d.version} | ${d.citation.zh} |`),
    "",
    ...downloads.codebooks,
  ].join("\n");
}

/**
 * The downloads as one deterministic ZIP archive (`data/downloads.zip`): Framework extracts each
 * `data/downloads/<file>` from it, so every file is encoded once per build, with the manifest.
 */
export async function downloadsArchive(downloads?: Downloads): Promise<Uint8Array> {
  downloads ??= await buildDownloads();
  const manifest = manifestJson(downloads.manifest);
  const entries = [
    ...[...downloads.files].map(([name, data]) => ({name, data})),
    {name: "manifest.json", data: manifest},
    {name: "SHA256SUMS.txt", data: new TextEncoder().encode(sha256Sums(downloads.manifest))},
    {name: "README.md", data: new TextEncoder().encode(readme(downloads))},
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return zipArchive(entries);
}

/**
 * The paths Framework's `dynamicPaths` builds: every download. First drops cached publishing outputs
 * whose inputs changed (see freshness.ts), so the archive and briefings are never stale.
 */
export async function publishPaths(): Promise<string[]> {
  const {dropStaleOutputs} = await import("./freshness.js");
  dropStaleOutputs();
  return downloadPaths();
}

/** Site paths of every download: the archive and each file in it. */
export async function downloadPaths(): Promise<string[]> {
  const names = (await activePublications()).map((p) => p.dataset.name);
  return [
    `/${DOWNLOADS_DIR}.zip`,
    ...names.flatMap((name) => fileFormats.map((format) => `/${DOWNLOADS_DIR}/${downloadFile(name, format)}`)),
    ...archiveExtras.map((file) => `/${DOWNLOADS_DIR}/${file}`),
  ];
}

export function writeStdout(bytes: Uint8Array | string): Promise<void> {
  return new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
}
