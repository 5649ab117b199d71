/**
 * The figures catalogue checker (数据摘录校验): reads `data/figures/<doc>.yaml` and
 * `data/figures/indicators.yaml`, and fails when an entry breaks the schema, a quote is not in its
 * document's normalised text, a value is not in its quote, or a number of a document is neither inside a
 * catalogued quote nor inside an ignored one. `npm run figures:check` prints the coverage and every failure.
 */
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {basename, join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {parse} from "yaml";
import type {z} from "zod";
import {
  catalogueEnvelope, catalogueFigure, catalogueIgnored, indicatorVocabulary, unitMultiplier,
  type CatalogueFile, type CatalogueFigure, type FigureIgnoredRow, type FigureRow, type IndicatorVocabulary,
} from "../../src/schemas/figures.js";
import {readSource, listSources, sourcesDir as defaultSourcesDir, type SourceDocument} from "../sources/readSources.js";
import {codePointOffset} from "../sources/normaliseText.js";
import {findValue, scanNumbers, type NumberToken} from "./numbers.js";

export const figuresDir = fileURLToPath(new URL("../../data/figures/", import.meta.url));

/** A rule an entry broke: which file, which entry (figure id or `ignored[n]`), what is wrong. */
export interface CatalogueFailure {
  file: string;
  entry: string;
  rule: "schema" | "document" | "id" | "indicator" | "quote-not-found" | "quote-ambiguous" | "value-not-in-quote" | "section-not-found" | "ignored-without-number";
  message: string;
}

/** A number of a document outside every catalogued and ignored quote. */
export interface UncoveredNumber {
  text: string;
  /** Code points from the start of the normalised text. */
  offset: number;
  /** The number with up to 15 characters either side, line breaks shown as ⏎. */
  context: string;
}

export interface DocumentCoverage {
  document: string;
  /** Catalogue file name, or null when the document has none yet. */
  file: string | null;
  figures: number;
  ignored: number;
  /** Digit numbers in the normalised text. */
  numbers: number;
  covered: number;
  uncovered: UncoveredNumber[];
  /** Numbers inside a figure's quote that are no figure's value or year and not ignored (a hint, not a failure). */
  incidental: UncoveredNumber[];
}

export interface CatalogueCheck {
  documents: DocumentCoverage[];
  failures: CatalogueFailure[];
  /** Rows of the `figures` dataset, one per catalogued figure that passed its checks. */
  rows: FigureRow[];
  /** Rows of the `figures_ignored` dataset, one per ignored passage found in its document. */
  ignoredRows: FigureIgnoredRow[];
}

/** Every start index of `needle` in `text`. */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) found.push(i);
  return found;
}

function context(text: string, start: number, end: number): string {
  return `${text.slice(Math.max(0, start - 15), start)}【${text.slice(start, end)}】${text.slice(end, end + 15)}`.replace(/\r?\n/g, "⏎");
}

/** Schema failures of a file (`path` from its root) or of one entry (`prefix` like `figures[3]`). */
function schemaFailures(file: string, error: z.ZodError, entry: string, prefix = ""): CatalogueFailure[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    return {file, entry, rule: "schema" as const, message: `${path || "file"}: ${issue.message}`};
  });
}

/** Validates a file's entries one by one; a broken entry is reported and its quote still counts for coverage. */
function validateEntries(file: string, figures: unknown[], ignored: unknown[]): {catalogue: Omit<CatalogueFile, "document">; looseQuotes: string[]; failures: CatalogueFailure[]} {
  const failures: CatalogueFailure[] = [];
  const looseQuotes: string[] = [];
  const valid: Omit<CatalogueFile, "document"> = {figures: [], ignored: []};
  const check = <T>(list: "figures" | "ignored", items: unknown[], schema: z.ZodType<T>, out: T[]) =>
    items.forEach((item, i) => {
      const result = schema.safeParse(item);
      if (result.success) return void out.push(result.data);
      const {id, quote} = (item ?? {}) as {id?: unknown; quote?: unknown};
      failures.push(...schemaFailures(file, result.error, typeof id === "string" ? id : `${list}[${i}]`, `${list}[${i}]`));
      if (typeof quote === "string") looseQuotes.push(quote);
    });
  check("figures", figures, catalogueFigure, valid.figures);
  check("ignored", ignored, catalogueIgnored, valid.ignored);
  return {catalogue: valid, looseQuotes, failures};
}

