import "./zodConfig.js";
import type {UnitRow} from "../schemas/units.js";
import {isBlankCell, type Cell} from "./convert.js";
import {CsvParser, detectDelimiter, type CsvRecord, type Delimiter} from "./csv.js";
import {hasBidiControls, stripBidiControls} from "./bidi.js";
import {assertTextLike, ChunkDecoder, NUL_DETAIL, sniffEncoding, sniffFileKind, type EncodingGuess} from "./decode.js";
import {sniffOtherFormat, zipEntryNames, zipFormat} from "./fileFormat.js";
import {findHeader, isInstructionSheet, type HeaderMatch} from "./headers.js";
import {ProblemLog, RejectedLog, type RejectedRow} from "./log.js";
import {PersonsBuilder, type Columns} from "./persons.js";
import {findPiiColumns, piiKindLabels, type PiiKind} from "./pii.js";
import {ImportError, rules, type ImportProblem, type RuleId} from "./rules.js";
import type {RawRow, SourceContext, SourceCounts, TableBuilder} from "./tableBuilder.js";
import {birthDateColumn, type ColumnSpec, type TableName, type TableSpec} from "./tables.js";
import {UnitsBuilder} from "./units.js";
import {readXls} from "./xls.js";
import {mergeRange, readXlsx, type Sheet} from "./xlsx.js";
import {categoryCountColumn, type CommunityCountsRow, type CountColumn} from "../schemas/communityCounts.js";
import {disabilityCategories, disabilityCategoryLabels} from "../schemas/disabilityCategories.js";
import {readOfficeTables, type ColumnMapping, type OfficeSheet, type OfficeSheetReport, type RowCounts} from "./office/readOffice.js";
import {personsByName, type NameResolver} from "./office/personsByName.js";
import {cellText} from "./office/layout.js";
import {matchHeader} from "./office/vocabulary.js";
import {personsSpec} from "./tables.js";

/** A file to import, read in slices: a browser File, a Node Buffer, bytes in a test. */
export interface ByteSource {
  name: string;
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {name, size: bytes.length, read: async (start, end) => bytes.subarray(start, end)};
}

export interface ImportProgress {
  file: string;
  /** parse: a workbook being read whole (no finer progress until its sheets are read). */
  phase: "scan" | "parse" | "units" | "persons" | "done";
  /** Bytes of all files read so far (each file is read twice: once to look, once to import). */
  bytesDone: number;
  bytesTotal: number;
  rows: number;
}

export interface ImportOptions {
  /** ISO date ages are computed on when a file gives 出生日期 (the importer never reads the clock). */
  referenceDate: string;
  /** Called between chunks and every few thousand rows: the browser yields to the event loop here. */
  tick?: () => Promise<void> | void;
  onProgress?: (progress: ImportProgress) => void;
  /** Bytes read and parsed at a time (default 1 MiB). */
  chunkBytes?: number;
  maxProblems?: number;
  maxRejectedRows?: number;
  /** The planner's column choices on the mapping step, per layout (see OfficeSheetReport.signature). */
  mapping?: ColumnMapping;
}

export interface SheetReport {
  file: string;
  sheet: string;
  table: TableName | null;
  /** Spreadsheet rows of the header, e.g. [1, 2] for a two-row header. */
  headerRows: [number, number] | null;
  rowsIn: number;
  accepted: number;
  rejected: number;
  blank: number;
  notes: string[];
}

export interface FileReport {
  file: string;
  format: "csv" | "xlsx" | "xls" | "unknown";
  /** The encoding used, in words ("GBK/GB18030（中文 Excel 常用）"). */
  encoding?: string;
  delimiter?: "逗号" | "制表符";
  /** Why the file could not be read at all. */
  error?: ImportProblem;
  sheets: SheetReport[];
}

export interface PiiReport {
  file: string;
  sheet: string;
  column: string;
  kind: PiiKind;
  label: string;
  by: "header" | "content" | "header+content";
}

export interface ImportResult {
  files: FileReport[];
  units: UnitRow[];
  persons: Columns;
  counts: Record<TableName, SourceCounts>;
  problems: ImportProblem[];
  problemCount: number;
  problemsTruncated: boolean;
  problemsByRule: Partial<Record<RuleId, number>>;
  errors: number;
  warnings: number;
  rejectedRows: RejectedRow[];
  rejectedCount: number;
  rejectedTruncated: boolean;
  /** Columns of the rejected-rows download per table (the files' own headers, personal data removed). */
  rejectedHeaders: Record<TableName, string[]>;
  pii: PiiReport[];
  notes: string[];
  referenceDate: string;
  /** Counts per community read from an office's own tables (统计表), when the files hold counts. */
  communityCounts: CommunityCountsRow[];
  /** The office tables read (sheets, columns and how they were matched, rows skipped and why). */
  office: {sheets: OfficeSheetReport[]; rows: RowCounts; countFields: CountColumn[]; notes: string[]; addedUnits: string[]} | null;
}

