/**
 * The importer (导入): a planner's own workbook or CSV files → the demo city's two tables (units,
 * persons), validated with the same zod schemas as the build, with every problem (file, sheet, row,
 * column, value, rule in Chinese and an English rule id), personal data dropped, hostile values kept as
 * inert text and neutralised in exports. Pure: no Node built-ins, no DOM; runs in the browser (the
 * import page) and in Node (the build-time route, loaders/city/loadCity.ts, and the tests).
 */
import "./zodConfig.js";

export {importFiles, bytesSource, type ByteSource, type ImportOptions, type ImportProgress, type ImportResult, type FileReport, type SheetReport, type PiiReport} from "./importFiles.js";
export {rules, formatProblem, displayValue, ImportError, type ImportProblem, type RuleId, type Severity} from "./rules.js";
export {rowsOf, emptyColumns, type Columns} from "./persons.js";
export type {RejectedRow} from "./log.js";
export {parseNumber, parseBoolean, parseDate, ageOn, normaliseCellText, isBlankText, excelSerialToIso, type ParsedNumber} from "./numbers.js";
export {decodeBytes, sniffEncoding, sniffFileKind, ChunkDecoder, type Encoding, type EncodingGuess} from "./decode.js";
export {parseCsv, CsvParser, detectDelimiter, type CsvRecord, type Delimiter} from "./csv.js";
export {isIdCardNumber, isDisabilityCertificate, isMobileNumber, looksLikeName, idCheckCharacter, piiKindOfHeader, piiKindOfValue, findPiiColumns, piiKindLabels, type PiiKind} from "./pii.js";
export {neutraliseCell, toCsv, rejectedRowsCsv} from "./spreadsheet.js";
export {unitsSpec, personsSpec, tableSpecs, allowedText, birthDateColumn, type ColumnSpec, type TableSpec, type TableName} from "./tables.js";
export {normaliseHeader, findHeader} from "./headers.js";
export {readXlsx, type Sheet} from "./xlsx.js";
export {readOfficeTables, type ColumnMapping, type ColumnGuess, type OfficeSheetReport, type OfficeResult} from "./office/readOffice.js";
export {summariseImport, groupProblems, type ImportSummary, type ProblemGroup} from "./summary.js";
export {mappingFileText, parseMappingFile, MAPPING_FORMAT} from "./office/mappingFile.js";
