import type {ColumnType} from "./columnTypes.js";

/**
 * The downloads manifest (data/downloads/manifest.json): what the build publishes for download, file by
 * file, with its codebook, licence and checksums. loaders/publish/downloads.ts writes it; the 数据与下载
 * page (src/components/downloads/downloads.ts) reads it. Types only, beside the schemas, so the page does not reach
 * into the Node-only loaders.
 */

export const fileFormats = ["parquet", "csv", "xlsx", "codebook.csv", "codebook.json"] as const;
export type FileFormat = (typeof fileFormats)[number];

/** The publication groups of the downloads page, in the registry's order of sections. */
export type PublicationGroup = "sources" | "parameters" | "city" | "results" | "reference";

/** The licence every derived file is published under. */
export interface Licence {
  id: string;
  name: string;
  url: string;
  note: string;
}

/** One column of a dataset's codebook (codebooks/<name>.json), generated from its zod schema. */
export interface CodebookEntry {
  column: string;
  /** Storage type in Parquet/DuckDB: VARCHAR, INTEGER, DOUBLE or BOOLEAN. */
  type: ColumnType;
  /** True when the column may be empty (null in Parquet, an empty cell in CSV/XLSX). */
  nullable: boolean;
  unit: string | null;
  label_zh: string;
  label_en: string;
  description: string;
  /** The allowed values of a coded column, in schema order; null for free values. */
  values: string[] | null;
}

export interface ManifestFile {
  format: FileFormat;
  /** Relative to the manifest (the downloads folder). */
  path: string;
  media_type: string;
  bytes: number;
  sha256: string;
}

export interface ManifestDataset {
  name: string;
  title: {zh: string; en: string};
  description: string;
  group: PublicationGroup;
  group_label: {zh: string; en: string};
  version: string;
  rows: number;
  columns: number;
  sort_key: string[];
  /** true: the synthetic demo city; false: a real city (small counts suppressed); null: not city data. */
  synthetic: boolean | null;
  /** Rows with a suppressed count (small-cell rule); null when the dataset has no such flag. */
  suppressed_rows: number | null;
  inputs: string;
  licence: string;
  citation: {zh: string; en: string};
  notes: string[];
  /** The codebook's columns (as in codebooks/<name>.json), so the manifest alone describes every file. */
  fields: CodebookEntry[];
  files: ManifestFile[];
}

export interface Manifest {
  manifest_version: 1;
  publisher: {zh: string; en: string};
  package_version: string;
  licence: Licence;
  city: {name: string; synthetic: boolean};
  /** The threshold, and the one disclosure control over everything published about persons (disclosureControl.ts). */
  small_cell: {threshold: number; applied: boolean; rule: {zh: string; en: string}};
  /** How to check a file: `sha256sum -c SHA256SUMS.txt` in the downloads folder. */
  checksums: string;
  datasets: ManifestDataset[];
  /** The single-file version of each briefing (outside the downloads folder, so not in SHA256SUMS.txt). */
  briefings: ManifestBriefing[];
}

export interface ManifestBriefing {
  id: string;
  title: string;
  /** Relative to the manifest: ../../briefings/<id>.offline.html. */
  path: string;
  media_type: "text/html";
  bytes: number;
  sha256: string;
}