/** Reads and validates the indicator vocabulary; a broken vocabulary is a failure of its own. */
export function readIndicators(dir = figuresDir): {indicators: IndicatorVocabulary; failures: CatalogueFailure[]} {
  const path = join(dir, "indicators.yaml");
  if (!existsSync(path)) return {indicators: {}, failures: [{file: "indicators.yaml", entry: "(file)", rule: "schema", message: "indicators.yaml is missing"}]};
  const raw: unknown = parse(readFileSync(path, "utf8")) ?? {};
  const result = indicatorVocabulary.safeParse(raw);
  if (result.success) return {indicators: result.data, failures: []};
  return {indicators: {}, failures: result.error.issues.map((issue) => ({file: "indicators.yaml", entry: issue.path.map(String).join(".") || "(file)", rule: "schema", message: issue.message}))};
}

/** Checks one figure against its document; returns its failures and, when it passed, its dataset row. */
function checkFigure(figure: CatalogueFigure, source: SourceDocument, file: string, indicators: IndicatorVocabulary): {failures: CatalogueFailure[]; row?: FigureRow; start?: number} {
  const failures: CatalogueFailure[] = [];
  const fail = (rule: CatalogueFailure["rule"], message: string) => failures.push({file, entry: figure.id, rule, message});
  const prefix = source.document.slice(0, 3);
  if (!figure.id.startsWith(`${prefix}-`)) fail("id", `id ${figure.id} must start with the document number ${prefix}-`);
  const indicator = indicators[figure.indicator];
  if (!indicator) fail("indicator", `indicator ${figure.indicator} is not in data/figures/indicators.yaml`);
  const found = occurrences(source.text, figure.quote);
  if (found.length === 0) fail("quote-not-found", `quote not found in the normalised text of ${source.document}: "${figure.quote}"`);
  if (found.length > 1) fail("quote-ambiguous", `quote occurs ${found.length} times in ${source.document}; lengthen it so it points at one place: "${figure.quote}"`);
  if (findValue(figure.quote, figure.value, unitMultiplier(figure.unit)).length === 0)
    fail("value-not-in-quote", `value ${figure.value} (${figure.unit}) does not appear in the quote "${figure.quote}"`);
  const start = found[0];
  if (start !== undefined && source.text.lastIndexOf(figure.section, start) === -1)
    fail("section-not-found", `section "${figure.section}" is not written anywhere above the quote`);
  if (failures.length || start === undefined || !indicator) return {failures};
  return {
    failures,
    start,
    row: {
      id: figure.id, document: source.document, section: figure.section, indicator: figure.indicator,
      indicator_zh: indicator.zh, indicator_en: indicator.en, value: figure.value, unit: figure.unit, kind: figure.kind,
      place: figure.place, level: figure.level, year: figure.year, quote: figure.quote,
      quote_offset: codePointOffset(source.text, start),
      original_offset: codePointOffset(source.original, source.originalIndex[start]),
    },
  };
}

/** Whether a number token is one of the figure's value or its year. */
function explains(figure: CatalogueFigure, token: NumberToken, quoteStart: number): boolean {
  if (figure.year !== null && token.value === figure.year && token.multiplier === 1) return true;
  return findValue(figure.quote, figure.value, unitMultiplier(figure.unit)).some((m) => m.start + quoteStart === token.start);
}

