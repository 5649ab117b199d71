import {instructionSheetNames, tableSpecs, type ColumnSpec, type TableSpec} from "./tables.js";

/**
 * Header mapping: which file column holds which dataset column. Headers may be the codebook's Chinese
 * labels, its English labels or column names, or a known alias; full-width characters, spaces,
 * required-field stars and a trailing unit in brackets ("常住人口（人）", "满意率(%)") do not matter.
 * The header may sit below title rows and may span two rows (a merged group label above).
 */

export interface NormalisedHeader {
  key: string;
  /** The header names a percent unit ("满意率(%)"): plain numbers below it are percents. */
  percent: boolean;
}

export function normaliseHeader(text: string): NormalisedHeader {
  let s = text.normalize("NFKC").toLowerCase().replace(/[\s\u00a0\u3000*＊]+/g, "");
  let percent = false;
  // Strip trailing bracketed units, possibly several: 面积(m²)(平方米).
  for (;;) {
    const m = /[([【［]([^()[\]【】［］]*)[)\]】］]$/.exec(s);
    if (!m || m.index === 0) break;
    if (/%|百分/.test(m[1]!)) percent = true;
    s = s.slice(0, m.index);
  }
  if (/(%|百分比)$/.test(s) && s.length > 1) {
    percent = true;
    s = s.replace(/(%|百分比)$/, "");
  }
  return {key: s.replace(/[_\-–—./、:：]/g, ""), percent};
}

/** Lookup from normalised header to column, per table. */
const lookups = new Map<TableSpec, Map<string, ColumnSpec>>();

export function headerLookup(spec: TableSpec): Map<string, ColumnSpec> {
  let map = lookups.get(spec);
  if (map) return map;
  map = new Map();
  for (const column of spec.columns) {
    for (const label of [column.zh, column.en, column.name, ...column.aliases]) {
      const {key} = normaliseHeader(label);
      if (key && !map.has(key)) map.set(key, column);
    }
  }
  lookups.set(spec, map);
  return map;
}

export interface MappedColumn {
  /** 0-based index of the column in the file. */
  index: number;
  /** The header as written (both rows joined with "/" for a two-row header). */
  header: string;
  spec: ColumnSpec;
  percent: boolean;
}

export interface HeaderMatch {
  table: TableSpec;
  /** 0-based index of the first and last header row among the rows looked at. */
  firstRow: number;
  lastRow: number;
  headers: string[];
  mapped: MappedColumn[];
  /** Columns that map to nothing: index and header. */
  unmapped: {index: number; header: string}[];
  /** A second column mapping to a field already taken. */
  duplicates: {index: number; header: string; field: string}[];
  score: number;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).trim();
}

function mapHeaders(table: TableSpec, headers: string[], firstRow: number, lastRow: number): HeaderMatch {
  const lookup = headerLookup(table);
  const mapped: MappedColumn[] = [];
  const unmapped: HeaderMatch["unmapped"] = [];
  const duplicates: HeaderMatch["duplicates"] = [];
  const taken = new Set<string>();
  headers.forEach((header, index) => {
    if (!header) return;
    // A two-row header "服务状况/设有社区康复室": try the lower label, then both joined.
    const parts = header.split("/");
    const candidates = [header, parts.at(-1)!, parts.join("")];
    let hit: {spec: ColumnSpec; percent: boolean} | undefined;
    for (const c of candidates) {
      const n = normaliseHeader(c);
      const spec = lookup.get(n.key);
      if (spec) {
        hit = {spec, percent: n.percent || normaliseHeader(header).percent};
        break;
      }
    }
    if (!hit) unmapped.push({index, header});
    else if (taken.has(hit.spec.name)) duplicates.push({index, header, field: hit.spec.name});
    else {
      taken.add(hit.spec.name);
      mapped.push({index, header, spec: hit.spec, percent: hit.percent});
    }
  });
  const keys = table.keys.filter((k) => taken.has(k)).length;
  return {table, firstRow, lastRow, headers, mapped, unmapped, duplicates, score: keys >= 2 ? mapped.length + keys : 0};
}

/** Joins two header rows column by column: "服务状况/设有社区康复室"; a label merged down counts once. */
function joinRows(upper: string[], lower: string[]): string[] {
  const n = Math.max(upper.length, lower.length);
  return Array.from({length: n}, (_, i) => {
    const a = upper[i] ?? "";
    const b = lower[i] ?? "";
    if (!a || a === b) return b || a;
    if (!b) return a;
    return `${a}/${b}`;
  });
}

/**
 * Finds the header among the first rows of a sheet: each row alone and each pair of adjacent rows,
 * against each table (or only `table` when the caller knows it). The best-mapping candidate wins;
 * a single row wins a tie. Null when nothing maps.
 */
export function findHeader(rows: unknown[][], sheetName: string, table?: TableSpec): HeaderMatch | null {
  const texts = rows.slice(0, 12).map((r) => r.map(cellText));
  const hinted = tableForSheetName(sheetName);
  const tables = table ? [table] : tableSpecs;
  let best: HeaderMatch | null = null;
  for (const t of tables) {
    const singles = texts.map((row, r) => mapHeaders(t, row, r, r));
    for (let r = 0; r < texts.length; r++) {
      const candidates = [singles[r]!];
      // A two-row header only when joining the rows maps more than the lower row alone.
      if (r + 1 < texts.length) {
        const pair = mapHeaders(t, joinRows(texts[r]!, texts[r + 1]!), r, r + 1);
        if (pair.score > singles[r + 1]!.score) candidates.push(pair);
      }
      for (const c of candidates) {
        const score = c.score + (c.score > 0 && hinted === t ? 0.5 : 0);
        const bestScore = best ? best.score + (best.score > 0 && hinted === best.table ? 0.5 : 0) : 0;
        if (score > bestScore) best = c;
      }
    }
  }
  return best && best.score > 0 ? best : null;
}

/** The table a sheet name announces ("单位", "人员表", "persons"), if any. */
export function tableForSheetName(name: string): TableSpec | undefined {
  const key = normaliseHeader(name).key;
  return tableSpecs.find((t) => t.sheetNames.some((s) => normaliseHeader(s).key === key));
}

export function isInstructionSheet(name: string): boolean {
  const key = normaliseHeader(name).key;
  return instructionSheetNames.some((s) => normaliseHeader(s).key === key);
}