/** One table to import from one source, after looking at its first rows. */
interface Plan {
  report: SheetReport;
  table: TableSpec;
  header: HeaderMatch;
  sample: Cell[][];
  rows: (ctx: SourceContext, builder: TableBuilder) => Promise<void>;
  /** Persons named by street and community: the row gets the community's code as its last cell. */
  byName?: {street: number | null; community: number; width: number};
}

const SNIFF_BYTES = 256 * 1024;
/** Largest CSV read as an office form (whole, in memory); bigger CSV files must be our template. */
const MAX_OFFICE_CSV_BYTES = 64 * 1024 * 1024;
const SAMPLE_ROWS = 200;
const TICK_ROWS = 2000;

const isXlsxName = (name: string) => /\.(xlsx|xlsm)$/i.test(name);
const isXlsName = (name: string) => /\.(xls|xlt)$/i.test(name);
/** WPS 表格's own workbook and template: the same format as .xls. */
const isWpsName = (name: string) => /\.(et|ett)$/i.test(name);

function fileProblem(file: string, error: ImportError): ImportProblem {
  return {file, sheet: "", row: null, column: null, field: null, value: "", rule: error.rule, message: error.detail ? `${rules[error.rule].zh}（${error.detail}）` : rules[error.rule].zh, severity: rules[error.rule].severity};
}

function rowLabel(header: HeaderMatch, offset: number): [number, number] {
  return [header.firstRow + 1 + offset, header.lastRow + 1 + offset];
}

/**
 * Imports a planner's files — one .xlsx with a sheet per table, or a CSV/TSV per table, in any
 * order — into the demo city's two tables, with every problem, the rejected rows and what was done.
 * Rows in = accepted + rejected for every sheet. Whole-file failures are reported, never thrown.
 */