/** Checks one catalogue file against its document and measures the document's coverage. */
function checkFile(file: string, catalogue: Omit<CatalogueFile, "document">, looseQuotes: string[], source: SourceDocument, indicators: IndicatorVocabulary, coverage: DocumentCoverage): {failures: CatalogueFailure[]; rows: FigureRow[]; ignoredRows: FigureIgnoredRow[]} {
  const failures: CatalogueFailure[] = [];
  const rows: FigureRow[] = [];
  const ignoredRows: FigureIgnoredRow[] = [];
  const figureSpans: {start: number; end: number; figure: CatalogueFigure}[] = [];
  for (const figure of catalogue.figures) {
    const result = checkFigure(figure, source, file, indicators);
    failures.push(...result.failures);
    if (result.row) rows.push(result.row);
    for (const start of occurrences(source.text, figure.quote)) figureSpans.push({start, end: start + figure.quote.length, figure});
  }
  const ignoredSpans: {start: number; end: number}[] = [];
  for (const quote of looseQuotes) for (const start of occurrences(source.text, quote)) ignoredSpans.push({start, end: start + quote.length});
  catalogue.ignored.forEach((ignored, i) => {
    const entry = `ignored[${i}] "${ignored.quote}"`;
    const found = occurrences(source.text, ignored.quote);
    if (found.length === 0) failures.push({file, entry, rule: "quote-not-found", message: `ignored quote not found in the normalised text of ${source.document}`});
    if (scanNumbers(ignored.quote).length === 0) failures.push({file, entry, rule: "ignored-without-number", message: "an ignored quote must contain a digit number; it ignores nothing"});
    for (const start of found) ignoredSpans.push({start, end: start + ignored.quote.length});
    const numbers = scanNumbers(ignored.quote).length;
    if (found.length && numbers) ignoredRows.push({document: source.document, seq: i + 1, quote: ignored.quote, reason: ignored.reason, numbers, occurrences: found.length});
  });

  const inside = (token: NumberToken) => (span: {start: number; end: number}) => span.start <= token.start && token.end <= span.end;
  for (const token of scanNumbers(source.text)) {
    const number = {text: token.text, offset: codePointOffset(source.text, token.start), context: context(source.text, token.start, token.end)};
    const inIgnored = ignoredSpans.some(inside(token));
    const holders = figureSpans.filter(inside(token));
    if (!inIgnored && holders.length === 0) {
      coverage.uncovered.push(number);
      continue;
    }
    coverage.covered++;
    if (!inIgnored && !holders.some((h) => explains(h.figure, token, h.start))) coverage.incidental.push(number);
  }
  return {failures, rows, ignoredRows};
}

/**
 * Checks every catalogue file in `figuresDir` against the documents in `sourcesDir`. A document with no
 * catalogue file counts all its numbers as uncovered.
 */
export function checkCatalogue(options: {sourcesDir?: string; figuresDir?: string} = {}): CatalogueCheck {
  const sources = options.sourcesDir ?? defaultSourcesDir;
  const dir = options.figuresDir ?? figuresDir;
  const {indicators, failures} = readIndicators(dir);
  const rows: FigureRow[] = [];
  const ignoredRows: FigureIgnoredRow[] = [];
  const documents = listSources(sources);
  const coverage = new Map<string, DocumentCoverage>();
  for (const document of documents) {
    const numbers = scanNumbers(readSource(document, sources).text).length;
    coverage.set(document, {document, file: null, figures: 0, ignored: 0, numbers, covered: 0, uncovered: [], incidental: []});
  }

  const files = existsSync(dir) ? readdirSync(dir).filter((name) => /^\d{3}\.ya?ml$/.test(name)).sort() : [];
  const seenIds = new Map<string, string>();
  for (const file of files) {
    let raw: unknown;
    try {
      raw = parse(readFileSync(join(dir, file), "utf8")) ?? {};
    } catch (error) {
      failures.push({file, entry: "(file)", rule: "schema", message: `not valid YAML: ${(error as Error).message.split("\n")[0]}`});
      continue;
    }
    const parsed = catalogueEnvelope.safeParse(raw);
    if (!parsed.success) {
      failures.push(...schemaFailures(file, parsed.error, "(file)"));
      continue;
    }
    const {catalogue, looseQuotes, failures: entryFailures} = validateEntries(file, parsed.data.figures, parsed.data.ignored);
    failures.push(...entryFailures);
    const document = parsed.data.document;
    const docCoverage = coverage.get(document);
    if (!docCoverage) {
      failures.push({file, entry: "document", rule: "document", message: `document ${document} is not in data/sources`});
      continue;
    }
    if (basename(file).slice(0, 3) !== document.slice(0, 3))
      failures.push({file, entry: "document", rule: "document", message: `file ${file} must be named after its document: ${document.slice(0, 3)}.yaml`});
    if (docCoverage.file) {
      failures.push({file, entry: "document", rule: "document", message: `document ${document} already has the catalogue ${docCoverage.file}`});
      continue;
    }
    for (const figure of catalogue.figures) {
      const other = seenIds.get(figure.id);
      if (other) failures.push({file, entry: figure.id, rule: "id", message: `id ${figure.id} is used twice (also in ${other})`});
      seenIds.set(figure.id, file);
    }
    Object.assign(docCoverage, {file, figures: parsed.data.figures.length, ignored: parsed.data.ignored.length});
    const result = checkFile(file, catalogue, looseQuotes, readSource(document, sources), indicators, docCoverage);
    failures.push(...result.failures);
    rows.push(...result.rows);
    ignoredRows.push(...result.ignoredRows);
  }
  for (const doc of coverage.values()) {
    if (doc.file) continue;
    const source = readSource(doc.document, sources);
    doc.uncovered = scanNumbers(source.text).map((t) => ({text: t.text, offset: codePointOffset(source.text, t.start), context: context(source.text, t.start, t.end)}));
  }
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {documents: [...coverage.values()], failures, rows, ignoredRows};
}

