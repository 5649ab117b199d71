import {readFileSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {referenceTables, type ReferenceRow, type ReferenceTable, type ReliabilityLevel, type ValueQualifier} from "../../src/schemas/reference.js";
import {CsvFormatError, parseCsv, type CsvRow} from "./readCsv.js";

/** The committed reference tables, whatever the working directory. */
export const referenceDir = fileURLToPath(new URL("../../data/reference/", import.meta.url));

/** CSV files in data/reference/ that are layouts, not figures (read by their own loaders). */
const layoutFiles = new Set(["province_tiles.csv"]);

/**
 * Reads a figure as written: `1233`, `约1030`, `近1500` (approximate), `>900`, `>=90 (起始标准)` (lower
 * bound), `110 (省级指导标准)` (a number with a remark). Anything else — several amounts, words, a
 * formula — is `text` with no value, so no number is invented; an empty cell or a bare remark such as
 * `(not found)` is `missing`.
 */
export function parseFigure(text: string): {value: number | null; qualifier: ValueQualifier} {
  const trimmed = text.trim();
  if (trimmed === "" || /^\([^()]*\)$/.test(trimmed)) return {value: null, qualifier: "missing"};
  const match = /^(约|近|>=|≥|>)?\s*(\d+(?:\.\d+)?)(?:\s*\([^()]*\))?$/.exec(trimmed);
  if (!match) return {value: null, qualifier: "text"};
  const qualifier: ValueQualifier = !match[1] ? "exact" : match[1] === "约" || match[1] === "近" ? "approximate" : "lower_bound";
  return {value: Number(match[2]), qualifier};
}

/** The year a period names (`2018-03` → 2018, `2024-10 (问答口径)` → 2024), or null (`unknown (post-2019)`). */
export function yearOf(period: string): number | null {
  const match = /^(\d{4})(?!\d)/.exec(period.trim());
  return match ? Number(match[1]) : null;
}

const orNull = (text: string | undefined): string | null => (text === undefined || text.trim() === "" ? null : text);

/** What one table contributes for one CSV row: the figures and the fields they share. */
interface Figure {
  source_column: string;
  indicator_zh: string;
  indicator_en: string | null;
  category: string | null;
  year: number | null;
  period: string | null;
  value_text: string;
  unit: string | null;
}
interface RowContext {
  region: string;
  source: string | null;
  source_quote: string | null;
  source_type: string | null;
  document: string | null;
  cited_url: string | null;
  reliability_level: ReliabilityLevel;
  reliability: string;
  note: string | null;
}

/** How to read one reference table: its columns and what each row holds. */
interface TableReader {
  columns: string[];
  context(cells: Record<string, string>): RowContext;
  figures(cells: Record<string, string>): Figure[];
}

type Reliability = Pick<RowContext, "reliability_level" | "reliability">;
const secondary = (sourceType: string): Reliability => ({reliability_level: "secondary", reliability: `secondary: ${sourceType}`});

/** The context of a row of a table with source, source_quote, source_type and note columns. */
const sourced = (c: Record<string, string>, region: string, reliability: Reliability): RowContext => ({
  region,
  source: c.source,
  source_quote: orNull(c.source_quote),
  source_type: orNull(c.source_type),
  document: null,
  cited_url: null,
  ...reliability,
  note: orNull(c.note),
});

/** A plan indicator's attribute in Chinese: binding 约束性, expected 预期性. */
export function attributeZh(attribute: string): string {
  if (attribute === "binding") return "约束性";
  if (attribute === "expected") return "预期性";
  throw new Error(`unknown plan indicator attribute ${JSON.stringify(attribute)}: binding or expected`);
}

const readers: Record<ReferenceTable, TableReader> = {
  cdpf_national_stats: {
    columns: ["region", "indicator_zh", "indicator_en", "year", "value", "unit", "source", "source_quote", "source_type", "note"],
    context: (c) =>
      sourced(
        c,
        c.region,
        /typo/i.test(c.note)
          ? {reliability_level: "low", reliability: "low: the table flags this value as a likely typo (see note)"}
          : /official/i.test(c.source_type)
            ? {reliability_level: "official", reliability: `official: ${c.source_type}`}
            : secondary(c.source_type),
      ),
    figures: (c) => [{source_column: "value", indicator_zh: c.indicator_zh, indicator_en: orNull(c.indicator_en), category: null, year: yearOf(c.year), period: c.year, value_text: c.value, unit: c.unit}],
  },
  second_disability_survey_2006: {
    columns: ["region", "item", "category", "value", "unit", "share_pct", "reference_date", "source", "source_quote", "source_type", "note"],
    context: (c) => sourced(c, c.region, /LOW RELIABILITY/i.test(c.note) ? {reliability_level: "low", reliability: "low: flagged in the table (see note)"} : secondary(c.source_type)),
    figures: (c) => {
      const shared = {indicator_en: null, category: orNull(c.category), year: yearOf(c.reference_date), period: c.reference_date};
      return [
        {...shared, source_column: "value", indicator_zh: c.item, value_text: c.value, unit: orNull(c.unit)},
        {...shared, source_column: "share_pct", indicator_zh: `${c.item}（比例）`, value_text: c.share_pct, unit: "%"},
      ];
    },
  },
  population_province_census2020: {
    columns: ["province_code", "province_name", "short_name", "population_2020", "share_2020_pct", "share_2010_pct", "census_date", "source", "source_quote", "source_type", "note"],
    context: (c) => sourced(c, c.province_name, secondary(c.source_type)),
    figures: (c) => [
      {source_column: "population_2020", indicator_zh: "常住人口", indicator_en: "Resident population", category: null, year: 2020, period: c.census_date, value_text: c.population_2020, unit: "人"},
      {source_column: "share_2020_pct", indicator_zh: "占全国人口比重", indicator_en: "Share of national population", category: null, year: 2020, period: c.census_date, value_text: c.share_2020_pct, unit: "%"},
      {source_column: "share_2010_pct", indicator_zh: "占全国人口比重", indicator_en: "Share of national population", category: null, year: 2010, period: "2010 (6th census)", value_text: c.share_2010_pct, unit: "%"},
    ],
  },
  two_subsidies_standards_by_province: {
    columns: ["province_code", "province", "living_allowance_yuan_month", "nursing_subsidy_yuan_month", "effective_from", "doc_no", "official_url_cited", "source_quote", "source", "reliability", "note"],
    context: (c) => ({
      region: c.province,
      source: orNull(c.source),
      source_quote: orNull(c.source_quote),
      source_type: null,
      document: orNull(c.doc_no),
      cited_url: orNull(c.official_url_cited),
      reliability_level: /NOT FOUND/i.test(c.reliability) ? "low" : "secondary",
      reliability: c.reliability,
      note: orNull(c.note),
    }),
    figures: (c) => {
      const shared = {category: null, year: yearOf(c.effective_from), period: orNull(c.effective_from), unit: "元/人/月"};
      return [
        {...shared, source_column: "living_allowance_yuan_month", indicator_zh: "困难残疾人生活补贴标准", indicator_en: "Living allowance for disabled persons in need", value_text: c.living_allowance_yuan_month},
        {...shared, source_column: "nursing_subsidy_yuan_month", indicator_zh: "重度残疾人护理补贴标准", indicator_en: "Nursing subsidy for severely disabled persons", value_text: c.nursing_subsidy_yuan_month},
      ];
    },
  },
  national_plan_14th: {
    columns: ["indicator_no", "indicator_zh", "indicator_en", "attribute", "baseline_2020", "target_2025", "unit", "source", "source_title", "source_quote", "source_type", "note"],
    // The attribute (binding 约束性 / expected 预期性) leads the note, so the row says how firm the target is.
    context: (c) => ({...sourced(c, "全国", secondary(c.source_type)), document: c.source_title, note: [attributeZh(c.attribute), orNull(c.note)].filter(Boolean).join("；")}),
    figures: (c) => {
      const shared = {indicator_en: orNull(c.indicator_en), category: null, unit: orNull(c.unit)};
      return [
        {...shared, source_column: "baseline_2020", indicator_zh: `${c.indicator_zh}（2020年基线）`, year: 2020, period: "2020", value_text: c.baseline_2020},
        {...shared, source_column: "target_2025", indicator_zh: `${c.indicator_zh}（2025年目标）`, year: 2025, period: "2025", value_text: c.target_2025},
      ];
    },
  },
  national_outturns: {
    columns: ["indicator_no", "indicator_zh", "indicator_en", "period", "value", "unit", "source", "source_title", "source_quote", "source_type", "note"],
    context: (c) => ({...sourced(c, "全国", secondary(c.source_type)), document: c.source_title}),
    figures: (c) => [{source_column: "value", indicator_zh: c.indicator_zh, indicator_en: orNull(c.indicator_en), category: null, year: yearOf(c.period), period: c.period, value_text: c.value, unit: orNull(c.unit)}],
  },
};

/** A reference table as read: its name and CSV rows. */
export interface ReferenceTableFile {
  table: ReferenceTable;
  file: string;
  rows: CsvRow[];
}

/** Reads every figure table in a folder; a CSV with no reader, or with other columns, stops the build. */
export function readReferenceTables(dir = referenceDir): ReferenceTableFile[] {
  const names = readdirSync(dir).filter((name) => name.endsWith(".csv") && !layoutFiles.has(name)).sort();
  return names.map((name) => {
    const table = name.slice(0, -".csv".length);
    if (!(referenceTables as readonly string[]).includes(table)) throw new CsvFormatError(name, 0, `no reader for table ${table}: add one in loaders/reference/loadReference.ts`);
    const {columns, rows} = parseCsv(readFileSync(join(dir, name), "utf8"), name);
    const expected = readers[table as ReferenceTable].columns;
    if (columns.join(",") !== expected.join(",")) throw new CsvFormatError(name, 0, `header is ${columns.join(",")}; expected ${expected.join(",")}`);
    return {table: table as ReferenceTable, file: name, rows};
  });
}

/**
 * The `reference` dataset: every figure of every table, with its source and reliability. Each CSV row
 * gives a fixed number of figures (one per value column), so rows in and rows out always match.
 * Region codes come from the census table, so 福建省 in CDPF statistics joins with the census.
 */
export function referenceRows(tables: readonly ReferenceTableFile[]): ReferenceRow[] {
  const codes = new Map<string, string>();
  for (const t of tables.filter((t) => t.table === "population_province_census2020"))
    for (const {cells} of t.rows) if (cells.province_code) codes.set(cells.province_name, cells.province_code);

  return tables.flatMap(({table, rows}) =>
    rows.flatMap(({row, cells}) => {
      const reader = readers[table];
      const context = reader.context(cells);
      return reader.figures(cells).map((figure): ReferenceRow => {
        const {value, qualifier} = parseFigure(figure.value_text);
        return {
          table,
          source_row: row,
          ...figure,
          ...context,
          region_code: codes.get(context.region) ?? orNull(cells.province_code),
          value,
          value_qualifier: qualifier,
        };
      });
    }),
  );
}

/** Reads data/reference/ and returns the `reference` rows. */
export function loadReference(dir = referenceDir): ReferenceRow[] {
  return referenceRows(readReferenceTables(dir));
}