export async function importFiles(sources: ByteSource[], options: ImportOptions): Promise<ImportResult> {
  const problems = new ProblemLog(options.maxProblems);
  const rejected = new RejectedLog(options.maxRejectedRows);
  const files: FileReport[] = [];
  const plans: Plan[] = [];
  const officeSheets: OfficeSheet[] = [];
  const pii: PiiReport[] = [];
  const notes: string[] = [];
  const chunk = options.chunkBytes ?? 1024 * 1024;
  const bytesTotal = sources.reduce((n, s) => n + s.size, 0);
  let bytesDone = 0;
  let rowsDone = 0;
  let phase: ImportProgress["phase"] = "scan";
  let currentFile = "";
  const progress = (file: string, next: ImportProgress["phase"]) => {
    (currentFile = file), (phase = next);
    options.onProgress?.({file, phase, bytesDone, bytesTotal, rows: rowsDone});
  };
  const tick = async () => {
    if (options.tick) await options.tick();
  };

  for (const source of sources) {
    const report: FileReport = {file: source.name, format: "unknown", sheets: []};
    files.push(report);
    try {
      progress(source.name, "scan");
      const head = await source.read(0, Math.min(source.size, SNIFF_BYTES));
      const kind = sniffFileKind(head);
      if (kind === "empty") throw new ImportError("empty_file");
      const other = sniffOtherFormat(head);
      if (other) throw new ImportError(other.rule, other.detail);
      if (kind === "xls") {
        report.format = "xls";
        if (isWpsName(source.name)) notes.push(`${source.name}：WPS 表格文件，按 .xls 格式读取`);
        else if (!isXlsName(source.name)) notes.push(`${source.name}：内容是旧版 Excel 工作簿（.xls），按 .xls 读取`);
        const bytes = await source.read(0, source.size);
        progress(source.name, "parse");
        const sheets = await readXls(bytes, source.name);
        bytesDone += source.size;
        await tick();
        plans.push(...planWorkbook(source.name, sheets, report, problems));
      } else if (kind === "xlsx") {
        const zip = zipFormat(await zipEntryNames(source.size, head, (start, end) => source.read(start, end)), head, source.name);
        if (zip !== "xlsx") throw new ImportError(zip.rule, zip.detail);
        report.format = "xlsx";
        if (!isXlsxName(source.name)) notes.push(`${source.name}：内容是 Excel 工作簿，按 .xlsx 读取`);
        const bytes = await source.read(0, source.size);
        progress(source.name, "parse");
        const sheets = await readXlsx(bytes, source.name);
        bytesDone += source.size;
        await tick();
        plans.push(...planWorkbook(source.name, sheets, report, problems));
      } else {
        if (isXlsxName(source.name)) throw new ImportError("unreadable_xlsx", "扩展名是 .xlsx，内容却不是 Excel 工作簿");
        // Many systems export text (tab- or comma-separated) under an .xls name.
        if (isXlsName(source.name) || isWpsName(source.name)) notes.push(`${source.name}：扩展名是 Excel，内容却是文本，按 CSV/制表符分隔文本读取`);
        report.format = "csv";
        const plan = await planCsv(source, head, report, chunk, tick, (n) => {
          bytesDone += n;
          progress(source.name, phase);
        });
        if (plan) plans.push(plan);
        else bytesDone += source.size;
      }
    } catch (error) {
      const e = error instanceof ImportError ? error : new ImportError("unreadable_xlsx", String((error as Error)?.message ?? error).slice(0, 120));
      report.error = fileProblem(source.name, e);
      problems.add({...report.error, value: ""});
      bytesDone += source.size;
    }
  }

  const office = officeSheets.length ? await readOfficeTables(officeSheets, problems, rejected, {mapping: options.mapping}) : null;
  // A file none of whose sheets could be read as any table is the file's error (CSV: its only sheet).
  for (const report of files) {
    const sheets = office?.sheets.filter((s) => s.file === report.file) ?? [];
    if (report.error || !sheets.length || report.sheets.some((s) => s.table)) continue;
    if (sheets.every((s) => s.role === "unknown" || s.role === "empty" || s.role === "hidden" || s.role === "instructions") && sheets.some((s) => s.role === "unknown")) {
      report.error = problems.problems.find((p) => p.file === report.file && p.rule === "unknown_table");
    }
  }
  const units = new UnitsBuilder(problems, rejected);
  const unitPlans = plans.filter((p) => p.table.name === "units");
  const personPlans = plans.filter((p) => p.table.name === "persons");
  for (const plan of unitPlans) {
    const ctx = context(plan, problems, pii, rejected);
    progress(plan.report.file, "units");
    await readRows(plan, ctx, units);
    Object.assign(plan.report, units.countsFor(ctx));
  }
  const templateUnits = units.finish();
  // Names from an office's own tables are read elsewhere: bidi controls are removed here for every unit.
  const unitsFromOffice = !templateUnits.length && !!office;
  const unitRows = (unitsFromOffice ? office!.units : templateUnits).map((u) => (hasBidiControls(u.unit_name) ? {...u, unit_name: stripBidiControls(u.unit_name)} : u));
  if (templateUnits.length && office?.units.length) notes.push("同时提供了单位表（模板）和统计表：单位按单位表导入，统计表中的人数按名称或代码对应到单位表");
  const resolver: NameResolver = personsByName(unitRows);
  for (const plan of unitPlans) {
    for (const [ctx, counts] of units.counts) if (ctx.file === plan.report.file && ctx.sheet === plan.report.sheet) Object.assign(plan.report, counts);
  }
  const rejectedUnits = new Map<string, string>();
  for (const d of units.drafts) if (d.errors && d.code && !rejectedUnits.has(d.code)) rejectedUnits.set(d.code, `${d.ctx.file} 第 ${d.row} 行`);

  const persons = new PersonsBuilder(problems, rejected, unitRows, rejectedUnits, options.referenceDate);
  for (const plan of personPlans) {
    const ctx = context(plan, problems, pii, rejected);
    progress(plan.report.file, "persons");
    await readRows(plan, ctx, persons);
    Object.assign(plan.report, persons.countsFor(ctx));
  }
  const personColumns = persons.finish();
  if (office?.counts.length && personColumns.length) checkCountsAgainstPersons(office.counts, personColumns, unitRows, problems, notes);

  const readable = files.filter((f) => !f.error);
  const officeUnits = office?.units.length ?? 0;
  if (!unitPlans.length && !officeUnits && readable.length && !office?.sheets.some((s) => s.role === "unknown")) {
    problems.add({file: readable.map((f) => f.file).join("、"), sheet: "", row: null, column: null, field: null, rule: "no_units"});
  }
  if ((unitPlans.length || officeUnits) && !personPlans.length && !office?.counts.length) {
    problems.add({file: files.map((f) => f.file).join("、"), sheet: "", row: null, column: null, field: null, rule: "no_persons"});
  }
  notes.push(...units.notes, ...persons.notes);
  progress("", "done");

  const count = (builder: TableBuilder): SourceCounts => {
    const total = {rowsIn: 0, accepted: 0, rejected: 0, blank: 0};
    for (const c of builder.counts.values()) (total.rowsIn += c.rowsIn), (total.accepted += c.accepted), (total.rejected += c.rejected), (total.blank += c.blank);
    return total;
  };
  return {
    files,
    units: unitRows,
    persons: personColumns,
    counts: {units: count(units), persons: count(persons)},
    problems: problems.problems,
    problemCount: problems.count,
    problemsTruncated: problems.truncated,
    problemsByRule: Object.fromEntries(problems.byRule),
    errors: problems.errors,
    warnings: problems.warnings,
    rejectedRows: rejected.rows,
    rejectedCount: rejected.count,
    rejectedTruncated: rejected.truncated,
    rejectedHeaders: {units: rejected.headers.get("units") ?? [], persons: rejected.headers.get("persons") ?? []},
    pii,
    notes: [...notes, ...(office?.notes ?? [])],
    referenceDate: options.referenceDate,
    communityCounts: office?.counts ?? [],
    office: office ? {sheets: office.sheets, rows: office.rows, countFields: office.countFields, notes: office.notes, addedUnits: unitsFromOffice ? office.addedUnits : []} : null,
  };

  /** Feeds a plan's rows; a failure part-way (an encoding switch) is the file's error, rows so far kept. */
  async function readRows(plan: Plan, ctx: SourceContext, builder: TableBuilder): Promise<void> {
    try {
      const byName = plan.byName;
      if (byName) {
        // The community's code, matched by name, goes in a cell after the file's own columns.
        const named = Object.create(builder) as TableBuilder;
        named.add = (c, raw) => builder.add(c, withCommunityCode(raw, byName));
        await plan.rows(ctx, named);
      } else await plan.rows(ctx, builder);
    } catch (error) {
      const e = error instanceof ImportError ? error : new ImportError("unreadable_xlsx", String((error as Error)?.message ?? error).slice(0, 120));
      const report = files.find((f) => f.file === plan.report.file)!;
      report.error = {...fileProblem(plan.report.file, e), sheet: plan.report.sheet};
      problems.add({...report.error, value: ""});
    }
  }

  function withCommunityCode(raw: RawRow, byName: NonNullable<Plan["byName"]>): RawRow {
    if (raw.issue || raw.cells.every((c) => isBlankCell(c))) return raw;
    const cells = Array.from({length: byName.width + 1}, (_, i) => raw.cells[i] ?? null);
    const community = cellText(raw.cells[byName.community] ?? null, (t) => t);
    const street = byName.street === null ? null : cellText(raw.cells[byName.street] ?? null, (t) => t) || null;
    if (!community) return {row: raw.row, cells};
    const found = resolver.resolve(street, community);
    if ("code" in found) cells[byName.width] = found.code;
    else return {row: raw.row, cells, issue: {rule: found.rule, message: found.message, column: "所属社区"}};
    return {row: raw.row, cells};
  }

  async function rowsTick(): Promise<void> {
    rowsDone++;
    if (rowsDone % TICK_ROWS === 0) {
      progress(currentFile, phase);
      await tick();
    }
  }

  /** The plan for a CSV/TSV file: encoding, delimiter, header from its first bytes; rows streamed later. */
  async function planCsv(source: ByteSource, head: Uint8Array, report: FileReport, chunkBytes: number, tickFn: () => Promise<void>, onBytes: (n: number) => void): Promise<Plan | null> {
    const complete = head.length >= source.size;
    const guess: EncodingGuess = sniffEncoding(head, complete);
    report.encoding = guess.label;
    const headText = new ChunkDecoder(guess).decode(head, complete);
    assertTextLike(headText);
    if (headText.trim() === "") throw new ImportError("empty_file", "只有空白");
    const delimiter: Delimiter = /\.tsv$/i.test(source.name) ? "\t" : detectDelimiter(headText);
    report.delimiter = delimiter === "\t" ? "制表符" : "逗号";
    const parser = new CsvParser(delimiter);
    const records = parser.push(headText);
    if (complete) records.push(...parser.finish());
    const first = records.slice(0, 12).map((r) => r.fields as Cell[]);
    const header = findHeader(first, source.name);
    const sheet: SheetReport = {file: source.name, sheet: "CSV", table: null, headerRows: null, rowsIn: 0, accepted: 0, rejected: 0, blank: 0, notes: [`编码：${guess.label}；分隔符：${report.delimiter}`]};
    report.sheets.push(sheet);
    let route = routeOf(header, first);
    if (route === "office" || !header) {
      // An office's own form saved as CSV: small; read whole, then laid out like a worksheet.
      if (source.size > MAX_OFFICE_CSV_BYTES) {
        const p = problems.add({file: source.name, sheet: "CSV", row: null, column: null, field: null, rule: "unknown_table", message: `${rules.unknown_table.zh}（第一行：${first[0]?.slice(0, 6).join("、") ?? ""}）`});
        report.error = p;
        return null;
      }
      const all = complete ? records : await readAllRecords(source, guess, delimiter, chunkBytes);
      sheet.notes.push("按单位自己的统计表读取（表头、小计/合计行、名称自动识别）");
      officeSheets.push({file: source.name, sheet: "CSV", rows: csvGrid(all)});
      return null;
    }
    let byName: Plan["byName"];
    let header2 = header;
    if (route === "byName") {
      const named = byNameHeader(header);
      if (named) ({header: header2, byName} = named);
      else route = "template";
    }
    const headerLines = [records[header2.firstRow]!.line, records[header2.lastRow]!.line] as [number, number];
    const dataFrom = header2.lastRow + 1;
    const sample = records.slice(dataFrom, dataFrom + SAMPLE_ROWS).map((r) => r.fields as Cell[]);
    sheet.table = header2.table.name;
    sheet.headerRows = headerLines;
    describeHeader(sheet, header2, headerLines, first);
    if (byName) sheet.notes.push(`「${header2.headers[byName.community]}」写的是社区名称，已按名称对应到社区`);
    return {
      report: sheet,
      table: header2.table,
      header: header2,
      byName,
      sample,
      rows: async (ctx, builder) => {
        const decoder = new ChunkDecoder(guess);
        const p = new CsvParser(delimiter);
        let index = 0;
        let lines = 0;
        const width = header.headers.length;
        const feed = async (batch: CsvRecord[]) => {
          for (const record of batch) {
            if (index++ < dataFrom) continue;
            builder.add(ctx, csvRow(record, width, ctx));
            await rowsTick();
          }
        };
        for (let start = 0; start < source.size; start += chunkBytes) {
          const end = Math.min(source.size, start + chunkBytes);
          const bytes = await source.read(start, end);
          let text: string;
          try {
            text = decoder.decode(bytes, end >= source.size);
          } catch (error) {
            if (!(error instanceof ImportError)) throw error;
            // Where: the first undecodable byte's line, counted from what was read before it.
            const lenient = new TextDecoder(guess.encoding).decode(bytes);
            const bad = lenient.indexOf(error.detail === NUL_DETAIL ? "\u0000" : "\uFFFD");
            const line = lines + 1 + countLines(lenient.slice(0, Math.max(0, bad)));
            throw new ImportError(error.rule, `${error.detail}，在第 ${line} 行`, source.name);
          }
          lines += countLines(text);
          await feed(p.push(text));
          onBytes(end - start);
          await tickFn();
        }
        await feed(p.finish());
      },
    };

    function csvRow(record: CsvRecord, width: number, ctx: SourceContext): RawRow {
      const fields = record.fields;
      if (record.unclosedQuote) return {row: record.line, cells: fields, issue: {rule: "unclosed_quote", message: rules.unclosed_quote.zh}};
      if (fields.every((f) => f.trim() === "")) return {row: record.line, cells: fields};
      if (record.strayQuote) problems.add({file: ctx.file, sheet: "CSV", row: record.line, column: null, field: null, rule: "stray_quote"});
      if (fields.length > width) {
        const extra = fields.slice(width);
        if (extra.every((f) => f.trim() === "")) fields.length = width;
      }
      if (fields.length !== width) {
        return {row: record.line, cells: fields, issue: {rule: "ragged_row", message: `此行有 ${fields.length} 列，表头有 ${width} 列`}};
      }
      return {row: record.line, cells: fields};
    }
  }

  function planWorkbook(file: string, sheets: Sheet[], report: FileReport, _log: ProblemLog): Plan[] {
    const out: Plan[] = [];
    for (const sheet of sheets) {
      const sheetReport: SheetReport = {file, sheet: sheet.name, table: null, headerRows: null, rowsIn: 0, accepted: 0, rejected: 0, blank: 0, notes: []};
      if (sheet.state !== "visible") {
        sheetReport.notes.push(`隐藏的工作表，未导入${sheet.state === "veryHidden" ? "（深度隐藏）" : ""}`);
        notes.push(`${file}：隐藏的工作表「${sheet.name}」未导入`);
        report.sheets.push(sheetReport);
        continue;
      }
      if (isInstructionSheet(sheet.name)) {
        sheetReport.notes.push("填表说明，跳过");
        report.sheets.push(sheetReport);
        continue;
      }
      const nonBlank = sheet.rows.some((r) => r.some((c) => !isBlankCell(c)));
      if (!nonBlank) {
        sheetReport.notes.push("空工作表，跳过");
        report.sheets.push(sheetReport);
        continue;
      }
      report.sheets.push(sheetReport);
      if (sheet.formulas) sheetReport.notes.push(`${sheet.formulas} 个公式单元格按 Excel 保存的计算结果读取${sheet.formulasWithoutResult ? `，其中 ${sheet.formulasWithoutResult} 个没有保存结果（所在行被拒绝）` : ""}`);
      if (sheet.hyperlinks) sheetReport.notes.push(`${sheet.hyperlinks} 个超链接只读取显示文字，链接地址已丢弃`);
      if (sheet.hiddenRows.length) sheetReport.notes.push(`${sheet.hiddenRows.length} 个隐藏行（如第 ${sheet.hiddenRows.slice(0, 3).join("、")} 行）照常导入`);
      if (sheet.hiddenColumns.length) sheetReport.notes.push(`${sheet.hiddenColumns.length} 个隐藏列照常读取`);
      let header = findHeader(sheet.rows, sheet.name);
      const route = routeOf(header, sheet.rows);
      if (route === "office" || !header) {
        sheetReport.notes.push("按单位自己的统计表读取（表头、小计/合计行、名称自动识别）");
        officeSheets.push({file, sheet: sheet.name, rows: sheet.rows, state: sheet.state});
        continue;
      }
      let byName: Plan["byName"];
      if (route === "byName") {
        const named = byNameHeader(header);
        if (named) {
          header = named.header;
          byName = named.byName;
          sheetReport.notes.push(`「${header.headers[byName.community]}」写的是社区名称，已按${byName.street !== null ? "（街道，社区）" : "社区"}名称对应到社区`);
        }
      }
      const headerRows = rowLabel(header, 0);
      sheetReport.table = header.table.name;
      sheetReport.headerRows = headerRows;
      describeHeader(sheetReport, header, headerRows, sheet.rows);
      const mergedInHeader = sheet.merges.filter((ref) => {
        const r = mergeRange(ref);
        return r && r.top <= header.lastRow;
      });
      if (mergedInHeader.length) sheetReport.notes.push(`表头及其上方含合并单元格（${mergedInHeader.slice(0, 5).join("、")}${mergedInHeader.length > 5 ? " 等" : ""}），每个单元格按所在合并区域的标题读取`);
      const mergedInData = sheet.merges.filter((ref) => (mergeRange(ref)?.bottom ?? 0) > header.lastRow);
      if (mergedInData.length) sheetReport.notes.push(`数据区有 ${mergedInData.length} 个合并单元格（${mergedInData.slice(0, 3).join("、")}${mergedInData.length > 3 ? " 等" : ""}）：合并区域内每一行都读作同一个值`);
      const dataFrom = header.lastRow + 1;
      out.push({
        report: sheetReport,
        table: header.table,
        header,
        byName,
        sample: sheet.rows.slice(dataFrom, dataFrom + SAMPLE_ROWS),
        rows: async (ctx, builder) => {
          for (let r = dataFrom; r < sheet.rows.length; r++) {
            builder.add(ctx, {row: r + 1, cells: sheet.rows[r]!});
            await rowsTick();
          }
        },
      });
    }
    return out;
  }

  function describeHeader(sheet: SheetReport, header: HeaderMatch, rows: [number, number], firstRows: unknown[][]): void {
    sheet.notes.push(rows[0] === rows[1] ? `表头在第 ${rows[0]} 行` : `表头占两行（第 ${rows[0]}–${rows[1]} 行），上下两行标题已合并读取`);
    if (header.firstRow > 0) {
      const above = firstRows.slice(0, header.firstRow).filter((r) => r.some((c) => !isBlankCell(c as Cell))).length;
      if (above) sheet.notes.push(`表头上方的 ${above} 行（标题或分组标题）已跳过`);
    }
  }
}

