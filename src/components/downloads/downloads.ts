import {html} from "npm:htl";
import type {Manifest, ManifestDataset, ManifestFile} from "../../schemas/downloadsManifest.js";
import {splitBilingual} from "./bilingual.js";
import {formatNumber} from "../shared/format.js";

/**
 * The download page's tables (数据与下载), drawn from `data/downloads/manifest.json`: every dataset with
 * its files, sizes, checksums, version and citation, and each dataset's codebook. Links are relative to
 * the page, so the site works under any sub-path.
 */

const formatLabels: Record<ManifestFile["format"], string> = {
  parquet: "Parquet",
  csv: "CSV",
  xlsx: "XLSX",
  "codebook.csv": "字段说明 CSV",
  "codebook.json": "字段说明 JSON",
};

/** English text of the bilingual codebook, marked as such (screen readers and the pages' language test read it so). */
function english(text: string | undefined, className = "muted"): HTMLElement | string {
  return text ? (html`<div class=${className} lang="en">${text}</div>` as HTMLElement) : "";
}

/**
 * A Chinese text whose Latin runs are identifiers (file paths, dataset and column names, versions,
 * licence ids), each marked as English: "来源：data/sources/*.txt 与 README.md" → 来源：<code lang=en>…</code>.
 */
function identifiers(text: string): (string | HTMLElement)[] {
  return text.split(/([A-Za-z0-9_./*+:-]*[A-Za-z][A-Za-z0-9_./*+:-]*(?: [A-Z][A-Za-z]+)*)/).map((part, i) => (i % 2 ? (html`<span lang="en">${part}</span>` as HTMLElement) : part));
}

/** Column types in Chinese, the database's own name beside it for researchers. */
const typeZh: Record<string, string> = {VARCHAR: "文本", INTEGER: "整数", BIGINT: "整数", SMALLINT: "整数", DOUBLE: "小数", FLOAT: "小数", BOOLEAN: "是/否", DATE: "日期"};
/** Units of the codebook in Chinese; an unknown one stays marked English. */
const unitZhNames: Record<string, string> = {
  persons: "人",
  person: "人",
  households: "户",
  characters: "字",
  numbers: "个数字",
  years: "岁",
  year: "年",
  "share 0–1": "比例（0–1）",
  "m²": "平方米",
  CNY: "元",
  yuan: "元",
  "CNY per year": "元/年",
  "CNY per person per year": "元/人·年",
  "CNY per resident per year": "元/常住人口·年",
  "CNY per person": "元/人",
  units: "个单位",
  communities: "个社区",
};
const unitCell = (unit: string | null | undefined) => (unit ? (unitZhNames[unit] ?? (html`<span lang="en">${unit}</span>` as HTMLElement)) : "");

/** A file size for people: 812 B, 95 KB, 1.9 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function fileLink(file: ManifestFile, base: string): HTMLElement {
  return html`<a class="download-link" href=${base + file.path} download data-format=${file.format} data-sha256=${file.sha256}
    title=${`SHA-256 ${file.sha256}`}>${formatLabels[file.format]}</a>` as HTMLElement;
}

function syntheticMark(d: ManifestDataset): HTMLElement | string {
  if (d.synthetic === true) return html`<span class="synthetic-badge">合成数据</span>` as HTMLElement;
  if (d.synthetic === false) return html`<span class="data-badge">真实数据${d.suppressed_rows ? `（${formatNumber(d.suppressed_rows)} 行含抑制值）` : ""}</span>` as HTMLElement;
  return "";
}

/** One table of every dataset: title, rows, version, files with sizes, and the SHA-256 of each file. */
export function DownloadsTable(manifest: Manifest, options: {base?: string} = {}): HTMLElement {
  const base = options.base ?? "data/downloads/";
  return html`<table class="downloads-table">
    <caption>共 ${manifest.datasets.length} 个数据集；每个文件的校验值（<span lang="en">SHA-256</span>）见“校验值”一列与 <code lang="en">SHA256SUMS.txt</code></caption>
    <thead><tr><th scope="col">数据集</th><th scope="col">行数</th><th scope="col">版本</th><th scope="col">下载</th><th scope="col">校验值（前 12 位）</th></tr></thead>
    <tbody>${manifest.datasets.map(
      (d) => html`<tr data-dataset=${d.name}>
        <th scope="row"><div>${d.title.zh} ${syntheticMark(d)}</div><div class="muted"><code lang="en">${d.name}</code> · <span lang="en">${d.title.en}</span></div></th>
        <td class="numeric">${formatNumber(d.rows)}</td>
        <td><code lang="en">${d.version}</code></td>
        <td class="download-files">${d.files.map((f) => html`<span>${fileLink(f, base)} <span class="muted">${formatBytes(f.bytes)}</span></span>`)}</td>
        <td class="checksums">${d.files.map((f) => html`<div title=${f.sha256}><code lang="en">${f.sha256.slice(0, 12)}</code> <span class="muted" lang="en">${f.path}</span></div>`)}</td>
      </tr>`,
    )}</tbody>
  </table>` as HTMLElement;
}

/** Every dataset's codebook as a collapsible table: column, type, unit, labels, description, values. */
export function Codebooks(manifest: Manifest): HTMLElement {
  return html`<div class="codebooks">${manifest.datasets.map(
    (d) => html`<details data-codebook=${d.name}>
      <summary><strong>${d.title.zh}</strong>（<code lang="en">${d.name}</code>，${d.fields.length} 个字段）</summary>
      <p lang="en">${d.description}</p>
      <p class="muted">来源：${identifiers(d.inputs)}。排序：<span lang="en">${d.sort_key.join(", ")}</span>。</p>
      ${d.notes.map((n) => {
        const {zh, en} = splitBilingual(n);
        return html`<div class="note">${zh ? html`<p>${identifiers(zh)}</p>` : ""}${english(en)}</div>`;
      })}
      <table class="codebook-table">
        <thead><tr><th scope="col">字段</th><th scope="col">中文名</th><th scope="col">类型</th><th scope="col">单位</th><th scope="col">说明（英文，供研究者）</th></tr></thead>
        <tbody>${d.fields.map(
          (f) => html`<tr>
            <td><code lang="en">${f.column}</code></td>
            <td>${identifiers(f.label_zh)}${english(f.label_en)}</td>
            <td>${typeZh[f.type] ?? ""} <span class="muted" lang="en">${f.type}</span>${f.nullable ? html`<div class="muted">可空</div>` : ""}</td>
            <td>${unitCell(f.unit)}</td>
            <td><span lang="en">${f.description}</span>${f.values ? html`<div class="muted">取值：<span lang="en">${f.values.join(", ")}</span></div>` : ""}</td>
          </tr>`,
        )}</tbody>
      </table>
    </details>`,
  )}</div>` as HTMLElement;
}

/** The citation lines of every dataset, ready to copy. */
export function Citations(manifest: Manifest): HTMLElement {
  return html`<ul class="citations">${manifest.datasets.map((d) => html`<li data-citation=${d.name}>${identifiers(d.citation.zh)}${english(d.citation.en)}</li>`)}</ul>` as HTMLElement;
}
