import {html} from "npm:htl";
import type {Manifest, ManifestDataset, ManifestFile} from "../../loaders/publish/downloads.js";
import {splitBilingual} from "./bilingual.js";
import {formatNumber} from "./format.js";

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
    <caption>共 ${manifest.datasets.length} 个数据集；每个文件的 SHA-256 校验值见“校验值”一列与 SHA256SUMS.txt</caption>
    <thead><tr><th scope="col">数据集</th><th scope="col">行数</th><th scope="col">版本</th><th scope="col">下载</th><th scope="col">校验值（SHA-256 前 12 位）</th></tr></thead>
    <tbody>${manifest.datasets.map(
      (d) => html`<tr data-dataset=${d.name}>
        <th scope="row"><div>${d.title.zh} ${syntheticMark(d)}</div><div class="muted"><code>${d.name}</code> · <span lang="en">${d.title.en}</span></div></th>
        <td class="numeric">${formatNumber(d.rows)}</td>
        <td><code>${d.version}</code></td>
        <td class="download-files">${d.files.map((f) => html`<span>${fileLink(f, base)} <span class="muted">${formatBytes(f.bytes)}</span></span>`)}</td>
        <td class="checksums">${d.files.map((f) => html`<div title=${f.sha256}><code>${f.sha256.slice(0, 12)}</code> <span class="muted">${f.path}</span></div>`)}</td>
      </tr>`,
    )}</tbody>
  </table>` as HTMLElement;
}

/** Every dataset's codebook as a collapsible table: column, type, unit, labels, description, values. */
export function Codebooks(manifest: Manifest): HTMLElement {
  return html`<div class="codebooks">${manifest.datasets.map(
    (d) => html`<details data-codebook=${d.name}>
      <summary><strong>${d.title.zh}</strong>（<code>${d.name}</code>，${d.fields.length} 个字段）</summary>
      <p lang="en">${d.description}</p>
      <p class="muted">来源：${d.inputs}。排序：${d.sort_key.join(", ")}。</p>
      ${d.notes.map((n) => {
        const {zh, en} = splitBilingual(n);
        return html`<div class="note">${zh ? html`<p>${zh}</p>` : ""}${english(en)}</div>`;
      })}
      <table class="codebook-table">
        <thead><tr><th scope="col">字段</th><th scope="col">中文名</th><th scope="col">类型</th><th scope="col">单位</th><th scope="col">说明（英文，供研究者）</th></tr></thead>
        <tbody>${d.fields.map(
          (f) => html`<tr>
            <td><code>${f.column}</code></td>
            <td>${f.label_zh}${english(f.label_en)}</td>
            <td>${f.type}${f.nullable ? html`<div class="muted">可空</div>` : ""}</td>
            <td>${f.unit ?? ""}</td>
            <td><span lang="en">${f.description}</span>${f.values ? html`<div class="muted">取值：${f.values.join("、")}</div>` : ""}</td>
          </tr>`,
        )}</tbody>
      </table>
    </details>`,
  )}</div>` as HTMLElement;
}

/** The citation lines of every dataset, ready to copy. */
export function Citations(manifest: Manifest): HTMLElement {
  return html`<ul class="citations">${manifest.datasets.map((d) => html`<li data-citation=${d.name}>${d.citation.zh}${english(d.citation.en)}</li>`)}</ul>` as HTMLElement;
}