/**
 * Person rows and a statistics form for the same communities: each community's counts against its persons
 * (in total and by category). A difference is a warning naming both numbers; the person rows are what the
 * pages count.
 */
function checkCountsAgainstPersons(counts: readonly CommunityCountsRow[], persons: Columns, units: readonly UnitRow[], problems: ProblemLog, notes: string[]): void {
  const codes = persons.data.community_code ?? [];
  const categories = persons.data.category ?? [];
  const tally = new Map<string, {total: number; byCategory: Map<string, number>}>();
  for (let i = 0; i < persons.length; i++) {
    const t = tally.get(codes[i] as string) ?? {total: 0, byCategory: new Map()};
    t.total++;
    t.byCategory.set(categories[i] as string, (t.byCategory.get(categories[i] as string) ?? 0) + 1);
    tally.set(codes[i] as string, t);
  }
  const names = new Map(units.map((u) => [u.unit_code, u.unit_name]));
  let differing = 0;
  for (const c of counts) {
    const t = tally.get(c.community_code) ?? {total: 0, byCategory: new Map()};
    const diffs: string[] = [];
    if (c.persons !== t.total) diffs.push(`持证残疾人数：统计表 ${c.persons}，名单 ${t.total} 人`);
    for (const category of disabilityCategories) {
      const given = c[categoryCountColumn(category)];
      const listed = t.byCategory.get(category) ?? 0;
      if (given !== null && given !== listed) diffs.push(`${disabilityCategoryLabels[category]}：统计表 ${given}，名单 ${listed} 人`);
    }
    if (!diffs.length) continue;
    differing++;
    problems.add({file: "", sheet: "", row: null, column: null, field: null, value: names.get(c.community_code) ?? c.community_code, rule: "counts_vs_persons", message: `「${names.get(c.community_code) ?? c.community_code}」统计表与人员名单不符（${diffs.slice(0, 3).join("；")}）；各页面按人员名单计数`});
  }
  notes.push(differing ? `统计表与人员名单核对：${differing} 个社区不符（见问题清单），各页面按人员名单计数` : `统计表与人员名单核对：${counts.length} 个社区的人数一致`);
}