/** Whether the catalogue passes: no failure and every number of every document covered. */
export function cataloguePasses(check: CatalogueCheck): boolean {
  return check.failures.length === 0 && check.documents.every((d) => d.uncovered.length === 0);
}

function percent(covered: number, total: number): string {
  return total === 0 ? "—" : `${((100 * covered) / total).toFixed(1)}%`;
}

/** The checker's report: coverage per document and overall, then every failure and uncovered number. */
export function formatReport(check: CatalogueCheck, options: {incidental?: boolean} = {}): string {
  const lines = ["figures catalogue — coverage of digit numbers (覆盖率)"];
  for (const d of check.documents)
    lines.push(`  ${d.document}  ${(d.file ?? "(no catalogue)").padEnd(14)} figures ${String(d.figures).padStart(3)}  ignored ${String(d.ignored).padStart(3)}  covered ${d.covered}/${d.numbers}  ${percent(d.covered, d.numbers)}${d.incidental.length ? `  (${d.incidental.length} incidental)` : ""}`);
  const covered = check.documents.reduce((s, d) => s + d.covered, 0);
  const total = check.documents.reduce((s, d) => s + d.numbers, 0);
  lines.push(`  overall  covered ${covered}/${total}  ${percent(covered, total)}  figures ${check.rows.length}  failures ${check.failures.length}`);
  if (check.failures.length) lines.push("", `failures (${check.failures.length}):`);
  for (const f of check.failures) lines.push(`  FAIL ${f.file} ${f.entry} [${f.rule}] ${f.message}`);
  for (const d of check.documents) {
    if (d.uncovered.length) lines.push("", `uncovered numbers in ${d.document} (${d.uncovered.length}):`);
    for (const u of d.uncovered) lines.push(`  ${String(u.offset).padStart(6)}  ${u.text.padEnd(8)} ${u.context}`);
    if (options.incidental && d.incidental.length) {
      lines.push("", `incidental numbers in ${d.document} (inside a figure's quote, no figure's value or year, not ignored):`);
      for (const u of d.incidental) lines.push(`  ${String(u.offset).padStart(6)}  ${u.text.padEnd(8)} ${u.context}`);
    }
  }
  return lines.join("\n");
}

/** The catalogue check, throwing the report when it does not pass (the build fails). */
export function passingCatalogue(options: {sourcesDir?: string; figuresDir?: string} = {}): CatalogueCheck {
  const check = checkCatalogue(options);
  if (!cataloguePasses(check)) throw new Error(formatReport(check));
  return check;
}

/** The rows of the `figures` dataset; throws the report when the catalogue does not pass (the build fails). */
export function loadFigureRows(options: {sourcesDir?: string; figuresDir?: string} = {}): FigureRow[] {
  return passingCatalogue(options).rows;
}

// `npm run figures:check [-- --incidental] [-- --allow-gaps]`: prints the report; exits 1 on a failure
// (and on an uncovered number unless --allow-gaps, for work in progress).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = new Set(process.argv.slice(2));
  const check = checkCatalogue();
  console.log(formatReport(check, {incidental: args.has("--incidental")}));
  const gaps = check.documents.some((d) => d.uncovered.length > 0);
  process.exitCode = check.failures.length > 0 || (gaps && !args.has("--allow-gaps")) ? 1 : 0;
}