/**
 * Which reader a sheet needs: our template (code columns, one table per sheet), a persons list that names its
 * communities (所属街道/所属社区 as names), or an office's own statistics form (everything else: counts per
 * community, names instead of codes, 小计/合计 rows — src/importer/office/).
 */
function routeOf(header: HeaderMatch | null, rows: readonly Cell[][]): "template" | "byName" | "office" {
  if (!header) return "office";
  const mapped = new Set(header.mapped.map((m) => m.spec.name));
  // A column we read only from office forms (持证残疾人数, 视力残疾, 筛查率) makes it an office table.
  const officeOnly = header.headers.some((h, i) => {
    if (!h || header.mapped.some((m) => m.index === i)) return false;
    const m = matchHeader(h.split("/"));
    return m !== null && (m.info.role === "count" || m.info.role === "check");
  });
  if (header.table.name === "units") {
    if (officeOnly || !mapped.has("unit_code") || !mapped.has("parent_code")) return "office";
    return "template";
  }
  const community = header.mapped.find((m) => m.spec.name === "community_code");
  if (!community) return mapped.has("category") && mapped.has("grade") ? "byName" : "office";
  const sample = rows.slice(header.lastRow + 1, header.lastRow + 201).map((r) => r[community.index]).filter((c) => !isBlankCell(c ?? null));
  const named = sample.filter((c) => typeof c === "string" && /[\u4e00-\u9fff]/.test(c)).length;
  return named > sample.length / 2 ? "byName" : "template";
}

/** The plan's header for a persons list named by community: 所属社区 read as a name, its code added after the file's columns. */
function byNameHeader(header: HeaderMatch): {header: HeaderMatch; byName: NonNullable<Plan["byName"]>} | null {
  const width = header.headers.length;
  const texts = header.headers.map((h) => h.split("/"));
  const matches = texts.map((parts) => (parts.some(Boolean) ? matchHeader(parts) : null));
  let community = matches.findIndex((m) => m?.field === "community_name");
  if (community < 0) community = header.mapped.find((m) => m.spec.name === "community_code")?.index ?? -1;
  if (community < 0) return null;
  const street = matches.findIndex((m) => m?.field === "street_name");
  const spec = personsSpec.columns.find((c) => c.name === "community_code")!;
  const mapped = header.mapped.filter((m) => m.spec.name !== "community_code" && m.index !== street);
  mapped.push({index: width, header: `${header.headers[community]}（按名称匹配）`, spec, percent: false});
  const unmapped = header.unmapped.filter((u) => u.index !== street && u.index !== community);
  return {header: {...header, headers: [...header.headers, mapped.at(-1)!.header], mapped, unmapped}, byName: {street: street >= 0 ? street : null, community, width}};
}

/** A CSV's records as a grid of cells (row i = line i + 1 for a file without quoted line breaks). */
function csvGrid(records: readonly CsvRecord[]): Cell[][] {
  const grid: Cell[][] = [];
  for (const r of records) grid[r.line - 1] = r.fields;
  for (let i = 0; i < grid.length; i++) grid[i] ??= [];
  return grid;
}

async function readAllRecords(source: ByteSource, guess: EncodingGuess, delimiter: Delimiter, chunkBytes: number): Promise<CsvRecord[]> {
  const decoder = new ChunkDecoder(guess);
  const parser = new CsvParser(delimiter);
  const out: CsvRecord[] = [];
  for (let start = 0; start < source.size; start += chunkBytes) {
    const end = Math.min(source.size, start + chunkBytes);
    out.push(...parser.push(decoder.decode(await source.read(start, end), end >= source.size)));
  }
  out.push(...parser.finish());
  return out;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Builds a source's context: personal-data columns dropped, columns mapped, sheet-level problems logged. */
function context(plan: Plan, problems: ProblemLog, pii: PiiReport[], rejected: RejectedLog): SourceContext {
  const {report, header, table} = plan;
  const headerRow = report.headerRows![1];
  const sheetProblem = (rule: RuleId, column: string | null, field: string | null, message?: string) =>
    problems.add({file: report.file, sheet: report.sheet, row: headerRow, column, field, rule, message});
  const known = new Set(header.mapped.map((m) => m.index));
  const findings = findPiiColumns(header.headers, plan.sample, known);
  const piiIndexes = new Set(findings.map((f) => f.index));
  for (const f of findings) {
    pii.push({file: report.file, sheet: report.sheet, column: f.header, kind: f.kind, label: piiKindLabels[f.kind], by: f.by});
    sheetProblem("pii_column", f.header, null, `此列含个人信息（${piiKindLabels[f.kind]}，${f.by === "content" ? "按内容识别" : f.by === "header" ? "按表头识别" : "按表头和内容识别"}），已删除：不存储、不显示、不导出`);
  }
  const mapped = header.mapped.filter((m) => !piiIndexes.has(m.index));
  // 出生日期 is personal data too: read for the age on the reference date, then dropped.
  for (const m of mapped) {
    if (!m.spec.transient) continue;
    pii.push({file: report.file, sheet: report.sheet, column: m.header, kind: "birth_date", label: piiKindLabels.birth_date, by: "header"});
    sheetProblem("pii_column", m.header, m.spec.name, `此列含个人信息（${piiKindLabels.birth_date}）：只用于按统计日期折算年龄，随后删除，不存储、不显示、不导出`);
  }
  for (const u of header.unmapped) if (!piiIndexes.has(u.index)) sheetProblem("extra_column", u.header, null);
  for (const d of header.duplicates) if (!piiIndexes.has(d.index)) sheetProblem("duplicate_column", d.header, d.field, `与前面的列都对应「${table.columns.find((c) => c.name === d.field)!.zh}」，只读取第一列`);
  const has = (name: string) => mapped.some((m) => m.spec.name === name);
  const missingRequired: ColumnSpec[] = [];
  const missingOptional: ColumnSpec[] = [];
  for (const c of table.columns) {
    if (has(c.name) || c.transient) continue;
    if (c.presence === "system") continue;
    if (c.name === "age" && has(birthDateColumn.name)) continue;
    if (c.presence === "required" || (c.name === "age" && c.presence === "derived")) missingRequired.push(c);
    else if (c.presence === "optional") missingOptional.push(c);
  }
  if (missingOptional.length) {
    sheetProblem("missing_optional_column", missingOptional.map((c) => c.zh).join("、"), missingOptional.map((c) => c.name).join(","), `缺少可选列 ${missingOptional.map((c) => `「${c.zh}」`).join("、")}，按「未填报」处理`);
  }
  for (const m of header.mapped) if (m.spec.presence === "system") sheetProblem("ignored_column", m.header, m.spec.name, `「${m.header}」由系统设定：导入的数据一律标为真实数据（非合成）`);
  if (missingRequired.length) {
    sheetProblem("missing_column", missingRequired.map((c) => c.zh).join("、"), missingRequired.map((c) => c.name).join(","), `缺少必需的列：${missingRequired.map((c) => `「${c.zh}」`).join("、")}，此表所有行被拒绝`);
  }
  const kept = header.headers.map((h, index) => ({index, header: h || `第${index + 1}列`})).filter((c) => !piiIndexes.has(c.index) && (c.header || known.has(c.index)));
  rejected.noteHeaders(table.name, kept.map((k) => k.header));
  return {
    file: report.file,
    sheet: report.sheet,
    header,
    mapped: mapped.filter((m) => m.spec.presence !== "system"),
    headerRow,
    kept,
    missingRequired,
  };
}
